"""What every benchmark shares: result rows, sizes, cached corpora, the large graph's file, and
the child processes that measure memory and cold starts.

A benchmark module exposes ``run(config) -> list[Row]``. A missing dependency (a module another
part of the project has not written yet) becomes a row with value None and pass False, so the
table shows what could not be measured instead of the run crashing.

The large graph is an embedded store file built by ``bench_ingest`` (in a child process, whose
peak memory is the ingest's own). Every later benchmark opens it with a fresh ``EmbeddedStore``
object, so the store's caches (adjacency, distance to risk, weighted graph) start cold there and
each benchmark times their first build apart from the warm queries.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One measured figure; ``target`` is text such as ">= 10000" (None: printed, no bar)."""

    measure: str
    value: float | None
    unit: str
    target: str | None = None
    passed: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "pass": self.passed,
        }


def check(measure: str, value: float, unit: str, op: str, bar: float, note: str = "") -> Row:
    """A row with a target: ``op`` is ">=" or "<=" and ``bar`` the figure the issue sets."""
    passed = value >= bar if op == ">=" else value <= bar
    return Row(measure, round(value, 4), unit, f"{op} {bar:g}", passed, note)


def info(measure: str, value: float, unit: str, note: str = "") -> Row:
    """A figure printed for context (no target of its own)."""
    return Row(measure, round(value, 4), unit, None, None, note)


def unavailable(measure: str, what: str) -> Row:
    return Row(measure, None, "", None, False, f"not available: {what}")


@dataclass
class Sizes:
    ingest_works: int  # also the large graph that paths, exposure and memory measure
    neo4j_works: int
    naive_works: int
    sources: int  # random researchers for paths_to_risk
    resolution_strings: int
    neighbourhood_nodes: int
    min_graph_relationships: int
    extra_works: int  # new works for the incremental ingest
    scale_works: int  # the second peak-memory ingest ("flat from 100k to 300k"); 0: skipped


FULL = Sizes(100_000, 20_000, 2_000, 200, 20_000, 500, 1_000_000, 1_000, 300_000)
QUICK = Sizes(400, 300, 60, 20, 500, 500, 0, 40, 0)
MILLION = 1_000_000  # the country-scale corpus of row 8 (``collabgraph bench --million``)


@dataclass
class Config:
    quick: bool
    workdir: Path
    neo4j_uri: str | None = None
    seed: int = 1
    shared: Path = field(
        default_factory=lambda: Path(
            os.environ.get("COLLABGRAPH_SHARED_DATA", REPO.parent / "shared" / "data")
        )
    )
    log: Callable[[str], None] = lambda _msg: None
    overrides: dict[str, int] = field(default_factory=dict)  # e.g. {"ingest_works": 10_000}
    million: bool = False  # also ingest a 1M-works corpus (row 8; never in --quick)
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def sizes(self) -> Sizes:
        """The issue's sizes (or the quick ones), with any explicit overrides applied."""
        return replace(QUICK if self.quick else FULL, **self.overrides)


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the wall time and ``t[1]`` this process's
    CPU time, in seconds. Both are reported: on a shared machine the wall time also counts
    waiting for a core, the CPU time does not (but misses work done in the Neo4j JVM)."""
    out: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield out
    finally:
        out += [time.perf_counter() - started, time.process_time() - cpu]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def corpus(config: Config, works: int) -> Path:
    """A generated corpus of ``works`` works in the work directory (written once per size)."""
    from collabgraph.ingest.synthetic import write_corpus

    path = config.workdir / f"corpus-{works}-s{config.seed}.jsonl.gz"
    if not path.exists():
        config.log(f"generating {works} works")
        partial = path.with_name("partial-" + path.name)  # still .gz: write_corpus compresses
        write_corpus(partial, works, config.seed)
        partial.replace(path)  # an interrupted run leaves no truncated corpus behind
    return path


def extra_corpus(config: Config, base_works: int, extra: int) -> Path:
    """``extra`` works that are new to the ``base_works`` corpus of the same seed, by the same
    generator: work numbers ``base_works …`` (so new work ids and DOIs), drawn from another
    random stream, with the base corpus's author pools (so their authors and institutions are
    largely the base corpus's own, and the derive step has co-authorships to update)."""
    import orjson

    from collabgraph.ingest.synthetic import CorpusGenerator

    path = config.workdir / f"extra-{extra}-after-{base_works}-s{config.seed}.jsonl.gz"
    if not path.exists():
        generator = CorpusGenerator(base_works, config.seed)
        rng = random.Random(f"extra-{config.seed}")
        partial = path.with_name("partial-" + path.name)
        with gzip.open(partial, "wb", compresslevel=1) as out:
            for index in range(base_works, base_works + extra):
                out.write(orjson.dumps(generator.work(index, rng)) + b"\n")
        partial.replace(path)
    return path


