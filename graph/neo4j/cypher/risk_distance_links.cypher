// One level of the search that builds the distance-to-risk index (graph/neo4j/risk_index.py),
// keeping the links: every neighbour u of the nodes x in $frontier (all at the same distance
// from a target) over the traversable types {types}, undirected, no loops, along a
// relationship that passes the year window, with whether a path may step on u (the year
// window again). The index keeps the pairs, so that the last levels of a path search (steps
// into the nodes nearest a target) need no query of their own.
UNWIND $frontier AS xid
MATCH (:{base} {id: xid})-[r:{types}]-(u:{base})
WHERE u.id <> xid AND {rel_window}
RETURN DISTINCT xid AS x, u.id AS u, {node_window} AS passes
