"""Embedded primitives answered in SQL: names, listings, risky institutions, papers' institutions.

Each reads only the rows its question needs, through the indexes of :mod:`.db` (``nodes.id``,
``nodes(label)``, ``rels(s, type, e, key)``, ``rels(e, type)``) and SQLite's JSON functions,
so no question decodes every node's properties in Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import numpy as np
import orjson

from ..contract import NAME_PROPS, NameEntry, PaperInstitutions
from ..errors import SchemaError
from ..risk import Listing, RiskyInstitution, YearWindow, listing_from
from ..schema import SCHEMA
from ..tiers import Tier
from .arrays import AdjacencyLike, Memo, distinct, first_of_each
from .db import LABEL_CODE, LABELS, TYPE_CODE, chunks, ids_of, idx_of, loads, marks
from .risk_tables import INSTITUTION, LISTED_ON, NO_YEAR, PAPER, paper_years, tiers
from .risk_tables import in_window as in_years

AUTHORED = TYPE_CODE["AUTHORED"]
AFFILIATED_WITH = TYPE_CODE["AFFILIATED_WITH"]


def label_codes(labels: Iterable[str]) -> list[int]:
    """The codes of the schema labels among ``labels`` (others match no node)."""
    return sorted({LABEL_CODE[lb] for lb in labels if lb in LABEL_CODE})


# -- names ---------------------------------------------------------------------------------
def name_entries(conn: sqlite3.Connection, labels: Collection[str]) -> Iterator[NameEntry]:
    """Every name of every node with one of ``labels``, nodes in id order (NAME_PROPS order
    within a node, each distinct name once; empty scalar values are no name)."""
    codes = label_codes(labels)
    if not codes:
        return
    sql = f"SELECT id, label, props FROM nodes WHERE label IN ({marks(len(codes))})"
    found: list[tuple[str, int, list[Any]]] = []
    for node_id, code, blob in conn.execute(sql, codes):
        props = loads(blob)
        names: list[Any] = []
        for key in NAME_PROPS:
            value = props.get(key)
            if isinstance(value, list):
                names.extend(value)
            elif value:
                names.append(value)
        if names:
            found.append((node_id, code, names))
    # Sorted here, on the names alone: an ORDER BY would sort every row's properties.
    found.sort(key=lambda row: row[0])
    for node_id, code, names in found:
        label = LABELS[code]
        for name in dict.fromkeys(names):
            yield NameEntry(node_id, label, str(name))


# The expressions an index on names and on paper titles would cover (see named_exactly).
NAME_SQL = "json_extract(props, '$.name')"
TITLE_SQL = "json_extract(props, '$.title')"


def named_exactly(conn: sqlite3.Connection, text: str, labels: Collection[str]) -> list[str]:
    """Sorted ids of nodes of ``labels`` whose ``name`` (a paper's ``title``) is ``text``.

    Written so that SQLite uses an index on :data:`NAME_SQL` and a partial index on
    :data:`TITLE_SQL` ``WHERE label = <Paper's code>`` where the store has them (the label
    codes are schema constants, written into the statement: a partial index is only used
    for a literal). Without them each query reads the nodes of its labels.
    """
    codes = label_codes(labels)
    found: list[str] = []
    named = [c for c in codes if c != PAPER]
    if named:
        listed = ",".join(str(int(c)) for c in named)
        sql = f"SELECT id FROM nodes WHERE {NAME_SQL} = ? AND label IN ({listed})"
        found += [r[0] for r in conn.execute(sql, (text,))]
    if PAPER in codes:
        sql = f"SELECT id FROM nodes WHERE {TITLE_SQL} = ? AND label = {int(PAPER)}"
        found += [r[0] for r in conn.execute(sql, (text,))]
    return sorted(found)


def with_property(
    conn: sqlite3.Connection, label: str, prop: str, values: Collection[str]
) -> dict[str, list[str]]:
    """For each of ``values``, the sorted ids of ``label`` nodes whose ``prop`` equals it.

    The JSON path is a parameter built from a schema property name, never from input. No
    index serves it: it reads the label's nodes (a team look-up, not a hot path).
    """
    spec = SCHEMA.node(label)
    if prop not in spec.properties:
        raise SchemaError(f"{spec.label} has no property {prop!r} in the schema")
    (code,) = label_codes([spec.label])
    wanted = sorted({v for v in values if isinstance(v, str)})
    out: dict[str, list[str]] = {}
    for part in chunks(wanted):
        sql = (
            "SELECT json_extract(props, ?), id FROM nodes "
            f"WHERE label = ? AND json_extract(props, ?) IN ({marks(len(part))})"
        )
        for value, node_id in conn.execute(sql, (f"$.{prop}", int(code), f"$.{prop}", *part)):
            out.setdefault(value, []).append(node_id)
    return {v: sorted(ids) for v, ids in out.items()}


# -- risk ----------------------------------------------------------------------------------
def listings(conn: sqlite3.Connection, institution_ids: Iterable[str]) -> dict[str, list[Listing]]:
    """The LISTED_ON listings of each institution, strongest first; none: absent."""
    known = idx_of(conn, institution_ids)
    return listings_at(conn, {idx: iid for iid, idx in known.items()})


def listings_at(conn: sqlite3.Connection, names: dict[int, str]) -> dict[str, list[Listing]]:
    """:func:`listings` of institutions given as ``nodes.idx`` → id."""
    out: dict[str, list[Listing]] = {}
    for part in chunks(sorted(names)):
        sql = (
            "SELECT r.s, l.id, l.props, r.props FROM rels AS r "
            "JOIN nodes AS i ON i.idx = r.s JOIN nodes AS l ON l.idx = r.e "
            f"WHERE r.s IN ({marks(len(part))}) AND r.type = ? AND i.label = ?"
        )
        for s, list_id, list_props, props in conn.execute(sql, [*part, LISTED_ON, INSTITUTION]):
            iid = names[s]
            out.setdefault(iid, []).append(
                listing_from(iid, list_id, loads(list_props), loads(props))
            )
    for items in out.values():
        items.sort(key=Listing.sort_key)
    return out


def risky_institutions(
    conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo, floor: Tier
) -> dict[str, RiskyInstitution]:
    """Institutions with an own tier or a listing whose effective tier is at or above
    ``floor``, by id (ascending)."""
    table = tiers(conn, adj, memo)
    chosen = np.flatnonzero(table.known & (table.tier >= int(floor))).tolist()
    names: dict[int, tuple[str, str]] = {}
    for part in chunks(chosen):
        sql = (
            f"SELECT idx, id, json_extract(props, '$.name') FROM nodes "
            f"WHERE idx IN ({marks(len(part))})"
        )
        for idx, node_id, name in conn.execute(sql, part):
            names[idx] = (node_id, str(name or ""))
    found = listings_at(conn, {idx: node_id for idx, (node_id, _) in names.items()})
    out: dict[str, RiskyInstitution] = {}
    for idx in sorted(names, key=lambda i: names[i][0]):
        node_id, name = names[idx]
        listed = tuple(found.get(node_id, ()))
        out[node_id] = RiskyInstitution(node_id, name, Tier(int(table.tier[idx])), listed)
    return out


# -- indicators ----------------------------------------------------------------------------
INSTITUTIONS_OF_SQL = (
    "SELECT idx, id, json_extract(props, '$.country') FROM nodes WHERE label = ? "
    "AND json_extract(props, '$.country') IN (SELECT value FROM json_each(?))"
)
# The join order is fixed (CROSS JOIN): the institutions' affiliations (rels_e), each evidence
# paper by id (the unique index), then the AUTHORED check (the unique index on s, type, e).
ON_PAPER_SQL = """
SELECT p.idx, w.e
FROM json_each(:institutions) AS inst
CROSS JOIN rels AS w
CROSS JOIN json_each(w.props, '$.evidence_papers') AS ev
CROSS JOIN nodes AS p
WHERE w.e = inst.value AND w.type = :affiliated
  AND p.id = ev.value AND +p.label = :paper
  AND EXISTS (SELECT 1 FROM rels AS a WHERE a.s = w.s AND a.type = :authored AND a.e = p.idx)
