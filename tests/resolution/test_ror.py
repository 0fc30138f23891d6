"""The ROR reader on the real record files in ../shared/data/ror."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from collabgraph.ingest.ror import RorRecord, iter_ror, parse_record

from ..conftest import shared_file


def _v2_to_v1(obj: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a v2 record in the v1 schema, the way ROR's v1 backward-compatibility copies did."""
    names = obj["names"]
    display = next(n["value"] for n in names if "ror_display" in n["types"])
    geo = obj["locations"][0]["geonames_details"]
    return {
        "id": obj["id"],
        "name": display,
        "aliases": [n["value"] for n in names if "alias" in n["types"]],
        "acronyms": [n["value"] for n in names if "acronym" in n["types"]],
        "labels": [
            {"label": n["value"], "iso639": n["lang"]}
            for n in names
            if "label" in n["types"] and "ror_display" not in n["types"]
        ],
        "country": {"country_code": geo["country_code"], "country_name": geo["country_name"]},
        "addresses": [{"city": geo["name"]}],
        "types": [t.capitalize() for t in obj["types"]],
        "status": obj["status"],
        "established": obj["established"],
        "relationships": [
            {"type": r["type"].capitalize(), "id": r["id"], "label": r["label"]}
            for r in obj["relationships"]
        ],
    }


@pytest.fixture(scope="module")
def targets() -> dict[str, RorRecord]:
    return {r.ror_id: r for r in iter_ror(shared_file("ror/ror_target_institutions.jsonl"))}


def test_v1_and_v2_give_the_same_record() -> None:
    path = shared_file("ror/ror_be_cn_v2.jsonl")
    checked = 0
    with path.open(encoding="utf-8") as handle:
        for line in list(handle)[:200]:
            obj = json.loads(line)
            if not obj["locations"]:
                continue
            from_v2 = parse_record(obj)
            from_v1 = parse_record(_v2_to_v1(obj))
            # v1 records carry no last-modified date; everything else must agree.
            assert from_v1 == RorRecord(**{**from_v2.__dict__, "version": None}), obj["id"]
            checked += 1
    assert checked > 150, checked


def test_target_records_v1_and_v2(targets: dict[str, RorRecord]) -> None:
    assert len(targets) == 19, sorted(targets)
    hit = targets["01yqg2h08"]  # v2
    assert hit.name == "Harbin Institute of Technology"
    assert ("哈尔滨工业大学", "zh") in hit.labels
    assert hit.names_zh == ("哈尔滨工业大学",)
    assert hit.acronyms == ("HIT",)
    assert hit.country == "CN" and hit.city == "Harbin"
    assert "03zxdkx17" in hit.children and hit.parents == ()
    assert hit.version and hit.version[:2] == "20"
    nudt = targets["05d2yfz11"]  # v1
    assert nudt.name == "National University of Defense Technology"
    assert nudt.acronyms == ("NUDT",)
    assert any(lang == "zh" for _t, lang in nudt.labels), nudt.labels
    assert nudt.version is None and nudt.established == 1953
    assert "Harbin Institute of Technology" in hit.all_names


def test_parents_and_withdrawn_status() -> None:
    records = list(iter_ror(shared_file("ror/ror_be_cn_v1.jsonl")))
    assert len(records) == 1202
    lab = next(r for r in records if r.ror_id == "000190731")
    assert lab.parents == ("00cmhce21",), lab
    statuses = {r.status for r in records}
    assert "withdrawn" in statuses, statuses


def test_json_array_and_gzip_are_detected(tmp_path: Path) -> None:
    source = shared_file("ror/ror_be_cn_v2.jsonl")
    objs = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()[:300]]
    dump = tmp_path / "dump.json.gz"  # the shape ROR publishes: one JSON array
    with gzip.open(dump, "wt", encoding="utf-8") as out:
        json.dump(objs, out, indent=2, ensure_ascii=False)
    plain = tmp_path / "records.jsonl"
    plain.write_text("\n".join(json.dumps(o) for o in objs) + "\n", encoding="utf-8")
    assert list(iter_ror(dump)) == list(iter_ror(plain)) == [parse_record(o) for o in objs]


def test_bad_records_are_reported_and_skipped(tmp_path: Path) -> None:
    lines = shared_file("ror/ror_be_cn_v1.jsonl").read_text(encoding="utf-8").splitlines()[:10]
    broken = [*lines[:3], "{not json", *lines[3:6], '{"id": "https://ror.org/0abc"}']
    broken += ['["a list"]', '{"id": "x", "name": "A", "labels": 5}', *lines[6:]]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    rejects: list[tuple[int, str, str]] = []
    records = list(iter_ror(path, on_reject=lambda *r: rejects.append(r)))
    assert len(records) == 10
    assert [(n, text) for n, _reason, text in rejects] == [
        (4, "{not json"),
        (8, '{"id": "https://ror.org/0abc"}'),
        (9, '["a list"]'),
        (10, '{"id": "x", "name": "A", "labels": 5}'),
    ], rejects
    assert "invalid JSON" in rejects[0][1] and "name" in rejects[1][1], rejects


def test_a_record_with_invalid_utf8_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    lines = shared_file("ror/ror_be_cn_v2.jsonl").read_bytes().splitlines()[:3]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(lines[0] + b"\n" + lines[1].replace(b'"', b'"\xff', 1) + b"\n" + lines[2])
    rejected: list[tuple[int, str, str]] = []
    records = list(iter_ror(path, on_reject=lambda *a: rejected.append(a)))
    assert len(records) == 2, records
    assert [r[0] for r in rejected] == [2], rejected
