"""paths_to_risk reads PART_OF by direction (issue 16), the same on both stores.

Up (a unit to its listed parent) is a finding; down (a parent to its listed unit) and sideways
(through a shared parent to a listed sibling) are context, listed after the findings; two
steps down are no path at all.
"""

from __future__ import annotations

from typing import Any

from collabgraph.graph.records import Node, Relationship
from collabgraph.queries.paths import paths_to_risk

from ..factories import load, prov
from .graph import affiliated, authored, inst, paper, researcher


def _part_of(unit: str, parent: str) -> Relationship:
    return Relationship("PART_OF", unit, parent, prov(method="ror"))


def _listed(iid: str) -> Relationship:
    return Relationship("LISTED_ON", iid, "list:dod", prov(tier="high", fiscal_year=2023))


def _graph() -> tuple[list[Node], list[Relationship]]:
    nodes = [
        Node("RiskList", "list:dod", prov(name="US DoD Section 1286 list")),
        researcher("r:us", "Our Researcher"),
        inst("i:home", "Home University", "BE"),
        # up: Up Lab is PART_OF the listed Up University
        inst("i:uplab", "Up Lab", "CN"),
        inst("i:upuni", "Up University", "CN", tier="high"),
        researcher("r:up", "Up Person"),
        # down: Academy is not listed, its Institute is
        inst("i:academy", "Academy", "CN"),
        inst("i:institute", "Listed Institute", "CN", tier="high"),
        researcher("r:down", "Academy Person"),
        # sideways: Sibling A and listed Sibling B under one unlisted parent
        inst("i:parent", "Parent University", "CN"),
        inst("i:sib_a", "Sibling A", "CN"),
        inst("i:sib_b", "Listed Sibling B", "CN", tier="high"),
        researcher("r:side", "Sibling Person"),
        # two steps down: Big Academy > Branch > listed Deep Lab
        inst("i:big", "Big Academy", "CN"),
        inst("i:branch", "Branch", "CN"),
        inst("i:deep", "Deep Lab", "CN", tier="high"),
        researcher("r:deep", "Big Academy Person"),
    ]
    rels = [
        affiliated("r:us", "i:home", [(f"p:W{n}", 2022) for n in range(4)]),
        _part_of("i:uplab", "i:upuni"),
        _part_of("i:institute", "i:academy"),
        _part_of("i:sib_a", "i:parent"),
        _part_of("i:sib_b", "i:parent"),
        _part_of("i:branch", "i:big"),
        _part_of("i:deep", "i:branch"),
        *(_listed(i) for i in ("i:upuni", "i:institute", "i:sib_b", "i:deep")),
    ]
    for n, (person, place) in enumerate(
        [("r:up", "i:uplab"), ("r:down", "i:academy"), ("r:side", "i:sib_a"), ("r:deep", "i:big")]
    ):
        pid = f"p:W{n}"
        nodes.append(paper(pid, f"Paper {n}", 2022))
        rels += [
            authored("r:us", pid, 2022),
            authored(person, pid, 2022),
            affiliated(person, place, [(pid, 2022)]),
        ]
    return nodes, rels


def test_the_hierarchy_is_read_by_direction(store: Any) -> None:
    load(store, *_graph())
    found = paths_to_risk(store, "r:us", max_hops=5)
    summary = [(p.nodes[p.length].id, p.length, p.is_context) for p in found]
    # The finding first; then the context paths; the two-steps-down Deep Lab is no path.
    assert summary == [
        ("i:upuni", 4, False),
        ("i:institute", 4, True),
        ("i:sib_b", 5, True),
    ]
    assert [p.downward_steps for p in found] == [0, 1, 1]
    assert [p.as_dict()["context"] for p in found] == [False, True, True]
