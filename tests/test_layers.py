"""The seam between questions and stores, checked on the source text and the import graph.

The rules (issue 15; more layering rules of issue 18 join this list):
1. ``queries/`` imports neither networkx nor the neo4j driver, never tests ``store.kind``, has no
   ``type: ignore`` and types no store as ``Any``: every question is written once over the
   primitives of graph/contract.py.
2. ``queries/`` holds no Cypher: every Cypher text lives under the Neo4j store (graph/neo4j/).
3. ``graph/`` never imports ``queries/`` (the model does not depend on the questions).
4. networkx and the neo4j driver are imported only under their store, the snapshot writers and
   the user interface (networkx serves returned subgraphs: layout, pyvis, file writers).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """The top-level module names and relative targets ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
    return found


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", _modules("queries"), ids=_rel)
def test_queries_use_only_the_store_primitives(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    imported = _imports(path)
    drivers = {m for m in imported if m.split(".")[0] in ("networkx", "neo4j")}
    assert not drivers, f"{_rel(path)} imports {sorted(drivers)}"
    assert not re.search(r"\.kind\s*[!=]=", text), f"{_rel(path)} tests a store's kind"
    assert "type: ignore" not in text, f"{_rel(path)} silences the type checker"
    assert not re.search(r"store\s*:\s*Any", text), f"{_rel(path)} types a store as Any"
    assert not re.search(r"\._(succ|pred|node|adj)\b", text), f"{_rel(path)} reads networkx"
    assert not re.search(r"\b(MATCH|MERGE|UNWIND)\s*\(", text), f"{_rel(path)} holds Cypher"


def test_queries_hold_no_cypher_files() -> None:
    assert not list((ROOT / "queries").rglob("*.cypher")), "Cypher lives in graph/neo4j/cypher/"


@pytest.mark.parametrize("path", _modules("graph"), ids=_rel)
def test_graph_does_not_import_queries(path: Path) -> None:
    imported = _imports(path)
    bad = {m for m in imported if m.startswith(("collabgraph.queries", "..queries", "...queries"))}
    assert not bad, f"{_rel(path)} imports {sorted(bad)}"


ALLOWED_DRIVERS = {
    "neo4j": ("graph/neo4j/", "graph/open.py"),
    "networkx": ("graph/snapshot/", "ui/"),
}


@pytest.mark.parametrize(
    "path", [*_modules("graph"), *_modules("ingest"), *_modules("queries")], ids=_rel
)
def test_drivers_stay_under_their_store(path: Path) -> None:
    for driver, homes in ALLOWED_DRIVERS.items():
        if any(m.split(".")[0] == driver for m in _imports(path)):
            assert _rel(path).startswith(homes), f"{_rel(path)} imports {driver}"
