"""Shared by the snapshot tests: a comparable picture of a store, and awkward sample graphs."""

from __future__ import annotations

from typing import Any

from collabgraph.graph.records import Node, Relationship

from ..factories import prov, tiny_graph

AWKWARD = [
    'He said "hi"',
    "it's",
    "back\\slash \\n not a newline",
    "line one\nline two",
    "carriage\r\nreturn",
    "tab\there",
    "emoji 🛰️🚀",
    "哈尔滨工业大学",
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@cmd",
    "semi;colon",
    "comma, and | pipe",
    "<tag> & entity &amp;",
    "{label} $rows",
    "",
    "  spaced  ",
]


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    return value


def _props(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _norm(v)) for k, v in props.items() if v is not None))


def state(store: Any) -> dict[str, Any]:
    """Everything a round trip must keep: nodes, relationships, counts (sorted, hashable)."""
    view = store.view()
    nodes = sorted((n.id, n.label, _props(n.props)) for n in view.iter_nodes())
    rels = sorted((r.type, r.start, r.end, _props(r.props)) for r in view.iter_relationships())
    return {"nodes": nodes, "relationships": rels, "counts": view.counts().as_dict()}


def tiered_graph() -> tuple[list[Node], list[Relationship]]:
    """tiny_graph plus an effective tier on the listed institution."""
    nodes, rels = tiny_graph()
    nodes = [
        Node(n.label, n.id, {**n.props, "tier": "very high"}) if n.id == "ror:01yqg2h08" else n
        for n in nodes
    ]
    return nodes, rels


def awkward_graph() -> tuple[list[Node], list[Relationship]]:
    """Every awkward string in names, titles, lists and ids (XML-safe characters only)."""
    nodes = [
        Node(
            "Researcher",
            f"cg:researcher:{i}/{text[:6]}",
            prov(name=text or "x", name_variants=[text, "v;" + text], source_record=text),
        )
        for i, text in enumerate(AWKWARD)
    ]
    nodes.append(
        Node("Paper", "doi:10.1/a b", prov(title="\n".join(AWKWARD), year=-5, keywords=AWKWARD))
    )
    nodes.append(Node("Institution", "ror:x", prov(name="Inst", tier="high", names_zh=AWKWARD)))
    rels = [
        Relationship(
            "AUTHORED", n.id, "doi:10.1/a b", prov(author_position=AWKWARD[i], year=2020 + i)
        )
        for i, n in enumerate(nodes[: len(AWKWARD)])
    ]
    rels.append(
        Relationship(
            "AFFILIATED_WITH",
            nodes[0].id,
            "ror:x",
            prov(years=[2019, 2021], score=0.1 + 0.2, raw_affiliation=AWKWARD[3]),
        )
    )
    return nodes, rels
