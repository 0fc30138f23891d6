"""The compiled tagger (one regex scan per text) gives exactly the answers of the term-by-term one.

``reference_match_paper`` below is the REFERENCE: the tagger as it was before the compiled
matcher (collabgraph ingest/technologies.py at commit b3a226d), cut down to its matching and
scoring. It tests every term against every text, word by word. It is kept here only to prove
the fast ``match_paper`` equal to it, tags, scores and evidence alike.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collabgraph.ingest.openalex import work_records
from collabgraph.ingest.pipeline import Provenance
from collabgraph.ingest.sources import InputError
from collabgraph.ingest.synthetic import CorpusGenerator
from collabgraph.ingest.technologies import (
    FIELDS,
    Matcher,
    Tag,
    Tagger,
    Term,
    Vocabulary,
    match_paper,
    paper_fields,
    technology_id,
    tokens,
)

from .helpers import data

# -- the reference (the old algorithm) ---------------------------------------------------------

_REF_WORD = re.compile(r"[a-z0-9]+")


def reference_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _REF_WORD.findall(plain)


class _ReferenceText:
    """Tokens with a word → positions index; ``contains`` tests one term (old ``_Text``)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.positions: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            self.positions.setdefault(word, []).append(i)

    def contains(self, term: Term) -> bool:
        n = len(term.words)
        if n == 1 and term.prefix:
            return any(w.startswith(term.words[0]) for w in self.positions)
        for i in self.positions.get(term.words[0], []):
            got = self.words[i : i + n]
            if len(got) == n and list(term.words[:-1]) == got[:-1]:
                last = got[-1]
                if last.startswith(term.words[-1]) if term.prefix else last == term.words[-1]:
                    return True
        return False


def reference_match_paper(vocab: Vocabulary, fields: dict[str, list[str]]) -> list[Tag]:
    texts = {f: [_ReferenceText(reference_tokens(t)) for t in fields.get(f, [])] for f in FIELDS}
    tags: list[Tag] = []
    for code, terms in vocab.terms.items():
        hits = {
            (term.text, field)
            for term in terms
            for field, field_texts in texts.items()
            if any(text.contains(term) for text in field_texts)
        }
        if not hits:
            continue
        miss = 1.0
        for _, field in hits:
            miss *= 1.0 - vocab.weights[field]
        score = round(1.0 - miss, 3)
        if score >= vocab.threshold:
            matched_fields = [f for f in FIELDS if any(h[1] == f for h in hits)]
            tags.append(Tag(code, score, sorted({t for t, _ in hits}), matched_fields))
    return tags


# -- inputs ----------------------------------------------------------------------------------

VOCAB = Vocabulary.load()


def _assert_same(vocab: Vocabulary, fields: dict[str, list[str]]) -> list[Tag]:
    got, want = match_paper(vocab, fields), reference_match_paper(vocab, fields)
    assert got == want, fields
    return got


def _generated(works: int, seed: int) -> Iterator[dict[str, list[str]]]:
    prov = Provenance("synthetic", "2026-01-01")
    for work in CorpusGenerator(works, seed):
        yield paper_fields(work_records(work, prov, "test")[0])


# A vocabulary whose terms nest and overlap in every way the matcher must untangle: the same
# key as exact and prefix term, two spellings with the same words, a term inside another,
# one term's last word a prefix of another's, and a term listed under two codes.
NESTED_TERMS = {
    "a": ["ab*", "abc", "abc*", "ab", "ab-cd", "ab cd*", "ab cd ef", "abcd*"],
    "b": ["cd", "cd ef*", "b c", "x9*", "ab cd*"],
    "c": ["ef", "e*", "q"],
}
NESTED_WORDS = [
    "ab",
    "abc",
    "abcd",
    "abcde",
    "b",
    "c",
    "cd",
    "cde",
    "ef",
    "efg",
    "e",
    "x9",
    "x",
    "q",
]


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    lines = [
        'version = "test"',
        "[scoring]",
        "threshold = 0.5",
        "weights = { title = 0.8, keywords = 0.7, topics = 0.6, abstract = 0.3 }",
    ]
    for code, terms in NESTED_TERMS.items():
        lines += [f'[tech."{code}"]', f"terms = {json.dumps(terms)}"]
    path = tmp_path_factory.mktemp("vocab") / "nested.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Vocabulary.load(path)


