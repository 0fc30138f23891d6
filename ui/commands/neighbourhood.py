"""``collabgraph neighbourhood QUERY``: the subgraph around a node, hubs capped and paged."""

from __future__ import annotations

import click

from collabgraph.queries.common import parse_years
from collabgraph.queries.find import find_node
from collabgraph.queries.neighbourhood import neighbourhood as neighbourhood_query

from .. import audit
from ..context import AppContext
from ..options import neighbourhood_filters
from ..output import echo_table, emit_json


@click.command()
@click.argument("query")
@click.option("--hops", type=click.IntRange(1, 3), default=1, show_default=True)
@neighbourhood_filters(max_nodes=200, cap=50)
@click.option(
    "--offset",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Page through the centre node's neighbours.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--html",
    "html_out",
    metavar="OUT.html",
    type=click.Path(dir_okay=False),
    help="Also write a standalone, offline drawing (pyvis) of the neighbourhood to OUT.html.",
)
@click.pass_obj
def neighbourhood(
    app: AppContext,
    query: str,
    hops: int,
    years: str | None,
    min_tier: str | None,
    technology: str | None,
    types: str | None,
    max_nodes: int,
    cap: int,
    offset: int,
    as_json: bool,
    html_out: str | None = None,
) -> None:
    """The nodes and relationships within --hops of QUERY.

    A hub shows its --cap strongest neighbours and says how many more there are; --offset
    pages through the rest of the centre's. --json prints {"nodes", "relationships",
    "truncated", "max_nodes_reached"}.
    """
    node = find_node(app.store, query)
    tech = find_node(app.store, technology, labels=["Technology"]).id if technology else None
    found = neighbourhood_query(
        app.store,
        node.id,
        hops=hops,
        years=parse_years(years),
        min_tier=min_tier,
        technology=tech,
        rel_types=[t for t in types.split(",") if t.strip()] if types else None,
        max_nodes=max_nodes,
        per_node_cap=cap,
        offset=offset,
    )
    audit.record_command(app, len(found.nodes), id=node.id)
    if html_out:
        from ..app.hood import write_neighbourhood_html

        written = write_neighbourhood_html(app.store, node.id, found, html_out)
        if not app.quiet:
            click.echo(f"wrote {written}", err=True)
    if as_json:
        emit_json(found.as_dict())
        return
    echo_table(
        ["hop", "label", "id", "name", "tier"],
        [[n["hop"], n["label"], n["id"], n["name"], n["tier"] or ""] for n in found.nodes],
    )
    click.echo(f"\n{len(found.relationships)} relationships")
    for cut in found.truncated:
        click.echo(
            f"{cut['node']}: showing {cut['shown']} of {cut['total']} neighbours from "
            f"{cut['offset']}; {cut['more']} more (--offset {cut['offset'] + cut['shown']})"
        )
    if found.max_nodes_reached:
        click.echo(f"stopped at --max-nodes {max_nodes}")
