// A read that does nothing: queries/risk_distance_neo4j.py runs it for the bookmark the server
// returns with it, which names the last transaction committed to the database.
RETURN 1 AS ok
