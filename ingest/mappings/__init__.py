"""Mapping files for `collabgraph ingest table --mapping` (package data)."""
