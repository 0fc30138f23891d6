MATCH (a)-[r:{type}]->(b)
RETURN type(r) AS type, a.id AS s, b.id AS e, properties(r) AS props
