"""`collabgraph resolve` and `collabgraph judge` on a small CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli

from ..conftest import shared_file

ROWS = [
    ["id", "institution", "cc"],
    ["1", "Sch. of Astronautics, Harbin Inst. Technol., Harbin 150001, Peoples R China", ""],
    ["2", "Nanjing University", "CN"],
    ["3", "Department of Physics", ""],
    ["4", "Vrije Universiteit Brussel", "BE"],
]


def write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    return path


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--store", str(tmp_path / "g.db"), *args],
        input=stdin,
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def test_resolve_csv_to_csv(tmp_path: Path) -> None:
    ror = str(shared_file("ror/ror_target_institutions.jsonl"))
    src, out = write_csv(tmp_path / "in.csv"), tmp_path / "out.csv"
    code, _stdout, stderr = run(
        tmp_path,
        "resolve",
        str(src),
        "--column",
        "institution",
        "--country-column",
        "cc",
        "--ror",
        ror,
        "-o",
        str(out),
    )
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == [
        "id",
        "institution",
        "cc",
        "ror_id",
        "ror_name",
        "score",
        "method",
        "explanation",
        "ror_ancestors",
    ]
    assert [r["ror_id"] for r in rows] == ["01yqg2h08", "", "", "006e5kg04"], rows
    assert rows[0]["method"] == "normalised" and "Harbin" in rows[0]["explanation"]
    # Nanjing University is not among the 19 targets; NUAA is, and must not be offered.
    assert rows[1]["ror_name"] == rows[1]["score"] == rows[1]["method"] == ""
    assert "resolved 2 of 4 rows" in stderr


def test_resolve_stdin_stdout_and_judgement(tmp_path: Path) -> None:
    ror = str(shared_file("ror/ror_target_institutions.jsonl"))
    stdin = "\n".join(",".join(f'"{c}"' for c in row) for row in ROWS) + "\n"
    judgements = str(tmp_path / "j.jsonl")
    code, stdout, stderr = run(
        tmp_path,
        "judge",
        "set",
        "Department of Physics",
        "01yqg2h08",
        "--reason",
        "list entry",
        "--who",
        "ana",
        "--judgements",
        judgements,
    )
    assert code == 0 and stdout.startswith("j:"), stderr
    code, stdout, stderr = run(
        tmp_path,
        "-q",
        "resolve",
        "-",
        "--column",
        "institution",
        "--ror",
        ror,
        "--judgements",
        judgements,
        stdin=stdin,
    )
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert rows[2]["ror_id"] == "01yqg2h08" and rows[2]["method"] == "judgement", rows[2]
    assert "ana" in rows[2]["explanation"]
    assert stderr == ""


def test_resolve_names_a_missing_column(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv")
    ror = str(shared_file("ror/ror_target_institutions.jsonl"))
    runner = CliRunner()
    result = runner.invoke(
        cli, ["resolve", str(src), "--column", "name", "--ror", ror, "-o", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "in.csv: no column 'name'" in str(result.exception), result.exception


def test_resolve_against_the_store_with_judgements_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLLABGRAPH_JUDGEMENTS", raising=False)  # the default location is tested
    from collabgraph.graph.embedded import EmbeddedStore
    from collabgraph.graph.records import Node

    from ..factories import load, prov

    store = EmbeddedStore(tmp_path / "g.db")
    nodes = [
        Node(
            "Institution",
            "ror:01yqg2h08",
            prov(
                name="Harbin Institute of Technology",
                acronyms=["HIT"],
                country="CN",
                ror_id="01yqg2h08",
            ),
        ),
        Node(
            "Institution",
            "ror:01rxvg760",
            prov(
                name="Nanjing University",
                country="CN",
                aliases=["Nanking University"],
                ror_id="01rxvg760",
            ),
        ),
    ]
    load(store, nodes, [])
    store.close()
    src = write_csv(tmp_path / "in.csv")
    code, _out, stderr = run(tmp_path, "judge", "reject", "Nanjing University", "01rxvg760")
    assert code == 0, stderr
    assert (tmp_path / "collabgraph.judgements.jsonl").exists()
    code, stdout, stderr = run(tmp_path, "resolve", str(src), "--column", "institution")
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert [r["ror_id"] for r in rows] == ["01yqg2h08", "", "", ""], rows
    code, stdout, _err = run(
        tmp_path, "resolve", "-", "--column", "x", stdin="x\nNanking University\n"
    )
    assert list(csv.DictReader(io.StringIO(stdout)))[0]["method"] == "alias"


def test_resolve_writes_the_unit_and_the_chain_above_it(tmp_path: Path) -> None:
    ror = tmp_path / "ror.jsonl"  # the BE/CN records (each file lacks some)
    files = ("ror/ror_be_cn_v1.jsonl", "ror/ror_be_cn_v2.jsonl")
    ror.write_text("".join(shared_file(f).read_text(encoding="utf-8") for f in files))
    rows = [  # Crossref publisher strings (the publishers credited CAS and CAAS)
        ["institution"],
        ["Kunming Institute of Botany, Chinese Academy of Sciences"],
        [
            "State Key Laboratory for Biology of Plant Diseases and Insect Pests, Institute of 8 "
            "Plant Protection, Chinese Academy of Agricultural Sciences"
        ],
        ["Chinese Academy of Sciences"],
    ]
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, stdout, stderr = run(
        tmp_path, "resolve", str(src), "--column", "institution", "--ror", str(ror)
    )
    assert code == 0, stderr
    out = list(csv.DictReader(io.StringIO(stdout)))
    assert [(r["ror_id"], r["ror_ancestors"]) for r in out] == [
        ("02e5hx313", "034t30j35"),
        ("04bcwdq54", "0111f7045|0313jb750|05ckt8b96|02fzqav45"),  # up to the State Council
        ("034t30j35", ""),
    ], out
    assert (
        "unit 'Kunming Institute of Botany' of 'Chinese Academy of Sciences'"
        in (out[0]["explanation"])
    )
    assert not any(v.startswith(("=", "+", "-", "@")) for r in out for v in r.values())
