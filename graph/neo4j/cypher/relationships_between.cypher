MATCH (a:{base})-[r]->(b:{base})
WHERE a.id IN $ids AND b.id IN $ids
RETURN type(r) AS type, a.id AS s, b.id AS e, properties(r) AS props
