"""GraphML (http://graphml.graphdrawing.org/), typed with GraphML's ``attr.type``.

Every schema property is one ``<key>`` per element kind: ``n.<name>`` for nodes, ``e.<name>``
for edges, with ``attr.type`` long, double, boolean or string. The schema label is the node key
``cg_label`` and the relationship type the edge key ``cg_type``; the node key ``label`` carries
the name or title only so that yEd and Gephi show something readable (import ignores it).

Node ids: GraphML ids are XML NMTOKENs, which cannot hold ``/`` or spaces (DOIs, hashed
ids), so each id is written with every character outside ``A-Z a-z 0-9 . : -`` (``_``
included) replaced by ``_<hex code point>_``: ``doi:10.1/x`` becomes ``doi:10.1_2f_x``.
Import reverses it; the readable name is in the ``label`` key.

Lists: a list property is declared ``attr.type="string"`` with ``<desc>collabgraph:json-list
int</desc>`` (or ``string``/``float``) and each value is the JSON text of the list, e.g.
``[2019, 2021]``. Import reads the marker and parses the JSON back.

Characters XML cannot carry (most C0 controls, U+FFFE, U+FFFF) are refused, naming the value;
with ``--replace-invalid`` they are written as ``\\uXXXX`` escapes and listed in the manifest
(:mod:`.replace`, :data:`RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import PropertySpec

from .checks import checked
from .manifest import SnapshotError
from .replace import (
    XML_JSON_UNSAFE,
    XML_UNSAFE,
    Replacer,
    Rules,
    replaced_nodes,
    replaced_relationships,
)
from .source import Source, Tracker
from .values import decode_list, decode_scalar, encode_value, merged_specs
from .xmlio import attr, display_name, iter_elements, text

FILE = "graph.graphml"
NS = "http://graphml.graphdrawing.org/xmlns"
LIST_MARKER = "collabgraph:json-list "
_TOKEN_SAFE = re.compile(r"[^A-Za-z0-9.:\-]")
_TOKEN_ESCAPE = re.compile(r"_([0-9a-f]+)_")
_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean"}
_SCALARS = {"string": "string", "long": "int", "int": "int", "double": "float"}
_SCALARS |= {"float": "float", "boolean": "bool"}
RULES = Rules(scalar=XML_UNSAFE, element=XML_JSON_UNSAFE)
"""What --replace-invalid escapes: XML's forbidden characters (ids are tokens, see above)."""


def token(node_id: str) -> str:
    """``node_id`` as an NMTOKEN (reversible, see the module docstring)."""
    return _TOKEN_SAFE.sub(lambda m: f"_{ord(m.group()):x}_", node_id)


def _code_point(match: re.Match[str]) -> str:
    digits = match.group(1)
    if len(digits) > 6 or int(digits, 16) > 0x10FFFF:
        raise ValueError(f"_{digits[:12]}_ is not a Unicode code point")
    return chr(int(digits, 16))


def untoken(text: str) -> str:
    """Reverse :func:`token`; ``ValueError`` for an escape that is no code point."""
    return _TOKEN_ESCAPE.sub(_code_point, text)


def _key(fh: TextIO, key_id: str, domain: str, spec: PropertySpec) -> None:
    gtype = "string" if spec.is_list else _TYPES[spec.scalar]
    head = f'  <key id="{key_id}" for="{domain}" attr.name="{spec.name}" attr.type="{gtype}"'
    if spec.is_list:
        fh.write(f"{head}><desc>{LIST_MARKER}{spec.scalar}</desc></key>\n")
    else:
        fh.write(f"{head}/>\n")


def _data(fh: TextIO, prefix: str, props: dict[str, Any], specs: dict[str, PropertySpec]) -> None:
    for name, value in props.items():
        if value is None:
            continue
        where = f"{prefix}{name}"
        fh.write(f'    <data key="{prefix}{name}">')
        fh.write(text(encode_value(value, specs[name]), where))
        fh.write("</data>\n")


