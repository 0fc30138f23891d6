// GraphView.links, direction out: the relationships of one type leaving each node of $ids.
UNWIND $ids AS nid
MATCH (n:{base} {id: nid})-[r:{type}]->(m)
RETURN nid AS id, m.id AS e, properties(r) AS props
