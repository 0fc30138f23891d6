"""Unit recall: of the gold rows whose string names a unit with a ROR record of its own, the share
where a strategy returns that unit.

The rule that says a row names a unit (written before measuring, the same for every strategy):

1. A **unit** is a ROR record with at least one ``parent`` relationship.
2. The string **names** the unit when one of the unit's names, labels or aliases appears in it
   as whole words, once both are reduced to their content words (case, accents, punctuation,
   little words such as "of"/"for" and bare numbers left out, abbreviations spelled out:
   ``normalise.tokens``), and that place is not inside a longer name of another unit found in
   the string ("Institute of Botany" is not named by "Kunming Institute of Botany"). Names of
   one word are left out (too often another body's word: "Inserm", "Physics"), and so are
   acronyms: "IOP" or "ICT" written alone does not say which institute is meant. Chinese
   names count as a plain substring.
3. The unit is the **gold record or lies below it**: the gold record is the unit itself or one
   of its ancestors through ROR parent links. (The publisher asserted the unit, or the
   institution it belongs to.) Rows with no gold record (NP) name no unit.
4. Of the units a row names, the expected answer is the deepest: the one whose parent chain
   holds all the others ("Shenzhen Institute of Synthetic Biology, Shenzhen Institutes of
   Advanced Technology, Chinese Academy of Sciences" → the first). A row whose named units
   branch (two institutes of one academy, two parents of one lab named apart) has no single
   expected unit: it is counted apart (``branching``) and left out of unit recall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from collabgraph.ingest.resolution.normalise import STOPWORDS, has_cjk, tokens

from .resolution_unseen import FalsePositiveKinds

__all__ = ["NamedUnits"]


class NamedUnits:
    """Which unit, if any, a gold row's string names (the rule in the module docstring).

    Reads the records and their parent links through ``kinds``, the benchmark's sorter of
    false positives, so the ROR dump is parsed once.
    """

    def __init__(self, kinds: FalsePositiveKinds) -> None:
        self.kinds = kinds
        self.records = kinds.records
        self._children: dict[str, list[str]] = defaultdict(list)
        for record in self.records.values():
            for parent in record.parents:
                self._children[parent].append(record.ror_id)
        self._names: dict[str, tuple[str, ...]] = {}

    def below(self, ror_id: str) -> set[str]:
        """``ror_id`` and every record under it."""
        found = {ror_id}
        todo = [ror_id]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def names(self, ror_id: str) -> tuple[tuple[str, ...], ...]:
        """The content words of the names that count as naming the record (rule 2)."""
        known = self._names.get(ror_id)
        if known is None:
            record = self.records[ror_id]
            texts = (record.name, *(t for t, _lang in record.labels), *record.aliases)
            words = {_content(t) for t in texts}
            known = tuple(w for w in words if len(w) > 1 or (w and has_cjk(w[0])))
            self._names[ror_id] = known
        return known

    def places(self, ror_id: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
        """Where the record's names occur in ``words`` (content words of a string), as
        (start, end) word positions; a Chinese name occupies the whole string's one "word"."""
        out = []
        for name in self.names(ror_id):
            if has_cjk(name[0]):
                compact = "".join(words)
                out += [(0, len(words))] if "".join(name) in compact else []
                continue
            size = len(name)
            out += [
                (i, i + size) for i in range(len(words) - size + 1) if words[i : i + size] == name
            ]
        return out

    def units_named(self, text: str, gold_ids: Iterable[str]) -> set[str]:
        """The units at or below a gold record that ``text`` names (rules 1 to 3)."""
        words = _content(text)
        candidates = {u for g in gold_ids if g in self.records for u in self.below(g)}
        found = {u: self.places(u, words) for u in candidates if self.records[u].parents}
        found = {u: spans for u, spans in found.items() if spans}
        every = [(u, span) for u, spans in found.items() for span in spans]

        def inside_another(u: str, span: tuple[int, int]) -> bool:
            start, end = span
            return any(
                v != u and s <= start and end <= e and e - s > end - start for v, (s, e) in every
            )

        return {u for u, spans in found.items() if not all(inside_another(u, x) for x in spans)}

    def deepest_named(self, text: str, gold_ids: Iterable[str]) -> frozenset[str]:
        """The named units with no other named unit below them (rule 4): none, the expected
        unit (the others are then all above it), or several when the named units branch."""
        units = self.units_named(text, gold_ids)
        above = {u: self.kinds.ancestors(u) for u in units}
        return frozenset(u for u in units if not any(u in above[v] for v in units - {u}))


def _content(text: str) -> tuple[str, ...]:
    """The content words of a text (``normalise.tokens`` without the little words)."""
    return tuple(w for w in tokens(text) if w not in STOPWORDS)
