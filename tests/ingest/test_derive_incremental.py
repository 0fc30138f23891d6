"""Incremental derive (a :class:`Touched` from the ingest) equals a full recompute, on both stores.

Each corpus is ingested in two parts with an incremental derive after each; the CO_AUTHORED
relationships (every property) and the institution tiers must then be exactly those of a store
that ingested the same parts without deriving and then derived once from scratch (for the
bundled sample, whose ROR ingest is slow on Neo4j: the same graph copied without its derived
facts), and a full derive on the incremental store must find nothing to change. The parts
interleave the works, so many co-authorships gain papers in the second part.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.contract import Store
from collabgraph.graph.open import open_store
from collabgraph.graph.records import Node, Relationship
from collabgraph.ingest.derive import MAX_AUTHORS_FOR_PAIRS, Touched, co_authored, derive
from collabgraph.ingest.openalex import ingest_openalex
from collabgraph.ingest.pipeline import IngestRun, Summary
from collabgraph.ingest.sample import mapping_path, sample_path
from collabgraph.ingest.synthetic import write_corpus
from collabgraph.ingest.table import ingest_table
from collabgraph.ingest.watchlists import ingest_watchlist
from collabgraph.ui.cli import cli

from ..conftest import shared_file
from ..factories import prov
from .helpers import rejects, snapshot

Facts = tuple[dict[tuple[str, ...], dict[str, Any]], dict[str, Any]]


# -- helpers -------------------------------------------------------------------------------------


def facts(store: Store) -> Facts:
    """Every CO_AUTHORED (key → props) and every institution's stored tier."""
    view = store.view()
    pairs = {r.key: r.props for r in view.iter_relationships("CO_AUTHORED")}
    tiers = {n.id: n.props["tier"] for n in view.iter_nodes("Institution") if "tier" in n.props}
    return pairs, tiers


def base(store: Store) -> tuple[dict[str, Any], dict[tuple[str, ...], Any]]:
    """The graph without what derive writes (CO_AUTHORED, institution tiers)."""
    nodes, rels = snapshot(store)
    nodes = {
        i: (label, {k: v for k, v in props.items() if not (label == "Institution" and k == "tier")})
        for i, (label, props) in nodes.items()
    }
    return nodes, {k: p for k, p in rels.items() if k[1] != "CO_AUTHORED"}


def assert_same_facts(got: Facts, want: Facts) -> None:
    pairs, tiers = got
    want_pairs, want_tiers = want
    missing = sorted(set(want_pairs) - set(pairs))[:5]
    extra = sorted(set(pairs) - set(want_pairs))[:5]
    assert not missing and not extra, f"missing {missing}, extra {extra}"
    wrong = [(k, pairs[k], want_pairs[k]) for k in sorted(pairs) if pairs[k] != want_pairs[k]]
    assert not wrong, wrong[:3]
    assert tiers == want_tiers


def assert_full_derive_finds_nothing(store: Store) -> None:
    """The incremental result is a fixed point of the full recompute."""
    before = snapshot(store)
    summary = derive(store)
    assert summary.tiers == 0 and summary.removed == 0, summary
    assert snapshot(store) == before
    # And independently of derive's own bookkeeping: the stored pairs are the computed ones.
    assert {r.key: r.props for r in co_authored(store)[0]} == facts(store)[0]


def reference_store(store: Store, tmp_path: Path, *, cleared: bool = True) -> Store:
    """An empty store of the same kind for the all-at-once reference (Neo4j: the same database,
    cleared, unless ``cleared=False``; take what you need from the incremental one first)."""
    if store.kind == "embedded":
        location = Path(store.location)
        return open_store(str(tmp_path / f"reference-{location.name}"))
    if cleared:
        store.clear()
    return store


