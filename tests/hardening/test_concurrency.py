"""Readers during a write see the last committed graph, never a half batch.

Embedded: another process keeps loading the file while a writer saves batch after batch.
Neo4j: a reader counts while a writer commits batches of a known size in their own transactions.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from collabgraph.graph.records import Node, Relationship

from .fuzz import check_store

BATCH = 300
BATCHES = 25

WRITER = f"""
import sys
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
prov = {{"source": "t", "sources": ["t"], "source_version": "2024-01-01",
        "first_seen": "2024-01-01", "last_seen": "2024-01-01"}}
store = EmbeddedStore(sys.argv[1])
for b in range({BATCHES}):
    with store.writer(batch_size=10_000) as w:
        ids = [f"cg:p:{{b}}-{{i}}" for i in range({BATCH})]
        w.upsert_nodes(Node("Paper", i, {{**prov, "title": "t " + i}}) for i in ids)
        w.upsert_nodes([Node("Researcher", f"cg:r:{{b}}", {{**prov, "name": "r"}})])
        w.upsert_relationships(Relationship("AUTHORED", f"cg:r:{{b}}", i, dict(prov)) for i in ids)
print("done")
"""

READER = """
import sys, time
from collabgraph.graph.embedded import EmbeddedStore
seen = []
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        store = EmbeddedStore(sys.argv[1])
    except FileNotFoundError:
        continue
    c = store.view().counts()
    seen.append((c.nodes["Paper"], c.nodes["Researcher"], c.relationships["AUTHORED"]))
    if c.nodes["Paper"] == int(sys.argv[2]):
        break
print(repr(seen))
"""


def test_embedded_readers_see_whole_batches(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path), str(BATCH * BATCHES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    writer = subprocess.run(
        [sys.executable, "-c", WRITER, str(path)], capture_output=True, text=True, timeout=300
    )
    assert writer.returncode == 0, writer.stderr
    out, err = reader.communicate(timeout=180)
    assert reader.returncode == 0, err
    seen = eval(out)  # noqa: S307 - our own subprocess printing a list of tuples
    assert len(seen) >= 5, f"the reader loaded the file only {len(seen)} times"
    for papers, researchers, authored in seen:
        assert papers % BATCH == 0 and papers == BATCH * researchers == authored, seen
    check_store(path)
    print(f"\nembedded: {len(seen)} reads during {BATCHES} saves, {len(set(seen))} distinct states")


def test_neo4j_readers_see_whole_batches(neo4j_store: Any) -> None:
    prov = {"source": "t", "sources": ["t"], "source_version": "2024-01-01"}
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def read() -> None:
        view = neo4j_store.view()
        while not done.is_set():
            c = view.counts()
            seen.append((c.nodes["Paper"], c.relationships["AUTHORED"]))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for b in range(BATCHES):
            with neo4j_store.writer(batch_size=10_000) as w:
                ids = [f"cg:p:{b}-{i}" for i in range(BATCH)]
                w.upsert_nodes(Node("Paper", i, {**prov, "title": "t"}) for i in ids)
                w.upsert_nodes([Node("Researcher", f"cg:r:{b}", {**prov, "name": "r"})])
                w.upsert_relationships(Relationship("AUTHORED", f"cg:r:{b}", i, prov) for i in ids)
    finally:
        done.set()
        thread.join(timeout=60)
    assert len(seen) >= 3, seen
    # counts() reads labels and types in separate queries, so the two numbers may come from
    # consecutive commits; each on its own must be a whole number of batches.
    for papers, authored in seen:
        assert papers % BATCH == 0 and authored % BATCH == 0, seen
    print(f"\nNeo4j: {len(seen)} reads during {BATCHES} batch commits")
