"""Reading inputs: every JSON shape, gzip, CSV, bad lines and unknown formats."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from collabgraph.ingest.sources import InputError, iter_csv_records, iter_json_records

WORKS = [{"id": f"W{i}", "n": i} for i in range(3)]


def _ids(path: Path) -> list[str]:
    return [r.data["id"] for r in iter_json_records(path)]


def test_json_lines_array_page_and_gzip(tmp_path: Path) -> None:
    lines = tmp_path / "w.jsonl"
    lines.write_text("".join(json.dumps(w) + "\n" for w in WORKS))
    array = tmp_path / "w.json"
    array.write_text(json.dumps(WORKS, indent=2))
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 3}, "results": WORKS}, indent=1))
    gz = tmp_path / "w.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write("".join(json.dumps(w) + "\n" for w in WORKS))
    for path in (lines, array, page, gz):
        assert _ids(path) == ["W0", "W1", "W2"], path


def test_large_array_is_read_element_by_element(tmp_path: Path) -> None:
    # Elements bigger than the 64 KiB read chunk, and numbers at chunk edges.
    items = [{"id": f"W{i}", "pad": "x" * 70_000, "n": 12345678901234} for i in range(4)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(items))
    records = list(iter_json_records(path))
    assert [r.data["id"] for r in records] == ["W0", "W1", "W2", "W3"]
    assert all(r.data["n"] == 12345678901234 for r in records)
    assert records[2].locator == "big.json#2"


def test_lines_after_a_one_line_array_are_read_as_json_lines(tmp_path: Path) -> None:
    # Found by fuzzing: "[]" on line 1 of a JSON-lines file used to read as an empty array,
    # and every later line was silently dropped.
    path = tmp_path / "w.jsonl"
    path.write_text("[]\n" + "".join(json.dumps(w) + "\n" for w in WORKS))
    records = list(iter_json_records(path))
    assert [r.locator for r in records] == ["w.jsonl:1", "w.jsonl:2", "w.jsonl:3", "w.jsonl:4"]
    assert records[0].data == []
    assert [r.data["id"] for r in records[1:]] == ["W0", "W1", "W2"]


def test_anything_after_a_closed_array_is_an_error_not_a_loss(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps(WORKS, indent=2) + "\n\n" + json.dumps(WORKS[0]) + "\n")
    with pytest.raises(InputError, match=r"w\.json: data after the end of the JSON array"):
        list(iter_json_records(path))
    one_line = tmp_path / "one.json"
    one_line.write_text(json.dumps(WORKS) + "\n\n  \n")
    assert _ids(one_line) == ["W0", "W1", "W2"]


def test_bad_json_line_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text('{"id": "W1"}\n{"id": broken\n\n{"id": "W3"}\n')
    records = list(iter_json_records(path))
    assert [r.error is None for r in records] == [True, False, True]
    assert records[1].locator == "w.jsonl:2" and "bad JSON" in (records[1].error or "")
    assert records[1].text == '{"id": broken'


def test_unknown_format_and_missing_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(InputError, match="notes.txt"):
        list(iter_json_records(path))
    with pytest.raises(InputError, match="nothere.json"):
        list(iter_json_records(tmp_path / "nothere.json"))


def test_csv_rows_with_wrong_field_counts_are_flagged(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,country\nA,CN\nB,CN,extra\nC\n")
    records = list(iter_csv_records(path))
    assert records[0].data == {"name": "A", "country": "CN"}
    assert records[1].error == "more fields than the header has"
    assert records[2].error == "fewer fields than the header has"
    assert [r.locator for r in records] == ["list.csv:2", "list.csv:3", "list.csv:4"]
