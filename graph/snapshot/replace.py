"""``--replace-invalid``: write what a format cannot carry as visible escapes, and undo them.

Escape form. A text that holds a character the format cannot carry (U+0001 in XML, the array
delimiter in a neo4j-admin list element) is written with each such character as ``\\uXXXX``
(four lowercase hex digits of its code point) and each backslash doubled (``\\\\``); every
other character stays. ``a<U+0001>b\\c`` is written ``a\\u0001b\\\\c``, and :func:`unescape`
gives back the original exactly. A text that already holds such an escape as plain characters
(the six characters ``\\u0001`` bound for XML) is escaped as well (``\\\\u0001``), so no written
text can stand for two originals: written ids stay distinct and every changed value is
recognisable. Texts with neither are written unchanged.

Manifest. Every changed text is one entry of the manifest's ``replace_invalid.values``::

    {"node": "<id as written>", "property": "title", "original": "...", "written": "..."}
    {"relationship": {"type": "AUTHORED", "start": "...", "end": "...", "key": {}},
     "property": "raw_affiliations", "index": 2, "original": "...", "written": "..."}

The element is named as it appears in the file (its id, or its type, ends and key properties);
``index`` is the list position of a changed list element; ``property`` is ``:id`` for a node
id and ``:start`` or ``:end`` for a relationship end. ``original`` is a JSON string, so any
text fits. Import finds each element's entries, checks that the file holds ``written`` and that
``written`` is exactly the escape of ``original``, and puts ``original`` back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA

from .checks import checked
from .manifest import SnapshotError
from .values import XML_FORBIDDEN

NOTE = "replace_invalid"
"""The manifest field that lists the changed values."""

ESCAPE = (
    "in a changed text each character the format cannot carry is written \\uXXXX (4 lowercase "
    "hex digits) and each backslash \\\\; other texts are written unchanged"
)

Unsafe = re.Pattern[str] | None
"""The characters (one character class, Basic Multilingual Plane only) a place cannot carry."""

XML_UNSAFE = XML_FORBIDDEN
"""What XML 1.0 cannot carry at all, not even as a character reference."""

XML_JSON_UNSAFE = re.compile("[\ufffe\uffff\ud800-\udfff]")
"""What XML cannot carry in a list element: the list's JSON text escapes the control
characters itself (``\\u0001``), so only the non-characters are left."""

_WRITTEN_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_ESCAPES = re.compile(r"\\(?:(\\)|u([0-9a-f]{4}))|\\")


@dataclass(frozen=True)
class Rules:
    """What one format cannot carry in string properties, list elements and ids (ends)."""

    scalar: Unsafe = None
    element: Unsafe = None
    ident: Unsafe = None


def needs_escape(text: str, unsafe: re.Pattern[str]) -> bool:
    """Whether ``text`` holds an unsafe character, or plain text that reads as its escape."""
    if unsafe.search(text):
        return True
    return "\\u" in text and any(
        unsafe.fullmatch(chr(int(m.group(1), 16))) for m in _WRITTEN_ESCAPE.finditer(text)
    )


def escape(text: str, unsafe: re.Pattern[str]) -> str:
    """``text`` in the escape form: backslashes doubled, unsafe characters as ``\\uXXXX``."""
    return unsafe.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\\", "\\\\"))


def _unescape_one(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\"
    if match.group(2):
        return chr(int(match.group(2), 16))
    raise ValueError("a backslash that starts no escape (\\\\ or \\uXXXX)")


def unescape(text: str) -> str:
    """Reverse :func:`escape`; ``ValueError`` for a backslash that starts no escape."""
    return _ESCAPES.sub(_unescape_one, text)


def _replaced(text: str, unsafe: Unsafe) -> str:
    return escape(text, unsafe) if unsafe is not None and needs_escape(text, unsafe) else text


Change = tuple[str, int | None, str, str]
"""(property, list index or None, original, written) of one changed text."""


def _list_changes(name: str, items: list[Any], unsafe: Unsafe) -> tuple[list[Any], list[Change]]:
    out: list[Any] = []
    changes: list[Change] = []
    for index, item in enumerate(items):
        new = _replaced(item, unsafe) if isinstance(item, str) else item
        if new != item:
            changes.append((name, index, item, new))
        out.append(new)
    return (out, changes) if changes else (items, [])


def _prop_changes(props: dict[str, Any], rules: Rules) -> tuple[dict[str, Any], list[Change]]:
    """``props`` as written, and what changed (``props`` itself when nothing did)."""
    out: dict[str, Any] = {}
    changes: list[Change] = []
    for name, value in props.items():
        if isinstance(value, str):
            new = _replaced(value, rules.scalar)
            if new != value:
                changes.append((name, None, value, new))
            out[name] = new
        elif isinstance(value, list):
            out[name], found = _list_changes(name, value, rules.element)
            changes += found
        else:
            out[name] = value
    return (out, changes) if changes else (props, [])


def _ident_change(name: str, ident: str, rules: Rules) -> tuple[str, list[Change]]:
    new = _replaced(ident, rules.ident)
    return new, ([(name, None, ident, new)] if new != ident else [])


def node_owner(node_id: str) -> dict[str, Any]:
    """How a manifest entry names a node: its id as written."""
    return {"node": node_id}


def relationship_owner(rel: Relationship) -> dict[str, Any]:
    """How a manifest entry names a relationship: type, ends and key properties as written."""
    key = {name: rel.props[name] for name in SCHEMA.rel(rel.type).key if name in rel.props}
    return {"relationship": {"type": rel.type, "start": rel.start, "end": rel.end, "key": key}}


def _entry(owner: dict[str, Any], change: Change) -> dict[str, Any]:
    name, index, original, written = change
    entry = {**owner, "property": name}
    if index is not None:
        entry["index"] = index
    return {**entry, "original": original, "written": written}


class Replacer:
    """Rewrites records with escapes where a format needs them and notes every changed text."""

    def __init__(self) -> None:
        self.values: list[dict[str, Any]] = []

    def node(self, node: Node, rules: Rules) -> Node:
        """``node`` as the format will carry it."""
        node_id, changes = _ident_change(":id", node.id, rules)
        props, found = _prop_changes(node.props, rules)
        if not (changes or found):
            return node
        owner = node_owner(node_id)
        self.values += [_entry(owner, change) for change in [*changes, *found]]
        return Node(node.label, node_id, props)

    def relationship(self, rel: Relationship, rules: Rules) -> Relationship:
        """``rel`` as the format will carry it."""
        start, changes = _ident_change(":start", rel.start, rules)
        end, more = _ident_change(":end", rel.end, rules)
        props, found = _prop_changes(rel.props, rules)
        if not (changes or more or found):
            return rel
        written = Relationship(rel.type, start, end, props)
        owner = relationship_owner(written)
        self.values += [_entry(owner, change) for change in [*changes, *more, *found]]
        return written

    def note(self) -> dict[str, Any]:
        """The manifest field: the escape form and every changed text."""
        return {"escape": ESCAPE, "values": list(self.values)}


def replaced_nodes(
    nodes: Iterable[Node], replacer: Replacer | None, rules: Rules
) -> Iterator[Node]:
    """``nodes`` as written: rewritten by ``replacer``, or unchanged without one."""
    if replacer is None:
        yield from nodes
        return
    for node in nodes:
        yield replacer.node(node, rules)


def replaced_relationships(
    rels: Iterable[Relationship], replacer: Replacer | None, rules: Rules
) -> Iterator[Relationship]:
    """``rels`` as written: rewritten by ``replacer``, or unchanged without one."""
    if replacer is None:
        yield from rels
        return
    for rel in rels:
        yield replacer.relationship(rel, rules)


# -- import -----------------------------------------------------------------------------------

Owner = tuple[str, ...]


def _owner_key(record: Node | Relationship) -> Owner:
    if isinstance(record, Node):
        return ("node", record.id)
    return ("relationship", *record.key)


def _text(entry: dict[str, Any], name: str, where: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str):
        raise SnapshotError(f"{where}: {name!r} is {value!r:.60}, not a string")
    return value


def _entry_owner(entry: dict[str, Any], where: str) -> Owner:
    if "node" in entry:
        return ("node", _text(entry, "node", where))
    rel = entry.get("relationship")
    if not isinstance(rel, dict) or not isinstance(rel.get("key", {}), dict):
        raise SnapshotError(f"{where}: names neither a node nor a relationship")
    rel_type, start, end = (_text(rel, name, where) for name in ("type", "start", "end"))
    try:
        return _owner_key(Relationship(rel_type, start, end, dict(rel.get("key") or {})))
    except SchemaError as exc:  # an unknown relationship type
        raise SnapshotError(f"{where}: {exc}") from None


def _checked_entry(entry: Any, where: str) -> dict[str, Any]:
    """``entry`` once it is well formed and ``written`` is exactly the escape of ``original``."""
    if not isinstance(entry, dict):
        raise SnapshotError(f"{where}: not an object")
    _text(entry, "property", where)
    index = entry.get("index")
    if index is not None and (type(index) is not int or index < 0):
        raise SnapshotError(f"{where}: index {index!r:.20} is not a list position")
    original, written = _text(entry, "original", where), _text(entry, "written", where)
    try:
        undone = unescape(written)
    except ValueError as exc:
        raise SnapshotError(f"{where}: written {written!r:.60}: {exc}") from None
    if undone != original:
        raise SnapshotError(f"{where}: written {written!r:.60} is not the escape of the original")
    return entry


class Restorer:
    """Puts back the texts a ``--replace-invalid`` export changed, from the manifest's note."""

    def __init__(self, note: Any, where: str) -> None:
        self.where = where
        self.restored = 0
        values = note.get("values") if isinstance(note, dict) else None
        if not isinstance(values, list):
            raise SnapshotError(f"{where}: {NOTE}.values is not a list")
        self._pending: dict[Owner, list[dict[str, Any]]] = {}
        for number, raw in enumerate(values):
            at = f"{where}: {NOTE}.values[{number}]"
            entry = _checked_entry(raw, at)
            self._pending.setdefault(_entry_owner(entry, at), []).append(entry)

    def restore(self, record: Node | Relationship) -> Node | Relationship:
        """``record`` with its original texts (itself when the export changed none)."""
        entries = self._pending.pop(_owner_key(record), None)
        if not entries:
            return record
        self.restored += len(entries)
        if isinstance(record, Node):
            ident = {":id": record.id}
            props = self._apply(entries, ident, record.props)
            return checked(Node(record.label, ident[":id"], props), self.where)
        ends = {":start": record.start, ":end": record.end}
        props = self._apply(entries, ends, record.props)
        return checked(Relationship(record.type, ends[":start"], ends[":end"], props), self.where)

    def _apply(
        self, entries: list[dict[str, Any]], ident: dict[str, str], props: dict[str, Any]
    ) -> dict[str, Any]:
        """``props`` with the entries' originals; ``ident`` (id or ends) is updated in place."""
        out = dict(props)
        for entry in entries:
            name, index, original = entry["property"], entry.get("index"), entry["original"]
            if index is None and name in ident:
                self._holds(entry, ident[name])
                ident[name] = original
            elif index is None:
                self._holds(entry, out.get(name))
                out[name] = original
            else:
                items: Any = out.get(name)
                self._holds(entry, items[index] if _has(items, index) else None)
                out[name] = [*items[:index], original, *items[index + 1 :]]
        return out

    def _holds(self, entry: dict[str, Any], found: Any) -> None:
        """Refuse an entry whose ``written`` text is not what the file holds."""
        if found != entry["written"]:
            owner = entry.get("node") or entry.get("relationship")
            raise SnapshotError(
                f"{self.where}: {NOTE} says {entry['property']} of {owner!r:.120} was written "
                f"{entry['written']!r:.60}, but the snapshot holds {found!r:.60}"
            )

    def restore_all(self, records: Iterable[Node | Relationship]) -> Iterator[Node | Relationship]:
        """``records`` restored; at the end, every entry must have found its element."""
        for record in records:
            yield self.restore(record)
        if self._pending:
            owner = next(iter(self._pending))
            raise SnapshotError(
                f"{self.where}: {NOTE} names {owner!r:.120}, which the snapshot does not hold "
                f"({len(self._pending)} element(s) not found)"
            )


def _has(items: Any, index: int) -> bool:
    return isinstance(items, list) and index < len(items)
