// GraphView.paper_institutions: papers in the year window with the institutions of
// $countries on them. An institution is on a paper when an author of the paper is
// AFFILIATED_WITH it and that affiliation lists the paper among its evidence papers ($evidence
// names the property, so that Neo4j does not warn about a key a database lacks).
MATCH (x:Researcher)-[w:AFFILIATED_WITH]->(i:Institution)
WHERE i.country IN $countries
UNWIND coalesce(w[$evidence], []) AS pid
MATCH (x)-[:AUTHORED]->(p:Paper {id: pid})
WHERE {node_window}
RETURN p.id AS id, p.year AS year, collect(DISTINCT [i.id, i.country]) AS institutions
