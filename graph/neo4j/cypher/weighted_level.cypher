// One level of GraphView.weighted_edges around a node (graph/neo4j/view.py): for each node
// of $frontier, every relationship of the types {types} touching it: [type, whether the node
// is its start, the other end, and for the types in $keyed (those with key properties, whose
// parallel relationships differ only by key) the relationship's elementId]. The caller walks
// on to the other ends it has not seen.
UNWIND $frontier AS nid
MATCH (n:{base} {id: nid})
RETURN nid AS id,
       [(n)-[r:{types}]-(m:{base}) |
         [type(r), startNode(r) = n, m.id,
          CASE WHEN type(r) IN $keyed THEN elementId(r) ELSE null END]] AS rels
