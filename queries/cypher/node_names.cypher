// Every name a node answers to, for fuzzy lookup of a user's QUERY (papers by title).
MATCH (n)
WHERE n:Researcher OR n:Institution OR n:Paper OR n:Technology OR n:RiskList
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label,
       [x IN [n.name, n.title] + coalesce(n.names, []) + coalesce(n.aliases, [])
             + coalesce(n.acronyms, []) + coalesce(n.name_variants, [])
             + coalesce(n.names_zh, []) WHERE x IS NOT NULL] AS names
