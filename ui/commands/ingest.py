"""``collabgraph ingest KIND PATH...``: load publication, registry and risk-list files."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from collabgraph.graph.errors import CollabgraphError
from collabgraph.ingest.derive import derive
from collabgraph.ingest.pipeline import RejectWriter, Summary, default_rejects_path

from ..context import AppContext
from ..output import emit_json


def _paths(paths: tuple[str, ...]) -> list[Path]:
    out = []
    for text in paths:
        path = Path(text)
        if not path.is_file() or not os.access(path, os.R_OK):
            # A usage mistake (exit 2), not bad data: name the file and the fix.
            raise click.UsageError(f"{path}: no such readable file; check the path")
        out.append(path)
    return out


@dataclass(frozen=True)
class IngestOptions:
    """What every ``ingest`` kind takes: the input files and how to report on them."""

    files: list[Path]
    rejects: str | None
    strict: bool
    version: str | None
    as_json: bool


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the shared arguments and options, and hands them to the command as IngestOptions."""

    @functools.wraps(func)
    def command(
        paths: tuple[str, ...],
        rejects: str | None,
        strict: bool,
        source_version: str | None,
        as_json: bool,
        **own: Any,
    ) -> Any:
        return func(IngestOptions(_paths(paths), rejects, strict, source_version, as_json), **own)

    for decorator in reversed(
        [
            click.argument("paths", nargs=-1, required=True, metavar="PATH..."),
            click.option(
                "--rejects",
                type=click.Path(dir_okay=False),
                help="Where to write rejected records (JSON lines). Default: "
                "ingest-<kind>.rejects.jsonl beside the store (current directory for Neo4j).",
            ),
            click.option(
                "--strict", is_flag=True, help="Exit with status 1 if any record is rejected."
            ),
            click.option(
                "--source-version",
                metavar="DATE",
                help="Version date stamped as source_version/first_seen/last_seen "
                "(default: the dataset's own version, else the file's date).",
            ),
            click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        ]
    ):
        command = decorator(command)
    return command


# What each kind of ingest reads, for the message when a file turns out to be of another kind.
EXPECTED = {
    "openalex": "OpenAlex works (API pages or JSON lines)",
    "table": "a collaboration table (CSV or JSON) with the mapping's columns",
    "ror": "ROR records (the JSON dump or JSON lines)",
    "watchlist-aspi": "the ASPI tracker's MISP galaxy JSON",
    "watchlist-dod1286": "the US DoD Section 1286 CSV",
    "watchlist-csv": "a watch-list CSV (name, aliases, country, tier, ...)",
    "technologies": "the EC critical-technology areas JSON",
}


def _check_kind(kind: str, opts: IngestOptions, summary: Summary) -> None:
    """No record read, or every one rejected: the files are most likely not of ``kind``."""
    files = ", ".join(str(path) for path in opts.files)
    command = "ingest " + kind.replace("-", " --format ")
    expected = EXPECTED.get(kind, kind)
    if not summary.read:
        raise CollabgraphError(
            f"{files}: no records in it; is it empty, or not {expected}, which `{command}` reads?"
        )
    if summary.rejected >= summary.read:
        raise CollabgraphError(
            f"{files}: all {summary.read} records rejected, so it is probably not {expected}, "
            f"which `{command}` reads; reasons in {summary.rejects_path}"
        )


def _run(
    app: AppContext, kind: str, opts: IngestOptions, work: Callable[[RejectWriter], Summary]
) -> None:
    store = app.store
    path = Path(opts.rejects) if opts.rejects else default_rejects_path(store, kind)
    summary = work(RejectWriter(path))
    # Only what this ingest wrote can change the derived facts: derive around it.
    derived = derive(store, summary.touched)
    if opts.as_json:
        emit_json({**summary.as_dict(), "derived": derived.__dict__})
    elif not app.quiet:
        for line in [*summary.lines(), *derived.lines()]:
            click.echo(line, err=True)
    _check_kind(kind, opts, summary)
    if summary.rejected and opts.strict:
        raise CollabgraphError(
            f"{summary.rejected} records rejected (--strict); see {summary.rejects_path}"
        )


