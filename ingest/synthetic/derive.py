"""Rebuild ``institutions.json``, the institution list the generator draws from.

Run once, offline, from a checkout next to the shared reference data::

    python -m collabgraph.ingest.synthetic.derive ../shared/data

It reads the ROR v2 records for Belgium and China and marks the ones whose English or Chinese
label or alias equals (after case, accent and space folding) a name or alias on the ASPI China
Defence Universities Tracker or the US DoD Section 1286 list. Acronyms are left out of the
matching on purpose: "HIT" or "NPU" name several institutions, and a wrong flag would put a
false risk signal into every synthetic corpus. The output is committed, so the generator never
needs ../shared at run time.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

from collabgraph.graph.ids import normalise_key

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "institutions.json"

# Unlisted institutions kept per country: enough variety for realistic partner spread while
# keeping the bundled file small. Listed institutions are always kept.
KEEP_UNLISTED = {"BE": 160, "CN": 340}
# ROR type order decides the OpenAlex-style single `type` (OpenAlex shows one type per
# institution; "funder" is never the main one when another type is present).
TYPE_ORDER = ["education", "facility", "healthcare", "company", "government", "nonprofit"]
_PAREN = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


def _names(record: dict[str, Any]) -> tuple[str, list[str], list[str], list[str]]:
    display = ""
    labels: list[str] = []
    acronyms: list[str] = []
    zh: list[str] = []
    for name in record.get("names", []):
        value = str(name["value"]).strip().rstrip(";")
        types = name.get("types", [])
        if "ror_display" in types:
            display = value
        if "acronym" in types:
            acronyms.append(value)
        elif name.get("lang") == "zh":
            zh.append(value)
        else:
            labels.append(value)
    return display, labels, acronyms, zh


def _main_type(types: list[str]) -> str:
    for kind in TYPE_ORDER:
        if kind in types:
            return kind
    return "other" if not types or types == ["funder"] else types[0]


def _aspi_names(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category = row["categories"].split(";")[0].strip()
            names = [row["name_en"], row["name_zh"], *row["aliases"].split(";")]
            for name in names:
                name = name.strip()
                # Acronyms (all capitals, short) are ambiguous; see the module docstring.
                if name and not (name.isupper() and len(name) <= 6):
                    out[normalise_key(name)] = category
    return out


def _dod_names(path: Path) -> set[str]:
    out: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name"], _PAREN.sub("", row["name"]), *row["aliases"].split(";")]:
                name = name.strip()
                if name and not (name.isupper() and len(name) <= 6):
                    out.add(normalise_key(name))
    return out


def derive(shared: Path) -> list[dict[str, Any]]:
    """The bundled institution rows, listed ones first, then a deterministic slice of the rest."""
    aspi = _aspi_names(shared / "aspi-china-defence-universities" / "institutions_flat.csv")
    dod = _dod_names(shared / "us-dod-section-1286-list" / "section_1286.csv")
    listed: list[dict[str, Any]] = []
    unlisted: dict[str, list[dict[str, Any]]] = {"BE": [], "CN": []}
    with (shared / "ror" / "ror_be_cn_v2.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("status") != "active":
                continue
            display, labels, acronyms, zh = _names(record)
            geo = record["locations"][0]["geonames_details"]
            keys = {normalise_key(n) for n in [display, *labels, *zh]}
            aspi_hits = sorted({aspi[k] for k in keys if k in aspi})
            row: dict[str, Any] = {
                "ror": record["id"].rsplit("/", 1)[-1],
                "name": display,
                "aliases": [n for n in labels if n != display][:3],
                "acronyms": acronyms[:2],
                "name_zh": zh[0] if zh else None,
                "country": geo["country_code"],
                "city": geo.get("name") or "",
                "type": _main_type(record.get("types", [])),
                "aspi": aspi_hits[0] if aspi_hits else None,
                "dod1286": bool(keys & dod),
            }
            if row["aspi"] or row["dod1286"]:
                listed.append(row)
            elif row["country"] in unlisted:
                unlisted[row["country"]].append(row)
    rows = sorted(listed, key=lambda r: r["ror"])
    for country, keep in KEEP_UNLISTED.items():
        # Research-performing kinds first: companies and funders rarely appear on papers.
        pool = sorted(
            unlisted[country],
            key=lambda r: (TYPE_ORDER.index(r["type"]) if r["type"] in TYPE_ORDER else 9, r["ror"]),
        )
        rows += pool[:keep]
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python -m collabgraph.ingest.synthetic.derive SHARED_DATA_DIR", file=sys.stderr
        )
        return 2
    rows = derive(Path(argv[0]))
    with OUTPUT.open("w", encoding="utf-8") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows))
        out.write("\n]\n")
    listed = [r for r in rows if r["aspi"] or r["dod1286"]]
    print(f"{len(rows)} institutions, {len(listed)} listed -> {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
