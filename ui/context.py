"""What every command shares: the chosen store (opened lazily, once) and output settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from collabgraph.graph.contract import Store
from collabgraph.graph.open import open_store, store_spec


@dataclass
class AppContext:
    store_spec: str | None = None
    quiet: bool = False
    # Who is looking things up and where that is recorded (ui/audit.py).
    analyst: str | None = None
    audit_log: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def spec(self) -> str:
        return store_spec(self.store_spec)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.store_spec)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
