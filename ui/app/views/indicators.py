"""Indicators: the yearly joint / high-risk / critical-technology table and its breakdowns."""

from __future__ import annotations

from typing import Any

import streamlit as st

from collabgraph.graph.tiers import TIER_LABELS
from collabgraph.ui.app import data, state


@st.cache_data(show_spinner=False, max_entries=32)
def _indicators(
    spec: str, version: str, home: str, partner: str, years: str, tier: str
) -> dict[str, Any]:
    return data.indicators(state.store(), home, partner, years, tier)


def _table(title: str, rows: list[dict[str, Any]], key: str) -> None:
    st.subheader(title)
    if not rows:
        st.caption("Nothing to show for these parameters.")
        return
    st.dataframe(data.flat_rows(rows), hide_index=True, width="stretch", key=key)


def _render() -> None:
    st.title("Indicators")
    st.caption(
        "Per year: papers co-authored by institutions of both sides (joint), those with a "
        "partner institution at or above the tier (high_risk), and those also tagged with a "
        "critical technology (high_risk_critical). A side is a country (BE, Belgium) or an "
        "institution (name or ROR id) with every unit PART_OF it. The same computation as "
        "`collabgraph indicators`."
    )
    with st.form("indicators"):
        c1, c2, c3, c4 = st.columns(4)
        home = c1.text_input("Home (country or institution)", "BE", key="ind_country")
        partner = c2.text_input("Partner (country or institution)", "CN", key="ind_partner")
        years = c3.text_input("Years (e.g. 2019-2023)", key="ind_years")
        tier = c4.selectbox("Minimum tier", TIER_LABELS[1:], index=2, key="ind_tier")
        st.form_submit_button("Compute")
    spec = state.spec()
    with state.shown_errors():
        result = _indicators(spec, state.version(spec), home, partner, years, str(tier))
        rows = result.get("rows", [])
        st.subheader("By year")
        if not rows:
            st.caption("No joint papers for these parameters.")
        else:
            st.dataframe(rows, hide_index=True, width="stretch", key="ind_rows")
            series = [c for c in ("joint", "high_risk", "high_risk_critical") if c in rows[0]]
            columns = {c: [r.get(c) for r in rows] for c in ["year", *series]}
            st.bar_chart(columns, x="year", y=series, stack=False)
        _table("By technology area", list(result.get("by_technology") or []), "ind_tech")
        _table("By partner institution", list(result.get("by_partner") or []), "ind_partner")
        _table("By risk list and tier", list(result.get("by_list") or []), "ind_list")
        if result.get("by_unit"):
            _table("By unit of an institution side", list(result["by_unit"]), "ind_unit")
        with st.expander("Parameters and method"):
            st.json(result.get("parameters") or {})


with state.shown_errors():
    _render()
