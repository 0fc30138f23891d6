"""The workbench's shared plumbing: the store (opened once), cache keys and readable errors.

``st.cache_resource`` holds only the store (and through it the Neo4j driver). Everything else
that is cached is a pure function keyed by the store spec, a data version and its parameters
(``st.cache_data`` in the pages). The data version of an embedded store is its file's
modification time, so re-ingesting and reloading the page shows the new graph; on Neo4j it is
a five-minute time bucket, so results are at most that old.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.open import is_neo4j, open_store, store_spec

from .data import NotAvailable

_log = logging.getLogger(__name__)
NEO4J_REFRESH_SECONDS = 300
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def spec() -> str:
    """The store the workbench serves: ``COLLABGRAPH_STORE``, else the default file."""
    return store_spec(None)


def version(chosen: str) -> str:
    """A cache key that changes when the data may have: an embedded store's file time, or for
    Neo4j (which other processes write) a five-minute time bucket."""
    if is_neo4j(chosen):
        return f"t{int(time.time() // NEO4J_REFRESH_SECONDS)}"
    try:
        return str(os.stat(chosen).st_mtime_ns)
    except OSError:
        return "missing"


@st.cache_resource(show_spinner=False)
def _open(chosen: str, data_version: str) -> Store:
    # data_version is part of the key only: a changed embedded file opens a fresh store.
    del data_version
    return open_store(chosen)


def store() -> Store:
    """The store, opened once per spec (and per file version for the embedded store)."""
    chosen = spec()
    # One Neo4j store (and driver) per URI for the life of the process.
    return _open(chosen, "" if is_neo4j(chosen) else version(chosen))


def md(text: object) -> str:
    """Data text made inert for st.markdown: every markdown and HTML character is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


@contextmanager
def shown_errors() -> Iterator[None]:
    """Turn the errors a user can meet into a message on the page, never a traceback."""
    try:
        yield
    except NotAvailable as exc:
        st.info(f"Not available yet: {exc}. This page will use it once it is delivered.")
    except CollabgraphError as exc:
        st.error(str(exc))
    except (ServiceUnavailable, SessionExpired) as exc:
        st.error(f"Neo4j is not reachable ({type(exc).__name__}): is the server running?")
    except Neo4jError as exc:
        st.error(f"Neo4j refused the query: {exc.message or exc.code}")
    except OSError as exc:
        st.error(f"cannot read the store: {exc}")
    except Exception as exc:  # a bug: a short message on the page, the traceback in the log
        # Streamlit's own stop/rerun signals derive from BaseException and pass through.
        _log.exception("workbench error")
        st.error(
            f"Something went wrong ({type(exc).__name__}: {exc}). The details are in the "
            "workbench's log; please report them."
        )


TIER_BADGE_COLOURS = {
    "very high": "red",
    "high": "orange",
    "medium": "yellow",
    "low": "blue",
    "none": "gray",
}


def tier_badge(tier: str) -> None:
    """A coloured badge with the tier's name (a fixed vocabulary, so no escaping needed)."""
    label = tier or "none"
    st.badge(f"tier: {label}", color=TIER_BADGE_COLOURS.get(label, "gray"))  # type: ignore[arg-type]


def spec_for_display() -> str:
    """Where the store is, without credentials (for the sidebar)."""
    chosen = spec()
    if is_neo4j(chosen):
        # A URI may carry user:password@; show scheme and host only.
        scheme, _, rest = chosen.partition("://")
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}"
    return chosen


PAGES = {
    "search": "views/search.py",
    "profile": "views/profile.py",
    "neighbourhood": "views/neighbourhood.py",
    "indicators": "views/indicators.py",
    "export": "views/export.py",
    "cypher": "views/cypher.py",
}


def selected_node() -> str | None:
    """The node the user chose: ``?node=`` in the URL, else the last one chosen this session."""
    from_url = st.query_params.get("node")
    if from_url:
        st.session_state["node"] = from_url
        return str(from_url)
    chosen = st.session_state.get("node")
    return str(chosen) if chosen else None


def go(page: str, node_id: str) -> None:
    """Open ``page`` about ``node_id`` (the id also goes in the URL, so it can be shared)."""
    st.session_state["node"] = node_id
    st.switch_page(PAGES[page], query_params={"node": node_id})
