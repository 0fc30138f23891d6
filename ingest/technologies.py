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
from functools import cached_property
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
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def technology_id(code: str) -> str:
    return ids.hashed_id("technology", "ec-2023", code)


def _plain(text: str) -> str:
    """Lower-case and accent-free (NFKD, combining marks dropped, casefolded)."""
    if str.isascii(text):
        # NFKD leaves ASCII unchanged, no ASCII character is combining, and casefold() is
        # lower() on ASCII: the same result without a Python loop over the characters.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free word tokens (hyphens and punctuation split words)."""
    return _WORD.findall(_plain(text))


@dataclass(frozen=True)
class Term:
    text: str
    words: tuple[str, ...]
    prefix: bool  # the last word is a prefix ("nanoparticle*")

    @property
    def key(self) -> str:
        """The words joined by single spaces: the string the matcher looks for."""
        return " ".join(self.words)


@dataclass(frozen=True)
class Vocabulary:
    version: str
    threshold: float
    weights: dict[str, float]
    terms: dict[str, list[Term]]  # technology code → terms

    @cached_property
    def matcher(self) -> Matcher:
        """The terms compiled once (built on first use; do not edit ``terms`` after that)."""
        return Matcher(self.terms)

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
            terms = {str(code): _terms(code, spec) for code, spec in data["tech"].items()}
            if not terms:
                raise ValueError("[tech]: the vocabulary lists no technologies")
            return cls(str(data["version"]), float(scoring["threshold"]), weights, terms)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{where}: vocabulary is missing or has a bad {exc}") from exc


def _terms(code: str, spec: Any) -> list[Term]:
    listed = spec["terms"]
    # A bare string would be read letter by letter; an empty list can never tag anything.
    if not isinstance(listed, list) or not listed or not all(isinstance(t, str) for t in listed):
        raise ValueError(f"tech.{code}.terms: must be a non-empty list of strings")
    return [_term(t) for t in listed]


def _term(text: str) -> Term:
    prefix = text.endswith("*")
    words = tuple(tokens(text.rstrip("*")))
    if not words:
        raise ValueError(f"empty term {text!r}")
    return Term(text, words, prefix)


@dataclass(frozen=True)
class Tag:
    code: str
    score: float
    matched_terms: list[str]
    matched_fields: list[str]


class _TrieNode:
    __slots__ = ("children", "exact", "prefix")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.exact = False  # a whole-word term ends here
        self.prefix = False  # a prefix term ends here

    def pattern(self) -> str:
        """Regex for the rest of the path from here; longer terms are tried before shorter."""
        alts = []
        for c, child in sorted(self.children.items()):
            run = [c]  # follow a chain of plain nodes in a loop: recursion only at branches
            while len(child.children) == 1 and not (child.exact or child.prefix):
                ((c, child),) = child.children.items()
                run.append(c)
            alts.append(re.escape("".join(run)) + child.pattern())
        body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})" if alts else ""
        if self.prefix:  # ends here whatever follows; a longer term is tried first (greedy)
            return f"(?:{body})?" if body else ""
        if self.exact:  # ends here only at the end of a word
            return f"(?:{body}|(?![a-z0-9]))" if body else "(?![a-z0-9])"
        return body


class Matcher:
    """Every term of a vocabulary compiled into one regex, scanned once over each text.

    A term "w1 … wn" matches where a token starts with w1, runs of other characters separate
    it from w2 … wn, and wn ends a word (or, for a prefix term, anything follows). The regex
    is a character trie of the terms, so at a token start it follows the text's one path
    through the trie, and a zero-width lookahead captures the longest term that matches there.
    Every other term matching at that token start is a prefix of that one (same words, then a
    shorter last word), so the full set is one table lookup (``_closure``). The cost per text
    is one regex scan instead of one test per term.
    """

    def __init__(self, terms: dict[str, list[Term]]) -> None:
        self.order = {code: i for i, code in enumerate(terms)}
        self.codes: dict[str, list[str]] = {}  # term text → codes listing it, in order
        root = _TrieNode()
        by_key: dict[str, list[Term]] = {}
        for code, code_terms in terms.items():
            for term in code_terms:
                if code not in self.codes.setdefault(term.text, []):
                    self.codes[term.text].append(code)
                if not all(_WORD.fullmatch(w) for w in term.words):
                    continue  # tokens are [a-z0-9]+: such a term can never match
                node = root
                for c in term.key:
                    node = node.children.setdefault(c, _TrieNode())
                if term.prefix:
                    node.prefix = True
                else:
                    node.exact = True
                by_key.setdefault(term.key, []).append(term)
        # In the trie, " " stands for any run of characters that are not in a token.
        trie = root.pattern().replace(re.escape(" "), "[^a-z0-9]+")
        # With no matchable term the trie is empty, and an empty pattern would match everywhere.
        self._regex = re.compile(f"(?<![a-z0-9])(?=({trie}))") if by_key else None
        self._closure: dict[tuple[str, bool], frozenset[str]] = {}
        for longest in by_key:
            for at_word_end in (False, True):
                self._closure[(longest, at_word_end)] = frozenset(
                    t.text
                    for key, same in by_key.items()
                    if longest.startswith(key)
                    for t in same
                    if t.prefix
                    or (len(key) < len(longest) and longest[len(key)] == " ")
                    or (key == longest and at_word_end)
                )

    def find(self, texts: Iterable[str]) -> set[str]:
        """The texts of the terms found in any of ``texts`` (a term never spans two texts)."""
        found: set[str] = set()
        if self._regex is None:
            return found
        for raw in texts:
            text = _plain(raw)
            for m in self._regex.finditer(text):
                end = m.end(1)
                key = _NOT_WORD.sub(" ", m.group(1))
                # Not str.isalnum(): "ø" or "é" left by casefolding ends a token too.
                found |= self._closure[(key, _WORD.match(text, end) is None)]
        return found


def match_paper(vocab: Vocabulary, fields: dict[str, list[str]]) -> list[Tag]:
    """Score each technology against a paper's fields (field name → texts); tags over threshold.

    A tag's score is 1 - product(1 - field weight) over its distinct (term, field) matches.
    """
    matcher = vocab.matcher
    hits: dict[str, set[tuple[str, str]]] = {}  # code → (term text, field)
    for field_name in FIELDS:
        for text in matcher.find(fields.get(field_name, [])):
            for code in matcher.codes[text]:
                hits.setdefault(code, set()).add((text, field_name))
    tags: list[Tag] = []
    for code in sorted(hits, key=matcher.order.__getitem__):
        miss = 1.0
        for _, field_name in sorted(hits[code]):
            miss *= 1.0 - vocab.weights[field_name]
        score = round(1.0 - miss, 3)
        if score >= vocab.threshold:
            tags.append(
                Tag(
                    code,
                    score,
                    sorted({t for t, _ in hits[code]}),
                    [f for f in FIELDS if any(h[1] == f for h in hits[code])],
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
