"""The rows no peer ran on, and the kinds of false positive the benchmark reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.resolution import SETS, GoldRow, countries, gold_rows, score, unseen_rows
from benchmarks.resolution_unseen import FalsePositiveKinds, unseen_pairs, unseen_split
from collabgraph.ingest.ror import RorRecord

from ..conftest import shared_file

URL = "https://ror.org/"


def record(ror_id: str, name: str, *, parents: tuple[str, ...] = (), acronyms=()) -> RorRecord:
    return RorRecord(
        ror_id, name, (), (), tuple(acronyms), "CN", None, ("education",), "active", parents, (),
        None, None,
    )  # fmt: skip


RECORDS = [
    record("034t30j35", "Chinese Academy of Sciences", acronyms=("CAS",)),
    record("04h1y1z30", "Institute of Biophysics", parents=("034t30j35",)),
    record("02kqnb016", "Institute of Physics", parents=("034t30j35",)),
    record("00f1zfq44", "Central South University", acronyms=("CSU",)),
    record("05c1yfj14", "Xiangya Hospital Central South University"),
    record("02n96ep67", "East China Normal University", acronyms=("ECNU",)),
    record("0207yh398", "Shandong University"),
]


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["affiliation,ror_id"] + [f'"{text}",{gold}' for text, gold in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unseen_rows_are_the_full_file_minus_the_peer_half_row_for_row(tmp_path: Path) -> None:
    a, b, c = ("A univ", URL + "1"), ("B univ", URL + "2"), ("C univ", URL + "3")
    full = write(tmp_path / "full.csv", [a, b, a, c])
    half = write(tmp_path / "half.csv", [a, c])
    assert unseen_pairs(full, half) == [b, a]  # the repeated row is in each half once
    stray = write(tmp_path / "stray.csv", [a, ("D univ", URL + "4")])
    with pytest.raises(ValueError, match="stray.csv: 1 rows are not in"):
        unseen_pairs(full, stray)


def test_unseen_split_is_a_fixed_function_of_the_text() -> None:
    texts = [f"Institute {i}, Chinese Academy of Sciences" for i in range(200)]
    halves = [unseen_split(t) for t in texts]
    assert halves == [unseen_split(t) for t in texts]
    assert 60 < halves.count("unseen-a") < 140


def test_false_positives_are_sorted_by_kind() -> None:
    kinds = FalsePositiveKinds(RECORDS)
    text = "Institute of Biophysics, Chinese Academy of Sciences"
    assert kinds.kind("034t30j35", ["04h1y1z30"], text) == "hierarchy"  # parent of the gold
    assert kinds.kind("04h1y1z30", ["034t30j35"], text) == "hierarchy"  # unit of the gold
    assert kinds.kind("02kqnb016", ["04h1y1z30"], text) == "hierarchy"  # siblings
    hospital = "Department of Spine Surgery, Xiangya Hospital, Central South University"
    assert kinds.kind("00f1zfq44", ["05c1yfj14"], hospital) == "hierarchy"  # name holds name
    assert kinds.kind("0207yh398", ["02n96ep67"], "Shandong University") == "gold unnamed"
    named = "Shandong University; East China Normal University"
    assert kinds.kind("0207yh398", ["02n96ep67"], named) == "other"
    by_acronym = "School of Physics, ECNU, Shanghai"
    assert kinds.kind("0207yh398", ["02n96ep67"], by_acronym) == "other"
    assert kinds.kind("0207yh398", ["0000000xx"], "Shandong University") == "gold unnamed"


def test_score_counts_each_kind_and_the_precision_within_the_tree() -> None:
    kinds = FalsePositiveKinds(RECORDS)
    rows = [
        GoldRow(0, "Institute of Biophysics, Chinese Academy of Sciences", URL + "04h1y1z30", "a"),
        GoldRow(1, "Shandong University", URL + "02n96ep67", "a"),
        GoldRow(2, "Shandong University", URL + "0207yh398", "b"),
        GoldRow(3, "Shandong University, ECNU", URL + "02n96ep67", "b"),
    ]
    predictions = {i: URL + p for i, p in enumerate(["034t30j35", "0207yh398"] + ["0207yh398"] * 2)}
    total = {r.split: r for r in score("X", "s", rows, predictions, ("a", "b"), "t", kinds)}["t"]
    assert (total.tp, total.fp, total.hierarchy, total.unnamed) == (1, 3, 1, 1)
    assert total.precision == 0.25 and total.tree_precision == 0.5


def test_unseen_be_cn_rows_in_the_shared_gold_sets() -> None:
    data = shared_file("ror").parent
    country_of = countries(data)
    crossref = unseen_rows(data, "Crossref", country_of)
    logs = unseen_rows(data, "Logs", country_of)
    assert (len(crossref), len(logs)) == (454, 55)
    assert {r.split for r in crossref} == {"unseen-a", "unseen-b"}
    peer_texts = {r.affiliation for r in gold_rows(data, SETS["Crossref"][0], country_of)}
    assert sum(r.affiliation in peer_texts for r in crossref) == 1  # one string is in both


def test_quick_run_prints_every_split_for_us_and_the_peer_splits_for_the_peers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks.resolution import main

    assert main(["--quick", "--data", str(shared_file("ror").parent)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = ["hier", "unnm", "P", "tree", "lvl", "P", "lvl", "units", "unit", "R"]
    assert lines[0].split()[-10:] == header
    splits = ("train", "dev", "all", "unseen-a", "unseen-b", "unseen")
    for name in ("collabgraph *", "collabgraph-before "):  # after and before issue 16
        ours = {(line.split()[0], line.split()[1]) for line in lines if name in line}
        ours -= {("peer", "rows"), ("unseen", "rows")}  # the summary's lines
        assert ours == {(s, split) for s in ("Crossref", "Logs") for split in splits}, name
    summary = [line for line in lines if line.startswith(("peer rows", "unseen rows"))]
    assert len(summary) == 2 + 7 + 2, summary  # ours before and after, 7 peers; unseen: ours
    table = [line for line in lines if line.startswith(("Crossref", "Logs"))]
    peers = [line.split()[1] for line in table if " semantic_scholar " in line]
    assert peers == ["train", "dev", "all"] * 2  # no peer ran on the unseen rows
    assert "strings/s on one core" in lines[-1]


def test_another_level_is_above_or_below_through_parent_links_only() -> None:
    kinds = FalsePositiveKinds(RECORDS)
    assert kinds.another_level("034t30j35", "04h1y1z30")  # the academy and its institute
    assert kinds.another_level("04h1y1z30", "034t30j35")
    assert not kinds.another_level("02kqnb016", "04h1y1z30")  # siblings: one tree, one level
    assert not kinds.another_level("00f1zfq44", "05c1yfj14")  # a name inside a name
