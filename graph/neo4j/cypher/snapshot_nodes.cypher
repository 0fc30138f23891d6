// Cypher snapshot script: one batch of nodes. The exporter inlines $rows as a Cypher literal
// (graph/snapshot/cypher_script.py) so the script runs in cypher-shell without parameters.
UNWIND $rows AS row MERGE (n:{label} {id: row.id}) ON CREATE SET n:{base} SET n += row.p
