// GraphView.risky_institutions: institutions with a listing or their own tier (every one
// with $all), one row per listing (list_id null if none). The store computes the effective
// tier (graph/risk.py) and applies the floor. $tier names the tier property.
MATCH (i:Institution)
WHERE $all OR i[$tier] IS NOT NULL OR EXISTS { (i)-[:LISTED_ON]->(:RiskList) }
OPTIONAL MATCH (i)-[l:LISTED_ON]->(r:RiskList)
RETURN i.id AS institution, i.name AS name, i[$tier] AS own_tier,
       r.id AS list_id, properties(r) AS list_props, properties(l) AS props
