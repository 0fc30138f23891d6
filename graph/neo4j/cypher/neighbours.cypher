// Relationships touching one node, with the node at the other end.
MATCH (n:{base} {id: $id})-[r]-(m)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($direction = 'both'
       OR ($direction = 'out' AND startNode(r) = n)
       OR ($direction = 'in' AND endNode(r) = n))
RETURN type(r) AS type, startNode(r).id AS s, endNode(r).id AS e, properties(r) AS props,
       m.id AS other_id, labels(m) AS other_labels, properties(m) AS other_props
