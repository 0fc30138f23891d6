"""Facts derived from the graph itself, recomputed at the end of every ingest.

- ``CO_AUTHORED`` between two researchers who share papers (start id < end id), with the
  number of shared papers and the first and last year.
- ``Institution.tier``: the effective tier, the highest tier over its ``LISTED_ON`` edges.

Both are computed from scratch each time and written with ``replace``/``min``/``max`` merge
rules, so running the step twice leaves the graph unchanged. It uses only the store contract
(view and writer), so it works the same on the embedded store and on Neo4j.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import effective_tier

SOURCE = "collabgraph-derive"
# A paper with hundreds of authors (physics consortia) says little about who works with whom
# and would add n² edges; its authors are not paired (the count is in the summary).
MAX_AUTHORS_FOR_PAIRS = 50


@dataclass
class _Pair:
    papers: set[str] = field(default_factory=set)
    years: list[int] = field(default_factory=list)
    first_seen: list[str] = field(default_factory=list)
    last_seen: list[str] = field(default_factory=list)


@dataclass
class DeriveSummary:
    co_authored: int = 0
    tiers: int = 0
    skipped_large_papers: int = 0

    def lines(self) -> list[str]:
        out = [f"derive: CO_AUTHORED {self.co_authored}, institution tiers {self.tiers}"]
        if self.skipped_large_papers:
            out.append(
                f"  {self.skipped_large_papers} papers with more than {MAX_AUTHORS_FOR_PAIRS} "
                "authors were not used for CO_AUTHORED"
            )
        return out


def co_authored(store: Store) -> tuple[list[Relationship], int]:
    """CO_AUTHORED relationships computed from every AUTHORED edge, and the skipped paper count."""
    by_paper: dict[str, list[Relationship]] = defaultdict(list)
    for rel in store.view().iter_relationships("AUTHORED"):
        by_paper[rel.end].append(rel)
    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    skipped = 0
    for paper_id, authored in by_paper.items():
        authors = {r.start: r for r in authored}
        if len(authors) > MAX_AUTHORS_FOR_PAIRS:
            skipped += 1
            continue
        for a, b in combinations(sorted(authors), 2):
            pair = pairs[(a, b)]
            pair.papers.add(paper_id)
            for rel in (authors[a], authors[b]):
                if isinstance(rel.props.get("year"), int):
                    pair.years.append(rel.props["year"])
                if rel.props.get("first_seen"):
                    pair.first_seen.append(rel.props["first_seen"])
                if rel.props.get("last_seen"):
                    pair.last_seen.append(rel.props["last_seen"])
    rels = []
    for (a, b), pair in sorted(pairs.items()):
        props: dict[str, object] = {
            "papers": len(pair.papers),
            "method": "shared AUTHORED papers",
            "source": SOURCE,
            "sources": [SOURCE],
            "source_record": f"{len(pair.papers)} shared papers",
        }
        if pair.years:
            props["first_year"] = min(pair.years)
            props["last_year"] = max(pair.years)
        if pair.first_seen:
            props["first_seen"] = min(pair.first_seen)
        if pair.last_seen:
            props["last_seen"] = max(pair.last_seen)
            props["source_version"] = max(pair.last_seen)
        rels.append(Relationship("CO_AUTHORED", a, b, props))
    return rels, skipped


def institution_tiers(store: Store) -> list[Node]:
    """Institution nodes carrying only their effective tier (plus the required name)."""
    asserted: dict[str, list[str | None]] = defaultdict(list)
    for rel in store.view().iter_relationships("LISTED_ON"):
        asserted[rel.start].append(rel.props.get("tier"))
    nodes = store.view().get_nodes(sorted(asserted))
    out = []
    for node_id, node in sorted(nodes.items()):
        tier = effective_tier(asserted[node_id]).label
        if node.props.get("tier") != tier:
            out.append(Node("Institution", node_id, {"name": node.props["name"], "tier": tier}))
    return out


def derive(store: Store) -> DeriveSummary:
    """Recompute CO_AUTHORED and Institution.tier and write them (idempotent).

    Only what changed is written, so a re-run on an unchanged graph writes nothing.
    """
    summary = DeriveSummary()
    rels, summary.skipped_large_papers = co_authored(store)
    existing = {r.key: r.props for r in store.view().iter_relationships("CO_AUTHORED")}
    summary.co_authored = len(rels)
    rels = [r for r in rels if existing.get(r.key) != {**existing.get(r.key, {}), **r.props}]
    tiers = institution_tiers(store)
    with store.writer() as writer:
        writer.upsert_nodes(tiers)
        writer.upsert_relationships(rels)
    summary.tiers = len(tiers)
    return summary
