// Auto-commit only, after clear_relationships: deletes the nodes in batches, so a large graph
// does not need one huge transaction.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
