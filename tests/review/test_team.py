"""``review team`` on the hand-built graph of tests/queries/graph.py, on both stores.

Known answers (window 2019–2024, as of 2024-06-30, five years):
Alice (KU Leuven) wrote W1 (2021) with Chen of HIT's robotics lab (PART_OF HIT: ASPI very
high 2019, DoD high FY2024) and W3 (2023) with Wang of Tsinghua (medium only). Bob (Ghent)
wrote W4 (2023) with Chen and W6 (2023) with Dai of NUDT (DoD high FY2022); W2 (2016, with
Dai) is outside the window. Eve wrote W5 (2022) with Zhou of Zhejiang (not listed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from collabgraph.graph.errors import BadInput, CollabgraphError
from collabgraph.graph.records import Node, Relationship
from collabgraph.queries.team import look_back, review_team
from collabgraph.queries.team_people import Member

from ..factories import load, prov
from ..queries.graph import affiliated, authored, load_graph

AS_OF = date(2024, 6, 30)


def _review(store: Any, *members: Member, **options: Any) -> Any:
    options.setdefault("as_of", AS_OF)
    return review_team(store, list(members), **options)


def _summary(person: Any) -> list[tuple[str, tuple[str, ...], str, tuple[str, ...], Any]]:
    return [
        (
            f.basis,
            tuple(p.id for p in f.papers),
            f.institution[0],
            tuple(f"{x.institution[0]}:{x.listing.list_id}" for x in f.listings),
            f.predates_listing,
        )
        for f in person.findings
    ]


def test_direct_coauthorships_with_listed_institutions_and_their_units(store: Any) -> None:
    load_graph(store)
    found = _review(
        store,
        Member(2, name="Alice Janssens", institution="KU Leuven"),
        Member(3, name="Bob Maes", institution="Ghent University"),
        Member(4, name="Eve Claes"),
    )
    alice, bob, eve = found.people
    assert (found.window.first, found.window.last) == (2019, 2024)
    assert alice.status == "finding" and alice.resolution.researcher == "r:alice"
    # Chen's lab is a unit of HIT: the listing is HIT's, read upwards; Tsinghua is medium only.
    assert _summary(alice) == [
        ("co-authorship", ("p:W1",), "i:hitlab", ("i:hit:list:aspi", "i:hit:list:dod"), False)
    ]
    assert alice.findings[0].coauthors == (("r:chen", "Chen Wei"),)
    assert alice.findings[0].papers[0].doi == "10.9999/W1"
    assert _summary(bob) == [
        ("co-authorship", ("p:W4",), "i:hitlab", ("i:hit:list:aspi", "i:hit:list:dod"), False),
        ("co-authorship", ("p:W6",), "i:nudt", ("i:nudt:list:dod",), False),
    ]
    assert eve.status == "no finding in the window" and eve.findings == []
    assert [r["papers"] for r in eve.papers_per_year] == [0, 0, 0, 1, 0, 0]
    bob_years = {r["year"]: r for r in bob.papers_per_year}
    assert bob_years[2023] == {"year": 2023, "papers": 2, "with_finding": 2, "before_listing": 0}


def test_a_paper_before_the_listing_is_flagged(store: Any) -> None:
    load_graph(store)
    (bob,) = _review(store, Member(2, name="Bob Maes"), as_of=date(2017, 1, 1)).people
    # W2 (2016) with Dai of NUDT, listed from FY2022.
    assert _summary(bob) == [("co-authorship", ("p:W2",), "i:nudt", ("i:nudt:list:dod",), True)]
    assert bob.papers_per_year[-2] == {
        "year": 2016,
        "papers": 1,
        "with_finding": 1,
        "before_listing": 1,
    }


def test_lists_and_min_tier_narrow_the_findings(store: Any) -> None:
    load_graph(store)
    bob = Member(2, name="Bob Maes")
    (aspi,) = _review(store, bob, lists=["aspi"]).people
    assert _summary(aspi) == [("co-authorship", ("p:W4",), "i:hitlab", ("i:hit:list:aspi",), False)]
    (very,) = _review(store, bob, min_tier="very high").people
    assert [s[2] for s in _summary(very)] == ["i:hitlab"]
    (medium,) = _review(store, Member(3, name="Alice Janssens"), min_tier="medium").people
    assert [s[2] for s in _summary(medium)] == ["i:tsinghua", "i:hitlab"]  # newest first
    with pytest.raises(BadInput, match="no risk list in the store matches"):
        _review(store, bob, lists=["no such list"])


def test_own_affiliation_is_a_finding(store: Any) -> None:
    load_graph(store)
    (chen,) = _review(store, Member(2, name="Chen Wei")).people
    kinds = [(f.basis, f.institution[0], tuple(p.id for p in f.papers)) for f in chen.findings]
    assert kinds[0] == ("affiliation", "i:hitlab", ("p:W1", "p:W4"))


def test_namesakes_are_listed_not_guessed(store: Any) -> None:
    load_graph(store)
    load(
        store,
        [Node("Researcher", "r:bob2", prov(name="Bob Maes"))],
        [authored("r:bob2", "p:W5", 2022), affiliated("r:bob2", "i:kul", [("p:W5", 2022)])],
    )
    plain, placed, elsewhere = _review(
        store,
        Member(2, name="Bob Maes"),
        Member(3, name="Bob Maes", institution="Ghent University"),
        Member(4, name="Bob Maes", institution="Tsinghua University"),
    ).people
    assert plain.status == "ambiguous"
    assert [c.id for c in plain.resolution.candidates] == ["r:bob", "r:bob2"]
    assert plain.findings == [] and plain.papers_per_year == []
    assert placed.resolution.researcher == "r:bob"
    assert elsewhere.status == "not found"
    assert "not at Tsinghua University" in elsewhere.resolution.note
    assert {c.id for c in elsewhere.resolution.candidates} == {"r:bob", "r:bob2"}


def test_ids_and_fuzzy_names(store: Any) -> None:
    load_graph(store)
    load(store, [Node("Researcher", "orcid:0000-0002-1825-0097", prov(name="Dana Orcid"))], [])
    by_orcid, missing, fuzzy = _review(
        store,
        Member(2, orcid="https://orcid.org/0000-0002-1825-0097"),
        Member(3, orcid="0000-0001-5109-3700", name="Alice Janssens"),
        Member(4, name="Alice Jansens", institution="KU Leuven"),
    ).people
    assert by_orcid.resolution.researcher == "orcid:0000-0002-1825-0097"
    assert by_orcid.status == "no finding in the window"
    assert missing.resolution.researcher == "r:alice"
    assert "ORCID 0000-0001-5109-3700 is not in the store" in missing.resolution.note
    assert fuzzy.resolution.researcher == "r:alice" and "fuzzy" in fuzzy.resolution.method


def test_an_orcid_carried_as_a_property_finds_the_openalex_author(store: Any) -> None:
    load_graph(store)
    orcid = "0000-0003-0000-0001"
    load(
        store,
        [
            Node("Researcher", "openalex:A5", prov(name="Alice J.", orcid=orcid)),
            Node("Researcher", "openalex:A6", prov(name="Twin", orcid="0000-0003-0000-0002")),
            Node("Researcher", "openalex:A7", prov(name="Twin", orcid="0000-0003-0000-0002")),
        ],
        [authored("openalex:A5", "p:W1", 2021)],
    )
    found, twins, by_openalex = _review(
        store,
        Member(2, orcid=f"https://orcid.org/{orcid}"),
        Member(3, orcid="0000-0003-0000-0002"),
        Member(4, openalex="https://openalex.org/A5"),
    ).people
    assert found.resolution.researcher == "openalex:A5" and "ORCID" in found.resolution.method
    assert [s[1] for s in _summary(found)] == [("p:W1",)]  # W1 with Chen of HIT's lab
    assert twins.status == "ambiguous"
    assert [c.id for c in twins.resolution.candidates] == ["openalex:A6", "openalex:A7"]
    assert by_openalex.resolution.researcher == "openalex:A5"


def test_context_paths_are_leads_to_other_listed_institutions(store: Any) -> None:
    load_graph(store)
    (alice,) = _review(store, Member(2, name="Alice Janssens"), max_hops=5).people
    # HIT is a finding already; NUDT is reached through HIT's MILITARY_LINK: context only.
    ends = [[n["id"] for n in p["nodes"]][-2] for p in alice.context]
    assert ends == ["i:nudt"]
    assert all(p["context"] for p in alice.context)
    (none,) = _review(store, Member(2, name="Alice Janssens"), max_hops=0).people
    assert none.context == []


def test_the_window_and_its_refusals() -> None:
    w = look_back(5, date(2026, 12, 3))
    assert (w.first, w.last) == (2021, 2026) and 2021 in w and 2020 not in w
    with pytest.raises(BadInput, match="--years 0"):
        look_back(0, date(2026, 12, 3))


def test_unrelated_relationships_do_not_count(store: Any) -> None:
    load_graph(store)
    # Dai's affiliation with NUDT does not list W4, so W4's co-author Chen is not at NUDT.
    load(store, [], [Relationship("AUTHORED", "r:dai", "p:W4", prov(year=2023))])
    (bob,) = _review(store, Member(2, name="Bob Maes")).people
    w4 = [f for f in bob.findings if f.papers[0].id == "p:W4"]
    assert [f.institution[0] for f in w4] == ["i:hitlab"]


def test_no_context_path_walks_down_from_a_parent_to_its_listed_unit(store: Any) -> None:
    load_graph(store)
    # A listed institute of Zhejiang University: Zhou (at the university) is not tied to it.
    load(
        store,
        [Node("Institution", "i:zjulab", prov(name="ZJU Defence Lab", country="CN", tier="high"))],
        [
            Relationship("PART_OF", "i:zjulab", "i:zju", prov(method="ror")),
            Relationship("LISTED_ON", "i:zjulab", "list:dod", prov(tier="high", fiscal_year=2023)),
        ],
    )
    (eve,) = _review(store, Member(2, name="Eve Claes"), max_hops=4).people
    assert eve.status == "no finding in the window"
    assert eve.context == []


def test_a_store_without_lists_is_refused(store: Any) -> None:
    with pytest.raises(CollabgraphError, match="holds no risk list"):
        _review(store, Member(2, name="Bob Maes"))
