"""Several processes on one embedded store: writers take turns and lose nothing, a writer that
waits too long says so, readers are never blocked, and a killed writer never corrupts the file.

The processes are real (``python -c``). Where an overlap matters it is made certain with marker
files rather than timed: the first writer stops inside its transaction, after it has read the
rows it merges into, until the second one is about to write.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.embedded.db import TYPES
from collabgraph.graph.errors import StoreError
from collabgraph.graph.records import Node

from ..factories import PROV

N = 40


def _paper(node_id: str) -> Node:
    return Node("Paper", node_id, {**PROV, "title": node_id})


def _wait_for(marker: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{marker.name} never appeared"
        time.sleep(0.01)


def _spawn(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# argv: store path, name prefix, marker to create, marker to wait for ("-": none).
# Writes N batches of one node each: its own paper and the shared institution with one more
# name (a union). With a wait marker, the first flush stops after reading the institution's
# row, inside its transaction, until that marker exists, and then lingers a little so that the
# other process is surely waiting for the write lock.
WRITER = f"""
import sys, time
from pathlib import Path
from collabgraph.graph.embedded import EmbeddedStore, writer
from collabgraph.graph.records import Node
path, prefix, mark, wait_for = sys.argv[1:5]
prov = {PROV!r}
if wait_for != "-":
    read = writer._existing_nodes
    state = {{"first": True}}
    def stopping(*args, **kwargs):
        found = read(*args, **kwargs)
        if state.pop("first", False):
            Path(mark).touch()
            deadline = time.monotonic() + 30
            while not Path(wait_for).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.3)
        return found
    writer._existing_nodes = stopping
store = EmbeddedStore(path)
if wait_for == "-":
    Path(mark).touch()
with store.writer(batch_size=2) as w:
    for i in range({N}):
        w.upsert_nodes([
            Node("Paper", f"cg:p:{{prefix}}{{i}}", {{**prov, "title": prefix}}),
            Node("Institution", "cg:i:shared",
                 {{**prov, "name": "shared", "names": [f"{{prefix}}{{i}}"]}}),
        ])
print("done")
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with EmbeddedStore(path).writer() as w:
        w.upsert_nodes([_paper("cg:p:seed")])
    inside, about_to_write = tmp_path / "a-inside", tmp_path / "b-about-to-write"
    first = _spawn(WRITER, path, "a", inside, about_to_write)
    _wait_for(inside, first)
    second = _spawn(WRITER, path, "b", about_to_write, "-")
    outputs = [proc.communicate(timeout=120) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    view = EmbeddedStore(path).view()
    papers = {n.id for n in view.iter_nodes("Paper")}
    wanted = {"cg:p:seed"} | {f"cg:p:{p}{i}" for p in "ab" for i in range(N)}
    assert papers == wanted, f"{len(wanted - papers)} nodes lost: {sorted(wanted - papers)[:3]}"
    shared = view.get_node("cg:i:shared")
    assert shared is not None
    names = shared.props["names"]
    # Every flush merged into what the other process had committed: no name was lost.
    assert sorted(names) == sorted(f"{p}{i}" for p in "ab" for i in range(N)), names
    assert names[0] == "a0", "the first writer's batch was committed first"


HOLDER = """
import sqlite3, sys, time
from pathlib import Path
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its transaction
conn.execute("DELETE FROM nodes WHERE id = 'cg:p:seed'")
Path(sys.argv[2]).touch()
time.sleep(60)
"""


def test_a_writer_waiting_too_long_says_so_and_readers_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.db"
    with EmbeddedStore(path).writer() as w:
        w.upsert_nodes([_paper("cg:p:seed")])
    holding = tmp_path / "holding"
    holder = _spawn(HOLDER, path, holding)
    try:
        _wait_for(holding, holder)
        monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "0.3")
        store = EmbeddedStore(path)
        # Readers read the last commit while the other write is under way.
        assert {n.id for n in store.view().iter_nodes()} == {"cg:p:seed"}
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            with store.writer() as w:
                w.upsert_nodes([_paper("cg:p:1")])
        assert time.monotonic() - started >= 0.25, "it must wait before giving up"
        message = str(caught.value)
        assert str(path) in message and "another collabgraph process" in message, message
        assert "COLLABGRAPH_STORE_LOCK_TIMEOUT" in message and "\n" not in message, message
        with pytest.raises(StoreError, match="another collabgraph process"):
            store.clear()
        with pytest.raises(StoreError, match="another collabgraph process"):
            store.delete_nodes(["cg:p:seed"])
    finally:
        holder.kill()
        holder.communicate()
    # The holder died without committing: its change is gone, and so is its lock.
    with store.writer() as w:
        w.upsert_nodes([_paper("cg:p:1")])
    assert {n.id for n in store.view().iter_nodes()} == {"cg:p:seed", "cg:p:1"}


