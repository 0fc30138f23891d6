"""team_people: the rows of a team file, and the researcher each one names.

A row gives an ORCID, an OpenAlex author id, or a name with (preferably) an institution.

* An id is looked up as a node id (``openalex:A…``, ``orcid:…``), else as a researcher's
  ``orcid`` (or ``openalex_id``) property; an id the store does not hold falls back to the
  row's name, and says so; an ORCID two researchers carry lists both.
* A name is matched exactly, else case- and accent-insensitively, else fuzzily (rapidfuzz
  WRatio at least :data:`NAME_SCORE`); exact matches win over fuzzy ones.
* An institution narrows the candidates to researchers affiliated with it, or with a unit of
  it (their affiliation's PART_OF ancestors), by name (token ratios at least
  :data:`PLACE_SCORE`, the best-placed candidates only), by acronym or by id.

One candidate left is the person. Several are listed as ambiguous, none as not found (with the
same name elsewhere, if any): the review never guesses between namesakes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process

from collabgraph.graph.contract import GraphView, NameEntry
from collabgraph.graph.errors import BadInput
from collabgraph.graph.ids import normalise_key, openalex_short, orcid_short, ror_short
from collabgraph.graph.records import Node

from .on_paper import holders

NAME_SCORE = 90.0
PLACE_SCORE = 90.0
PLACE_MARGIN = 3.0
EXACT_PLACE = 110.0
MAX_CANDIDATES = 10

COLUMNS = {
    "orcid": ("orcid", "orcid id", "orcid_id"),
    "openalex": ("openalex", "openalex id", "openalex_id", "openalex author id", "author id"),
    "name": ("name", "full name", "full_name", "researcher", "person"),
    "institution": ("institution", "affiliation", "organisation", "organization", "employer"),
}

Status = Literal["found", "ambiguous", "not found"]


@dataclass(frozen=True)
class Member:
    """One row of the team file, as given."""

    row: int
    orcid: str | None = None
    openalex: str | None = None
    name: str | None = None
    institution: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other columns (role, work package …), kept

    @property
    def label(self) -> str:
        who = self.name or self.orcid or self.openalex or f"row {self.row}"
        return f"{who} ({self.institution})" if self.institution else who

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": self.row,
            "orcid": self.orcid,
            "openalex": self.openalex,
            "name": self.name,
            "institution": self.institution,
        }
        out.update(dict(self.extra))
        return out


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    institutions: tuple[str, ...]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "institutions": list(self.institutions),
            "score": round(self.score, 1),
        }


@dataclass(frozen=True)
class Resolution:
    status: Status
    researcher: str | None = None
    name: str | None = None
    institutions: tuple[str, ...] = ()
    method: str = ""
    note: str = ""
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "researcher": self.researcher,
            "name": self.name,
            "institutions": list(self.institutions),
            "method": self.method,
            "note": self.note,
            "candidates": [c.as_dict() for c in self.candidates],
        }


def read_team(path: Path) -> list[Member]:
    """The members in the CSV at ``path``; :class:`BadInput` names the file, row and column."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            headers = list(reader.fieldnames or [])
            found = _columns(path, headers)
            members = [_member(path, reader.line_num, row, found) for row in reader]
    except OSError as exc:
        raise BadInput(f"{path}: cannot read it ({exc.strerror})") from None
    except csv.Error as exc:
        raise BadInput(f"{path}: not a readable CSV ({exc})") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None
    kept = [m for m in members if m is not None]
    if not kept:
        raise BadInput(f"{path}: no person in it (every row is empty)")
    return kept


def _columns(path: Path, headers: list[str]) -> dict[str, str]:
    wanted = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, str] = {}
    for header in headers:
        key = wanted.get(" ".join(header.casefold().replace("_", " ").split()))
        key = key or wanted.get(header.strip().casefold())
        if key and key not in found:
            found[key] = header
    if not {"orcid", "openalex", "name"} & set(found):
        have = ", ".join(repr(h) for h in headers) or "none"
        raise BadInput(
            f"{path}: no usable column; give one of orcid, openalex_id or name "
            f"(with institution); columns: {have}"
        )
    return found


