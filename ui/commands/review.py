"""``collabgraph review``: reviews as security offices run them (one module per subcommand)."""

from __future__ import annotations

import click

from .review_changes import changes


@click.group()
def review() -> None:
    """Reviews as security offices run them."""


review.add_command(changes)
