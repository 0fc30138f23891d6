"""Options that more than one command declares, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def neighbourhood_filters(
    *, max_nodes: int, cap: int, note: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--years --min-tier --technology --types --max-nodes --cap, as ``neighbourhood`` takes them.

    ``note`` starts every help text (``export`` says "With --node: "); the defaults differ by
    command because an export may hold far more than a terminal shows.
    """

    def text(what: str) -> str:
        return f"{note}{what}" if note else what[0].upper() + what[1:]

    options = [
        click.option("--years", metavar="A-B", help=text("only papers from these years.")),
        click.option("--min-tier", help=text("only institutions at or above this tier.")),
        click.option(
            "--technology", metavar="QUERY", help=text("only papers concerning this technology.")
        ),
        click.option(
            "--types", metavar="T1,T2", help=text("relationship types to follow (default: all).")
        ),
        click.option(
            "--max-nodes",
            type=click.IntRange(1),
            default=max_nodes,
            show_default=True,
            help=text("stop adding nodes at this many."),
        ),
        click.option(
            "--cap",
            type=click.IntRange(1),
            default=cap,
            show_default=True,
            help=text("neighbours kept per node, strongest first."),
        ),
    ]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate
