"""Shared fixtures: the Neo4j test server (once per session), stores, and the shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from collabgraph.graph.embedded import EmbeddedStore

from . import neo4j_server
from .sample_stores import sample, sample_embedded, sample_neo4j  # noqa: F401  (shared fixtures)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property-based tests: CI replays the same generated cases on every run, so a red build is
# reproducible and never a coin toss; a developer's run explores new cases each time (and keeps
# any failing one in .hypothesis/ to replay first next time).
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")
SHARED = Path(
    os.environ.get(
        "COLLABGRAPH_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
)
_server_report: list[str] = []


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or a skip (a failure in CI) that names what is missing."""
    path = SHARED / relative
    if not path.exists():
        message = (
            f"{path} is missing: these tests read the reference data in ../shared/data "
            "(set COLLABGRAPH_SHARED_DATA to its location)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true, so Neo4j tests must run: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A Bolt URI: $NEO4J_URI if set, else the harness server started for this session."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    try:
        server = neo4j_server.start()
    except neo4j_server.ServerUnavailable as exc:
        _unavailable(str(exc))
        raise  # unreachable: _unavailable skips or fails
    _server_report.append(
        f"Neo4j test server (5.26 harness) started in "
        f"{server.startup_seconds:.1f} s at {server.uri}"
    )
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str) -> Iterator[Any]:
    from collabgraph.graph.open import connect

    yield connect(neo4j_uri)


@pytest.fixture
def neo4j_store(neo4j_driver: Any, neo4j_uri: str) -> Iterator[Any]:
    """An empty Neo4j store (the database is cleared before each test)."""
    from collabgraph.graph.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_driver, uri=neo4j_uri)
    store.clear()
    yield store


@pytest.fixture
def embedded_store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "graph.db")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Any:
    """Each store kind in turn: the contract suite runs once per back-end."""
    return request.getfixturevalue(f"{request.param}_store")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _server_report:
        terminalreporter.write_line(line)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A Neo4j test that only needs the server through a fixture still gets the marker.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if any(f.startswith("neo4j") for f in fixtures):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(autouse=True)
def _private_audit_log(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit entries, judgements and erasures made for a Neo4j store go to temporary files in
    tests, never to $HOME or the working directory (an embedded store keeps them beside its
    file)."""
    state = tmp_path_factory.mktemp("state")
    if "COLLABGRAPH_AUDIT_LOG" not in os.environ:
        monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(state / "audit.jsonl"))
    if "COLLABGRAPH_JUDGEMENTS" not in os.environ:
        monkeypatch.setenv("COLLABGRAPH_JUDGEMENTS", str(state / "judgements.jsonl"))
    if "COLLABGRAPH_ERASURES" not in os.environ:
        monkeypatch.setenv("COLLABGRAPH_ERASURES", str(state / "erasures.jsonl"))
