// Which labels the endpoints of a failed relationship batch actually have (null: no node).
UNWIND $rows AS row
OPTIONAL MATCH (a:{base} {id: row.s})
OPTIONAL MATCH (b:{base} {id: row.e})
RETURN row.s AS s, row.e AS e, labels(a) AS start_labels, labels(b) AS end_labels
