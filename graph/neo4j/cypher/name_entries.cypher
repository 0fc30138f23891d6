// GraphView.name_entries: the name properties ($keys, graph/contract.py NAME_PROPS) of every
// node of one label, in the order of $keys (null where a node lacks one). Reading them by name
// keeps Neo4j from warning about keys a database does not use yet.
MATCH (n:{label})
RETURN n.id AS id, [key IN $keys | n[key]] AS names
