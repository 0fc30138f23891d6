"""Institution sides: a university with its faculties and institutes, on both stores.

Belgium: University U, its faculty F (PART_OF U), F's institute I (PART_OF F), and O (another
Belgian institution). China: university P (not listed), its lab L (PART_OF P, listed high on
the DoD list FY2022), L's sub-lab S (PART_OF L, not listed itself), and X (listed high, FY2024,
part of nothing).

Papers: Q1 2020 I+L; Q2 2021 F+P; Q3 2022 O+X; Q4 2023 U+X; Q5 2023 F+S (AI).
"""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.records import Node, Relationship
from collabgraph.queries.indicators import indicators
from collabgraph.queries.screen import screen
from collabgraph.queries.sides import UnknownSide, parse_side, subtree

from ..factories import load, prov
from .graph import affiliated, authored, inst, paper, researcher

DOD = "US DoD Section 1286 list"
PAPERS = {"q:1": 2020, "q:2": 2021, "q:3": 2022, "q:4": 2023, "q:5": 2023}
# paper: (home author's institution, partner author's institution)
ON = {
    "q:1": ("i:inst", "i:lab"),
    "q:2": ("i:fac", "i:puni"),
    "q:3": ("i:other", "i:x"),
    "q:4": ("i:uni", "i:x"),
    "q:5": ("i:fac", "i:sublab"),
}


def listed(iid: str, year: int) -> Relationship:
    return Relationship(
        "LISTED_ON",
        iid,
        "list:dod",
        prov(tier="high", category="Chinese military company", fiscal_year=year),
    )


def build() -> tuple[list[Node], list[Relationship]]:
    nodes = [
        inst("i:uni", "University of Uplands", "BE"),
        inst("i:fac", "Faculty of Engineering, Uplands", "BE"),
        inst("i:inst", "Institute of Robotics, Uplands", "BE"),
        inst("i:other", "Other Belgian Institute", "BE"),
        inst("i:puni", "Partner University", "CN"),
        inst("i:lab", "Partner Key Laboratory", "CN"),
        inst("i:sublab", "Partner Key Laboratory Sensor Group", "CN"),
        inst("i:x", "Xylo Institute", "CN"),
        Node("RiskList", "list:dod", prov(name=DOD)),
        Node("Technology", "tech:ai", prov(name="Artificial intelligence", code="2")),
    ]
    rels = [
        Relationship("PART_OF", "i:fac", "i:uni", prov(method="ror")),
        Relationship("PART_OF", "i:inst", "i:fac", prov(method="ror")),
        Relationship("PART_OF", "i:lab", "i:puni", prov(method="ror")),
        Relationship("PART_OF", "i:sublab", "i:lab", prov(method="ror")),
        listed("i:lab", 2022),
        listed("i:x", 2024),
        Relationship("CONCERNS", "q:5", "tech:ai", prov(score=0.8)),
    ]
    for pid, year in PAPERS.items():
        nodes.append(paper(pid, f"Paper {pid}", year))
        for n, iid in enumerate(ON[pid]):
            rid = f"r:{pid[2:]}{n}"
            nodes.append(researcher(rid, f"Author {pid[2:]}{n}"))
            rels += [authored(rid, pid, year), affiliated(rid, iid, [(pid, year)])]
    return nodes, rels


def rows(result: Any) -> list[tuple[int, int, int, int, int]]:
    keys = ("year", "joint", "high_risk", "high_risk_critical", "before_listing")
    return [tuple(r[k] for k in keys) for r in result.rows]


def units(result: Any) -> dict[tuple[str, str], tuple[int, int, list[str], list[str]]]:
    return {
        (u["side"], u["id"]): (u["joint"], u["high_risk"], u["lists"], u["held_by"])
        for u in result.by_unit
    }


@pytest.fixture
def built(store: Any) -> Any:
    load(store, *build())
    return store


def test_a_side_is_a_country_or_a_subtree_at_any_depth(built: Any) -> None:
    assert parse_side(built, "Belgium").key == "BE" and parse_side(built, "cn").scope == "country"
    side = parse_side(built, "University of Uplands")
    assert side.is_institution and side.key == "i:uni"
    assert side.units == {"i:uni", "i:fac", "i:inst"} and side.countries == {"BE"}
    assert parse_side(built, "i:lab").units == {"i:lab", "i:sublab"}
    with pytest.raises(UnknownSide, match="'Nowhere Polytechnic' is neither a country nor"):
        parse_side(built, "Nowhere Polytechnic")
    load(built, [inst("i:twin1", "Twin College", "BE"), inst("i:twin2", "Twin College", "CN")], [])
    with pytest.raises(UnknownSide, match="ambiguous; candidates: Twin College .*i:twin1.*i:twin2"):
        parse_side(built, "Twin College")


