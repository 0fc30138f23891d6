// Institutions with a listing or a derived tier, one row per listing (list_id null if none).
// The caller computes the effective tier (queries/common.py) and applies the minimum.
MATCH (i:Institution)
WHERE i.tier IS NOT NULL OR EXISTS { (i)-[:LISTED_ON]->(:RiskList) }
OPTIONAL MATCH (i)-[l:LISTED_ON]->(r:RiskList)
RETURN i.id AS institution, i.name AS name, i.tier AS own_tier,
       r.id AS list_id, properties(r) AS list_props, properties(l) AS props
ORDER BY institution, list_id
