// The relationships of the weighted types within reach of one node: every node at fewer than
// max_hops hops (found with one shortest path each, so hubs are not enumerated path by path)
// and the relationships leaving it. The quantifier bound is max_hops - 1, filled in by
// queries/exposure.py (an int it has checked; Cypher takes no parameter there).
MATCH (s:{base} {id: $id})
MATCH p = SHORTEST 1 (s)(()-[x WHERE type(x) IN $types]-()){0,{inner}}(n)
WITH DISTINCT n
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
RETURN startNode(r).id AS s, endNode(r).id AS e, type(r) AS type, r['kind'] AS kind,
       [l IN labels(startNode(r)) WHERE l <> '{base}'][0] AS s_label,
       [l IN labels(endNode(r)) WHERE l <> '{base}'][0] AS e_label
