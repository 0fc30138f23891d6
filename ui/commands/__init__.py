"""Every CLI command, one module each. Add a command by importing it into COMMANDS."""

from __future__ import annotations

import click

from .audit import audit
from .bench import bench
from .cypher_cmd import cypher
from .demo import demo
from .export import export
from .exposure import exposure
from .fetch import fetch
from .forget import forget
from .generate import generate
from .import_cmd import import_
from .indicators import indicators
from .ingest import ingest
from .neighbourhood import neighbourhood
from .paths import paths
from .report import report
from .resolve import judge, resolve
from .review import review
from .screen import screen
from .stats import stats
from .ui_cmd import ui

COMMANDS: list[click.Command] = [
    demo,
    report,
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
    paths,
    exposure,
    neighbourhood,
    indicators,
    screen,
    review,
    cypher,
    generate,
    bench,
]
