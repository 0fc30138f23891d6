"""The Neo4j server the benchmarks use: the URI given, else the test harness server.

The harness server is started at most once per benchmark run (tests/neo4j_server.py; a JVM
takes ~10 s) and stopped at the end of the run.
"""

from __future__ import annotations

import logging
from typing import Any

from .harness import Config


class Neo4jUnavailable(RuntimeError):
    pass


def _uri(config: Config) -> str:
    uri = config.neo4j_uri
    if uri is None:
        if "neo4j_server" not in config._cache:
            try:
                from tests import neo4j_server
            except ImportError as exc:
                raise Neo4jUnavailable("tests/neo4j_server.py missing") from exc
            config.log("starting the Neo4j harness server")
            try:
                config._cache["neo4j_server"] = neo4j_server.start()
            except neo4j_server.ServerUnavailable as exc:
                raise Neo4jUnavailable(str(exc).splitlines()[0]) from exc
        uri = config._cache["neo4j_server"].uri
    assert uri is not None
    return str(uri)


def reopen(config: Config) -> Any:
    """A new Neo4jStore object on the run's server, its data kept: its caches start empty."""
    from collabgraph.graph.neo4j import Neo4jStore
    from collabgraph.graph.open import connect

    # Count queries over types with no rows yet make the server warn; it is not our problem.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    uri = _uri(config)
    return Neo4jStore(connect(uri), uri=uri)


def store(config: Config) -> Any:
    """A cleared Neo4jStore on the run's server."""
    result = reopen(config)
    result.clear()
    return result


def stop(config: Config) -> None:
    server = config._cache.pop("neo4j_server", None)
    if server is not None:
        server.stop()
