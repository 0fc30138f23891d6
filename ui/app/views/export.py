"""Export: the current neighbourhood or the whole graph, in each snapshot format, as a zip."""

from __future__ import annotations

from typing import Any

import streamlit as st

from collabgraph.ui.app import cached, exporting, state


@st.cache_data(show_spinner="Exporting…", max_entries=8)
def _export(
    spec: str, version: str, fmt: str, scope: tuple[str, cached.HoodParams] | None
) -> tuple[bytes, str]:
    subgraph = None
    query = None
    params: dict[str, Any] | None = None
    if scope is not None:
        node_id, hood_params = scope
        subgraph = cached.hood(spec, version, node_id, hood_params).subgraph
        query = f"neighbourhood {node_id}"
        params = {"node": node_id, "filters": list(hood_params)}
    return exporting.snapshot_zip(state.store(), fmt, subgraph=subgraph, query=query, params=params)


def _render() -> None:
    st.title("Export")
    last = st.session_state.get("last_hood")
    scopes = ["whole graph"] + (["current neighbourhood"] if last else [])
    with st.form("export"):
        scope = st.radio("What", scopes, index=len(scopes) - 1, key="export_scope", horizontal=True)
        fmt = st.selectbox(
            "Format", exporting.formats(), format_func=exporting.describe, key="export_format"
        )
        submitted = st.form_submit_button("Prepare the download")
    if not last:
        st.caption("Draw a neighbourhood first to export just that subgraph.")
    if not submitted:
        return
    spec = state.spec()
    with state.shown_errors():
        chosen = tuple(last) if scope == "current neighbourhood" and last else None
        payload, name = _export(spec, state.version(spec), str(fmt), chosen)
        st.success(f"{name}: {len(payload):,} bytes, with manifest.json (counts, sha256).")
        st.download_button(
            "Download", payload, file_name=name, mime="application/zip", key="export_download"
        )


with state.shown_errors():
    _render()
