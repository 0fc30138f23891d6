"""The country table and parser behind every country option (graph/countries.py)."""

from __future__ import annotations

import re

import pytest

from collabgraph.graph.countries import (
    UnknownCountry,
    close_countries,
    countries,
    country_cell,
    country_code,
)


def test_the_table_holds_every_iso_code_once() -> None:
    table = countries()
    # 249 codes assigned in ISO 3166-1, plus XK (Kosovo) as ROR and GeoNames use it.
    assert len(table) == 250
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in table)
    assert {"BE", "CN", "US", "GB", "DE", "TW", "HK", "MO", "KP", "KR", "XK", "AQ"} <= set(table)
    for code in table:
        assert country_code(code) == code
        assert country_code(code.lower()) == code
        assert country_code(table[code].name) == code


@pytest.mark.parametrize(
    "text, code",
    [
        ("Belgium", "BE"),
        ("BELGIUM", "BE"),
        (" belgique ", "BE"),
        ("België", "BE"),
        ("belgie", "BE"),
        ("China", "CN"),
        ("People's Republic of China", "CN"),
        ("Peoples Republic of China", "CN"),
        ("P.R. China", "CN"),
        ("PRC", "CN"),
        ("中国", "CN"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("Germany", "DE"),
        ("The Netherlands", "NL"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Bosnia & Herzegovina", "BA"),
        ("DR Congo", "CD"),
        ("Congo Republic", "CG"),
        ("Hong Kong", "HK"),
        ("Taiwan", "TW"),
        ("Russia", "RU"),
        # Names as ROR's records (GeoNames) give them.
        ("St Kitts and Nevis", "KN"),
        ("St Vincent and Grenadines", "VC"),
        ("U.S. Virgin Islands", "VI"),
        ("Vatican City", "VA"),
        ("Åland", "AX"),
        ("Bonaire, Sint Eustatius, and Saba", "BQ"),
        ("Kosovo", "XK"),
    ],
)
def test_codes_and_english_names_give_the_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text, close",
    [
        ("Belgum", ["BE"]),
        ("Korea", ["KP", "KR"]),
        ("Untied States", ["US"]),
        ("Chna", ["CN"]),
    ],
)
def test_what_it_cannot_map_is_refused_naming_close_codes(text: str, close: list[str]) -> None:
    with pytest.raises(UnknownCountry) as raised:
        country_code(text)
    message = str(raised.value)
    assert "\n" not in message and repr(text) in message
    near = [c.code for c in close_countries(text)]
    assert set(close) <= set(near), near
    for code in close:
        assert f"{code} ({countries()[code].name})" in message


@pytest.mark.parametrize("text", ["", "  ", "XX", "Zzyzx", "Atlantis"])
def test_nothing_close_says_what_to_give(text: str) -> None:
    with pytest.raises(UnknownCountry, match="ISO 3166-1 alpha-2 code"):
        country_code(text)


def test_a_cell_is_a_code_none_when_empty_and_refused_with_its_place() -> None:
    assert country_cell("Belgium", "f.csv: line 2") == "BE"
    assert country_cell("", "f.csv: line 2") is None
    assert country_cell(None, "f.csv: line 2") is None
    with pytest.raises(UnknownCountry, match=r"^f\.csv: line 2: 'Atlantis' is not"):
        country_cell("Atlantis", "f.csv: line 2")
