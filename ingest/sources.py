"""Reading input files as a stream of raw records, whatever their shape.

JSON inputs are auto-detected: a JSON array (the ROR dump), an OpenAlex API page
(``{"meta": …, "results": […]}``), a single JSON object, or JSON lines (the OpenAlex snapshot
part files), each optionally gzip-compressed. CSV files are read row by row. Memory stays
bounded: JSON lines are read line by line and JSON arrays element by element; only a single
non-array JSON document (an API page, a few MB) is read whole.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from collabgraph.graph.errors import CollabgraphError

_CHUNK = 1 << 16
# How much of a file starting with '[' is read to tell a JSON array from JSON lines.
_FIRST_LINE_LIMIT = 1 << 23
_DECODER = json.JSONDecoder()


class InputError(CollabgraphError):
    """An input file cannot be read or has an unknown format (the message names the file)."""


# What the ``surrogateescape`` decoding in open_text makes of bytes that are not UTF-8.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def not_utf8(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 in the file (see :func:`open_text`)."""
    return _NOT_UTF8.search(text) is not None


@dataclass(frozen=True)
class RawRecord:
    """One record as read: where it came from, its text, and its parsed value or the error."""

    locator: str
    text: str
    data: Any = None
    error: str | None = None


def open_text(path: Path) -> IO[str]:
    """Open ``path`` for reading text, decompressing it when it starts with the gzip magic.

    Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``) instead of
    ending the read: the record holding them fails to parse or validate and goes to the reject
    file, and the rest of the file is still read.
    """
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        if magic == b"\x1f\x8b":
            return io.TextIOWrapper(
                gzip.open(path, "rb"), encoding="utf-8", errors="surrogateescape", newline=""
            )
        return path.open(encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def _first_char(fh: IO[str]) -> tuple[str, str]:
    """The first non-blank character and everything read so far (so nothing is lost)."""
    seen = ""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return "", seen
        seen += chunk
        stripped = seen.lstrip("\ufeff \t\r\n")
        if stripped:
            return stripped[0], seen


def iter_json_records(path: Path) -> Iterator[RawRecord]:
    """Yield every record of a JSON, JSON-lines or OpenAlex API-page file (gzip or not).

    A line of JSON lines that does not parse is yielded with ``error`` set, so the caller can
    reject it and go on. An unknown format raises :class:`InputError` naming the file.
    """
    try:
        with open_text(path) as fh:
            first, head = _first_char(fh)
            if first == "[":
                yield from _iter_array_or_lines(path, fh, head)
            elif first == "{":
                yield from _iter_object_or_lines(path, fh, head)
            elif first == "":
                return
            else:
                raise InputError(f"{path}: not JSON, JSON lines or an OpenAlex API page")
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to read") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({exc})") from exc


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _read_first_line(fh: IO[str], text: str, limit: int | None = None) -> str:
    """Extend ``text`` until it holds a newline (or the file, or ``limit`` characters, ends)."""
    while "\n" not in text and (limit is None or len(text) < limit):
        more = fh.read(_CHUNK)
        if not more:
            break
        text += more
    return text


def _iter_object_or_lines(path: Path, fh: IO[str], head: str) -> Iterator[RawRecord]:
    text = _read_first_line(fh, head)
    if not _parses(text.partition("\n")[0]):
        # One JSON document spread over several lines: an API page or a single object.
        whole = text + fh.read()
        try:
            doc = json.loads(whole)
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from exc
        yield from _expand(path, doc, whole)
        return
    yield from _iter_lines(path, fh, text)


def _iter_array_or_lines(path: Path, fh: IO[str], head: str) -> Iterator[RawRecord]:
    """A file starting with ``[``: a JSON array, or JSON lines whose first line is an array.

    A first line that is complete JSON followed by more non-blank lines means JSON lines (the
    array on line 1 is then one bad record, not the whole file). Only a bounded first line is
    examined, so a huge one-line array still streams element by element.
    """
    text = _read_first_line(fh, head, limit=_FIRST_LINE_LIMIT)
    first_line, newline, rest = text.partition("\n")
    if newline and _parses(first_line):
        while not rest.strip():
            more = fh.read(_CHUNK)
            if not more:
                break
            rest += more
            text += more
        if rest.strip():
            yield from _iter_lines(path, fh, text)
            return
    yield from _iter_array(path, fh, text)


