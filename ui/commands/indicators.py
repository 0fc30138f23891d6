"""``collabgraph indicators``: the yearly joint / high-risk / critical-technology table."""

from __future__ import annotations

import click

from collabgraph.queries.common import parse_years
from collabgraph.queries.indicators import indicators as indicators_query
from collabgraph.queries.sides import Side

from ..context import AppContext
from ..options import home_and_partner
from ..output import echo_table, emit_json


@click.command()
@home_and_partner
@click.option("--years", metavar="A-B", help="Only papers from these years.")
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    help="Lowest tier that makes a paper high-risk.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
def indicators(
    app: AppContext,
    home: Side,
    partner: Side,
    years: str | None,
    min_tier: str,
    as_json: bool,
) -> None:
    """Per year: joint papers, high-risk ones, and high-risk in critical technology.

    Each side is a country or an institution with all its units (e.g. --home "KU Leuven").
    Breakdowns by list and tier, partner institution, unit of an institution side and
    technology show where each count comes from; papers dated before the listing that makes
    them high-risk are counted apart. --json prints {"rows": [{"year", "joint", "high_risk",
    "high_risk_critical", "before_listing"}], "by_technology", "by_partner", "by_list",
    "by_unit", "parameters"}.
    """
    found = indicators_query(app.store, home, partner, years=parse_years(years), min_tier=min_tier)
    if as_json:
        emit_json(found.as_dict())
        return
    echo_table(
        ["year", "joint", "high risk", "high risk, critical", "of which before listing"],
        [
            [r["year"], r["joint"], r["high_risk"], r["high_risk_critical"], r["before_listing"]]
            for r in found.rows
        ],
    )
    click.echo("\nby list and tier")
    echo_table(
        ["list", "tier", "high risk", "critical", "before listing", "held by"],
        [
            [
                x["list_name"],
                x["tier"],
                x["high_risk"],
                x["high_risk_critical"],
                x["before_listing"],
                _short(", ".join(x["held_by"]), 40),
            ]
            for x in found.by_list
        ],
    )
    if found.by_unit:
        click.echo("\nby unit of an institution side (--json: every list and its holders)")
        echo_table(
            ["side", "id", "name", "joint", "high risk", "critical", "lists"],
            [
                [
                    u["side"],
                    u["id"],
                    u["name"],
                    u["joint"],
                    u["high_risk"],
                    u["high_risk_critical"],
                    _short("; ".join(u["lists"])),
                ]
                for u in found.by_unit
            ],
        )
    click.echo("\nby partner institution (top 15)")
    echo_table(
        ["id", "name", "tier", "joint", "high risk", "critical"],
        [
            [p["id"], p["name"], p["tier"], p["joint"], p["high_risk"], p["high_risk_critical"]]
            for p in found.by_partner[:15]
        ],
    )
    click.echo("\nby technology")
    echo_table(
        ["code", "technology", "joint", "high risk"],
        [[t["code"], t["name"], t["joint"], t["high_risk"]] for t in found.by_technology],
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
