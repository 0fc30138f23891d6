"""Rebuild the bundled sample from ../shared/data (run by hand; the demo never needs it).

    python -m collabgraph.ingest.sample.build /path/to/shared/data

It writes, into this folder:
- ``be_cn_works.json``: the 330 Belgium–China works with ONLY their OpenAlex-derived fields
  (paper_id, doi, title, publication_year, institutions, authors_by_country,
  countries_collaborating); the compiler's own risk/technology fields are dropped;
- ``ror.jsonl.gz``: every BE and CN ROR record of ror_be_cn_v2/v1 (2,579), plus the records of
  other countries from ror_records_union whose name (or label/alias) is, after normalisation,
  an institution name in those works with the same country, plus their parents;
- copies of the ASPI galaxy JSON, the Section 1286 CSV and the EC areas JSON, unchanged.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

from collabgraph.graph.ids import normalise_key
from collabgraph.ingest.ror import parse_record

HERE = Path(__file__).resolve().parent
KEEP = (
    "paper_id",
    "doi",
    "title",
    "publication_year",
    "institutions",
    "authors_by_country",
    "countries_collaborating",
)


def build(shared: Path) -> None:
    works = json.loads(
        (
            shared
            / "openalex-derived-be-cn-collaborations"
            / "BE_china_collaborations_20250921_124455.json"
        ).read_text(encoding="utf-8")
    )
    slim = [{k: w.get(k) for k in KEEP} for w in works]
    (HERE / "be_cn_works.json").write_text(
        json.dumps(slim, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    wanted = {
        (normalise_key(name), country)
        for w in slim
        for country, names in (w.get("institutions") or {}).items()
        for name in names
    }
    lines: dict[str, str] = {}
    for name in ("ror_be_cn_v2.jsonl", "ror_be_cn_v1.jsonl"):
        for line in (shared / "ror" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines[json.loads(line)["id"]] = line
    by_id: dict[str, str] = {}
    extra: set[str] = set()
    with gzip.open(shared / "ror" / "ror_records_union.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            by_id[obj["id"]] = line.strip()
            record = parse_record(obj)
            if record.country in ("BE", "CN"):
                continue
            if any((normalise_key(n), record.country) in wanted for n in record.all_names):
                extra.add(obj["id"])
    for ror in sorted(extra):
        lines[ror] = by_id[ror]
        for parent in parse_record(json.loads(by_id[ror])).parents:
            url = f"https://ror.org/{parent}"
            if url in by_id:
                lines.setdefault(url, by_id[url])
    with gzip.GzipFile(HERE / "ror.jsonl.gz", "wb", compresslevel=9, mtime=0) as out:
        for ror in sorted(lines):
            out.write((lines[ror] + "\n").encode("utf-8"))
    copies = {
        "aspi-china-defence-universities/misp-galaxy-china-defence-universities.json": (
            "aspi_china_defence_universities.json"
        ),
        "us-dod-section-1286-list/section_1286.csv": "section_1286.csv",
        "ec-critical-technology-areas-2023/critical_technology_areas.json": (
            "ec_critical_technology_areas.json"
        ),
    }
    for src, dst in copies.items():
        shutil.copyfile(shared / src, HERE / dst)
    print(f"{len(slim)} works, {len(lines)} ROR records ({len(extra)} outside BE/CN)")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
