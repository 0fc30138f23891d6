// GraphView.risk_steps: every neighbour v of the frontier nodes u over the traversable types
// {types}, undirected, no loops, along a relationship that passes the year window, when v
// passes it too; one row per frontier node with the list of its neighbours (thousands of
// one-pair rows cost more to send than to find). With $near set, only neighbours in it (the
// nodes near enough to a target, when they are few) cross the wire; the caller checks the
// distances itself as well.
UNWIND $frontier AS uid
MATCH (u:{base} {id: uid})-[r:{types}]-(v:{base})
WHERE v <> u AND ($near IS NULL OR v.id IN $near) AND {rel_window} AND {node_window}
RETURN uid AS u, collect(DISTINCT v.id) AS vs
