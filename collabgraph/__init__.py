"""collabgraph: a collaboration knowledge graph for research security.

The code lives in the top-level folders graph/, ingest/, queries/ and ui/; this package maps
them in as ``collabgraph.graph`` and so on (see ARCHITECTURE.md).
"""

__version__ = "0.1.0"
