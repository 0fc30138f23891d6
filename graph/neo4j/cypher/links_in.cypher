// GraphView.links, direction in: the relationships of one type arriving at each node of $ids.
UNWIND $ids AS nid
MATCH (n:{base} {id: nid})<-[r:{type}]-(m)
RETURN nid AS id, m.id AS s, properties(r) AS props
