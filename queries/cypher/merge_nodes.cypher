// Upsert a batch of nodes of one label. Rows: {id, p: {property: value}}.
UNWIND $rows AS row
MERGE (n:{label} {id: row.id})
  ON CREATE SET n:{base}
{set}
RETURN count(*) AS written
