"""``collabgraph ui``: start the Streamlit investigator workbench on this machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from collabgraph.graph.open import store_spec

from ..context import AppContext

APP = Path(__file__).resolve().parent.parent / "app" / "main.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for the workbench (headless, no usage statistics)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        # An investigator's tool, not a dashboard to deploy: no deploy button, no auto-reload.
        "--client.toolbarMode",
        "viewer",
        "--server.fileWatcherType",
        "none",
    ]


@click.command("ui")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1 exposes the workbench (and the "
    "graph) to the network: only do that behind an authenticating proxy.",
)
@click.option(
    "--port",
    default=8501,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.pass_obj
def ui(app: AppContext, host: str, port: int) -> None:
    """Start the investigator workbench (Streamlit) in the browser.

    Search and screen, profiles with explained paths to risk, neighbourhood drawings,
    indicators, exports and (on Neo4j) a read-only Cypher console. The store is the one given
    with --store / COLLABGRAPH_STORE; open http://HOST:PORT/ once it says it is running.
    Stop it with Ctrl-C.
    """
    env = dict(os.environ)
    env["COLLABGRAPH_STORE"] = store_spec(app.store_spec)
    click.echo(f"collabgraph workbench on http://{host}:{port}/", err=True)
    try:
        completed = subprocess.run(streamlit_command(host, port), env=env, check=False)
    except KeyboardInterrupt:
        return
    if completed.returncode not in (0, -2, 130):
        raise click.ClickException(f"streamlit stopped with exit code {completed.returncode}")
