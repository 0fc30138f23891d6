// Auto-commit only: the first half of clear. Relationships go first, in batches, so that
// deleting a hub node later (an institution with 100k affiliations) is not one huge
// transaction holding all its relationships.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
