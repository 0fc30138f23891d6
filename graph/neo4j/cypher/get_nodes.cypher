UNWIND $ids AS id
MATCH (n:{base} {id: id})
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
