"""Text normalisation for institution names and affiliation strings.

The same functions run on candidate names (at index time) and on input text, so any rewrite
(abbreviations, "&" → "and", diacritics, "Jiaotong" → "Jiao Tong") is symmetric and cannot by
itself create a false match between two different written names.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "Segment",
    "clear_caches",
    "TABLES",
    "fold",
    "has_cjk",
    "is_unit_only",
    "key_of",
    "segments",
    "tokens",
]


def _load_tables() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("tables.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


TABLES = _load_tables()
ABBREVIATIONS: dict[str, list[str]] = {
    k: str(v).split() for k, v in TABLES["abbreviations"].items()
}
STOPWORDS: frozenset[str] = frozenset(str(w) for w in TABLES["stopwords"]["words"])
UNIT_WORDS: frozenset[str] = frozenset(str(w) for w in TABLES["units"]["words"])
HEAD_WORDS: frozenset[str] = frozenset(str(w) for w in TABLES["heads"]["words"]) | UNIT_WORDS
ADDRESS_WORDS: frozenset[str] = frozenset(str(w) for w in TABLES["address"]["words"])
QUALIFIERS: frozenset[str] = frozenset(str(w) for w in TABLES["qualifiers"]["words"])
COUNTRY_CUES: dict[str, str] = {str(k): str(v) for k, v in TABLES["countries"].items()}
CURATED_ACRONYMS: dict[str, str] = {str(k): str(v) for k, v in TABLES["acronyms"].items()}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_APOSTROPHES = re.compile(r"[\u2019\u2018'`´]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^\w\u3400-\u9fff]+")
# Separators between the parts of an affiliation string: commas, semicolons, slashes, brackets,
# line breaks, and a dash with spaces around it. A hyphen inside a word ("Yat-sen") is not one.
_SPLIT = re.compile(r"[,;|/()\[\]\n\r\t]+|\s[-–—]\s|\s{3,}")
_JOINERS = frozenset({"of", "for"})
_CJK_SPLIT = re.compile(r"[，；、。\s]+")


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese (CJK unified ideograph) characters."""
    return _CJK.search(text) is not None


def fold(text: str) -> str:
    """Lowercase, strip diacritics and punctuation, split glued words; no abbreviation expansion.

    >>> fold("Université libre de Bruxelles (ULB)")
    'universite libre de bruxelles ulb'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _CAMEL.sub(" ", text)
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).replace("_", " ").split())


@lru_cache(maxsize=200_000)
def _expand(word: str) -> tuple[str, ...]:
    return tuple(ABBREVIATIONS.get(word, (word,)))


def tokens(text: str) -> list[str]:
    """Folded words with abbreviations expanded and bare numbers (postcodes, footnotes) dropped."""
    out: list[str] = []
    for word in fold(text).split():
        if word.isdigit():
            continue
        out.extend(_expand(word))
    return out


def key_of(words: list[str]) -> str:
    """The matching key: content words only, in order."""
    return " ".join(w for w in words if w not in STOPWORDS)


def is_unit_only(words: list[str]) -> bool:
    """True for names that start with a sub-unit head word ("Department of …", "Key Lab …")."""
    content = [w for w in words if w not in STOPWORDS]
    return bool(content) and content[0] in UNIT_WORDS


@dataclass(frozen=True)
class Segment:
    """One part of an affiliation string: its raw text and its content words."""

    raw: str
    words: tuple[str, ...]
    country: str | None  # country named at the end of this part, if any
    core: tuple[str, ...]  # words without the trailing country name
    joined: frozenset[int] = frozenset()  # positions of words followed by "of"/"for" + more words
    linked: frozenset[int] = frozenset()  # positions of words followed by any stopword
    numbered: frozenset[int] = frozenset()  # positions of words followed by a bare number

    @property
    def key(self) -> str:
        return " ".join(self.words)


def _country_tail(words: list[str]) -> tuple[str | None, int]:
    """Country named by the last one to three words: (ISO code, how many words it took)."""
    for size in (3, 2, 1):
        if len(words) >= size:
            code = COUNTRY_CUES.get(" ".join(words[-size:]))
            if code is not None:
                return code, size
    return None, 0


def segments(text: str) -> list[Segment]:
    """Split an affiliation string into its parts, each with its content words and country cue."""
    out: list[Segment] = []
    for part in _SPLIT.split(text):
        out.extend(_parse_part(part))
    return out


@lru_cache(maxsize=200_000)
def _parse_part(part: str) -> tuple[Segment, ...]:
    """One part between separators (cached: parts such as "Beijing" or "China" repeat)."""
    raw = part.strip(" .-:")
    if not raw:
        return ()
    if has_cjk(raw):
        pieces = [p for p in _CJK_SPLIT.split(raw) if p]
        return tuple(Segment(p, (fold(p),), _cjk_country(p), (fold(p),)) for p in pieces)
    words: list[str] = []
    joined: set[int] = set()
    linked: set[int] = set()
    numbered: set[int] = set()
    pending_join = pending_link = False
    for folded in fold(raw).split():
        if folded.isdigit():  # a postcode, street number or footnote: no name runs across one
            if words:
                numbered.add(len(words) - 1)
            continue
        for word in _expand(folded):
            if word in STOPWORDS:
                pending_join = pending_join or (word in _JOINERS and bool(words))
                pending_link = bool(words)
                continue
            if pending_join:
                joined.add(len(words) - 1)
            if pending_link:
                linked.add(len(words) - 1)
            pending_join = pending_link = False
            words.append(word)
    if not words:
        return ()
    code, size = _country_tail(words)
    core = tuple(words[: len(words) - size])
    marks = (frozenset(joined), frozenset(linked), frozenset(numbered))
    return (Segment(raw, tuple(words), code, core, *marks),)


def clear_caches() -> None:
    """Forget cached parses (benchmarks use this to time cold runs)."""
    _parse_part.cache_clear()
    _expand.cache_clear()


def _cjk_country(piece: str) -> str | None:
    return "CN" if piece.startswith("中国") or piece.endswith("中国") else None
