CREATE INDEX {name} IF NOT EXISTS FOR (n:{target}) ON (n.{prop})
