// GraphView.relationships_along: the relationships of the types {types} between the two nodes
// of each pair in $pairs ([u, v] lists), either direction, that pass the year window.
UNWIND $pairs AS pair
MATCH (u:{base} {id: pair[0]})-[r:{types}]-(v:{base} {id: pair[1]})
WHERE {rel_window}
RETURN pair[0] AS u, pair[1] AS v, type(r) AS type, startNode(r).id AS s, endNode(r).id AS e,
       properties(r) AS props