def graph_path(config: Config) -> Path:
    """The embedded store file of the large benchmark graph (built by ``bench_ingest``)."""
    return config.workdir / f"bench-graph-{config.sizes.ingest_works}-s{config.seed}.db"


def store_files(path: Path) -> list[Path]:
    """An embedded store's file and what is kept beside it under names that extend it
    (SQLite's ``-wal`` and ``-shm``, any side file or folder of the store), sorted."""
    if not path.parent.exists():
        return []
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name))


def store_bytes(path: Path) -> int:
    """The bytes an embedded store takes on disk, side files included."""
    total = 0
    for part in store_files(path):
        found = part.rglob("*") if part.is_dir() else [part]
        total += sum(f.stat().st_size for f in found if f.is_file())
    return total


def remove_store(path: Path) -> None:
    for part in store_files(path):
        if part.is_dir():
            shutil.rmtree(part)
        else:
            part.unlink()


def move_store(source: Path, target: Path) -> None:
    """Rename a closed embedded store (and its side files) to ``target``, replacing it."""
    remove_store(target)
    for part in store_files(source):
        part.rename(target.with_name(target.name + part.name.removeprefix(source.name)))


def copy_store(source: Path, target: Path) -> None:
    """Copy a closed embedded store (and its side files) to ``target``, replacing it."""
    remove_store(target)
    for part in store_files(source):
        dest = target.with_name(target.name + part.name.removeprefix(source.name))
        if part.is_dir():
            shutil.copytree(part, dest)
        else:
            shutil.copyfile(part, dest)


def peak_rss() -> int:
    """This process's peak resident set so far, in bytes: ``VmHWM``, the high-water mark of
    its address space. ``ru_maxrss`` is the same figure but on Linux it survives ``exec``, so
    a child started by a process holding 300 MB reports at least 300 MB; the high-water mark
    starts with the new program. ``ru_maxrss`` (KiB on Linux) where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss() -> int:
    """This process's resident set now, in bytes (from /proc, as psutil reads it)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class ChildFailed(RuntimeError):
    """A benchmark child process failed. ``partial`` is the last JSON object it printed
    (figures of the stages it finished), ``peak_rss`` its peak resident set in bytes."""

    def __init__(self, message: str, partial: dict[str, Any] | None, peak_rss: int) -> None:
        super().__init__(message)
        self.partial = partial
        self.peak_rss = peak_rss


def child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> args…`` from the checkout in a fresh interpreter
    and return the JSON object it prints last on stdout (a line per finished stage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"benchmarks.{module}", *args],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        # wait4 gives this child's own rusage: its peak RSS even when it was killed.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
        errors = err.read().decode("utf-8", "replace").strip().splitlines()
        tail = errors[-1][-200:] if errors else "no message"
    last: dict[str, Any] | None = json.loads(lines[-1]) if lines else None
    if code != 0 or last is None:
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        if code == -9:
            how += " (out of memory?)"
        raise ChildFailed(f"benchmarks.{module} {how}: {tail}", last, usage.ru_maxrss * 1024)
    return last


def tier_of_listing(aspi_category: str | None) -> tuple[str, str]:
    """(ASPI tier, Section 1286 tier) from ingest/tiers.toml, the project's own proxy table."""
    table = tomllib.loads((REPO / "ingest" / "tiers.toml").read_text(encoding="utf-8"))
    aspi = table["aspi"]
    aspi_tier = aspi["categories"].get(aspi_category or "", aspi["default"])
    return str(aspi_tier), str(table["dod1286"]["default"])


def sample_researchers(config: Config) -> list[str]:
    """``sizes.sources`` researchers of the benchmark graph, drawn with the run's seed (the
    same ones for every benchmark and both stores)."""
    if "researchers" not in config._cache:
        from collabgraph.graph.embedded import EmbeddedStore

        path = large_graph(config)
        assert path is not None, "no benchmark graph"
        store = EmbeddedStore(path)
        try:
            everyone = sorted(n.id for n in store.view().iter_nodes("Researcher"))
        finally:
            store.close()
        count = min(config.sizes.sources, len(everyone))
        config._cache["researchers"] = random.Random(config.seed).sample(everyone, count)
    chosen: list[str] = config._cache["researchers"]
    return chosen


def large_graph(config: Config) -> Path | None:
    """The benchmark graph's store file: the one ``bench_ingest`` built in this run, else one
    a previous run left complete in the work directory (``--workdir``, so that ``--only``
    can measure it again); None if there is neither."""
    if "graph_path" not in config._cache:
        path = graph_path(config)
        if not path.exists():
            return None
        from collabgraph.graph.embedded import EmbeddedStore

        store = EmbeddedStore(path)
        try:
            counts = store.view().counts()
        finally:
            store.close()
        config.log(f"using the benchmark graph left in {path}")
        config._cache["graph_path"] = path
        config._cache["graph_relationships"] = sum(counts.relationships.values())
        config._cache["graph_nodes"] = sum(counts.nodes.values())
    found: Path = config._cache["graph_path"]
    return found
