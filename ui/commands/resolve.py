"""``collabgraph resolve`` (a CSV column → institutions) and ``collabgraph judge`` (decisions)."""

from __future__ import annotations

import csv
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import click

from collabgraph.graph.countries import country_cell
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.snapshot.spreadsheet import neutralise
from collabgraph.ingest.resolution import JudgementLog, Match, Resolver, judgements_path
from collabgraph.ingest.resolution.judgements import JUDGEMENTS_ENV, JUDGEMENTS_FILE
from collabgraph.ingest.ror import iter_ror

from ..context import AppContext
from ..options import COUNTRY, COUNTRY_HELP

OUTPUT_COLUMNS = ("ror_id", "ror_name", "score", "method", "explanation", "ror_ancestors")
ANCESTOR_SEPARATOR = "|"  # not ";" or ",": spreadsheets in many locales split cells on those


@contextmanager
def _open_in(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdin
        return
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            yield handle
    except FileNotFoundError as exc:
        raise CollabgraphError(f"{path}: no such file") from exc


@contextmanager
def _open_out(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


judgements_option = click.option(
    "--judgements",
    "judgements_file",
    metavar="PATH",
    help=f"Judgement log (JSON lines). Default: ${JUDGEMENTS_ENV}, else {JUDGEMENTS_FILE} "
    "beside the store.",
)


@click.command()
@click.argument(
    "input_csv",
    metavar="INPUT.csv",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
)
@click.option("--column", required=True, help="Column holding the name or affiliation string.")
@click.option(
    "--country-column",
    help="Column holding each row's country (ISO code or English name): records elsewhere are "
    "not matched.",
)
@click.option(
    "--ror",
    "ror_file",
    type=click.Path(exists=True, dir_okay=False),
    help="ROR dump or JSON lines to match against (default: Institution nodes in the store).",
)
@click.option("-o", "--output", default="-", show_default=True, help="Output CSV ('-': stdout).")
@judgements_option
@click.pass_obj
def resolve(
    app: AppContext,
    input_csv: str,
    column: str,
    country_column: str | None,
    ror_file: str | None,
    output: str,
    judgements_file: str | None,
) -> None:
    """Resolve the institution names in one CSV column to ROR records.

    Writes the input columns plus ror_id, ror_name, score, method, explanation and
    ror_ancestors; those stay empty when nothing matches above the threshold (the resolver
    never guesses). When a string names a unit and its parent ("Institute of Computing
    Technology, Chinese Academy of Sciences"), ror_id is the most specific record named and
    ror_ancestors the ROR ids above it up to the root, nearest first, separated by '|'.
    Judgements in the log override automatic matches. INPUT.csv may be '-' for stdin. Cells
    the command adds never start like a spreadsheet formula (a leading ' is added).

    Example: collabgraph resolve partners.csv --column institution --ror ror.json.gz -o out.csv
    """
    judgements = JudgementLog(judgements_path(app.spec, judgements_file))
    if ror_file:
        resolver = Resolver.from_ror(iter_ror(ror_file), judgements=judgements)
    else:
        resolver = Resolver.from_store(app.store.view(), judgements=judgements)
    if not resolver.index.candidates:
        if ror_file:
            raise CollabgraphError(
                f"{ror_file}: no ROR records in it; --ror takes a ROR dump (JSON) or JSON lines"
            )
        raise CollabgraphError(
            "no candidate institutions: the store has no Institution nodes. "
            "Run `collabgraph ingest ror FILE` first, or pass --ror FILE."
        )
    # Full garbage collections would walk the whole index again and again; the loop makes
    # no reference cycles worth collecting, so collection pauses while it runs.
    gc.disable()
    try:
        counts = _resolve_rows(resolver, input_csv, column, country_column, output)
    except UnicodeDecodeError as exc:
        raise CollabgraphError(
            f"{input_csv}: not a readable CSV (not UTF-8 text at byte {exc.start}: compressed?)"
        ) from None
    except csv.Error as exc:
        raise CollabgraphError(f"{input_csv}: not a readable CSV ({exc})") from None
    finally:
        gc.enable()
    if not app.quiet:
        click.echo(f"resolved {counts['matched']} of {counts['rows']} rows", err=True)


def _resolve_rows(
    resolver: Resolver, input_csv: str, column: str, country_column: str | None, output: str
) -> dict[str, int]:
    """Copy the CSV, adding the match columns; returns row and match counts."""
    counts = {"rows": 0, "matched": 0}
    with _open_in(input_csv) as source, _open_out(output) as target:
        reader = csv.DictReader(source)
        fields = list(reader.fieldnames or [])
        name = "stdin" if input_csv == "-" else input_csv
        for wanted in (column, country_column):
            if wanted and wanted not in fields:
                raise CollabgraphError(
                    f"{name}: no column {wanted!r} (columns: {', '.join(fields) or 'none'})"
                )
        clash = [c for c in OUTPUT_COLUMNS if c in fields]
        if clash:
            raise CollabgraphError(f"{name}: already has output column(s) {', '.join(clash)}")
        writer = csv.DictWriter(target, fieldnames=fields + list(OUTPUT_COLUMNS))
        writer.writeheader()
        for row in reader:
            counts["rows"] += 1
            text = row.get(column) or ""
            country = (
                country_cell(
                    row.get(country_column),
                    f"{name}: line {reader.line_num}, column {country_column!r}",
                )
                if country_column
                else None
            )
            match = resolver.resolve(text, country=country) if text.strip() else None
            out = {k: v for k, v in row.items() if k is not None}
            if match is None:
                out.update(dict.fromkeys(OUTPUT_COLUMNS, ""))
            else:
                counts["matched"] += 1
                out.update(_match_cells(match))
            writer.writerow(out)
    return counts


def _match_cells(match: Match) -> dict[str, str]:
    """The output columns for one match, safe to open in a spreadsheet."""
    note = "" if match.ror_id else f" (graph node {match.node_id}, no ROR record)"
    cells = {
        "ror_id": match.ror_id or "",
        "ror_name": match.name,
        "score": f"{match.score:.3f}",
        "method": match.method,
        "explanation": match.explanation + note,
        "ror_ancestors": ANCESTOR_SEPARATOR.join(match.ror_ancestors),
    }
    return {column: neutralise(text) for column, text in cells.items()}


@click.command()
@click.argument("decision", type=click.Choice(["accept", "reject", "set", "withdraw"]))
@click.argument("target")
@click.argument("node_id", required=False)
@click.option(
    "--country",
    type=COUNTRY,
    metavar="COUNTRY",
    help=f"The country hint the judgement applies with ({COUNTRY_HELP}).",
)
@click.option("--reason", default="", help="Why (kept with the judgement).")
@click.option("--score", type=float, help="The match score shown when the decision was made.")
@click.option("--who", help="Who decides (default: --analyst, else the OS user).")
@judgements_option
@click.pass_obj
def judge(
    app: AppContext,
    decision: str,
    target: str,
    node_id: str | None,
    country: str | None,
    reason: str,
    score: float | None,
    who: str | None,
    judgements_file: str | None,
) -> None:
    """Record an investigator's decision on a match (append-only; withdraw to undo).

    accept/reject/set TEXT NODE_ID: TEXT is the name or affiliation string as resolved, NODE_ID
    the institution ("ror:01yqg2h08" or a bare ROR id). withdraw JUDGEMENT_ID cancels an
    earlier decision. Later runs of `resolve` and the ingest commands honour the log.
    """
    log = JudgementLog(judgements_path(app.spec, judgements_file))
    author = who or app.analyst or os.environ.get("USER") or "unknown"
    if decision == "withdraw":
        record = log.record(
            who=author, text="", decision="withdraw", withdraws=target, reason=reason
        )
    else:
        if not node_id:
            raise CollabgraphError(f"judge {decision} needs TEXT and NODE_ID")
        if ":" not in node_id:
            node_id = f"ror:{node_id}"
        record = log.record(
            who=author,
            text=target,
            decision=decision,
            node_id=node_id,
            country=country,
            score=score,
            reason=reason,
        )
    click.echo(record.id)
