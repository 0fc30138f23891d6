"""screen on the hand-built graph: resolution, assertions, military links, our people."""

from __future__ import annotations

from typing import Any

from collabgraph.queries.screen import screen

from .graph import load_graph


def test_screening(store: Any) -> None:
    load_graph(store)
    hit, lab, nudt, missing = screen(
        store,
        [
            "Harbin Institute of Technology",
            "i:hitlab",
            "National Univ of Defense Technology",
            "Nowhere College of Nothing",
        ],
    )
    assert (hit.id, hit.tier, hit.first_listed) == ("i:hit", "very high", 2019)
    assert [(a["list"], a["tier"], a["as_of"], a["via"]) for a in hit.assertions] == [
        ("list:aspi", "very high", "2019-11-25", None),
        ("list:dod", "high", "2024-01-31", None),
    ]
    assert [(m["kind"], m["direction"], m["other"]) for m in hit.military_links] == [
        ("defence_lab", "out", "i:hitlab"),
        ("supervised_by", "out", "i:nudt"),
    ]
    # Chen (HIT lab) is HIT's only member; Alice (W1) and Bob (W4) are our co-authors of his.
    assert (hit.members, hit.our_members, hit.researchers_within_2_hops) == (1, 0, 2)
    assert (hit.shared_papers, hit.before_listing) == (2, 0)
    assert (lab.method, lab.tier, lab.inherited_tier) == ("id", "none", "very high")
    assert [a["via"] for a in lab.assertions] == ["i:hit", "i:hit"]
    assert nudt.id == "i:nudt" and nudt.military_links[0]["direction"] == "in"
    # W2 (2016) predates NUDT's FY2022 listing; W6 (2023) does not.
    assert (nudt.shared_papers, nudt.before_listing) == (2, 1)
    assert missing.id is None and "closest names" in (missing.explanation or "")


def test_our_own_institution(store: Any) -> None:
    load_graph(store)
    (ugent,) = screen(store, ["Ghent University"], home="BE")
    assert ugent.our_members == 57 and ugent.tier == "none" and ugent.assertions == []
    (ugent_cn,) = screen(store, ["Ghent University"], home="CN")
    assert ugent_cn.our_members == 0 and ugent_cn.our_coauthors == 3  # Dai, Chen, Zhou


def test_both_stores_agree(embedded_store: Any, neo4j_store: Any) -> None:
    load_graph(embedded_store)
    load_graph(neo4j_store)
    inputs = ["HIT State Key Laboratory of Robotics", "i:nudt", "Tsinghua University", "KU Leuven"]
    here = [s.as_dict() for s in screen(embedded_store, inputs)]
    there = [s.as_dict() for s in screen(neo4j_store, inputs)]
    assert here == there
