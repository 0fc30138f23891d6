"""``review team`` on the real bundled sample, against a hand count of its raw files.

The hand count reads be_cn_works.json and the lists with the standard library only
(tests/report/hand_count.py): the papers of a person in the window, and the institutions of
their co-authors on those papers that a high-tier list names.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from collabgraph.queries.team import review_team
from collabgraph.queries.team_people import Member

from ..report.hand_count import SAMPLE, high_risk_names, norm

pytestmark = pytest.mark.slow

PEOPLE = [
    ("Wim Desmet", "KU Leuven"),
    ("Johan Hofkens", "KU Leuven"),
    ("F. Zenoni", "Université Libre de Bruxelles"),
    ("Jingxiang Yang", "Vrije Universiteit Brussel"),
    ("Paul Van Dooren", "UCLouvain"),
]
AS_OF = date(2020, 12, 31)  # five years back: the papers of 2015–2020


def _author(text: str) -> tuple[str, str]:
    found = re.match(r"^(.*) \((.*)\)$", text)
    return (found.group(1), found.group(2)) if found else (text, "")


def hand_findings(name: str, place: str, first: int, last: int) -> set[tuple[str, str]]:
    """(paper id, institution) for each listed co-author institution on the person's papers."""
    listed = high_risk_names()
    works = json.loads((SAMPLE / "be_cn_works.json").read_text("utf-8"))
    out = set()
    for work in works:
        year = work.get("publication_year")
        if not isinstance(year, int) or not first <= year <= last:
            continue
        authors = [_author(a) for group in work["authors_by_country"].values() for a in group]
        if (name, place) not in authors:
            continue
        for other in authors:
            if other != (name, place) and norm(other[1]) in listed:
                out.add((work["paper_id"].rsplit("/", 1)[1], norm(other[1])))
    return out


def test_findings_match_the_hand_count(sample: Any) -> None:
    found = review_team(
        sample,
        [Member(i, name=n, institution=p) for i, (n, p) in enumerate(PEOPLE, 2)],
        as_of=AS_OF,
        max_hops=0,
    )
    assert (found.window.first, found.window.last) == (2015, 2020)
    for (name, place), person in zip(PEOPLE, found.people, strict=True):
        assert person.resolution.status == "found", person.resolution
        got = {(f.papers[0].id.split(":", 1)[1], norm(f.institution[1])) for f in person.findings}
        assert got == hand_findings(name, place, 2015, 2020), name
    desmet, hofkens, zenoni, yang, van_dooren = found.people
    # Desmet: W2495172718 (2015) with Zhi-Sai Ma of the Beijing Institute of Technology,
    # on the ASPI tracker (2020) and every Section 1286 year: before every listing.
    (bit,) = desmet.findings
    assert bit.coauthors[0][1] == "Zhi-Sai Ma" and bit.predates_listing is True
    assert {x.listing.list_name for x in bit.listings} >= {
        "ASPI China Defence Universities Tracker",
        "US DoD Section 1286 list FY2022",
    }
    assert [f.institution[1] for f in hofkens.findings] == ["Tianjin University"]
    assert len(zenoni.findings) == 3
    # Yang: 2016 with Northwestern Polytechnical University, one of the Seven Sons.
    assert [f.institution[1] for f in yang.findings] == ["Northwestern Polytechnical University"]
    # Van Dooren: 2020 with Xiamen University, on no list.
    assert van_dooren.status == "no finding in the window"
    assert sum(r["papers"] for r in van_dooren.papers_per_year) >= 1


def test_the_lists_option_picks_fiscal_years(sample: Any) -> None:
    member = [Member(2, name="F. Zenoni", institution="Université Libre de Bruxelles")]
    (fy22,) = review_team(sample, member, as_of=AS_OF, lists=["FY2022"], max_hops=0).people
    # Only the Institute of High Energy Physics was on the FY2022 list among the three.
    assert [f.institution[1] for f in fy22.findings] == ["Institute of High Energy Physics"]
    assert {x.listing.list_name for f in fy22.findings for x in f.listings} == {
        "US DoD Section 1286 list FY2022"
    }