def _member(path: Path, line: int, row: dict[str, Any], found: dict[str, str]) -> Member | None:
    def cell(key: str) -> str | None:
        value = row.get(found[key]) if key in found else None
        text = " ".join(str(value).split()) if value is not None else ""
        return text or None

    orcid, openalex, name = cell("orcid"), cell("openalex"), cell("name")
    institution = cell("institution")
    used = set(found.values())
    extra = tuple(
        (str(k), " ".join(str(v).split()))
        for k, v in row.items()
        if k is not None and k not in used and v and str(v).strip()
    )
    if not (orcid or openalex or name):
        if institution or extra:
            raise BadInput(f"{path}: row {line}: no ORCID, OpenAlex id or name")
        return None  # a blank line
    if orcid and orcid_short(orcid) is None:
        raise BadInput(f"{path}: row {line}, column {found['orcid']!r}: {orcid!r} is not an ORCID")
    if openalex and not _openalex_author(openalex):
        raise BadInput(
            f"{path}: row {line}, column {found['openalex']!r}: {openalex!r} is not an "
            "OpenAlex author id (A followed by digits)"
        )
    return Member(line, orcid, openalex, name, institution, extra)


def _openalex_author(value: str) -> str | None:
    short = openalex_short(value)
    return short if short and short.upper().startswith("A") else None


def resolve_members(view: GraphView, members: Sequence[Member]) -> list[Resolution]:
    """The researcher each member names, or why none could be chosen (in member order)."""
    names = _NameIndex(view)
    return [_resolve(view, names, m) for m in members]


def _resolve(view: GraphView, names: _NameIndex, member: Member) -> Resolution:
    notes = []
    for given, what in ((member.openalex, "OpenAlex id"), (member.orcid, "ORCID")):
        if not given:
            continue
        held = _by_id(view, given, what)
        if len(held) == 1:
            node = held[0]
            at = _places(view, [node.id])[node.id]
            return Resolution("found", node.id, _name(node), _names(at), f"by {what}")
        if held:
            at_all = _places(view, [n.id for n in held])
            shown = tuple(Candidate(n.id, _name(n), _names(at_all[n.id]), 100.0) for n in held)
            note = f"{len(held)} researchers carry {what} {given}; not guessing between them"
            return Resolution("ambiguous", note=note, candidates=shown[:MAX_CANDIDATES])
        notes.append(f"{what} {given} is not in the store")
    if not member.name:
        return Resolution("not found", note="; ".join(notes))
    matched, how = names.match(member.name)
    places = _places(view, [c for c, _ in matched])
    nodes = view.get_nodes(c for c, _ in matched)
    pool = [
        Candidate(c, _name(nodes.get(c)), _names(places[c]), score)
        for c, score in matched
        if c in nodes
    ]
    kept = pool
    if member.institution and pool:
        scored = [(_place_score(member.institution, places[c.id]), c) for c in pool]
        top = max(score for score, _ in scored)
        kept = [c for score, c in scored if score >= PLACE_SCORE and score >= top - PLACE_MARGIN]
        if not kept:
            notes.append(f"the name is in the store, but not at {member.institution}")
    where = f" at {member.institution}" if member.institution else ""
    if len(kept) == 1:
        c = kept[0]
        method = f"by name ({how}, score {c.score:.0f}){where}"
        return Resolution("found", c.id, c.name, c.institutions, method, "; ".join(notes))
    if kept:
        notes.append(f"{len(kept)} researchers match; not guessing between them")
        shown = tuple(kept[:MAX_CANDIDATES])
        return Resolution("ambiguous", note="; ".join(notes), candidates=shown)
    if not pool:
        notes.append(f"no researcher named like {member.name!r}")
    return Resolution("not found", note="; ".join(notes), candidates=tuple(pool[:MAX_CANDIDATES]))


