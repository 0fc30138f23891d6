// Joint papers of two countries, with what is needed to judge their risk.
// An institution is on a paper when an author of the paper is AFFILIATED_WITH it and that
// affiliation lists the paper among its evidence_papers. A paper is joint when institutions
// of both $country and $partner are on it. For each $partner institution: every LISTED_ON
// assertion on it or on an institution it is PART_OF (up to three levels up), so the caller
// can say which list and tier made the paper high-risk. Property names that may be missing
// from a database come as parameters so that Neo4j does not warn about unknown keys.
MATCH (p:Paper)<-[:AUTHORED]-(:Researcher)-[w:AFFILIATED_WITH]->(i:Institution)
WHERE i.country IN [$country, $partner]
  AND p.id IN coalesce(w[$evidence], [])
  AND ($ymin IS NULL OR p.year >= $ymin) AND ($ymax IS NULL OR p.year <= $ymax)
WITH p, collect(DISTINCT i) AS insts
WHERE any(x IN insts WHERE x.country = $country) AND any(x IN insts WHERE x.country = $partner)
UNWIND [x IN insts WHERE x.country = $partner] AS i
WITH p, i, COLLECT {
  MATCH (i)-[:PART_OF]->{0,3}(holder:Institution)-[l:LISTED_ON]->(r:RiskList)
  RETURN DISTINCT {holder: holder.id, list_id: r.id, list_props: properties(r),
                   props: properties(l)}
} AS listings
WITH p, collect({id: i.id, name: i.name, listings: listings}) AS partners
RETURN p.id AS paper, p.year AS year, partners,
       [(p)-[:CONCERNS]->(t:Technology) | {id: t.id, name: t.name, code: t.code}] AS technologies
