"""A hand count of the bundled sample, read straight from its raw files.

Deliberately independent of the ingest and query code: it reads the JSON and CSV with the
standard library and decides by names alone, the way a person with the files open would.
"""

from __future__ import annotations

import csv
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


def hand_count() -> dict[str, Counter[int]]:
    """Per year: joint BE–CN works (both countries among the authors' affiliations, a title
    present) and those with a CN institution named on a high-tier list."""
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
        year = work["publication_year"]
        joint[year] += 1
        if any(norm(n) in listed for n in work["institutions"].get("CN", [])):
            high[year] += 1
    return {"joint": joint, "high_risk": high}
