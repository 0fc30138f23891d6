"""The timeline SVGs: well-formed, escaped, self-contained, marks where the years say."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from collabgraph.ui.report.timeline_svg import timeline_svg

NS = {"s": "http://www.w3.org/2000/svg"}
EVIL = '<script>alert("x")</script> & "Lab"'


def rows() -> list[dict[str, int | None]]:
    return [
        {"year": 2016, "papers": 3, "joint": 2, "high_risk": 2, "before_listing": 2},
        {"year": 2021, "papers": 1, "joint": 1, "high_risk": 1, "before_listing": 0},
        {"year": 2023, "papers": 4, "joint": 4, "high_risk": 0, "before_listing": 0},
        {"year": None, "papers": 1, "joint": 1, "high_risk": 0, "before_listing": 0},
    ]


def listings() -> list[dict[str, object]]:
    base = {"list": "list:x", "list_name": "US DoD Section 1286 list FY2019", "tier": "high"}
    return [
        {**base, "year": 2019, "institution": "i:a", "institution_name": EVIL},
        {**base, "year": 2019, "institution": "i:b", "institution_name": "Beihang University"},
        {
            "year": 2020,
            "list": "list:aspi",
            "list_name": "ASPI",
            "tier": "very high",
            "institution": "i:a",
            "institution_name": EVIL,
        },
    ]


def test_timeline_is_well_formed_escaped_and_self_contained() -> None:
    svg = timeline_svg(rows(), listings(), title=f"{EVIL}: papers per year")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert set(re.findall(r"https?://[^\s\"'<>)]*", svg)) == {"http://www.w3.org/2000/svg"}
    assert "href" not in svg and "@import" not in svg
    # the title and description are there for screen readers, with the text unescaped by XML
    assert root.find("s:title", NS).text == f"{EVIL}: papers per year"  # type: ignore[union-attr]
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert desc == (
        "9 papers, 8 joint, 3 high-risk, of which 2 dated before every qualifying listing. "
        "Listing years: 2019, 2020."
    )


def test_listing_marks_sit_at_the_start_of_their_year() -> None:
    root = ET.fromstring(timeline_svg(rows(), listings(), width=960))
    # years 2016..2023: 8 slots of (960 - 48 - 16) / 8 = 112 px from x = 48.
    lines = {
        g.get("data-year"): g.find("s:line", NS)
        for g in root.iter(f"{{{NS['s']}}}g")
        if g.get("class") == "listing"
    }
    assert sorted(lines) == ["2019", "2020"]
    assert float(lines["2019"].get("x1")) == 48 + 3 * 112  # type: ignore[union-attr,arg-type]
    assert float(lines["2020"].get("x1")) == 48 + 4 * 112  # type: ignore[union-attr,arg-type]
    labels = [t.text or "" for g in root.iter(f"{{{NS['s']}}}g") for t in g.findall("s:text", NS)]
    assert "2019 US DoD Section 1286 list FY2019 (high): 2 institutions" in labels, labels
    assert any(x.startswith("2020 ASPI (very high): <script>") for x in labels), labels


def test_before_listing_bars_are_hatched_and_the_legend_says_so() -> None:
    svg = timeline_svg(rows(), listings())
    assert "url(" not in svg and "<pattern" not in svg  # hatching is drawn, not referenced
    root = ET.fromstring(svg)
    bars = {
        (g.get("data-year"), r.get("class")): r
        for g in root.iter(f"{{{NS['s']}}}g")
        if g.get("class") == "year"
        for r in [*g.findall("s:rect", NS), *g.findall("s:g", NS)]
    }
    before = bars[("2016", "before_listing")]
    box = before.find("s:rect", NS)
    assert box is not None
    x, y = float(box.get("x") or 0), float(box.get("y") or 0)
    w, h = float(box.get("width") or 0), float(box.get("height") or 0)
    hatch = before.findall("s:g/s:line", NS)
    assert len(hatch) > 5
    for line in hatch:  # every hatch line stays inside the bar
        for k, lo, hi in (("x1", x, x + w), ("x2", x, x + w), ("y1", y, y + h), ("y2", y, y + h)):
            assert lo - 0.11 <= float(line.get(k) or 0) <= hi + 0.11, (k, line.attrib)
    assert ("2021", "before_listing") not in bars and ("2023", "high_risk") not in bars
    # 2016: 3 papers behind 2 joint, both high-risk and before listing; nested, tallest first.
    heights = [float(bars[("2016", k)].get("height") or 0) for k in ("papers", "joint")]
    assert heights[0] > heights[1] == h > 0
    assert "high-risk, before listing" in svg and "all papers" in svg


def test_nothing_dated_gives_nothing_and_controls_are_dropped() -> None:
    assert timeline_svg([{"year": None, "papers": 1}], []) == ""
    only_marks = timeline_svg([], [{"year": 2022, "list_name": "L\x00\x1b", "tier": "high"}])
    ET.fromstring(only_marks)
    assert "\x00" not in only_marks and "\x1b" not in only_marks


def test_tags_stay_inside_near_the_right_edge() -> None:
    marks = [
        {"year": y, "list": "l", "list_name": f"List {y}", "tier": "high", "institution": "i"}
        for y in (2021, 2022, 2023)
    ]
    # 1990..2023 on 600 px: 16 px a year, so the last tags cannot sit right of their lines
    early = {"year": 1990, "papers": 1, "joint": 1, "high_risk": 0, "before_listing": 0}
    root = ET.fromstring(timeline_svg([early, *rows()], marks, width=600))
    tags = {
        g.get("data-year"): g.find("s:text", NS)
        for g in root.iter(f"{{{NS['s']}}}g")
        if g.get("class") == "listing"
    }
    last = tags["2023"]
    assert last is not None and last.get("text-anchor") == "end", last.attrib if last else None
    assert tags["2021"] is not None and tags["2021"].get("text-anchor") == "start"
    # the 2022 and 2023 tags would collide on one row: they take two
    ys = {y: t.get("y") for y, t in tags.items() if t is not None}
    assert ys["2022"] != ys["2023"], ys
