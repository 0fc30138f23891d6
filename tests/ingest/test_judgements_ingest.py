"""Investigators' judgements and country cues as seen by `ingest watchlist` (both stores)."""

from __future__ import annotations

from pathlib import Path

from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node
from collabgraph.ingest.resolution import JudgementLog, judgements_path
from collabgraph.ingest.watchlists import ingest_watchlist

from ..factories import prov
from .helpers import rejects

HEADER = "name,aliases,country,tier,category,as_of,source_url\n"


def _reference(store: Store) -> None:
    with store.writer() as w:
        w.upsert_nodes(
            [
                Node(
                    "Institution",
                    "ror:0aaaaaa11",
                    prov(
                        name="Example Institute of Technology",
                        names=["Example Institute of Technology"],
                        country="CN",
                        ror_id="0aaaaaa11",
                    ),
                ),
                Node(
                    "Institution",
                    "ror:0bbbbbb22",
                    prov(
                        name="Example Polytechnic",
                        names=["Example Polytechnic"],
                        country="CN",
                        ror_id="0bbbbbb22",
                    ),
                ),
                Node(
                    "Institution",
                    "ror:0cccccc33",
                    prov(
                        name="Milli Savunma Universitesi",
                        names=["Milli Savunma Universitesi", "National Defense University"],
                        country="TR",
                        ror_id="0cccccc33",
                    ),
                ),
            ]
        )


def _listed_from(store: Store) -> dict[str, str]:
    out = {}
    for rel in store.view().iter_relationships("LISTED_ON"):
        out[rel.start] = str(rel.props.get("method"))
    return out


def _ingest(store: Store, tmp_path: Path, rows: str) -> None:
    path = tmp_path / "office.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    ingest_watchlist(store, [path], fmt="csv", rejects=rejects(tmp_path), list_name="Office list")


def test_a_same_named_institution_in_another_country_is_never_linked(
    store: Store, tmp_path: Path
) -> None:
    _reference(store)
    _ingest(store, tmp_path, "National Defense University,,CN,very high,military,2025-01-01,\n")
    listed = _listed_from(store)
    assert "ror:0cccccc33" not in listed, listed
    assert len(listed) == 1 and next(iter(listed)).startswith("cg:institution:"), listed


def test_a_judgement_overrides_matching_and_survives_reingest(store: Store, tmp_path: Path) -> None:
    _reference(store)
    row = "Example Institute of Technology,,CN,high,partner review,2025-01-01,\n"
    _ingest(store, tmp_path, row)
    assert _listed_from(store) == {"ror:0aaaaaa11": "exact"}

    log = JudgementLog(judgements_path(store.location))
    log.record(
        who="analyst",
        text="Example Institute of Technology",
        country="CN",
        decision="set",
        node_id="ror:0bbbbbb22",
        reason="renamed in 2024",
    )
    for _ in range(2):  # the judgement holds on every later ingest
        _ingest(store, tmp_path, row)
        listed = _listed_from(store)
        assert listed.get("ror:0bbbbbb22") == "judgement", listed
