"""What the investigator queries share: tiers, listings, year windows and node summaries.

The embedded and Neo4j forms of every query feed the same Python post-processing defined here,
so both stores read risk the same way:

* an institution's **effective tier** is the highest tier over its ``LISTED_ON`` relationships
  and its own derived ``tier`` property;
* a listing's **year** is its ``fiscal_year`` when given, else the year of its ``as_of`` date,
  else the year of the list's own ``as_of``; a collaboration dated earlier than the first
  qualifying listing of an institution is "before listing".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

# Relationship types a path or an exposure score may traverse by default, undirected.
# LISTED_ON and CONCERNS are left out on purpose: a risk list or a technology area links
# thousands of unrelated nodes, so a path through them says nothing about a collaboration.
# CO_AUTHORED is left out because AUTHORED reaches the same co-author through the shared paper,
# and that hop carries the paper's title, DOI and year as evidence; it can be asked for.
DEFAULT_PATH_TYPES: tuple[str, ...] = ("AUTHORED", "AFFILIATED_WITH", "PART_OF", "MILITARY_LINK")
TRAVERSABLE_TYPES: frozenset[str] = frozenset(DEFAULT_PATH_TYPES) | {"CO_AUTHORED"}

MAX_HOPS_LIMIT = 6

YearWindow = tuple[int | None, int | None]


def norm_tier(text: Any) -> str:
    """The canonical spelling of a stored tier (``VERY_HIGH`` → ``very high``); '' if unset.

    The Cypher files apply the same normalisation: lower case, ``_`` and ``-`` read as spaces.
    """
    if text is None:
        return ""
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def tier_of(text: Any) -> Tier:
    """A stored tier value as a :class:`Tier`; unknown spellings count as NONE."""
    key = norm_tier(text)
    for tier in Tier:
        if tier.label == key:
            return tier
    return Tier.NONE


def tiers_at_or_above(min_tier: str | Tier) -> list[str]:
    """The tier labels at or above ``min_tier`` (for ``$tiers`` parameters)."""
    floor = min_tier if isinstance(min_tier, Tier) else Tier.parse(min_tier)
    if floor == Tier.NONE:
        raise CollabgraphError("the minimum tier must be low, medium, high or very high")
    return [t.label for t in Tier if t >= floor]


def tier_rank() -> dict[str, int]:
    """Tier label → rank, for Cypher files that compare tiers (``$rank``)."""
    return {t.label: int(t) for t in Tier}


def year_of(text: Any) -> int | None:
    """The year of an ISO date, a bare year or an ``FY2023``-style value; None if there is none."""
    if isinstance(text, int):
        return text
    if not text:
        return None
    found = re.search(r"(\d{4})", str(text))
    return int(found.group(1)) if found else None


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


def in_window(year: Any, window: YearWindow | None) -> bool:
    """Whether ``year`` falls in ``window`` (no window admits everything; no year fails one)."""
    if window is None:
        return True
    if not isinstance(year, int):
        return False
    lo, hi = window
    return (lo is None or year >= lo) and (hi is None or year <= hi)


def window_params(window: YearWindow | None) -> dict[str, int | None]:
    """``$ymin`` / ``$ymax`` parameters for a year window (None means unbounded)."""
    lo, hi = window if window is not None else (None, None)
    return {"ymin": lo, "ymax": hi}


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


@dataclass(frozen=True)
class Listing:
    """One risk assertion: an institution on a list, with its tier, category and date."""

    institution: str
    list_id: str
    list_name: str
    tier: str
    category: str | None
    as_of: str | None
    fiscal_year: int | None
    source: str | None

    @property
    def year(self) -> int | None:
        """The year the listing took effect (fiscal year, else the as-of date's year)."""
        return self.fiscal_year if self.fiscal_year is not None else year_of(self.as_of)

    def sort_key(self) -> tuple[int, int, str]:
        """Strongest first, then earliest, then by list id: the listing that explains a tier."""
        return (-int(tier_of(self.tier)), self.year or 9999, self.list_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "list_name": self.list_name,
            "tier": self.tier,
            "category": self.category,
            "as_of": self.as_of,
            "fiscal_year": self.fiscal_year,
            "source": self.source,
        }


def listing_from(
    institution: str, list_id: str, list_props: Mapping[str, Any], rel_props: Mapping[str, Any]
) -> Listing:
    """Build a :class:`Listing` from a ``LISTED_ON`` relationship and its RiskList node."""
    fiscal = rel_props.get("fiscal_year")
    return Listing(
        institution=institution,
        list_id=list_id,
        list_name=str(list_props.get("name") or list_id),
        tier=norm_tier(rel_props.get("tier")),
        category=rel_props.get("category"),
        as_of=rel_props.get("as_of") or list_props.get("as_of"),
        fiscal_year=fiscal if isinstance(fiscal, int) else None,
        source=rel_props.get("source"),
    )


def effective_tier(listings: Iterable[Listing], own_tier: Any = None) -> Tier:
    """The highest tier among the listings and the node's own ``tier`` property."""
    return max([tier_of(own_tier), *(tier_of(lst.tier) for lst in listings)])


def first_listed(listings: Iterable[Listing], min_tier: Tier) -> int | None:
    """The earliest year of a listing at or above ``min_tier`` (None if undated or none)."""
    years = [lst.year for lst in listings if tier_of(lst.tier) >= min_tier]
    dated = [y for y in years if y is not None]
    return min(dated) if dated else None


def embedded_listings(graph: Any, institution: str) -> list[Listing]:
    """The listings of one institution in a networkx store graph, strongest first."""
    found = []
    for _, end, data in graph.out_edges(institution, data=True):
        if data["type"] == "LISTED_ON":
            found.append(listing_from(institution, end, graph.nodes[end]["props"], data["props"]))
    return sorted(found, key=Listing.sort_key)


def rows_to_listings(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Listing]]:
    """Rows of ``{institution, list_id, list_props, props}`` (listings.cypher), by institution."""
    out: dict[str, list[Listing]] = {}
    for row in rows:
        lst = listing_from(row["institution"], row["list_id"], row["list_props"], row["props"])
        out.setdefault(lst.institution, []).append(lst)
    for items in out.values():
        items.sort(key=Listing.sort_key)
    return out
