"""Shared by the snapshot tests: a comparable picture of a store, and awkward sample graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

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


DATA = Path(__file__).resolve().parent / "data"

# What the formats find hardest, beyond the list itself (see data/SOURCE.md).
HARDEST = [
    "title with U+0001 \x01 in it",
    "non-characters \ufffe and \uffff",
    "every array delimiter ; | \x1f \x1e \x1d \x1c in one element",
    "\\u0001 already reads as an escape",
    "\\\\u0001 and a real \x01 together, back\\slash",
    "all C0: " + "".join(map(chr, range(32))) + " DEL \x7f",
]


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings (data/blns.json) and the HARDEST cases."""
    strings = orjson.loads((DATA / "blns.json").read_bytes())
    assert isinstance(strings, list) and len(strings) == 136, "data/blns.json changed"
    return [*strings, *HARDEST]


def naughty_graph() -> tuple[list[Node], list[Relationship]]:
    """Every naughty string as a researcher's name, a paper's title and abstract, list elements
    (name variants, keywords, an institution's names, raw affiliations) and an author position;
    and the hardest ones in ids and in a relationship's key property."""
    strings = naughty_strings()
    nodes, rels = [], []
    for i, text in enumerate(strings):
        person, paper = f"cg:researcher:n{i}", f"cg:paper:n{i}"
        variants = [text, f"{i}:{text}"]
        nodes.append(Node("Researcher", person, prov(name=text or "-", name_variants=variants)))
        nodes.append(
            Node("Paper", paper, prov(title=text or "-", abstract=text, keywords=[text], year=i))
        )
        links = prov(author_position=text, raw_affiliations=[text, "x"], year=i)
        rels.append(Relationship("AUTHORED", person, paper, links))
    nodes.append(Node("Institution", "ror:naughty", prov(name="Naughty", names=strings)))
    odd_ids = [f"cg:odd:{i}:{text}" for i, text in enumerate(HARDEST)] + ["cg:odd:\\u0001"]
    nodes += [Node("Institution", i, prov(name=i, aliases=HARDEST)) for i in odd_ids]
    for start, end in zip(odd_ids, odd_ids[1:], strict=False):
        rels.append(Relationship("MILITARY_LINK", start, end, prov(kind=start, detail=end)))
    rels.append(Relationship("AFFILIATED_WITH", "cg:researcher:n0", odd_ids[0], prov(years=[1])))
    return nodes, rels
