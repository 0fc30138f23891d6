"""hypothesis-generated graphs with awkward strings survive export and import."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.snapshot import FORMATS, import_snapshot, write_snapshot

from ..factories import load, prov
from .helpers import AWKWARD, state

# XML 1.0 cannot carry most C0 controls or lone surrogates; no store can hold surrogates.
XML_SAFE = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])),
)
# JSON, CSV and Cypher carry any character a store can hold, control characters included.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))


@st.composite
def graphs(
    draw: st.DrawFn, chars: st.SearchStrategy[str] = XML_SAFE
) -> tuple[list[Node], list[Relationship]]:
    text = st.one_of(st.sampled_from(AWKWARD), st.text(chars, max_size=12))
    items = st.lists(text, min_size=1, max_size=3)
    ids = draw(
        st.lists(st.text(chars, min_size=1, max_size=8), min_size=2, max_size=5, unique=True)
    )
    people = [
        Node(
            "Researcher",
            f"r:{raw}",
            prov(name=draw(text) or "n", name_variants=draw(items), source=draw(text)),
        )
        for raw in ids
    ]
    paper = Node(
        "Paper",
        "p:" + ids[0],
        prov(title=draw(text) or "t", year=draw(st.integers(-9999, 9999)), keywords=draw(items)),
    )
    inst = Node(
        "Institution",
        "i:" + ids[-1],
        prov(name="i", tier=draw(st.sampled_from(["high", "very high", "low"]))),
    )
    rels = [
        Relationship(
            "AUTHORED",
            p.id,
            paper.id,
            prov(author_position=draw(text), raw_affiliations=draw(items)),
        )
        for p in people
    ]
    rels.append(
        Relationship(
            "AFFILIATED_WITH",
            people[0].id,
            inst.id,
            prov(
                years=draw(st.lists(st.integers(1900, 2100), min_size=1, max_size=3)),
                score=draw(st.floats(allow_nan=False, allow_infinity=False)),
            ),
        )
    )
    return [*people, paper, inst], rels


@settings(max_examples=25, deadline=None)
@given(graph=graphs(), fmt=st.sampled_from(FORMATS))
def test_awkward_round_trip_embedded(
    graph: tuple[list[Node], list[Relationship]], fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "a.jsonl.gz")
        target = EmbeddedStore(Path(tmp) / "b.jsonl.gz")
        load(source, *graph)
        manifest = write_snapshot(source, Path(tmp) / "snap", fmt=fmt)
        import_snapshot(target, manifest.parent)
        assert state(target) == state(source), fmt


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graph=graphs(), fmt=st.sampled_from(FORMATS))
def test_awkward_round_trip_into_neo4j(
    graph: tuple[list[Node], list[Relationship]], fmt: str, neo4j_store: Any
) -> None:
    neo4j_store.clear()
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "a.jsonl.gz")
        load(source, *graph)
        manifest = write_snapshot(source, Path(tmp) / "snap", fmt=fmt)
        import_snapshot(neo4j_store, manifest.parent)
        assert state(neo4j_store) == state(source), fmt


@settings(max_examples=25, deadline=None)
@given(graph=graphs(ANY_CHAR), fmt=st.sampled_from(["json", "csv", "cypher"]))
def test_control_characters_round_trip(
    graph: tuple[list[Node], list[Relationship]], fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "a.jsonl.gz")
        target = EmbeddedStore(Path(tmp) / "b.jsonl.gz")
        load(source, *graph)
        manifest = write_snapshot(source, Path(tmp) / "snap", fmt=fmt)
        import_snapshot(target, manifest.parent)
        assert state(target) == state(source), fmt


@settings(max_examples=25, deadline=None)
@given(graph=graphs(ANY_CHAR), fmt=st.sampled_from(FORMATS))
def test_any_character_round_trips_with_replace_invalid(
    graph: tuple[list[Node], list[Relationship]], fmt: str
) -> None:
    """With --replace-invalid the XML formats carry control characters too, ids included."""
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "a.jsonl.gz")
        target = EmbeddedStore(Path(tmp) / "b.jsonl.gz")
        load(source, *graph)
        manifest = write_snapshot(source, Path(tmp) / "snap", fmt=fmt, replace_invalid=True)
        import_snapshot(target, manifest.parent)
        assert state(target) == state(source), fmt
