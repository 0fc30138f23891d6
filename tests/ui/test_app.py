"""Every workbench page driven by Streamlit's AppTest on a small embedded graph (and Cypher on
the real Neo4j test server): widgets set, results asserted, no exceptions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ..factories import load
from .graphs import HUB_PAPERS, XSS_ID, XSS_NAME, workbench_graph, write_store

APP = Path(__file__).resolve().parents[2] / "ui" / "app" / "main.py"
TIMEOUT = 60


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    path = tmp_path / "graph.db"
    write_store(path)
    monkeypatch.setenv("COLLABGRAPH_STORE", str(path))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    yield at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(at: AppTest, page: str, node: str | None = None) -> AppTest:
    if node is not None:
        at.query_params["node"] = node
    at.switch_page(f"views/{page}.py")
    return _ok(at.run())


def _texts(elements: Any) -> list[str]:
    return [str(e.value) for e in elements]


def _rows(at: AppTest, column: str) -> list[dict[str, Any]]:
    """The rows of the first table on the page that has ``column``."""
    seen = []
    for frame in at.dataframe:
        value = frame.value
        seen.append(list(value.columns))
        if column in value.columns:
            return list(value.to_dict("records"))
    raise AssertionError(f"no table with a {column!r} column; tables: {seen}")


def test_search_finds_researchers_with_counts_and_opens_the_profile(app: AppTest) -> None:
    at = _ok(app.run())
    assert "Search & screen" in _texts(at.title)
    at.text_input(key="search_text").input("ann peters")  # a typo: matched fuzzily
    at.button[0].click()
    _ok(at.run())
    rows = at.dataframe[0].value.to_dict("records")
    assert rows[0]["id"] == "openalex:A1", rows
    assert rows[0]["papers"] == HUB_PAPERS + 1 and rows[0]["institutions"] == 1, rows[0]
    at.button(key="to_profile").click()
    _ok(at.run())
    assert "Ann Peeters" in _texts(at.header)
    assert at.query_params["node"] == "openalex:A1"


def test_search_shows_institution_tier_and_no_match_warning(app: AppTest) -> None:
    at = _ok(app.run())
    at.text_input(key="search_text").input("HIT")
    at.button[0].click()
    _ok(at.run())
    rows = at.dataframe[0].value.to_dict("records")
    harbin = next(r for r in rows if r["id"] == "ror:01yqg2h08")
    assert harbin["tier"] == "very high" and harbin["listings"] == 1, harbin
    at.text_input(key="search_text").input("zzzz qqqq xxxx")
    at.button[0].click()
    _ok(at.run())
    assert any("No researcher or institution" in w for w in _texts(at.warning))


def test_screen_pasted_and_uploaded_names(app: AppTest) -> None:
    at = _ok(app.run())
    at.text_area(key="screen_text").input("Harbin Institute of Technology\nNo Such Place Ltd")
    at.button(key="screen_go").click()
    _ok(at.run())
    rows = _rows(at, "input")
    assert len(rows) == 2, rows
    assert "very high" in str(rows[0]), rows[0]
    assert "ror:01yqg2h08" in str(rows[0]), rows[0]
    assert not isinstance(rows[1]["id"], str) and rows[1]["tier"] == "none", rows[1]
    assert "No Such Place" in str(rows[1]["explanation"]), rows[1]
    assert at.get("download_button"), "no download button for the result"
    at.text_area(key="screen_text").input("")
    at.file_uploader(key="screen_csv").set_value(
        ("partners.csv", b"partner,note\nGhent University,x\nHIT,y\n", "text/csv")
    )
    _ok(at.run())
    assert at.selectbox(key="screen_column").value == "partner"
    at.button(key="screen_go").click()
    _ok(at.run())
    rows = _rows(at, "input")
    assert len(rows) == 2 and "ror:00cv9y106" in str(rows[0]) and "ror:01yqg2h08" in str(rows[1])


def test_profile_of_a_researcher_with_paths_drawn_hop_by_hop(app: AppTest) -> None:
    at = _open(app.run(), "profile", "openalex:A2")
    assert "Li Wei" in _texts(at.header)
    affiliations = _rows(at, "institution")
    assert affiliations[0]["institution"] == "State Key Lab of Robotics", affiliations
    # Li Wei → lab (affiliated) → Harbin (part of) → ASPI (listed): one path, drawn hop by hop.
    heads = [m for m in _texts(at.markdown) if m.startswith("**Path")]
    assert heads and "Harbin Institute of Technology" in heads[0], heads
    hops = at.dataframe[-1].value.to_dict("records")
    types = [h["relationship"] for h in hops]
    assert types[0] == "—AFFILIATED_WITH→" and types[2] == "—LISTED_ON→", hops
    # PART_OF and MILITARY_LINK both join the lab and Harbin; each points its own way.
    assert types[1] in ("—PART_OF→", "←MILITARY_LINK—"), hops
    assert [h["from"] for h in hops] == [
        "Li Wei",
        "State Key Lab of Robotics",
        "Harbin Institute of Technology",
    ], hops
    assert "category: Seven sons of national defence" in hops[-1]["evidence"], hops[-1]
    score = next(m for m in at.metric if m.label == "Exposure score")
    assert float(score.value) > 0


def _path_notes(at: AppTest) -> str:
    badges = [str(b.proto.label) for b in at.get("badge") if hasattr(b.proto, "label")]
    return " ".join(badges + _texts(at.markdown) + _texts(at.caption))


def test_profile_marks_before_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ann reaches Harbin through paper W1 and her hostile-named co-author. With W1 from 2021
    # that is after Harbin's 2019 listing; moved to 2016 it is before it.
    at = _open(_app_on(tmp_path / "a.jsonl.gz", monkeypatch, None), "profile", "openalex:A1")
    assert "after listing (first listed 2019)" in _path_notes(at), _path_notes(at)
    at = _open(_app_on(tmp_path / "b.jsonl.gz", monkeypatch, 2016), "profile", "openalex:A1")
    assert "before listing: newest paper predates first listing (2019)" in _path_notes(at)


def _app_on(path: Path, monkeypatch: pytest.MonkeyPatch, paper_year: int | None) -> AppTest:
    from dataclasses import replace

    from collabgraph.graph.embedded import EmbeddedStore

    nodes, rels = workbench_graph()
    if paper_year is not None:
        nodes = [
            replace(n, props={**n.props, "year": paper_year}) if n.id == "openalex:W1" else n
            for n in nodes
        ]
        rels = [
            replace(r, props={**r.props, "year": paper_year}) if r.end == "openalex:W1" else r
            for r in rels
        ]
    load(EmbeddedStore(path), nodes, rels)
    monkeypatch.setenv("COLLABGRAPH_STORE", str(path))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def test_profile_of_an_institution_lists_every_assertion(app: AppTest) -> None:
    at = _open(app.run(), "profile", "ror:01yqg2h08")
    listings = _rows(at, "list_name")
    assert listings[0]["tier"] == "very high" and listings[0]["as_of"] == "2019-11-25", listings
    assert listings[0]["category"] == "Seven sons of national defence"
    links = _rows(at, "kind")
    assert {"kind": "defence_lab", "id": "cg:institution:lab1"}.items() <= links[0].items() or any(
        r["kind"] == "defence_lab" for r in links
    ), links
    members = _rows(at, "years")
    assert [m["id"] for m in members] == [XSS_ID], members


def test_profile_hostile_name_and_unknown_node(app: AppTest) -> None:
    at = _open(app.run(), "profile", XSS_ID)
    # Markdown characters are escaped: the header shows the name itself, never HTML.
    assert at.header[0].value.replace("\\", "") == XSS_NAME
    at = _open(at, "profile", "openalex:NOPE")
    assert any("no node has id" in e for e in _texts(at.error)), _texts(at.error)


def test_neighbourhood_filters_and_hub_paging(app: AppTest) -> None:
    at = _open(app.run(), "neighbourhood", "openalex:A1")
    first = _texts(at.caption)[0]
    assert first.startswith(f"{HUB_PAPERS + 4} nodes"), first  # Ann, 9 papers, Ghent, co-author
    assert at.get("iframe"), "no drawing"
    # Cap the hub at 5 neighbours: "N more", then page on with the offset.
    at.number_input(key="hood_cap").set_value(5)
    at.button[1].click()
    _ok(at.run())
    assert any("showing 5 from offset 0" in i for i in _texts(at.info)), _texts(at.info)
    at.number_input(key="hood_offset").set_value(5)
    at.button[1].click()
    _ok(at.run())
    assert any("showing 5 from offset 5" in i for i in _texts(at.info)), _texts(at.info)
    # Two hops and only authorship: the co-authors through papers, no institutions.
    at.number_input(key="hood_offset").set_value(0)
    at.number_input(key="hood_cap").set_value(50)
    at.slider(key="hood_hops").set_value(2)
    at.multiselect(key="hood_types").set_value(["AUTHORED"])
    at.button[1].click()
    _ok(at.run())
    caption = _texts(at.caption)[0]
    assert caption.startswith(f"{HUB_PAPERS + 4} nodes"), caption  # + Li Wei, - Ghent
    picks = at.selectbox(key="hood_pick").options
    assert any("Li Wei" in p for p in picks) and not any("Ghent" in p for p in picks), picks
    at.selectbox(key="hood_pick").set_value("openalex:A2")
    at.button(key="hood_to_profile").click()
    _ok(at.run())
    assert "Li Wei" in _texts(at.header)


def test_neighbourhood_unknown_name_is_a_message(app: AppTest) -> None:
    at = _open(app.run(), "neighbourhood")
    assert any("Choose a node" in i for i in _texts(at.info))
    at.text_input(key="hood_find").input("Nobody At All Whatsoever")
    at.button[0].click()
    _ok(at.run())
    assert any("no match for" in e for e in _texts(at.error)), _texts(at.error)


def test_indicators_page(app: AppTest) -> None:
    at = _open(app.run(), "indicators")
    # The small graph has a Belgian and a Chinese institution on one 2021 paper.
    rows = _rows(at, "joint")
    expected = {"year": 2021, "joint": 1, "high_risk": 1, "high_risk_critical": 1}
    assert len(rows) == 1 and expected.items() <= rows[0].items(), rows
    assert rows[0].get("before_listing", 0) == 0, rows
    at.text_input(key="ind_years").input("2015-2020")
    at.button[0].click()
    _ok(at.run())
    assert any("No joint papers" in c for c in _texts(at.caption)), _texts(at.caption)


def test_indicators_page_takes_institutions_as_sides(app: AppTest) -> None:
    at = _open(app.run(), "indicators")
    # Ghent University with Harbin's subtree: on W1 are HIT itself (the co-author named like
    # an HTML payload) and its lab (PART_OF HIT).
    at.text_input(key="ind_country").input("Ghent University")
    at.text_input(key="ind_partner").input("Harbin Institute of Technology")
    at.button[0].click()
    _ok(at.run())
    rows = _rows(at, "joint")
    assert [(r["year"], r["joint"], r["high_risk"]) for r in rows] == [(2021, 1, 1)], rows
    units = {(u["side"], u["id"]) for u in _rows(at, "side")}
    assert units == {
        ("home", "ror:00cv9y106"),
        ("partner", "ror:01yqg2h08"),
        ("partner", "cg:institution:lab1"),
    }, units
    at.text_input(key="ind_country").input("Nowhere Polytechnic Zzyzx")
    at.button[0].click()
    _ok(at.run())
    errors = _texts(at.error)
    assert any("'Nowhere Polytechnic Zzyzx' is neither a country nor" in x for x in errors), errors


def test_export_whole_graph_and_neighbourhood(app: AppTest) -> None:
    at = _open(app.run(), "export")
    assert at.radio(key="export_scope").options == ["whole graph"]
    at.selectbox(key="export_format").set_value("graphml")
    at.button[0].click()
    _ok(at.run())
    assert any("collabgraph-graph-graphml.zip" in s for s in _texts(at.success)), at.success
    at = _open(at, "neighbourhood", "openalex:A1")
    at = _open(at, "export")
    assert at.radio(key="export_scope").value == "current neighbourhood"
    at.selectbox(key="export_format").set_value("json")
    at.button[0].click()
    _ok(at.run())
    assert any("collabgraph-neighbourhood-json.zip" in s for s in _texts(at.success))
    # Paths found on a profile can be exported too (a query result).
    at = _open(at, "profile", "openalex:A2")
    at = _open(at, "export")
    assert at.radio(key="export_scope").options[-1].startswith("paths to risk")
    at.radio(key="export_scope").set_value(at.radio(key="export_scope").options[-1])
    at.selectbox(key="export_format").set_value("gexf")
    at.button[0].click()
    _ok(at.run())
    assert any("collabgraph-paths-gexf.zip" in s for s in _texts(at.success)), _texts(at.success)


def test_cypher_page_on_the_embedded_store_explains_itself(app: AppTest) -> None:
    at = _open(app.run(), "cypher")
    assert any("needs Neo4j" in i for i in _texts(at.info)), _texts(at.info)


def test_cypher_console_on_neo4j_reads_and_refuses_writes(
    neo4j_store: Any, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes, rels = workbench_graph()
    load(neo4j_store, nodes, rels)
    monkeypatch.setenv("COLLABGRAPH_STORE", neo4j_uri)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at = _open(at.run(), "cypher")
    at.button[0].click()  # the example: listed institutions at tiers given as a parameter
    _ok(at.run())
    rows = _rows(at, "institution")
    assert rows == [
        {
            "institution": "Harbin Institute of Technology",
            "tier": "very high",
            "list": "ASPI China Defence Universities Tracker",
        }
    ], rows
    at.text_area(key="cypher_text").input("MATCH (n:Researcher) SET n.name = 'x' RETURN n")
    at.text_area(key="cypher_params").input("")
    at.button[0].click()
    _ok(at.run())
    assert any("refused" in e for e in _texts(at.error)), _texts(at.error)
    names = {n.props["name"] for n in neo4j_store.view().iter_nodes("Researcher")}
    assert "x" not in names


def test_neo4j_down_is_a_message_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("COLLABGRAPH_STORE", f"bolt://127.0.0.1:{port}")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.text_input(key="search_text").input("Ann")
    at.button[0].click()
    _ok(at.run())
    assert any("cannot reach Neo4j" in e for e in _texts(at.error)), _texts(at.error)
    for page in ("profile", "neighbourhood", "indicators", "export", "cypher"):
        at = _open(at, page, "openalex:A1")
        if page != "export":  # export touches the store only when asked to
            assert any("cannot reach Neo4j" in e for e in _texts(at.error)), (page, at.error)


def test_neighbourhood_years_technology_and_tier_filters(app: AppTest) -> None:
    at = _open(app.run(), "neighbourhood", "openalex:A1")

    def draw(**values: Any) -> str:
        for key, value in values.items():
            widget = at.get_by_key(key) if hasattr(at, "get_by_key") else None
            (widget or at.text_input(key=key)).set_value(value)
        at.button[1].click()
        _ok(at.run())
        return _texts(at.caption)[0]

    everything = draw()
    assert everything.startswith(f"{HUB_PAPERS + 4} nodes"), everything
    # Papers from 2015-2016 only: two of the robot studies (W1 is from 2021).
    assert draw(hood_years="2015-2016").startswith("5 nodes"), _texts(at.caption)
    # Papers concerning quantum technologies only: W1.
    assert draw(hood_years="", hood_tech="ec2023:area:3").startswith("4 nodes"), at.caption
    # Institutions at "high" or above only: Ghent (unlisted) drops out.
    caption = draw(hood_tech="", hood_tier="high")
    assert caption.startswith(f"{HUB_PAPERS + 3} nodes"), caption
