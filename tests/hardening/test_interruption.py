"""SIGKILL an ingest at random points in a real subprocess, rerun it, compare with a clean run.

The embedded store file must never be left corrupt (it is replaced atomically), and a rerun after
any number of kills must give exactly the graph an uninterrupted run gives, on both stores.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore

from .fuzz import check_store
from .workload import cli, dump, works_file

N_WORKS = 1200
KILL_SEED = 20261123


def _run(*args: str, timeout: float = 600) -> float:
    started = time.monotonic()
    proc = cli(*args)
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return time.monotonic() - started


def _kill_at(delay: float, *args: str) -> str:
    """Start the command, SIGKILL it after ``delay`` seconds; say whether it was still running."""
    proc = cli(*args)
    try:
        proc.wait(timeout=delay)
        finished = True
    except Exception:  # noqa: BLE001 - subprocess.TimeoutExpired: still running, as intended
        finished = False
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    proc.communicate()
    return "finished before the kill" if finished else "killed"


@pytest.fixture(scope="module")
def works(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return works_file(tmp_path_factory.mktemp("works") / "works.jsonl", N_WORKS)


@pytest.fixture(scope="module")
def embedded_reference(works: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store_path = tmp_path_factory.mktemp("reference") / "ref.jsonl.gz"
    seconds = _run("--store", str(store_path), "-q", "ingest", "openalex", str(works))
    return {"dump": dump(EmbeddedStore(store_path)), "seconds": seconds}


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_sigkill_embedded(
    works: Path, embedded_reference: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    rng = random.Random(KILL_SEED)
    seconds = embedded_reference["seconds"]
    reference = embedded_reference["dump"]
    assert len(reference[0]) > N_WORKS, "the reference run wrote the works and their authors"
    outcomes: list[str] = []
    # Four stores killed once, one store killed three times in a row; each is then completed.
    plans = [[rng.uniform(0.2, 1.0) * seconds] for _ in range(4)]
    plans.append([rng.uniform(0.2, 1.0) * seconds for _ in range(3)])
    for index, delays in enumerate(plans):
        store_path = tmp_path / f"s{index}" / "g.db"
        store_path.parent.mkdir()
        args = ("--store", str(store_path), "-q", "ingest", "openalex", str(works))
        for delay in delays:
            what = _kill_at(delay, *args)
            # Never corrupt: the file is absent (killed before the first save) or loads and is
            # schema-valid (the old or the new graph, never a torn one).
            state = "no file yet" if not store_path.exists() else "file loads"
            check_store(store_path)
            outcomes.append(f"{delay:.2f}s: {what}, {state}")
        _run(*args)
        assert dump(EmbeddedStore(store_path)) == reference, f"plan {index} ({delays}) differs"
        leftovers = _leftovers(store_path.parent)
        outcomes.append(f"  plan {index} rerun identical; temporary files left: {leftovers}")
    with capsys.disabled():
        print(f"\nembedded SIGKILL (clean run {seconds:.2f} s, {N_WORKS} works):")
        for line in outcomes:
            print("  " + line)


@pytest.fixture
def clean_neo4j(neo4j_store: Any) -> Any:
    return neo4j_store


def test_sigkill_neo4j(works: Path, clean_neo4j: Any, neo4j_uri: str, capsys: Any) -> None:
    store = clean_neo4j
    args = ("--store", neo4j_uri, "-q", "ingest", "openalex", str(works))
    _run(*args)
    reference = dump(store)
    assert len(reference[0]) > N_WORKS
    # The first run also warms the server up; time a second (idempotent) run for the kill points.
    seconds = _run(*args)
    assert dump(store) == reference, "re-ingesting the same file changed the graph"
    rng = random.Random(KILL_SEED + 1)
    outcomes = []
    for attempt in range(3):
        store.clear()
        delays = [rng.uniform(0.15, 0.9) * seconds for _ in range(1 + attempt % 2)]
        partial = []
        for delay in delays:
            what = _kill_at(delay, *args)
            partial.append(
                f"{delay:.2f}s {what}, {sum(store.view().counts().nodes.values())} nodes"
            )
        _run(*args)
        assert dump(store) == reference, f"attempt {attempt} ({delays}) differs"
        outcomes.append("; ".join(partial) + " -> rerun identical")
    with capsys.disabled():
        print(f"\nNeo4j SIGKILL (clean run {seconds:.2f} s):")
        for line in outcomes:
            print("  " + line)
