"""Every CLI command, one module each. Add a command by importing it into COMMANDS."""

from __future__ import annotations

import click

from .audit import audit
from .export import export
from .fetch import fetch
from .forget import forget
from .import_cmd import import_
from .ingest import ingest
from .resolve import judge, resolve
from .stats import stats
from .ui_cmd import ui

COMMANDS: list[click.Command] = [
    stats,
    export,
    import_,
    ingest,
    fetch,
    audit,
    forget,
    ui,
    resolve,
    judge,
]
