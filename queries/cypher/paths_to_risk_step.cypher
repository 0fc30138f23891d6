// One level of the pruned paths_to_risk search on Neo4j (queries/risk_distance_neo4j.py):
// every neighbour of the frontier nodes over the traversable relationship types, undirected,
// one row per frontier node with the list of its neighbours (thousands of one-pair rows cost
// more to send than to find). With $left set, only neighbours whose stored hop distance to
// risk (the property named by $hops_key) is at most $left are returned, so the rest never
// cross the wire; the caller checks its own copy of the distances as well.
// Used only without a year window, so nothing is filtered by year here.
UNWIND $frontier AS uid
MATCH (u:{base} {id: uid})-[r]-(v:{base})
WHERE type(r) IN $types AND v <> u AND ($left IS NULL OR v[$hops_key] <= $left)
RETURN uid AS u, collect(DISTINCT v.id) AS vs
