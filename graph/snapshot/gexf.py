"""GEXF 1.3 (https://gexf.net), typed attributes, with a time interval per element for Gephi.

Attributes are declared once per class: ``cg_label`` (node) and ``cg_type`` (edge) carry the
schema label and relationship type; each property ``name`` is ``n.name`` or ``e.name`` with GEXF
type long, double, boolean or string. The node's ``label`` is its name or title (what Gephi
shows); the edge's ``label`` and ``kind`` are its type.

Lists: declared ``type="string"`` with the id suffix ``.json`` (``e.years.json``); the value is
the list as JSON text, e.g. ``[2019, 2021]``. Import parses the JSON back.

Time: the graph is ``mode="dynamic"`` with integer years; an element gets ``start``/``end``
from ``year`` (Paper, AUTHORED), ``years`` (AFFILIATED_WITH: first to last) or
``first_year``/``last_year`` (CO_AUTHORED). Elements without years have no interval and exist
at all times in Gephi's timeline.

Characters XML cannot carry (most C0 controls, U+FFFE, U+FFFF) are refused, naming the value;
with ``--replace-invalid`` they are written as ``\\uXXXX`` escapes, in values and in ids, and
listed in the manifest (:mod:`.replace`, :data:`RULES`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
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
from .xmlio import attr, display_name, iter_elements

FILE = "graph.gexf"
NS = "http://gexf.net/1.3"
_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean"}
_SCALARS = {"string": "string", "long": "int", "integer": "int", "double": "float"}
_SCALARS |= {"float": "float", "boolean": "bool"}
RULES = Rules(scalar=XML_UNSAFE, element=XML_JSON_UNSAFE, ident=XML_UNSAFE)
"""What --replace-invalid escapes: XML's forbidden characters, in values and in ids."""


def interval(props: dict[str, Any]) -> tuple[int, int] | None:
    """The years an element spans, from its year properties (None: no time information)."""
    years: list[int] = []
    for name in ("year", "first_year", "last_year"):
        if isinstance(props.get(name), int):
            years.append(props[name])
    years += [y for y in props.get("years") or [] if isinstance(y, int)]
    return (min(years), max(years)) if years else None


def _attr_id(prefix: str, spec: PropertySpec) -> str:
    return f"{prefix}{spec.name}.json" if spec.is_list else f"{prefix}{spec.name}"


def _declare(fh: TextIO, cls: str, prefix: str, specs: dict[str, PropertySpec]) -> None:
    fh.write(f'    <attributes class="{cls}" mode="static">\n')
    own = "cg_label" if cls == "node" else "cg_type"
    fh.write(f'      <attribute id="{own}" title="{own}" type="string"/>\n')
    for spec in specs.values():
        gtype = "string" if spec.is_list else _TYPES[spec.scalar]
        fh.write(
            f'      <attribute id="{_attr_id(prefix, spec)}" title="{spec.name}" type="{gtype}"/>\n'
        )
    fh.write("    </attributes>\n")


def _values(
    fh: TextIO, own: tuple[str, str], prefix: str, props: dict[str, Any], specs: dict[str, Any]
) -> None:
    fh.write(f'        <attvalues>\n          <attvalue for="{own[0]}" value="{own[1]}"/>\n')
    for name, value in props.items():
        if value is None:
            continue
        spec = specs[name]
        encoded = attr(encode_value(value, spec), f"{prefix}{name}")
        fh.write(f'          <attvalue for="{_attr_id(prefix, spec)}" value="{encoded}"/>\n')
    fh.write("        </attvalues>\n")


def _span(props: dict[str, Any]) -> str:
    found = interval(props)
    return f' start="{found[0]}" end="{found[1]}"' if found else ""


def write(
    directory: Path, source: Source, tracker: Tracker, replacer: Replacer | None = None
) -> list[Path]:
    """Stream the graph to ``directory/graph.gexf``; ``replacer`` escapes what XML cannot
    carry (--replace-invalid) instead of refusing it."""
    path = directory / FILE
    node_specs, edge_specs = merged_specs("node"), merged_specs("edge")
    today = datetime.now(UTC).date().isoformat()
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(
            f'<gexf xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
            f'  <meta lastmodifieddate="{today}">\n    <creator>collabgraph</creator>\n'
            "    <description>collabgraph snapshot</description>\n  </meta>\n"
            '  <graph defaultedgetype="directed" mode="dynamic" timeformat="integer" '
            'timerepresentation="interval">\n'
        )
        _declare(fh, "node", "n.", node_specs)
        _declare(fh, "edge", "e.", edge_specs)
        fh.write("    <nodes>\n")
        for node in replaced_nodes(tracker.track_nodes(source.nodes()), replacer, RULES):
            where = node.describe()
            fh.write(
                f'      <node id="{attr(node.id, where)}" '
                f'label="{attr(display_name(node.props, node.id), where)}"{_span(node.props)}>\n'
            )
            _values(fh, ("cg_label", node.label), "n.", node.props, node_specs)
            fh.write("      </node>\n")
        fh.write("    </nodes>\n    <edges>\n")
        rels = tracker.track_relationships(source.relationships())
        for index, rel in enumerate(replaced_relationships(rels, replacer, RULES)):
            where = rel.describe()
            fh.write(
                f'      <edge id="{index}" source="{attr(rel.start, where)}" '
                f'target="{attr(rel.end, where)}" label="{rel.type}" kind="{rel.type}"'
                f"{_span(rel.props)}>\n"
            )
            _values(fh, ("cg_type", rel.type), "e.", rel.props, edge_specs)
            fh.write("      </edge>\n")
        fh.write("    </edges>\n  </graph>\n</gexf>\n")
    return [path]


def read(path: Path) -> Iterator[Node | Relationship]:
    """The nodes and relationships of a GEXF file, in document order (streamed)."""
    q = "{" + NS + "}"
    attrs: dict[str, tuple[str, str, bool]] = {}

    def decoded(elem: Any, where: str) -> tuple[str | None, dict[str, Any]]:
        kind: str | None = None
        props: dict[str, Any] = {}
        for value in elem.iter(f"{q}attvalue"):
            ref = value.get("for", "")
            if ref not in attrs:
                raise SnapshotError(f"{path}: {where}: value for undeclared attribute {ref!r}")
            name, scalar, is_list = attrs[ref]
            raw = value.get("value", "")
            if ref in ("cg_label", "cg_type"):
                kind = raw
            elif is_list:
                props[name] = decode_list(raw, scalar, f"{path}: {where}: {name}")
            else:
                props[name] = decode_scalar(raw, scalar, f"{path}: {where}: {name}")
        return kind, props

    for elem in iter_elements(path, {f"{q}attribute", f"{q}node", f"{q}edge"}):
        if elem.tag == f"{q}attribute":
            ref = elem.get("id", "")
            is_list = ref.endswith(".json")
            scalar = "string" if is_list else _SCALARS.get(elem.get("type", "string"), "string")
            attrs[ref] = (elem.get("title", ref), scalar, is_list)
        elif elem.tag == f"{q}node":
            label, props = decoded(elem, f"node {elem.get('id')!r}")
            yield checked(Node(str(label), elem.get("id", ""), props), str(path))
        else:
            rel_type, props = decoded(elem, f"edge {elem.get('id')!r}")
            start, end = elem.get("source", ""), elem.get("target", "")
            yield checked(Relationship(str(rel_type), start, end, props), str(path))
