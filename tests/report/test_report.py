"""``collabgraph report`` on a small hand-built graph, on both stores: escaping, content, files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.contract import Store
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Node
from collabgraph.queries.exposure import exposure
from collabgraph.ui.cli import cli
from collabgraph.ui.report import build_report, render_html, write_report

from ..factories import load, tiny_graph

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_TITLE = '</td><script>alert("t")</script> & more'
EVIL_LAB = "Lab \"'><b>bold</b>"


def evil_graph(store: Store) -> None:
    """The tiny graph with markup in a researcher's name, a paper title and a lab's name."""
    nodes, rels = tiny_graph()
    swap = {
        "openalex:A2": ("name", EVIL_NAME),
        "openalex:W1": ("title", EVIL_TITLE),
        "cg:institution:lab1": ("name", EVIL_LAB),
    }
    changed = [
        Node(n.label, n.id, {**n.props, swap[n.id][0]: swap[n.id][1]}) if n.id in swap else n
        for n in nodes
    ]
    load(store, changed, rels)


def test_untrusted_text_reaches_the_page_only_escaped(store: Store, tmp_path: Path) -> None:
    evil_graph(store)
    report = build_report(store, top=5)
    paths = write_report(store, tmp_path / "out", report)
    page = paths["html"].read_text("utf-8")
    for raw in (EVIL_NAME, EVIL_TITLE, EVIL_LAB, "<script", "<img", "<b>bold"):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/td&gt;&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; more" in page
    assert "Lab &quot;&#x27;&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    # the JSON keeps the text as it is: it is data, not markup
    data = json.loads(paths["json"].read_text("utf-8"))
    assert data["indicators"]["by_partner"][0]["name"] == EVIL_LAB, data["indicators"]


def test_report_for_institution_sides(store: Store, tmp_path: Path) -> None:
    # Ghent University with the subtree of HIT: the lab (PART_OF HIT, named like markup) is the
    # partner unit on W1, and HIT's listing makes the paper high-risk through it.
    evil_graph(store)
    report = build_report(store, home="UGent", partner="Harbin Institute of Technology", top=5)
    p = report["parameters"]
    assert p["country"] == "Ghent University (ror:00cv9y106)", p
    assert p["home_side"] == {
        "kind": "institution",
        "id": "ror:00cv9y106",
        "name": "Ghent University",
        "units": 1,
    }
    assert p["partner_side"]["units"] == 2 and report["study"] is None
    assert report["totals"]["joint"] == 1 and report["totals"]["high_risk"] == 1
    units = {
        (u["side"], u["id"]): (u["lists"], u["held_by"]) for u in report["indicators"]["by_unit"]
    }
    aspi = "ASPI China Defence Universities Tracker (very high)"
    assert units == {
        ("home", "ror:00cv9y106"): ([aspi], ["ror:01yqg2h08"]),
        ("partner", "cg:institution:lab1"): ([f"{aspi} via ror:01yqg2h08"], ["ror:01yqg2h08"]),
    }, units
    assert [r["name"] for r in report["exposure"]] == ["Ann Peeters"]
    caveat = "because an institution of Harbin Institute of Technology (ror:01yqg2h08) or of"
    assert any(caveat in c for c in report["method"]["caveats"]), report["method"]["caveats"]
    page = write_report(store, tmp_path / "out", report)["html"].read_text("utf-8")
    assert 'id="units"' in page and "Lab &quot;&#x27;&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert EVIL_LAB not in page
    countries = build_report(store, top=5)
    assert countries["indicators"]["by_unit"] == [] and 'id="units"' not in render_html(countries)


def test_report_content_on_the_tiny_graph(store: Store) -> None:
    evil_graph(store)
    report = build_report(store, top=5)
    assert report["indicators"]["rows"] == [
        {"year": 2021, "joint": 1, "high_risk": 1, "high_risk_critical": 1, "before_listing": 0}
    ], report["indicators"]["rows"]
    assert report["totals"]["joint"] == 1
    # the lab is high-risk through the university it is part of, and the page says which list
    partner = report["partners"][0]
    assert partner["id"] == "cg:institution:lab1" and partner["high_risk"] == 1, partner
    # Ann Peeters (Ghent) reaches HIT: co-author Li Wei → lab → PART_OF HIT, or the paper
    people = report["exposure"]
    assert [p["name"] for p in people] == ["Ann Peeters"], people
    path = people[0]["paths"][0]
    assert path["target"] == "ror:01yqg2h08" and path["tier"] == "very high", path
    assert path["listings"][0]["as_of"] == "2019-11-25", path["listings"]
    assert path["before_listing"] is False, path
    titles = {p["title"] for h in path["hops"] for p in h["evidence"]["papers"]}
    assert EVIL_TITLE in titles, path["hops"]
    sources = {s["source"]: s for s in report["method"]["sources"]}
    assert sources["test"]["versions"] == ["2024-01-01"], sources


def test_chart_and_tables_render_with_no_dated_rows() -> None:
    report: dict[str, Any] = {
        "parameters": {"country": "BE", "partner": "CN", "years": None, "min_tier": "high"},
        "generated_at": "now",
        "collabgraph_version": "0",
        "store": {"kind": "embedded", "location": "x", "nodes": {}, "relationships": {}},
        "notes": [],
        "study": None,
        "totals": {"joint": 0, "high_risk": 0, "high_risk_critical": 0, "before_listing": 0},
        "indicators": {"rows": [], "by_technology": [], "by_partner": [], "by_list": []},
        "partners": [],
        "exposure": [],
        "method": {
            "indicator_definitions": {},
            "sources": [],
            "tier_mapping": {"configured": {}, "applied": [], "proxy_note": ""},
            "resolution": {"fuzzy_threshold": 0.85, "methods": []},
            "exposure": {
                "weights": {},
                "decay": 0.5,
                "tier_risk": {},
                "max_hops": 4,
                "population": "p",
                "years_note": "y",
            },
            "caveats": [],
        },
        "unavailable": ["exposure: nothing here"],
    }
    page = render_html(report)
    assert "No dated papers." in page and "Not available in this report" in page, page


def test_report_command_writes_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    graph = tmp_path / "g.db"
    evil_graph(EmbeddedStore(graph))
    out = tmp_path / "rep"
    args = ["--store", str(graph), "report", "--years", "2000-2025", "-o", str(out)]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "1 joint, 1 high-risk" in first.output, first.output
    assert str(out / "report.html") in first.output, first.output
    assert (out / "snapshot" / "manifest.json").is_file()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code != 0 and isinstance(again.exception, CollabgraphError), again.output
    assert "--force" in str(again.exception)
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output


def test_years_outside_the_data_give_an_empty_table(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    evil_graph(store)
    report = build_report(store, years=(1990, 1999))
    assert report["indicators"]["rows"] == [] and report["totals"]["joint"] == 0, report["totals"]


def test_bad_output_path_is_a_clear_error(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    evil_graph(store)
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CollabgraphError, match="not a directory"):
        write_report(store, target, build_report(store))


def test_exposure_scores_only_match_the_full_ranking(store: Store) -> None:
    """The report ranks with ``paths_per_node=0`` (scores only) then explains each leader;
    the scores must be those of the full ranking, restricted by ``among``."""
    evil_graph(store)
    full = exposure(store, min_tier="high", labels=("Researcher",))
    cheap = exposure(store, min_tier="high", labels=("Researcher",), paths_per_node=0)
    assert [(e.id, round(e.score, 9)) for e in cheap] == [
        (e.id, round(e.score, 9)) for e in full
    ], (full, cheap)
    assert all(e.top_paths == () for e in cheap), cheap
    only = exposure(store, min_tier="high", labels=("Researcher",), among={"openalex:A1"})
    assert [e.id for e in only] == ["openalex:A1"], only
