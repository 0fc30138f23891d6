"""Finding the node a user means: an id, or a name matched exactly or fuzzily.

>>> find_node(store, "Harbin Institute of Technology").id   # doctest: +SKIP
'ror:01yqg2h08'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.ids import doi_short, normalise_key, openalex_short, orcid_short, ror_short
from collabgraph.graph.records import Node
from collabgraph.graph.schema import SCHEMA

from . import cypher

# A fuzzy match is taken only when it is this good and clearly ahead of the next node.
ACCEPT_SCORE = 90.0
CLEAR_MARGIN = 3.0
NAME_PROPS = ("name", "title", "names", "aliases", "acronyms", "name_variants", "names_zh")


@dataclass(frozen=True)
class NameEntry:
    id: str
    label: str
    name: str


def id_candidates(text: str) -> list[str]:
    """Ids ``text`` may spell: itself and its namespaced forms (ROR, OpenAlex, ORCID, DOI)."""
    out = [text]
    if short := ror_short(text):
        out.append(f"ror:{short}")
    if short := openalex_short(text):
        out.append(f"openalex:{short}")
    if short := orcid_short(text):
        out.append(f"orcid:{short}")
    if short := doi_short(text):
        out.append(f"doi:{short}")
    return out


def _name_entries(store: Store, labels: list[str]) -> Iterator[NameEntry]:
    if store.kind == "neo4j":
        rows = store.read(  # type: ignore[attr-defined]
            cypher.render("node_names"), labels=labels, keys=list(NAME_PROPS)
        )
        for row in rows:
            if row["label"] in labels:
                flat: list[str] = []
                for value in row["names"]:
                    flat.extend(value if isinstance(value, list) else [value])
                for name in dict.fromkeys(flat):
                    yield NameEntry(row["id"], row["label"], str(name))
        return
    graph = store.graph  # type: ignore[attr-defined]
    for node_id, data in graph.nodes(data=True):
        if data["label"] not in labels:
            continue
        props = data["props"]
        names: list[str] = []
        for key in NAME_PROPS:
            value = props.get(key)
            names.extend(value if isinstance(value, list) else [value] if value else [])
        for name in dict.fromkeys(names):
            yield NameEntry(node_id, data["label"], str(name))


def named_exactly(store: Store, text: str, labels: list[str]) -> list[str]:
    """Ids of nodes whose name (or paper title) is exactly ``text``: no fuzzy work at all."""
    if store.kind == "neo4j":
        rows = store.read(  # type: ignore[attr-defined]
            cypher.render("nodes_named"), name=text, labels=labels
        )
        return [r["id"] for r in rows if r["label"] in labels]
    graph = store.graph  # type: ignore[attr-defined]
    return sorted(
        node_id
        for node_id, data in graph.nodes(data=True)
        if data["label"] in labels
        and (data["props"].get("title") if data["label"] == "Paper" else data["props"].get("name"))
        == text
    )


def _describe(entries: Iterable[NameEntry]) -> str:
    return "; ".join(f"{e.name} ({e.label} {e.id})" for e in entries)


def find_node(store: Store, query: str, *, labels: Iterable[str] | None = None) -> Node:
    """The node ``query`` names: an id (ROR/OpenAlex/ORCID/DOI URLs accepted) or a name.

    Names are matched case- and accent-insensitively, then fuzzily (rapidfuzz WRatio). Raises
    :class:`NodeNotFound` naming the closest names when nothing matches, and listing the
    candidates when several nodes match equally well.
    """
    wanted = [SCHEMA.node(label).label for label in labels] if labels else list(SCHEMA.nodes)
    text = query.strip()
    if not text:
        raise NodeNotFound("empty query: give a node id or a name")
    view = store.view()
    for candidate in id_candidates(text):
        node = view.get_node(candidate)
        if node is not None and node.label in wanted:
            return node
    exact_ids = named_exactly(store, text, wanted)
    if len(exact_ids) == 1:
        return _get(store, exact_ids[0])
    entries = list(_name_entries(store, wanted))
    key = normalise_key(text)
    exact = {e.id: e for e in entries if normalise_key(e.name) == key}
    if len(exact) == 1:
        return _get(store, next(iter(exact)))
    if len(exact) > 1:
        shown = sorted(exact.values(), key=lambda e: e.id)[:10]
        raise NodeNotFound(f"{query!r} is ambiguous; candidates: {_describe(shown)}")
    choices = [normalise_key(e.name) for e in entries]
    hits = process.extract(key, choices, scorer=fuzz.WRatio, limit=200)
    best: dict[str, tuple[float, NameEntry]] = {}
    for _, score, index in hits:
        entry = entries[index]
        if entry.id not in best or score > best[entry.id][0]:
            best[entry.id] = (float(score), entry)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].id))
    if ranked and ranked[0][0] >= ACCEPT_SCORE:
        top = ranked[0][0]
        close = [e for s, e in ranked if top - s < CLEAR_MARGIN]
        if len(close) == 1:
            return _get(store, close[0].id)
        raise NodeNotFound(f"{query!r} is ambiguous; candidates: {_describe(close[:10])}")
    nearest = _describe(e for _, e in ranked[:5]) or "(the store has no named nodes)"
    raise NodeNotFound(f"no node matches {query!r}; closest names: {nearest}")


def _get(store: Store, node_id: str) -> Node:
    node = store.view().get_node(node_id)
    if node is None:  # the store changed under us
        raise NodeNotFound(f"node {node_id!r} disappeared while it was being looked up")
    return node
