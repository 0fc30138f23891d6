// A read that does nothing: the store (graph/neo4j/store.py) runs it for the bookmark the
// server returns with it, which names the last transaction committed to the database.
RETURN 1 AS ok
