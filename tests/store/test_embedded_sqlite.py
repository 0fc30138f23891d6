"""The embedded store's SQLite file: format, generation, caches, the adjacency, migration."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import orjson
import pytest

from collabgraph.graph.embedded import FORMAT, FORMAT_VERSION, EmbeddedStore, db, view
from collabgraph.graph.embedded.adjacency import build
from collabgraph.graph.embedded.legacy import read_v1
from collabgraph.graph.errors import SchemaError, StoreError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA

from ..factories import PROV, load, prov, tiny_graph
from .test_contract import snapshot

V1_STORE = Path(__file__).parent / "data" / "v1_tiny_graph.jsonl.gz"


def _paper(node_id: str, **extra: object) -> Node:
    return Node("Paper", node_id, {**PROV, "title": node_id, **extra})


# -- the file ------------------------------------------------------------------------------------
def test_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    first = EmbeddedStore(path)
    load(first, *tiny_graph())
    before = snapshot(first)
    first.close()
    again = EmbeddedStore(path)
    assert snapshot(again) == before
    nodes, rels = tiny_graph()
    assert {n.id for n in again.view().iter_nodes()} == {n.id for n in nodes}
    assert {r.key for r in again.view().iter_relationships()} == {r.key for r in rels}


def test_the_file_holds_the_documented_schema(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    load(EmbeddedStore(path), *tiny_graph())
    conn = sqlite3.connect(path)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["format"] == FORMAT == "collabgraph-embedded"
    assert meta["format_version"] == str(FORMAT_VERSION) == "2"
    assert meta["schema_version"] == str(SCHEMA.version)
    assert orjson.loads(meta["labels"]) == list(SCHEMA.nodes)
    assert orjson.loads(meta["types"]) == list(SCHEMA.relationships)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    label, props = conn.execute(
        "SELECT label, props FROM nodes WHERE id = 'ror:01yqg2h08'"
    ).fetchone()
    assert list(SCHEMA.nodes)[label] == "Institution"
    assert orjson.loads(props)["names_zh"] == ["哈尔滨工业大学"]
    # A key property is part of the row's key: two MILITARY_LINKs between one pair stay apart.
    kind = list(SCHEMA.relationships).index("MILITARY_LINK")
    keys = [k for (k,) in conn.execute("SELECT key FROM rels WHERE type = ?", (kind,))]
    assert keys == ["defence_lab"], keys
    authored = list(SCHEMA.relationships).index("AUTHORED")
    assert conn.execute("SELECT count(*) FROM rels WHERE type = ?", (authored,)).fetchone() == (2,)
    ends = conn.execute(
        "SELECT a.id, b.id FROM rels JOIN nodes AS a ON a.idx = rels.s "
        "JOIN nodes AS b ON b.idx = rels.e WHERE rels.type = ? ORDER BY a.id",
        (authored,),
    ).fetchall()
    assert ends == [("openalex:A1", "openalex:W1"), ("openalex:A2", "openalex:W1")]


def test_opening_creates_nothing_until_the_first_write(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "g.db"
    store = EmbeddedStore(path)
    early = store.view()
    assert early.counts().nodes["Paper"] == 0
    assert list(early.iter_nodes()) == [] and early.get_node("x") is None
    assert store.generation() == 0
    assert not path.parent.exists(), "reading must not create the store"
    with store.writer() as w:
        w.upsert_nodes([_paper("cg:p:1")])
    assert path.exists()
    # The view taken before the file existed reads the file now.
    got = early.get_node("cg:p:1")
    assert got is not None and got.props["title"] == "cg:p:1"


def test_a_store_of_the_previous_format_is_refused_with_the_way_to_convert(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.jsonl.gz"
    shutil.copy(V1_STORE, path)
    with pytest.raises(StoreError) as caught:
        EmbeddedStore(path)
    message = str(caught.value)
    assert "previous format" in message and "\n" not in message, message
    assert f"collabgraph --store NEW.db import {path}" in message, message
    assert path.read_bytes() == V1_STORE.read_bytes(), "the old file must stay untouched"


@pytest.mark.parametrize(
    "content",
    [b"not a store at all", gzip.compress(b'{"format": "something-else"}\n'), b"\x1f\x8bbroken"],
    ids=["text", "other gzip", "torn gzip"],
)
def test_other_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "g.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a collabgraph store") as caught:
        EmbeddedStore(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_an_sqlite_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a collabgraph store"):
        EmbeddedStore(path)


def test_another_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    load(EmbeddedStore(path), *tiny_graph())
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'format_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="format version 3 is not 2"):
        EmbeddedStore(path)


def test_a_failed_writer_keeps_its_earlier_batches(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    nodes, _ = tiny_graph()
    with pytest.raises(RuntimeError), EmbeddedStore(path).writer(batch_size=3) as w:
        w.upsert_nodes(nodes)  # 8 nodes: two batches of 3 flushed, 2 pending
        raise RuntimeError("ingest died")
    assert sum(EmbeddedStore(path).view().counts().nodes.values()) == 6


def test_a_batch_failing_its_checks_writes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, *tiny_graph())
    before, generation = snapshot(store), store.generation()
    clash = Node("Paper", "openalex:A1", {**PROV, "title": "clash"})
    with pytest.raises(SchemaError, match="id already used by a Researcher node"):
        with store.writer() as w:
            w.upsert_nodes([_paper("cg:p:new"), clash])
    in_batch = [_paper("cg:p:twice"), Node("Researcher", "cg:p:twice", {**PROV, "name": "r"})]
    with pytest.raises(SchemaError, match="'cg:p:twice': id already used by a Paper node"):
        with store.writer() as w:
            w.upsert_nodes(in_batch)
    assert snapshot(store) == before and store.generation() == generation


# -- generation and caches -------------------------------------------------------------------------
def test_every_write_bumps_the_generation_and_a_repeat_does_not(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    assert store.generation() == 0
    load(store, *tiny_graph())
    after_load = store.generation()
    assert after_load > 0
    load(store, *tiny_graph())
    assert store.generation() == after_load, "an identical re-ingest must write nothing"
    with store.writer() as w:
        w.upsert_nodes(
            [Node("Researcher", "openalex:A1", {"name": "Ann Peeters", "name_variants": ["A. P."]})]
        )
    assert store.generation() == after_load + 1
    assert store.delete_nodes(["nobody"]) == 0 and store.generation() == after_load + 1
    assert store.delete_nodes(["openalex:A2"]) == 1 and store.generation() == after_load + 2
    key = ("ror:01yqg2h08", "MILITARY_LINK", "cg:institution:lab1", "defence_lab")
    with store.writer() as w:
        assert w.delete_relationships([key, key]) == 1
    assert store.generation() == after_load + 3
    store.clear()
    assert store.generation() == after_load + 4, "clear never resets the counter"
    assert store.view().counts().nodes == {label: 0 for label in SCHEMA.nodes}


def test_delete_relationships_uses_the_key_properties(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, *tiny_graph())
    other = Relationship(
        "MILITARY_LINK", "ror:01yqg2h08", "cg:institution:lab1", prov(kind="supervised_by")
    )
    pending = Relationship("AUTHORED", "openalex:A2", "openalex:W1", prov(year=2022))
    with store.writer() as w:
        w.upsert_relationships([other, pending])
        # Buffered records are written first: the pending AUTHORED is deleted, not recreated.
        gone = w.delete_relationships(
            [other.key, pending.key, ("openalex:A1", "AUTHORED", "nobody")]
        )
        assert gone == 2
        with pytest.raises(SchemaError, match="a MILITARY_LINK key has 4 parts"):
            w.delete_relationships([("ror:01yqg2h08", "MILITARY_LINK", "cg:institution:lab1")])
    rels = {r.key for r in store.view().iter_relationships()}
    assert other.key not in rels and pending.key not in rels
    assert ("ror:01yqg2h08", "MILITARY_LINK", "cg:institution:lab1", "defence_lab") in rels


def test_the_memo_is_dropped_when_another_store_object_writes(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    reader, writer = EmbeddedStore(path), EmbeddedStore(path)
    load(writer, *tiny_graph())
    calls: list[int] = []

    def papers() -> int:
        calls.append(1)
        return reader.view().counts().nodes["Paper"]

    assert reader.memo(("papers",), papers) == 1
    assert reader.memo(("papers",), papers) == 1 and len(calls) == 1
    with writer.writer() as w:
        w.upsert_nodes([_paper("cg:p:2")])
    assert reader.memo(("papers",), papers) == 2 and len(calls) == 2
    assert reader.view().counts().nodes["Paper"] == 2


# -- the adjacency ---------------------------------------------------------------------------------
def _adjacency_rows(path: Path) -> list[tuple[int, int, int, int]]:
    conn = sqlite3.connect(path)
    return [tuple(r) for r in conn.execute("SELECT type, s, e, idx FROM rels")]


def _random_store(path: Path, seed: int, nodes: int, rels: int) -> EmbeddedStore:
    """Researchers and MILITARY_LINKs (parallel ones with different kinds, loops included),
    plus AUTHORED to papers, with some nodes deleted so that idx has gaps."""
    rng = np.random.default_rng(seed)
    store = EmbeddedStore(path)
    people = [Node("Researcher", f"r{i}", {**PROV, "name": f"r{i}"}) for i in range(nodes)]
    places = [Node("Institution", f"i{i}", {**PROV, "name": f"i{i}"}) for i in range(nodes)]
    papers = [_paper(f"p{i}") for i in range(nodes)]
    links = [
        Relationship(
            "MILITARY_LINK",
            f"i{rng.integers(nodes)}",
            f"i{rng.integers(nodes)}",
            prov(kind=str(rng.choice(["seven_sons", "supervised_by", "defence_lab"]))),
        )
        for _ in range(rels)
    ]
    authored = [
        Relationship("AUTHORED", f"r{rng.integers(nodes)}", f"p{rng.integers(nodes)}", prov())
        for _ in range(rels)
    ]
    with store.writer(batch_size=97) as w:
        w.upsert_nodes([*people, *places, *papers])
        w.upsert_relationships([*links, *authored])
    store.delete_nodes([f"r{i}" for i in range(0, nodes, 7)] + ["p0", f"p{nodes - 1}"])
    return store


def test_the_adjacency_holds_every_relationship_in_order(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = _random_store(path, seed=5, nodes=60, rels=400)
    adj = store.adjacency()
    conn = sqlite3.connect(path)
    top = conn.execute("SELECT max(idx) FROM nodes").fetchone()[0]
    assert adj.size == top + 1
    want_label = np.full(adj.size, -1)
    for idx, label in conn.execute("SELECT idx, label FROM nodes"):
        want_label[idx] = label
    assert (adj.label == want_label).all() and (adj.label == -1).sum() > 0
    rows = _adjacency_rows(path)
    for code in range(len(db.TYPES)):
        for csr, near, far in ((adj.out(code), 1, 2), (adj.into(code), 2, 1)):
            assert len(csr.indptr) == adj.size + 1
            got = [
                (i, int(csr.nbr[j]), int(csr.rel[j]))
                for i in range(adj.size)
                for j in range(csr.indptr[i], csr.indptr[i + 1])
            ]
            want = sorted((r[near], r[far], r[3]) for r in rows if r[0] == code)
            assert got == want, (db.TYPES[code], got[:5], want[:5])
    assert adj.out(db.TYPE_CODE["MILITARY_LINK"]).nbr.dtype == np.int32
    assert adj.nbytes > 0


def test_the_adjacency_follows_writes_from_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    reader, writer = EmbeddedStore(path), EmbeddedStore(path)
    load(writer, *tiny_graph())
    first = reader.adjacency()
    assert reader.adjacency() is first, "no write, no rebuild"
    authored = db.TYPE_CODE["AUTHORED"]
    assert int(first.out(authored).indptr[-1]) == 2
    with writer.writer() as w:
        w.upsert_nodes([_paper("openalex:W2")])
        w.upsert_relationships([Relationship("AUTHORED", "openalex:A1", "openalex:W2", prov())])
    second = reader.adjacency()
    assert second is not first and second.generation == writer.generation()
    assert int(second.out(authored).indptr[-1]) == 3
    assert len(second.label) == second.size == first.size + 1


def test_build_reads_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "g.db"
    _random_store(path, seed=9, nodes=40, rels=300)
    whole = build(sqlite3.connect(path, isolation_level=None))
    monkeypatch.setattr("collabgraph.graph.embedded.adjacency.CHUNK_ROWS", 17)
    pieces = build(sqlite3.connect(path, isolation_level=None))
    for code in range(len(db.TYPES)):
        for a, b in ((whole.out(code), pieces.out(code)), (whole.into(code), pieces.into(code))):
            assert (a.indptr == b.indptr).all() and (a.nbr == b.nbr).all()
            assert (a.rel == b.rel).all()


def test_an_empty_store_has_an_empty_adjacency(tmp_path: Path) -> None:
    adj = EmbeddedStore(tmp_path / "g.db").adjacency()
    assert adj.size == 0 and len(adj.label) == 0
    csr = adj.into(db.TYPE_CODE["AUTHORED"])
    assert list(csr.indptr) == [0] and len(csr.nbr) == 0


# -- reads -----------------------------------------------------------------------------------------
def test_long_reads_go_page_by_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "PAGE", 3)
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, *tiny_graph())
    nodes, rels = tiny_graph()
    assert [n.id for n in store.view().iter_nodes()] == [n.id for n in nodes]
    institutions = [n.id for n in nodes if n.label == "Institution"]
    assert [n.id for n in store.view().iter_nodes("Institution")] == institutions
    assert [r.key for r in store.view().iter_relationships()] == [r.key for r in rels]
    # A write between pages does not break the iteration (no statement stays open).
    seen = []
    for node in store.view().iter_nodes():
        seen.append(node.id)
        if len(seen) == 1:
            with store.writer() as w:
                w.upsert_nodes([_paper("cg:p:late")])
    assert seen == [n.id for n in nodes] + ["cg:p:late"]


def test_a_loop_is_one_neighbour(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, *tiny_graph())
    loop = Relationship("PART_OF", "ror:00cv9y106", "ror:00cv9y106", prov())
    with store.writer() as w:
        w.upsert_relationships([loop])
    both = store.view().neighbours("ror:00cv9y106", types=["PART_OF"])
    assert [(r.start, r.end, n.id) for r, n in both] == [("ror:00cv9y106",) * 3]
    inbound = store.view().neighbours("ror:00cv9y106", types=["PART_OF"], direction="in")
    assert len(inbound) == 1
    assert store.view().neighbours("ror:00cv9y106", types=[]) == []


def test_handed_out_properties_are_copies(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, *tiny_graph())
    node = store.view().get_node("openalex:A1")
    assert node is not None
    node.props["name"] = "changed"
    node.props["name_variants"].append("x")
    again = store.view().get_node("openalex:A1")
    assert again is not None and again.props["name"] == "Ann Peeters"
    assert again.props["name_variants"] == ["A. Peeters"]


def test_user_queries_need_neo4j(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cypher needs Neo4j"):
        store = EmbeddedStore(tmp_path / "g.db")
        store.user_query("MATCH (n) RETURN n", {}, max_rows=10, timeout=1.0)


# -- migration -------------------------------------------------------------------------------------
def test_read_v1_streams_a_store_written_by_the_previous_release(tmp_path: Path) -> None:
    # data/v1_tiny_graph.jsonl.gz: tests/factories.tiny_graph() saved by the networkx store of
    # the release before the SQLite one.
    records = list(read_v1(V1_STORE))
    nodes, rels = tiny_graph()
    assert [r for r in records if isinstance(r, Node)] == nodes
    # (networkx saved the relationships grouped by start node)
    got = sorted((r for r in records if isinstance(r, Relationship)), key=lambda r: r.key)
    assert got == sorted(rels, key=lambda r: r.key)
    store = EmbeddedStore(tmp_path / "new.db")
    with store.writer() as w:
        for record in records:
            if isinstance(record, Node):
                w.upsert_nodes([record])
            else:
                w.upsert_relationships([record])
    reference = EmbeddedStore(tmp_path / "ref.db")
    load(reference, nodes, rels)
    assert snapshot(store) == snapshot(reference)


def _v1(path: Path, *lines: bytes) -> Path:
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    return path


HEADER = b'{"format":"collabgraph-embedded","format_version":1,"schema_version":1}'


@pytest.mark.parametrize(
    "lines, message",
    [
        ((HEADER, b'{"n":"Paper","id":"p1","p":{}}', b"{torn"), ":3: not a JSON line"),
        ((HEADER, b'{"x":1}'), ":2: neither node nor relationship"),
        ((HEADER, b'{"r":"AUTHORED","s":"a"}'), ":2: a relationship needs"),
        ((b'{"format":"collabgraph-embedded","format_version":7}',), ":1: store format version 7"),
        ((b'{"format":"other"}',), ":1: not a collabgraph embedded store file"),
    ],
)
def test_read_v1_names_the_file_and_line(
    tmp_path: Path, lines: tuple[bytes, ...], message: str
) -> None:
    path = _v1(tmp_path / "old.jsonl.gz", *lines)
    with pytest.raises(StoreError, match=message) as caught:
        list(read_v1(path))
    assert str(caught.value).startswith(str(path))


def test_read_v1_of_a_file_that_is_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "old.jsonl.gz"
    path.write_bytes(b"plain text")
    with pytest.raises(StoreError, match="cannot read the store file"):
        list(read_v1(path))


def test_a_snapshot_reads_one_committed_state(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    reader, writer = EmbeddedStore(path), EmbeddedStore(path)
    load(writer, *tiny_graph())
    count = "SELECT count(*) FROM nodes"
    with reader.snapshot() as conn:
        before = conn.execute(count).fetchone()[0]
        # Another connection commits meanwhile (WAL: it does not wait for the reader).
        with writer.writer() as w:
            w.upsert_nodes([_paper("cg:p:during")])
        assert conn.execute(count).fetchone()[0] == before
        assert reader.view().get_node("cg:p:during") is None
    assert reader.conn.execute(count).fetchone()[0] == before + 1
    assert reader.view().get_node("cg:p:during") is not None


def test_a_previous_release_store_is_converted_by_import(tmp_path: Path) -> None:
    """`collabgraph import OLD.jsonl.gz` converts a store file written by the networkx release
    (the fixture is tiny_graph() saved by it) into a new SQLite store, exactly."""
    from click.testing import CliRunner

    from collabgraph.ui.cli import cli

    old = Path(__file__).parent / "data" / "v1_tiny_graph.jsonl.gz"
    new = tmp_path / "new.db"
    opened = CliRunner().invoke(cli, ["--store", str(old), "stats"])
    assert isinstance(opened.exception, StoreError) and "import" in str(opened.exception)
    result = CliRunner().invoke(cli, ["--store", str(new), "import", str(old)])
    assert result.exit_code == 0, result.output
    reference = EmbeddedStore(tmp_path / "reference.db")
    load(reference, *tiny_graph())
    converted = EmbeddedStore(new)
    got = {n.id: (n.label, n.props) for n in converted.view().iter_nodes()}
    want = {n.id: (n.label, n.props) for n in reference.view().iter_nodes()}
    assert got == want
    got_rels = {r.key: r.props for r in converted.view().iter_relationships()}
    assert got_rels == {r.key: r.props for r in reference.view().iter_relationships()}
