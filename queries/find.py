"""Finding the node a user means: an id, or a name matched exactly or fuzzily.

>>> find_node(store, "Harbin Institute of Technology").id   # doctest: +SKIP
'ror:01yqg2h08'
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from collabgraph.graph.contract import NAME_PROPS, NameEntry, Store
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.ids import doi_short, normalise_key, openalex_short, orcid_short, ror_short
from collabgraph.graph.records import Node
from collabgraph.graph.schema import SCHEMA

# A fuzzy match is taken only when it is this good and clearly ahead of the next node.
ACCEPT_SCORE = 90.0
CLEAR_MARGIN = 3.0
# Names shown as "closest" when nothing matches must score at least this.
SUGGEST_SCORE = 60.0
__all__ = ["NAME_PROPS", "NameEntry", "find_node", "id_candidates", "named_exactly"]


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


def named_exactly(store: Store, text: str, labels: list[str]) -> list[str]:
    """Ids of nodes whose name (or paper title) is exactly ``text``: no fuzzy work at all."""
    return store.view().named_exactly(text, labels)


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
    entries = list(view.name_entries(wanted))
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
    for choice, score, index in hits:
        entry = entries[index]
        fair = _fair_score(key, choice, float(score))
        if entry.id not in best or fair > best[entry.id][0]:
            best[entry.id] = (fair, entry)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].id))
    if ranked and ranked[0][0] >= ACCEPT_SCORE:
        top = ranked[0][0]
        close = [e for s, e in ranked if top - s < CLEAR_MARGIN]
        if len(close) == 1:
            return _get(store, close[0].id)
        raise NodeNotFound(f"{query!r} is ambiguous; candidates: {_describe(close[:10])}")
    shown = [e for score, e in ranked[:5] if score >= SUGGEST_SCORE]
    if shown:
        hint = f"closest names (score {SUGGEST_SCORE:g} or more of 100): {_describe(shown)}"
    else:
        hint = f"no name scores {SUGGEST_SCORE:g} or more of 100"
    raise NodeNotFound(f"no match for {query!r}: {hint}")


def _fair_score(key: str, choice: str, score: float) -> float:
    """WRatio, except that a name under half the query's length gets no partial credit.

    WRatio scores the best-matching part of the longer string, so a two-letter acronym
    inside a long query ("uio" in "qwertyuiop") would score like a real name; a short name
    cannot stand for a long query, so it is scored as a whole (plain ratio).
    """
    if len(choice) * 2 < len(key):
        return float(fuzz.ratio(key, choice))
    return score


def _get(store: Store, node_id: str) -> Node:
    node = store.view().get_node(node_id)
    if node is None:  # the store changed under us
        raise NodeNotFound(f"node {node_id!r} disappeared while it was being looked up")
    return node
