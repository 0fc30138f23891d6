"""The workbench on the bundled real BE–CN sample (``ingest_sample``); the same pages on Neo4j.

Denis Constales (Ghent University) co-wrote a 2015 paper with Pan Lian of Harbin Institute of
Technology, a "very high" entry of ASPI's tracker first dated 2020 in the sample's listings: a
path of three hops that predates the listing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from collabgraph.graph.embedded import EmbeddedStore

from ..factories import load
from .graphs import workbench_graph, write_store
from .test_app import APP, TIMEOUT, _ok, _open, _rows, _texts

pytestmark = pytest.mark.slow

RESEARCHER = "Denis Constales"


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from collabgraph.ingest.sample import ingest_sample

    path = tmp_path_factory.mktemp("sample") / "sample.jsonl.gz"
    store = EmbeddedStore(path)
    ingest_sample(store, rejects_dir=path.parent)
    return path


@pytest.fixture
def sample_app(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("COLLABGRAPH_STORE", str(sample_path))
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def _walk(at: AppTest, researcher: str = RESEARCHER) -> dict[str, Any]:
    """Search for a researcher, open the profile, neighbourhood and indicators: what they show."""
    at = _ok(at.run())
    at.text_input(key="search_text").input(researcher)
    at.button[0].click()
    _ok(at.run())
    hits = at.dataframe[0].value.to_dict("records")
    assert hits[0]["name"] == researcher and hits[0]["label"] == "Researcher", hits[:3]
    node_id = hits[0]["id"]
    at.button(key="to_profile").click()
    _ok(at.run())
    seen: dict[str, Any] = {"id": node_id, "header": _texts(at.header)}
    seen["affiliations"] = _rows(at, "institution")
    seen["paths"] = [m for m in _texts(at.markdown) if m.startswith("**Path")]
    # st.badge reaches AppTest as markdown: ":violet-badge[before listing: …]".
    seen["badges"] = [m for m in _texts(at.markdown) if "-badge[" in m]
    at = _open(at, "neighbourhood", node_id)
    seen["hood"] = _texts(at.caption)[0]
    seen["picks"] = at.selectbox(key="hood_pick").options
    at = _open(at, "indicators")
    seen["indicators"] = _rows(at, "joint")
    return seen


def _check(seen: dict[str, Any]) -> None:
    assert RESEARCHER in seen["header"], seen["header"]
    assert seen["affiliations"][0]["institution"] == "Ghent University", seen["affiliations"]
    assert any("Harbin Institute of Technology" in p for p in seen["paths"]), seen["paths"]
    assert any("badge[before listing" in b for b in seen["badges"]), seen["badges"]
    assert any("Pan Lian" in p for p in seen["picks"]), seen["picks"]
    assert sum(r["joint"] for r in seen["indicators"]) > 0, seen["indicators"]


def test_sample_on_the_embedded_store(sample_app: AppTest) -> None:
    _check(_walk(sample_app))


def test_the_pages_show_the_same_on_neo4j(
    tmp_path: Path, neo4j_store: Any, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The small graph: copying the whole sample into the test server takes minutes.
    path = tmp_path / "g.db"
    write_store(path)
    nodes, rels = workbench_graph()
    load(neo4j_store, nodes, rels)
    monkeypatch.setenv("COLLABGRAPH_STORE", str(path))
    embedded = _walk(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "Li Wei")
    monkeypatch.setenv("COLLABGRAPH_STORE", neo4j_uri)
    on_neo4j = _walk(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "Li Wei")
    assert any("Harbin" in p for p in on_neo4j["paths"]), on_neo4j["paths"]
    assert on_neo4j["indicators"], on_neo4j
    assert on_neo4j == embedded
