"""A small hand-built graph with known answers for the investigator queries.

Belgium: KU Leuven (Alice, Wang's co-author), Ghent University (Bob, Eve and a hub of 55
researchers). China: Harbin Institute of Technology (very high on ASPI 2019, high on the DoD
list FY2024), its robotics lab (PART_OF HIT, MILITARY_LINK from HIT; Chen works there), NUDT
(high on the DoD list, first listed FY2022; Dai works there), Tsinghua (medium; Wang), Zhejiang
University (not listed; Zhou).

Papers: W1 2021 Alice+Chen (quantum), W2 2016 Bob+Dai (before NUDT's listing), W3 2023
Alice+Wang (quantum), W4 2023 Bob+Chen (AI), W5 2022 Eve+Zhou, W6 2023 Bob+Dai (AI).
"""

from __future__ import annotations

from typing import Any

from collabgraph.graph.records import Node, Relationship

from ..factories import load, prov

HUB_SIZE = 55


def researcher(rid: str, name: str) -> Node:
    return Node("Researcher", rid, prov(name=name))


def inst(iid: str, name: str, country: str, **extra: Any) -> Node:
    return Node("Institution", iid, prov(name=name, country=country, **extra))


def paper(pid: str, title: str, year: int) -> Node:
    return Node("Paper", pid, prov(title=title, year=year, doi=f"10.9999/{pid[2:]}"))


def authored(rid: str, pid: str, year: int) -> Relationship:
    return Relationship("AUTHORED", rid, pid, prov(year=year))


def affiliated(rid: str, iid: str, papers: list[tuple[str, int]]) -> Relationship:
    return Relationship(
        "AFFILIATED_WITH",
        rid,
        iid,
        prov(
            years=sorted({y for _, y in papers}),
            evidence_papers=[p for p, _ in papers],
            method="ror_id",
            score=1.0,
        ),
    )


def build() -> tuple[list[Node], list[Relationship]]:
    nodes = [
        researcher("r:alice", "Alice Janssens"),
        researcher("r:bob", "Bob Maes"),
        researcher("r:chen", "Chen Wei"),
        researcher("r:dai", "Dai Lin"),
        researcher("r:eve", "Eve Claes"),
        researcher("r:wang", "Wang Fang"),
        researcher("r:zhou", "Zhou Min"),
        inst("i:kul", "KU Leuven", "BE"),
        inst("i:ugent", "Ghent University", "BE"),
        inst("i:hit", "Harbin Institute of Technology", "CN", tier="very high"),
        inst("i:hitlab", "HIT State Key Laboratory of Robotics", "CN"),
        inst("i:nudt", "National University of Defense Technology", "CN", tier="high"),
        inst("i:tsinghua", "Tsinghua University", "CN", tier="medium"),
        inst("i:zju", "Zhejiang University", "CN"),
        Node("RiskList", "list:aspi", prov(name="ASPI China Defence Universities Tracker")),
        Node("RiskList", "list:dod", prov(name="US DoD Section 1286 list")),
        Node("Technology", "tech:quantum", prov(name="Quantum technologies", code="3")),
        Node("Technology", "tech:ai", prov(name="Artificial intelligence", code="2")),
        paper("p:W1", "Entangled sensors", 2021),
        paper("p:W2", "Gait analysis", 2016),
        paper("p:W3", "Quantum memories", 2023),
        paper("p:W4", "Neural controllers", 2023),
        paper("p:W5", "River sediments", 2022),
        paper("p:W6", "Swarm planning", 2023),
    ]
    rels = [
        authored("r:alice", "p:W1", 2021),
        authored("r:chen", "p:W1", 2021),
        authored("r:bob", "p:W2", 2016),
        authored("r:dai", "p:W2", 2016),
        authored("r:alice", "p:W3", 2023),
        authored("r:wang", "p:W3", 2023),
        authored("r:bob", "p:W4", 2023),
        authored("r:chen", "p:W4", 2023),
        authored("r:eve", "p:W5", 2022),
        authored("r:zhou", "p:W5", 2022),
        authored("r:bob", "p:W6", 2023),
        authored("r:dai", "p:W6", 2023),
        affiliated("r:alice", "i:kul", [("p:W1", 2021), ("p:W3", 2023)]),
        affiliated("r:bob", "i:ugent", [("p:W2", 2016), ("p:W4", 2023), ("p:W6", 2023)]),
        affiliated("r:eve", "i:ugent", [("p:W5", 2022)]),
        affiliated("r:chen", "i:hitlab", [("p:W1", 2021), ("p:W4", 2023)]),
        affiliated("r:dai", "i:nudt", [("p:W2", 2016), ("p:W6", 2023)]),
        affiliated("r:wang", "i:tsinghua", [("p:W3", 2023)]),
        affiliated("r:zhou", "i:zju", [("p:W5", 2022)]),
        Relationship("PART_OF", "i:hitlab", "i:hit", prov(method="ror")),
        Relationship(
            "MILITARY_LINK", "i:hit", "i:hitlab", prov(kind="defence_lab", detail="ASPI lab")
        ),
        Relationship(
            "MILITARY_LINK", "i:hit", "i:nudt", prov(kind="supervised_by", detail="made up")
        ),
        Relationship(
            "LISTED_ON",
            "i:hit",
            "list:aspi",
            prov(tier="very high", category="Seven sons of national defence", as_of="2019-11-25"),
        ),
        Relationship(
            "LISTED_ON",
            "i:hit",
            "list:dod",
            prov(
                tier="high",
                category="Chinese military company",
                as_of="2024-01-31",
                fiscal_year=2024,
            ),
        ),
        Relationship(
            "LISTED_ON",
            "i:nudt",
            "list:dod",
            prov(
                tier="high",
                category="Chinese military company",
                as_of="2022-06-30",
                fiscal_year=2022,
            ),
        ),
        Relationship(
            "LISTED_ON",
            "i:tsinghua",
            "list:dod",
            prov(tier="medium", category="talent programme", as_of="2023-06-30", fiscal_year=2023),
        ),
        Relationship("CONCERNS", "p:W1", "tech:quantum", prov(score=0.9)),
        Relationship("CONCERNS", "p:W3", "tech:quantum", prov(score=0.8)),
        Relationship("CONCERNS", "p:W4", "tech:ai", prov(score=0.7)),
        Relationship("CONCERNS", "p:W6", "tech:ai", prov(score=0.7)),
    ]
    for n in range(HUB_SIZE):
        rid = f"r:hub{n:02d}"
        nodes.append(researcher(rid, f"Hub Member {n:02d}"))
        rels.append(affiliated(rid, "i:ugent", []))
    return nodes, rels


def load_graph(store: Any) -> None:
    load(store, *build())