def copy_base(source: Store, target: Store) -> Store:
    """Write ``source``'s graph without CO_AUTHORED and institution tiers into ``target``
    (which may be ``source`` itself, cleared: everything is read first)."""
    view = source.view()
    nodes = [
        Node(n.label, n.id, {k: v for k, v in n.props.items() if k != "tier"})
        if n.label == "Institution"
        else n
        for n in view.iter_nodes()
    ]
    rels = [r for r in view.iter_relationships() if r.type != "CO_AUTHORED"]
    if target is source:
        target.clear()
    with target.writer() as writer:
        writer.upsert_nodes(nodes)
        writer.upsert_relationships(rels)
    return target


def spanning_pairs(after_first: Facts, final: Facts) -> list[tuple[str, ...]]:
    """Pairs that existed after the first part and gained papers in the second."""
    first, last = after_first[0], final[0]
    return [k for k in first if k in last and last[k]["papers"] > first[k]["papers"]]


def dated(path: Path, day: str) -> Path:
    """Give ``path`` the modification date ``day``: the version an ingest stamps without one."""
    stamp = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def split_lines(source: Path, tmp_path: Path, stem: str) -> tuple[Path, Path]:
    """Two JSON-lines files holding the even and the odd records of ``source``."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    parts = []
    for n, day in ((0, "2024-01-15"), (1, "2024-06-15")):
        path = tmp_path / f"{stem}-{n + 1}.jsonl"
        path.write_text("\n".join(lines[n::2]) + "\n", encoding="utf-8")
        parts.append(dated(path, day))
    return parts[0], parts[1]


class ScanFree:
    """A store whose views refuse whole-type scans and record every id they are asked about."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.asked: dict[str, set[str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def view(self) -> Any:
        return _ScanFreeView(self._store.view(), self.asked)


class _ScanFreeView:
    def __init__(self, view: Any, asked: dict[str, set[str]]) -> None:
        self._view = view
        self._asked = asked

    def __getattr__(self, name: str) -> Any:
        if name in ("iter_relationships", "iter_nodes", "counts", "weighted_edges"):
            raise AssertionError(f"the incremental derive called {name}: a whole-graph read")
        return getattr(self._view, name)

    def _ask(self, what: str, ids: Iterable[str]) -> list[str]:
        ids = list(ids)
        self._asked.setdefault(what, set()).update(ids)
        return ids

    def links(self, ids: Iterable[str], rel_type: str, direction: str) -> Any:
        return self._view.links(self._ask(f"{rel_type} {direction}", ids), rel_type, direction)

    def relationships_between(self, ids: Iterable[str]) -> Any:
        return self._view.relationships_between(self._ask("between", ids))

    def get_nodes(self, ids: Iterable[str]) -> Any:
        return self._view.get_nodes(self._ask("nodes", ids))

    def listings(self, ids: Iterable[str]) -> Any:
        return self._view.listings(self._ask("listings", ids))


# -- the bundled sample (table ingester) with both risk lists ------------------------------------


def _sample_parts(tmp_path: Path) -> tuple[Path, Path]:
    works = json.loads(sample_path("works").read_text(encoding="utf-8"))
    parts = []
    for n in (0, 1):
        path = tmp_path / f"works-{n + 1}.json"
        path.write_text(json.dumps(works[n::2]), encoding="utf-8")
        parts.append(path)
    return parts[0], parts[1]


def _sample_part(store: Store, tmp_path: Path, n: int, works: Path) -> Summary:
    """Part 1: ROR, the ASPI tracker and half the works; part 2: §1286 and the other half."""
    from collabgraph.ingest.ror_graph import ingest_ror

    total = Summary("part")
    if n == 1:
        total.add(ingest_ror(store, [sample_path("ror")], rejects=rejects(tmp_path, "r.jsonl")))
        total.add(
            ingest_watchlist(
                store, [sample_path("aspi")], fmt="aspi", rejects=rejects(tmp_path, "a.jsonl")
            )
        )
    else:
        total.add(
            ingest_watchlist(
                store,
                [sample_path("dod1286")],
                fmt="dod1286",
                rejects=rejects(tmp_path, "d.jsonl"),
            )
        )
    version = "2025-01-01" if n == 1 else "2025-06-01"
    total.add(
        ingest_table(
            store,
            [works],
            mapping=mapping_path(),
            rejects=rejects(tmp_path, f"t{n}.jsonl"),
            version=version,
        )
    )
    return total