def write(
    directory: Path, source: Source, tracker: Tracker, replacer: Replacer | None = None
) -> list[Path]:
    """Stream the graph to ``directory/graph.graphml``; ``replacer`` escapes what XML cannot
    carry (--replace-invalid) instead of refusing it."""
    path = directory / FILE
    node_specs, edge_specs = merged_specs("node"), merged_specs("edge")
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(
            f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        fh.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
        fh.write('  <key id="cg_label" for="node" attr.name="cg_label" attr.type="string"/>\n')
        fh.write('  <key id="cg_type" for="edge" attr.name="cg_type" attr.type="string"/>\n')
        for name, spec in node_specs.items():
            _key(fh, f"n.{name}", "node", spec)
        for name, spec in edge_specs.items():
            _key(fh, f"e.{name}", "edge", spec)
        fh.write('  <graph id="collabgraph" edgedefault="directed">\n')
        for node in replaced_nodes(tracker.track_nodes(source.nodes()), replacer, RULES):
            where = node.describe()
            fh.write(f'   <node id="{attr(token(node.id), where)}">\n')
            fh.write(f'    <data key="label">{text(display_name(node.props, node.id), where)}')
            fh.write(f'</data>\n    <data key="cg_label">{node.label}</data>\n')
            _data(fh, "n.", node.props, node_specs)
            fh.write("   </node>\n")
        rels = tracker.track_relationships(source.relationships())
        for index, rel in enumerate(replaced_relationships(rels, replacer, RULES)):
            where = rel.describe()
            fh.write(
                f'   <edge id="e{index}" source="{token(rel.start)}" '
                f'target="{token(rel.end)}">\n'
                f'    <data key="cg_type">{rel.type}</data>\n'
            )
            _data(fh, "e.", rel.props, edge_specs)
            fh.write("   </edge>\n")
        fh.write("  </graph>\n</graphml>\n")
    return [path]


def read(path: Path) -> Iterator[Node | Relationship]:
    """The nodes and relationships of a GraphML file, in document order (streamed)."""
    keys: dict[str, tuple[str, str, bool]] = {}
    q = "{" + NS + "}"

    def decoded(elem: Any, where: str) -> tuple[str | None, dict[str, Any]]:
        kind: str | None = None
        props: dict[str, Any] = {}
        for data in elem.findall(f"{q}data"):
            key_id = data.get("key", "")
            if key_id not in keys:
                raise SnapshotError(f"{path}: {where}: data for undeclared key {key_id!r}")
            name, scalar, is_list = keys[key_id]
            value = data.text or ""
            if key_id in ("cg_label", "cg_type"):
                kind = value
            elif key_id == "label":
                continue
            elif is_list:
                props[name] = decode_list(value, scalar, f"{path}: {where}: {name}")
            else:
                props[name] = decode_scalar(value, scalar, f"{path}: {where}: {name}")
        return kind, props

    def ident(elem: Any, attribute: str, kind: str) -> str:
        raw = elem.get(attribute, "")
        try:
            return untoken(raw)
        except ValueError as exc:
            raise SnapshotError(f"{path}: {kind} {attribute} {raw[:60]!r}: {exc}") from None

    # Keys come first in GraphML, so every data element can be decoded as soon as it is read.
    for elem in iter_elements(path, {f"{q}key", f"{q}node", f"{q}edge"}):
        if elem.tag == f"{q}key":
            desc = elem.findtext(f"{q}desc") or ""
            gtype = elem.get("attr.type", "string")
            is_list = desc.startswith(LIST_MARKER)
            scalar = desc[len(LIST_MARKER) :].strip() if is_list else _SCALARS.get(gtype, "string")
            keys[elem.get("id", "")] = (elem.get("attr.name", ""), scalar, is_list)
        elif elem.tag == f"{q}node":
            node_id = ident(elem, "id", "node")
            label, props = decoded(elem, f"node {node_id!r}")
            yield checked(Node(str(label), node_id, props), str(path))
        else:
            start, end = ident(elem, "source", "edge"), ident(elem, "target", "edge")
            rel_type, props = decoded(elem, f"edge {elem.get('id')!r}")
            yield checked(Relationship(str(rel_type), start, end, props), str(path))
