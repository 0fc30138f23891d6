// One level of the multi-source breadth-first search that builds the Neo4j distance-to-risk
// index (queries/risk_distance_neo4j.py): the ids of every neighbour of the frontier over the
// traversable relationship types, undirected. The caller keeps those it has not seen yet.
UNWIND $frontier AS uid
MATCH (:{base} {id: uid})-[r]-(v:{base})
WHERE type(r) IN $types
RETURN DISTINCT v.id AS v
