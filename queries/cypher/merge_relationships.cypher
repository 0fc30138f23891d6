// Upsert a batch of relationships of one type. Rows: {s, e, p}. Missing endpoints match
// nothing, so `written` falls short of the row count and the store rolls the batch back.
UNWIND $rows AS row
MATCH (a:{start} {id: row.s})
MATCH (b:{end} {id: row.e})
MERGE (a)-[r:{type} {key}]->(b)
{set}
RETURN count(*) AS written
