"""Choosing and opening a store from a ``--store`` value or ``COLLABGRAPH_STORE``.

A path means the embedded store (default: ``collabgraph.db`` in the working
directory); a ``bolt://``, ``neo4j://`` or ``neo4j+s://`` URI (and their ``+ssc`` forms) means
Neo4j, with credentials from ``NEO4J_USER`` and ``NEO4J_PASSWORD`` (or ``NEO4J_PASSWORD_FILE``).
Any other value that starts with a scheme (letters, then ``:``) is refused, not taken as a path.
Credentials are never part of what :attr:`Store.location` or any message shows.
"""

from __future__ import annotations

import atexit
import os
import re
from pathlib import Path

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from .contract import Store
from .embedded import EmbeddedStore
from .errors import StoreError

DEFAULT_STORE = "collabgraph.db"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

# A value that starts like a URI scheme ("bolt:", "http:", "foo:"). Such a value is a URI or a
# mistake, never taken as a file path: a file whose name has a colon before any "/" is written
# "./a:b.db" ("data/a:b.db" is a path already).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

_drivers: dict[str, Driver] = {}


def store_spec(explicit: str | None = None) -> str:
    """The store the user asked for: ``--store``, else ``COLLABGRAPH_STORE``, else the default.

    Raises :class:`StoreError` for a value with a URI scheme that is not one of
    :data:`NEO4J_SCHEMES` (``bolt:/localhost``, ``http://x``, ``foo:bar``).
    """
    spec = explicit or os.environ.get("COLLABGRAPH_STORE") or DEFAULT_STORE
    check_spec(spec)
    return spec


def check_spec(spec: str) -> None:
    """Refuse a value that looks like a URI but is not a Neo4j one (see :func:`store_spec`)."""
    if is_neo4j(spec) or not _SCHEME.match(spec):
        return
    accepted = ", ".join(NEO4J_SCHEMES)
    raise StoreError(
        f"--store {safe_uri(spec)!r}: not a store URI; give a file path (./NAME for a file "
        f"whose name has a colon) or a Neo4j URI starting {accepted}"
    )


def is_neo4j(spec: str) -> bool:
    return spec.lower().startswith(NEO4J_SCHEMES)


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME")
    password = os.environ.get("NEO4J_PASSWORD")
    password_file = os.environ.get("NEO4J_PASSWORD_FILE")
    if password is None and password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise StoreError(
                f"cannot read NEO4J_PASSWORD_FILE {password_file}: {exc.strerror}"
            ) from None
    if password is None:
        return None
    return (user or "neo4j", password)


def safe_uri(uri: str) -> str:
    """``uri`` without any ``user:password@`` part, for messages."""
    scheme, sep, rest = uri.partition("://")
    return f"{scheme}{sep}{rest.rsplit('@', 1)[-1]}" if sep else uri


def connect(uri: str) -> Driver:
    """One driver per URI per process, checked for connectivity before it is handed out."""
    if uri in _drivers:
        return _drivers[uri]
    auth = _credentials()
    shown = safe_uri(uri)
    try:
        driver = GraphDatabase.driver(uri, auth=auth)
    except (ConfigurationError, ValueError) as exc:
        # The driver's own message repeats the URI, credentials included: never show it.
        raise StoreError(
            f"cannot use the Neo4j URI {shown} ({type(exc).__name__}): give credentials in "
            "NEO4J_USER and NEO4J_PASSWORD, not in the URI"
        ) from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise StoreError(
            f"Neo4j at {shown} refused the credentials: check NEO4J_USER and NEO4J_PASSWORD"
        ) from None
    except (ServiceUnavailable, OSError, ValueError) as exc:
        driver.close()
        raise StoreError(
            f"cannot reach Neo4j at {shown} ({type(exc).__name__}): is the server "
            "running and is the URI right? (docker compose up neo4j)"
        ) from None
    _drivers[uri] = driver
    return driver


@atexit.register
def _close_drivers() -> None:
    for driver in _drivers.values():
        driver.close()
    _drivers.clear()


def open_store(spec: str | None = None, *, database: str | None = None) -> Store:
    """Open the store named by ``spec`` (see :func:`store_spec`)."""
    chosen = store_spec(spec)
    if is_neo4j(chosen):
        from .neo4j import Neo4jStore

        return Neo4jStore(
            connect(chosen),
            database=database or os.environ.get("NEO4J_DATABASE"),
            uri=safe_uri(chosen),
        )
    return EmbeddedStore(chosen)
