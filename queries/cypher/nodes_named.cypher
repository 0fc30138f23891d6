// Nodes whose name (or, for papers, title) is exactly $name: the fast path of the node
// finder, served by the name and title indexes before any fuzzy matching is tried.
CALL () {
  MATCH (n:Researcher {name: $name}) RETURN n
  UNION
  MATCH (n:Institution {name: $name}) RETURN n
  UNION
  MATCH (n:Technology {name: $name}) RETURN n
  UNION
  MATCH (n:RiskList {name: $name}) RETURN n
  UNION
  MATCH (n:Paper {title: $name}) RETURN n
}
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label
ORDER BY id