@click.group()
def ingest() -> None:
    """Load files into the graph: OpenAlex works, tables, ROR, risk lists, technologies.

    Every kind streams its input, writes provenance on everything, is idempotent (loading the
    same file twice changes nothing) and sends bad records to a reject file (JSON lines:
    source_file, locator, reason, text) while the rest goes on. At the end it brings
    CO_AUTHORED and each institution's effective tier up to date (around what it wrote) and
    prints a summary on stderr.
    """


@ingest.command("openalex")
@_common
@click.pass_obj
def openalex_cmd(app: AppContext, opts: IngestOptions) -> None:
    """OpenAlex works: API pages, JSON lines or snapshot part files (.gz or not)."""
    from collabgraph.ingest.openalex import ingest_openalex

    _run(
        app,
        "openalex",
        opts,
        lambda rw: ingest_openalex(
            app.store, opts.files, rejects=rw, version=opts.version, quiet=app.quiet
        ),
    )


@ingest.command("table")
@_common
@click.option(
    "--mapping",
    required=True,
    type=click.Path(dir_okay=False),
    help="TOML or JSON file saying which column is what "
    "(example: ingest/mappings/be_cn_collaborations.toml).",
)
@click.pass_obj
def table_cmd(
    app: AppContext,
    opts: IngestOptions,
    mapping: str,
) -> None:
    """Flattened collaboration tables (CSV or JSON) with names only, resolved to institutions."""
    from collabgraph.ingest.table import ingest_table

    mapping_path = _paths((mapping,))[0]
    _run(
        app,
        "table",
        opts,
        lambda rw: ingest_table(
            app.store,
            opts.files,
            mapping=mapping_path,
            rejects=rw,
            version=opts.version,
            quiet=app.quiet,
        ),
    )


@ingest.command("ror")
@_common
@click.pass_obj
def ror_cmd(app: AppContext, opts: IngestOptions) -> None:
    """ROR records (v1 or v2; the JSON-array dump or JSON lines; .gz or not) → institutions."""
    from collabgraph.ingest.ror_graph import ingest_ror

    _run(
        app,
        "ror",
        opts,
        lambda rw: ingest_ror(
            app.store, opts.files, rejects=rw, version=opts.version, quiet=app.quiet
        ),
    )


@ingest.command("watchlist")
@_common
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["aspi", "dod1286", "csv"]),
    help="aspi: ASPI tracker MISP galaxy JSON; dod1286: US DoD Section 1286 CSV; "
    "csv: your own list (name, aliases, country, tier, category, as_of, source_url).",
)
@click.option(
    "--tiers",
    type=click.Path(dir_okay=False),
    help="Tier mapping file (default: the bundled ingest/tiers.toml).",
)
@click.option("--list-name", help="Name of the RiskList for --format csv (default: file name).")
@click.pass_obj
def watchlist_cmd(
    app: AppContext,
    opts: IngestOptions,
    fmt: str,
    tiers: str | None,
    list_name: str | None,
) -> None:
    """Risk lists → RiskList nodes, LISTED_ON (with tier) and MILITARY_LINK edges."""
    from collabgraph.ingest.watchlists import ingest_watchlist

    tiers_path = _paths((tiers,))[0] if tiers else None
    _run(
        app,
        f"watchlist-{fmt}",
        opts,
        lambda rw: ingest_watchlist(
            app.store,
            opts.files,
            fmt=fmt,
            rejects=rw,
            tiers=tiers_path,
            version=opts.version,
            list_name=list_name,
            quiet=app.quiet,
        ),
    )


@ingest.command("technologies")
@_common
@click.option(
    "--vocabulary",
    type=click.Path(dir_okay=False),
    help="Terms per technology (default: the bundled ingest/vocabulary.toml).",
)
@click.pass_obj
def technologies_cmd(
    app: AppContext,
    opts: IngestOptions,
    vocabulary: str | None,
) -> None:
    """EC critical-technology areas JSON → Technology nodes; then tags every paper."""
    from collabgraph.ingest.technologies import ingest_technologies

    vocab = _paths((vocabulary,))[0] if vocabulary else None
    _run(
        app,
        "technologies",
        opts,
        lambda rw: ingest_technologies(
            app.store,
            opts.files,
            rejects=rw,
            vocabulary=vocab,
            version=opts.version,
            quiet=app.quiet,
        ),
    )
