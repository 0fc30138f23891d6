"""Two processes writing one embedded store file: the second waits, then merges; none is lost.

The writers here are real processes (``python -c``), ordered through marker files so that the
overlap is certain rather than timed: the first holds its writer open, with its nodes flushed
into memory but not saved, until the second has loaded the file and is about to write.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import StoreError
from collabgraph.graph.records import Node

from ..factories import PROV

N = 150

# argv: store path, id prefix, marker to create once the store is loaded and the nodes are in
# memory, marker to wait for before leaving the writer ("-" for none), seconds to linger.
WRITER = f"""
import sys, time
from pathlib import Path
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node
path, prefix, ready, wait_for, linger = sys.argv[1:6]
prov = {PROV!r}
store = EmbeddedStore(path)
nodes = [Node("Paper", f"cg:p:{{prefix}}{{i}}", {{**prov, "title": prefix}}) for i in range({N})]
if wait_for == "-":
    # The second process: it has loaded the file (without the first one's nodes) before it
    # asks to write.
    Path(ready).touch()
    with store.writer() as w:
        w.upsert_nodes(nodes)
else:
    with store.writer() as w:
        w.upsert_nodes(nodes)
        w.flush()
        Path(ready).touch()
        deadline = time.monotonic() + 30
        while not Path(wait_for).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(float(linger))
print("done")
"""


def _paper(node_id: str) -> Node:
    return Node("Paper", node_id, {**PROV, "title": node_id})


def _wait_for(marker: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{marker.name} never appeared"
        time.sleep(0.01)


def _papers(path: Path) -> set[str]:
    return {n.id for n in EmbeddedStore(path).view().iter_nodes("Paper")}


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    with EmbeddedStore(path).writer() as w:
        w.upsert_nodes([_paper("cg:p:seed")])
    a_ready, b_loaded = tmp_path / "a-ready", tmp_path / "b-loaded"
    first = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "a", str(a_ready), str(b_loaded), "0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(a_ready, first)
    second = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "b", str(b_loaded), "-", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outputs = [proc.communicate(timeout=60) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    papers = _papers(path)
    wanted = {"cg:p:seed"} | {f"cg:p:{p}{i}" for p in "ab" for i in range(N)}
    assert papers == wanted, (
        f"{len(wanted - papers)} nodes lost, e.g. {sorted(wanted - papers)[:3]}; "
        f"a: {sum(p.startswith('cg:p:a') for p in papers)}, "
        f"b: {sum(p.startswith('cg:p:b') for p in papers)}"
    )


HOLDER = """
import sys, time
from pathlib import Path
from collabgraph.graph.embedded import EmbeddedStore
with EmbeddedStore(sys.argv[1]).writer():
    Path(sys.argv[2]).touch()
    time.sleep(30)
"""


def test_a_held_lock_times_out_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.jsonl.gz"
    holding = tmp_path / "holding"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(holding)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(holding, holder)
        monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "0.3")
        store = EmbeddedStore(path)
        with pytest.raises(StoreError) as caught:
            with store.writer() as w:
                w.upsert_nodes([_paper("cg:p:1")])
        message = str(caught.value)
        assert str(path) in message and "another collabgraph process" in message, message
        assert "\n" not in message, message
        with pytest.raises(StoreError, match="another collabgraph process"):
            store.clear()
    finally:
        holder.kill()
        holder.communicate()
    # The holder died without saving; its lock went with it.
    with store.writer() as w:
        w.upsert_nodes([_paper("cg:p:1")])
    assert _papers(path) == {"cg:p:1"}


def test_bad_timeout_setting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="COLLABGRAPH_STORE_LOCK_TIMEOUT"):
        EmbeddedStore(tmp_path / "g.jsonl.gz").clear()


def test_stale_temporary_files_are_swept_on_write(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    stale = [tmp_path / ".g.jsonl.gz.abc.tmp", tmp_path / ".g.jsonl.gz.k3_x9q2z.tmp"]
    # Not this store's: another store's temporary files (one whose name starts with this
    # store's name), and the store's neighbours.
    others = [
        tmp_path / ".g.jsonl.gz.x.abcdefgh.tmp",
        tmp_path / ".h.jsonl.gz.abc.tmp",
        tmp_path / "g.jsonl.gz.abc.tmp",
        tmp_path / "notes.txt",
    ]
    for file in stale + others:
        file.write_text("x")
    with EmbeddedStore(path).writer() as w:
        w.upsert_nodes([_paper("cg:p:1")])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["g.jsonl.gz", *(p.name for p in others)]), left


def test_nested_writers_on_one_store_do_not_deadlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A deadlock would show as a lock timeout, not a hang.
    monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "2")
    path = tmp_path / "g.jsonl.gz"
    store = EmbeddedStore(path)
    with store.writer() as outer:
        outer.upsert_nodes([_paper("cg:p:outer"), _paper("cg:p:gone")])
        outer.flush()
        with store.writer() as inner:
            inner.upsert_nodes([_paper("cg:p:inner")])
        assert store.delete_nodes(["cg:p:gone"]) == 1
        outer.upsert_nodes([_paper("cg:p:late")])
    assert _papers(path) == {"cg:p:outer", "cg:p:inner", "cg:p:late"}
    assert [p.name for p in tmp_path.iterdir()] == ["g.jsonl.gz"], "lock or temporary file left"


def test_a_writer_reloads_what_another_store_object_saved(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    first, second = EmbeddedStore(path), EmbeddedStore(path)
    view = second.view()
    with first.writer() as w:
        w.upsert_nodes([_paper("cg:p:1")])
    with second.writer() as w:
        w.upsert_nodes([_paper("cg:p:2")])
    assert _papers(path) == {"cg:p:1", "cg:p:2"}
    # Reloaded in place: a view taken before the write sees the merged graph.
    assert {n.id for n in view.iter_nodes("Paper")} == {"cg:p:1", "cg:p:2"}
    # The file disappearing counts as a change too: the next write starts from nothing.
    path.unlink()
    with second.writer() as w:
        w.upsert_nodes([_paper("cg:p:3")])
    assert _papers(path) == {"cg:p:3"}


def test_a_writer_without_with_holds_the_lock_from_its_first_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLABGRAPH_STORE_LOCK_TIMEOUT", "0.2")
    path = tmp_path / "g.jsonl.gz"
    store, other = EmbeddedStore(path), EmbeddedStore(path)
    writer = store.writer(batch_size=1)
    other.clear()  # nothing flushed yet: nothing held
    writer.upsert_nodes([_paper("cg:p:1")])  # a full batch: flushed, the lock taken
    with pytest.raises(StoreError, match="another collabgraph process"):
        other.clear()
    writer.__exit__(None, None, None)
    assert _papers(path) == {"cg:p:1"}
    other.delete_nodes(["cg:p:1"])
    assert _papers(path) == set()
