// What screening needs to know about each institution in $ids: its listings (own, and those
// of institutions it is PART_OF, up to three levels up), its military links, and our people
// near it. Members: researchers AFFILIATED_WITH it or with a unit PART_OF it (up to two levels
// down). Ours: researchers with an affiliation in $home. Each of our researchers is one hop
// away (a member) or two (a co-author of a member on a shared paper).
UNWIND $ids AS iid
MATCH (i:Institution {id: iid})
RETURN i.id AS id, properties(i) AS props,
  COLLECT {
    MATCH (i)-[:PART_OF]->{0,3}(h:Institution)-[l:LISTED_ON]->(r:RiskList)
    RETURN DISTINCT {holder: h.id, list_id: r.id, list_props: properties(r),
                     props: properties(l)}
  } AS listings,
  COLLECT {
    MATCH (i)-[m:MILITARY_LINK]-(o:Institution)
    RETURN {start: startNode(m).id, end: endNode(m).id, props: properties(m), other: o.id,
            other_name: o.name}
  } AS military,
  COLLECT {
    MATCH (i)<-[:PART_OF]-{0,2}(:Institution)<-[:AFFILIATED_WITH]-(x:Researcher)
    RETURN DISTINCT x.id
  } AS members,
  COLLECT {
    MATCH (x:Researcher)-[:AFFILIATED_WITH]->(h:Institution)
    WHERE h.country = $home
      AND EXISTS { MATCH (i)<-[:PART_OF]-{0,2}(:Institution)<-[:AFFILIATED_WITH]-(x) }
    RETURN DISTINCT x.id
  } AS our_members,
  COLLECT {
    MATCH (i)<-[:PART_OF]-{0,2}(:Institution)<-[:AFFILIATED_WITH]-(y:Researcher)
          -[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(x:Researcher)-[:AFFILIATED_WITH]->(h:Institution)
    WHERE h.country = $home AND x <> y
    RETURN DISTINCT {researcher: x.id, paper: p.id, year: p.year}
  } AS coauthorships
