"""``collabgraph stats``: what a store holds."""

from __future__ import annotations

import click

from collabgraph.graph.schema import SCHEMA

from ..context import AppContext
from ..output import echo_table, emit_json


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
def stats(app: AppContext, as_json: bool) -> None:
    """Node counts by label and relationship counts by type.

    Also shows where the store is and the schema version: the quickest way to see what a store
    holds. --json prints {"nodes": {label: count}, "relationships": {type: count},
    "store": ..., "schema_version": ...}.
    """
    counts = app.store.view().counts()
    data = {**counts.as_dict(), "store": app.store.location, "schema_version": SCHEMA.version}
    if as_json:
        emit_json(data)
        return
    click.echo(f"store: {app.store.location} ({app.store.kind}), schema version {SCHEMA.version}")
    echo_table(["label", "nodes"], sorted(counts.nodes.items()))
    click.echo()
    echo_table(["type", "relationships"], sorted(counts.relationships.items()))
