// Every name a node answers to, for fuzzy lookup of a user's QUERY (papers by title).
// $keys names the properties to read (strings or lists of strings); reading them by name
// keeps Neo4j from warning about keys a database does not use yet.
MATCH (n)
WHERE n:Researcher OR n:Institution OR n:Paper OR n:Technology OR n:RiskList
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label,
       [key IN $keys WHERE n[key] IS NOT NULL | n[key]] AS names
