"""Small helpers shared by the GraphML and GEXF writers and readers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from .manifest import SnapshotError
from .values import check_xml_text

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#9;",
    }
)


def text(value: str, where: str) -> str:
    """Element content. CR becomes ``&#13;`` because parsers turn a literal CR into LF."""
    check_xml_text(value, where)
    return value.translate(_TEXT)


def attr(value: str, where: str) -> str:
    """An attribute value in double quotes (whitespace kept through character references)."""
    check_xml_text(value, where)
    return value.translate(_ATTR)


def display_name(props: dict[str, Any], fallback: str) -> str:
    """What Gephi or yEd should show for a node: its name or title, else its id."""
    return str(props.get("name") or props.get("title") or fallback)


def iter_elements(path: Path, wanted: set[str]) -> Iterator[ET.Element]:
    """Stream the elements named in ``wanted`` (namespaced tags), clearing them afterwards.

    A DOCTYPE is refused: the snapshots never have one, and entity tricks need one.
    """
    with path.open("rb") as fh:
        if b"<!DOCTYPE" in fh.read(4096).upper():
            raise SnapshotError(f"{path}: DOCTYPE declarations are not accepted")
    try:
        for _, elem in ET.iterparse(path, events=("end",)):
            if elem.tag in wanted:
                yield elem
                elem.clear()
    except ET.ParseError as exc:
        raise SnapshotError(f"{path}: not well-formed XML ({exc})") from None
