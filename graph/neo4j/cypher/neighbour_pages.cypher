// GraphView.neighbour_pages: for each frontier node, its neighbours over the types {types}
// that pass the filters, strongest first (the sum over the relationships to it of
// graph/contract.py link_strength: co-authored papers, affiliation evidence papers, else 1),
// then by id; one page of them ($cap after $skip[id], default 0) and how many there are, so a
// hub never floods the result. A frontier id that names no node gives no row. Filters: papers in the year window and, with $technology, that
// CONCERN it; with $tier_ids set, an institution passes when (its id IN $tier_ids) = $tier_in
// (the store lists the institutions whose effective tier is, or is not, wanted). Property
// names that may be missing from a database come as parameters so that Neo4j does not warn.
UNWIND $frontier AS fid
MATCH (n:{base} {id: fid})
CALL (n) {
  MATCH (n)-[r:{types}]-(m:{base})
  WHERE {node_window}
    AND ($technology IS NULL OR NOT m:Paper
         OR EXISTS { MATCH (m)-[:CONCERNS]->(t:Technology) WHERE t.id = $technology })
    AND ($tier_ids IS NULL OR NOT m:Institution OR (m.id IN $tier_ids) = $tier_in)
  WITH m, collect(r) AS rels,
       sum(CASE type(r)
             WHEN 'CO_AUTHORED' THEN coalesce(r[$papers], 1)
             WHEN 'AFFILIATED_WITH' THEN
               CASE WHEN size(coalesce(r[$evidence], [])) > 1
                    THEN size(r[$evidence]) ELSE 1 END
             ELSE 1 END) AS strength
  ORDER BY strength DESC, m.id
  RETURN collect({m: m, rels: rels, strength: strength}) AS found
}
WITH n, found, coalesce($skip[n.id], 0) AS skip
RETURN n.id AS id, size(found) AS total,
       [x IN found[skip..skip + $cap] |
         {id: x.m.id, labels: labels(x.m), props: properties(x.m), strength: x.strength,
          rels: [y IN x.rels | {type: type(y), s: startNode(y).id, e: endNode(y).id,
                                props: properties(y)}]}] AS page
