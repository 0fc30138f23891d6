// GraphView.named_exactly, one label: nodes whose name (title for a paper, the property
// {prop} the schema gives the label) is exactly $name, served by the name and title indexes.
// The store joins one of these per label with UNION.
MATCH (n:{label} {{prop}: $name})
RETURN n.id AS id
