// GraphView.with_property: nodes of one label whose property {prop} (a schema property name,
// never input) is one of $values; the researcher orcid and openalex_id indexes serve it.
MATCH (n:{label})
WHERE n.{prop} IN $values
RETURN n.{prop} AS value, n.id AS id
