// GraphWriter.delete_relationships, one type: the relationships named by $rows ({s, e, k}: the
// ends and the key property values as text, graph/records.py Relationship.key), matched by
// their ends' unique ids and by {key} (schema-derived, graph/neo4j/cypher_write.py).
UNWIND $rows AS row
MATCH (a:{start} {id: row.s})-[r:{type}]->(b:{end} {id: row.e})
WHERE {key}
DELETE r
RETURN count(*) AS deleted
