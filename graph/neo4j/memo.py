"""The Neo4j store's own cache: values kept under a version of the data, dropped when it moves.

The version is the bookmark of the last transaction committed to the database. A view reads
it once, at its first :meth:`GraphView.memo` call (a trivial read: one round trip per question
however many cached structures it uses), and takes the bookmark the store's own writers leave
after each write they make (no round trip), so a view sees this process's writes at once and
other processes' writes from the next view on: take a new view per question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")
# ("db", bookmark) names a state of the database; ("local", n) one this process cannot name.
Version = tuple[str, str | int]


# How many superseded versions are remembered (see Memo.get).
RETIRED = 64


class Memo:
    """Values by key, all under one version; asking under a new version drops them all.

    A version that was current once and has been superseded (a view that read the database's
    version before the last write) gets values kept in the ``local`` dict its caller passes
    (the view's own), so an old view never makes the others rebuild. Thread-safe: two threads
    may build the same value at once (the first one kept wins), but a value built under
    another version is never kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Version | None = None
        self._values: dict[Hashable, Any] = {}
        self._retired: dict[Version, None] = {}

    def get(
        self, version: Version, key: Hashable, build: Callable[[], T], local: dict[Hashable, Any]
    ) -> T:
        with self._lock:
            stale = version in self._retired
            if not stale:
                if self._version != version:
                    if self._version is not None:
                        self._retired[self._version] = None
                        while len(self._retired) > RETIRED:
                            del self._retired[next(iter(self._retired))]
                    self._version, self._values = version, {}
                if key in self._values:
                    return cast(T, self._values[key])
        if stale:
            if (version, key) not in local:
                local[(version, key)] = build()
            return cast(T, local[(version, key)])
        value = build()
        with self._lock:
            if self._version == version:
                value = cast(T, self._values.setdefault(key, value))
        return value

    def peek(self, version: Version, key: Hashable, local: dict[Hashable, Any]) -> Any:
        """The value kept for ``key`` under ``version`` (None if there is none); never
        builds and never changes what is kept."""
        with self._lock:
            if version in self._retired:
                return local.get((version, key))
            return self._values.get(key) if self._version == version else None

    def clear(self) -> None:
        with self._lock:
            self._version, self._values = None, {}
