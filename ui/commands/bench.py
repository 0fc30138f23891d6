"""``collabgraph bench``: run the benchmarks in benchmarks/ and print their figures."""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import click

from collabgraph.graph.errors import CollabgraphError

from ..context import AppContext
from ..output import echo_table, emit_json

# benchmarks/ sits beside the package folders in a source checkout; it is not installed.
CHECKOUT = Path(__file__).resolve().parent.parent.parent


def _runner() -> ModuleType:
    if not (CHECKOUT / "benchmarks" / "runner.py").exists():
        raise CollabgraphError(
            f"benchmarks/ not found beside {CHECKOUT / 'ui'}: run bench from a source checkout"
        )
    if str(CHECKOUT) not in sys.path:
        sys.path.insert(0, str(CHECKOUT))
    return importlib.import_module("benchmarks.runner")


def _value(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


@click.command()
@click.option("--quick", is_flag=True, help="Reduced sizes for a CI smoke run (< 2 minutes).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON list.")
@click.option(
    "--neo4j-uri",
    envvar="COLLABGRAPH_BENCH_NEO4J",
    metavar="URI",
    help="Neo4j to benchmark against (cleared!); default: start the test harness server. "
    "[env: COLLABGRAPH_BENCH_NEO4J]",
)
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Run only these benchmarks (e.g. ingest, paths); repeatable.",
)
@click.option(
    "--works",
    type=click.IntRange(min=1),
    help="Override the embedded ingest / large-graph corpus size (the issue's is 100000).",
)
@click.option(
    "--million",
    is_flag=True,
    help="Also ingest a 1M-works corpus (the country-scale row; takes long, never in --quick).",
)
@click.option(
    "--neo4j-works",
    type=click.IntRange(min=1),
    help="Override the Neo4j ingest size (the issue's is 20000).",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep corpora and graphs here (default: a temporary directory, removed afterwards).",
)
@click.pass_obj
def bench(
    app: AppContext,
    quick: bool,
    as_json: bool,
    neo4j_uri: str | None,
    only: tuple[str, ...],
    works: int | None,
    million: bool,
    neo4j_works: int | None,
    workdir: Path | None,
) -> None:
    """Measure speed and memory against the targets of the store issue.

    Runs embedded ingest (with a parse-only comparison and its peak memory), incremental
    ingest into the large store against an empty one, resident memory per relationship, the
    cold start of `collabgraph paths`, whole-graph exposure, neighbourhood HTML, resolution,
    Neo4j ingest (with a naive-loader comparison), paths_to_risk on both stores, the peak
    memory of a 300k-works ingest and the demo, on a synthetic corpus. Prints measure, value,
    unit, target and pass/miss; --json prints [{"measure", "value", "unit", "target", "pass"}].
    The Neo4j benchmarks CLEAR the database they are given. A figure whose code is missing
    prints as "not available". The full run takes tens of minutes; use --quick for a smoke
    run, --only to pick benchmarks (ingest, incremental, memory, cold_start, exposure,
    neighbourhood, resolution, neo4j, paths, scale, demo), or --works / --neo4j-works for a
    partial run at other sizes (the sizes print in each row). With --workdir, the corpora are
    kept and a later --only run measures the benchmark graph an earlier run left there.
    """
    runner = _runner()
    harness = importlib.import_module("benchmarks.harness")
    temp = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="collabgraph-bench-")) if temp else workdir
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        if not app.quiet:
            click.echo(f"bench: {message}", err=True)

    overrides = {"ingest_works": works, "neo4j_works": neo4j_works}
    config = harness.Config(
        quick=quick,
        workdir=folder,
        neo4j_uri=neo4j_uri,
        log=log,
        overrides={k: v for k, v in overrides.items() if v is not None},
        million=million and not quick,
    )
    wanted = {f"bench_{name.removeprefix('bench_')}" for name in only}
    try:
        rows = runner.run_all(config, only=(lambda n: n in wanted) if wanted else lambda n: True)
    finally:
        if temp:
            shutil.rmtree(folder, ignore_errors=True)
    if as_json:
        emit_json([row.as_dict() for row in rows])
        return
    status = {True: "pass", False: "MISS", None: ""}
    echo_table(
        ["measure", "value", "unit", "target", "pass", "note"],
        [
            [
                r.measure,
                _value(r.value),
                r.unit,
                r.target or "",
                "n/a" if r.value is None else status[r.passed],
                r.note,
            ]
            for r in rows
        ],
    )
