// GraphView.weighted_edges over the whole graph, one relationship type (its endpoint labels
// fixed by the schema): each start node with the ends of its relationships, loops left out.
MATCH (a:{start})-[:{type}]->(b:{end})
WHERE a <> b
RETURN a.id AS s, collect(b.id) AS es
