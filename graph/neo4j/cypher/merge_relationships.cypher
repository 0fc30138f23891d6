// Upsert a batch of relationships of one type. Rows: {s, e, r, u, v} (as for merge_nodes). Missing
// endpoints match nothing, so `written` falls short of the row count and the store rolls the
// batch back. Both MATCHes are unique-index seeks on the endpoint's schema label.
UNWIND $rows AS row
MATCH (a:{start} {id: row.s})
MATCH (b:{end} {id: row.e})
MERGE (a)-[r:{type} {key}]->(b)
{on_create}
{on_match}
RETURN count(*) AS written
