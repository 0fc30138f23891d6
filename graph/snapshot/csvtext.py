"""A small RFC 4180 reader that tells a quoted empty field (``""``) from a missing one.

neo4j-admin import reads an unquoted empty field as "no property" and ``""`` as the empty
string; Python's ``csv`` module (before 3.12) cannot make that difference, so this reader can.
Rows are read line by line; a quoted field may span lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .manifest import SnapshotError

Field = str | None
"""A field's text, or None when it was empty and unquoted."""

_FIELD = r'(?:"(?:[^"]|"")*"|[^,"\r\n]*)'
_ROW = re.compile(rf"{_FIELD}(?:,{_FIELD})*(?:\r?\n)?")
_ONE = re.compile(r'"((?:[^"]|"")*)"|([^,"\r\n]*)')


def _fields(row: str) -> list[Field]:
    out: list[Field] = []
    pos = 0
    while True:
        match = _ONE.match(row, pos)
        assert match is not None  # the row pattern matched, so every field does
        if match.group(1) is not None:
            out.append(match.group(1).replace('""', '"'))
        else:
            out.append(match.group(2) or None)
        pos = match.end()
        if pos >= len(row) or row[pos] != ",":
            return out
        pos += 1


def read_rows(lines: Iterable[str], where: str) -> Iterator[tuple[int, list[Field]]]:
    """(line number, fields) of each row; quoted fields may span lines and double quotes."""
    parts: list[str] = []
    quotes = 0
    start_line = line = 0
    for text in lines:
        line += 1
        if not parts:
            start_line = line
        parts.append(text)
        # Quotes counted line by line: an unbalanced count means an open multi-line field, so
        # the row is only matched once they balance (no re-scan of a long pending row per line).
        quotes += text.count('"')
        if quotes % 2:
            continue
        pending = "".join(parts)
        parts, quotes = [], 0
        if not _ROW.fullmatch(pending):
            raise SnapshotError(f"{where}:{start_line}: malformed CSV row {pending[:80]!r}")
        yield start_line, _fields(pending.rstrip("\r\n"))
    if parts:
        raise SnapshotError(f"{where}:{start_line}: the file ends inside a quoted field")
