"""Sides of a collaboration: a country, or an institution with every unit PART_OF it.

``indicators`` and ``report`` compare a *home* side with a *partner* side. An option value
names a side: an ISO 3166-1 code or English country name (graph/countries.py), else an
institution id (ROR URLs accepted) or name (queries/find.py). An institution side holds the
institution and every unit PART_OF it at any depth, so a university's office sees its own
faculties and institutes.

>>> parse_side(store, "Ghent University").units   # doctest: +SKIP
frozenset({'ror:00cv9y106', 'ror:...'})
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.countries import UnknownCountry, close_countries, country_code
from collabgraph.graph.errors import CollabgraphError, NodeNotFound

from .find import find_node

SideKind = Literal["country", "institution"]


class UnknownSide(CollabgraphError, ValueError):
    """An option value that names no country and no institution of the graph."""


@dataclass(frozen=True)
class Side:
    """A country (``key`` its code) or an institution subtree (``key`` the root's id,
    ``units`` the root and everything PART_OF it)."""

    scope: SideKind
    key: str  # the country code, or the root institution's id
    name: str
    units: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # of the units (the country itself for a country)

    @property
    def is_institution(self) -> bool:
        """Whether the side is an institution subtree (else a country)."""
        return self.scope == "institution"

    @property
    def label(self) -> str:
        """The side as one short phrase: ``BE`` or ``KU Leuven (ror:05f950310)``."""
        return f"{self.name} ({self.key})" if self.is_institution else self.key

    def holds(self, institution: str, country: str | None) -> bool:
        """Whether an institution (with its country) belongs to this side."""
        return institution in self.units if self.is_institution else country == self.key

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.scope,
            "id": self.key,
            "name": self.name,
            "units": len(self.units) if self.is_institution else None,
        }


def country_side(code: str) -> Side:
    """The side of one country, from its code or English name."""
    found = country_code(code)
    return Side("country", found, found, countries=frozenset({found}))


def parse_side(store: Store, text: str | Side) -> Side:
    """The side ``text`` names: a country first, else an institution (id or name).

    Raises :class:`UnknownSide` naming what was tried, the closest names or the candidates.
    """
    if isinstance(text, Side):
        return text
    value = text.strip()
    if not value:
        raise UnknownSide("empty side: give a country (BE, Belgium) or an institution")
    try:
        return country_side(value)
    except UnknownCountry:
        pass
    try:
        node = find_node(store, value, labels=["Institution"])
    except NodeNotFound as exc:
        close = ", ".join(str(c) for c in close_countries(value))
        hint = f"; close countries: {close}" if close else ""
        raise UnknownSide(
            f"{value!r} is neither a country nor an institution: {exc}{hint}"
        ) from None
    return institution_side(store.view(), node.id)


def institution_side(view: GraphView, root: str) -> Side:
    """The institution ``root`` with every unit PART_OF it, at any depth (cycles are safe)."""
    units = subtree(view, [root])
    nodes = view.get_nodes(units)
    node = nodes.get(root)
    name = str(node.props.get("name") or root) if node is not None else root
    countries = {c for n in nodes.values() if isinstance(c := n.props.get("country"), str)}
    return Side("institution", root, name, frozenset(units), frozenset(countries))


def subtree(view: GraphView, roots: Iterable[str]) -> set[str]:
    """``roots`` and every institution PART_OF one of them, at any depth."""
    seen = set(roots)
    frontier: Collection[str] = set(seen)
    while frontier:
        found = view.links(frontier, "PART_OF", "in")
        frontier = {r.start for rels in found.values() for r in rels} - seen
        seen |= frontier
    return seen


def side_researchers(store: Store, side: Side) -> set[str]:
    """Researchers AFFILIATED_WITH an institution of ``side`` (any affiliation, any year)."""
    view = store.view()
    if side.is_institution:
        places: Collection[str] = side.units
    else:
        places = {
            n.id for n in view.iter_nodes("Institution") if side.holds(n.id, n.props.get("country"))
        }
    found = view.links(places, "AFFILIATED_WITH", "in")
    return {r.start for rels in found.values() for r in rels}


def side_phrase(side: Side) -> str:
    """``a BE institution`` or ``an institution of NAME (ID) or of a unit PART_OF it``."""
    if not side.is_institution:
        return f"a {side.key} institution"
    return f"an institution of {side.label} or of a unit PART_OF it"
