"""The organisation tree as the resolver sees it: each candidate's parents, theirs, and so on.

Candidates name their parents (ROR ``parent`` relationships; in a store, ``PART_OF``). The
resolver uses the tree to settle ties ("Institute of Physics, Chinese Academy of Sciences"), to
credit the most specific unit a string names, and to report the chain above the record it
credits. Parents that are not candidates (withdrawn records, nodes missing from a store) end
the chain; cycles are cut.
"""

from __future__ import annotations

from collections.abc import Iterable

from .index import NameIndex

__all__ = ["Hierarchy"]


class Hierarchy:
    """Parent links between the candidates of one :class:`NameIndex`, with cached ancestors."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._up: dict[int, frozenset[int]] = {}
        self._with_units: frozenset[int] | None = None

    def clear(self) -> None:
        """Forget cached ancestors (after candidates were added)."""
        self._up.clear()
        self._with_units = None

    def has_units(self, candidate: int) -> bool:
        """Whether any candidate is part of ``candidate`` (most institutions have no units)."""
        if self._with_units is None:
            self._with_units = frozenset(
                parent for c in range(len(self.index.candidates)) for parent in self.parents(c)
            )
        return candidate in self._with_units

    def parents(self, candidate: int) -> list[int]:
        """The candidates ``candidate`` is directly part of, in the record's order."""
        out: list[int] = []
        for parent in self.index.candidates[candidate].parents:
            idx = self.index.by_node.get(parent)
            if idx is not None and idx != candidate and idx not in out:
                out.append(idx)
        return out

    def ancestors(self, candidate: int) -> frozenset[int]:
        """Every candidate above ``candidate``, at any level."""
        known = self._up.get(candidate)
        if known is None:
            known = frozenset(c for level in self.levels(candidate) for c in level)
            self._up[candidate] = known
        return known

    def levels(self, candidate: int) -> list[list[int]]:
        """The candidates above ``candidate`` level by level, nearest first, each once."""
        seen = {candidate}
        out: list[list[int]] = []
        level = [candidate]
        while level:
            above = []
            for member in level:
                for parent in self.parents(member):
                    if parent not in seen:
                        seen.add(parent)
                        above.append(parent)
            if above:
                out.append(above)
            level = above
        return out

    def deepest(self, candidates: Iterable[int]) -> int | None:
        """The one candidate below all the others given, or None when they branch.

        {institute, academy} gives the institute; two sibling institutes give None: neither
        is part of the other, so neither is "the" unit.
        """
        found = set(candidates)
        below = [c for c in found if found - {c} <= self.ancestors(c)]
        return below[0] if len(below) == 1 else None
