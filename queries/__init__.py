"""Investigator questions, each defined once, with their Cypher in ``queries/cypher/``."""
