"""Linking institution names to Institution nodes: the resolver, and nodes for the unresolved.

The resolver (``collabgraph.ingest.resolution``) proposes a match with a method and a score;
the caller records both on the edge it writes. A name the resolver cannot place becomes an
Institution of its own (hashed id of name + country, method ``unresolved``) and is added to the
resolver, so later rows with the same name meet the same node and nothing is lost.

When the resolver package is not installed, :class:`ExactNameResolver` stands in: an exact,
then normalised (case, accents, spacing), match on every name and acronym of the store's
institutions, recorded as methods ``exact`` and ``normalised``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from collabgraph.graph import ids
from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.records import Node

from .pipeline import Provenance


@dataclass(frozen=True)
class SimpleMatch:
    node_id: str
    ror_id: str | None
    name: str
    score: float
    method: str
    explanation: str
    matched_text: str


class ResolverLike(Protocol):
    def resolve(self, text: str, *, country: str | None = None) -> Any: ...

    def add_entity(
        self,
        node_id: str,
        names: Iterable[str],
        *,
        country: str | None = None,
        acronyms: Iterable[str] = (),
    ) -> None: ...


class ExactNameResolver:
    """Exact and normalised name matching over the store's institutions (the fallback)."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
        self._normal: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}

    @classmethod
    def from_view(cls, view: Any) -> ExactNameResolver:
        resolver = cls()
        for node in view.iter_nodes("Institution"):
            p = node.props
            names = [p["name"], *(p.get("names") or []), *(p.get("names_zh") or [])]
            resolver.add_entity(
                node.id, names, country=p.get("country"), acronyms=p.get("acronyms") or []
            )
        return resolver

    def add_entity(
        self,
        node_id: str,
        names: Iterable[str],
        *,
        country: str | None = None,
        acronyms: Iterable[str] = (),
    ) -> None:
        names = [n for n in names if n]
        display = names[0] if names else node_id
        ror = node_id.removeprefix("ror:") if node_id.startswith("ror:") else None
        entry = (node_id, display, ror)
        for name in names:
            self._exact.setdefault((name, country or ""), []).append(entry)
            self._normal.setdefault((ids.normalise_key(name), country or ""), []).append(entry)

    def resolve(self, text: str, *, country: str | None = None) -> SimpleMatch | None:
        for table, key, method, score in (
            (self._exact, text.strip(), "exact", 1.0),
            (self._normal, ids.normalise_key(text), "normalised", 0.95),
        ):
            found = {e[0]: e for e in table.get((key, country or ""), [])}
            if len(found) == 1:
                node_id, name, ror = next(iter(found.values()))
                return SimpleMatch(
                    node_id, ror, name, score, method, f"{method} name match", text.strip()
                )
        return None


# Fuzzy matches below this score are not used to link anything. On the sample, fuzzy scores of
# 0.89-0.936 included wrong links ("China South Industries Group" → China North Industries
# Group, "Erasmus Hospital" → Erasmus+), while the right ones seen (typos in the §1286 list:
# "Xi'an Jiatong", "Hangzhao Dianzi", "Changchung") scored 0.94 or more. A wrong link puts a
# real person next to a listed institution, so precision wins: the name gets its own node.
FUZZY_MIN_SCORE = 0.94
_WORDS = re.compile(r"\w+")
_STOPWORDS = frozenset(
    "of the and for at in on de des du la le les di del della van voor und fur".split()
)


