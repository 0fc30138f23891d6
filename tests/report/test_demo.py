"""``collabgraph demo`` end to end on the bundled sample, in a temporary directory."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli

from .hand_count import hand_count

SEVEN_SONS = {
    "Beihang University",
    "Beijing Institute of Technology",
    "Harbin Institute of Technology",
    "Harbin Engineering University",
    "Northwestern Polytechnical University",
    "Nanjing University of Aeronautics and Astronautics",
    "Nanjing University of Science and Technology",
}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run the demo once, from an empty working directory, with the default locations."""
    where = tmp_path_factory.mktemp("demo")
    with contextlib.chdir(where):
        result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return where, result.output


@pytest.fixture(scope="module")
def report(demo_run: tuple[Path, str]) -> dict[str, Any]:
    where, _ = demo_run
    data: dict[str, Any] = json.loads(
        (where / "collabgraph-demo" / "report" / "report.json").read_text("utf-8")
    )
    return data


def test_demo_writes_graph_report_and_snapshot(demo_run: tuple[Path, str]) -> None:
    where, _ = demo_run
    base = where / "collabgraph-demo"
    for name in ("graph.db", "report/report.html", "report/report.json"):
        assert (base / name).is_file(), sorted(p.name for p in base.rglob("*"))
    manifest = json.loads((base / "report" / "snapshot" / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == "json", manifest
    assert manifest["counts"]["nodes"]["Paper"] > 0, manifest["counts"]


def test_demo_says_what_the_sample_is(demo_run: tuple[Path, str], report: dict[str, Any]) -> None:
    _, output = demo_run
    assert "330 Belgium–China works" in output, output
    assert "not Belgium's full output" in output, output
    assert "1,664" in output and "812" in output and "373" in output, output
    assert "collabgraph-demo/report/report.html" in output, output
    joint = report["totals"]["joint"]
    assert re.search(rf"^all\s+{joint}\s", output, re.M), output
    assert any("330" in n for n in report["notes"]), report["notes"]


def test_indicators_match_the_hand_count(report: dict[str, Any]) -> None:
    hand = hand_count()
    rows = {r["year"]: r for r in report["indicators"]["rows"]}
    joint = {y: r["joint"] for y, r in rows.items()}
    high = {y: r["high_risk"] for y, r in rows.items() if r["high_risk"]}
    assert joint == dict(hand["joint"]), sorted(set(joint.items()) ^ set(hand["joint"].items()))
    assert high == dict(hand["high_risk"]), sorted(
        set(high.items()) ^ set(hand["high_risk"].items())
    )
    for r in rows.values():
        assert r["high_risk_critical"] <= r["high_risk"], r
        assert r["before_listing"] <= r["high_risk"], r
    assert report["totals"]["joint"] == sum(hand["joint"].values()), report["totals"]


def test_an_exposure_path_ends_at_a_seven_sons_university(report: dict[str, Any]) -> None:
    found = [
        (person["name"], path)
        for person in report["exposure"]
        for path in person["paths"]
        if path["target_name"] in SEVEN_SONS
    ]
    assert found, [(p["name"], [x["target_name"] for x in p["paths"]]) for p in report["exposure"]]
    _, path = found[0]
    assert path["tier"] == "very high", path
    assert any(
        lst["category"] == "Seven sons of national defence" and lst["as_of"]
        for lst in path["listings"]
    ), path["listings"]
    papers = [p for hop in path["hops"] for p in hop["evidence"]["papers"]]
    assert papers and all(p["title"] and isinstance(p["year"], int) for p in papers), papers
    assert all(hop["found"] for hop in path["hops"]), path["hops"]
    assert path["nodes"][-1]["name"] == path["target_name"], path["nodes"]


def test_report_html_is_self_contained(demo_run: tuple[Path, str]) -> None:
    where, _ = demo_run
    page = (where / "collabgraph-demo" / "report" / "report.html").read_text("utf-8")
    assert "<svg" in page and "</html>" in page
    for bad in ("<script", "<link", "@import", "url(", "<img", "<iframe"):
        assert bad not in page.lower(), bad
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I), re.findall(
        r"""(?:src|href)\s*=\s*["'][^"']*""", page, re.I
    )[:5]


def test_second_run_starts_clean_and_gives_the_same_numbers(
    demo_run: tuple[Path, str], report: dict[str, Any]
) -> None:
    where, _ = demo_run
    with contextlib.chdir(where):
        result = CliRunner().invoke(cli, ["--quiet", "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    again = json.loads((where / "collabgraph-demo/report/report.json").read_text("utf-8"))
    assert again["indicators"] == report["indicators"]
    assert again["store"]["nodes"] == report["store"]["nodes"]
