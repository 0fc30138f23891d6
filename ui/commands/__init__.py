"""Every CLI command, one module each. Add a command by importing it into COMMANDS."""

from __future__ import annotations

import click

from .export import export
from .import_cmd import import_
from .stats import stats

COMMANDS: list[click.Command] = [stats, export, import_]
