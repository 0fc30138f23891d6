"""Flattened BE–CN table on both stores: resolution, unresolved institutions, rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collabgraph.graph import ids
from collabgraph.graph.contract import Store
from collabgraph.ingest.derive import derive
from collabgraph.ingest.ror_graph import ingest_ror
from collabgraph.ingest.sources import InputError
from collabgraph.ingest.table import Mapping, ingest_table, split_author

from .helpers import counts, data, rejects, snapshot

MAPPING = Path(__file__).resolve().parents[2] / "ingest" / "mappings" / "be_cn_collaborations.toml"
GHENT, HIT = "ror:00cv9y106", "ror:01yqg2h08"


def _load(store: Store, tmp_path: Path) -> None:
    ingest_ror(store, [data("ror_small.jsonl")], rejects=rejects(tmp_path, "r.jsonl"))
    ingest_table(store, [data("be_cn_small.json")], mapping=MAPPING, rejects=rejects(tmp_path))
    derive(store)


def test_be_cn_small_hand_count(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    # be_cn_small.json = records 63, 287, 80, 0 and 267 of the BE–CN file:
    # 63: Ghent / HIT; Constales, Pan Lian, De Bie (Ghent), Pan Lian, Gejun Bao (HIT) → 5 people
    # 287: De Bie, Pan Lian, Constales (Ghent), Pan Lian (HIT) → the same 4 people again
    # 80: VUB / NPU; Jingxiang Yang (VUB), Yongqiang Zhao, Jingxiang Yang, Chen Yi (NPU) → 4
    # 0: "Material (Belgium)" / "Qingdao Installation & Construction (China)", not in ROR;
    #    Wang Zhong-dan at each → 2 people, 2 unresolved institutions
    # 267: empty title → rejected.
    # Papers 4; Researchers 11 (one per name + institution); AUTHORED 5+4+4+2 = 15;
    # AFFILIATED_WITH 11 (287's pairs are 63's); Institutions 23 ROR + 2 = 25;
    # CO_AUTHORED: C(5,2) + C(4,2) + C(2,2) = 10 + 6 + 1 = 17 (287's 6 pairs are among 63's).
    assert counts(store) == {
        "Paper": 4,
        "Researcher": 11,
        "Institution": 25,
        "AUTHORED": 15,
        "AFFILIATED_WITH": 11,
        "CO_AUTHORED": 17,
        "PART_OF": 3,
    }
    view = store.view()
    de_bie = ids.hashed_id("researcher", "Hendrik De Bie", GHENT)
    affs = view.neighbours(de_bie, types=["AFFILIATED_WITH"])
    assert [n.id for _, n in affs] == [GHENT]
    aff = affs[0][0]
    assert aff.props["method"] in {"exact", "normalised"} and aff.props["score"] >= 0.95
    assert aff.props["raw_affiliation"] == "Ghent University"
    assert sorted(aff.props["evidence_papers"]) == ["openalex:W2140217747", "openalex:W2292343140"]
    pan_lian = {ids.hashed_id("researcher", "Pan Lian", i) for i in (GHENT, HIT)}
    assert all(view.get_node(p) is not None for p in pan_lian)
    material = ids.institution_id(name="Material (Belgium)", country="BE")
    node = view.get_node(material)
    assert node is not None and node.props["country"] == "BE"
    rel = view.neighbours(material, types=["AFFILIATED_WITH"])[0][0]
    assert (rel.props["method"], rel.props["score"]) == ("unresolved", 0.0)
    pair = ids.hashed_id("researcher", "Hendrik De Bie", GHENT)
    co = [r for r, _ in view.neighbours(pair, types=["CO_AUTHORED"])]
    assert all(r.start < r.end for r in co)
    # De Bie's co-authors: Constales and both Pan Lian nodes on 63 and 287, Gejun Bao on 63 only.
    assert sorted(r.props["papers"] for r in co) == [1, 2, 2, 2], co
    years = {(r.props["first_year"], r.props["last_year"]) for r in co if r.props["papers"] == 2}
    assert years == {(2015, 2016)}, years  # record 287 is from 2015, 63 from 2016


def test_table_twice_is_a_no_op_and_reject_is_written(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    first = snapshot(store)
    _load(store, tmp_path)
    assert snapshot(store) == first
    rows = [json.loads(x) for x in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert [(r["locator"], r["reason"]) for r in rows] == [("be_cn_small.json#4", "missing title")]


def test_split_author_keeps_nested_parentheses() -> None:
    assert split_author("Wang Zhong-dan (Material (Belgium))") == (
        "Wang Zhong-dan",
        "Material (Belgium)",
    )
    assert split_author("Ghent (Ghent University)") == ("Ghent", "Ghent University")
    assert split_author("No Institution") == ("No Institution", None)


def test_mapping_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "m.toml"
    bad.write_text('[columns]\ntitle = "t"\nauthor = "a"\n')
    with pytest.raises(InputError, match="m.toml: unknown mapping keys"):
        Mapping.load(bad)
    bad.write_text("[columns\n")
    with pytest.raises(InputError, match="m.toml: cannot read"):
        Mapping.load(bad)


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("m.json", '[{"title": "a paper"}]', r"m\.json: not a mapping file \(it holds a list\)"),
        ("m.json", '"title"', r"m\.json: not a mapping file \(it holds a str\)"),
        ("m.json", '{"title": "t"}', r"m\.json: not a mapping file \(no \[columns\] with 'title'"),
        ("m.toml", "columns = [1, 2]\n", r"m\.toml: not a mapping file \(no \[columns\]"),
        ("m.toml", "[columns]\ntitle = 3\n", r"m\.toml: columns\.title must be a column name"),
        ("m.toml", '[columns]\ntitle = ["t"]\n', r"m\.toml: columns\.title must be a column name"),
        ("m.toml", 'separator = ""\n[columns]\ntitle = "t"\n', r"m\.toml: .*'separator'"),
        ("m.toml", 'dataset = ["x"]\n[columns]\ntitle = "t"\n', r"m\.toml: .*'dataset'"),
    ],
)
def test_a_mapping_of_the_wrong_shape_is_refused_naming_the_file(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    bad = tmp_path / name
    bad.write_text(text)
    with pytest.raises(InputError, match=expected) as raised:
        Mapping.load(bad)
    assert "\n" not in str(raised.value)
