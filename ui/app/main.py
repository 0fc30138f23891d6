"""The workbench's entry point: ``streamlit run ui/app/main.py`` (``collabgraph ui`` does it).

The store comes from ``COLLABGRAPH_STORE`` (a file path or a bolt:// / neo4j:// URI).
"""

from __future__ import annotations

import streamlit as st

from collabgraph.ui.app import state

st.set_page_config(page_title="collabgraph workbench", layout="wide")

pages = [
    st.Page("views/search.py", title="Search & screen", url_path="search", default=True),
    st.Page("views/profile.py", title="Profile", url_path="profile"),
    st.Page("views/neighbourhood.py", title="Neighbourhood", url_path="neighbourhood"),
    st.Page("views/indicators.py", title="Indicators", url_path="indicators"),
    st.Page("views/export.py", title="Export", url_path="export"),
    st.Page("views/cypher.py", title="Cypher", url_path="cypher"),
]
page = st.navigation(pages)
with st.sidebar:
    st.caption("collabgraph investigator workbench")
    st.caption(f"store: {state.spec_for_display()}")
    st.text_input("Analyst (recorded in the audit log)", key="analyst")
page.run()
