"""``collabgraph export``: write a snapshot of the graph (or a subgraph) in one format."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click

from collabgraph.graph.contract import Subgraph
from collabgraph.graph.snapshot import FORMATS, write_snapshot
from collabgraph.graph.snapshot.archive import make_zip
from collabgraph.graph.snapshot.select import neighbourhood

from ..context import AppContext


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
@click.option(
    "--for",
    "audience",
    type=click.Choice(["spreadsheet"]),
    help="With --format csv: flat tables for Excel (formula cells neutralised).",
)
@click.pass_obj
def export(
    app: AppContext,
    fmt: str,
    output: Path,
    node_query: str | None,
    paths_query: str | None,
    hops: int,
    audience: str | None,
) -> None:
    """Export the graph as GraphML, GEXF, node-link JSON, neo4j-admin CSV or Cypher.

    Writes the data files and a manifest.json (format version, store, query, source datasets,
    counts, sha256 of every file) into OUTPUT, a new directory; an OUTPUT ending in .zip gets
    the same files zipped. --node QUERY --hops N exports a node's neighbourhood and --paths
    QUERY the paths from a node to high-risk institutions; without them, the whole graph.
    See the README for opening each format in Gephi, Cytoscape, yEd, Neo4j and networkx.
    """
    if node_query and paths_query:
        raise click.UsageError("use either --node or --paths, not both")
    subgraph: Subgraph | None = None
    query: str | None = None
    params: dict[str, Any] | None = None
    if node_query:
        from collabgraph.queries.find import find_node

        node = find_node(app.store, node_query)
        subgraph = neighbourhood(app.store.view(), node.id, hops=hops)
        query, params = (
            "neighbourhood (BFS over view.neighbours)",
            {
                "node": node_query,
                "id": node.id,
                "hops": hops,
            },
        )
    elif paths_query:
        subgraph, params = _paths_subgraph(app, paths_query, hops)
        query = "paths_to_risk"
    kwargs: dict[str, Any] = {
        "fmt": fmt,
        "subgraph": subgraph,
        "query": query,
        "params": params,
        "for_spreadsheet": audience == "spreadsheet",
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
