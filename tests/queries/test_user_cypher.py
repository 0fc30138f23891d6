"""The read-only gate for users' Cypher: Neo4j's EXPLAIN decides, the plan is inspected."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import CollabgraphError
from collabgraph.queries.user_cypher import NotReadOnly, parse_params, run_read_only

from .graph import load_graph


def test_reads_run_with_parameters(neo4j_store: Any) -> None:
    load_graph(neo4j_store)
    result = run_read_only(
        neo4j_store,
        "MATCH (i:Institution {id: $id})-[l:LISTED_ON]->(r) RETURN r.id AS list ORDER BY list",
        {"id": "i:hit"},
    )
    assert result.columns == ["list"]
    assert result.rows == [{"list": "list:aspi"}, {"list": "list:dod"}]
    capped = run_read_only(neo4j_store, "MATCH (r:Researcher) RETURN r.id", max_rows=3)
    assert len(capped.rows) == 3 and capped.truncated


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("CREATE (n:Institution {id: 'x', name: 'x'}) RETURN n", "reads and writes"),
        ("MATCH (n) SET n.name = 'x'", "writes"),
        ("MATCH (n) DETACH DELETE n", "writes"),
        ("CREATE INDEX foo IF NOT EXISTS FOR (n:Paper) ON (n.title)", "schema"),
        ("UNWIND [1] AS x CALL (x) { RETURN x AS y } IN TRANSACTIONS RETURN y", "IN TRANSACTIONS"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV"),
        ("CALL dbms.listConfig()", "schema or system|dbms"),
        ("CALL dbms.components() YIELD name RETURN name", "schema or system|dbms"),
    ],
)
def test_anything_else_is_refused(neo4j_store: Any, query: str, reason: str) -> None:
    load_graph(neo4j_store)
    before = neo4j_store.view().counts()
    with pytest.raises(NotReadOnly, match=reason):
        run_read_only(neo4j_store, query)
    assert neo4j_store.view().counts() == before


def test_errors_are_one_line(neo4j_store: Any, embedded_store: Any) -> None:
    with pytest.raises(CollabgraphError, match="cannot plan"):
        run_read_only(neo4j_store, "MATCH (n RETURN n")
    with pytest.raises(CollabgraphError, match="Cypher needs Neo4j"):
        run_read_only(embedded_store, "MATCH (n) RETURN n")


def test_parse_params() -> None:
    assert parse_params(["id=ror:01yqg2h08", "n=3", 'ids=["a", "b"]', "flag=true"]) == {
        "id": "ror:01yqg2h08",
        "n": 3,
        "ids": ["a", "b"],
        "flag": True,
    }
    with pytest.raises(CollabgraphError, match="NAME=VALUE"):
        parse_params(["novalue"])


def test_a_long_query_is_stopped_by_the_server(
    neo4j_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n"
    with pytest.raises(CollabgraphError, match=r"ran longer than 0.5 s \(set COLLABGRAPH_CYPHER"):
        run_read_only(neo4j_store, slow, timeout=0.5)
    monkeypatch.setenv("COLLABGRAPH_CYPHER_TIMEOUT", "0.5")
    with pytest.raises(CollabgraphError, match="ran longer than 0.5 s"):
        run_read_only(neo4j_store, slow)
    assert run_read_only(neo4j_store, "RETURN 1 AS one").rows == [{"one": 1}]  # a quick one runs
    monkeypatch.setenv("COLLABGRAPH_CYPHER_TIMEOUT", "soon")
    with pytest.raises(CollabgraphError, match="COLLABGRAPH_CYPHER_TIMEOUT='soon'"):
        run_read_only(neo4j_store, "RETURN 1 AS one")
