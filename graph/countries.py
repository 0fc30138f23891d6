"""Countries as users write them: ISO 3166-1 alpha-2 codes and English names, to one code.

``country_code("Belgium")``, ``country_code("be")`` and ``country_code("People's Republic of
China")`` give ``"BE"``, ``"BE"`` and ``"CN"``. Matching ignores case, accents, punctuation,
spaces and the words "of", "the" and "and"; it is exact after that, so a typo is refused with
:class:`UnknownCountry`, whose message lists the closest countries (rapidfuzz). The table, with
its origin, is ``countries.toml`` beside this module.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from .errors import CollabgraphError

__all__ = [
    "Country",
    "UnknownCountry",
    "close_countries",
    "countries",
    "country_cell",
    "country_code",
]

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`´]")
_FILLERS = frozenset({"of", "the", "and"})
# How close a name must be (0-100, the better of rapidfuzz's ratio and token-set ratio) to be
# offered when a value is refused, and how many are offered at most.
CLOSE_SCORE = 75.0
CLOSE_LIMIT = 5


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class UnknownCountry(CollabgraphError, ValueError):
    """A value that is neither an ISO 3166-1 alpha-2 code nor a country name in the table."""


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes or fillers, punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _APOSTROPHES.sub("", plain.replace("&", " and "))
    words = _NON_WORD.sub(" ", plain).replace("_", " ").split()
    return " ".join(w for w in words if w not in _FILLERS)


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


@cache
def countries() -> dict[str, Country]:
    """Every country in the table, by code."""
    text = resources.files(__package__).joinpath("countries.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)["countries"]
    return {
        code: Country(code, entry["name"], tuple(entry.get("aliases", ())))
        for code, entry in table.items()
    }


@cache
def _index() -> dict[str, str]:
    """Folded code, name and alias → code. A form that would name two countries is an error."""
    index: dict[str, str] = {}
    for country in countries().values():
        for form in (country.code, country.name, *country.aliases):
            key = _key(form)
            if index.setdefault(key, country.code) != country.code:
                raise ValueError(f"countries.toml: {form!r} names {index[key]} and {country.code}")
    return index


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code ``text`` names; :class:`UnknownCountry` when none."""
    code = _index().get(_key(text))
    if code is None or not text.strip():
        raise UnknownCountry(_refusal(text))
    return code


def country_cell(value: str | None, where: str) -> str | None:
    """A country column's cell as a code, ``None`` when empty; ``where`` (file, line, column)
    starts the message of the :class:`UnknownCountry` raised for a value the table lacks."""
    if value is None or not value.strip():
        return None
    try:
        return country_code(value)
    except UnknownCountry as exc:
        raise UnknownCountry(f"{where}: {exc}") from None


def close_countries(text: str, limit: int = CLOSE_LIMIT) -> list[Country]:
    """The countries whose code, name or an alias is nearest ``text``, best first."""
    wanted = fold(text)
    if not wanted:
        return []
    best: dict[str, float] = {}
    for country in countries().values():
        for form in (country.code, country.name, *country.aliases):
            folded = fold(form)
            score = max(fuzz.ratio(wanted, folded), fuzz.token_set_ratio(wanted, folded))
            if score >= CLOSE_SCORE and score > best.get(country.code, 0.0):
                best[country.code] = score
    ranked = sorted(best, key=lambda code: (-best[code], code))
    return [countries()[code] for code in ranked[:limit]]


def _refusal(text: str) -> str:
    close = close_countries(text)
    hint = (
        f"close: {', '.join(str(c) for c in close)}"
        if close
        else "give an ISO 3166-1 alpha-2 code (BE, CN, US) or an English name"
    )
    return f"{text!r} is not a country code or name I know; {hint}"