def _iter_lines(path: Path, fh: IO[str], text: str) -> Iterator[RawRecord]:
    buffer = text
    line_no = 0
    while True:
        while "\n" in buffer:
            line, buffer = buffer.split("\n", 1)
            line_no += 1
            yield from _parse_line(path, line_no, line)
        more = fh.read(_CHUNK)
        if not more:
            break
        buffer += more
    if buffer.strip():
        yield from _parse_line(path, line_no + 1, buffer)


def _parse_line(path: Path, line_no: int, line: str) -> Iterator[RawRecord]:
    line = line.strip()
    if not line:
        return
    locator = f"{path.name}:{line_no}"
    try:
        data = json.loads(line)
    except ValueError as exc:
        yield RawRecord(locator, line, error=f"bad JSON: {exc}")
        return
    except RecursionError:
        yield RawRecord(locator, line[:2000], error="bad JSON: nested too deeply")
        return
    if isinstance(data, dict) and isinstance(data.get("results"), list) and "meta" in data:
        # A saved API page per line: expand its results.
        for index, item in enumerate(data["results"]):
            yield RawRecord(f"{locator}#{index}", json.dumps(item, ensure_ascii=False), item)
        return
    yield RawRecord(locator, line, data)


def _expand(path: Path, doc: Any, text: str) -> Iterator[RawRecord]:
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        items: list[Any] = doc["results"]
    elif isinstance(doc, list):
        items = doc
    else:
        items = [doc]
    for index, item in enumerate(items):
        yield RawRecord(f"{path.name}#{index}", json.dumps(item, ensure_ascii=False), item)


def _iter_array(path: Path, fh: IO[str], head: str) -> Iterator[RawRecord]:
    """Decode a top-level JSON array one element at a time."""
    buffer = head.lstrip("\ufeff \t\r\n")[1:]
    index = 0
    eof = False
    while True:
        buffer = buffer.lstrip(" \t\r\n,")
        if buffer.startswith("]"):
            _expect_end(path, fh, buffer[1:])
            return
        if not buffer and eof:
            raise InputError(f"{path}: the JSON array is not closed (truncated file?)")
        try:
            value, end = _DECODER.raw_decode(buffer)
        except ValueError as exc:
            if eof:
                raise InputError(f"{path}: element {index} is not valid JSON ({exc})") from exc
            more = fh.read(_CHUNK)
            eof = not more
            buffer += more
            continue
        # An element that ends exactly at the buffer's end may be a truncated number.
        if end == len(buffer) and not eof:
            more = fh.read(_CHUNK)
            if more:
                buffer += more
                continue
            eof = True
        yield RawRecord(f"{path.name}#{index}", buffer[:end], value)
        index += 1
        buffer = buffer[end:]


def _expect_end(path: Path, fh: IO[str], tail: str) -> None:
    """Only blanks may follow a JSON array's closing bracket; anything else would be lost."""
    while not tail.strip():
        tail = fh.read(_CHUNK)
        if not tail:
            return
    extra = tail.strip()[:40]
    raise InputError(f"{path}: data after the end of the JSON array ({extra!r}…)")


def iter_csv_records(path: Path) -> Iterator[RawRecord]:
    """Yield each CSV row as a dict (``data``) with its line number; bad rows carry ``error``."""
    try:
        with open_text(path) as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise InputError(f"{path}: empty CSV file (no header line)")
            header = list(reader.fieldnames)
            for row in reader:
                locator = f"{path.name}:{reader.line_num}"
                text = json.dumps(row, ensure_ascii=False)
                if None in row:
                    yield RawRecord(locator, text, error="more fields than the header has")
                    continue
                if any(v is None for v in row.values()):
                    yield RawRecord(locator, text, error="fewer fields than the header has")
                    continue
                yield RawRecord(locator, text, {k: row[k] for k in header})
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        # EOFError: a gzip stream that ends early (a truncated download).
        raise InputError(f"{path}: cannot read the CSV file ({exc or type(exc).__name__})") from exc


def iter_records(path: Path) -> Iterator[RawRecord]:
    """Records of a CSV file (by extension) or of any JSON shape (auto-detected)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".csv", ".tsv")):
        return iter_csv_records(path)
    return iter_json_records(path)
