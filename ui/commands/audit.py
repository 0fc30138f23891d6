"""``collabgraph audit``: show and filter the audit log of look-ups."""

from __future__ import annotations

import sys

import click
import orjson

from ..audit import AuditFilter, audit_path, read_entries
from ..context import AppContext
from ..output import echo_table


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@click.option("--analyst", "who", metavar="NAME", help="Only entries by this analyst.")
@click.option("--command", "command", metavar="NAME", help="Only this command or page.")
@click.option("--since", metavar="DATE", help="Only entries at or after this ISO date/time.")
@click.option("--until", metavar="DATE", help="Only entries up to this ISO date/time (inclusive).")
@click.option(
    "--contains", metavar="TEXT", help="Only entries whose parameters contain TEXT (any case)."
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the last N matching entries.")
@click.pass_obj
def audit(
    app: AppContext,
    as_json: bool,
    who: str | None,
    command: str | None,
    since: str | None,
    until: str | None,
    contains: str | None,
    limit: int | None,
) -> None:
    """Who looked up whom: the append-only audit log of look-ups and deletions.

    Every look-up of a person or institution (paths, exposure, neighbourhood, screen, profile,
    the workbench pages) and every `forget` appends an entry: time (UTC), analyst (--analyst or
    the OS user), command, parameters and result count. The log is
    --audit-log, $COLLABGRAPH_AUDIT_LOG, or collabgraph.audit.jsonl beside the store (for
    Neo4j in ~/.local/state/collabgraph/).

    Example: collabgraph audit --analyst alice --since 2026-01-01 --json
    """
    path = audit_path(app.store_spec, app.audit_log)
    chosen = list(AuditFilter(who, command, since, until, contains).apply(read_entries(path)))
    if limit is not None:
        chosen = chosen[-limit:]
    if as_json:
        for entry in chosen:
            sys.stdout.write(orjson.dumps(entry).decode() + "\n")
        return
    if not app.quiet:
        click.echo(f"audit log: {path} ({len(chosen)} entries shown)", err=True)
    rows = [
        (
            e.get("time"),
            e.get("analyst"),
            e.get("command"),
            _params(e.get("params")),
            e.get("results"),
        )
        for e in chosen
    ]
    echo_table(["time", "analyst", "command", "parameters", "results"], rows)


def _params(params: object) -> str:
    if not isinstance(params, dict):
        return ""
    text = ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, "", [], False))
    return text if len(text) <= 80 else text[:79] + "…"