@pytest.mark.slow
def test_sample_in_two_parts_equals_full_recompute(store: Store, tmp_path: Path) -> None:
    first, second = _sample_parts(tmp_path)
    one = _sample_part(store, tmp_path, 1, first)
    assert one.touched.papers and one.touched.institutions, "the pipeline collects touched ids"
    derive(store, one.touched)
    after_first = facts(store)
    two = _sample_part(store, tmp_path, 2, second)
    # The second part's papers only: the incremental path starts from these.
    assert two.touched.papers.isdisjoint(one.touched.papers)
    derive(store, two.touched)
    final = facts(store)
    assert spanning_pairs(after_first, final), "no co-authorship spans both parts"
    changed = [i for i, t in final[1].items() if after_first[1].get(i) != t]
    assert changed, "the second list changes no tier: the tier path is not exercised"
    assert_full_derive_finds_nothing(store)

    # The reference: the same graph without its derived facts, written at once (re-ingesting
    # the sample would double this test's time on Neo4j), then one full derive.
    reference = copy_base(store, reference_store(store, tmp_path, cleared=False))
    derive(reference)
    assert_same_facts(final, facts(reference))


# -- real OpenAlex works, through the CLI ----------------------------------------------------------


def _store_spec(store: Store) -> str:
    """The --store value naming ``store`` (the CLI opens its own)."""
    return store.location if store.kind == "embedded" else str(store._uri)  # type: ignore[attr-defined]


def reopened(store: Store) -> Store:
    """``store`` as another process would see it after a CLI command wrote to it."""
    return open_store(store.location) if store.kind == "embedded" else store


