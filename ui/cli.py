"""The ``collabgraph`` command: parses arguments, calls the library, prints the answer.

Each command lives in its own module under ``ui/commands/`` and is registered below. Errors the
user can fix become one line on stderr (exit 1; usage mistakes exit 2), never a traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from collabgraph import __version__
from collabgraph.graph.errors import BadInput, CollabgraphError

from .commands import COMMANDS
from .context import AppContext


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    metavar="PATH|URI",
    envvar="COLLABGRAPH_STORE",
    help="Graph store: a file path (embedded, the default is "
    "./collabgraph.db) or a bolt:// / neo4j:// / neo4j+s:// URI. "
    "Neo4j credentials come from NEO4J_USER and NEO4J_PASSWORD. "
    "[env: COLLABGRAPH_STORE]",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
@click.option(
    "--analyst",
    metavar="NAME",
    envvar="COLLABGRAPH_ANALYST",
    help="Who is doing the look-ups, for the audit log (default: the OS user). "
    "[env: COLLABGRAPH_ANALYST]",
)
@click.option(
    "--audit-log",
    metavar="PATH",
    envvar="COLLABGRAPH_AUDIT_LOG",
    help="Audit log file (JSON lines; default: collabgraph.audit.jsonl beside the store, "
    "or in ~/.local/state/collabgraph/ for Neo4j). "
    "[env: COLLABGRAPH_AUDIT_LOG]",
)
@click.version_option(__version__, prog_name="collabgraph")
@click.pass_context
def cli(
    ctx: click.Context,
    store: str | None,
    quiet: bool,
    verbose: bool,
    analyst: str | None,
    audit_log: str | None,
) -> None:
    """collabgraph: a collaboration knowledge graph for research security.

    Turns publication records, ROR and risk lists into a graph of researchers, institutions,
    papers and technologies, and answers investigators' questions about it.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not verbose:
        # The driver logs each retry (with tracebacks) and server notifications; the command's
        # own one-line error says what failed. --verbose shows them.
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    ctx.obj = AppContext(store_spec=store, quiet=quiet, analyst=analyst, audit_log=audit_log)
    ctx.call_on_close(ctx.obj.close)


for command in COMMANDS:
    cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the console script."""
    try:
        return cli.main(args=argv, prog_name="collabgraph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BadInput as exc:
        click.echo(f"collabgraph: error: {exc}", err=True)
        sys.exit(2)
    except CollabgraphError as exc:
        click.echo(f"collabgraph: error: {exc}", err=True)
        sys.exit(1)
    except (ServiceUnavailable, SessionExpired) as exc:
        # Neo4j went away during a read (writes say more, see graph/neo4j/writer.py).
        click.echo(
            f"collabgraph: error: lost the connection to Neo4j ({type(exc).__name__}): is the "
            "server still running? Rerun the command once it is back.",
            err=True,
        )
        sys.exit(1)
    except FileNotFoundError as exc:
        # A file named on the command line that a command opened without checking first.
        click.echo(f"collabgraph: error: {exc.filename}: no such file; check the path", err=True)
        sys.exit(2)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): end quietly.
        sys.stderr.close()
        sys.exit(0)
