// Every node's stored hop distance to risk (the property named by $hops_key), for
// queries/risk_distance_neo4j.py to write only what changed.
MATCH (n:{base})
WHERE n[$hops_key] IS NOT NULL
RETURN n.id AS id, n[$hops_key] AS hops
