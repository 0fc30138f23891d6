"""The report's timelines: the most exposed researchers and the top partners, in both the JSON
and the page (inline SVG), on both stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collabgraph.queries.timeline import timeline
from collabgraph.ui.report import build_report, write_report

from ..queries.graph import load_graph


def test_report_has_timelines_for_researchers_and_partners(store: Any, tmp_path: Path) -> None:
    load_graph(store)
    report = build_report(store, top=3)
    shown = [t["node"]["id"] for t in report["timelines"]]
    researchers = [r["id"] for r in report["exposure"]]
    partners = [p["id"] for p in report["partners"]]
    assert researchers and shown == researchers[:5] + partners[:5], (shown, researchers)
    assert partners[0] == "i:hitlab"  # the most high-risk papers (W1, W4)
    lab = next(t for t in report["timelines"] if t["node"]["id"] == "i:hitlab")
    assert lab == timeline(store, "i:hitlab").as_dict()
    assert [(m["year"], m["list"]) for m in lab["listings"]] == [
        (2019, "list:aspi"),
        (2024, "list:dod"),
    ]
    paths = write_report(store, tmp_path / "out", report)
    page = paths["html"].read_text("utf-8")
    section = page[page.index('<h2 id="timelines">') : page.index('<h2 id="method">')]
    assert section.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(shown)
    assert "HIT State Key Laboratory of Robotics: papers per year" in section
    assert 'class="listing" data-year="2024"' in section
    data = json.loads(paths["json"].read_text("utf-8"))
    assert data["timelines"] == report["timelines"]
