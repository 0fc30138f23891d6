"""Streaming reader for ROR (Research Organization Registry) records, schema v1 and v2.

Accepts the shapes ROR data comes in: the published dump (one JSON array), JSON lines, plain or
gzip-compressed, and records in either schema, even mixed in one file. The format is detected
from the content, not the file name. A malformed record is reported through ``on_reject`` and
skipped; the rest of the file is still read.

Example::

    for record in iter_ror("ror_records_union.jsonl.gz"):
        print(record.ror_id, record.name, record.country)
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .sources import InputError

__all__ = ["RorRecord", "RorFormatError", "iter_ror", "parse_record", "short_ror_id"]

RejectHandler = Callable[[int, str, str], None]

_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/", "ror:")
_CHUNK = 1 << 20


class RorFormatError(ValueError):
    """A record that is not a usable ROR record (the message names the field)."""


@dataclass(frozen=True)
class RorRecord:
    """One ROR organisation, schema-independent.

    ``labels`` holds the names in other languages (the display name is not repeated there);
    ``aliases`` includes former names.
    """

    ror_id: str
    name: str
    labels: tuple[tuple[str, str | None], ...]
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    country: str | None
    city: str | None
    types: tuple[str, ...]
    status: str
    parents: tuple[str, ...]
    children: tuple[str, ...]
    established: int | None
    version: str | None

    @property
    def all_names(self) -> tuple[str, ...]:
        """The display name, every label and every alias, without duplicates (no acronyms)."""
        seen: dict[str, None] = {self.name: None}
        for text, _lang in self.labels:
            seen.setdefault(text, None)
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)

    @property
    def names_zh(self) -> tuple[str, ...]:
        """Chinese-language labels (language code zh or zh-*)."""
        return tuple(t for t, lang in self.labels if lang and lang.lower().startswith("zh"))


def short_ror_id(value: str) -> str:
    """``https://ror.org/01yqg2h08`` → ``01yqg2h08`` (already short ids pass through)."""
    text = value.strip()
    for prefix in _ROR_PREFIXES:
        if text.lower().startswith(prefix):
            return text[len(prefix) :]
    return text


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def _unique(values: Iterator[str | None] | list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _relations(rels: Any, wanted: str) -> tuple[str, ...]:
    if not isinstance(rels, list):
        return ()
    out: list[str | None] = []
    for rel in rels:
        if isinstance(rel, dict) and str(rel.get("type", "")).lower() == wanted:
            rid = _text(rel.get("id"))
            out.append(short_ror_id(rid) if rid else None)
    return _unique(out)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _established(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _parse_v2(obj: dict[str, Any], ror_id: str) -> RorRecord:
    names = obj.get("names")
    if not isinstance(names, list):
        raise RorFormatError("field 'names' is not a list")
    display: str | None = None
    labels: list[tuple[str, str | None]] = []
    aliases: list[str | None] = []
    acronyms: list[str | None] = []
    for entry in names:
        if not isinstance(entry, dict):
            continue
        value = _text(entry.get("value"))
        kinds = entry.get("types") or []
        if value is None or not isinstance(kinds, list):
            continue
        lang = _text(entry.get("lang"))
        if "ror_display" in kinds and display is None:
            display = value
        elif "label" in kinds:
            labels.append((value, lang))
        if "alias" in kinds:
            aliases.append(value)
        if "acronym" in kinds:
            acronyms.append(value)
    if display is None:
        raise RorFormatError("no 'names' entry of type ror_display")
    country = city = None
    locations = obj.get("locations")
    if isinstance(locations, list) and locations and isinstance(locations[0], dict):
        details = locations[0].get("geonames_details") or {}
        if isinstance(details, dict):
            country = _text(details.get("country_code"))
            city = _text(details.get("name"))
    admin = obj.get("admin") or {}
    modified = admin.get("last_modified") if isinstance(admin, dict) else None
    version = _text(modified.get("date")) if isinstance(modified, dict) else None
    return RorRecord(
        ror_id=ror_id,
        name=display,
        labels=tuple(dict.fromkeys(lab for lab in labels if lab[0] != display)),
        aliases=_unique(aliases),
        acronyms=_unique(acronyms),
        country=country.upper() if country else None,
        city=city,
        types=_unique([_text(t.lower()) if isinstance(t, str) else None for t in obj["types"]])
        if isinstance(obj.get("types"), list)
        else (),
        status=_text(obj.get("status")) or "active",
        parents=_relations(obj.get("relationships"), "parent"),
        children=_relations(obj.get("relationships"), "child"),
        established=_established(obj.get("established")),
        version=version,
    )


def _parse_v1(obj: dict[str, Any], ror_id: str) -> RorRecord:
    name = _text(obj.get("name"))
    if name is None:
        raise RorFormatError("field 'name' is missing or empty")
    labels: list[tuple[str, str | None]] = []
    for entry in obj.get("labels") or []:
        if isinstance(entry, dict) and (text := _text(entry.get("label"))) and text != name:
            labels.append((text, _text(entry.get("iso639"))))
    country_obj = obj.get("country")
    country = _text(country_obj.get("country_code")) if isinstance(country_obj, dict) else None
    city = None
    addresses = obj.get("addresses")
    if isinstance(addresses, list) and addresses and isinstance(addresses[0], dict):
        city = _text(addresses[0].get("city"))
    aliases = _list(obj.get("aliases"))
    acronyms = _list(obj.get("acronyms"))
    types = _list(obj.get("types"))
    return RorRecord(
        ror_id=ror_id,
        name=name,
        labels=tuple(dict.fromkeys(labels)),
        aliases=_unique([_text(a) for a in aliases]),
        acronyms=_unique([_text(a) for a in acronyms]),
        country=country.upper() if country else None,
        city=city,
        types=_unique([_text(t.lower()) if isinstance(t, str) else None for t in types]),
        status=(_text(obj.get("status")) or "active").lower(),
        parents=_relations(obj.get("relationships"), "parent"),
        children=_relations(obj.get("relationships"), "child"),
        established=_established(obj.get("established")),
        version=None,
    )


def parse_record(obj: Any) -> RorRecord:
    """One decoded JSON object (v1 or v2) → :class:`RorRecord`; raises :class:`RorFormatError`."""
    try:
        return _parse_record(obj)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        if isinstance(exc, RorFormatError):
            raise
        raise RorFormatError(f"unexpected shape: {type(exc).__name__}: {exc}") from exc


def _parse_record(obj: Any) -> RorRecord:
    if not isinstance(obj, dict):
        raise RorFormatError(f"record is a JSON {type(obj).__name__}, not an object")
    raw_id = _text(obj.get("id"))
    if raw_id is None:
        raise RorFormatError("field 'id' is missing or empty")
    ror_id = short_ror_id(raw_id)
    if "names" in obj or "locations" in obj:
        return _parse_v2(obj, ror_id)
    return _parse_v1(obj, ror_id)


# What surrogateescape makes of bytes that are not UTF-8.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="surrogateescape")
    # Non-UTF-8 bytes become lone surrogates: that record is rejected, the rest is read.
    return path.open("r", encoding="utf-8", errors="surrogateescape")


def _first_char(handle: IO[str]) -> str:
    """Peek the first non-blank character (the stream is rewound afterwards)."""
    while True:
        char = handle.read(1)
        if not char:
            return ""
        if not char.isspace() and char != "\ufeff":
            handle.seek(0)
            return char


def _iter_array(handle: IO[str], on_error: RejectHandler) -> Iterator[tuple[int, Any]]:
    """Decode the elements of one top-level JSON array without loading the whole file.

    A broken element makes the rest of the array unreadable (JSON has no resynchronisation
    point), so it is reported once and reading stops.
    """
    decoder = json.JSONDecoder()
    buffer = handle.read(_CHUNK).lstrip("\ufeff").lstrip()
    if not buffer.startswith("["):
        on_error(0, "not a JSON array", buffer[:200])
        return
    pos, index, eof = 1, 0, False
    while True:
        while pos < len(buffer) and buffer[pos] in " \t\r\n,":
            pos += 1
        if pos < len(buffer) and buffer[pos] == "]":
            return
        try:
            obj, end = decoder.raw_decode(buffer, pos)
        except RecursionError:
            reason = "invalid JSON in array element: nested too deeply"
            on_error(index, reason, buffer[pos : pos + 200])
            return
        except json.JSONDecodeError as exc:
            if eof:
                on_error(
                    index, f"invalid JSON in array element: {exc.msg}", buffer[pos : pos + 200]
                )
                return
            more = handle.read(_CHUNK)
            eof = not more
            buffer = buffer[pos:] + more
            pos = 0
            continue
        yield index, obj
        index += 1
        pos = end
        if pos > _CHUNK:
            buffer, pos = buffer[pos:], 0


def iter_ror(path: str | Path, *, on_reject: RejectHandler | None = None) -> Iterator[RorRecord]:
    """Yield every ROR record in ``path`` (JSON array or JSON lines, gzip or plain, v1 or v2).

    ``on_reject(position, reason, original_text)`` is called for each record that cannot be
    read (position = 1-based line for JSON lines, 0-based index for an array); without it bad
    records are skipped silently. Never raises on a single bad record.
    """
    file = Path(path)

    def reject(position: int, reason: str, text: str) -> None:
        if on_reject is not None:
            on_reject(position, reason, text)

    try:
        with _open_text(file) as handle:
            if _first_char(handle) == "[":
                for index, obj in _iter_array(handle, reject):
                    try:
                        yield parse_record(obj)
                    except RorFormatError as exc:
                        reject(index, str(exc), json.dumps(obj, ensure_ascii=False)[:2000])
                return
            for number, line in enumerate(handle, start=1):
                text = line.strip()
                if not text:
                    continue
                if _NOT_UTF8.search(text):
                    reject(number, "invalid UTF-8 in the record", text[:2000])
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    reject(number, f"invalid JSON: {exc.msg} (column {exc.colno})", text)
                    continue
                except RecursionError:
                    reject(number, "invalid JSON: nested too deeply", text[:2000])
                    continue
                try:
                    yield parse_record(obj)
                except RorFormatError as exc:
                    reject(number, str(exc), text)
    except UnicodeDecodeError as exc:
        # Checked at read time: the error names the file instead of escaping as a crash.
        raise InputError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (OSError, EOFError) as exc:
        # EOFError: a gzip stream that ends early (a truncated download).
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"{file}: cannot read the ROR file ({reason or 'truncated'})") from None
