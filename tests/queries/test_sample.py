"""The queries on the real bundled BE-CN sample (ingest/sample), on both stores.

The sample is ingested once into an embedded store (ingest_sample), and that graph is copied
into Neo4j once per module (the store contract suite holds both stores to the same writes;
ingesting straight into Neo4j takes about five times as long).
"""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.queries.exposure import exposure
from collabgraph.queries.find import find_node
from collabgraph.queries.indicators import indicators
from collabgraph.queries.neighbourhood import neighbourhood
from collabgraph.queries.paths import paths_to_risk
from collabgraph.queries.screen import screen

from ..report.hand_count import hand_count, ror_subtree_names

pytestmark = pytest.mark.slow

SEVEN_SONS = "Seven sons of national defence"


def test_a_researcher_reaches_a_seven_sons_university_in_three_hops(sample: Any) -> None:
    # Wim Desmet (KU Leuven) co-authored W2495172718 (2015) with Zhi-Sai Ma of the Beijing
    # Institute of Technology, one of the Seven Sons, listed by ASPI (2020 scrape).
    desmet = find_node(sample, "Wim Desmet", labels=["Researcher"])
    found = paths_to_risk(sample, desmet.id, max_hops=3, min_tier="very high")
    seven = [p for p in found if p.relationships[-1].evidence.get("category") == SEVEN_SONS]
    assert seven, [p.as_dict() for p in found]
    path = seven[0]
    assert path.length == 3
    assert [n.name for n in path.nodes[1 : path.length + 1]][1:] == [
        "Zhi-Sai Ma",
        "Beijing Institute of Technology",
    ]
    assert path.nodes[1].id == "openalex:W2495172718"
    assert path.relationships[0].evidence["year"] == 2015
    assert path.before_listing is True and path.first_listed == 2020


def test_indicators_match_a_hand_count(sample: Any) -> None:
    # 2009 in be_cn_works.json, read by hand: 8 BE-CN works. At tier high or above, 3 have a
    # listed Chinese institution: W1041755233 (Shanghai Jiao Tong University, DoD §1286
    # FY2025) and W2537057573 and W1990491187 (University of Science and Technology of China,
    # DoD §1286 FY2024-25). Northeastern University and Huazhong UST are only on ASPI as
    # "Civilian" (medium), the other five institutions on no list. All three predate the lists.
    result = indicators(sample, "BE", "CN", years=(2009, 2009))
    assert [(r["year"], r["joint"], r["high_risk"], r["before_listing"]) for r in result.rows] == [
        (2009, 8, 3, 3)
    ], result.rows
    partners = {p["name"]: p["high_risk"] for p in result.by_partner if p["high_risk"]}
    assert partners == {
        "University of Science and Technology of China": 2,
        "Shanghai Jiao Tong University": 1,
    }
    # Each fiscal year of the DoD list is its own RiskList: FY2025 names both, FY2024 USTC only.
    assert {x["list_name"]: x["high_risk"] for x in result.by_list} == {
        "US DoD Section 1286 list FY2025": 3,
        "US DoD Section 1286 list FY2024": 2,
    }
    tagged = sum(
        1
        for paper in ("openalex:W1041755233", "openalex:W2537057573", "openalex:W1990491187")
        if sample.view().neighbours(paper, types=["CONCERNS"])
    )
    assert result.rows[0]["high_risk_critical"] == tagged


# Belgian universities of the sample's ROR data with units PART_OF them: UCLouvain has one
# (UCLouvain Saint-Louis Brussels), on one work of its own (B. de Foy's, 2021), KU Leuven two
# (neither on a work), Ghent University one (not on a work).
HOMES = {
    "UCLouvain": "https://ror.org/02495e989",
    "KU Leuven": "https://ror.org/05f950310",
    "Ghent University": "https://ror.org/00cv9y106",
}


