// Every relationship of the weighted types, for the whole-graph exposure ranking
// (queries/exposure.py scores them; the weights never reach the database).
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
RETURN a.id AS s, b.id AS e, type(r) AS type, r['kind'] AS kind,
       [l IN labels(a) WHERE l <> '{base}'][0] AS s_label,
       [l IN labels(b) WHERE l <> '{base}'][0] AS e_label