def test_a_bad_timeout_setting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="COLLABGRAPH_STORE_LOCK_TIMEOUT='soon'"):
        EmbeddedStore(tmp_path / "g.db").clear()


def test_nested_writers_on_one_store_do_not_deadlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A deadlock would show as a lock timeout, not a hang.
    monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "2")
    store = EmbeddedStore(tmp_path / "g.db")
    with store.writer() as outer:
        outer.upsert_nodes([_paper("cg:p:outer"), _paper("cg:p:gone")])
        outer.flush()
        with store.writer() as inner:
            inner.upsert_nodes([_paper("cg:p:inner")])
        assert store.delete_nodes(["cg:p:gone"]) == 1
        outer.upsert_nodes([_paper("cg:p:late")])
    assert {n.id for n in store.view().iter_nodes()} == {"cg:p:outer", "cg:p:inner", "cg:p:late"}


# argv: store path, batch size, id prefix. Writes batch after batch until killed: each batch is
# that many papers, one researcher and the researcher's AUTHORED relationships to them.
INGEST = """
import sys
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
prov = {"source": "t", "sources": ["t"], "first_seen": "2024-01-01", "last_seen": "2024-01-01"}
path, size, run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = EmbeddedStore(path)
b = 0
while True:
    with store.writer(batch_size=100_000) as w:
        papers = [f"cg:p:{run}{b}-{i}" for i in range(size)]
        w.upsert_nodes(Node("Paper", p, {**prov, "title": "t " + p}) for p in papers)
        w.upsert_nodes([Node("Researcher", f"cg:r:{run}{b}", {**prov, "name": "r"})])
        rels = (Relationship("AUTHORED", f"cg:r:{run}{b}", p, dict(prov)) for p in papers)
        w.upsert_relationships(rels)
    b += 1
    if b == 1:
        print("first", flush=True)
"""


def _check_whole_batches(path: Path, size: int) -> int:
    """The file is intact and holds only whole batches; returns how many."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    store = EmbeddedStore(path)
    counts = store.view().counts()
    papers, researchers = counts.nodes["Paper"], counts.nodes["Researcher"]
    assert papers == size * researchers == counts.relationships["AUTHORED"], counts
    # One generation per committed batch: nothing else was half-counted either.
    assert store.generation() == researchers
    ids = {n.id for n in store.view().iter_nodes()}
    assert all(r.start in ids and r.end in ids for r in store.view().iter_relationships())
    store.close()
    return researchers


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_ingest_leaves_whole_batches(tmp_path: Path) -> None:
    path, size = tmp_path / "g.db", 300
    committed = 0
    for round_no, delay in enumerate((0.05, 0.3, 0.17)):
        proc = _spawn(INGEST, path, size, f"run{round_no}-")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "first", proc.communicate()
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        batches = _check_whole_batches(path, size)
        assert batches > committed, f"round {round_no}: nothing committed before the kill"
        committed = batches
    # The store goes on after the crashes.
    store = EmbeddedStore(path)
    with store.writer() as w:
        w.upsert_nodes([_paper("cg:p:after")])
    assert store.view().get_node("cg:p:after") is not None


def test_readers_in_other_processes_see_commits(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    reader = EmbeddedStore(path)
    view = reader.view()
    assert view.counts().nodes["Paper"] == 0
    code = (
        "import sys\nfrom collabgraph.graph.embedded import EmbeddedStore\n"
        "from collabgraph.graph.records import Node, Relationship\n"
        f"prov = {PROV!r}\n"
        "with EmbeddedStore(sys.argv[1]).writer() as w:\n"
        "    w.upsert_nodes([Node('Paper', 'cg:p:x', {**prov, 'title': 'x'}),\n"
        "                    Node('Researcher', 'cg:r:x', {**prov, 'name': 'x'})])\n"
        "    w.upsert_relationships([Relationship('AUTHORED', 'cg:r:x', 'cg:p:x', prov)])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert view.counts().nodes["Paper"] == 1
    assert [r.end for r, _ in view.neighbours("cg:r:x")] == ["cg:p:x"]
    adj = reader.adjacency()
    assert adj.generation == reader.generation() == 1
    assert [adj.count(t) for t in range(len(TYPES))] == [t == "AUTHORED" for t in TYPES]
