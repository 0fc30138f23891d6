"""How property values become text in the text-based formats, and back.

Scalars are written the usual way (``true``/``false``, decimal integers, ``repr`` floats, which
read back to the same double). Lists, which GraphML, GEXF and spreadsheets cannot type, are
written as JSON text (``[2019, 2021]``, ``["a", "b"]``); each format marks those columns so that
import reverses the encoding (see the format modules and README).
"""

from __future__ import annotations

import math
import re
from typing import Any

import orjson

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.schema import SCHEMA, PropertySpec

# Characters XML 1.0 cannot carry at all, even as character references.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def encode_scalar(value: Any, scalar: str) -> str:
    """One scalar as text: ``true``/``false``, ``42``, ``0.93`` (shortest exact repr)."""
    if scalar == "bool":
        return "true" if value else "false"
    if scalar == "float":
        number = float(value)
        if not math.isfinite(number):
            raise SchemaError(f"cannot export the non-finite number {number!r}")
        return repr(number)
    if scalar == "int":
        return str(int(value))
    return str(value)


def decode_scalar(text: str, scalar: str, where: str) -> Any:
    """Reverse :func:`encode_scalar`; ``where`` names the file and element on error."""
    try:
        if scalar == "bool":
            if text.strip().lower() not in ("true", "false"):
                raise ValueError(text)
            return text.strip().lower() == "true"
        if scalar == "float":
            return float(text)
        if scalar == "int":
            return int(text)
    except ValueError:
        raise SchemaError(f"{where}: {text!r:.60} is not a valid {scalar}") from None
    return text


def encode_value(value: Any, spec: PropertySpec) -> str:
    """A property value as text; lists as JSON."""
    if spec.is_list:
        if spec.scalar == "float":
            for item in value:
                encode_scalar(item, "float")  # refuses NaN and infinities
        return orjson.dumps(list(value)).decode()
    return encode_scalar(value, spec.scalar)


def decode_list(text: str, scalar: str, where: str) -> list[Any]:
    """A JSON list back into a list of ``scalar`` values."""
    try:
        items = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise SchemaError(f"{where}: {text!r:.60} is not a JSON list") from None
    if not isinstance(items, list):
        raise SchemaError(f"{where}: {text!r:.60} is not a JSON list")
    if scalar == "float":
        return [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in items]
    return items


def decode_value(text: str, spec: PropertySpec, where: str) -> Any:
    if spec.is_list:
        return decode_list(text, spec.scalar, where)
    return decode_scalar(text, spec.scalar, where)


def check_xml_text(text: str, where: str) -> None:
    """Refuse text that XML 1.0 cannot represent (NUL and most other C0 controls)."""
    bad = XML_FORBIDDEN.search(text)
    if bad:
        raise SchemaError(
            f"{where}: character U+{ord(bad.group()):04X} cannot be written to XML "
            "(export with --replace-invalid, or as --format json, csv or cypher)"
        )


def merged_specs(kind: str) -> dict[str, PropertySpec]:
    """Every property any label (``kind="node"``) or type (``"edge"``) may carry, by name.

    GraphML and GEXF declare attributes once per element kind, so a name must have one type
    across all labels (or types); the schema keeps it so, and this checks it.
    """
    out: dict[str, PropertySpec] = {}
    tables = (
        [SCHEMA.node_properties(label) for label in SCHEMA.nodes]
        if kind == "node"
        else [SCHEMA.rel_properties(t) for t in SCHEMA.relationships]
    )
    for table in tables:
        for name, spec in table.items():
            if name in out and out[name].type != spec.type:
                raise SchemaError(
                    f"property {name!r} has types {out[name].type} and {spec.type}: "
                    "the XML exports need one type per name"
                )
            out.setdefault(name, spec)
    return out
