"""Cypher (Neo4j only): a read-only console; anything not read-only is refused."""

from __future__ import annotations

import streamlit as st

from collabgraph.ui.app import data, state

EXAMPLE = (
    "MATCH (i:Institution)-[l:LISTED_ON]->(r:RiskList)\n"
    "WHERE l.tier IN $tiers\n"
    "RETURN i.name AS institution, l.tier AS tier, r.name AS list\nLIMIT 25"
)


def _render() -> None:
    st.title("Cypher")
    store = state.store()
    if store.kind != "neo4j":
        st.info(
            "The Cypher console needs Neo4j: start the workbench with COLLABGRAPH_STORE set to a "
            "bolt:// or neo4j:// URI. This workbench serves the embedded store "
            f"({state.spec_for_display()})."
        )
        return
    st.caption(
        "Only queries that Neo4j's EXPLAIN reports as read-only run, exactly as "
        "`collabgraph cypher` checks them; values go in as $parameters."
    )
    with st.form("cypher"):
        text = st.text_area("Query", EXAMPLE, height=160, key="cypher_text")
        params_text = st.text_area(
            "Parameters, one name=value per line (values are read as JSON when they can be)",
            'tiers=["high", "very high"]',
            key="cypher_params",
        )
        limit = st.number_input("Show at most this many rows", 1, 10000, 500, key="cypher_limit")
        submitted = st.form_submit_button("Run")
    if not submitted:
        return
    with state.shown_errors():
        params = data.parse_params(params_text.splitlines())
        columns, rows, cut = data.run_cypher(store, text, params, limit=int(limit))
        st.caption(f"{len(rows)} row(s)" + (f", cut at {int(limit)}" if cut else ""))
        table = [{c: data.flat_cell(row.get(c)) for c in columns} for row in rows]
        st.dataframe(table, hide_index=True, width="stretch", key="cypher_rows")


with state.shown_errors():
    _render()
