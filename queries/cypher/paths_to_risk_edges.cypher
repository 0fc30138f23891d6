// The nodes and the traversable relationships along the node pairs of the shortest paths the
// pruned search found (queries/risk_distance_neo4j.py), so that the caller can spell out
// each path with its evidence. $pairs holds [earlier node id, later node id] lists; $ids
// every node id on them.
CALL () {
  UNWIND $ids AS nid
  MATCH (n:{base} {id: nid})
  RETURN collect({id: n.id, labels: labels(n), props: properties(n)}) AS nodes
}
CALL () {
  UNWIND $pairs AS pair
  MATCH (u:{base} {id: pair[0]})-[r]-(v:{base} {id: pair[1]})
  WHERE type(r) IN $types
  RETURN collect({u: pair[0], v: pair[1], type: type(r), s: startNode(r).id, e: endNode(r).id,
                  props: properties(r)}) AS rels
}
RETURN nodes, rels
