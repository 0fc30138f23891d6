"""``collabgraph review changes --since BASELINE``: what became high-risk since a baseline.

Exit status: 0 nothing changed, 1 something did, 2 bad input or any other error, so that it
runs unattended (cron) and its status alone says whether to look.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from collabgraph.graph.errors import CollabgraphError
from collabgraph.queries.changes import changes as changes_query

from .. import audit
from ..baseline import HELP, open_baseline
from ..context import AppContext
from ..options import home_and_partner_countries
from ..output import echo_table, emit_json
from ..report.changes import (
    PAPER_HEADERS,
    PATH_HEADERS,
    RESEARCHER_HEADERS,
    SECTIONS,
    TIER_HEADERS,
    paper_rows,
    path_rows,
    render_changes_html,
    researcher_rows,
    tier_rows,
)


class ReviewFailed(click.ClickException):
    """One line on stderr, exit status 2 (1 means "something changed")."""

    exit_code = 2


@click.command()
@click.option("--since", "since", required=True, metavar="BASELINE", help=f"Baseline: {HELP}.")
@home_and_partner_countries
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    help="Lowest tier that makes a paper high-risk.",
)
@click.option(
    "--max-hops",
    type=int,
    default=3,
    show_default=True,
    help="Paths: hops from a home researcher to a listed institution.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Also write a self-contained HTML page (offline, printable) to FILE.",
)
@click.pass_obj
def changes(
    app: AppContext,
    since: str,
    home: str,
    partner: str,
    min_tier: str,
    max_hops: int,
    as_json: bool,
    html_file: Path | None,
) -> None:
    """What is new since BASELINE: the monitoring loop, run unattended (e.g. from cron).

    \b
    BASELINE is a snapshot directory (collabgraph export; checksums verified) or a date
    YYYY-MM-DD: the graph as it stood that day, from provenance (nodes and relationships
    first seen on or before it, listings whose fiscal or as-of year is at most its year).

    Reported, each with its evidence (paper id, DOI, year, title, partner institution and the
    listing that makes it high-risk): new high-risk papers; papers already in the baseline
    that became high-risk, the retroactive ones (dated before every new listing) apart;
    papers no longer high-risk; home researchers with a high-risk paper now and none before;
    institutions whose effective tier changed; (home researcher, listed institution) pairs
    within --max-hops that appeared or vanished (searched from the home authors of joint
    papers). A paper is high-risk as in `collabgraph indicators`.

    Exit status 0 when nothing changed, 1 when something did, 2 on bad input (a snapshot
    whose checksum fails, an unknown date) or any other error.
    --json prints {"changed", "counts", "new", "retroactive", "reclassified", "cleared",
    "researchers", "tiers", "paths", "parameters", "baseline", "store", "generated_at"}.
    """
    try:
        with open_baseline(since, app.store) as (baseline, about):
            found = changes_query(
                baseline,
                app.store,
                home=home,
                partner=partner,
                min_tier=min_tier,
                max_hops=max_hops,
            )
    except CollabgraphError as exc:
        raise ReviewFailed(str(exc)) from None
    except (ServiceUnavailable, SessionExpired) as exc:
        # Status 1 would say "something changed": a lost server is an error (2) here.
        raise ReviewFailed(f"lost the connection to Neo4j ({type(exc).__name__})") from None
    audit.record_command(app, len(found.papers), baseline=about)
    data: dict[str, Any] = {
        **found.as_dict(),
        "baseline": about,
        "store": app.store.location,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if html_file is not None:
        try:
            html_file.write_text(render_changes_html(data), encoding="utf-8")
        except OSError as exc:
            raise ReviewFailed(f"{html_file}: cannot write it ({exc.strerror})") from None
    if as_json:
        emit_json(data)
    else:
        _print(data)
    click.get_current_context().exit(1 if found.changed else 0)


def _print(data: dict[str, Any]) -> None:
    if not data["changed"]:
        click.echo(f"no change since {data['baseline'].get('path') or data['baseline']['date']}")
        return
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in data["counts"].items())
    click.echo(
        f"changes since {data['baseline'].get('path') or data['baseline']['date']}: {counts}"
    )
    blocks = [
        (heading, PAPER_HEADERS, [_short(row) for row in paper_rows(data[kind])])
        for kind, heading, _ in SECTIONS
    ]
    blocks += [
        ("New researchers with findings", RESEARCHER_HEADERS, researcher_rows(data["researchers"])),
        ("Effective tier changes", TIER_HEADERS, tier_rows(data["tiers"])),
        ("Paths", PATH_HEADERS, path_rows(data["paths"])),
    ]
    for heading, headers, rows in blocks:
        if rows:
            click.echo(f"\n{heading}")
            echo_table(headers, rows)


def _short(row: list[Any], width: int = 60) -> list[Any]:
    """The row with its title cut to ``width`` characters, for a terminal."""
    title = str(row[3] or "")
    return [*row[:3], title if len(title) <= width else title[: width - 1] + "…", *row[4:]]
