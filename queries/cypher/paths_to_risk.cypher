// Shortest paths from one node to institutions at or above a tier, undirected, bounded.
// The quantifier's upper bound is filled in by queries/paths.py with max_hops, an int from
// 1 to 6 it has checked: Cypher accepts no parameter there. ALL SHORTEST stops, for each
// target, at the shortest length that reaches it, so a hub never makes it enumerate longer
// paths; the caller keeps k of each target's paths in a fixed order (length, node ids,
// relationship keys). Properties that may not exist in a database yet are read by name from
// a parameter ($first_year, $last_year) so that Neo4j does not warn about unknown keys.
// Year window ($ymin/$ymax, null = open): papers by year, affiliations by their years,
// co-authorships by their first/last year.
MATCH (s:{base} {id: $source})
MATCH p = ALL SHORTEST (s)
  ((a)-[r WHERE type(r) IN $types
     AND (($ymin IS NULL AND $ymax IS NULL)
          OR (type(r) = 'AFFILIATED_WITH'
              AND (size(coalesce(r['years'], [])) = 0
                   OR any(y IN r['years'] WHERE ($ymin IS NULL OR y >= $ymin)
                                          AND ($ymax IS NULL OR y <= $ymax))))
          OR (type(r) = 'CO_AUTHORED'
              AND ($ymin IS NULL OR r[$last_year] >= $ymin)
              AND ($ymax IS NULL OR r[$first_year] <= $ymax))
          OR NOT type(r) IN ['AFFILIATED_WITH', 'CO_AUTHORED'])]-
   (b WHERE NOT b:Paper
       OR (($ymin IS NULL OR b.year >= $ymin) AND ($ymax IS NULL OR b.year <= $ymax))))
  {1,{hops}}
  (t:Institution WHERE t.id <> $source
     AND (trim(replace(replace(toLower(coalesce(t.tier, '')), '_', ' '), '-', ' ')) IN $tiers
          OR EXISTS {
            MATCH (t)-[l:LISTED_ON]->(:RiskList)
            WHERE trim(replace(replace(toLower(coalesce(l.tier, '')), '_', ' '), '-', ' '))
                  IN $tiers
          }))
RETURN [n IN nodes(p) | {id: n.id, labels: labels(n), props: properties(n)}] AS nodes,
       [x IN relationships(p) | {type: type(x), s: startNode(x).id, e: endNode(x).id,
                                 props: properties(x)}] AS rels