def test_subtree_survives_a_part_of_cycle(built: Any) -> None:
    load(built, [], [Relationship("PART_OF", "i:uni", "i:inst", prov(method="ror"))])
    assert subtree(built.view(), ["i:uni"]) == {"i:uni", "i:fac", "i:inst"}
    assert subtree(built.view(), ["i:inst"]) == {"i:uni", "i:fac", "i:inst"}


def test_home_university_counts_its_faculties_and_institutes(built: Any) -> None:
    result = indicators(built, "University of Uplands", "CN")
    # Q1 (institute, listed lab: FY2022 after 2020), Q2 (faculty, unlisted P), Q4 (U itself,
    # X listed FY2024 after 2023), Q5 (faculty, the sub-lab inherits the lab's listing, AI).
    # Q3 is O's: not ours.
    assert rows(result) == [(2020, 1, 1, 0, 1), (2021, 1, 0, 0, 0), (2023, 2, 2, 1, 1)]
    assert units(result) == {
        ("home", "i:inst"): (1, 1, [f"{DOD} (high)"], ["i:lab"]),
        ("home", "i:fac"): (2, 1, [f"{DOD} (high)"], ["i:lab"]),
        ("home", "i:uni"): (1, 1, [f"{DOD} (high)"], ["i:x"]),
    }
    dod = result.by_list[0]
    assert (dod["list"], dod["high_risk"]) == ("list:dod", 3)
    assert dod["held_by"] == ["i:lab", "i:x"] and dod["units"] == ["i:lab", "i:sublab", "i:x"]
    assert result.parameters["home_side"] == {
        "kind": "institution",
        "id": "i:uni",
        "name": "University of Uplands",
        "units": 3,
    }
    country = indicators(built, "BE", "CN")
    assert rows(country) == [
        (2020, 1, 1, 0, 1),
        (2021, 1, 0, 0, 0),
        (2022, 1, 1, 0, 1),
        (2023, 2, 2, 1, 1),
    ]


def test_partner_university_with_a_listed_unit(built: Any) -> None:
    # The lab is listed, its university is not: papers with the lab or its sub-lab count as
    # high risk for the university's subtree, and the breakdown names the unit and the list.
    result = indicators(built, "BE", "Partner University")
    assert rows(result) == [(2020, 1, 1, 0, 1), (2021, 1, 0, 0, 0), (2023, 1, 1, 1, 0)]
    assert units(result) == {
        ("partner", "i:lab"): (1, 1, [f"{DOD} (high)"], ["i:lab"]),
        ("partner", "i:sublab"): (1, 1, [f"{DOD} (high) via i:lab"], ["i:lab"]),
        ("partner", "i:puni"): (1, 0, [], []),
    }
    # The faculty's subtree holds its institute (Q1), the lab's its sub-lab (Q5).
    both = indicators(built, "i:fac", "i:lab")
    assert rows(both) == [(2020, 1, 1, 0, 1), (2023, 1, 1, 1, 0)]
    assert set(units(both)) == {
        ("home", "i:inst"),
        ("home", "i:fac"),
        ("partner", "i:lab"),
        ("partner", "i:sublab"),
    }
    assert indicators(built, "i:other", "Partner University").rows == []


def test_screening_a_parent_shows_its_listed_units_apart(built: Any) -> None:
    [parent] = screen(built, ["Partner University"])
    assert parent.tier == "none" and parent.inherited_tier == "none"
    shown = [(a["unit"], a["via"], a["list"], a["fiscal_year"]) for a in parent.assertions]
    assert shown == [("i:lab", None, "list:dod", 2022)], parent.assertions
    [lab] = screen(built, ["Partner Key Laboratory"])
    assert lab.tier == "high"
    assert [(a["unit"], a["via"]) for a in lab.assertions] == [(None, None)]
    [sub] = screen(built, ["i:sublab"])
    assert sub.tier == "none" and sub.inherited_tier == "high"
    assert [(a["unit"], a["via"]) for a in sub.assertions] == [(None, "i:lab")]