@pytest.mark.parametrize("name", sorted(HOMES))
def test_home_university_matches_a_hand_count(sample: Any, name: str) -> None:
    hand = hand_count(ror_subtree_names(HOMES[name]))
    result = indicators(sample, name, "CN")
    joint = {r["year"]: r["joint"] for r in result.rows}
    high = {r["year"]: r["high_risk"] for r in result.rows if r["high_risk"]}
    assert joint == dict(hand["joint"]), sorted(set(joint.items()) ^ set(hand["joint"].items()))
    assert high == dict(hand["high_risk"]), sorted(
        set(high.items()) ^ set(hand["high_risk"].items())
    )
    side = result.parameters["home_side"]
    assert side["kind"] == "institution" and side["name"] == name, side


def test_a_home_unit_counts_for_its_university(sample: Any) -> None:
    # UCLouvain: 20 joint works by hand, 5 high risk (2014: 2, 2015: 2, 2025: 1); one of
    # the 20 names only UCLouvain Saint-Louis Brussels, a unit PART_OF UCLouvain in ROR.
    result = indicators(sample, "https://ror.org/02495e989", "China")
    assert sum(r["joint"] for r in result.rows) == 20
    assert sum(r["high_risk"] for r in result.rows) == 5
    units = {u["name"]: (u["side"], u["joint"], u["high_risk"]) for u in result.by_unit}
    assert units == {
        "UCLouvain": ("home", 19, 5),
        "UCLouvain Saint-Louis Brussels": ("home", 1, 0),
    }, units
    assert result.parameters["home_side"]["units"] == 2
    country = indicators(sample, "BE", "CN")
    assert country.by_unit == [] and country.parameters["home_side"]["kind"] == "country"


def test_a_listed_unit_counts_for_its_partner_parent(sample: Any) -> None:
    # KU Leuven with the Chinese Academy of Sciences and its institutes (ROR): 10 works by
    # hand, one high risk, W2119109288 (1994), through the University of Science and
    # Technology of China, PART_OF CAS in ROR and on the DoD list (FY2024, FY2025); CAS
    # itself is on no list.
    cas = "https://ror.org/034t30j35"
    hand = hand_count(ror_subtree_names(HOMES["KU Leuven"]), ror_subtree_names(cas))
    result = indicators(sample, "KU Leuven", cas)
    assert {r["year"]: r["joint"] for r in result.rows} == dict(hand["joint"])
    assert {r["year"]: r["high_risk"] for r in result.rows if r["high_risk"]} == {1994: 1}
    assert dict(hand["high_risk"]) == {1994: 1}
    listed = [u for u in result.by_unit if u["high_risk"]]
    assert [(u["side"], u["name"], u["held_by"]) for u in listed] == [
        ("home", "KU Leuven", ["ror:04c4dkn09"]),
        ("partner", "University of Science and Technology of China", ["ror:04c4dkn09"]),
    ], listed
    assert listed[1]["lists"] == [
        "US DoD Section 1286 list FY2024 (high)",
        "US DoD Section 1286 list FY2025 (high)",
    ]
    root = next(u for u in result.by_unit if u["id"] == "ror:034t30j35")
    assert (root["joint"], root["high_risk"]) == (7, 0)


def test_both_stores_agree_on_the_sample(sample_embedded: Any, sample_neo4j: Any) -> None:
    pairs = (sample_embedded, sample_neo4j)
    a, b = (indicators(s).as_dict() for s in pairs)
    assert a == b
    desmet = find_node(sample_embedded, "Wim Desmet").id
    a, b = ([p.as_dict() for p in paths_to_risk(s, desmet, k=2, min_tier="high")] for s in pairs)
    assert a == b and a
    a, b = ([e.as_dict() for e in exposure(s, desmet)] for s in pairs)
    assert a == b and a[0]["score"] > 0
    leuven = find_node(sample_embedded, "KU Leuven", labels=["Institution"]).id
    a, b = (neighbourhood(s, leuven, hops=1).as_dict() for s in pairs)
    assert a == b
    assert a["truncated"] and a["truncated"][0]["more"] > 0  # KU Leuven is a hub
    names = ["Harbin Institute of Technology", "Beihang University", "Ghent University"]
    a, b = ([x.as_dict() for x in screen(s, names)] for s in pairs)
    assert a == b
    assert [x["tier"] for x in a][:2] == ["very high", "very high"]
