"""``collabgraph timeline``: one researcher's or institution's papers per year and listings."""

from __future__ import annotations

from pathlib import Path

import click

from collabgraph.queries.common import parse_years
from collabgraph.queries.find import find_node
from collabgraph.queries.sides import Side
from collabgraph.queries.timeline import timeline as timeline_query

from ..context import AppContext
from ..options import home_and_partner
from ..output import echo_table, emit_json


@click.command()
@click.argument("query")
@home_and_partner
@click.option("--years", metavar="A-B", help="Only papers from these years.")
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    help="Lowest tier that makes a paper high-risk.",
)
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the chart to this SVG file (self-contained, no external references).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
def timeline(
    app: AppContext,
    query: str,
    home: Side,
    partner: Side,
    years: str | None,
    min_tier: str,
    svg_path: Path | None,
    as_json: bool,
) -> None:
    """Per year for a researcher or an institution (with its units): papers, joint ones,
    high-risk ones and those dated before listing, beside the listings behind them.

    QUERY is an id or a name. --json prints {"node", "rows": [{"year", "papers", "joint",
    "high_risk", "before_listing"}], "listings": [{"year", "list", "list_name", "tier",
    "institution", "institution_name"}], "parameters"}.
    """
    node = find_node(app.store, query, labels=["Researcher", "Institution"])
    found = timeline_query(
        app.store,
        node.id,
        home=home,
        partner=partner,
        min_tier=min_tier,
        years=parse_years(years),
    )
    if svg_path is not None:
        from collabgraph.ui.report.timeline_svg import timeline_svg

        title = f"{found.node['name'] or node.id}: papers per year and listings"
        try:
            svg_path.write_text(timeline_svg(found.rows, found.listings, title=title), "utf-8")
        except OSError as exc:
            raise click.UsageError(f"--svg {svg_path}: {exc.strerror or exc}") from None
    if as_json:
        emit_json(found.as_dict())
        return
    click.echo(f"{found.node['name']} ({found.node['label']}, {found.node['id']})")
    echo_table(
        ["year", "papers", "joint", "high risk", "of which before listing"],
        [
            [r["year"], r["papers"], r["joint"], r["high_risk"], r["before_listing"]]
            for r in found.rows
        ],
    )
    click.echo("\nlistings")
    echo_table(
        ["year", "list", "tier", "institution"],
        [[m["year"], m["list_name"], m["tier"], m["institution_name"]] for m in found.listings],
    )