class _NameIndex:
    """Researcher names, read once for the whole team and only if a name is not exact."""

    def __init__(self, view: GraphView) -> None:
        self._view = view
        self._entries: list[NameEntry] | None = None
        self._keys: list[str] = []

    def match(self, name: str) -> tuple[list[tuple[str, float]], str]:
        """Candidate ids with scores, best first, and how they matched."""
        exact = self._view.named_exactly(name, ["Researcher"])
        if exact:
            return [(i, 100.0) for i in exact], "exact"
        entries = self._load()
        key = normalise_key(name)
        same = sorted({e.id for e, k in zip(entries, self._keys, strict=True) if k == key})
        if same:
            return [(i, 100.0) for i in same], "same letters"
        best: dict[str, float] = {}
        hits = process.extract(
            key, self._keys, scorer=fuzz.WRatio, score_cutoff=NAME_SCORE, limit=200
        )
        for _, score, index in hits:
            rid = entries[index].id
            best[rid] = max(best.get(rid, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))
        return ranked, "fuzzy"

    def _load(self) -> list[NameEntry]:
        if self._entries is None:
            self._entries = list(self._view.name_entries(["Researcher"]))
            self._keys = [normalise_key(e.name) for e in self._entries]
        return self._entries


def _places(view: GraphView, researchers: Iterable[str]) -> dict[str, list[Node]]:
    """Each researcher's institutions, each followed by what it is PART_OF (the levels
    indicators read, :func:`queries.on_paper.holders`)."""
    ids = list(dict.fromkeys(researchers))
    affiliated = view.links(ids, "AFFILIATED_WITH", "out")
    chains = {r: [rel.end for rel in affiliated.get(r, [])] for r in ids}
    above = holders(view, {i for chain in chains.values() for i in chain})
    nodes = view.get_nodes({i for found in above.values() for i in found})
    out: dict[str, list[Node]] = {}
    for rid, chain in chains.items():
        seen = dict.fromkeys(i for inst in chain for i in [inst, *sorted(above[inst] - {inst})])
        out[rid] = [nodes[i] for i in seen if i in nodes]
    return out


def _place_score(institution: str, places: list[Node]) -> float:
    """How well ``institution`` (a name, acronym or id) names one of ``places``: 0–100, and
    :data:`EXACT_PLACE` for its id, acronym or name itself (so it wins over a near name).

    Token-set and token-sort ratios, not WRatio: a unit's name contains its parent's ("KU
    Leuven" in "Department of Chemistry, KU Leuven"), but "University of Namur" must not
    score like "University of Utah".
    """
    text = institution.strip()
    ror = f"ror:{ror_short(text)}" if ror_short(text) else None
    key = normalise_key(text)
    best = 0.0
    for node in places:
        if node.id in (text, ror):
            return EXACT_PLACE
        if any(normalise_key(a) == key for a in _list(node.props.get("acronyms"))):
            return EXACT_PLACE
        names = [node.props.get("name"), *_list(node.props.get("names"))]
        names += _list(node.props.get("aliases"))
        for name in names:
            if isinstance(name, str):
                other = normalise_key(name)
                if other == key:
                    return EXACT_PLACE
                score = max(fuzz.token_set_ratio(key, other), fuzz.token_sort_ratio(key, other))
                best = max(best, float(score))
    return best


def _list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _by_id(view: GraphView, given: str, what: str) -> list[Node]:
    """The researchers an ORCID or OpenAlex author id names: the node with that id (an
    OpenAlex author id, or ``orcid:…`` where the ORCID is the id), else those carrying the
    ORCID as a property (an OpenAlex author's id is ``openalex:A…``)."""
    if what == "ORCID":
        short = orcid_short(given)
        node_id, prop = f"orcid:{short}", "orcid"
    else:
        short = _openalex_author(given)
        node_id, prop = f"openalex:{short}", "openalex_id"
    if short is None:
        return []
    node = view.get_node(node_id)
    if node is not None and node.label == "Researcher":
        return [node]
    carried = view.with_property("Researcher", prop, [short, given]).values()
    nodes = view.get_nodes(sorted({i for ids in carried for i in ids}))
    return [nodes[i] for i in sorted(nodes)]


def _name(node: Node | None) -> str:
    return str(node.props.get("name") or node.id) if node is not None else ""


def _names(places: list[Node]) -> tuple[str, ...]:
    return tuple(str(n.props.get("name") or n.id) for n in places)
