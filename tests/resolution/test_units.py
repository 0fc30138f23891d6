"""Issue 16: a string naming a unit and its parent credits the most specific record named.

Real strings: Crossref publisher assertions from ROR's gold set (the publisher's own answer is
in the comment; several credited the parent, which stays in ``ror_ancestors``) and names from
the bundled §1286 list. Records: the 2,579 BE/CN ROR records.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import pytest

from collabgraph.ingest.resolution import JudgementLog, Resolver
from collabgraph.ingest.ror import RorRecord, iter_ror

from ..conftest import shared_file

CAS, ICT, KIB = "034t30j35", "0090r4d87", "02e5hx313"
NJU, NJU_PHARMA_LAB, CSU = "01rxvg760", "043ea4m21", "00f1zfq44"


@pytest.fixture(scope="module")
def records() -> list[RorRecord]:
    files = ("ror/ror_be_cn_v1.jsonl", "ror/ror_be_cn_v2.jsonl")
    return list(chain.from_iterable(iter_ror(shared_file(f)) for f in files))


@pytest.fixture(scope="module")
def be_cn(records: list[RorRecord]) -> Resolver:
    return Resolver.from_ror(records)


def test_a_cas_institute_is_credited_with_the_academy_above_it(be_cn: Resolver) -> None:
    # Crossref gold: CAS. ICT is on the US DoD §1286 list (FY2023); CAS is not.
    text = (
        "Key Laboratory of Intelligent Information Processing, Advanced Computer Research "
        "Center, Institute of Computing Technology, Chinese Academy of Sciences"
    )
    match = be_cn.resolve(text)
    assert match is not None and match.ror_id == ICT, match
    assert match.ror_ancestors == (CAS,), match.ror_ancestors
    why = match.explanation
    assert (
        "unit 'Institute of Computing Technology' of 'Chinese Academy of Sciences' (034t30j35)"
        in why
    )
    assert "the most specific record named; 'Chinese Academy of Sciences' above it" in why, why
    kib = be_cn.resolve("Kunming Institute of Botany, Chinese Academy of Sciences")  # gold: CAS
    assert kib is not None and (kib.ror_id, kib.ror_ancestors) == (KIB, (CAS,)), kib


def test_a_universitys_lab_is_credited(be_cn: Resolver) -> None:
    # Crossref gold: Nanjing University (on ASPI's tracker); the State Key Laboratory has its
    # own ROR record with Nanjing University as parent.
    text = (
        "State Key Laboratory of Pharmaceutical Biotechnology, School of Life Sciences, "
        "Nanjing University"
    )
    match = be_cn.resolve(text)
    assert match is not None and match.ror_id == NJU_PHARMA_LAB, match
    assert match.ror_ancestors == (NJU,), match.ror_ancestors
    assert "of 'Nanjing University' (01rxvg760)" in match.explanation, match.explanation


def test_a_unit_without_a_record_credits_the_parent(be_cn: Resolver) -> None:
    # §1286 list name (bundled sample): the lab has no ROR record of its own.
    text = (
        "Defense S&T Key Laboratory of Lightweight, High-strength Structural Materials at "
        "Central South University"
    )
    match = be_cn.resolve(text)
    assert match is not None and match.name == "Central South University", match
    assert match.ror_ancestors == ()
    # Crossref gold: CAS; the Zhuhai institute has no ROR record either.
    text = "Zhuhai Institute of Advanced Technology Chinese Academy of Sciences,Zhuhai,China"
    match = be_cn.resolve(text)
    assert match is not None and match.ror_id == CAS and match.ror_ancestors == (), match
    assert "the most specific record named" not in match.explanation


def test_a_string_naming_only_the_parent_credits_the_parent(be_cn: Resolver) -> None:
    for text in ("Chinese Academy of Sciences", "Nanjing University, Nanjing 210093, China"):
        match = be_cn.resolve(text)  # Crossref and logs gold: the institution itself
        assert match is not None and match.ror_ancestors == (), match
        assert match.ror_id in (CAS, NJU) and "unit '" not in match.explanation, match


def test_a_unit_named_only_beside_its_parent(be_cn: Resolver) -> None:
    # Names that identify a unit only next to its parent (Crossref gold: the university).
    match = be_cn.resolve("Center for Life Sciences, Peking University")
    assert match is not None and match.ror_id == "05kje8j93", match  # the PKU-Tsinghua centre
    assert be_cn.resolve("Center for Life Sciences") is None  # alone it names no one
    text = "Human Anatomy & Histoembryology, School of Basic Medical Sciences, Shanghai Medical "
    match = be_cn.resolve(text + "College, Fudan University")
    assert match is not None and match.name == "Shanghai Medical College of Fudan University"
    # Run on without a comma into its academy's name (ROR logs gold: the institute).
    match = be_cn.resolve(
        "Xian Institute of Optics and Precision Mechanics Chinese Academy of Sciences"
    )
    assert match is not None and match.ror_id == "0444j5556", match


def test_the_parent_rule_is_kept_for_comparison(be_cn: Resolver) -> None:
    before = Resolver(be_cn.index, credit_units=False)
    match = before.resolve("Kunming Institute of Botany, Chinese Academy of Sciences")
    assert match is not None and match.ror_id == CAS, match
    assert "its unit(s) 'Kunming Institute of Botany'" in match.explanation


def test_a_judgement_still_wins(records: list[RorRecord], tmp_path: Path) -> None:
    text = "Kunming Institute of Botany, Chinese Academy of Sciences"
    log = JudgementLog(tmp_path / "j.jsonl")
    log.record(who="ana", text=text, decision="set", node_id=f"ror:{CAS}", reason="paper: CAS")
    match = Resolver.from_ror(records, judgements=log).resolve(text)
    assert match is not None and match.ror_id == CAS and match.method == "judgement", match
    log = JudgementLog(tmp_path / "k.jsonl")
    log.record(who="ana", text=text, decision="reject", node_id=f"ror:{KIB}")
    match = Resolver.from_ror(records, judgements=log).resolve(text)
    assert match is not None and match.ror_id == CAS, match  # the rejected unit is not credited
    log = JudgementLog(tmp_path / "l.jsonl")
    log.record(who="ana", text="KIB", decision="accept", node_id=f"ror:{KIB}")
    match = Resolver.from_ror(records, judgements=log).resolve("KIB")
    assert match is not None and match.ror_ancestors == (CAS,), match  # the chain is given
    assert (
        "unit 'Kunming Institute of Botany' of 'Chinese Academy of Sciences'" in match.explanation
    )
