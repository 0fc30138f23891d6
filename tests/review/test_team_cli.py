"""``collabgraph review team`` end to end on an embedded store file: outputs, audit, refusals."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node
from collabgraph.ui.cli import cli, main

from ..factories import load, prov
from ..queries.graph import load_graph

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "g.db"
    store = EmbeddedStore(path)
    load_graph(store)
    load(store, [Node("Researcher", "r:evil", prov(name=HOSTILE))], [])
    return path


def team_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.csv"
    path.write_text(text, encoding="utf-8")
    return path


TEAM = (
    "Name,Institution,Role\n"
    "Alice Janssens,KU Leuven,PI\n"
    "Eve Claes,Ghent University,=cmd|' /C calc'!A0\n"
    f'"{HOSTILE}",,postdoc\n'
    "Nobody,,\n"
)


def run(graph_file: Path, tmp_path: Path, *args: str) -> tuple[int, str]:
    audit = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(
        cli,
        ["--store", str(graph_file), "--audit-log", str(audit), "review", "team", *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def test_table_json_csv_html_and_audit(graph_file: Path, tmp_path: Path) -> None:
    team = team_file(tmp_path, TEAM)
    out_csv, out_html = tmp_path / "review.csv", tmp_path / "review.html"
    code, text = run(
        graph_file,
        tmp_path,
        str(team),
        "--as-of",
        "2024-06-30",
        "-o",
        str(out_csv),
        "--html",
        str(out_html),
    )
    assert code == 0, text
    assert "papers of 2019–2024" in text
    assert "no finding in the window (2019–2024)" in text  # Eve
    assert "not found" in text  # Nobody
    # JSON has every person, in order, with the window.
    code, text = run(graph_file, tmp_path, str(team), "--as-of", "2024-06-30", "--json")
    data = json.loads(text)
    assert [p["status"] for p in data["people"]] == [
        "finding",
        "no finding in the window",
        "no finding in the window",
        "not found",
    ]
    assert data["window"] == {"first": 2019, "last": 2024, "years": 5, "as_of": "2024-06-30"}
    assert data["people"][0]["findings"][0]["papers"][0]["id"] == "p:W1"
    # CSV: one row per finding, one per person without; a formula cell is neutralised.
    with out_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["status"] for r in rows][0] == "finding"
    assert {r["input"] for r in rows} >= {"Alice Janssens (KU Leuven)", "Nobody"}
    assert all(not r["input"].startswith(("=", "+", "-", "@")) for r in rows)
    eve = next(r for r in rows if r["input"].startswith("Eve"))
    assert eve["window"] == "2019-2024" and eve["kind"] == ""
    # HTML: offline, escaped, one section per person, the lists and the chart.
    page = out_html.read_text(encoding="utf-8")
    assert HOSTILE not in page and "&lt;img src=x onerror=" in page
    assert "=cmd" in page  # shown as text in the input line, harmless in HTML
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<script" not in page
    assert page.count('class="person"') == 4
    assert "US DoD Section 1286 list" in page and "no finding in the window" in page
    for svg in page.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")
    # Audit: one look-up per person.
    entries = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [e["command"] for e in entries].count("review team") == 8  # two runs, four people
    assert entries[0]["params"]["researcher"] == "r:alice"


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("Role,Email\nPI,a@b\n", (), "no usable column"),
        ("name,orcid\nAnn,12-34\n", (), "row 2, column 'orcid': '12-34' is not an ORCID"),
        ("name,institution\n,KU Leuven\n", (), "row 2: no ORCID, OpenAlex id or name"),
        ("name\n\n", (), "no person in it"),
        ("name\nAlice Janssens\n", ("--years", "0"), "--years 0"),
        ("name\nAlice Janssens\n", ("--lists", "nope"), "--lists 'nope'"),
        ("name\nAlice Janssens\n", ("--as-of", "June"), "--as-of 'June'"),
        ("name\nAlice Janssens\n", ("--html", "no/such/dir/r.html"), "--html no/such/dir"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    graph_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    team = team_file(tmp_path, text)
    with pytest.raises(SystemExit) as stop:
        main(["--store", str(graph_file), "review", "team", str(team), *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    if not message.startswith("--"):
        assert str(team) in err
