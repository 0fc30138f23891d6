// GraphView.listings: the listings of the given institutions, with their risk list nodes.
UNWIND $ids AS iid
MATCH (i:Institution {id: iid})-[l:LISTED_ON]->(r:RiskList)
RETURN i.id AS institution, r.id AS list_id, properties(r) AS list_props, properties(l) AS props
