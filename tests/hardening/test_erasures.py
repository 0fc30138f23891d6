"""The erasure register: a researcher deleted with `forget` stays out of later ingests and
snapshot imports, on both stores; a damaged register stops the write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.erasures import ErasureError, ErasureRegister, erasures_path, id_digest
from collabgraph.graph.snapshot import import_snapshot, write_snapshot
from collabgraph.ingest.derive import derive
from collabgraph.ingest.openalex import ingest_openalex
from collabgraph.ui.cli import cli

from ..conftest import shared_file
from ..ingest.helpers import rejects


def _works(tmp_path: Path) -> Path:
    lines = shared_file("openalex-sample-works/works.jsonl").read_text().splitlines()[:3]
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _spec(store: Any) -> str:
    return store.location if store.kind == "embedded" else store._uri


def _forget(store: Any, tmp_path: Path, who: str) -> None:
    argv = ["--store", _spec(store), "--audit-log", str(tmp_path / "audit.jsonl"), "forget", who]
    result = CliRunner().invoke(cli, [*argv, "--yes"])
    assert result.exit_code == 0, result.output


def _reopen(store: Any) -> Any:
    if store.kind == "embedded":
        from collabgraph.graph.embedded import EmbeddedStore

        return EmbeddedStore(store.path)
    return store


def _touching(store: Any, node_id: str) -> list[Any]:
    view = store.view()
    return [r for r in view.iter_relationships() if node_id in (r.start, r.end)]


def test_an_erased_researcher_stays_out_of_a_re_ingest(store: Any, tmp_path: Path) -> None:
    works = _works(tmp_path)
    ingest_openalex(store, [works], rejects=rejects(tmp_path), version="2025-09-18")
    derive(store)
    before = store.view().counts()
    erased = "openalex:A5046648232"  # Aart Kraay, second author of the first work
    assert store.view().get_node(erased) is not None
    _forget(store, tmp_path, erased)
    store = _reopen(store)
    summary = ingest_openalex(store, [works], rejects=rejects(tmp_path), version="2025-09-19")
    derive(store)
    view = store.view()
    assert view.get_node(erased) is None and _touching(store, erased) == []
    after = view.counts()
    assert after.nodes["Researcher"] == before.nodes["Researcher"] - 1
    assert after.nodes["Paper"] == before.nodes["Paper"]  # the paper and co-authors stay
    assert after.relationships["AUTHORED"] == before.relationships["AUTHORED"] - 1
    # the node, AUTHORED and AFFILIATED_WITH (World Bank) were read again and withheld
    assert summary.withheld == 3, summary.as_dict()
    assert any("erased researchers withheld" in line for line in summary.lines())


def test_an_erased_researcher_stays_out_of_a_snapshot_import(store: Any, tmp_path: Path) -> None:
    ingest_openalex(store, [_works(tmp_path)], rejects=rejects(tmp_path), version="2025-09-18")
    derive(store)
    snapshot = tmp_path / "before"
    write_snapshot(store, snapshot, fmt="graphml")
    erased = "openalex:A5046648232"
    _forget(store, tmp_path, erased)
    store = _reopen(store)
    result = import_snapshot(store, snapshot)
    assert store.view().get_node(erased) is None and _touching(store, erased) == []
    # node, AUTHORED, AFFILIATED_WITH and CO_AUTHORED with the two co-authors
    assert result.withheld == 5, result
    assert result.nodes["Researcher"] == 16  # read and counted all the same


def test_the_register_holds_digests_not_ids_or_names(tmp_path: Path) -> None:
    register = ErasureRegister(tmp_path / "sub" / "erasures.jsonl")
    assert not register
    register.add("orcid:0000-0002-1825-0097", "2026-11-24T10:00:00+00:00")
    text = register.path.read_text()
    assert "0000-0002-1825-0097" not in text and id_digest("orcid:0000-0002-1825-0097") in text
    assert register.path.stat().st_mode & 0o777 == 0o600
    again = ErasureRegister(register.path)
    assert again.erased("orcid:0000-0002-1825-0097") and not again.erased("orcid:0000-0001")


def test_a_damaged_register_stops_the_ingest_before_anything_is_written(
    embedded_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "erasures.jsonl"
    good = json.dumps({"id_sha256": id_digest("openalex:A1"), "when": "2026-11-24"})
    path.write_text(good + "\n" + '{"id": "openalex:A2"}\n', encoding="utf-8")
    monkeypatch.setenv("COLLABGRAPH_ERASURES", str(path))
    with pytest.raises(ErasureError, match=r"erasures.jsonl line 2: .*id_sha256"):
        ingest_openalex(embedded_store, [_works(tmp_path)], rejects=rejects(tmp_path))
    assert sum(embedded_store.view().counts().nodes.values()) == 0


def test_where_the_register_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLLABGRAPH_ERASURES", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    store_file = tmp_path / "cases" / "graph.db"
    assert erasures_path(str(store_file)) == store_file.parent / "collabgraph.erasures.jsonl"
    shared = tmp_path / "state" / "collabgraph" / "collabgraph.erasures.jsonl"
    assert erasures_path("neo4j+s://db.example.org") == shared
    monkeypatch.setenv("COLLABGRAPH_ERASURES", str(tmp_path / "team.jsonl"))
    assert erasures_path("bolt://127.0.0.1:7687") == tmp_path / "team.jsonl"
