"""Export: the current neighbourhood or the whole graph, in each snapshot format, as a zip."""

from __future__ import annotations

from typing import Any

import streamlit as st

from collabgraph.ui.app import cached, exporting, state


@st.cache_data(show_spinner="Exporting…", max_entries=8)
def _export(spec: str, version: str, fmt: str, scope: tuple[Any, ...]) -> tuple[bytes, str]:
    kind = scope[0]
    subgraph = None
    query = None
    params: dict[str, Any] | None = None
    if kind == "neighbourhood":
        _, node_id, hood_params = scope
        subgraph = cached.hood(spec, version, node_id, hood_params).subgraph
        query = f"neighbourhood {node_id}"
        params = {"node": node_id, "filters": list(hood_params)}
    elif kind == "paths":
        _, node_id, path_params = scope
        found = cached.paths(spec, version, node_id, path_params)
        ids = [n["id"] for path in found for n in path["nodes"]]
        subgraph = state.store().view().subgraph(ids)
        query = "paths_to_risk"
        params = {
            "node": node_id,
            "max_hops": path_params[0],
            "min_tier": path_params[1],
            "years": path_params[2],
            "limit": path_params[3],
        }
    return exporting.snapshot_zip(
        state.store(), fmt, subgraph=subgraph, query=query, params=params, name=kind
    )


def _render() -> None:
    st.title("Export")
    last = st.session_state.get("last_hood")
    last_paths = st.session_state.get("last_paths")
    scopes = ["whole graph"]
    if last:
        scopes.append("current neighbourhood")
    if last_paths:
        scopes.append("paths to risk last shown on a profile")
    with st.form("export"):
        scope = st.radio("What", scopes, index=len(scopes) - 1, key="export_scope", horizontal=True)
        fmt = st.selectbox(
            "Format", exporting.formats(), format_func=exporting.describe, key="export_format"
        )
        submitted = st.form_submit_button("Prepare the download")
    if not (last and last_paths):
        st.caption(
            "Draw a neighbourhood, or find paths on a profile, to export just that subgraph."
        )
    if not submitted:
        return
    spec = state.spec()
    with state.shown_errors():
        if scope == "current neighbourhood" and last:
            chosen: tuple[Any, ...] = ("neighbourhood", *last)
        elif scope != "whole graph" and last_paths:
            chosen = ("paths", *last_paths)
        else:
            chosen = ("graph",)
        payload, name = _export(spec, state.version(spec), str(fmt), chosen)
        st.success(f"{name}: {len(payload):,} bytes, with manifest.json (counts, sha256).")
        st.download_button(
            "Download", payload, file_name=name, mime="application/zip", key="export_download"
        )


with state.shown_errors():
    _render()
