"""Reading the line-based snapshot files (CSV, Cypher) as UTF-8, with errors that name the line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .manifest import SnapshotError


def utf8_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text with its line ending) of each line; a UTF-8 BOM at the start is dropped.

    Lines end at ``\\n`` only (a CR inside a quoted CSV field or before the ``\\n`` is kept),
    and a byte sequence that is not UTF-8 is a one-line :class:`SnapshotError` naming the line
    and column rather than a ``UnicodeDecodeError`` from somewhere inside a parser.
    """
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SnapshotError(
                    f"{path}:{number}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                    f"{exc.start + 1}); save the file as UTF-8"
                ) from None
            yield number, text.removeprefix("\ufeff") if number == 1 else text
