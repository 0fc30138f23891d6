"""Deterministic node ids.

Real identifiers are used where they exist (OpenAlex, ROR, ORCID, DOI), each under its own
prefix; otherwise a namespaced hash of the natural key. The same input always gives the same id,
so loading the same data twice yields the same graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_OPENALEX = re.compile(r"(?:https?://openalex\.org/)?([WAISTPFC]\d+)$", re.IGNORECASE)
_ROR = re.compile(r"(?:https?://ror\.org/)?(0[a-z0-9]{6}\d{2})$", re.IGNORECASE)
_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\S+)$", re.IGNORECASE)


def _match(pattern: re.Pattern[str], value: str | None) -> str | None:
    if not value:
        return None
    m = pattern.match(str(value).strip())
    return m.group(1) if m else None


def openalex_short(value: str | None) -> str | None:
    """``https://openalex.org/W123`` → ``W123`` (None if it is not an OpenAlex id)."""
    short = _match(_OPENALEX, value)
    return short.upper() if short else None


def ror_short(value: str | None) -> str | None:
    """``https://ror.org/01yqg2h08`` → ``01yqg2h08`` (None if it is not a ROR id)."""
    short = _match(_ROR, value)
    return short.lower() if short else None


def orcid_short(value: str | None) -> str | None:
    short = _match(_ORCID, value)
    return short.upper() if short else None


def doi_short(value: str | None) -> str | None:
    """A DOI in any common spelling → its lower-case ``10.…`` form."""
    short = _match(_DOI, value)
    return short.lower() if short else None


def normalise_key(text: str) -> str:
    """Case-, accent- and space-insensitive form of a natural key part."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def hashed_id(namespace: str, *parts: object) -> str:
    """``cg:<namespace>:<16 hex>`` from the normalised parts of a natural key."""
    joined = "\x1f".join(normalise_key(str(p)) for p in parts)
    digest = hashlib.sha256(f"{namespace}\x1e{joined}".encode()).hexdigest()[:16]
    return f"cg:{namespace}:{digest}"


def openalex_id(value: str) -> str | None:
    short = openalex_short(value)
    return f"openalex:{short}" if short else None


def ror_id(value: str) -> str | None:
    short = ror_short(value)
    return f"ror:{short}" if short else None


def researcher_id(
    *,
    openalex: str | None = None,
    orcid: str | None = None,
    name: str | None = None,
    context: str = "",
) -> str:
    """OpenAlex author id, else ORCID, else a hash of name and context (e.g. a paper id)."""
    if openalex and (oid := openalex_id(openalex)):
        return oid
    if orcid and (short := orcid_short(orcid)):
        return f"orcid:{short}"
    if not name:
        raise ValueError("a researcher needs an OpenAlex id, an ORCID or a name")
    return hashed_id("researcher", name, context)


def institution_id(
    *,
    ror: str | None = None,
    openalex: str | None = None,
    name: str | None = None,
    country: str | None = None,
) -> str:
    """ROR id, else OpenAlex institution id, else a hash of name and country."""
    if ror and (rid := ror_id(ror)):
        return rid
    if openalex and (oid := openalex_id(openalex)):
        return oid
    if not name:
        raise ValueError("an institution needs a ROR id, an OpenAlex id or a name")
    return hashed_id("institution", name, country or "")


def paper_id(
    *,
    openalex: str | None = None,
    doi: str | None = None,
    title: str | None = None,
    year: int | None = None,
) -> str:
    """OpenAlex work id, else DOI, else a hash of title and year."""
    if openalex and (oid := openalex_id(openalex)):
        return oid
    if doi and (short := doi_short(doi)):
        return f"doi:{short}"
    if not title:
        raise ValueError("a paper needs an OpenAlex id, a DOI or a title")
    return hashed_id("paper", title, year if year is not None else "")
