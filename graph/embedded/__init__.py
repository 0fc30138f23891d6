"""The embedded store: one SQLite file (WAL) and an in-memory CSR adjacency built from it.

:mod:`.db` holds the schema and lookups, :mod:`.adjacency` the CSR arrays, :mod:`.store`
the store, :mod:`.writer` its bulk writer, :mod:`.view` the reads (with the question
primitives of :mod:`.primitives`), :mod:`.legacy` the reader of the previous file format.
"""

from .db import FORMAT, FORMAT_VERSION
from .store import EmbeddedStore
from .view import EmbeddedView
from .writer import EmbeddedWriter

__all__ = ["FORMAT", "FORMAT_VERSION", "EmbeddedStore", "EmbeddedView", "EmbeddedWriter"]
