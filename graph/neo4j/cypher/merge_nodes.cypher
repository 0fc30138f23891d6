// Upsert a batch of nodes of one label, each id at most once. Rows: {id, r, u, v} from
// graph/neo4j/cypher_write.py Rows: r holds the replace-rule properties, u the union/min/max ones,
// v indexes the batch's shared provenance in $shared. A new node takes them as they are; an
// existing one merges them by the schema's rules.
UNWIND $rows AS row
MERGE (n:{label} {id: row.id})
  ON CREATE SET n:{base}, n += row.r, n += row.u, n += $shared[row.v]
{on_match}
RETURN count(*) AS written
