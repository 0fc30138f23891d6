"""How the graph states risk, read the same way by every store and every question.

* An institution's **effective tier** is the highest tier over its ``LISTED_ON`` relationships
  and its own derived ``tier`` property. Stored tiers are read case- and
  separator-insensitively (``VERY_HIGH`` is ``very high``).
* A listing's **year** is its ``fiscal_year`` when given, else the year of its ``as_of`` date,
  else the year of the list's own ``as_of``. A collaboration dated earlier than the first
  qualifying listing is "before listing".
* A **year window** admits a paper whose year is inside it, an affiliation with no years or a
  year inside it, and a co-authorship whose first..last years overlap it.

These are facts about the model, so they live in graph/: the stores implement their
primitives with them (or with Cypher that states the same rules) and queries/ builds on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .tiers import Tier

YearWindow = tuple[int | None, int | None]


def norm_tier(text: Any) -> str:
    """The canonical spelling of a stored tier (``VERY_HIGH`` → ``very high``); '' if unset."""
    if text is None:
        return ""
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


_TIER_BY_LABEL = {tier.label: tier for tier in Tier}


def tier_of(text: Any) -> Tier:
    """A stored tier value as a :class:`Tier`; unknown spellings count as NONE."""
    return _TIER_BY_LABEL.get(norm_tier(text), Tier.NONE)


def year_of(text: Any) -> int | None:
    """The year of an ISO date, a bare year or an ``FY2023``-style value; None if there is none."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not text:
        return None
    found = re.search(r"(\d{4})", str(text))
    return int(found.group(1)) if found else None


def in_window(year: Any, window: YearWindow | None) -> bool:
    """Whether ``year`` falls in ``window`` (no window admits everything; no year fails one)."""
    if window is None:
        return True
    if not isinstance(year, int):
        return False
    lo, hi = window
    return (lo is None or year >= lo) and (hi is None or year <= hi)


def rel_passes(rel_type: str, props: Mapping[str, Any], window: YearWindow | None) -> bool:
    """The year-window rule for walking a relationship (papers are tested as nodes)."""
    if window is None:
        return True
    lo, hi = window
    if rel_type == "AFFILIATED_WITH":
        years = props.get("years") or []
        return not years or any(in_window(y, window) for y in years)
    if rel_type == "CO_AUTHORED":
        last, first = props.get("last_year"), props.get("first_year")
        return (lo is None or (isinstance(last, int) and last >= lo)) and (
            hi is None or (isinstance(first, int) and first <= hi)
        )
    return True


def node_passes(label: str, props: Mapping[str, Any], window: YearWindow | None) -> bool:
    """Papers outside the year window cannot be stepped on; every other node can."""
    return label != "Paper" or in_window(props.get("year"), window)


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
    """A :class:`Listing` from a ``LISTED_ON`` relationship's properties and its RiskList's."""
    fiscal = rel_props.get("fiscal_year")
    return Listing(
        institution=institution,
        list_id=list_id,
        list_name=str(list_props.get("name") or list_id),
        tier=norm_tier(rel_props.get("tier")),
        category=rel_props.get("category"),
        as_of=rel_props.get("as_of") or list_props.get("as_of"),
        fiscal_year=fiscal if isinstance(fiscal, int) and not isinstance(fiscal, bool) else None,
        source=rel_props.get("source"),
    )


def effective_tier(listings: Iterable[Listing | str | None] = (), own_tier: Any = None) -> Tier:
    """The highest tier among the listings (or bare tier values) and the node's own ``tier``."""
    tiers = [tier_of(own_tier)]
    for item in listings:
        tiers.append(tier_of(item.tier if isinstance(item, Listing) else item))
    return max(tiers)


def first_listed(listings: Iterable[Listing], min_tier: Tier) -> int | None:
    """The earliest year of a listing at or above ``min_tier`` (None if undated or none)."""
    dated = [lst.year for lst in listings if tier_of(lst.tier) >= min_tier]
    years = [y for y in dated if y is not None]
    return min(years) if years else None


@dataclass(frozen=True)
class RiskyInstitution:
    """An institution with its effective tier and every listing behind it (strongest first)."""

    id: str
    name: str
    tier: Tier
    listings: tuple[Listing, ...]
