"""Small synthetic graphs made by code, for tests that need known answers."""

from __future__ import annotations

from collabgraph.graph.records import Node, Relationship

PROV = {
    "source": "test",
    "sources": ["test"],
    "source_version": "2024-01-01",
    "first_seen": "2024-01-01",
    "last_seen": "2024-01-01",
}


def prov(**extra: object) -> dict[str, object]:
    return {**PROV, **extra}


def tiny_graph() -> tuple[list[Node], list[Relationship]]:
    """Two researchers, a paper, a Belgian and a Chinese institution, a lab, a list."""
    nodes = [
        Node(
            "Researcher",
            "openalex:A1",
            prov(name="Ann Peeters", source_record="A1", name_variants=["A. Peeters"]),
        ),
        Node("Researcher", "openalex:A2", prov(name="Li Wei", source_record="A2")),
        Node(
            "Paper",
            "openalex:W1",
            prov(title='Swarm control of "drones"', year=2021, doi="10.1/x", source_record="W1"),
        ),
        Node(
            "Institution",
            "ror:00cv9y106",
            prov(name="Ghent University", country="BE", names=["Ghent University", "UGent"]),
        ),
        Node(
            "Institution",
            "ror:01yqg2h08",
            prov(
                name="Harbin Institute of Technology",
                country="CN",
                names_zh=["哈尔滨工业大学"],
                acronyms=["HIT"],
            ),
        ),
        Node(
            "Institution",
            "cg:institution:lab1",
            prov(name="State Key Lab of Robotics", country="CN"),
        ),
        Node(
            "RiskList",
            "risklist:aspi",
            prov(name="ASPI China Defence Universities Tracker", as_of="2019-11-25"),
        ),
        Node(
            "Technology", "ec2023:area:3", prov(name="Quantum technologies", code="3", level="area")
        ),
    ]
    rels = [
        Relationship(
            "AUTHORED",
            "openalex:A1",
            "openalex:W1",
            prov(author_position="first", raw_affiliations=["Ghent Univ, Belgium"], year=2021),
        ),
        Relationship(
            "AUTHORED", "openalex:A2", "openalex:W1", prov(author_position="last", year=2021)
        ),
        Relationship(
            "AFFILIATED_WITH",
            "openalex:A1",
            "ror:00cv9y106",
            prov(years=[2021], evidence_papers=["openalex:W1"], method="ror_id", score=1.0),
        ),
        Relationship(
            "AFFILIATED_WITH",
            "openalex:A2",
            "cg:institution:lab1",
            prov(years=[2021], evidence_papers=["openalex:W1"], method="fuzzy", score=0.93),
        ),
        Relationship("PART_OF", "cg:institution:lab1", "ror:01yqg2h08", prov(method="ror")),
        Relationship(
            "LISTED_ON",
            "ror:01yqg2h08",
            "risklist:aspi",
            prov(tier="very high", category="Seven sons of national defence", as_of="2019-11-25"),
        ),
        Relationship(
            "MILITARY_LINK", "ror:01yqg2h08", "cg:institution:lab1", prov(kind="defence_lab")
        ),
        Relationship(
            "CONCERNS", "openalex:W1", "ec2023:area:3", prov(matched_terms=["quantum"], score=0.8)
        ),
    ]
    return nodes, rels


def load(store: object, nodes: list[Node], rels: list[Relationship]) -> None:
    with store.writer() as w:  # type: ignore[attr-defined]
        w.upsert_nodes(nodes)
        w.upsert_relationships(rels)
