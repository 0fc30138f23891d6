"""risk_lists: the risk lists a store holds, and choosing some of them by name.

A ``--lists`` value picks every list whose id, name or source is that value (case
insensitive), or whose name contains it as a whole word or words: ``aspi`` picks the ASPI
tracker, ``1286`` every fiscal year of the Section 1286 list, ``FY2023`` one of them. A value
that picks nothing is refused with the lists the store holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from collabgraph.graph.contract import GraphView
from collabgraph.graph.errors import BadInput
from collabgraph.graph.records import Node


@dataclass(frozen=True)
class RiskListInfo:
    """A list and the version of it the store holds."""

    id: str
    name: str
    as_of: str | None
    source: str | None
    source_version: str | None
    publisher: str | None
    url: str | None
    licence: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def all_lists(view: GraphView) -> list[RiskListInfo]:
    """Every RiskList node, by name then id."""
    found = [_info(node) for node in view.iter_nodes("RiskList")]
    return sorted(found, key=lambda x: (x.name.casefold(), x.id))


def select_lists(view: GraphView, wanted: Sequence[str] | None) -> list[RiskListInfo]:
    """The lists ``wanted`` names (all of them when None or empty); see the module docstring."""
    held = all_lists(view)
    if not wanted:
        return held
    chosen: dict[str, RiskListInfo] = {}
    for value in wanted:
        hits = [x for x in held if _picks(value, x)]
        if not hits:
            names = "; ".join(x.name for x in held) or "none"
            raise BadInput(f"--lists {value!r}: no risk list in the store matches; lists: {names}")
        chosen.update((x.id, x) for x in hits)
    return [x for x in held if x.id in chosen]


def _picks(value: str, info: RiskListInfo) -> bool:
    key = " ".join(value.casefold().split())
    if not key:
        return False
    exact = {info.id.casefold(), info.name.casefold(), (info.source or "").casefold()}
    if key in exact:
        return True
    pattern = r"(?<![0-9a-z])" + re.escape(key) + r"(?![0-9a-z])"
    return re.search(pattern, info.name.casefold()) is not None


def _info(node: Node) -> RiskListInfo:
    p = node.props

    def text(key: str) -> str | None:
        value = p.get(key)
        return str(value) if value not in (None, "") else None

    return RiskListInfo(
        id=node.id,
        name=text("name") or node.id,
        as_of=text("as_of"),
        source=text("source"),
        source_version=text("source_version"),
        publisher=text("publisher"),
        url=text("url"),
        licence=text("licence"),
    )
