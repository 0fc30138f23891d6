"""``collabgraph import``: load a snapshot into the selected store."""

from __future__ import annotations

from pathlib import Path

import click

from collabgraph.graph.snapshot import import_snapshot

from ..context import AppContext
from ..output import emit_json


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
@click.pass_obj
def import_(app: AppContext, path: Path, as_json: bool) -> None:
    """Import a snapshot (directory, single file, .zip or .tar.gz) into the store.

    Reads any format `collabgraph export` writes except the spreadsheet tables. When a
    manifest.json is present it is checked first: an unknown format version or a file whose
    sha256 differs is refused, as is an archive member whose path leaves the directory.
    Imports merge into what the store holds (upserts), so importing twice is harmless.
    Values an `export --replace-invalid` escaped are restored from the manifest.
    Researchers erased with `collabgraph forget` are not imported, nor any link to them.
    """
    result = import_snapshot(app.store, path, quiet=app.quiet)
    data = {
        "format": result.format,
        "nodes": result.nodes,
        "relationships": result.relationships,
        "matches_manifest": result.matches_manifest(),
        "withheld": result.withheld,
        "restored": result.restored,
        "store": app.store.location,
    }
    if as_json:
        emit_json(data)
        return
    if result.matches_manifest() is False:
        click.echo("warning: the counts read differ from the manifest's counts", err=True)
    if not app.quiet:
        nodes, rels = sum(result.nodes.values()), sum(result.relationships.values())
        click.echo(
            f"imported {nodes} nodes and {rels} relationships ({result.format}) "
            f"into {app.store.location}",
            err=True,
        )
    if result.restored and not app.quiet:
        click.echo(
            f"restored {result.restored} values the export had escaped (--replace-invalid)",
            err=True,
        )
    if result.withheld:
        click.echo(
            f"{result.withheld} nodes and relationships about erased researchers were not "
            "imported (the erasure register, see `collabgraph forget`)",
            err=True,
        )
