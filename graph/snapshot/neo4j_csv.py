"""CSV in the format of ``neo4j-admin database import full`` (Neo4j 5).

One file per label (``nodes/<Label>.csv``) and per relationship type
(``relationships/<TYPE>.csv``), each with a typed header derived from the schema:
``id:ID,:LABEL,name:string,year:long,score:double,years:long[],...`` for nodes and
``:START_ID,:END_ID,:TYPE,...`` for relationships. Node ids share one global id space (they are
globally unique), and ``id:ID`` also stores the id as the ``id`` property.

Escaping (Neo4j 5 import rules): every non-empty field is double-quoted and a quote inside it
is doubled; fields may contain newlines, so the import needs ``--multiline-fields=true``.
An empty unquoted field means "no property"; ``""`` is the empty string. Array elements are
joined with the array delimiter, ``;`` by default. Neo4j has no escape for the delimiter inside
an element, so when a string list element contains ``;`` the export starts again with the
next delimiter that no element contains (``|``, then U+001F, U+001E, U+001D, U+001C); the
manifest records the one used and the exact neo4j-admin command. When every delimiter occurs,
the export is refused, unless ``--replace-invalid``: then the delimiter is the one the fewest
elements contain and those elements are written with it as a ``\\uXXXX`` escape, listed in the
manifest (:mod:`.replace`). Empty lists are written as "no property" (neo4j-admin cannot
express an empty array).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA, PropertySpec

from .checks import checked
from .csvtext import Field, read_rows
from .manifest import SnapshotError
from .replace import Replacer, Rules, replaced_nodes, replaced_relationships
from .source import Source, Tracker
from .textio import utf8_lines
from .values import decode_scalar, encode_scalar

DELIMITERS = (";", "|", "\x1f", "\x1e", "\x1d", "\x1c")
_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean"}
_SCALARS = {"string": "string", "long": "int", "int": "int", "double": "float"}
_SCALARS |= {"float": "float", "boolean": "bool", "short": "int", "byte": "int"}


class _DelimiterClash(Exception):
    """A list element contains the array delimiter: restart with the next one."""


def column(spec: PropertySpec) -> str:
    """The typed header of one property, e.g. ``years:long[]``."""
    return f"{spec.name}:{_TYPES[spec.scalar]}{'[]' if spec.is_list else ''}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: Any, spec: PropertySpec, delimiter: str) -> str:
    if value is None:
        return ""
    if not spec.is_list:
        return _quote(encode_scalar(value, spec.scalar))
    if not value:
        return ""
    items = [encode_scalar(v, spec.scalar) for v in value]
    if any(delimiter in item for item in items):
        raise _DelimiterClash
    return _quote(delimiter.join(items))


def _rules(delimiter: str) -> Rules:
    """What --replace-invalid escapes: the array delimiter, in list elements only."""
    return Rules(element=re.compile(re.escape(delimiter)))


def _write_files(
    directory: Path, source: Source, tracker: Tracker, delim: str, replacer: Replacer | None
) -> list[Path]:
    files: list[Path] = []
    rules = _rules(delim)
    (directory / "nodes").mkdir(exist_ok=True)
    (directory / "relationships").mkdir(exist_ok=True)
    for label in SCHEMA.nodes:
        specs = SCHEMA.node_properties(label)
        path = directory / "nodes" / f"{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(["id:ID", ":LABEL", *map(column, specs.values())]) + "\n")
            nodes = tracker.track_nodes(source.nodes(label))
            for node in replaced_nodes(nodes, replacer, rules):
                cells = [_quote(node.id), _quote(f"{label}{delim}{SCHEMA.base_label}")]
                cells += [_field(node.props.get(n), s, delim) for n, s in specs.items()]
                fh.write(",".join(cells) + "\n")
        files.append(path)
    for rel_type in SCHEMA.relationships:
        specs = SCHEMA.rel_properties(rel_type)
        path = directory / "relationships" / f"{rel_type}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join([":START_ID", ":END_ID", ":TYPE", *map(column, specs.values())]))
            fh.write("\n")
            rels = tracker.track_relationships(source.relationships(rel_type))
            for rel in replaced_relationships(rels, replacer, rules):
                cells = [_quote(rel.start), _quote(rel.end), _quote(rel_type)]
                cells += [_field(rel.props.get(n), s, delim) for n, s in specs.items()]
                fh.write(",".join(cells) + "\n")
        files.append(path)
    return files


def admin_command(files: list[Path], directory: Path, delimiter: str) -> list[str]:
    """The neo4j-admin arguments that import these files (paths relative to ``directory``)."""
    args = ["neo4j-admin", "database", "import", "full"]
    for path in files:
        rel = path.relative_to(directory).as_posix()
        kind = "nodes" if rel.startswith("nodes/") else "relationships"
        args.append(f"--{kind}={rel}")
    shown = f"\\u{ord(delimiter):04X}" if ord(delimiter) < 0x20 else delimiter
    args += [f"--array-delimiter={shown}", "--multiline-fields=true", "neo4j"]
    return args


def _elements(source: Source) -> Iterator[str]:
    """Every string list element of the graph (one pass)."""
    for records in (source.nodes(), source.relationships()):
        for record in records:
            for value in record.props.values():
                if isinstance(value, list):
                    yield from (item for item in value if isinstance(item, str))


def rarest_delimiter(source: Source) -> str:
    """The first delimiter no list element contains, else the one the fewest contain."""
    clashes = dict.fromkeys(DELIMITERS, 0)
    for item in _elements(source):
        for delimiter in DELIMITERS:
            clashes[delimiter] += delimiter in item
    return min(DELIMITERS, key=lambda d: (clashes[d], DELIMITERS.index(d)))


def _settings(files: list[Path], directory: Path, delimiter: str) -> dict[str, Any]:
    command = admin_command(files, directory, delimiter)
    return {"neo4j_admin": {"array_delimiter": delimiter, "command": command}}


def write(
    directory: Path, source: Source, tracker: Tracker, replacer: Replacer | None = None
) -> tuple[list[Path], dict[str, Any]]:
    """Write the CSV files; returns them and the import settings for the manifest.

    With a ``replacer`` (--replace-invalid) the delimiter is the first one no list element
    contains, else the one the fewest contain, and elements holding it are escaped.
    """
    if replacer is not None:
        delimiter = rarest_delimiter(source)
        files = _write_files(directory, source, tracker, delimiter, replacer)
        return files, _settings(files, directory, delimiter)
    for delimiter in DELIMITERS:
        try:
            files = _write_files(directory, source, tracker, delimiter, None)
        except _DelimiterClash:
            tracker.reset()
            continue
        return files, _settings(files, directory, delimiter)
    raise SchemaError(
        "every array delimiter (; | U+001F U+001E U+001D U+001C) occurs inside some list "
        "element: this graph cannot be written as neo4j-admin CSV; export with "
        "--replace-invalid, or use --format json"
    )


_SPECIAL = re.compile(r"(ID|START_ID|END_ID)(\(.*\))?|LABEL|TYPE|IGNORE")


def _parse_header(header: list[Field], where: str) -> list[tuple[str, str, bool]]:
    """``name:type`` cells as (name, type, is_list); special columns keep their keyword."""
    columns = []
    for cell in header:
        name, _, kind = (cell or "").partition(":")
        scalar = kind.removesuffix("[]")
        if not (scalar in _SCALARS or not kind or _SPECIAL.fullmatch(kind)):
            raise SnapshotError(f"{where}: unknown column type {cell!r}")
        columns.append((name, scalar, kind.endswith("[]")))
    return columns


def read_file(path: Path, delimiter: str = ";") -> Iterator[Node | Relationship]:
    """The records of one node or relationship file, typed by its header."""
    rows = read_rows((text for _, text in utf8_lines(path)), str(path))
    try:
        columns = _parse_header(next(rows)[1], f"{path}:1")
    except StopIteration:
        return
    is_node_file = any(kind.startswith("ID") for _, kind, _ in columns)
    for line, row in rows:
        where = f"{path}:{line}"
        if len(row) != len(columns):
            raise SnapshotError(f"{where}: {len(row)} fields, header has {len(columns)}")
        ident = label = start = end = rel_type = None
        props: dict[str, Any] = {}
        for (name, kind, is_list), cell in zip(columns, row, strict=True):
            if kind == "IGNORE":
                continue
            if kind.startswith("ID"):
                ident = cell
            elif kind == "LABEL":
                labels = (cell or "").split(delimiter)
                label = next((x for x in labels if x in SCHEMA.nodes), labels[0])
            elif kind.startswith("START_ID"):
                start = cell
            elif kind.startswith("END_ID"):
                end = cell
            elif kind == "TYPE":
                rel_type = cell
            elif cell is not None:
                scalar = _SCALARS[kind or "string"]
                parts = cell.split(delimiter) if is_list else [cell]
                values = [decode_scalar(p, scalar, f"{where}: {name}") for p in parts]
                props[name] = values if is_list else values[0]
        if is_node_file:
            if ident is None:
                raise SnapshotError(f"{where}: the :ID field is empty")
            yield checked(Node(str(label), ident, props), where)
        else:
            if start is None or end is None:
                raise SnapshotError(f"{where}: the :START_ID or :END_ID field is empty")
            yield checked(Relationship(str(rel_type or path.stem), start, end, props), where)


def read(files: list[Path], delimiter: str) -> Iterator[Node | Relationship]:
    """Nodes from the node files, then relationships from the others (streamed)."""
    node_files = [f for f in files if f.parent.name == "nodes"]
    rel_files = [f for f in files if f.parent.name != "nodes"]
    for path in node_files:
        for rec in read_file(path, delimiter):
            if not isinstance(rec, Node):
                raise SnapshotError(f"{path}: a node file without an :ID column")
            yield rec
    for path in rel_files:
        for rec in read_file(path, delimiter):
            if not isinstance(rec, Relationship):
                raise SnapshotError(f"{path}: a relationship file with an :ID column")
            yield rec