def accept(match: Any, text: str, country: str | None = None) -> Any:
    """``match`` if it is good enough to link the whole name ``text`` on, else None.

    Refused: fuzzy matches under FUZZY_MIN_SCORE, and partial hits, where a known name was
    found in only *part* of the text. Those suit long affiliation strings, but here the text is
    one institution's whole name, and a part of it names another body: "中国人民解放军" (the
    PLA) inside "中国人民解放军军事科学院" (the Academy of Military Science), "SEU"
    (Southeast University) inside the alias "A/SEU" of Space Engineering University, or the
    parent "Siberian Branch of Russian Academy of Sciences" after the comma in "Rzhanov
    Institute of Semiconductor Physics, Siberian Branch of …".

    Also refused: a match in another country than the one the source gives. A list entry for
    China's "National Defense University" must never land on Turkey's Milli Savunma
    Üniversitesi, whose English name is the same: a wrong link accuses people.
    """
    if match is None:
        return None
    found_country = getattr(match, "country", None)
    if country and found_country and str(found_country).upper() != country.upper():
        return None
    if str(match.method) == "fuzzy" and float(match.score) < FUZZY_MIN_SCORE:
        return None
    if " inside '" in str(getattr(match, "explanation", "")):
        return None
    matched = str(getattr(match, "matched_text", "") or "")
    if matched and not (same_name(matched, text) or same_name(str(match.name), text)):
        return None
    return match


def _skeleton(text: str) -> list[str]:
    plain = re.sub(r"['’‘`]", "", ids.normalise_key(text))
    return [w for w in _WORDS.findall(plain) if w not in _STOPWORDS]


def same_name(a: str, b: str) -> bool:
    """Equal once case, accents, punctuation and little words are ignored.

    The resolver reports ``matched_text`` in its normalised form ("xian jiatong university"
    for "Xi’an Jiatong University"), so both sides are reduced the same way.
    """
    return _skeleton(a) == _skeleton(b)


class Targets:
    """Which nodes a name may be linked to: those in the store when the run began, except
    ``name_only`` placeholders (so a second run cannot link to what the first run left
    unresolved, and re-ingesting gives the same links)."""

    def __init__(self, store: Store) -> None:
        self.view = store.view()
        self._ok: dict[str, bool] = {}

    def allowed(self, node_id: str) -> bool:
        if node_id not in self._ok:
            node = self.view.get_node(node_id)
            self._ok[node_id] = node is not None and not node.props.get("name_only")
        return self._ok[node_id]


class ReferenceView:
    """A view that hides ``name_only`` placeholders from the resolver.

    Placeholders are names nothing matched; if the resolver saw them, a second ingest would
    find a placeholder where the first found the reference record behind it, and the graph
    would change. Everything else is the store's own view.
    """

    def __init__(self, view: GraphView) -> None:
        self._view = view

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        return (n for n in self._view.iter_nodes(label) if not n.props.get("name_only"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._view, name)


def load_resolver(store: Store) -> ResolverLike:
    """The project resolver built from the store's reference institutions.

    Falls back to exact/normalised name matching when the resolver package is missing.
    """
    view = ReferenceView(store.view())
    try:
        from collabgraph.ingest.resolution import JudgementLog, Resolver, judgements_path
    except ImportError:
        return ExactNameResolver.from_view(view)
    # Investigators' judgements for this store override automatic matching on every ingest.
    judgements = JudgementLog(judgements_path(store.location))
    resolver: ResolverLike = Resolver.from_store(view, judgements=judgements)
    return resolver


def has_judgement(resolver: Any, text: str, country: str | None) -> bool:
    """Whether an investigator has judged this input (so an earlier automatic decision yields)."""
    log = getattr(resolver, "judgements", None)
    if log is None:
        return False
    return log.chosen(text, country) is not None or bool(log.rejected(text, country))


def unresolved_institution(name: str, country: str | None, prov: Provenance, record: str) -> Node:
    """An Institution for a name no ROR record matched (hashed id of name + country)."""
    return Node(
        "Institution",
        ids.institution_id(name=name, country=country),
        prov.stamp({"name": name, "names": [name], "country": country, "name_only": True}, record),
    )


def link_props(match: Any) -> dict[str, Any]:
    """Edge properties that record how a name was linked: method and score."""
    if match is None:
        return {"method": "unresolved", "score": 0.0}
    return {"method": str(match.method), "score": float(match.score)}
