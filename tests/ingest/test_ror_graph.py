"""ROR → Institutions and PART_OF, on both stores, from real records (tests/ingest/data)."""

from __future__ import annotations

import json
from pathlib import Path

from collabgraph.graph.contract import Store
from collabgraph.ingest.ror_graph import ingest_ror

from .helpers import counts, data, rejects, snapshot

# ror_small.jsonl: the 19 records of ror_target_institutions.jsonl, the three State Key
# Laboratories whose ROR parent is Harbin Institute of Technology (03zxdkx17, 015m77g16,
# 05s6mpv98) and one withdrawn Belgian record (InnovaWood, 00bjskz46).
HIT = "ror:01yqg2h08"


def test_ror_small_hand_count_part_of_and_names(store: Store, tmp_path: Path) -> None:
    summary = ingest_ror(store, [data("ror_small.jsonl")], rejects=rejects(tmp_path))
    # 23 records → 23 institutions; PART_OF only where both ends are present: the three labs
    # → HIT. The targets list 170 relations in all (KU Leuven 5, Ghent 7, UCLouvain 1, ULB 2,
    # VUB 3, ULiège 2, HIT 3, Beihang 3, BIT 1, NUAA 1, NUST 1, NPU 1, NUDT 3, Tsinghua 17,
    # CAS 120): 167 point outside the file and are reported, not invented.
    assert counts(store) == {"Institution": 23, "PART_OF": 3}
    assert any("167 PART_OF relationships skipped" in n for n in summary.notes), summary.notes
    view = store.view()
    parts = sorted(r.start for r in view.iter_relationships("PART_OF") if r.end == HIT)
    assert parts == ["ror:015m77g16", "ror:03zxdkx17", "ror:05s6mpv98"]
    rel = next(view.iter_relationships("PART_OF"))
    assert rel.props["method"] == "ror_relationship" and rel.props["source"] == "ror"
    hit = view.get_node(HIT)
    assert hit is not None
    assert hit.props["names_zh"] == ["哈尔滨工业大学"]
    assert "哈尔滨工业大学" in hit.props["names"] and hit.props["acronyms"] == ["HIT"]
    assert hit.props["country"] == "CN" and hit.props["status"] == "active"
    nudt = view.get_node("ror:05d2yfz11")  # a v1 record: labels carry the Chinese name
    assert nudt is not None and nudt.props["names_zh"] == ["中国人民解放军国防科学技术大学"]
    withdrawn = view.get_node("ror:00bjskz46")
    assert withdrawn is not None and withdrawn.props["status"] == "withdrawn"
    lab = view.get_node("ror:015m77g16")
    assert lab is not None and lab.props["names_zh"] == ["机器人技术与系统国家重点实验室"]


def test_ror_twice_is_a_no_op(store: Store, tmp_path: Path) -> None:
    ingest_ror(store, [data("ror_small.jsonl")], rejects=rejects(tmp_path), version="2026-06-23")
    first = snapshot(store)
    ingest_ror(store, [data("ror_small.jsonl")], rejects=rejects(tmp_path), version="2026-06-23")
    assert snapshot(store) == first


def test_json_array_dump_and_bad_records(embedded_store: Store, tmp_path: Path) -> None:
    records = [json.loads(x) for x in data("ror_small.jsonl").read_text().splitlines()]
    dump = tmp_path / "v2-dump.json"
    dump.write_text(json.dumps(records))
    ingest_ror(embedded_store, [dump], rejects=rejects(tmp_path))
    assert counts(embedded_store) == {"Institution": 23, "PART_OF": 3}
    broken = tmp_path / "broken.jsonl"
    lines = data("ror_small.jsonl").read_text().splitlines()
    broken.write_text("\n".join([lines[0], "{not json", '{"name": "no id"}', lines[1]]) + "\n")
    writer = rejects(tmp_path, "ror-rejects.jsonl")
    summary = ingest_ror(embedded_store, [broken], rejects=writer)
    assert (summary.read, summary.rejected) == (4, 2)
    rows = [json.loads(x) for x in writer.path.read_text().splitlines()]
    assert [r["locator"] for r in rows] == ["broken.jsonl:2", "broken.jsonl:3"]
    assert "id" in rows[1]["reason"]
