"""``collabgraph forget``: removes a person and their links on both stores, keeps an audit entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.records import Node, Relationship
from collabgraph.ingest.derive import derive
from collabgraph.ui import audit
from collabgraph.ui.cli import cli

from ..factories import load, prov, tiny_graph


def _graph(store: Any) -> None:
    nodes, rels = tiny_graph()
    nodes.append(Node("Researcher", "openalex:A3", prov(name="Marie Dubois", source_record="A3")))
    rels.append(Relationship("AUTHORED", "openalex:A3", "openalex:W1", prov(year=2021)))
    load(store, nodes, rels)
    derive(store)


def _spec(store: Any) -> str:
    return store.location if store.kind == "embedded" else store._uri


def _forget(store: Any, log: Path, *args: str, input: str | None = None) -> Any:
    argv = ["--store", _spec(store), "--audit-log", str(log), "--analyst", "dpo", "forget", *args]
    return CliRunner().invoke(cli, argv, input=input)


def _reload(store: Any) -> Any:
    if store.kind == "embedded":
        from collabgraph.graph.embedded import EmbeddedStore

        return EmbeddedStore(store.path)
    return store


def test_forget_removes_the_person_and_links_only(store: Any, tmp_path: Path) -> None:
    _graph(store)
    before = store.view().counts()
    assert before.relationships["CO_AUTHORED"] == 3, before
    log = tmp_path / "audit.jsonl"
    result = _forget(store, log, "openalex:A1", "--yes", "--reason", "erasure request 7")
    assert result.exit_code == 0, result.output
    after_store = _reload(store)
    view = after_store.view()
    assert view.get_node("openalex:A1") is None
    after = view.counts()
    assert after.nodes["Researcher"] == before.nodes["Researcher"] - 1, after
    assert after.nodes["Paper"] == before.nodes["Paper"], "papers stay"
    assert after.nodes["Institution"] == before.nodes["Institution"], "institutions stay"
    assert after.relationships["AUTHORED"] == before.relationships["AUTHORED"] - 1, after
    assert after.relationships["AFFILIATED_WITH"] == before.relationships["AFFILIATED_WITH"] - 1
    assert after.relationships["CO_AUTHORED"] == 1, "only A2-A3 is left"
    assert after.relationships["LISTED_ON"] == before.relationships["LISTED_ON"]
    remaining = [r for r in view.iter_relationships() if "openalex:A1" in (r.start, r.end)]
    assert remaining == [], remaining
    entries = [e for e in audit.read_entries(log) if e["command"] == "forget"]
    assert len(entries) == 1, entries
    entry = entries[0]
    assert entry["analyst"] == "dpo" and entry["params"]["id"] == "openalex:A1", entry
    assert entry["params"]["reason"] == "erasure request 7" and entry["results"] == 4, entry
    assert "Ann Peeters" not in log.read_text(), "the log keeps the id, not the stored name"
    # Recomputing derived facts does not bring anything of the person back.
    derive(after_store)
    assert after_store.view().counts().relationships["CO_AUTHORED"] == 1


def test_forget_asks_and_does_nothing_on_no(store: Any, tmp_path: Path) -> None:
    _graph(store)
    log = tmp_path / "audit.jsonl"
    result = _forget(store, log, "Ann Peeters", input="n\n")
    assert result.exit_code == 1, result.output
    # CliRunner calls the group directly: the CLI's main() prints this error as one line.
    assert "nothing deleted" in str(result.exception), result.output
    assert _reload(store).view().get_node("openalex:A1") is not None
    commands = [e["command"] for e in audit.read_entries(log)]
    assert commands == ["forget-requested"], commands
    result = _forget(store, log, "ann peeters", input="y\n")
    assert result.exit_code == 0, result.output
    assert _reload(store).view().get_node("openalex:A1") is None


@pytest.mark.parametrize("query", ["Ann Peters", "Peeters", "openalex:A999", "Ghent University"])
def test_forget_refuses_anything_but_an_exact_researcher(
    store: Any, tmp_path: Path, query: str
) -> None:
    _graph(store)
    log = tmp_path / "audit.jsonl"
    result = _forget(store, log, query, "--yes")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _reload(store).view().counts().nodes["Researcher"] == 3
    assert not any(e["command"] == "forget" for e in audit.read_entries(log))
