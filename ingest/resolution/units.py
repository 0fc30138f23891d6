"""Evidence for units only: names that identify a record when, and only when, the institution
it belongs to is named too.

The general matcher refuses these (``matching``): a bare sub-unit name such as "Center for Life
Sciences" names hundreds of bodies, and "Shanghai Medical College, Fudan University" reads as
two parts. Once the resolver has chosen the institution a string belongs to (the anchor), they
can only mean that institution's unit of that name, so they count as evidence for units of the
anchor, never for anything else.
"""

from __future__ import annotations

from .hierarchy import Hierarchy
from .index import NameIndex
from .matching import Hit, merged_hits
from .normalise import Segment

__all__ = ["unit_hits"]

UNIT_ONLY_SCORE = 0.9


def unit_hits(index: NameIndex, tree: Hierarchy, anchor: int, segs: list[Segment]) -> list[Hit]:
    """Hits for units of ``anchor`` that only the anchor's presence makes evidence."""
    return _bare_names(index, tree, anchor, segs) + _over_a_comma(index, tree, anchor, segs)


def _bare_names(index: NameIndex, tree: Hierarchy, anchor: int, segs: list[Segment]) -> list[Hit]:
    """A part that is a bare unit name ("Center for Life Sciences, Peking University"), or one
    led only by words of the unit's parents' names ("Peking-Tsinghua Center for Life
    Sciences": the centre's parents are Peking University and Tsinghua University)."""
    parent = index.candidates[anchor].name
    out: list[Hit] = []
    for si, seg in enumerate(segs):
        for words in dict.fromkeys((seg.words, seg.core)):
            for start in range(len(words) - 1):
                for entry_id in index.by_key.get(" ".join(words[start:]), ()):
                    entry = index.entries[entry_id]
                    if not entry.generic or anchor not in tree.ancestors(entry.candidate):
                        continue
                    if not set(words[:start]) <= _parent_words(index, tree, entry.candidate):
                        continue
                    note = f"'{entry.text}' (the {entry.kind} name of a unit of '{parent}') "
                    note += f"is '{seg.raw}'" if start == 0 else f"ends '{seg.raw}'"
                    length = len(words) - start
                    hit = Hit(entry.candidate, entry_id, UNIT_ONLY_SCORE, "normalised",
                              seg.raw, si, start, length, note)  # fmt: skip
                    out.append(hit)
    return out


def _parent_words(index: NameIndex, tree: Hierarchy, candidate: int) -> set[str]:
    """The words of every name of the records ``candidate`` is directly part of."""
    return {
        word
        for parent in tree.parents(candidate)
        for entry in index.names_of(parent)
        for word in entry.key.split()
    }


def _over_a_comma(index: NameIndex, tree: Hierarchy, anchor: int, segs: list[Segment]) -> list[Hit]:
    """A unit's name cut by a comma before its parent's name ("Shanghai Medical College, Fudan
    University" for "Shanghai Medical College of Fudan University"). The hit covers the first
    part only: the second is the parent's own name."""
    out: list[Hit] = []
    for si in range(len(segs) - 1):
        for hit in merged_hits(index, segs[si], segs[si + 1], si + 1):
            if anchor not in tree.ancestors(hit.candidate):
                continue
            note = f"{hit.note}, its parent's name after a comma"
            length = len(segs[si].words)
            out.append(hit._replace(segment=si, start=0, length=length, note=note))
    return out
