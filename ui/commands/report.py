"""``collabgraph report``: the investigator's report (HTML, JSON and a graph snapshot)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import parse_years
from collabgraph.queries.sides import Side
from collabgraph.ui.report import build_report, write_report
from collabgraph.ui.report.summary import summary_lines

from ..context import AppContext
from ..options import home_and_partner


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """A progress callback writing timestamped steps to stderr (nothing when quiet)."""
    start = time.monotonic()

    def say(message: str) -> None:
        if not quiet:
            click.echo(f"[{time.monotonic() - start:5.1f}s] {message}", err=True)

    return say


@click.command()
@home_and_partner
@click.option("--years", metavar="A-B", help="Only papers from these years, e.g. 2000-2025.")
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    type=click.Choice(["low", "medium", "high", "very high"], case_sensitive=False),
    help="Lowest tier that makes a paper or path high-risk.",
)
@click.option(
    "--top", default=10, show_default=True, type=click.IntRange(1, 200), help="Researchers shown."
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for report.html, report.json and snapshot/.",
)
@click.option("--force", is_flag=True, help="Replace a report already in the directory.")
@click.pass_obj
def report(
    app: AppContext,
    home: Side,
    partner: Side,
    years: str | None,
    min_tier: str,
    top: int,
    output: Path,
    force: bool,
) -> None:
    """Write an investigator's report on whatever the store holds.

    DIR/report.html is one self-contained page (no network needed): the yearly table and chart
    of joint, high-risk and high-risk critical-technology papers, breakdowns by technology,
    list and partner institution (with the listings behind each tier), the most exposed
    researchers of --home with the evidence on each path, and the method (sources and
    versions, tier mapping, resolution, caveats). DIR/report.json holds the same content as
    data; DIR/snapshot/ is a node-link JSON snapshot of the graph with its manifest.
    Progress goes to stderr (silenced by --quiet); a summary ends the run.
    """
    say = progress_printer(app.quiet)
    window = parse_years(years)
    say("opening the graph")
    found = build_report(
        app.store,
        home=home,
        partner=partner,
        years=window,
        min_tier=Tier.parse(min_tier).label,
        top=top,
        progress=say,
    )
    say("writing report.html, report.json and the snapshot")
    paths = write_report(app.store, output, found, force=force, quiet=app.quiet)
    click.echo("\n".join(summary_lines(found, str(paths["html"]))))
