"""Which institutions are risky, and why: their listings, as every store reads them."""

from __future__ import annotations

from collections.abc import Iterable

from collabgraph.graph.contract import Store
from collabgraph.graph.risk import Listing, RiskyInstitution
from collabgraph.graph.tiers import Tier

__all__ = ["RiskyInstitution", "listings_of", "risky_institutions"]


def risky_institutions(store: Store, min_tier: Tier) -> dict[str, RiskyInstitution]:
    """Every institution whose effective tier is at or above ``min_tier``, by id."""
    return store.view().risky_institutions(min_tier)


def listings_of(store: Store, ids: Iterable[str]) -> dict[str, list[Listing]]:
    """The listings of the given institutions (strongest first); absent ids have none."""
    return store.view().listings(ids)
