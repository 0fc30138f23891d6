"""indicators on the hand-built graph: the yearly table counted by hand."""

from __future__ import annotations

from typing import Any

from collabgraph.queries.indicators import indicators

from .graph import load_graph


def row(year: int, joint: int, high: int, critical: int, before: int) -> dict[str, int]:
    return {
        "year": year,
        "joint": joint,
        "high_risk": high,
        "high_risk_critical": critical,
        "before_listing": before,
    }


def test_rows_by_hand(store: Any) -> None:
    load_graph(store)
    result = indicators(store, "BE", "CN")
    # W2 2016 NUDT (before its FY2022 listing); W1 2021 HIT lab (HIT listed, quantum);
    # W5 2022 Zhejiang (not listed); 2023: W3 Tsinghua (medium only), W4 HIT lab (AI),
    # W6 NUDT (AI).
    assert result.rows == [
        row(2016, 1, 1, 0, 1),
        row(2021, 1, 1, 1, 0),
        row(2022, 1, 0, 0, 0),
        row(2023, 3, 2, 2, 0),
    ], result.rows
    by_list = {(x["list"], x["tier"]): x["high_risk"] for x in result.by_list}
    assert by_list == {("list:dod", "high"): 4, ("list:aspi", "very high"): 2}
    partners = {p["id"]: p for p in result.by_partner}
    assert partners["i:hitlab"]["high_risk"] == 2
    assert partners["i:hitlab"]["lists"] == [
        "ASPI China Defence Universities Tracker (very high) via i:hit",
        "US DoD Section 1286 list (high) via i:hit",
    ]
    assert partners["i:nudt"]["before_listing"] == 1
    assert partners["i:zju"]["high_risk"] == 0 and partners["i:zju"]["joint"] == 1
    techs = {t["id"]: (t["joint"], t["high_risk"]) for t in result.by_technology}
    assert techs == {"tech:ai": (2, 2), "tech:quantum": (2, 1)}
    assert result.parameters["min_tier"] == "high"


def test_tier_years_and_countries(store: Any) -> None:
    load_graph(store)
    medium = indicators(store, min_tier="medium")
    assert medium.rows[-1] == row(2023, 3, 3, 3, 0)
    window = indicators(store, years=(2020, 2022))
    assert [r["year"] for r in window.rows] == [2021, 2022]
    assert indicators(store, "BE", "US").rows == []
    assert indicators(store, "be", "cn").as_dict()["rows"] == indicators(store).as_dict()["rows"]


def test_both_stores_agree(embedded_store: Any, neo4j_store: Any) -> None:
    load_graph(embedded_store)
    load_graph(neo4j_store)
    for options in ({}, {"min_tier": "very high"}, {"min_tier": "low", "years": (2016, 2021)}):
        assert (
            indicators(embedded_store, **options).as_dict()
            == indicators(neo4j_store, **options).as_dict()
        ), options
