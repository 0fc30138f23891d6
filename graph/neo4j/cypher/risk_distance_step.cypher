// One level of the multi-source breadth-first search that builds the distance-to-risk index
// (graph/neo4j/risk_index.py): the ids of the neighbours u of the frontier over the
// traversable types {types}, undirected, that a path may step on towards the frontier: the
// relationship passes the year window and so does u. The caller keeps those it has not seen.
UNWIND $frontier AS vid
MATCH (:{base} {id: vid})-[r:{types}]-(u:{base})
WHERE {rel_window} AND {node_window}
RETURN DISTINCT u.id AS u
