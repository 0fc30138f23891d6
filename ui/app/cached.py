"""Cached results shared by several pages (pure functions keyed by store, version and inputs)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from collabgraph.queries.common import display_name, parse_years

from . import data, state
from .hood import Hood, load_hood

# hops, years, min tier, technology, relationship types, max nodes, per-hub cap, offset
HoodParams = tuple[int, str, str, str, tuple[str, ...], int, int, int]


@st.cache_data(show_spinner=False, max_entries=32)
def hood(spec: str, version: str, node_id: str, params: HoodParams) -> Hood:
    """The neighbourhood of ``node_id`` drawn with ``params``."""
    hops, years, tier, tech, types, max_nodes, cap, offset = params
    return load_hood(
        state.store(),
        node_id,
        hops=hops,
        years=parse_years(years),
        min_tier=tier or None,
        technology=tech or None,
        rel_types=list(types) or None,
        max_nodes=max_nodes,
        per_node_cap=cap,
        offset=offset,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def technologies(spec: str, version: str) -> dict[str, str]:
    """Technology node ids and names, by name."""
    view = state.store().view()
    found = {n.id: display_name(n.label, n.props) or n.id for n in view.iter_nodes("Technology")}
    return dict(sorted(found.items(), key=lambda kv: kv[1]))


def hood_key(params: tuple[Any, ...]) -> HoodParams:
    hops, years, tier, tech, types, max_nodes, cap, offset = params
    return (
        int(hops),
        str(years),
        str(tier),
        str(tech),
        tuple(types),
        int(max_nodes),
        int(cap),
        int(offset),
    )


# max hops, minimum tier, years, limit
PathParams = tuple[int, str, str, int]


@st.cache_data(show_spinner=False, max_entries=64)
def paths(spec: str, version: str, node_id: str, params: PathParams) -> list[dict[str, Any]]:
    """``paths_to_risk`` from ``node_id`` as JSON-shaped dicts."""
    hops, tier, years, limit = params
    found = data.risk_paths(
        state.store(),
        node_id,
        max_hops=hops,
        min_tier=tier,
        years=parse_years(years),
        limit=limit,
    )
    return [p.as_dict() for p in found]
