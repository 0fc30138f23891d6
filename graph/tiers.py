"""Risk tiers: an ordered scale, very high > high > medium > low > none."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from .errors import CollabgraphError


class Tier(IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    VERY_HIGH = 4

    @property
    def label(self) -> str:
        """The spelling used in the graph and on the command line: ``very high``, ``high`` …"""
        return self.name.lower().replace("_", " ")

    @classmethod
    def parse(cls, text: str | None) -> Tier:
        """Read a tier name (``very high``, ``very_high``, ``VERY-HIGH``); empty means NONE."""
        if text is None or not str(text).strip():
            return cls.NONE
        key = str(text).strip().upper().replace("-", "_").replace(" ", "_")
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(t.label for t in cls)
            raise CollabgraphError(f"unknown risk tier {text!r}; use one of: {names}") from None


def effective_tier(asserted: Iterable[str | None]) -> Tier:
    """The highest tier among the assertions (NONE when there are none)."""
    return max((Tier.parse(t) for t in asserted), default=Tier.NONE)


TIER_LABELS = [t.label for t in Tier]
