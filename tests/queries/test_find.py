"""Finding the node a user means: ids, names, fuzzy names, ambiguity."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.records import Node
from collabgraph.queries.find import find_node

from ..factories import load, prov
from .graph import load_graph


def test_ids_and_names(store: Any) -> None:
    load_graph(store)
    assert find_node(store, "r:alice").id == "r:alice"
    assert find_node(store, "harbin institute of technology").id == "i:hit"
    assert find_node(store, "Harbin Institute of Technolgy").id == "i:hit"  # misspelt
    assert find_node(store, "Entangled sensors").id == "p:W1"
    assert find_node(store, "Ghent University", labels=["Institution"]).id == "i:ugent"


def test_not_found_lists_the_closest(store: Any) -> None:
    load_graph(store)
    with pytest.raises(NodeNotFound, match="closest names .*: .*Zhejiang University"):
        find_node(store, "Zhejiang Univ of Science")
    with pytest.raises(NodeNotFound, match="no match for 'zzzz qqqq': no name scores 60"):
        find_node(store, "zzzz qqqq")


def test_a_query_matching_nothing_well_is_no_match(store: Any) -> None:
    """Short acronyms inside a long query used to make it 'ambiguous' (issue 18)."""
    load_graph(store)
    acronyms = [("i:uio", "University of Oslo", "UiO"), ("i:ui", "Universitas Indonesia", "UI")]
    acronyms += [("i:yu", "Yonsei University", "YU"), ("i:iop", "Institute of Physics", "IOP")]
    nodes = [Node("Institution", i, prov(name=n, acronyms=[a])) for i, n, a in acronyms]
    load(store, nodes, [])
    with pytest.raises(NodeNotFound) as caught:
        find_node(store, "Zzyzx Qwertyuiop")
    message = str(caught.value)
    assert message.startswith("no match for 'Zzyzx Qwertyuiop'"), message
    assert "ambiguous" not in message and "UiO" not in message, message
    assert find_node(store, "UiO").id == "i:uio"  # an acronym typed alone still finds it


def test_ambiguous_names_list_candidates(store: Any) -> None:
    load_graph(store)
    load(store, [Node("Researcher", "r:chen2", prov(name="Chen Wei"))], [])
    with pytest.raises(NodeNotFound, match="ambiguous.*r:chen2.*|ambiguous.*r:chen\\b"):
        find_node(store, "Chen Wei")
    assert find_node(store, "r:chen2").id == "r:chen2"
