"""Investigator questions, each written once over the store primitives (graph/contract.py)."""