def test_openalex_works_in_two_parts_through_the_cli(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = split_lines(
        shared_file("openalex-sample-works/works.jsonl"), tmp_path, "openalex"
    )
    calls: list[Touched | None] = []

    def spy(target: Store, touched: Touched | None = None) -> Any:
        calls.append(touched)
        return derive(target, touched)

    # The module (``collabgraph.ui.commands.ingest`` as an attribute is the click group).
    monkeypatch.setattr(importlib.import_module("collabgraph.ui.commands.ingest"), "derive", spy)
    runner = CliRunner()
    states = []
    for path in (first, second):
        args = ["--store", _store_spec(store), "ingest", "openalex", str(path)]
        result = runner.invoke(cli, [*args, "--rejects", str(tmp_path / "rej.jsonl")])
        assert result.exit_code == 0, result.output
        assert "derive: CO_AUTHORED" in result.output
        states.append(facts(reopened(store)))
    assert len(calls) == 2 and all(t is not None and t.papers for t in calls), calls
    assert spanning_pairs(states[0], states[1])
    assert_full_derive_finds_nothing(store)

    graph = base(store)
    reference = reference_store(store, tmp_path)
    ingest_openalex(reference, [first], rejects=rejects(tmp_path))
    ingest_openalex(reference, [second], rejects=rejects(tmp_path))
    assert base(reference) == graph
    derive(reference)
    assert_same_facts(states[1], facts(reference))


# -- a generated corpus: two parts, a re-ingest, a newer version, a forget ------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "corpus.jsonl"
    write_corpus(path, 700, seed=11)
    return split_lines(path, tmp_path, "generated")


def _lists(store: Store, tmp_path: Path, fmt: str) -> Summary:
    key = "aspi" if fmt == "aspi" else "dod1286"
    return ingest_watchlist(
        store, [sample_path(key)], fmt=fmt, rejects=rejects(tmp_path, f"{fmt}.jsonl")
    )


def _generated_part(store: Store, tmp_path: Path, works: Path, fmt: str) -> Touched:
    touched = Touched()
    touched.update(ingest_openalex(store, [works], rejects=rejects(tmp_path)).touched)
    touched.update(_lists(store, tmp_path, fmt).touched)
    return touched


@pytest.mark.slow
def test_generated_corpus_parts_reingest_and_forget(
    store: Store, tmp_path: Path, corpus: tuple[Path, Path]
) -> None:
    first, second = corpus
    derive(store, _generated_part(store, tmp_path, first, "aspi"))
    after_first = facts(store)
    summary = derive(store, _generated_part(store, tmp_path, second, "dod1286"))
    final = facts(store)
    assert spanning_pairs(after_first, final)
    assert summary.co_authored < len(final[0]), "the second derive recomputed every pair"
    assert final[1], "no institution got a tier"
    assert_full_derive_finds_nothing(store)

    # Re-ingesting a part that is already in (same version): the derived facts stay, and the
    # derive writes nothing (the re-ingest itself may move source_record, a replace rule).
    again = ingest_openalex(store, [first], rejects=rejects(tmp_path))
    assert again.touched.papers
    before = snapshot(store)
    summary = derive(store, again.touched)
    assert (summary.tiers, summary.removed) == (0, 0)
    assert snapshot(store) == before and facts(store) == final

    # A newer version of the first part moves last_seen of its co-authorships forward.
    newer = ingest_openalex(store, [first], rejects=rejects(tmp_path), version="2025-03-01")
    derive(store, newer.touched)
    moved = facts(store)
    assert any(p.get("last_seen") == "2025-03-01" for p in moved[0].values())
    assert_full_derive_finds_nothing(store)

    # Forget the researcher with the most co-authors, then derive around them.
    degree: dict[str, int] = {}
    for start, _, end in (k[:3] for k in moved[0]):
        degree[start] = degree.get(start, 0) + 1
        degree[end] = degree.get(end, 0) + 1
    victim = max(sorted(degree), key=lambda i: degree[i])
    result = CliRunner().invoke(
        cli,
        ["--store", _store_spec(store), "--audit-log", str(tmp_path / "audit.jsonl")]
        + ["forget", victim, "--yes"],
    )
    assert result.exit_code == 0, result.output
    store = reopened(store)
    forgotten = facts(store)
    assert degree[victim] > 1 and not [k for k in forgotten[0] if victim in k[:3]]
    assert_full_derive_finds_nothing(store)

    graph = base(store)
    reference = reference_store(store, tmp_path)
    ingest_openalex(reference, [first], rejects=rejects(tmp_path))
    _lists(reference, tmp_path, "aspi")
    ingest_openalex(reference, [second], rejects=rejects(tmp_path))
    _lists(reference, tmp_path, "dod1286")
    ingest_openalex(reference, [first], rejects=rejects(tmp_path), version="2025-03-01")
    reference.delete_nodes([victim])
    assert base(reference) == graph
    derive(reference)
    assert_same_facts(forgotten, facts(reference))


@pytest.mark.slow
def test_incremental_derive_reads_only_around_the_touched(
    store: Store, tmp_path: Path, corpus: tuple[Path, Path]
) -> None:
    first, second = corpus
    derive(store, ingest_openalex(store, [first], rejects=rejects(tmp_path)).touched)
    few = tmp_path / "few.jsonl"
    few.write_text("\n".join(second.read_text().splitlines()[:15]) + "\n", encoding="utf-8")
    touched = ingest_openalex(store, [few], rejects=rejects(tmp_path)).touched
    papers = set(touched.papers)
    authors = {
        r.start for rels in store.view().links(papers, "AUTHORED", "in").values() for r in rels
    }
    their_papers = {
        r.end for rels in store.view().links(authors, "AUTHORED", "out").values() for r in rels
    }
    watched = ScanFree(store)
    summary = derive(watched, touched)
    assert summary.co_authored > 0
    asked = set().union(*watched.asked.values())
    allowed = papers | authors | their_papers | touched.institutions
    assert asked <= allowed, sorted(asked - allowed)[:5]
    assert_full_derive_finds_nothing(store)


# -- the author limit: a paper crossing MAX_AUTHORS_FOR_PAIRS either way -------------------------


def _team_paper(
    paper: str, team: Iterable[str], version: str
) -> tuple[list[Node], list[Relationship]]:
    p = {**prov(), "source_version": version, "first_seen": version, "last_seen": version}
    nodes = [Node("Paper", paper, {**p, "title": paper, "year": 2020})]
    rels = []
    for author in team:
        nodes.append(Node("Researcher", author, {**p, "name": f"Researcher {author[-3:]}"}))
        rels.append(Relationship("AUTHORED", author, paper, {**p, "year": int(version[:4])}))
    return nodes, rels


def _write(
    store: Store, tmp_path: Path, *records: tuple[list[Node], list[Relationship]]
) -> Touched:
    with IngestRun(store, "test", rejects=rejects(tmp_path)) as run:
        for nodes, rels in records:
            run.write(None, None, nodes, rels)
    return run.summary.touched


def _ids(n: int) -> list[str]:
    return [f"openalex:A{i:03d}" for i in range(n)]


def test_a_paper_growing_past_the_author_limit_loses_its_pairs(
    store: Store, tmp_path: Path
) -> None:
    team = _ids(MAX_AUTHORS_FOR_PAIRS)
    # W2 (2019) is shared by A000 and A001 only; W1 (2021) by the whole team, and it is seen first.
    derive(
        store,
        _write(
            store,
            tmp_path,
            _team_paper("openalex:W1", team, "2021-01-01"),
            _team_paper("openalex:W2", team[:2], "2023-01-01"),
        ),
    )
    pairs = facts(store)[0]
    assert len(pairs) == MAX_AUTHORS_FOR_PAIRS * (MAX_AUTHORS_FOR_PAIRS - 1) // 2
    kept = ("openalex:A000", "CO_AUTHORED", "openalex:A001")
    assert pairs[kept]["papers"] == 2 and pairs[kept]["first_seen"] == "2021-01-01"
    # One more author: W1 is no longer paired; only A000-A001 (through W2) is left, and its
    # first_seen, first_year move *later*, which the merge rules alone could not do.
    touched = _write(store, tmp_path, _team_paper("openalex:W1", _ids(51)[-1:], "2021-01-01"))
    summary = derive(store, touched)
    assert summary.skipped_large_papers == 1
    assert summary.removed == len(pairs) - 1
    left = facts(store)[0]
    assert list(left) == [kept]
    assert left[kept]["papers"] == 1 and left[kept]["first_seen"] == "2023-01-01"
    assert left[kept]["first_year"] == 2023
    assert_full_derive_finds_nothing(store)


def test_forgetting_an_author_can_pair_a_large_paper(store: Store, tmp_path: Path) -> None:
    team = _ids(MAX_AUTHORS_FOR_PAIRS + 1)
    derive(store, _write(store, tmp_path, _team_paper("openalex:W1", team, "2021-01-01")))
    assert facts(store)[0] == {}
    result = CliRunner().invoke(
        cli,
        ["--store", _store_spec(store), "--audit-log", str(tmp_path / "audit.jsonl")]
        + ["forget", team[0], "--yes"],
    )
    assert result.exit_code == 0, result.output
    store = reopened(store)
    pairs = facts(store)[0]
    assert len(pairs) == MAX_AUTHORS_FOR_PAIRS * (MAX_AUTHORS_FOR_PAIRS - 1) // 2
    assert all(team[0] not in k for k in pairs)
    assert_full_derive_finds_nothing(store)


def test_touched_collects_papers_and_institutions() -> None:
    touched = Touched()
    touched.note(
        [
            Node("Institution", "ror:1", {"name": "A", "tier": "high"}),
            Node("Institution", "ror:2", {"name": "B"}),
            Node("Paper", "openalex:W9", {"title": "t"}),
        ],
        [
            Relationship("AUTHORED", "openalex:A1", "openalex:W1"),
            Relationship("LISTED_ON", "ror:3", "risklist:x", {"tier": "low"}),
            Relationship("AFFILIATED_WITH", "openalex:A1", "ror:4"),
        ],
    )
    assert touched.papers == {"openalex:W1"}
    assert touched.institutions == {"ror:1", "ror:3"}
    assert not Touched() and touched
