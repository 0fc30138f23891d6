// Cypher snapshot script: one batch of relationships (endpoints were created earlier in the
// script). The exporter inlines $rows as a Cypher literal (graph/snapshot/cypher_script.py).
UNWIND $rows AS row MATCH (a:{start} {id: row.s}) MATCH (b:{end} {id: row.e}) MERGE (a)-[r:{type} {key}]->(b) SET r += row.p
