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


class _Builder:
    """An expat target that builds the elements the readers need and refuses any DOCTYPE.

    A DOCTYPE is where entity tricks live (billion laughs, external entities); snapshots never
    have one, and the hook sees it wherever it appears and in any encoding (UTF-16 too), which
    a byte search of the file's start cannot. Wanted elements are detached from their parent
    once complete, so memory stays bounded by one element, not the whole document.
    """

    def __init__(self, path: Path, wanted: set[str]) -> None:
        self.path, self.wanted = path, wanted
        self.stack: list[ET.Element] = []
        self.done: list[ET.Element] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        elem = ET.Element(tag, attrib)
        if self.stack:
            self.stack[-1].append(elem)
        self.stack.append(elem)

    def end(self, tag: str) -> None:
        elem = self.stack.pop()
        if elem.tag in self.wanted:
            if self.stack:
                self.stack[-1].remove(elem)
            self.done.append(elem)

    def data(self, content: str) -> None:
        # Only text before an element's first child is kept (all the readers use).
        if self.stack and len(self.stack[-1]) == 0:
            elem = self.stack[-1]
            elem.text = (elem.text or "") + content

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise SnapshotError(f"{self.path}: DOCTYPE declarations are not accepted")

    def close(self) -> None:
        return None


CHUNK = 1 << 20


def iter_elements(path: Path, wanted: set[str]) -> Iterator[ET.Element]:
    """Stream the complete elements named in ``wanted`` (namespaced tags), innermost first.

    A DOCTYPE anywhere is refused (see :class:`_Builder`); the file is closed on every exit.
    """
    builder = _Builder(path, wanted)
    parser = ET.XMLParser(target=builder)
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                parser.feed(chunk)
                yield from _drain(builder.done)
            parser.close()
            yield from _drain(builder.done)
    except ET.ParseError as exc:
        raise SnapshotError(f"{path}: not well-formed XML ({exc})") from None
    except (LookupError, ValueError) as exc:
        # The XML declaration names an encoding Python lacks or expat cannot use (UTF-7 ...).
        raise SnapshotError(f"{path}: unsupported XML encoding ({exc})") from None


def _drain(done: list[ET.Element]) -> Iterator[ET.Element]:
    batch = done[:]
    done.clear()
    for elem in batch:
        yield elem
        elem.clear()
