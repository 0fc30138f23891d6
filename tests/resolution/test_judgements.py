"""Judgements: accept/reject/set override automatic matching, survive a reload, can be withdrawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
from collabgraph.ingest.resolution import JudgementError, JudgementLog, Resolver
from collabgraph.ingest.ror import iter_ror

from ..conftest import shared_file
from ..factories import load, prov

NJU, NUAA = "ror:01rxvg760", "ror:01scyh794"


def records() -> list:  # type: ignore[type-arg]
    return list(iter_ror(shared_file("ror/ror_target_institutions.jsonl"))) + [
        r for r in iter_ror(shared_file("ror/ror_be_cn_v2.jsonl")) if r.ror_id == "01rxvg760"
    ]


def test_accept_reject_set_and_withdraw_survive_reload(tmp_path: Path) -> None:
    path = tmp_path / "judgements.jsonl"
    log = JudgementLog(path)
    recs = records()
    text = "Nanjing University"
    assert Resolver.from_ror(recs, judgements=log).resolve(text).node_id == NJU  # type: ignore[union-attr]

    rejected = log.record(
        who="ana", text=text, decision="reject", node_id=NJU, score=1.0, reason="paper is from NUAA"
    )
    # A re-ingest: new log object from the same file, new resolver.
    resolver = Resolver.from_ror(recs, judgements=JudgementLog(path))
    assert resolver.resolve(text) is None
    assert resolver.resolve(text, country="CN") is None  # rejection without country holds too

    chosen = log.record(who="ana", text=text, decision="set", node_id=NUAA, reason="checked")
    resolver = Resolver.from_ror(recs, judgements=JudgementLog(path))
    match = resolver.resolve("  nanjing   UNIVERSITY ")  # same text up to case and spacing
    assert match is not None and match.node_id == NUAA and match.method == "judgement"
    assert "ana" in match.explanation and "checked" in match.explanation
    assert [m.node_id for m in resolver.resolve_affiliation(text)] == [NUAA]

    log.record(who="ben", text="", decision="withdraw", withdraws=chosen.id)
    log.record(who="ben", text="", decision="withdraw", withdraws=rejected.id)
    resolver = Resolver.from_ror(recs, judgements=JudgementLog(path))
    assert resolver.resolve(text).node_id == NJU  # type: ignore[union-attr]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4, lines  # nothing rewritten or deleted


def test_accept_is_scoped_by_country(tmp_path: Path) -> None:
    log = JudgementLog(tmp_path / "j.jsonl")
    log.record(who="ana", text="NU", decision="accept", node_id=NJU, country="CN")
    resolver = Resolver.from_ror(records(), judgements=log)
    assert resolver.resolve("NU", country="CN").node_id == NJU  # type: ignore[union-attr]
    assert resolver.resolve("NU", country="BE") is None


def test_bad_requests_and_bad_lines(tmp_path: Path) -> None:
    log = JudgementLog()
    with pytest.raises(JudgementError, match="decision"):
        log.record(who="ana", text="x", decision="maybe", node_id=NJU)
    with pytest.raises(JudgementError, match="node id"):
        log.record(who="ana", text="x", decision="accept")
    with pytest.raises(JudgementError, match="withdraw"):
        log.record(who="ana", text="", decision="withdraw", withdraws="j:none")
    path = tmp_path / "broken.jsonl"
    good = '{"id": "j:1", "decision": "accept", "text": "x", "who": "a", "when": "2026-01-01"}'
    path.write_text(good + '\n{"id": "j:2"}\n')
    with pytest.raises(JudgementError, match=r"broken.jsonl, line 2: .*fields"):
        JudgementLog(path)


def test_resolver_from_store_uses_institution_nodes_and_part_of(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    nodes = [
        Node(
            "Institution",
            "ror:01yqg2h08",
            prov(
                name="Harbin Institute of Technology",
                names_zh=["哈尔滨工业大学"],
                acronyms=["HIT"],
                country="CN",
                ror_id="01yqg2h08",
            ),
        ),
        Node(
            "Institution",
            "cg:inst:lab",
            prov(name="State Key Laboratory of Robotics and System", country="CN"),
        ),
    ]
    rels = [Relationship("PART_OF", "cg:inst:lab", "ror:01yqg2h08", prov(method="ror"))]
    load(store, nodes, rels)
    resolver = Resolver.from_store(store.view())
    match = resolver.resolve("哈尔滨工业大学")
    assert match is not None and match.ror_id == "01yqg2h08"
    lab = resolver.resolve_affiliation(
        "State Key Laboratory of Robotics and System, Harbin Institute of Technology"
    )
    assert [m.node_id for m in lab] == ["cg:inst:lab", "ror:01yqg2h08"], lab
    assert "part of 'Harbin Institute of Technology'" in lab[0].explanation
