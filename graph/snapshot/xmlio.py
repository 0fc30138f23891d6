"""Small helpers shared by the GraphML and GEXF writers and readers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET
from xml.parsers import expat

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


CHUNK = 1 << 20


def _refuse_doctype(path: Path, fh: BinaryIO) -> None:
    """Scan the whole file with expat, refusing any DOCTYPE, wherever and however encoded.

    A DOCTYPE is where entity tricks live (billion laughs, external entities); snapshots never
    have one. Expat sees it in any encoding (UTF-16 too) and after any preamble, which a byte
    search of the file's start cannot. With no other handler set the scan runs at C speed, so
    the element pass that follows keeps the C tree builder.
    """

    def refuse(*_: object) -> None:
        raise SnapshotError(f"{path}: DOCTYPE declarations are not accepted")

    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = refuse
    while chunk := fh.read(CHUNK):
        scanner.Parse(chunk, False)
    scanner.Parse(b"", True)


def iter_elements(path: Path, wanted: set[str]) -> Iterator[ET.Element]:
    """Stream the complete elements named in ``wanted`` (namespaced tags), innermost first,
    clearing each once the caller has it. A DOCTYPE anywhere is refused (:func:`_refuse_doctype`);
    the file is closed on every exit."""
    try:
        with path.open("rb") as fh:
            _refuse_doctype(path, fh)
            fh.seek(0)
            for _, elem in ET.iterparse(fh, events=("end",)):
                if elem.tag in wanted:
                    yield elem
                    elem.clear()
    except (ET.ParseError, expat.ExpatError) as exc:
        raise SnapshotError(f"{path}: not well-formed XML ({exc})") from None
    except (LookupError, ValueError) as exc:
        # The XML declaration names an encoding Python lacks or expat cannot use (UTF-7 ...).
        raise SnapshotError(f"{path}: unsupported XML encoding ({exc})") from None
