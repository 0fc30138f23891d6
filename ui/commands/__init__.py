"""Every CLI command, one module each. Add a command by importing it into COMMANDS."""

from __future__ import annotations

import click

from .stats import stats

COMMANDS: list[click.Command] = [stats]
