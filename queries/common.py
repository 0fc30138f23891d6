"""What the investigator queries share: traversable types, limits, parsing, node summaries.

The rules for reading risk (effective tier, listing year, year windows) are facts of the model
and live in graph/risk.py; they are re-exported here for the questions and the interfaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.risk import (
    Listing,
    RiskyInstitution,
    YearWindow,
    effective_tier,
    first_listed,
    in_window,
    listing_from,
    norm_tier,
    tier_of,
    year_of,
)
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

__all__ = [
    "DEFAULT_PATH_TYPES",
    "MAX_HOPS_LIMIT",
    "TRAVERSABLE_TYPES",
    "Listing",
    "RiskyInstitution",
    "YearWindow",
    "check_hops",
    "check_rel_types",
    "display_name",
    "effective_tier",
    "first_listed",
    "in_window",
    "listing_from",
    "norm_tier",
    "parse_years",
    "tier_of",
    "tiers_at_or_above",
    "year_of",
]

# Relationship types a path or an exposure score may traverse by default, undirected.
# LISTED_ON and CONCERNS are left out on purpose: a risk list or a technology area links
# thousands of unrelated nodes, so a path through them says nothing about a collaboration.
# CO_AUTHORED is left out because AUTHORED reaches the same co-author through the shared paper,
# and that hop carries the paper's title, DOI and year as evidence; it can be asked for.
DEFAULT_PATH_TYPES: tuple[str, ...] = ("AUTHORED", "AFFILIATED_WITH", "PART_OF", "MILITARY_LINK")
TRAVERSABLE_TYPES: frozenset[str] = frozenset(DEFAULT_PATH_TYPES) | {"CO_AUTHORED"}

MAX_HOPS_LIMIT = 6


def tiers_at_or_above(min_tier: str | Tier) -> list[str]:
    """The tier labels at or above ``min_tier`` (for ``$tiers`` parameters)."""
    floor = min_tier if isinstance(min_tier, Tier) else Tier.parse(min_tier)
    if floor == Tier.NONE:
        raise CollabgraphError("the minimum tier must be low, medium, high or very high")
    return [t.label for t in Tier if t >= floor]


def parse_years(text: str | None) -> YearWindow | None:
    """``"2019-2023"``, ``"2021"``, ``"2019-"`` or ``"-2020"`` → an inclusive year window."""
    if text is None or not text.strip():
        return None
    m = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
    if not m or not (m.group(1) or m.group(3)):
        raise CollabgraphError(f"years {text!r}: use A-B (e.g. 2019-2023), A, A- or -B")
    start = int(m.group(1)) if m.group(1) else None
    end = int(m.group(3)) if m.group(3) else (start if m.group(2) is None else None)
    if start is not None and end is not None and start > end:
        raise CollabgraphError(f"years {text!r}: the first year is after the last")
    return (start, end)


def check_rel_types(rel_types: Iterable[str] | None) -> list[str]:
    """Traversable types, checked against the schema; the default set when None."""
    if rel_types is None:
        return list(DEFAULT_PATH_TYPES)
    chosen = [SCHEMA.rel(t.strip().upper()).type for t in rel_types]
    bad = [t for t in chosen if t not in TRAVERSABLE_TYPES]
    if bad:
        allowed = ", ".join(sorted(TRAVERSABLE_TYPES))
        raise CollabgraphError(f"cannot traverse {', '.join(bad)}; use some of: {allowed}")
    return sorted(set(chosen))


def check_hops(max_hops: int, *, limit: int = MAX_HOPS_LIMIT) -> int:
    if not isinstance(max_hops, int) or not 1 <= max_hops <= limit:
        raise CollabgraphError(f"max hops must be between 1 and {limit}, not {max_hops!r}")
    return max_hops


def display_name(label: str, props: Mapping[str, Any]) -> str:
    """The name people read: ``name`` for most nodes, ``title`` for papers."""
    value = props.get("title") if label == "Paper" else props.get("name")
    return str(value) if value else ""
