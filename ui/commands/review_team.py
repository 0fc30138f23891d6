"""``collabgraph review team TEAM.csv``: a proposal team's look-back over N years."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from collabgraph.graph.errors import BadInput
from collabgraph.graph.snapshot.spreadsheet import neutralise
from collabgraph.queries.team import DEFAULT_MAX_HOPS, PersonReview, TeamReview, review_team
from collabgraph.queries.team_people import read_team
from collabgraph.ui.report.team_html import render_team_html

from .. import audit
from ..context import AppContext
from ..output import echo_table, emit_json

CSV_COLUMNS = [
    "row",
    "input",
    "status",
    "researcher",
    "kind",
    "year",
    "paper",
    "doi",
    "title",
    "coauthors",
    "institution",
    "listed_institution",
    "lists",
    "first_listed",
    "before_listing",
    "window",
    "note",
]


def _as_of(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--as-of {value!r}: give a date as YYYY-MM-DD") from None


@click.command()
@click.argument(
    "team_csv", metavar="TEAM.csv", type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@click.option("--years", default=5, show_default=True, type=int, help="Look-back in years.")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Count the look-back from this date (today).")
@click.option(
    "--lists",
    "lists",
    multiple=True,
    metavar="LIST",
    help="Risk lists that count, by id, name, source or a word of the name (aspi, 1286, FY2023); "
    "repeat for several. Default: every list in the store.",
)
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    type=click.Choice(["low", "medium", "high", "very high"], case_sensitive=False),
    help="Lowest listing tier that makes a finding.",
)
@click.option(
    "--max-hops",
    default=DEFAULT_MAX_HOPS,
    show_default=True,
    type=click.IntRange(0, 6),
    help="Longest indirect path shown as context (0: none).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write a CSV."
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a self-contained, printable HTML page.",
)
@click.pass_obj
def team(
    app: AppContext,
    team_csv: Path,
    years: int,
    as_of: str | None,
    lists: tuple[str, ...],
    min_tier: str,
    max_hops: int,
    as_json: bool,
    output: Path | None,
    html_out: Path | None,
) -> None:
    """Review a proposal team: each person's ties to listed institutions over --years.

    TEAM.csv has one row per person with a column orcid, openalex_id, or name (best with
    institution); other columns (role …) are carried along. For each person: co-authorships on
    papers in the window with researchers affiliated, on that paper, with a listed institution
    (or a unit of one); their own affiliations with one; indirect paths within --max-hops as
    context; papers per year. Each finding says whether its paper predates the listing. A name
    matching several researchers lists its candidates instead of guessing; a person without a
    finding is shown with "no finding in the window". Every look-up goes to the audit log.
    """
    members = read_team(team_csv)
    found = review_team(
        app.store,
        members,
        years=years,
        as_of=_as_of(as_of),
        lists=list(lists) or None,
        min_tier=min_tier,
        max_hops=max_hops,
    )
    for person in found.people:
        audit.record_command(
            app,
            len(person.findings),
            row=person.member.row,
            person=person.member.as_dict(),
            researcher=person.resolution.researcher,
            status=person.status,
        )
    data = found.as_dict()
    if output is not None:
        _write_csv(output, found)
    if html_out is not None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        try:
            html_out.write_text(render_team_html(data, generated=stamp), encoding="utf-8")
        except OSError as exc:
            raise BadInput(f"--html {html_out}: cannot write it ({exc.strerror})") from None
    if as_json:
        emit_json(data)
        return
    _print(found)
    for path in (output, html_out):
        if path is not None and not app.quiet:
            click.echo(f"wrote {path}", err=True)


def _print(found: TeamReview) -> None:
    w = found.window
    click.echo(
        f"team review: {len(found.people)} people, papers of {w.first}–{w.last} "
        f"({w.years} years back from {w.as_of.isoformat()}), lists: "
        f"{', '.join(x.name for x in found.lists) or 'none'}"
    )
    echo_table(
        ["row", "person", "status", "findings", "before listing", "context", "papers"],
        [
            [
                p.member.row,
                p.member.label,
                p.status,
                len(p.findings),
                sum(1 for f in p.findings if f.predates_listing),
                len(p.context),
                sum(r["papers"] for r in p.papers_per_year),
            ]
            for p in found.people
        ],
    )
    for person in found.people:
        _print_person(person, f"{w.first}–{w.last}")


def _print_person(person: PersonReview, window: str) -> None:
    res = person.resolution
    click.echo(f"\nrow {person.member.row}: {person.member.label}: {person.status}")
    if res.researcher:
        click.echo(f"  matched {res.name} ({res.researcher}) {res.method}")
    if res.note:
        click.echo(f"  note: {res.note}")
    for c in res.candidates:
        click.echo(f"  candidate {c.id}: {c.name}, {'; '.join(c.institutions) or '-'}")
    if res.researcher and not person.findings:
        click.echo(f"  no finding in the window ({window})")
    for f in person.findings:
        paper = f.papers[0] if f.papers else None
        lists = "; ".join(
            f"{x.listing.list_name} ({x.listing.tier}, {x.listing.year or 'undated'})"
            + (f" via {x.institution[1]}" if x.institution[0] != f.institution[0] else "")
            for x in f.listings
        )
        what = f"{paper.year} {paper.doi or paper.id}" if paper else "-"
        before = " [before listing]" if f.predates_listing else ""
        click.echo(f"  {f.basis}: {what} at {f.institution[1]}: {lists}{before}")


def _write_csv(path: Path, found: TeamReview) -> None:
    window = f"{found.window.first}-{found.window.last}"
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise BadInput(f"-o {path}: cannot write it ({exc.strerror})") from None
    with handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for person in found.people:
            for row in _csv_rows(person, window):
                writer.writerow(
                    {k: neutralise("" if v is None else str(v)) for k, v in row.items()}
                )


def _csv_rows(person: PersonReview, window: str) -> list[dict[str, Any]]:
    base: dict[str, Any] = {
        "row": person.member.row,
        "input": person.member.label,
        "status": person.status,
        "researcher": person.resolution.researcher,
        "window": window,
        "note": person.resolution.note
        or "; ".join(f"candidate {c.id} {c.name}" for c in person.resolution.candidates),
    }
    if not person.findings:
        return [base]
    rows = []
    for f in person.findings:
        paper = f.papers[0] if f.papers else None
        rows.append(
            base
            | {
                "kind": f.basis,
                "year": paper.year if paper else None,
                "paper": "; ".join(p.id for p in f.papers),
                "doi": paper.doi if paper and len(f.papers) == 1 else None,
                "title": paper.title if paper and len(f.papers) == 1 else None,
                "coauthors": "; ".join(name for _, name in f.coauthors),
                "institution": f.institution[1],
                "listed_institution": "; ".join(sorted({x.institution[1] for x in f.listings})),
                "lists": "; ".join(f"{x.listing.list_name} ({x.listing.tier})" for x in f.listings),
                "first_listed": f.first_listed,
                "before_listing": {True: "yes", False: "no", None: "undated"}[f.predates_listing],
            }
        )
    return rows
