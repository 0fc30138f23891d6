"""``collabgraph cypher "QUERY"``: run a read-only Cypher query of one's own against Neo4j."""

from __future__ import annotations

import click

from collabgraph.queries.user_cypher import DEFAULT_MAX_ROWS, parse_params, run_read_only

from .. import audit
from ..context import AppContext
from ..output import echo_table, emit_json


@click.command()
@click.argument("query")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter (repeatable); JSON values, else text.",
)
@click.option("--max-rows", type=click.IntRange(1), default=DEFAULT_MAX_ROWS, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def cypher(
    app: AppContext, query: str, params: tuple[str, ...], max_rows: int, as_json: bool
) -> None:
    """Run QUERY if Neo4j's EXPLAIN says it only reads; refuse it otherwise.

    Values go in as parameters: cypher 'MATCH (i:Institution {id: $id}) RETURN i.name'
    --param id=ror:01yqg2h08. Writes, schema and admin commands, CALL { } IN TRANSACTIONS,
    LOAD CSV, dbms.* and APOC load/export procedures are refused. Needs a Neo4j store.
    --json prints {"columns", "rows", "truncated"}.
    """
    result = run_read_only(app.store, query, parse_params(params), max_rows=max_rows)
    audit.record_command(app, len(result.rows))
    if as_json:
        emit_json(result.as_dict())
        return
    echo_table(result.columns, [[row.get(c) for c in result.columns] for row in result.rows])
    if result.truncated:
        click.echo(f"(first {max_rows} rows; use --max-rows for more)", err=True)