"""


def paper_institutions(
    conn: sqlite3.Connection,
    adj: AdjacencyLike,
    memo: Memo,
    countries: Collection[str],
    window: YearWindow | None,
) -> list[PaperInstitutions]:
    """Papers in ``window`` with the institutions of ``countries`` on them, by paper id: an
    institution is on a paper when an author of it (AUTHORED) is AFFILIATED_WITH it with the
    paper among the affiliation's ``evidence_papers``."""
    wanted = orjson.dumps(sorted({str(c) for c in countries})).decode()
    institutions = {
        idx: (node_id, country)
        for idx, node_id, country in conn.execute(INSTITUTIONS_OF_SQL, (INSTITUTION, wanted))
    }
    if not institutions:
        return []
    params = {
        "institutions": orjson.dumps(sorted(institutions)).decode(),
        "affiliated": AFFILIATED_WITH,
        "authored": AUTHORED,
        "paper": PAPER,
    }
    rows = conn.execute(ON_PAPER_SQL, params).fetchall()
    if not rows:
        return []
    pairs = np.asarray(rows, dtype=np.int64)
    found = pairs[first_of_each(pairs[:, 0] * (pairs[:, 1].max() + 1) + pairs[:, 1])]
    years = paper_years(conn, adj, memo)[found[:, 0]]
    if window is not None:
        found, years = found[in_years(years, window)], years[in_years(years, window)]
    paper_ids = ids_of(conn, distinct(found[:, 0]).tolist())
    on_paper: dict[int, list[tuple[str, str | None]]] = {}
    for paper, inst in found.tolist():
        on_paper.setdefault(paper, []).append(institutions[inst])
    year_of = dict(zip(found[:, 0].tolist(), years.tolist(), strict=True))
    return [
        PaperInstitutions(
            paper_ids[paper],
            None if year_of[paper] == NO_YEAR else int(year_of[paper]),
            tuple(sorted(insts)),
        )
        for paper, insts in sorted(on_paper.items(), key=lambda item: paper_ids[item[0]])
    ]
