// Store each node's hop distance to the nearest high-risk institution (queries/
// risk_distance_neo4j.py; the schema documents risk_hops). $rows: [{id, hops}].
UNWIND $rows AS row
MATCH (n:{base} {id: row.id})
SET n.risk_hops = row.hops
