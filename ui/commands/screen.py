"""``collabgraph screen INPUT.csv``: screen a list of prospective partner institutions."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from collabgraph.graph.countries import country_cell
from collabgraph.graph.errors import CollabgraphError
from collabgraph.queries.screen import Screening
from collabgraph.queries.screen import screen as screen_query

from .. import audit
from ..context import AppContext
from ..options import COUNTRY, COUNTRY_HELP
from ..output import emit_json

COLUMNS = [
    "input",
    "id",
    "name",
    "country",
    "method",
    "score",
    "tier",
    "inherited_tier",
    "unit_tier",
    "first_listed",
    "assertions",
    "military_links",
    "researchers_within_2_hops",
    "our_members",
    "our_coauthors",
    "shared_papers",
    "before_listing",
    "explanation",
]


def _row(item: Screening) -> dict[str, object]:
    row = {
        key: getattr(item, key) for key in COLUMNS if key not in ("assertions", "military_links")
    }
    row["assertions"] = "; ".join(
        f"{a['list_name']}|{a['tier']}|{a['category'] or ''}|{a['as_of'] or ''}"
        + (f"|via {a['via']}" if a["via"] else "")
        + (f"|unit {a['unit']}" if a["unit"] else "")
        for a in item.assertions
    )
    row["military_links"] = "; ".join(
        f"{m['kind']} {m['direction']} {m['other_name'] or m['other']}" for m in item.military_links
    )
    return row


def _read(path: Path, columns: list[str]) -> list[tuple[int, list[str]]]:
    """(line number, the cells of ``columns``) for each row of the CSV at ``path``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for column in columns:
                if reader.fieldnames is None or column not in reader.fieldnames:
                    have = ", ".join(reader.fieldnames or []) or "none"
                    raise CollabgraphError(f"{path}: no column {column!r} (columns: {have})")
            return [
                (reader.line_num, [(row.get(c) or "").strip() for c in columns]) for row in reader
            ]
    except OSError as exc:
        raise CollabgraphError(f"{path}: cannot read it ({exc.strerror})") from None
    except csv.Error as exc:
        raise CollabgraphError(f"{path}: not a readable CSV ({exc})") from None
    except UnicodeDecodeError as exc:
        raise CollabgraphError(
            f"{path}: not a readable CSV (not UTF-8 text at byte {exc.start}: compressed?)"
        ) from None


@click.command()
@click.argument(
    "input_csv",
    metavar="INPUT.csv",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
)
@click.option(
    "--column", required=True, metavar="NAME", help="Column holding institution names or ROR ids."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("-"),
    show_default=True,
    help="Output CSV ('-' for stdout).",
)
@click.option(
    "--country-column",
    metavar="NAME",
    help="Column holding each institution's country (ISO code or English name), to tell "
    "namesakes apart.",
)
@click.option(
    "--home",
    type=COUNTRY,
    default="BE",
    show_default=True,
    metavar="COUNTRY",
    help=f"Country whose researchers are 'ours' ({COUNTRY_HELP}).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of writing CSV.")
@click.pass_obj
def screen(
    app: AppContext,
    input_csv: Path,
    column: str,
    country_column: str | None,
    output: Path,
    home: str,
    as_json: bool,
) -> None:
    """Screen prospective partners: resolution, tier, list assertions, military links.

    For each row: the institution it resolves to (and how), its effective tier, every list
    assertion with source and as-of date, military links, and how many of our researchers
    (affiliated in --home) are within two hops (members, or co-authors of members), with
    shared papers dated before its first listing counted apart.
    """
    rows = _read(input_csv, [column, country_column] if country_column else [column])
    names = [cells[0] for _, cells in rows]
    countries = (
        [
            country_cell(cells[1], f"{input_csv}: line {n}, column {country_column!r}")
            for n, cells in rows
        ]
        if country_column
        else None
    )
    found = screen_query(app.store, names, home=home, countries=countries)
    audit.record_command(app, len(found), names=names)
    if as_json:
        emit_json([item.as_dict() for item in found])
        return
    handle = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8", newline="")
    try:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for item in found:
            writer.writerow(_row(item))
    finally:
        if handle is not sys.stdout:
            handle.close()
    if not app.quiet and str(output) != "-":
        unresolved = sum(1 for item in found if item.id is None)
        click.echo(f"screened {len(found)} rows ({unresolved} unresolved) → {output}", err=True)
