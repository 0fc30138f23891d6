"""Risk lists on both stores: ASPI, §1286 and a CSV, tiers, MILITARY_LINK, resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.ingest.aspi import LIST_ID
from collabgraph.ingest.derive import derive
from collabgraph.ingest.ror_graph import ingest_ror
from collabgraph.ingest.watchlists import TierMap, ingest_watchlist, split_bilingual

from .helpers import counts, data, rejects, snapshot

HEU, NUDT, TSINGHUA = "ror:03x80pn82", "ror:05d2yfz11", "ror:03cve4549"


def _lists(store: Store, tmp_path: Path) -> None:
    ingest_ror(store, [data("ror_small.jsonl")], rejects=rejects(tmp_path, "r.jsonl"))
    ingest_watchlist(store, [data("aspi_small.json")], fmt="aspi", rejects=rejects(tmp_path))
    ingest_watchlist(store, [data("dod1286_small.csv")], fmt="dod1286", rejects=rejects(tmp_path))
    derive(store)


def test_aspi_and_1286_hand_count(store: Store, tmp_path: Path) -> None:
    _lists(store, tmp_path)
    view = store.view()
    # aspi_small.json: HEU (Seven sons; agencies MIIT, Heilongjiang Provincial Government,
    # MOE, PLA Navy; 5 lab entries, one a "May also be known as …" note → 4 labs), NUDT
    # (Military; CMC; 10 lab entries, "State Key Laboratory of High Performance Computing"
    # twice → 9 labs), Tsinghua (Civilian; MOE, SASTIND; 10 lab entries, two are notes
    # "This laboratory has …", "Located in …" → 8 labs).
    # dod1286_small.csv: HEU and NUDT for FY2022, 2023, 2024, 2025.
    # LISTED_ON: 3 (ASPI) + 8 (§1286) = 11; RiskList: 1 + 4 fiscal years = 5.
    # MILITARY_LINK: HEU 4 agencies + seven_sons (MIIT) + 4 labs = 9; NUDT 1 + 9 = 10;
    # Tsinghua 2 + 8 = 10 → 29. New institutions: agencies MIIT, Heilongjiang, MOE,
    # PLA Navy, CMC, SASTIND = 6, labs 21 → 23 ROR + 27 = 50.
    c = counts(store)
    assert (c["LISTED_ON"], c["RiskList"], c["MILITARY_LINK"]) == (11, 5, 29), c
    assert c["Institution"] == 50, c
    heu = [(r, n) for r, n in view.neighbours(HEU, types=["LISTED_ON"])]
    assert len(heu) == 5
    years = sorted(r.props.get("fiscal_year") for r, _ in heu if r.end != LIST_ID)
    assert years == [2022, 2023, 2024, 2025]
    aspi = next(r for r, _ in heu if r.end == LIST_ID)
    assert aspi.props["tier"] == "very high"  # tiers.toml: Seven sons → very high (a proxy)
    assert aspi.props["category"] == "Seven sons of national defence"
    assert aspi.props["listed_name"] == "Harbin Engineering University (哈尔滨工程大学)"
    assert aspi.props["source_url"].startswith("https://unitracker.aspi.org.au/")
    assert aspi.props["method"] in {"exact", "normalised"} and aspi.props["score"] >= 0.95
    dod = next(r for r, _ in heu if r.props.get("fiscal_year") == 2022)
    assert dod.props["tier"] == "high" and dod.props["as_of"] == "2022"
    tiers = {i: view.get_node(i).props.get("tier") for i in (HEU, NUDT, TSINGHUA)}  # type: ignore[union-attr]
    assert tiers == {HEU: "very high", NUDT: "very high", TSINGHUA: "medium"}
    links = {
        (r.props["kind"], n.props["name"]) for r, n in view.neighbours(HEU, types=["MILITARY_LINK"])
    }
    assert ("seven_sons", "Ministry of Industry and Information Technology") in links
    assert ("pla_affiliated", "PLA Navy") in links
    assert ("supervised_by", "Ministry of Education") in links
    assert sum(1 for kind, _ in links if kind == "defence_lab") == 4
    heu_node = view.get_node(HEU)
    assert heu_node is not None and "哈尔滨工程大学" in heu_node.props["names_zh"]
    assert heu_node.props["name"] == "Harbin Engineering University"  # ROR name kept
    assert {"aspi-china-defence-universities", "us-dod-section-1286"} <= set(
        heu_node.props["sources"]
    )
    lists = {n.props["name"] for n in view.iter_nodes("RiskList")}
    assert "US DoD Section 1286 list FY2025" in lists


def test_lists_twice_is_a_no_op(store: Store, tmp_path: Path) -> None:
    _lists(store, tmp_path)
    first = snapshot(store)
    _lists(store, tmp_path)
    assert snapshot(store) == first


def test_custom_tiers_and_csv_list(embedded_store: Store, tmp_path: Path) -> None:
    tiers = tmp_path / "tiers.toml"
    tiers.write_text(
        '[aspi]\ndefault = "low"\n[aspi.categories]\n"Civilian" = "high"\n[csv]\ndefault = "low"\n'
    )
    ingest_ror(embedded_store, [data("ror_small.jsonl")], rejects=rejects(tmp_path, "r.jsonl"))
    ingest_watchlist(
        embedded_store,
        [data("aspi_small.json")],
        fmt="aspi",
        rejects=rejects(tmp_path),
        tiers=tiers,
    )
    csv_list = tmp_path / "office.csv"
    csv_list.write_text(
        "name,aliases,country,tier,category,as_of,source_url\n"
        "Beihang University,BUAA; 北京航空航天大学,CN,very high,partner review,2025-01-10,\n"
        "Example Unlisted Institute,,CN,,watch,2025-01-10,https://example.org/x\n"
        "Bad Tier University,,CN,extreme,,2025-01-10,\n"
        ",,CN,high,,2025-01-10,\n"
    )
    writer = rejects(tmp_path, "csv-rejects.jsonl")
    summary = ingest_watchlist(
        embedded_store, [csv_list], fmt="csv", rejects=writer, tiers=tiers, list_name="Office list"
    )
    derive(embedded_store)
    view = embedded_store.view()
    assert (summary.read, summary.written, summary.rejected) == (4, 2, 2)
    reasons = [json.loads(x)["reason"] for x in writer.path.read_text().splitlines()]
    assert reasons[0].startswith("unknown risk tier 'extreme'") and reasons[1] == "missing name"
    assert view.get_node("ror:03cve4549").props["tier"] == "high"  # type: ignore[union-attr]
    assert view.get_node(HEU).props["tier"] == "low"  # type: ignore[union-attr]
    beihang = view.get_node("ror:00wk2mp56")
    assert beihang is not None and beihang.props["tier"] == "very high"
    own = [
        n for n in view.iter_nodes("Institution") if n.props["name"] == "Example Unlisted Institute"
    ]
    assert len(own) == 1 and own[0].id.startswith("cg:institution:")
    rel = view.neighbours(own[0].id, types=["LISTED_ON"])[0][0]
    assert (rel.props["method"], rel.props["tier"]) == ("listed_name", "low")


def test_bad_tier_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "tiers.toml"
    bad.write_text('[aspi]\ndefault = "severe"\n')
    with pytest.raises(CollabgraphError, match="unknown risk tier 'severe'"):
        TierMap.load(bad)


def test_bundled_tiers_say_they_are_a_proxy() -> None:
    text = Path(__file__).resolve().parents[2].joinpath("ingest", "tiers.toml").read_text()
    assert "NOT in the export" in text and "PROXY" in text


def test_split_bilingual() -> None:
    assert split_bilingual("Harbin Engineering University (哈尔滨工程大学)") == (
        "Harbin Engineering University",
        "哈尔滨工程大学",
    )
    assert split_bilingual("Ministry of Education (MOE)") == ("Ministry of Education (MOE)", None)
