"""EC critical-technology areas → Technology nodes, and the vocabulary tagger → CONCERNS edges.

The areas come from Annex I of Commission Recommendation (EU) 2023/2113 (10 areas, their
sub-technologies). Sub-technologies cannot be PART_OF an area in the schema (PART_OF joins
institutions), so each Technology carries its area's name in ``area`` and its ``code``
("3" for an area, "3.2" for a sub-technology).

Tagging matches the terms of a vocabulary file (ingest/vocabulary.toml by default) against a
paper's title, abstract, keywords and topics. It runs on the papers in the store, so the order
of ingestion does not matter: ``ingest technologies`` tags every existing paper, and the paper
ingesters tag new papers when Technology nodes exist.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from collabgraph.graph import ids
from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Node, Relationship

from .pipeline import IngestRun, Provenance, RejectedRecord, RejectWriter, Summary
from .sources import InputError, RawRecord

DATASET = "ec-critical-technology-areas-2023"
VERSION = "2023-10-03"  # date of Commission Recommendation (EU) 2023/2113
FIELDS = ("title", "keywords", "topics", "abstract")
_WORD = re.compile(r"[a-z0-9]+")


def technology_id(code: str) -> str:
    return ids.hashed_id("technology", "ec-2023", code)


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free word tokens (hyphens and punctuation split words)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _WORD.findall(plain)


@dataclass(frozen=True)
class Term:
    text: str
    words: tuple[str, ...]
    prefix: bool  # the last word is a prefix ("nanoparticle*")

    def matches_at(self, words: list[str], i: int) -> bool:
        n = len(self.words)
        if i + n > len(words):
            return False
        for k, want in enumerate(self.words):
            got = words[i + k]
            if k == n - 1 and self.prefix:
                if not got.startswith(want):
                    return False
            elif got != want:
                return False
        return True


@dataclass(frozen=True)
class Vocabulary:
    version: str
    threshold: float
    weights: dict[str, float]
    terms: dict[str, list[Term]]  # technology code → terms

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        """Read a vocabulary file (the bundled ingest/vocabulary.toml when ``path`` is None)."""
        try:
            if path is None:
                text = (
                    resources.files("collabgraph.ingest")
                    .joinpath("vocabulary.toml")
                    .read_text(encoding="utf-8")
                )
                where = "ingest/vocabulary.toml"
            else:
                text = path.read_text(encoding="utf-8-sig")
                where = str(path)
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: cannot read the vocabulary ({exc})") from exc
        try:
            scoring = data["scoring"]
            weights = {f: float(scoring["weights"][f]) for f in FIELDS}
            terms = {
                str(code): [_term(t) for t in spec["terms"]] for code, spec in data["tech"].items()
            }
            return cls(str(data["version"]), float(scoring["threshold"]), weights, terms)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{where}: vocabulary is missing or has a bad {exc}") from exc


def _term(text: str) -> Term:
    prefix = text.endswith("*")
    words = tuple(tokens(text.rstrip("*")))
    if not words:
        raise ValueError(f"empty term {text!r}")
    return Term(text, words, prefix)


class _Text:
    """A tokenised text with a word → positions index, so each term is checked in O(hits)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.positions: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            self.positions.setdefault(word, []).append(i)

    def contains(self, term: Term) -> bool:
        if len(term.words) == 1 and term.prefix:
            return any(w.startswith(term.words[0]) for w in self.positions)
        starts = self.positions.get(term.words[0], [])
        return any(term.matches_at(self.words, i) for i in starts)


@dataclass(frozen=True)
class Tag:
    code: str
    score: float
    matched_terms: list[str]
    matched_fields: list[str]


def match_paper(vocab: Vocabulary, fields: dict[str, list[str]]) -> list[Tag]:
    """Score each technology against a paper's fields (field name → texts); tags over threshold."""
    texts = {f: [_Text(tokens(t)) for t in fields.get(f, [])] for f in FIELDS}
    tags: list[Tag] = []
    for code, terms in vocab.terms.items():
        hits: set[tuple[str, str]] = set()
        for term in terms:
            for field_name, field_texts in texts.items():
                if any(text.contains(term) for text in field_texts):
                    hits.add((term.text, field_name))
        if not hits:
            continue
        miss = 1.0
        for _, field_name in hits:
            miss *= 1.0 - vocab.weights[field_name]
        score = round(1.0 - miss, 3)
        if score >= vocab.threshold:
            tags.append(
                Tag(
                    code,
                    score,
                    sorted({t for t, _ in hits}),
                    [f for f in FIELDS if any(h[1] == f for h in hits)],
                )
            )
    return tags


def paper_fields(paper: Node) -> dict[str, list[str]]:
    p = paper.props
    return {
        "title": [p["title"]] if p.get("title") else [],
        "abstract": [p["abstract"]] if p.get("abstract") else [],
        "keywords": list(p.get("keywords") or []),
        "topics": list(p.get("topics") or []),
    }


