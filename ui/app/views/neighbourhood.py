"""Neighbourhood: a pyvis drawing of the subgraph around the chosen node, with filters."""

from __future__ import annotations

import streamlit as st

from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import TIER_LABELS
from collabgraph.queries.common import display_name
from collabgraph.queries.find import find_node
from collabgraph.ui import audit
from collabgraph.ui.app import cached, state
from collabgraph.ui.app.hood import neighbourhood_page

HEIGHT = 720


@st.cache_data(show_spinner=False, max_entries=32)
def _html(spec: str, version: str, node_id: str, params: cached.HoodParams) -> str:
    return neighbourhood_page(
        cached.hood(spec, version, node_id, params),
        profile_link="/profile?node=",
        height=f"{HEIGHT - 120}px",
    )


def _choose_node() -> str | None:
    node_id = state.selected_node()
    with st.form("hood_find"):
        text = st.text_input("Centre node: a name or id", value=node_id or "", key="hood_find")
        submitted = st.form_submit_button("Centre here")
    if submitted and text.strip() and text.strip() != node_id:
        with state.shown_errors():
            node = find_node(state.store(), text)
            st.session_state["node"] = node.id
            st.query_params["node"] = node.id
            return node.id
    return node_id


def _filters(spec: str, version: str) -> cached.HoodParams:
    techs = cached.technologies(spec, version)
    with st.form("hood_filters"):
        c1, c2, c3, c4 = st.columns(4)
        hops = c1.slider("Hops", 1, 3, 1, key="hood_hops")
        years = c2.text_input("Years (e.g. 2019-2023)", key="hood_years")
        tier = c3.selectbox(
            "Minimum tier of institutions",
            ["", *TIER_LABELS[1:]],
            format_func=lambda t: t or "any",
            key="hood_tier",
        )
        tech = c4.selectbox(
            "Technology papers concern",
            ["", *techs],
            format_func=lambda t: techs.get(t, "any"),
            key="hood_tech",
        )
        c5, c6, c7, c8 = st.columns(4)
        types = c5.multiselect(
            "Relationship types (none: all)", list(SCHEMA.relationships), key="hood_types"
        )
        max_nodes = c6.number_input("Max nodes", 10, 2000, 500, step=50, key="hood_max")
        cap = c7.number_input("Neighbours per hub", 5, 500, 50, step=5, key="hood_cap")
        offset = c8.number_input(
            "Offset (page the centre's neighbours)", 0, 100000, 0, step=50, key="hood_offset"
        )
        st.form_submit_button("Draw")
    return cached.hood_key((hops, years, tier, tech, types, max_nodes, cap, offset))


def _render() -> None:
    st.title("Neighbourhood")
    node_id = _choose_node()
    if not node_id:
        st.info("Choose a node on Search & screen, or name one above.")
        return
    spec = state.spec()
    version = state.version(spec)
    params = _filters(spec, version)
    with state.shown_errors():
        hood = cached.hood(spec, version, node_id, params)
        found = len(hood.subgraph.nodes)
        audit.record_page(
            st.session_state, "ui:neighbourhood", {"id": node_id}, found, store_spec=spec
        )
        page = _html(spec, version, node_id, params)
        st.session_state["last_hood"] = (node_id, params)
        more = sum(hood.more.values())
        st.caption(
            f"{len(hood.subgraph.nodes)} nodes, {len(hood.subgraph.relationships)} "
            f"relationships; {more} more neighbours of capped hubs not drawn"
            + (" (max nodes reached)" if hood.max_nodes_reached else "")
        )
        centre = next((t for t in hood.truncated if t.get("node") == node_id), None)
        if centre:
            st.info(
                f"The centre has {centre['total']} neighbours: showing {centre['shown']} from "
                f"offset {centre['offset']}, {centre['more']} more. Raise the offset to page."
            )
        st.iframe(page, height=HEIGHT)
        st.download_button(
            "Download this drawing (HTML)",
            page,
            file_name="neighbourhood.html",
            mime="text/html",
            key="hood_download",
        )
        names = {
            n.id: f"{display_name(n.label, n.props) or n.id} ({n.label}, {n.id})"
            for n in hood.subgraph.nodes
            if n.label in ("Researcher", "Institution")
        }
        if names:
            chosen = st.selectbox(
                "Open the profile of", list(names), format_func=names.__getitem__, key="hood_pick"
            )
            c1, c2 = st.columns(2)
            if c1.button("Open profile", key="hood_to_profile"):
                state.go("profile", chosen)
            if c2.button("Centre the drawing on it", key="hood_recentre"):
                state.go("neighbourhood", chosen)


with state.shown_errors():
    _render()
