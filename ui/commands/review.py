"""``collabgraph review``: reviews as security offices run them (one module per subcommand)."""

from __future__ import annotations

import click

from .review_changes import changes
from .review_team import team


@click.group()
def review() -> None:
    """Reviews as security offices run them: a proposal team's look-back (team) and what
    changed since the last review (changes)."""


review.add_command(team)
review.add_command(changes)
