"""``collabgraph review``: reviews as security offices run them (one subcommand per review)."""

from __future__ import annotations

import click

from .review_team import team


@click.group()
def review() -> None:
    """Reviews as security offices run them: a proposal team's look-back (team)."""


review.add_command(team)
