"""Facts derived from the graph itself, brought up to date at the end of every ingest.

- ``CO_AUTHORED`` between two researchers who share papers (start id < end id), with the
  number of shared papers, the first and last year and the provenance dates of the
  ``AUTHORED`` relationships behind it.
- ``Institution.tier``: the effective tier, the highest tier over its ``LISTED_ON`` edges.

:func:`derive` either recomputes both from scratch (``touched=None``) or, given a
:class:`Touched` (what an ingest or a deletion changed), only what those ids can affect: the
pairs of authors of a touched paper, each recomputed from *all* its shared papers, and the
tiers of touched institutions. Both paths write the same facts: a pair's properties are a
function of the pair's shared papers alone, never of what was stored before, so a stored pair
whose facts can no longer be reached by the schema's merge rules (fewer shared papers, later
``first_seen``) is replaced, and a pair that shares no paper any more is removed. Running the
step twice leaves the graph unchanged. It uses only the store contract (view and writer), so
it works the same on the embedded store and on Neo4j; the incremental path reads only the
neighbourhood of the touched ids (``links``, ``relationships_between``, ``listings``,
``get_nodes``), never a whole relationship type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.records import Node, Relationship, merge_props
from collabgraph.graph.risk import effective_tier
from collabgraph.graph.schema import SCHEMA

SOURCE = "collabgraph-derive"
# A paper with hundreds of authors (physics consortia) says little about who works with whom
# and would add n² edges; its authors are not paired (the count is in the summary).
MAX_AUTHORS_FOR_PAIRS = 50

Pair = tuple[str, str]
Key = tuple[str, ...]


@dataclass
class Touched:
    """What a write may have changed for the derived facts.

    ``papers``: papers whose AUTHORED relationships (the set, or their properties) may have
    changed; ``institutions``: institutions whose LISTED_ON relationships or own ``tier`` may
    have changed. A deleted researcher needs no entry of its own (its CO_AUTHORED go with the
    node, and no other pair depends on it) but its papers do: with one author fewer, a paper
    may come under :data:`MAX_AUTHORS_FOR_PAIRS` and pair its other authors. A deleted paper
    is not covered (its authors can no longer be found from it); nothing deletes papers.
    """

    papers: set[str] = field(default_factory=set)
    institutions: set[str] = field(default_factory=set)

    def note(self, nodes: Iterable[Node], rels: Iterable[Relationship]) -> None:
        """Record what written ``nodes`` and ``rels`` touch (called for every write)."""
        for node in nodes:
            if node.label == "Institution" and "tier" in node.props:
                self.institutions.add(node.id)
        for rel in rels:
            if rel.type == "AUTHORED":
                self.papers.add(rel.end)
            elif rel.type == "LISTED_ON":
                self.institutions.add(rel.start)

    def update(self, other: Touched) -> None:
        self.papers |= other.papers
        self.institutions |= other.institutions

    def __bool__(self) -> bool:
        return bool(self.papers or self.institutions)


@dataclass
class _Pair:
    papers: set[str] = field(default_factory=set)
    years: list[int] = field(default_factory=list)
    first_seen: list[str] = field(default_factory=list)
    last_seen: list[str] = field(default_factory=list)

    def add(self, paper_id: str, *authored: Relationship) -> None:
        """One shared paper, with the two AUTHORED relationships to it."""
        self.papers.add(paper_id)
        for rel in authored:
            if isinstance(rel.props.get("year"), int):
                self.years.append(rel.props["year"])
            if rel.props.get("first_seen"):
                self.first_seen.append(rel.props["first_seen"])
            if rel.props.get("last_seen"):
                self.last_seen.append(rel.props["last_seen"])

    def relationship(self, a: str, b: str) -> Relationship:
        props: dict[str, Any] = {
            "papers": len(self.papers),
            "method": "shared AUTHORED papers",
            "source": SOURCE,
            "sources": [SOURCE],
            "source_record": f"{len(self.papers)} shared papers",
        }
        if self.years:
            props["first_year"] = min(self.years)
            props["last_year"] = max(self.years)
        if self.first_seen:
            props["first_seen"] = min(self.first_seen)
        if self.last_seen:
            props["last_seen"] = max(self.last_seen)
            props["source_version"] = max(self.last_seen)
        return Relationship("CO_AUTHORED", a, b, props)


@dataclass
class DeriveSummary:
    co_authored: int = 0  # CO_AUTHORED pairs derived (all of them, or those around the touched)
    tiers: int = 0  # institution tiers that changed
    skipped_large_papers: int = 0
    removed: int = 0  # CO_AUTHORED pairs removed (they share no paper any more)

    def lines(self) -> list[str]:
        out = [f"derive: CO_AUTHORED {self.co_authored}, institution tiers {self.tiers}"]
        if self.skipped_large_papers:
            out.append(
                f"  {self.skipped_large_papers} papers with more than {MAX_AUTHORS_FOR_PAIRS} "
                "authors were not used for CO_AUTHORED"
            )
        if self.removed:
            out.append(f"  {self.removed} CO_AUTHORED pairs removed (no shared paper left)")
        return out


def _by_author(authored: Iterable[Relationship]) -> dict[str, Relationship]:
    return {rel.start: rel for rel in authored}


def co_authored(store: Store) -> tuple[list[Relationship], int]:
    """CO_AUTHORED relationships computed from every AUTHORED edge, and the skipped paper count."""
    by_paper: dict[str, list[Relationship]] = defaultdict(list)
    for rel in store.view().iter_relationships("AUTHORED"):
        by_paper[rel.end].append(rel)
    pairs: dict[Pair, _Pair] = defaultdict(_Pair)
    skipped = 0
    for paper_id, authored in by_paper.items():
        authors = _by_author(authored)
        if len(authors) > MAX_AUTHORS_FOR_PAIRS:
            skipped += 1
            continue
        for a, b in combinations(sorted(authors), 2):
            pairs[(a, b)].add(paper_id, authors[a], authors[b])
    return [pair.relationship(a, b) for (a, b), pair in sorted(pairs.items())], skipped


def co_authored_around(
    view: GraphView, touched: Touched
) -> tuple[list[Relationship], dict[Key, dict[str, Any]], int]:
    """The CO_AUTHORED pairs that ``touched`` can change, each from all its shared papers.

    Returns the pairs that share at least one paper (sorted), the stored CO_AUTHORED of every
    pair considered (by key: the caller removes those not derived any more) and how many
    touched papers have too many authors to be paired. Reads only the touched papers' authors,
    their co-authorships and their papers' authors.
    """
    on_paper = view.links(sorted(touched.papers), "AUTHORED", "in")
    authors_of = {p: _by_author(rels) for p, rels in on_paper.items()}
    candidates: set[Pair] = set()
    touched_of: dict[str, set[str]] = defaultdict(set)
    skipped = 0
    for paper_id, authors in authors_of.items():
        for author in authors:
            touched_of[author].add(paper_id)
        if len(authors) > MAX_AUTHORS_FOR_PAIRS:
            skipped += 1
        else:
            candidates.update(combinations(sorted(authors), 2))
    # A stored pair between two authors of one touched paper may have lost that paper (it now
    # has too many authors): it is recomputed too, even when no small touched paper pairs it.
    existing: dict[Key, dict[str, Any]] = {}
    for rel in view.relationships_between(sorted(touched_of)):
        if rel.type == "CO_AUTHORED" and touched_of[rel.start] & touched_of[rel.end]:
            candidates.add((rel.start, rel.end))
            existing[rel.key] = rel.props

    involved = sorted({a for pair in candidates for a in pair})
    papers_of = {
        a: {rel.end: rel for rel in rels}
        for a, rels in view.links(involved, "AUTHORED", "out").items()
    }
    shared: dict[Pair, set[str]] = {}
    for a, b in candidates:
        mine, theirs = papers_of.get(a, {}), papers_of.get(b, {})
        shared[(a, b)] = set(mine).intersection(theirs)
    # How many authors each shared paper has (the touched ones are already read).
    others = sorted({p for ps in shared.values() for p in ps} - set(authors_of))
    size = {p: len(authors) for p, authors in authors_of.items()}
    for paper_id, rels in view.links(others, "AUTHORED", "in").items():
        size[paper_id] = len(_by_author(rels))

    derived = []
    for a, b in sorted(candidates):
        pair = _Pair()
        for paper_id in shared[(a, b)]:
            if size.get(paper_id, 0) <= MAX_AUTHORS_FOR_PAIRS:
                pair.add(paper_id, papers_of[a][paper_id], papers_of[b][paper_id])
        if pair.papers:
            derived.append(pair.relationship(a, b))
    return derived, existing, skipped


def institution_tiers(view: GraphView, institution_ids: Iterable[str]) -> list[Node]:
    """Institution nodes (of ``institution_ids`` that have listings) whose stored tier is not
    their effective tier over LISTED_ON, carrying only that tier (plus the required name)."""
    listings = view.listings(institution_ids)
    nodes = view.get_nodes(sorted(listings))
    out = []
    for node_id, node in sorted(nodes.items()):
        tier = effective_tier(listings[node_id]).label
        if node.label == "Institution" and node.props.get("tier") != tier:
            out.append(Node("Institution", node_id, {"name": node.props["name"], "tier": tier}))
    return out


def _derived_only(props: Mapping[str, Any]) -> bool:
    """Whether a stored CO_AUTHORED was asserted by this step alone (so it may be replaced)."""
    return list(props.get("sources") or [SOURCE]) == [SOURCE]


def plan_co_authored(
    derived: Iterable[Relationship], existing: Mapping[Key, Mapping[str, Any]]
) -> tuple[list[Relationship], list[Key]]:
    """What to write so that the stored pairs equal ``derived``: the relationships to upsert,
    and the keys to delete first (pairs no longer derived, and pairs whose new facts an upsert
    cannot reach because the merge rules keep the old ``first_seen``/``last_seen``)."""
    specs = SCHEMA.rel_properties("CO_AUTHORED")
    upserts: list[Relationship] = []
    deletes: list[Key] = []
    seen: set[Key] = set()
    for rel in derived:
        seen.add(rel.key)
        old = existing.get(rel.key)
        if old is not None and dict(old) == rel.props:
            continue
        if (
            old is not None
            and _derived_only(old)
            and merge_props(dict(old), rel.props, specs) != rel.props
        ):
            deletes.append(rel.key)
        upserts.append(rel)
    deletes.extend(
        key for key, props in sorted(existing.items()) if key not in seen and _derived_only(props)
    )
    return upserts, deletes


def derive(store: Store, touched: Touched | None = None) -> DeriveSummary:
    """Bring CO_AUTHORED and Institution.tier up to date and write them (idempotent).

    ``touched=None`` recomputes everything; a :class:`Touched` recomputes only what it can
    change, with the same result. Only what changed is written, so a re-run writes nothing.
    """
    summary = DeriveSummary()
    if touched is not None and not touched:
        return summary
    view = store.view()
    if touched is None:
        derived, summary.skipped_large_papers = co_authored(store)
        existing = {r.key: r.props for r in view.iter_relationships("CO_AUTHORED")}
        tier_ids: Iterable[str] = sorted({r.start for r in view.iter_relationships("LISTED_ON")})
    else:
        derived, existing, summary.skipped_large_papers = co_authored_around(view, touched)
        tier_ids = sorted(touched.institutions)
    summary.co_authored = len(derived)
    upserts, deletes = plan_co_authored(derived, existing)
    tiers = institution_tiers(view, tier_ids)
    if upserts or deletes or tiers:
        with store.writer() as writer:
            writer.upsert_nodes(tiers)
            if deletes:
                # Deleted before the upserts of the same keys are written.
                writer.delete_relationships(deletes)
                writer.flush()
            writer.upsert_relationships(upserts)
    summary.tiers = len(tiers)
    derived_keys = {r.key for r in derived}
    summary.removed = sum(1 for key in deletes if key not in derived_keys)
    return summary
