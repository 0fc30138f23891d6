// The id of every node of one label (the whole-graph GraphView.weighted_edges lists them all).
MATCH (n:{label})
RETURN n.id AS id
