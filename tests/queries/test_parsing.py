"""Round trips at the query boundaries: year windows and tier spellings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import in_window, parse_years, tier_of, tiers_at_or_above

years = st.integers(min_value=1900, max_value=2100)


@given(years, years)
def test_year_windows_round_trip(a: int, b: int) -> None:
    lo, hi = min(a, b), max(a, b)
    assert parse_years(f"{lo}-{hi}") == (lo, hi)
    assert parse_years(f" {lo} - ") == (lo, None)
    assert parse_years(f"-{hi}") == (None, hi)
    assert parse_years(str(lo)) == (lo, lo)
    assert in_window(lo, (lo, hi)) and in_window(hi, (lo, hi))
    assert not in_window(hi + 1, (lo, hi)) and not in_window(None, (lo, hi))


@given(st.sampled_from(list(Tier)), st.sampled_from([" ", "_", "-"]), st.booleans())
def test_tier_spellings(tier: Tier, sep: str, upper: bool) -> None:
    text = tier.label.replace(" ", sep)
    assert tier_of(text.upper() if upper else text) == tier


def test_bad_windows_and_tiers() -> None:
    for text in ("2023-2020", "20-21", "last year"):
        with pytest.raises(CollabgraphError):
            parse_years(text)
    assert parse_years("") is None
    assert tiers_at_or_above("high") == ["high", "very high"]
    with pytest.raises(CollabgraphError):
        tiers_at_or_above("none")
