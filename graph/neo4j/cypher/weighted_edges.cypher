// GraphView.weighted_edges over the whole graph, one relationship type (its endpoint labels
// fixed by the schema): each start node with the ends of its relationships, loops left out.
// One row per start node with a list is several times faster to read than a row per
// relationship.
MATCH (a:{start})
RETURN a.id AS s, [(a)-[:{type}]->(b:{end}) WHERE b <> a | b.id] AS es
