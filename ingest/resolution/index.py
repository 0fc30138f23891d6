"""The candidate index: every name of every candidate institution, keyed for fast lookup.

Three structures, all built once: exact keys (normalised content words → name entries), a word
index for blocking fuzzy comparisons (never all-pairs), and acronyms. Chinese names are keyed by
their folded characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .normalise import STOPWORDS, UNIT_WORDS, fold, has_cjk, tokens

__all__ = ["Candidate", "NameEntry", "NameIndex"]


class Candidate(NamedTuple):
    """An institution that can be matched: a ROR record, a store node or an extra entity."""

    node_id: str
    ror_id: str | None
    name: str
    country: str | None
    status: str = "active"
    parents: tuple[str, ...] = ()


class NameEntry(NamedTuple):
    """One written name of a candidate."""

    candidate: int  # index into NameIndex.candidates
    text: str  # as written in the source
    kind: str  # display | label | alias | acronym
    key: str  # content words joined by spaces (Chinese: folded characters)
    folded: str  # fold(text): compares "exact" (case/punctuation only) against "normalised"
    generic: bool  # a bare sub-unit name such as "School of Medicine": never matched alone
    weak: bool = False  # short name ending in a unit word ("Eye Center"): only as a whole part


@dataclass
class NameIndex:
    """All names of all candidates, with lookups by key, by word and by acronym."""

    candidates: list[Candidate] = field(default_factory=list)
    entries: list[NameEntry] = field(default_factory=list)
    by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # word → keys of the (non-generic) entries in by_word[word], same order: rapidfuzz input
    keys_by_word: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_compact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_acronym: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_node: dict[str, int] = field(default_factory=dict)
    cjk_lengths: set[int] = field(default_factory=set)
    max_words: int = 1
    _by_candidate: dict[int, list[NameEntry]] | None = field(default=None, repr=False)

    def add(
        self,
        candidate: Candidate,
        names: Sequence[tuple[str, str]],
        acronyms: Sequence[str] = (),
    ) -> None:
        """Add a candidate with its (text, kind) names and acronyms (a known id gains names)."""
        self._by_candidate = None
        index = self.by_node.get(candidate.node_id, len(self.candidates))
        if index == len(self.candidates):
            self.candidates.append(candidate)
            self.by_node[candidate.node_id] = index
        seen: set[str] = set()
        for text, kind in names:
            self._add_name(index, text, kind, seen)
        for acronym in acronyms:
            compact = acronym.strip()
            if 2 <= len(compact) <= 12 and index not in self.by_acronym[compact]:
                self.by_acronym[compact].append(index)

    def _add_name(self, index: int, text: str, kind: str, seen: set[str]) -> None:
        if has_cjk(text):
            key = fold(text).replace(" ", "")
            generic = weak = False
            self.cjk_lengths.add(len(key))
        else:
            words = [w for w in tokens(text) if w not in STOPWORDS]
            key = " ".join(words)
            # "Department of Physics", "School of Medicine": names only a parent can identify.
            generic = bool(words) and words[0] in UNIT_WORDS and len(words) <= 3
            generic = generic or not any(len(w) > 1 for w in words)
            weak = len(words) <= 2 and bool(words) and words[-1] in UNIT_WORDS
            self.max_words = max(self.max_words, len(words))
        if not key or key in seen:
            return
        seen.add(key)
        entry_id = len(self.entries)
        self.entries.append(NameEntry(index, text, kind, key, fold(text), generic, weak))
        self.by_key[key].append(entry_id)
        if not has_cjk(text):
            # "Shengjing" = "Sheng Jing", "HuiLongGuan" = "Huilong Guan": spacing varies.
            compact = key.replace(" ", "")
            if len(compact) >= 8:
                self.by_compact[compact].append(entry_id)
            for word in set(key.split()):
                if not generic:
                    self.by_word[word].append(entry_id)
                    self.keys_by_word[word].append(key)

    def names_of(self, candidate: int) -> list[NameEntry]:
        """Every name entry of one candidate (the map is built on first use)."""
        if self._by_candidate is None:
            self._by_candidate = defaultdict(list)
            for entry in self.entries:
                self._by_candidate[entry.candidate].append(entry)
        return self._by_candidate.get(candidate, [])

    def block(self, words: Sequence[str], *, max_df: int = 400) -> list[str]:
        """The one or two rarest words of ``words`` whose posting lists form the short list.

        Common words such as "university" would pull in thousands of names, so only rare
        words open a posting list; if none is rare, the rarest one is used if not too common.
        """
        ranked = sorted(
            (w for w in set(words) if w in self.by_word), key=lambda w: len(self.by_word[w])
        )
        if not ranked or len(self.by_word[ranked[0]]) > 4 * max_df:
            return []
        return [w for w in ranked[:2] if len(self.by_word[w]) <= max_df] or ranked[:1]
