"""Property-based fuzzing of every input parser, on the embedded store.

Each generated case either ingests (every record written or rejected with a reason) or stops with
a one-line error naming the file; it never crashes and never leaves a broken or half-written
store. Case counts and distinct rejection reasons are printed at the end of the run
(tests/hardening/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabgraph.graph import ids
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.snapshot import import_snapshot, write_snapshot
from collabgraph.ingest.openalex import ingest_openalex
from collabgraph.ingest.pipeline import RejectWriter, Summary
from collabgraph.ingest.ror_graph import ingest_ror
from collabgraph.ingest.table import ingest_table
from collabgraph.ingest.technologies import ingest_technologies
from collabgraph.ingest.watchlists import ingest_watchlist

from ..factories import load, tiny_graph
from . import seeds
from .fuzz import byte_mutation, csv_text, dumps, mutated, run_case

# CI replays fixed cases (the "ci" profile in tests/conftest.py); elsewhere every run explores
# new ones. A longer campaign: COLLABGRAPH_FUZZ_EXAMPLES=4000.
FUZZ = settings(
    max_examples=int(os.environ.get("COLLABGRAPH_FUZZ_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="collabgraph-fuzz-"))


def _accounted(summary: Summary | None) -> None:
    if summary is not None:
        assert summary.read == summary.written + summary.rejected, summary.as_dict()


def _line_ids(data: bytes) -> dict[int, str | None]:
    """Line number → the work id a JSON-lines line carries (None when it does not parse)."""
    out: dict[int, str | None] = {}
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            value = json.loads(line.decode("utf-8"))
        except (ValueError, RecursionError):
            out[number] = None
            continue
        raw = value.get("id") if isinstance(value, dict) else None
        short = ids.openalex_short(raw) if isinstance(raw, str) else None
        out[number] = f"openalex:{short}" if short else None
    return out


@FUZZ
@given(
    works=mutated(seeds.openalex_works(), year_keys=("publication_year",)),
    shape=st.sampled_from(["lines", "lines", "page", "array"]),
    data=st.data(),
)
def test_openalex(works: Any, shape: str, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        if shape == "lines" and isinstance(works, list):
            text = "\n".join(dumps(w) for w in works) + "\n"
        elif shape == "page":
            text = dumps({"meta": {"count": 3}, "results": works})
        else:
            text = dumps(works)
        kind, raw = data.draw(byte_mutation(text.encode()))
        path = work_dir / "works.jsonl"
        path.write_bytes(raw)
        store_path = work_dir / "g.db"
        result = run_case(
            "openalex",
            store_path,
            [path],
            lambda s, rw: ingest_openalex(s, [path], rejects=rw, version="2024-01-01"),
        )
        _accounted(result.summary)
        if result.outcome != "ingested" or shape != "lines" or kind == "crlf":
            return
        # Per record: a rejected line left no paper behind, an accepted line's paper is there.
        line_ids = _line_ids(raw)
        rejected = {int(r["locator"].rsplit(":", 1)[1]) for r in result.rejects}
        accepted_ids = {i for n, i in line_ids.items() if n not in rejected and i}
        papers = {n.id for n in EmbeddedStore(store_path).view().iter_nodes("Paper")}
        for number, work_id in line_ids.items():
            if work_id is None:
                continue
            if number in rejected and work_id not in accepted_ids:
                assert work_id not in papers, f"line {number} rejected but {work_id} written"
            if number not in rejected:
                assert work_id in papers, f"line {number} ({work_id}) neither written nor rejected"
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(
    rows=mutated(seeds.table_rows(), year_keys=("publication_year",)),
    mapping=st.one_of(st.just(seeds.TABLE_MAPPING), mutated(seeds.TABLE_MAPPING)),
    data=st.data(),
)
def test_table_with_mapping(rows: Any, mapping: Any, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        _, raw = data.draw(byte_mutation(dumps(rows).encode()))
        path = work_dir / "table.json"
        path.write_bytes(raw)
        mapping_path = work_dir / "mapping.json"
        mapping_path.write_text(dumps(mapping), encoding="utf-8")
        result = run_case(
            "table",
            work_dir / "g.db",
            [path, mapping_path],
            lambda s, rw: ingest_table(s, [path], mapping=mapping_path, rejects=rw),
        )
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(
    records=mutated(seeds.ror_records(), year_keys=("established",)),
    shape=st.sampled_from(["lines", "array"]),
    data=st.data(),
)
def test_ror(records: Any, shape: str, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        if shape == "lines" and isinstance(records, list):
            text = "\n".join(dumps(r) for r in records) + "\n"
        else:
            text = dumps(records)
        _, raw = data.draw(byte_mutation(text.encode()))
        path = work_dir / ("ror.jsonl" if shape == "lines" else "ror.json")
        path.write_bytes(raw)
        result = run_case(
            "ror",
            work_dir / "g.db",
            [path],
            lambda s, rw: ingest_ror(s, [path], rejects=rw, version="2024-01-01"),
        )
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


def _watchlist(fmt: str, path: Path) -> Any:
    return lambda s, rw: ingest_watchlist(s, [path], fmt=fmt, rejects=rw)


@FUZZ
@given(galaxy=mutated(seeds.aspi_galaxy()), data=st.data())
def test_watchlist_aspi(galaxy: Any, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        _, raw = data.draw(byte_mutation(dumps(galaxy).encode()))
        path = work_dir / "aspi.json"
        path.write_bytes(raw)
        result = run_case("watchlist aspi", work_dir / "g.db", [path], _watchlist("aspi", path))
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(rows=mutated(seeds.dod_rows(), year_keys=("report-date",)), data=st.data())
def test_watchlist_dod1286(rows: Any, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        rows = rows if isinstance(rows, list) else [rows]
        _, raw = data.draw(byte_mutation(csv_text(seeds.DOD_HEADER, rows).encode()))
        path = work_dir / "section_1286.csv"
        path.write_bytes(raw)
        result = run_case(
            "watchlist dod1286", work_dir / "g.db", [path], _watchlist("dod1286", path)
        )
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(rows=mutated(seeds.csv_list_rows(), year_keys=("as_of", "tier")), data=st.data())
def test_watchlist_csv(rows: Any, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        rows = rows if isinstance(rows, list) else [rows]
        _, raw = data.draw(byte_mutation(csv_text(seeds.CSV_LIST_HEADER, rows).encode()))
        path = work_dir / "office_list.csv"
        path.write_bytes(raw)
        result = run_case("watchlist csv", work_dir / "g.db", [path], _watchlist("csv", path))
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(areas=mutated(seeds.technology_areas()), data=st.data())
def test_technology_areas(areas: Any, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        _, raw = data.draw(byte_mutation(dumps(areas).encode()))
        path = work_dir / "areas.json"
        path.write_bytes(raw)
        result = run_case(
            "technology areas",
            work_dir / "g.db",
            [path],
            lambda s, rw: ingest_technologies(s, [path], rejects=rw),
        )
        _accounted(result.summary)
    finally:
        shutil.rmtree(work_dir)


VOCABULARY_JUNK = ['""', "-1", "99999", "[]", '["*"]', "[1, 2]", '"\\u0000"', "{}", "[[[[[]]]]]"]
VOCABULARY_JUNK.append('"' + "q" * 100_000 + '"')


@st.composite
def _vocabulary_text(draw: st.DrawFn) -> str:
    lines = seeds.VOCABULARY_TOML.splitlines()
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "value", "text"]))
        if action == "drop":
            lines.pop(index)
        elif action == "value" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            junk = draw(st.sampled_from(VOCABULARY_JUNK))
            lines[index] = f"{key}= {junk}"
        if not lines:
            break
        if action == "text":
            lines.insert(index, draw(st.text(max_size=30)))
    return "\n".join(lines) + "\n"


@FUZZ
@given(vocabulary=_vocabulary_text(), data=st.data())
def test_technology_vocabulary(vocabulary: str, data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        works = work_dir / "works.jsonl"
        works.write_text("\n".join(json.dumps(w) for w in seeds.openalex_works()) + "\n")
        areas = work_dir / "areas.json"
        areas.write_text(json.dumps(seeds.technology_areas()))
        _, raw = data.draw(byte_mutation(vocabulary.encode()))
        vocab = work_dir / "vocabulary.toml"
        vocab.write_bytes(raw)
        store_path = work_dir / "g.db"
        ingest_openalex(EmbeddedStore(store_path), [works], rejects=RejectWriter(work_dir / "r"))
        run_case(
            "technology vocabulary",
            store_path,
            [vocab],
            lambda s, rw: ingest_technologies(s, [areas], rejects=rw, vocabulary=vocab),
        )
    finally:
        shutil.rmtree(work_dir)


@pytest.fixture(scope="module")
def snapshot_seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("snapshot-seed")
    store = EmbeddedStore(base / "g.db")
    load(store, *tiny_graph())
    write_snapshot(store, base / "snap", fmt="json")
    (found,) = [
        p for p in (base / "snap").iterdir() if p.suffix == ".json" and p.name != "manifest.json"
    ]
    return json.loads(found.read_text(encoding="utf-8"))


@FUZZ
@given(data=st.data())
def test_snapshot_import(snapshot_seed: dict[str, Any], data: st.DataObject) -> None:
    work_dir = _work_dir()
    try:
        doc = data.draw(mutated(snapshot_seed))
        _, raw = data.draw(byte_mutation(dumps(doc).encode()))
        path = work_dir / "graph.json"
        path.write_bytes(raw)
        store_path = work_dir / "g.db"

        def importing(store: EmbeddedStore, rw: RejectWriter) -> Summary:
            result = import_snapshot(store, path)
            total = sum(result.nodes.values()) + sum(result.relationships.values())
            return Summary("snapshot", read=total, written=total)

        result = run_case("snapshot import (node-link JSON)", store_path, [path], importing)
        if result.outcome == "file error" and store_path.exists():
            # A refused snapshot (smaller than one batch) leaves nothing of itself behind.
            counts = EmbeddedStore(store_path).view().counts()
            assert sum(counts.nodes.values()) == 0, (result.error, counts)
    finally:
        shutil.rmtree(work_dir)
