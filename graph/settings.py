"""Settings read from the environment, each checked where it is read, with a message naming it."""

from __future__ import annotations

import math
import os

from .errors import CollabgraphError


def seconds_from_env(
    name: str,
    default: float,
    *,
    what: str,
    error: type[CollabgraphError] = CollabgraphError,
    allow_zero: bool = False,
) -> float:
    """The number of seconds in variable ``name``, or ``default`` when it is unset or blank.

    Anything but a finite number above zero (or zero itself, with ``allow_zero``) raises
    ``error`` naming the variable and its value: ``what`` says what the seconds are for.
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and (seconds > 0 or (allow_zero and seconds == 0))):
        raise error(f"{name}={text!r}: give {what} as seconds, e.g. {default:g}")
    return seconds
