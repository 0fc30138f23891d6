"""The embedded store's file: documented format, atomic replace, identical reload."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from unittest import mock

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import StoreError

from ..factories import load, tiny_graph
from .test_contract import snapshot


def test_round_trip_is_identical(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    first = EmbeddedStore(path)
    load(first, *tiny_graph())
    again = EmbeddedStore(path)
    assert snapshot(again) == snapshot(first)


def test_file_is_documented_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    load(EmbeddedStore(path), *tiny_graph())
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert lines[0] == {"format": "collabgraph-embedded", "format_version": 1, "schema_version": 1}
    assert sum("n" in rec for rec in lines) == 8
    assert sum("r" in rec for rec in lines) == 8


def test_a_crash_while_saving_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    store = EmbeddedStore(path)
    load(store, *tiny_graph())
    before = path.read_bytes()
    store.graph.add_node("openalex:A9", label="Researcher", props={"name": "x"})
    with mock.patch("collabgraph.graph.embedded.os.replace", side_effect=OSError("disk gone")):
        with pytest.raises(OSError):
            store.save()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.jsonl.gz"], "temporary file left behind"


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(StoreError, match="cannot read the store file"):
        EmbeddedStore(path)


def test_other_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write('{"format": "something-else"}\n')
    with pytest.raises(StoreError, match="not a collabgraph embedded store"):
        EmbeddedStore(path)


def test_failed_writer_still_commits_earlier_batches(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    store = EmbeddedStore(path)
    nodes, _ = tiny_graph()
    with pytest.raises(RuntimeError), store.writer(batch_size=3) as w:
        w.upsert_nodes(nodes)  # 8 nodes: two batches of 3 flushed, 2 pending
        raise RuntimeError("ingest died")
    assert os.path.exists(path)
    assert sum(EmbeddedStore(path).view().counts().nodes.values()) == 6
