// One hop of a neighbourhood: for each frontier node, its neighbours that pass the filters,
// strongest first (strength: co-authored papers, affiliation evidence papers, else 1 per
// relationship), then by id; only one page of them ($cap from $offset for the centre node,
// from 0 for the others) plus how many there are, so a hub never floods the result.
// Filters: $types; papers in the year window ($ymin/$ymax) and concerning $technology;
// institutions at or above a tier ($tiers, null = any). Property names that may be missing
// from a database come as parameters so that Neo4j does not warn about unknown keys.
UNWIND $frontier AS fid
MATCH (n:{base} {id: fid})-[r]-(m)
WHERE type(r) IN $types
  AND (NOT m:Paper OR (($ymin IS NULL OR m.year >= $ymin) AND ($ymax IS NULL OR m.year <= $ymax)))
  AND ($technology IS NULL OR NOT m:Paper
       OR EXISTS { MATCH (m)-[:CONCERNS]->(t:Technology) WHERE t.id = $technology })
  AND ($tiers IS NULL OR NOT m:Institution
       OR trim(replace(replace(toLower(coalesce(m[$tier], '')), '_', ' '), '-', ' ')) IN $tiers
       OR EXISTS {
         MATCH (m)-[l:LISTED_ON]->(:RiskList)
         WHERE trim(replace(replace(toLower(coalesce(l[$tier], '')), '_', ' '), '-', ' '))
               IN $tiers
       })
WITH n, m, collect(r) AS rels,
     sum(CASE type(r)
           WHEN 'CO_AUTHORED' THEN coalesce(r[$papers], 1)
           WHEN 'AFFILIATED_WITH' THEN
             CASE WHEN size(coalesce(r[$evidence], [])) > 1
                  THEN size(r[$evidence]) ELSE 1 END
           ELSE 1 END) AS strength
ORDER BY strength DESC, m.id
WITH n, collect({id: m.id, labels: labels(m), props: properties(m), strength: strength,
                 rels: [x IN rels | {type: type(x), s: startNode(x).id, e: endNode(x).id,
                                     props: properties(x)}]}) AS found
WITH n, found, CASE WHEN n.id = $centre THEN $offset ELSE 0 END AS skip
RETURN n.id AS id, size(found) AS total, found[skip..skip + $cap] AS page
