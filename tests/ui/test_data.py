"""The workbench's data functions (no streamlit): search, profile links, CSV downloads."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import NodeNotFound
from collabgraph.ui.app import data

from ..factories import load
from .graphs import workbench_graph, write_store


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return write_store(tmp_path / "g.db")


def test_search_by_name_acronym_chinese_name_and_id(store: EmbeddedStore) -> None:
    assert data.search(store, "Ann Peeters")[0].id == "openalex:A1"
    assert data.search(store, "哈尔滨工业大学")[0].id == "ror:01yqg2h08"
    assert data.search(store, "https://ror.org/01yqg2h08")[0].score == 100.0
    hits = data.search(store, "HIT")
    assert hits[0].id == "ror:01yqg2h08" and hits[0].tier == "very high", hits
    assert data.search(store, "   ") == []


def test_researcher_tier_comes_from_their_institutions(store: EmbeddedStore) -> None:
    li = next(h for h in data.search(store, "Li Wei") if h.id == "openalex:A2")
    # The lab itself is unlisted; its parent Harbin is not inherited here, so: none.
    assert li.tier == "none", li
    evil = data.search(store, "openalex:A666")[0]
    assert evil.tier == "very high" and "Harbin" in evil.tier_note, evil


def test_profile_links_only_http(tmp_path: Path) -> None:
    nodes, rels = workbench_graph()
    nodes = [
        replace(n, props={**n.props, "url": "https://example.org/tracker"})
        if n.id == "risklist:aspi"
        else n
        for n in nodes
    ]
    rels = [
        replace(r, props={**r.props, "source_url": "javascript:alert(1)"})
        if r.type == "LISTED_ON"
        else r
        for r in rels
    ]
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, nodes, rels)
    profile = data.profile(store, "ror:01yqg2h08")
    assert profile.listing_links == {"risklist:aspi": "https://example.org/tracker"}
    assert profile.tier == "very high" and len(profile.listings) == 1
    assert data.safe_url(" JavaScript:alert(1)") == "" and data.safe_url(None) == ""


def test_profile_of_unknown_node(store: EmbeddedStore) -> None:
    with pytest.raises(NodeNotFound, match="no node has id"):
        data.profile(store, "openalex:NOPE")


def test_csv_download_is_formula_safe() -> None:
    rows = [{"name": "=HYPERLINK('http://x')", "n": 1}, {"name": "+cmd", "extra": "@a"}]
    text = data.csv_text(rows)
    read = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in read] == ["'=HYPERLINK('http://x')", "'+cmd"]
    assert read[1]["extra"] == "'@a" and read[0]["n"] == "1" and read[0]["extra"] == ""


def test_flat_rows() -> None:
    rows = data.flat_rows([{"a": [1, 2], "b": {"x": 1, "y": None}, "c": None}])
    assert rows == [{"a": "1 | 2", "b": "x: 1", "c": None}]


def test_missing_query_is_not_available() -> None:
    with pytest.raises(data.NotAvailable, match="queries.nowhere is not available yet"):
        data.optional("nowhere", "thing")
    with pytest.raises(data.NotAvailable, match="queries.find.nothing is not available yet"):
        data.optional("find", "nothing")
