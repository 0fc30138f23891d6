"""Profile: identifiers, affiliations over time, tier with every assertion, exposure and paths."""

from __future__ import annotations

from typing import Any

import streamlit as st

from collabgraph.graph.tiers import TIER_LABELS
from collabgraph.queries.find import find_node
from collabgraph.ui import audit
from collabgraph.ui.app import cached, data, state


@st.cache_data(show_spinner=False, max_entries=64)
def _profile(spec: str, version: str, node_id: str) -> data.Profile:
    return data.profile(state.store(), node_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _exposure(spec: str, version: str, node_id: str) -> list[dict[str, Any]]:
    return [e.as_dict() for e in data.exposure_of(state.store(), node_id)]


@st.cache_data(show_spinner=False, max_entries=64)
def _timeline(spec: str, version: str, node_id: str) -> tuple[dict[str, Any], str]:
    return data.timeline(state.store(), node_id)


def _years(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]} ({len(years)} y)"


def _evidence_text(evidence: dict[str, Any]) -> str:
    keep = [(k, v) for k, v in evidence.items() if v not in (None, "", [])]
    return "; ".join(f"{k}: {data.flat_cell(v)}" for k, v in keep)


def _draw_path(number: int, path: dict[str, Any]) -> None:
    nodes = {n["id"]: n for n in path["nodes"]}
    # The last hop is the LISTED_ON evidence; the institution it explains comes just before.
    target = next(
        (n for n in reversed(path["nodes"]) if n["label"] == "Institution"), path["nodes"][-1]
    )
    before = path.get("before_listing")
    head = f"Path {number}: {path['length']} hop(s) to {target['name']} (tier {target['tier']})"
    with st.container(border=True):
        st.markdown(f"**{state.md(head)}**")
        if path.get("context"):
            st.badge("context, not a finding: a listed unit down the hierarchy", color="gray")
        if before:
            st.badge(
                f"before listing: newest paper predates first listing ({path['first_listed']})",
                color="violet",
            )
        elif before is False:
            st.caption(f"after listing (first listed {path['first_listed']})")
        # Hop by hop in path order; the arrow shows which way the relationship points.
        hops = []
        order = [n["id"] for n in path["nodes"]]
        for step, rel in enumerate(path["relationships"], start=1):
            here = order[step - 1] if step - 1 < len(order) else rel["start"]
            there = rel["end"] if rel["start"] == here else rel["start"]
            arrow = f"—{rel['type']}→" if rel["start"] == here else f"←{rel['type']}—"
            hops.append(
                {
                    "hop": step,
                    "from": nodes.get(here, {}).get("name") or here,
                    "relationship": arrow,
                    "to": nodes.get(there, {}).get("name") or there,
                    "evidence": _evidence_text(rel["evidence"]),
                }
            )
        st.dataframe(hops, hide_index=True, width="stretch")


def _choose_node() -> str | None:
    node_id = state.selected_node()
    if node_id:
        return node_id
    st.info("Choose a researcher or institution on Search & screen, or name one here.")
    with st.form("find"):
        text = st.text_input("Name or id", key="profile_find")
        submitted = st.form_submit_button("Open")
    if submitted and text.strip():
        with state.shown_errors():
            node = find_node(state.store(), text, labels=["Researcher", "Institution"])
            st.session_state["node"] = node.id
            return node.id
    return None


