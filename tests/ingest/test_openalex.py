"""OpenAlex works on both stores: hand-counted records, idempotence, rejects, provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.ingest.derive import derive
from collabgraph.ingest.openalex import ingest_openalex, rebuild_abstract

from ..conftest import shared_file
from .helpers import counts, rejects, snapshot


def _first_works(tmp_path: Path, n: int) -> list[str]:
    lines = shared_file("openalex-sample-works/works.jsonl").read_text().splitlines()
    return lines[:n]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_three_works_hand_count(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "works.jsonl", _first_works(tmp_path, 3))
    summary = ingest_openalex(store, [path], rejects=rejects(tmp_path), version="2025-09-18")
    derive(store)
    # Hand count from works.jsonl lines 1-3:
    # W1934649023 (3 authors: Kaufmann@Brookings, Kraay@World Bank, Mastruzzi no inst.),
    # W4235431033 (1 author "World Bank", no inst.),
    # W2125576237 (12 authors; 10 authorships with one institution each, 7 distinct
    # institutions: CATIE, UConn, ECOSUR, Saint Louis Zoo, Morelia, CIESAS, Wageningen).
    # → 3 papers, 16 researchers, 9 institutions, 16 AUTHORED, 12 AFFILIATED_WITH,
    #   CO_AUTHORED C(3,2) + C(12,2) = 3 + 66 = 69.
    assert counts(store) == {
        "Paper": 3,
        "Researcher": 16,
        "Institution": 9,
        "AUTHORED": 16,
        "AFFILIATED_WITH": 12,
        "CO_AUTHORED": 69,
    }
    assert (summary.read, summary.written, summary.rejected) == (3, 3, 0)
    view = store.view()
    paper = view.get_node("openalex:W1934649023")
    assert paper is not None
    assert paper.props["doi"] == "10.1596/1813-9450-3630"
    assert paper.props["year"] == 2005
    assert paper.props["abstract"].startswith("No AccessPolicy Research Working Papers21")
    assert paper.props["source"] == "openalex" and paper.props["last_seen"] == "2025-09-18"
    kaufmann = view.get_node("openalex:A5084264679")
    assert kaufmann is not None and kaufmann.props["orcid"] == "0000-0003-3260-0660"
    aff = [r for r, _ in view.neighbours("openalex:A5084264679", types=["AFFILIATED_WITH"])]
    assert len(aff) == 1, aff
    assert aff[0].end == "ror:04aj4sh46"  # Brookings: ROR id preferred over the OpenAlex id
    assert aff[0].props["method"] == "ror_id" and aff[0].props["score"] == 1.0
    assert aff[0].props["evidence_papers"] == ["openalex:W1934649023"]
    assert aff[0].props["years"] == [2005]
    authored = [r for r, _ in view.neighbours("openalex:A5084264679", types=["AUTHORED"])]
    assert authored[0].props["author_position"] == "first"
    assert authored[0].props["raw_affiliations"] == ["The Brookings Institution"]


def test_ingest_twice_is_a_no_op_and_newer_version_moves_last_seen(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, "works.jsonl", _first_works(tmp_path, 2))
    ingest_openalex(store, [path], rejects=rejects(tmp_path), version="2025-01-01")
    derive(store)
    first = snapshot(store)
    ingest_openalex(store, [path], rejects=rejects(tmp_path), version="2025-01-01")
    derive(store)
    assert snapshot(store) == first
    ingest_openalex(store, [path], rejects=rejects(tmp_path), version="2025-06-01")
    paper = store.view().get_node("openalex:W1934649023")
    assert paper is not None
    assert (paper.props["first_seen"], paper.props["last_seen"]) == ("2025-01-01", "2025-06-01")


def test_broken_copy_sends_three_bad_lines_to_the_reject_file(store: Store, tmp_path: Path) -> None:
    good = _first_works(tmp_path, 2)
    no_id: dict[str, Any] = json.loads(good[1])
    del no_id["id"]
    bad_year: dict[str, Any] = json.loads(good[1])
    bad_year["id"] = "https://openalex.org/W999"
    bad_year["publication_year"] = 3024
    lines = [
        good[0],
        '{"id": "https://openalex.org/W1", "title": ',
        json.dumps(no_id),
        json.dumps(bad_year),
        good[1],
    ]
    path = _write(tmp_path, "broken.jsonl", lines)
    writer = rejects(tmp_path, "bad.jsonl")
    summary = ingest_openalex(store, [path], rejects=writer)
    assert (summary.read, summary.written, summary.rejected) == (5, 2, 3)
    rows = [json.loads(x) for x in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [r["locator"] for r in rows] == ["broken.jsonl:2", "broken.jsonl:3", "broken.jsonl:4"]
    assert rows[0]["reason"].startswith("bad JSON")
    assert "missing or invalid work id" in rows[1]["reason"]
    assert rows[2]["reason"] == "publication_year 3024 is impossible"
    assert rows[0]["text"] == '{"id": "https://openalex.org/W1", "title":'
    assert all(r["source_file"] == str(path) for r in rows)
    assert counts(store)["Paper"] == 2


def test_api_pages_are_read_like_lines() -> None:
    page = shared_file(
        "openalex-sample-works/api-pages/openalexPro_json_chunk_4_results_page_1.json"
    )
    doc = json.loads(page.read_text())
    assert len(doc["results"]) == 25  # SOURCE.md: pages of 50+50+50+25 works


def test_rebuild_abstract_orders_words_by_position() -> None:
    assert rebuild_abstract({"world": [1], "hello": [0], "again": [3], "hello ": [2]}) == (
        "hello world hello  again"
    )
    assert rebuild_abstract(None) is None
    assert rebuild_abstract({}) is None


def test_a_line_of_invalid_utf8_is_rejected_and_the_rest_still_ingests(
    store: Store, tmp_path: Path
) -> None:
    good = _first_works(tmp_path, 2)
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        good[0].encode()
        + b"\n"
        + b'{"id": "https://openalex.org/W7", "title": "caf\xe9 \xff"}\n'
        + good[1].encode()
        + b"\n"
    )
    writer = rejects(tmp_path, "bad.jsonl")
    summary = ingest_openalex(store, [path], rejects=writer)
    assert (summary.read, summary.written, summary.rejected) == (3, 2, 1), summary
    rows = [json.loads(x) for x in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [r["locator"] for r in rows] == ["mixed.jsonl:2"], rows
    assert counts(store)["Paper"] == 2
