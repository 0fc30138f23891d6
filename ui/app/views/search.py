"""Search & screen: find researchers and institutions; screen a list of partners in a batch."""

from __future__ import annotations

import csv
import io
from typing import Any

import streamlit as st

from collabgraph.ui import audit
from collabgraph.ui.app import data, state


@st.cache_data(show_spinner=False, max_entries=4)
def _index(spec: str, version: str) -> data.NameIndex:
    return data.name_index(state.store())


@st.cache_data(show_spinner=False, max_entries=128)
def _search(spec: str, version: str, text: str) -> list[dict[str, Any]]:
    hits = data.search(state.store(), text, index=_index(spec, version))
    return [h.as_dict() for h in hits]


@st.cache_data(show_spinner=False, max_entries=32)
def _screen(spec: str, version: str, names: tuple[str, ...], home: str) -> list[dict[str, Any]]:
    return data.screen_rows(state.store(), list(names), home=home)


def _search_section() -> None:
    with st.form("search"):
        st.text_input(
            "Researcher or institution: a name, alias, acronym, Chinese name or id",
            key="search_text",
        )
        st.form_submit_button("Search")
    text = str(st.session_state.get("search_text") or "").strip()
    if not text:
        st.caption("Names are matched fuzzily; ROR, OpenAlex and ORCID ids and URLs work too.")
        return
    spec = state.spec()
    with state.shown_errors():
        hits = _search(spec, state.version(spec), text)
        audit.record_page(st.session_state, "ui:search", {"text": text}, len(hits), store_spec=spec)
        if not hits:
            st.warning("No researcher or institution matches that name.")
            return
        st.write(
            f"{len(hits)} match(es), best first. Tier: an institution's effective tier; "
            "a researcher's is the highest tier among their institutions."
        )
        st.dataframe(hits, hide_index=True, width="stretch", key="hits")
        names = {h["id"]: f"{h['name']} ({h['label']}, tier {h['tier']}, {h['id']})" for h in hits}
        chosen = st.selectbox("Open", list(names), format_func=names.__getitem__, key="open")
        left, right = st.columns(2)
        if left.button("Open profile", key="to_profile"):
            state.go("profile", chosen)
        if right.button("Open neighbourhood", key="to_hood"):
            state.go("neighbourhood", chosen)


def _read_csv(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = raw.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _screen_section() -> None:
    st.header("Screen partners")
    st.caption(
        "Upload a CSV of prospective partners (or paste names / ROR ids, one per line): each is "
        "resolved to an institution with its effective tier, every listing, military links and "
        "how many of our researchers are within two hops."
    )
    uploaded = st.file_uploader("CSV of partner names", type=["csv"], key="screen_csv")
    names: list[str] = []
    if uploaded is not None:
        columns, rows = _read_csv(uploaded.getvalue())
        if not columns:
            st.error(f"{uploaded.name}: no header row; the first line must name the columns")
        else:
            column = st.selectbox("Column with the names", columns, key="screen_column")
            names = [str(r.get(column) or "").strip() for r in rows]
    pasted = st.text_area("…or paste names, one per line", key="screen_text")
    names += [line.strip() for line in pasted.splitlines()]
    home = st.text_input("Our country (whose researchers are counted)", "BE", key="screen_home")
    names = [n for n in names if n]
    if not st.button("Screen", key="screen_go"):
        return
    if not names:
        st.warning("Nothing to screen: upload a CSV or paste at least one name.")
        return
    spec = state.spec()
    with state.shown_errors():
        result = _screen(spec, state.version(spec), tuple(names), home.strip().upper())
        st.dataframe(result, hide_index=True, width="stretch", key="screened")
        st.download_button(
            "Download the result (CSV)",
            data.csv_text(result),
            file_name="screening.csv",
            mime="text/csv",
            key="screen_download",
        )


st.title("Search & screen")
with state.shown_errors():
    _search_section()
    _screen_section()
