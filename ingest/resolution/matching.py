"""Matching one part (segment) of an affiliation string against the name index.

Each function returns :class:`Hit` objects; choosing between the hits of several segments is
the resolver's job. Order of evidence, strongest first: the whole part equals a name; a name
sits inside the part; the part is a known acronym; the part is close to a name (misspelling).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from .index import NameIndex
from .normalise import (
    ADDRESS_WORDS,
    CURATED_ACRONYMS,
    HEAD_WORDS,
    QUALIFIERS,
    STOPWORDS,
    UNIT_WORDS,
    Segment,
    fold,
    has_cjk,
    tokens,
)

__all__ = ["Hit", "merged_hits", "segment_hits", "spelled_out"]

COMMON_WORD_DF = 300  # a word in more names than this does not identify an institution
COMMON_WORD_DF_LONG = 1000  # the same, for names of three words or more
FUZZY_MIN_RATIO = 0.9
FUZZY_MARGIN = 0.03
MISSPELT_WORD_RATIO = 80  # a misspelt word against the name's word (rapidfuzz ratio, 0-100)
_METHOD_BY_KIND = {"display": "exact", "label": "exact", "alias": "alias"}


class Hit(NamedTuple):
    """Evidence that one segment names one candidate."""

    candidate: int
    entry: int | None  # the name entry that matched (None for acronyms)
    score: float
    method: str
    matched_text: str
    segment: int
    start: int  # first matched word in the segment
    length: int  # number of matched words
    note: str


def _whole(index: NameIndex, seg: Segment, si: int) -> list[Hit]:
    hits: list[Hit] = []
    folded: str | None = None
    for words in dict.fromkeys((seg.words, seg.core)):
        if not words:
            continue
        key = " ".join(words)
        entry_ids = index.by_key.get(key)
        spaced = entry_ids is not None
        if entry_ids is None:
            entry_ids = index.by_compact.get(key.replace(" ", ""), [])
        entry_ids = _numbers_agree(index, entry_ids, seg.raw)
        for entry_id in entry_ids:
            entry = index.entries[entry_id]
            if entry.generic:
                continue
            method = _METHOD_BY_KIND.get(entry.kind, "exact")
            if folded is None:
                folded = fold(seg.raw)
            if method == "exact" and entry.folded != folded:
                method = "normalised"
            score = {"exact": 1.0, "normalised": 0.98, "alias": 0.97}[method] - (
                0 if spaced else 0.02
            )
            note = f"'{seg.raw}' is the {entry.kind} name '{entry.text}'"
            hits.append(
                Hit(entry.candidate, entry_id, score, method, seg.raw, si, 0, len(words), note)
            )
        if hits:
            break
    if hits and _acronym_like(seg.raw):
        # An acronym that another record owns is weak evidence as an alias: ROR gives units
        # their parent's acronym as an alias ("INRAE" on an INRAE laboratory).
        owners = set(index.by_acronym.get(seg.raw.strip(), ()))
        if owners - {h.candidate for h in hits}:
            hits = [h for h in hits if h.method != "alias"]
    return hits


@lru_cache(maxsize=100_000)
def _numbers(text: str) -> frozenset[str]:
    """The numbers written in a text, without leading zeros ("Paris 02" → {"2"})."""
    return frozenset(str(int(w)) for w in fold(text).split() if w.isdigit() and len(w) < 10)


def _numbers_agree(index: NameIndex, entry_ids: list[int], raw: str) -> list[int]:
    """The entries whose numbers the text also has, the numbered ones first.

    Keys leave numbers out (postcodes, footnotes), so "37 Military Hospital" and "301 Military
    Hospital" share one; a name with a number is only that name when the text has it, and then
    it outranks the names without one ("Université Lyon 1" is Lyon 1, not Université de Lyon).
    """
    numbers = {e: _numbers(index.entries[e].text) for e in entry_ids}
    if not any(numbers.values()):
        return entry_ids
    written = _numbers(raw)
    agreeing = [e for e, own in numbers.items() if own and own <= written]
    return agreeing or [e for e, own in numbers.items() if not own]


def _acronym_like(raw: str) -> bool:
    """One short word in capitals ("INRAE", "CNRS"), as an acronym is written."""
    raw = raw.strip()
    return " " not in raw and 2 <= len(raw) <= 10 and raw.isupper()


def _contained(index: NameIndex, seg: Segment, si: int, units: bool = True) -> list[Hit]:
    """Names found inside the segment, not overlapping each other: names that start cleanly
    first (at the start, after "of"/"and" or a sub-unit word), then longest first.

    A name followed by "of"/"for" is taken only when what follows is itself a known name
    ("Shengjing Hospital of China Medical University"); otherwise it is the start of a longer,
    different name: "Nanjing University" inside "Nanjing University of Aeronautics and
    Astronautics" names another institution. With ``units``, a name followed directly by the
    name of its parent is taken too ("Xian Institute of Optics and Precision Mechanics Chinese
    Academy of Sciences"); without, as before issue 16, only the parent is.
    """
    words = seg.words
    spans: list[tuple[int, int, list[int]]] = []  # (start, length, usable entries)
    for n in range(min(len(words) - 1, index.max_words), 1, -1):
        for i in range(len(words) - n + 1):
            entry_ids = index.by_key.get(" ".join(words[i : i + n]))
            if entry_ids is None and n <= 4:
                entry_ids = index.by_compact.get("".join(words[i : i + n]))
            if entry_ids:
                entries = index.entries
                usable = [
                    e
                    for e in _numbers_agree(index, entry_ids, seg.raw)
                    if not (entries[e].generic or entries[e].weak)
                    and _distinctive(index, words[i : i + n])
                ]
                if usable:
                    spans.append((i, n, usable))
    starts = {i for i, _n, _u in spans}
    named_at: dict[int, set[int]] = {}  # start → the candidates a span starting there names
    for i, _n, usable in spans:
        named_at.setdefault(i, set()).update(index.entries[e].candidate for e in usable)

    def glued(i: int) -> bool:
        # A name glued to a preceding word that does not end a name ("Institute", "School")
        # and is not "of"/"and" may be part of a longer, unknown name ("Xi'an Shiyou
        # University"): weaker evidence, taken last, and not at all for two-word names.
        return i > 0 and (i - 1) not in seg.linked and words[i - 1] not in HEAD_WORDS

    spans.sort(key=lambda span: (glued(span[0]), -span[1], span[0]))
    taken = [False] * len(words)
    hits: list[Hit] = []
    for i, n, usable in spans:
        end = i + n - 1
        if any(taken[i : i + n]) or (end in seg.joined and end + 1 not in starts):
            continue
        if glued(i) and (n < 3 or not _glued_ok(index, words, i, n)):
            continue  # "Kuznetsov Naval Academy" is not "Naval Academy"
        parent_next = units and _parent_follows(index, usable, named_at.get(end + 1, set()))
        if _continues(index, seg, i, end, usable) and not parent_next:
            continue  # "Chinese Academy of Engineering" + "Physics" is another name
        if _runs_on(seg, end):  # the small words inside must agree too
            links = _span_links(seg, i, n)
            usable = [e for e in usable if _links_of(index.entries[e].text) == links]
            if not usable:
                continue  # "University North" is not inside "University of North Carolina"
        score = 0.9 if glued(i) else 0.95
        text = " ".join(words[i : i + n])
        for entry_id in usable:
            entry = index.entries[entry_id]
            method = "alias" if entry.kind == "alias" else "normalised"
            note = f"'{entry.text}' found inside '{seg.raw}'"
            hits.append(Hit(entry.candidate, entry_id, score, method, text, si, i, n, note))
        for k in range(i, i + n):
            taken[k] = True
    return hits


@lru_cache(maxsize=100_000)
def _links_of(name: str) -> frozenset[int]:
    """Positions of a name's content words that a stopword follows inside the name."""
    linked: set[int] = set()
    count = 0
    for word in tokens(name):
        if word in STOPWORDS:
            if count:
                linked.add(count - 1)
        else:
            count += 1
    return frozenset(k for k in linked if k < count - 1)


def _runs_on(seg: Segment, end: int) -> bool:
    """Whether words follow ``end`` with no clear boundary (a number, a sub-unit word)."""
    words = seg.words
    if end + 1 >= len(words) or end in seg.numbered:
        return False
    return not any(w in UNIT_WORDS for w in words[end + 1 : end + 3])


def _span_links(seg: Segment, start: int, length: int) -> frozenset[int]:
    """The same positions for the words ``start`` … ``start + length - 1`` of a segment."""
    return frozenset(k - start for k in seg.linked if start <= k < start + length - 1)


def _continues(index: NameIndex, seg: Segment, start: int, end: int, entry_ids: list[int]) -> bool:
    """True when the words right after a name found at ``end`` seem to carry the name on.

    Not when the name starts or ends with a head word ("University of Michigan", "Peking
    University"), when "of"/"and", a number (street number, postcode), the country, or a
    sub-unit word within two words follows ("… Medical School"), or when the next word is the
    record's own acronym ("Université libre de Bruxelles ULB").
    """
    words = seg.core
    if end + 1 >= len(words) or end in seg.linked or end in seg.numbered:
        return False
    if words[end] in HEAD_WORDS:
        return False
    if words[start] in HEAD_WORDS and words[start] not in UNIT_WORDS:  # not "State Key Lab …"
        return False
    if any(w in UNIT_WORDS for w in words[end + 1 : end + 3]):  # "… Medical School"
        return False
    following = words[end + 1]
    owners = index.by_acronym.get(following.upper(), ())
    return not any(index.entries[e].candidate in owners for e in entry_ids)


def _parent_follows(index: NameIndex, entry_ids: list[int], following: set[int]) -> bool:
    """Whether a name found right after these entries' words names a parent of one of them:
    "Xian Institute of Optics and Precision Mechanics Chinese Academy of Sciences" is the
    institute followed by its academy, not a longer name."""
    if not following:
        return False
    parents = {index.candidates[c].node_id for c in following}
    return any(
        parents.intersection(index.candidates[index.entries[e].candidate].parents)
        for e in entry_ids
    )


def _glued_ok(index: NameIndex, words: tuple[str, ...], start: int, length: int) -> bool:
    """A name glued to the word before it is weaker evidence: it needs a word that is rare
    among all names, whatever its length ("Fred Hutchinson Cancer Research Center" does not
    name a "Cancer Research Center"), and no qualifier before it ("National Tsing Hua")."""
    if words[start - 1] in QUALIFIERS:
        return False
    rare = (len(index.by_word.get(w, ())) <= COMMON_WORD_DF for w in words[start : start + length])
    return any(rare)


def _distinctive(index: NameIndex, words: tuple[str, ...] | list[str]) -> bool:
    """A word rare among all names: "Institute of Science", "Scientific Research Center" have
    none. Longer names may lean on a less rare word ("China Medical University")."""
    limit = COMMON_WORD_DF if len(words) < 3 else COMMON_WORD_DF_LONG
    return any(len(index.by_word.get(w, ())) <= limit for w in words)


def merged_hits(index: NameIndex, first: Segment, second: Segment, si: int) -> list[Hit]:
    """Names cut in two by a comma: "University of California, Berkeley", "IIT, Kharagpur"."""
    if len(second.words) > 3 or has_cjk(first.raw) or has_cjk(second.raw):
        return []
    keys = (first.words + second.words, first.words + second.core)
    if not any(" ".join(k) in index.by_key or "".join(k) in index.by_compact for k in keys if k):
        return []
    shift = len(first.words)
    merged = Segment(
        f"{first.raw}, {second.raw}",
        first.words + second.words,
        second.country,
        first.words + second.core,
        first.joined | {k + shift for k in second.joined},
        first.linked | {k + shift for k in second.linked},
        first.numbered | {k + shift for k in second.numbered},
    )
    return _whole(index, merged, si)


def _acronym(index: NameIndex, seg: Segment, si: int, cue: str | None) -> list[Hit]:
    raw = seg.raw.strip()
    if " " in raw or not (2 <= len(raw) <= 10) or not any(c.isupper() for c in raw[1:]):
        return []
    if len(raw) == 2 and si > 0:  # "MI", "NJ", "CA" after a name are state codes
        return []
    found = list(dict.fromkeys(index.by_acronym.get(raw, ())))
    if cue:
        found = [c for c in found if index.candidates[c].country in (cue, None)]
    curated = CURATED_ACRONYMS.get(raw)
    curated_idx = index.by_node.get(f"ror:{curated}") if curated else None
    if len(found) > 1 and curated_idx in found:
        found = [curated_idx]
    elif not found and curated_idx is not None and cue in (None, "CN"):
        found = [curated_idx]
    if len(found) != 1:
        return []
    cand = found[0]
    country = f" in {cue}" if cue else ""
    note = f"acronym '{raw}'{country} of '{index.candidates[cand].name}'"
    if cand == curated_idx:
        note += " (curated acronym table)"
    return [Hit(cand, None, 0.9, "acronym", raw, si, 0, 1, note)]


def spelled_out(acronym: str, seg: Segment) -> bool:
    """True when ``seg`` spells ``acronym`` out: its letters are the initials of consecutive
    words of the part ("Institute for Lung Health" before "(ILH)"). The acronym is then that
    name's own short form, not evidence for whichever record shares the letters."""
    letters = acronym.lower()
    initials = "".join(w[0] for w in seg.words if w)
    return len(letters) >= 2 and letters in initials


def _windows(words: list[str], seg: Segment) -> list[tuple[int, int]]:
    """Spans of the segment that could be a whole name: (start, length).

    A span starts at the beginning, after "of"/"and", or after a sub-unit head word; otherwise
    it would cut a longer name ("Jiaxing Center for …"). It ends at the end or before a sub-unit
    head word ("Xian Jiaotong University School"), never between a name and its "of …".
    """
    starts = [0] + [
        k + 1 for k in range(len(words) - 1) if k in seg.linked or words[k] in UNIT_WORDS
    ]
    ends = [len(words)] + [k for k in range(1, len(words)) if words[k] in UNIT_WORDS]
    spans = []
    for start in dict.fromkeys(starts):
        for end in dict.fromkeys(ends):
            if end > start and not ((end - 1) in seg.joined and end < len(words)):
                spans.append((start, end - start))
    return spans[:12]


def _fuzzy(index: NameIndex, seg: Segment, si: int) -> list[Hit]:
    """Close spellings of names sharing rare words with the segment (rapidfuzz, short list)."""
    words = list(seg.core or seg.words)
    # Sub-unit parts ("Department of …", "Key Laboratory of …") are credited to the institution
    # named after them; a near-miss spelling of one is not worth the risk or the time.
    if len(words) < 2 or words[0] in UNIT_WORDS or sum(len(w) for w in words) < 8:
        return []
    if ADDRESS_WORDS.intersection(words):  # "Guangdong Province", "Xueyuan Road"
        return []
    blocks = index.block(words)
    if not blocks:
        return []
    cutoff = (FUZZY_MIN_RATIO - FUZZY_MARGIN) * 100
    best: dict[int, tuple[float, int, int]] = {}
    for i, n in _windows(words, seg):
        text = " ".join(words[i : i + n])
        for word in blocks:
            entry_ids = index.by_word[word]
            for _key, ratio, pos in process.extract(
                text, index.keys_by_word[word], scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
            ):
                entry_id = entry_ids[pos]
                if ratio / 100 > best.get(entry_id, (0.0, 0, 0))[0]:
                    best[entry_id] = (ratio / 100, i, n)
    scored = [(r, e, i, n) for e, (r, i, n) in best.items()]
    if not scored:
        return []
    scored.sort(key=lambda item: -item[0])
    top_ratio, top_entry, start, n = scored[0]
    top_cand = index.entries[top_entry].candidate
    runner_up = max(
        (r for r, e, _s, _n in scored if index.entries[e].candidate != top_cand), default=0.0
    )
    if top_ratio < FUZZY_MIN_RATIO or top_ratio - runner_up < FUZZY_MARGIN:
        return []
    coverage = n / len(words)
    window = words[start : start + n]
    name_words = index.entries[top_entry].key.split()
    # Short words (codes, initials: "BC", "II") tell institutions apart; they must agree.
    if {w for w in name_words if len(w) <= 3} != {w for w in window if len(w) <= 3}:
        return []
    if not _misspelt(window, name_words) or not _numbers_agree(index, [top_entry], seg.raw):
        return []
    if coverage < 0.5:
        return []
    score = round(0.75 + 0.2 * top_ratio * (0.5 + 0.5 * coverage), 4)
    entry = index.entries[top_entry]
    text = " ".join(words[start : start + n])
    note = f"'{text}' is close to '{entry.text}' (similarity {top_ratio:.2f})"
    return [Hit(top_cand, top_entry, score, "fuzzy", text, si, start, n, note)]


def _misspelt(written: list[str], name: list[str]) -> bool:
    """Whether the words that differ look like misspellings of each other, not other words.

    Where words were replaced, each written word missing from the name must be close (ratio
    of at least ``MISSPELT_WORD_RATIO``) to a name word, or to two adjacent name words run
    together ("Jiatong" / "Jiao Tong"), and no qualifier may differ: "Shangrao Normal
    University" is not "Shanghai Normal University", nor "Southeast Missouri State"
    "Southwest Missouri State". Translations are not misspellings ("Napoli" / "Naples").
    """
    missing = [w for w in written if w not in name]
    extra = [w for w in name if w not in written]
    if QUALIFIERS.intersection(missing) or QUALIFIERS.intersection(extra):
        return False
    if not (missing and extra):  # words added or left out ("GmbH", "Berlin"), none replaced
        return True
    pieces = extra + ["".join(extra[k : k + 2]) for k in range(len(extra) - 1)]
    joined = ["".join(missing[k : k + 2]) for k in range(len(missing) - 1)]
    for word in missing:
        if any(fuzz.ratio(word, piece) >= MISSPELT_WORD_RATIO for piece in pieces):
            continue
        if any(
            word in pair and fuzz.ratio(pair, p) >= MISSPELT_WORD_RATIO
            for pair in joined
            for p in pieces
        ):
            continue  # "Jiao Tong" written for "Jiaotong"
        return False
    return True


def _cjk(index: NameIndex, seg: Segment, si: int) -> list[Hit]:
    """Chinese: the whole part, else the longest known name inside it."""
    text = seg.words[0].replace(" ", "")
    for size in sorted((n for n in index.cjk_lengths if n <= len(text)), reverse=True):
        for i in range(len(text) - size + 1):
            piece = text[i : i + size]
            entry_ids = index.by_key.get(piece)
            if not entry_ids:
                continue
            hits = []
            for entry_id in entry_ids:
                entry = index.entries[entry_id]
                whole = size == len(text)
                note = f"Chinese name '{entry.text}'" + ("" if whole else f" inside '{seg.raw}'")
                score = 1.0 if whole else 0.95
                hits.append(
                    Hit(entry.candidate, entry_id, score, "exact", piece, si, i, size, note)
                )
            return hits
    return []


def segment_hits(
    index: NameIndex, seg: Segment, si: int, cue: str | None, *, units: bool = True
) -> list[Hit]:
    """Every piece of evidence one segment gives, strongest kinds first (``units``: see
    ``_contained``)."""
    if has_cjk(seg.raw):
        return _cjk(index, seg, si)
    hits = _whole(index, seg, si)
    if hits:
        return hits
    hits = _acronym(index, seg, si, cue)
    if hits:
        return hits
    hits = _contained(index, seg, si, units)
    covered = max((h.length for h in hits), default=0)
    if covered < len(seg.core or seg.words):
        hits += [h for h in _fuzzy(index, seg, si) if h.length > covered]
    return hits