# -- equality ---------------------------------------------------------------------------------


def test_hand_labelled_titles_tag_as_before() -> None:
    rows = [json.loads(x) for x in data("tagger_gold.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == 138
    tagged = 0
    for row in rows:
        tagged += bool(_assert_same(VOCAB, {"title": [row["title"]]}))
        # The same text in the other fields (abstract: weaker weight, so other thresholds).
        _assert_same(VOCAB, {f: [row["title"]] for f in FIELDS})
        _assert_same(VOCAB, {"abstract": [row["title"]]})
    assert tagged >= 40, tagged  # the comparison covers many tagged titles, not only misses


def test_generated_works_tag_as_before() -> None:
    tags = 0
    for fields in _generated(600, 7):
        tags += len(_assert_same(VOCAB, fields))
    assert tags >= 200, tags


def test_tagger_evidence_is_unchanged() -> None:
    tagger = Tagger(VOCAB, {code: technology_id(code) for code in VOCAB.terms})
    prov = Provenance("synthetic", "2026-01-01")
    for work in CorpusGenerator(200, 11):
        paper = work_records(work, prov, "test")[0]
        got = [(r.end, r.props) for r in tagger.tag(paper)]
        want = [
            (
                technology_id(t.code),
                tagger.prov.stamp(
                    {
                        "matched_terms": t.matched_terms,
                        "matched_fields": t.matched_fields,
                        "score": t.score,
                        "method": f"vocabulary {VOCAB.version}",
                    },
                    paper.id,
                ),
            )
            for t in reference_match_paper(VOCAB, paper_fields(paper))
        ]
        assert got == want, paper.id


ADVERSARIAL = [
    "",
    "   ",
    "CMOS",
    "cmos.",
    "(CMOS)",
    "nmosfet-based CMOS",
    "cmosfet",  # not "cmos" (whole word), but no prefix term either
    "Robotic arms and robots; a robust estimator",
    "robot",
    "ROBOT*",
    "5G and 6G-enabled, 25G is not 5G",
    "5g5g 5g-5g",
    "gene-drive, gene drive, gene–drive, gene — drives, genedrive",
    "light-emitting diodes and light emitting diode arrays",
    "block ciphers versus ciphers",
    "quantum dots quantum computing quantum computers quantum",
    "quantum\ndots",
    "remote sensing",
    "Remote-Sensing",
    "cyber-security cyber security cybersecurity",
    "Metasurface",
    "Métasurface optoélectronique",
    "ＣＭＯＳ ｔｒａｎｓｉｓｔｏｒｓ",  # fullwidth letters: NFKD makes them ASCII
    "ﬁber laser",  # the "ﬁ" ligature
    "ﬁbre lasers",
    "cmosø cmosß øcmos straße",
    "Ωmega κρυπτογραφία cmos",
    "量子 cmos 计算 photonic晶体",
    "wafer",
    "waferscale wafer-scale",
    "high-k high k highk",
    "system-on-chip system on chip system-on-chips",
    "3D printed 3D-printing 3d printers",
    "end with a term: deep learning",
    "deep learning: a term at the start",
    "deep  \t learning across whitespace",
    "deep_learning",  # "_" splits tokens too
    "deep learning'",
    "İSTANBUL quantum KEY distribution",
    "supercomput supercomputers SUPERCOMPUTING",
    "machine learning machine learning machine learning",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_adversarial_strings_tag_as_before(text: str) -> None:
    _assert_same(VOCAB, {"title": [text]})
    _assert_same(VOCAB, {"abstract": [text, text[::-1]], "keywords": [text, "radar"]})
    assert tokens(text) == reference_tokens(text)


def test_a_term_never_spans_two_texts_of_a_field() -> None:
    assert not match_paper(VOCAB, {"keywords": ["deep", "learning"]})
    assert match_paper(VOCAB, {"keywords": ["deep", "deep learning"]})
    _assert_same(VOCAB, {"keywords": ["quantum", "dots"], "topics": ["block", "cipher"]})


def test_nested_terms_tag_as_before(nested: Vocabulary) -> None:
    for i, first in enumerate(NESTED_WORDS):
        for second in NESTED_WORDS[i:]:
            for sep in (" ", "-", ""):
                _assert_same(nested, {"title": [first + sep + second]})
                _assert_same(nested, {"abstract": [f"{first}{sep}{second} {first}"]})
    tags = match_paper(nested, {"title": ["ab cd ef"]})
    assert {t.code: t.matched_terms for t in tags} == {
        "a": ["ab", "ab cd ef", "ab cd*", "ab*", "ab-cd"],
        "b": ["ab cd*", "cd", "cd ef*"],
        "c": ["e*", "ef"],
    }


_PIECES = st.sampled_from(
    [*NESTED_WORDS, "deep", "learning", "quantum", "dot", "dots", "gene", "drive", "5g", "cmos"]
)
_SEPARATORS = st.sampled_from([" ", "  ", "-", "–", "", ".", "\n", "é", "ø", "_", "ﬁ", "ß", "İ"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=8),
    st.sampled_from(FIELDS),
)
def test_random_texts_tag_as_before(
    nested: Vocabulary, parts: list[tuple[str, str]], field: str
) -> None:
    text = "".join(p + s for p, s in parts)
    _assert_same(nested, {field: [text]})
    _assert_same(VOCAB, {field: [text]})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_text_tags_as_before(text: str) -> None:
    _assert_same(VOCAB, {"title": [text + " cmos " + text]})
    assert tokens(text) == reference_tokens(text)


def test_a_changed_vocabulary_file_gets_its_own_matcher(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(
        'version = "x"\n[scoring]\nthreshold = 0.5\n'
        "weights = { title = 0.8, keywords = 0.7, topics = 0.6, abstract = 0.3 }\n"
        '[tech."9"]\nterms = ["robust*"]\n',
        encoding="utf-8",
    )
    mine = Vocabulary.load(path)
    assert [t.code for t in match_paper(mine, {"title": ["A robust estimator"]})] == ["9"]
    assert not match_paper(VOCAB, {"title": ["A robust estimator"]})


def _vocabulary_file(tmp_path: Path, techs: str) -> Path:
    path = tmp_path / "v.toml"
    path.write_text(
        'version = "x"\n[scoring]\nthreshold = 0.5\n'
        "weights = { title = 0.8, keywords = 0.7, topics = 0.6, abstract = 0.3 }\n" + techs,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("terms", ['""', '"drone swarm"', "[]", "[1, 2]"])
def test_terms_that_are_not_a_list_of_strings_are_refused(tmp_path: Path, terms: str) -> None:
    # Found by fuzzing: terms = "" crashed the matcher; a bare string was read letter by letter.
    path = _vocabulary_file(tmp_path, f'[tech."3"]\nterms = {terms}\n')
    with pytest.raises(InputError, match=r"v\.toml: .*tech\.3\.terms: must be a non-empty list"):
        Vocabulary.load(path)


def test_a_vocabulary_without_technologies_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"v\.toml: .*lists no technologies"):
        Vocabulary.load(_vocabulary_file(tmp_path, "[tech]\n"))


def test_a_matcher_without_terms_matches_nothing() -> None:
    # An empty trie compiles to an empty pattern, which would match at every word start.
    assert Matcher({}).find(["drone swarm", "anything at all"]) == set()
    assert Matcher({"3": []}).find(["drone swarm"]) == set()
