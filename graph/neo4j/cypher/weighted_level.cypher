// One level of GraphView.weighted_edges around a node (graph/neo4j/view.py): every
// relationship of the types {types} touching a node of $frontier, with its ends; the caller
// walks on to the other ends it has not seen. elementId identifies a relationship met twice.
UNWIND $frontier AS nid
MATCH (n:{base} {id: nid})-[r:{types}]-(m:{base})
RETURN elementId(r) AS rid, startNode(r).id AS s, endNode(r).id AS e, type(r) AS type,
       m.id AS m
