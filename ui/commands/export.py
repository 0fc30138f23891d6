"""``collabgraph export``: write a snapshot of the graph (or a subgraph) in one format."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click

from collabgraph.graph.contract import Subgraph
from collabgraph.graph.records import Relationship
from collabgraph.graph.snapshot import FORMATS, write_snapshot
from collabgraph.graph.snapshot.archive import make_zip

from .. import audit
from ..context import AppContext
from ..options import neighbourhood_filters


def _neighbourhood_subgraph(
    app: AppContext, query: str, hops: int, filters: dict[str, Any]
) -> tuple[Subgraph, dict[str, Any]]:
    """The neighbourhood query's nodes (with all their properties) and the relationships it
    followed, so the snapshot honours the same filters as `collabgraph neighbourhood`."""
    from collabgraph.queries.common import parse_years
    from collabgraph.queries.find import find_node
    from collabgraph.queries.neighbourhood import neighbourhood

    node = find_node(app.store, query)
    technology = filters["technology"]
    tech = find_node(app.store, technology, labels=["Technology"]).id if technology else None
    types = filters["types"]
    found = neighbourhood(
        app.store,
        node.id,
        hops=hops,
        years=parse_years(filters["years"]),
        min_tier=filters["min_tier"],
        technology=tech,
        rel_types=[t for t in types.split(",") if t.strip()] if types else None,
        max_nodes=filters["max_nodes"],
        per_node_cap=filters["cap"],
    )
    ids = [n["id"] for n in found.nodes]
    nodes = app.store.view().get_nodes(ids)
    rels = [Relationship(r["type"], r["start"], r["end"], r["props"]) for r in found.relationships]
    params = {
        "node": query,
        "id": node.id,
        "hops": hops,
        **filters,
        "max_nodes_reached": found.max_nodes_reached,
        "capped_nodes": len(found.truncated),
    }
    return Subgraph([nodes[i] for i in ids if i in nodes], rels), params


def _paths_subgraph(app: AppContext, query: str, hops: int) -> tuple[Subgraph, dict[str, Any]]:
    from collabgraph.queries.find import find_node
    from collabgraph.queries.paths import paths_to_risk

    node = find_node(app.store, query)
    ids = [node.id]
    for path in paths_to_risk(app.store, node.id, max_hops=hops):
        ids += [n.id for n in path.nodes]
    view = app.store.view()
    return view.subgraph(ids), {"paths": query, "id": node.id, "max_hops": hops}


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Snapshot format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="New directory for the snapshot, or a .zip file.",
)
@click.option("--node", "node_query", metavar="QUERY", help="Export the neighbourhood of a node.")
@click.option("--paths", "paths_query", metavar="QUERY", help="Export paths from a node to risk.")
@click.option("--hops", type=int, default=1, show_default=True, help="Hops for --node/--paths.")
@neighbourhood_filters(max_nodes=10000, cap=1000, note="With --node: ")
@click.option(
    "--for",
    "audience",
    type=click.Choice(["spreadsheet"]),
    help="With --format csv: flat tables for Excel (formula cells neutralised).",
)
@click.option(
    "--replace-invalid",
    is_flag=True,
    help="Write characters the format cannot carry (control characters in GraphML/GEXF, the "
    "array delimiter in a CSV list element) as \\uXXXX escapes instead of refusing the graph; "
    "the manifest lists every changed value and `collabgraph import` restores it.",
)
@click.pass_obj
def export(
    app: AppContext,
    fmt: str,
    output: Path,
    node_query: str | None,
    paths_query: str | None,
    hops: int,
    years: str | None,
    min_tier: str | None,
    technology: str | None,
    types: str | None,
    max_nodes: int,
    cap: int,
    audience: str | None,
    replace_invalid: bool,
) -> None:
    """Export the graph as GraphML, GEXF, node-link JSON, neo4j-admin CSV or Cypher.

    Writes the data files and a manifest.json (format version, store, query, source datasets,
    counts, sha256 of every file) into OUTPUT, a new directory; an OUTPUT ending in .zip gets
    the same files zipped. --node QUERY --hops N exports a node's neighbourhood (with the
    filters of `collabgraph neighbourhood`; caps and truncation are recorded in the manifest)
    and --paths QUERY the paths from a node to high-risk institutions; without them, the whole
    graph. A value the format cannot carry is refused, naming it, unless --replace-invalid.
    See the README for opening each format in Gephi, Cytoscape, yEd, Neo4j and networkx.
    """
    if node_query and paths_query:
        raise click.UsageError("use either --node or --paths, not both")
    subgraph: Subgraph | None = None
    query: str | None = None
    params: dict[str, Any] | None = None
    if node_query:
        filters = {
            "years": years,
            "min_tier": min_tier,
            "technology": technology,
            "types": types,
            "max_nodes": max_nodes,
            "cap": cap,
        }
        subgraph, params = _neighbourhood_subgraph(app, node_query, hops, filters)
        query = "neighbourhood"
    elif paths_query:
        subgraph, params = _paths_subgraph(app, paths_query, hops)
        query = "paths_to_risk"
    if subgraph is not None:  # a look-up of a person or institution, not a whole-graph export
        audit.record_command(app, len(subgraph.nodes))
    kwargs: dict[str, Any] = {
        "fmt": fmt,
        "subgraph": subgraph,
        "query": query,
        "params": params,
        "for_spreadsheet": audience == "spreadsheet",
        "replace_invalid": replace_invalid,
        "quiet": app.quiet,
    }
    if output.suffix.lower() == ".zip":
        if output.exists():
            raise click.UsageError(f"{output} exists; choose a new file name")
        with tempfile.TemporaryDirectory(prefix="collabgraph-export-") as tmp:
            inner = Path(tmp) / output.stem
            write_snapshot(app.store, inner, **kwargs)
            make_zip(inner, output)
        where = output
    else:
        where = write_snapshot(app.store, output, **kwargs)
    if not app.quiet:
        click.echo(f"wrote {where}", err=True)