def _render() -> None:
    st.title("Profile")
    node_id = _choose_node()
    if not node_id:
        return
    spec = state.spec()
    version = state.version(spec)
    with state.shown_errors():
        p = _profile(spec, version, node_id)
        audit.record_page(st.session_state, "ui:profile", {"id": node_id}, 1, store_spec=spec)
        st.header(state.md(p.name))
        st.caption(state.md(f"{p.node.label} · {p.node.id}"))
        state.tier_badge(p.tier)
        if p.tier_note:
            st.caption(state.md(p.tier_note))
        if st.button("Open the neighbourhood", key="profile_to_hood"):
            state.go("neighbourhood", p.node.id)
        left, right = st.columns(2)
        left.subheader("Identifiers")
        left.dataframe(
            [{"identifier": k, "value": v} for k, v in p.identifiers.items()],
            hide_index=True,
            key="identifiers",
        )
        if p.counts:
            right.subheader("Counts")
            right.dataframe(
                [{"what": k, "count": v} for k, v in p.counts.items()],
                hide_index=True,
                key="counts",
            )
        if p.node.label == "Institution":
            st.subheader("Risk assertions")
            if p.listings:
                rows = [
                    {**lst.as_dict(), "link": p.listing_links.get(lst.list_id, "")}
                    for lst in p.listings
                ]
                st.dataframe(
                    rows,
                    hide_index=True,
                    width="stretch",
                    key="listings",
                    column_config={"link": st.column_config.LinkColumn("link")},
                )
            else:
                st.caption("Not on any risk list in this graph.")
            if p.military_links:
                st.subheader("Military links and parents")
                st.dataframe(
                    [
                        {"kind": k, "direction": d, "id": i, "name": n}
                        for k, d, i, n in p.military_links
                    ],
                    hide_index=True,
                    width="stretch",
                    key="links",
                )
            st.subheader(f"Researchers ({len(p.members)})")
            st.dataframe(
                [{"id": i, "name": n, "years": _years(y)} for i, n, y in p.members],
                hide_index=True,
                width="stretch",
                key="members",
            )
        if p.node.label == "Researcher":
            st.subheader("Affiliations over time")
            st.dataframe(
                [
                    {
                        "institution": a.name,
                        "country": a.country,
                        "years": _years(a.years),
                        "tier": a.tier,
                        "method": a.method,
                        "score": a.score,
                        "evidence papers": len(a.evidence_papers),
                        "id": a.institution,
                    }
                    for a in p.affiliations
                ],
                hide_index=True,
                width="stretch",
                key="affiliations",
            )
        _timeline_section(spec, version, node_id)
    _exposure_section(spec, version, node_id)
    _paths_section(spec, version, node_id)


def _timeline_section(spec: str, version: str, node_id: str) -> None:
    st.subheader("Timeline")
    found, svg = _timeline(spec, version, node_id)
    p = found["parameters"]
    if not svg:
        st.caption("No dated papers or listings.")
        return
    st.caption(
        state.md(
            f"{p['home']}–{p['partner']} papers per year, high-risk at tier {p['min_tier']} or "
            "above; hatched: high-risk before every qualifying listing; dashed lines: listings."
        )
    )
    # The SVG is built by ui/report/timeline_svg.py from escaped text only.
    st.markdown(f'<div style="overflow-x:auto">{svg}</div>', unsafe_allow_html=True)
    st.dataframe(found["rows"], hide_index=True, key="timeline_rows")


def _exposure_section(spec: str, version: str, node_id: str) -> None:
    st.subheader("Exposure")
    with state.shown_errors():
        found = _exposure(spec, version, node_id)
        if not found:
            st.caption("No exposure score for this node.")
            return
        item = found[0]
        st.metric("Exposure score", f"{item['score']:.3f}")
        rows = [
            {
                "institution": c["target_name"],
                "tier": c["tier"],
                "contribution": c["contribution"],
                "hops": c["length"],
                "via": " → ".join(c["types"]),
            }
            for c in item["top_paths"]
        ]
        st.dataframe(rows, hide_index=True, width="stretch", key="exposure")


@st.fragment
def _paths_section(spec: str, version: str, node_id: str) -> None:
    st.subheader("Paths to risk")
    with st.form("paths"):
        cols = st.columns(4)
        hops = cols[0].slider("Max hops", 1, 6, 4, key="path_hops")
        tier = cols[1].selectbox("Minimum tier", TIER_LABELS[1:], index=2, key="path_tier")
        years = cols[2].text_input("Years (e.g. 2019-2023)", key="path_years")
        limit = cols[3].number_input("Limit", 1, 100, 10, key="path_limit")
        st.form_submit_button("Find paths")
    with state.shown_errors():
        params = (int(hops), str(tier), years, int(limit))
        found = cached.paths(spec, version, node_id, params)
        st.session_state["last_paths"] = (node_id, params)
        if not found:
            st.caption("No path to an institution at or above that tier within those hops.")
        for number, path in enumerate(found, start=1):
            _draw_path(number, path)


with state.shown_errors():
    _render()