class Tagger:
    """Tags papers with the Technology nodes present in a store."""

    def __init__(self, vocab: Vocabulary, tech_ids: dict[str, str]) -> None:
        self.vocab = vocab
        self.tech_ids = tech_ids  # code → node id, only codes that exist in the store
        self.prov = Provenance("collabgraph-vocabulary", vocab.version)

    @classmethod
    def from_store(cls, store: Store, vocabulary: Path | None = None) -> Tagger | None:
        """A tagger for the store's Technology nodes, or None when there are none."""
        tech_ids = {
            str(n.props["code"]): n.id
            for n in store.view().iter_nodes("Technology")
            if n.props.get("code")
        }
        if not tech_ids:
            return None
        return cls(Vocabulary.load(vocabulary), tech_ids)

    def tag(self, paper: Node) -> list[Relationship]:
        """CONCERNS edges for ``paper`` with the matched terms, fields and score as evidence."""
        rels = []
        for tag in match_paper(self.vocab, paper_fields(paper)):
            end = self.tech_ids.get(tag.code)
            if end is None:
                continue
            props = {
                "matched_terms": tag.matched_terms,
                "matched_fields": tag.matched_fields,
                "score": tag.score,
                "method": f"vocabulary {self.vocab.version}",
            }
            rels.append(Relationship("CONCERNS", paper.id, end, self.prov.stamp(props, paper.id)))
        return rels


def technology_nodes(data: Any, prov: Provenance) -> Iterator[tuple[str, Node]]:
    """(locator, node) for each area and sub-technology of the EC areas JSON."""
    areas = data.get("areas") if isinstance(data, dict) else None
    if not isinstance(areas, list):
        raise CollabgraphError("the EC areas file has no 'areas' list")
    for a_index, area in enumerate(areas):
        if not isinstance(area, dict) or not area.get("name") or area.get("id") is None:
            raise RejectedRecord(f"areas[{a_index}] has no id or name")
        code = str(area["id"])
        name = str(area["name"])
        yield (
            f"areas[{a_index}]",
            Node(
                "Technology",
                technology_id(code),
                prov.stamp(
                    {
                        "name": name,
                        "code": code,
                        "area": name,
                        "level": "area",
                        "highest_risk": bool(area.get("highest_risk")),
                        "verification": area.get("area_name_verification"),
                    },
                    f"area {code}",
                ),
            ),
        )
        for s_index, sub in enumerate(area.get("sub_technologies") or [], start=1):
            if not isinstance(sub, dict) or not sub.get("name"):
                continue
            sub_code = f"{code}.{s_index}"
            yield (
                f"areas[{a_index}].sub_technologies[{s_index - 1}]",
                Node(
                    "Technology",
                    technology_id(sub_code),
                    prov.stamp(
                        {
                            "name": str(sub["name"]),
                            "code": sub_code,
                            "area": name,
                            "level": "technology",
                            "highest_risk": bool(area.get("highest_risk")),
                            "verification": sub.get("verification"),
                        },
                        f"technology {sub_code}",
                    ),
                ),
            )


def ingest_technologies(
    store: Store,
    paths: Iterable[Path],
    *,
    rejects: RejectWriter,
    vocabulary: Path | None = None,
    version: str | None = None,
    quiet: bool = True,
) -> Summary:
    """Write the Technology nodes from the EC areas file(s), then tag every paper in the store."""
    with IngestRun(store, "technologies", rejects=rejects, quiet=quiet) as run:
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError, RecursionError) as exc:
                raise InputError(f"{path}: cannot read the EC areas JSON ({exc})") from exc
            prov = Provenance(DATASET, version or VERSION)
            try:
                found = list(technology_nodes(data, prov))
            except CollabgraphError as exc:
                raise InputError(f"{path}: {exc}") from None
            except (TypeError, AttributeError, ValueError) as exc:
                raise InputError(f"{path}: unexpected structure ({exc})") from None
            for locator, node in found:
                raw = RawRecord(locator, json.dumps(node.props, ensure_ascii=False))
                run.summary.read += 1
                run.write(path, raw, [node], [])
    tag_summary = tag_store(store, vocabulary=vocabulary, quiet=quiet)
    run.summary.relationships.update(tag_summary.relationships)
    run.summary.notes.append(f"tagged {tag_summary.written} of {tag_summary.read} papers")
    return run.summary


def tag_store(store: Store, *, vocabulary: Path | None = None, quiet: bool = True) -> Summary:
    """Tag every paper in the store with the store's Technology nodes."""
    summary = Summary("tag")
    tagger = Tagger.from_store(store, vocabulary)
    if tagger is None:
        return summary
    papers = list(store.view().iter_nodes("Paper"))
    with store.writer() as writer:
        for paper in papers:
            summary.read += 1
            rels = tagger.tag(paper)
            if rels:
                summary.written += 1
                summary.relationships.update(r.type for r in rels)
                writer.upsert_relationships(rels)
    return summary
