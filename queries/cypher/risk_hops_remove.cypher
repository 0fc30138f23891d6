// Drop the stored hop distance to risk of nodes no longer within reach of a target.
UNWIND $ids AS nid
MATCH (n:{base} {id: nid})
REMOVE n.risk_hops
