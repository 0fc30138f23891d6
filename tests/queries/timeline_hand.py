"""A hand count of one researcher's and one institution's timeline, read from the raw sample.

Independent of the ingest and query code, like tests/report/hand_count.py (whose name rules it
reuses): a researcher is an "Name (Institution)" author string of be_cn_works.json; an
institution is its ROR name and its ROR children's names; a Chinese institution is high-risk
when its name is on the §1286 CSV or on ASPI in a high category; its listing years are the
CSV's report-date years and, for ASPI, 2020 (the snapshot of 2020-08-22, SOURCE.md).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from typing import Any

from ..report.hand_count import ASPI_HIGH, SAMPLE, high_risk_names, norm

ASPI_YEAR = 2020


def listing_years() -> dict[str, set[int]]:
    """Each listed name (and alias), normalised, with the years it was listed at tier high."""
    years: dict[str, set[int]] = {}
    with (SAMPLE / "section_1286.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *(a for a in (row["aliases"] or "").split(";") if a.strip())]
            for name in names:
                years.setdefault(norm(name), set()).add(int(row["report-date"]))
    aspi = json.loads((SAMPLE / "aspi_china_defence_universities.json").read_text("utf-8"))
    for entry in aspi["values"]:
        if set(entry["meta"].get("categories", [])) & ASPI_HIGH:
            for name in [entry["value"], *entry["meta"].get("aliases", [])]:
                years.setdefault(norm(name), set()).add(ASPI_YEAR)
    return years


def ror_names(ror_id: str) -> set[str]:
    """The names of a ROR record and of its children (ROR v1 ``relationships``)."""
    with gzip.open(SAMPLE / "ror.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = {r["id"]: r for r in map(json.loads, fh)}
    record = records[f"https://ror.org/{ror_id}"]
    children = [r["id"] for r in record["relationships"] if r["type"].lower() == "child"]
    return {_name(records[c]) for c in [record["id"], *children] if c in records}


def _name(record: dict[str, Any]) -> str:
    """A ROR record's name: ``name`` (v1) or the ``ror_display`` entry of ``names`` (v2)."""
    if record.get("name"):
        return norm(record["name"])
    return next(norm(n["value"]) for n in record["names"] if "ror_display" in n["types"])


def _works() -> list[dict[str, Any]]:
    works = json.loads((SAMPLE / "be_cn_works.json").read_text("utf-8"))
    return [w for w in works if (w.get("title") or "").strip()]


def _count(works: list[dict[str, Any]]) -> dict[str, Any]:
    listed, years = high_risk_names(), listing_years()
    rows: dict[int, Counter[str]] = {}
    marks: set[int] = set()
    for work in works:
        row = rows.setdefault(work["publication_year"], Counter())
        row["papers"] += 1
        by_country = work.get("authors_by_country") or {}
        if not (by_country.get("BE") and by_country.get("CN")):
            continue
        row["joint"] += 1
        hits = [norm(n) for n in work["institutions"].get("CN", []) if norm(n) in listed]
        if hits:
            row["high_risk"] += 1
            dated = {y for n in hits for y in years[n]}
            marks |= dated
            row["before_listing"] += work["publication_year"] < min(dated)
    return {
        "rows": {y: dict(c) for y, c in sorted(rows.items())},
        "listing_years": sorted(marks),
    }


def researcher_count(author: str) -> dict[str, Any]:
    """The timeline of the author string ``author`` ("Name (Institution)")."""
    works = [
        w
        for w in _works()
        if any(author in names for names in (w.get("authors_by_country") or {}).values())
    ]
    return _count(works)


def institution_count(ror_id: str) -> dict[str, Any]:
    """The timeline of the ROR institution ``ror_id`` with its children."""
    names = ror_names(ror_id)
    works = [
        w
        for w in _works()
        if any(norm(n) in names for ns in w["institutions"].values() for n in ns)
    ]
    return _count(works)
