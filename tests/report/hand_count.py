"""A hand count of the bundled sample, read straight from its raw files.

Deliberately independent of the ingest and query code: it reads the JSON and CSV with the
standard library and decides by names alone, the way a person with the files open would.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "sample"

# ASPI categories that ingest/tiers.toml maps to "high" or "very high" (read by hand).
ASPI_HIGH = {
    "Seven sons of national defence",
    "Military",
    "Security",
    "Defence industry conglomerate",
}


def norm(name: str) -> str:
    """Case-folded, curly apostrophes straightened, a trailing "(中文名)" and "the " dropped,
    spaces collapsed."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", name).casefold().replace("the ", "")
    return " ".join(text.replace("\u2019", "'").split())


def high_risk_names() -> set[str]:
    """Every name (and alias) of an institution listed at tier high or above."""
    names: set[str] = set()
    with (SAMPLE / "section_1286.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names.add(norm(row["name"]))
            names.update(norm(a) for a in (row["aliases"] or "").split(";") if a.strip())
    aspi = json.loads((SAMPLE / "aspi_china_defence_universities.json").read_text("utf-8"))
    for entry in aspi["values"]:
        if set(entry["meta"].get("categories", [])) & ASPI_HIGH:
            names.add(norm(entry["value"]))
            names.update(norm(a) for a in entry["meta"].get("aliases", []))
    return names


def hand_count(
    home: set[str] | None = None, partner: set[str] | None = None
) -> dict[str, Counter[int]]:
    """Per year: joint BE–CN works (both countries among the authors' affiliations, a title
    present) and those with a CN institution named on a high-tier list. With ``home`` (names
    as :func:`norm` gives them), only the works naming one of them among their BE
    institutions; with ``partner``, only those naming one among their CN institutions, and
    only those CN institutions count for high risk."""
    works = json.loads((SAMPLE / "be_cn_works.json").read_text("utf-8"))
    listed = high_risk_names()
    joint: Counter[int] = Counter()
    high: Counter[int] = Counter()
    for work in works:
        by_country = work.get("authors_by_country") or {}
        if not (work.get("title") or "").strip():
            continue  # the ingest rejects a work without a title (and says so)
        if not (by_country.get("BE") and by_country.get("CN")):
            continue
        if home is not None and not any(norm(n) in home for n in work["institutions"]["BE"]):
            continue
        theirs = [norm(n) for n in work["institutions"].get("CN", [])]
        if partner is not None:
            theirs = [n for n in theirs if n in partner]
            if not theirs:
                continue
        year = work["publication_year"]
        joint[year] += 1
        if any(n in listed for n in theirs):
            high[year] += 1
    return {"joint": joint, "high_risk": high}


def ror_names(record: dict[str, object]) -> set[str]:
    """A raw ROR record's names (v1: name, aliases, labels; v2: names other than acronyms)."""
    out: set[str] = set()
    if isinstance(name := record.get("name"), str):
        out.add(name)
    out.update(a for a in record.get("aliases") or [] if isinstance(a, str))  # type: ignore[attr-defined]
    out.update(label["label"] for label in record.get("labels") or [])  # type: ignore[attr-defined]
    for entry in record.get("names") or []:  # type: ignore[attr-defined]
        if "acronym" not in entry.get("types", []):
            out.add(entry["value"])
    return out


def ror_subtree_names(root: str) -> set[str]:
    """Normalised names of the ROR record ``root`` (a ROR URL) and of every record below it
    (a child of it, of its children, ...), read from the raw ROR file by its relationships."""
    with gzip.open(SAMPLE / "ror.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = {r["id"]: r for r in map(json.loads, fh)}
    children: dict[str, set[str]] = {}
    for record in records.values():
        for rel in record.get("relationships", []):
            kind = rel["type"].lower()
            if kind == "parent":
                children.setdefault(rel["id"], set()).add(record["id"])
            elif kind == "child":
                children.setdefault(record["id"], set()).add(rel["id"])
    seen, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), set()) - seen:
            seen.add(child)
            todo.append(child)
    return {norm(n) for rid in seen if rid in records for n in ror_names(records[rid])}
