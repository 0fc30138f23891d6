"""A minimal RFC 4180 reader that tells a quoted empty field (``""``) from a missing one.

neo4j-admin import reads an unquoted empty field as "no property" and ``""`` as the empty
string; Python's ``csv`` module (before 3.12) cannot make that difference, so this reader can.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

Field = str | None
"""A field's text, or None when it was empty and unquoted."""


def read_rows(fh: TextIO, where: str) -> Iterator[list[Field]]:
    """Rows of fields; quotes are doubled inside quoted fields, which may span lines."""
    row: list[Field] = []
    buf: list[str] = []
    quoted = False
    in_quotes = False
    line = 1
    data = iter(lambda: fh.read(1 << 16), "")
    pending = ""
    for chunk in data:
        text = pending + chunk
        pending = ""
        i = 0
        while i < len(text):
            ch = text[i]
            if in_quotes:
                if ch == '"':
                    if i + 1 == len(text):
                        pending = '"'  # decide with the next chunk: "" or end of quotes
                        break
                    if text[i + 1] == '"':
                        buf.append('"')
                        i += 1
                    else:
                        in_quotes = False
                else:
                    if ch == "\n":
                        line += 1
                    buf.append(ch)
            elif ch == '"':
                if buf:
                    raise ValueError(f"{where}:{line}: a quote in the middle of a field")
                in_quotes = quoted = True
            elif ch == ",":
                row.append("".join(buf) if (buf or quoted) else None)
                buf, quoted = [], False
            elif ch == "\n":
                row.append("".join(buf) if (buf or quoted) else None)
                yield row
                row, buf, quoted = [], [], False
                line += 1
            elif ch != "\r":
                buf.append(ch)
            i += 1
    if pending:
        in_quotes = False
    if in_quotes:
        raise ValueError(f"{where}:{line}: the file ends inside a quoted field")
    if buf or quoted or row:
        row.append("".join(buf) if (buf or quoted) else None)
        yield row
