"""Running a user's own Cypher, only when Neo4j itself says it is read-only.

The judgement comes from the database, not from the text: the query is first sent with
``EXPLAIN`` (which plans without running), and it runs only if the plan's query type is ``r``
(read). On top of that the plan must not contain operators that reach outside the graph or
split the work into transactions of their own: ``CALL { } IN TRANSACTIONS``, ``LOAD CSV``,
``dbms.*`` procedures and the APOC procedures that load, export, import or run other Cypher.
The query then runs in a read transaction (read access mode), and values travel as
parameters. The server stops it after ``COLLABGRAPH_CYPHER_TIMEOUT`` seconds (default 60): a
read-only query can still keep a shared server busy for hours ("MATCH (a)-[*]-(b) …").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from neo4j import Query, unit_of_work
from neo4j.exceptions import Neo4jError

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.settings import seconds_from_env

REFUSED_OPERATORS = {
    "TransactionApply": "CALL { } IN TRANSACTIONS",
    "TransactionForeach": "CALL { } IN TRANSACTIONS",
    "LoadCSV": "LOAD CSV",
    # Planned as reads, but they kill or reveal other sessions' work (and their parameters).
    "TerminateTransactions": "TERMINATE TRANSACTIONS",
    "ShowTransactions": "SHOW TRANSACTIONS",
}
REFUSED_PROCEDURES = (
    "dbms.",
    "apoc.load.",
    "apoc.export.",
    "apoc.import.",
    "apoc.periodic.",
    "apoc.cypher.",
    "apoc.systemdb.",
    "apoc.trigger.",
)
DEFAULT_MAX_ROWS = 1000
TIMEOUT_ENV = "COLLABGRAPH_CYPHER_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
_TIMED_OUT = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)


class NotReadOnly(CollabgraphError):
    """The query could change something, or reach outside the graph: it is not run."""


@dataclass
class CypherResult:
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows, "truncated": self.truncated}


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``["name=Harbin", "n=3", 'ids=["a","b"]']`` → parameters; JSON values, else strings."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise CollabgraphError(f"parameter {pair!r}: write it as NAME=VALUE")
        try:
            params[key] = orjson.loads(raw)
        except orjson.JSONDecodeError:
            params[key] = raw
    return params


def _operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    op = str(plan.get("operatorType", "")).split("@", 1)[0]
    details = plan.get("args", {}).get("Details")
    yield op, str(details or "")
    for child in plan.get("children", []):
        yield from _operators(child)


def _driver_of(store: Store) -> Any:
    if store.kind != "neo4j":
        raise CollabgraphError(
            "Cypher needs Neo4j: this is the embedded store; use --store bolt://… "
            "(or the paths, exposure, neighbourhood commands, which work on both)"
        )
    return store


def _first_line(exc: Neo4jError) -> str:
    # Neo4j appends the query and a caret on lines of their own; the first line says it all.
    return (exc.message or type(exc).__name__).strip().splitlines()[0]


def check_read_only(store: Store, text: str, params: dict[str, Any] | None = None) -> None:
    """Raise :class:`NotReadOnly` unless EXPLAIN says ``text`` only reads the graph."""
    neo = _driver_of(store)
    # The user's own query goes to the database on purpose: EXPLAIN only plans it.
    statement = "EXPLAIN " + text
    try:
        with neo.driver.session(database=neo.database, default_access_mode="READ") as session:
            summary = session.run(Query(statement), params or {}).consume()
    except Neo4jError as exc:
        raise CollabgraphError(f"Neo4j cannot plan the query: {_first_line(exc)}") from None
    if summary.query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or system"}
        what = kinds.get(str(summary.query_type), f"is of type {summary.query_type!r}")
        raise NotReadOnly(f"refused: the query {what}; only read-only queries run")
    for op, details in _operators(summary.plan or {}):
        if op in REFUSED_OPERATORS:
            raise NotReadOnly(f"refused: {REFUSED_OPERATORS[op]} is not allowed")
        if op == "ProcedureCall" and details.startswith(REFUSED_PROCEDURES):
            name = details.split("(", 1)[0]
            raise NotReadOnly(f"refused: procedure {name} is not allowed")


def query_timeout() -> float:
    """Seconds a user's query may run (``COLLABGRAPH_CYPHER_TIMEOUT``, default 60)."""
    return seconds_from_env(TIMEOUT_ENV, DEFAULT_TIMEOUT, what="the time limit")


def run_read_only(
    store: Store,
    text: str,
    params: dict[str, Any] | None = None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float | None = None,
) -> CypherResult:
    """Check ``text`` with :func:`check_read_only`, then run it in a read transaction that the
    server stops after ``timeout`` seconds (default: :func:`query_timeout`)."""
    seconds = query_timeout() if timeout is None else timeout
    check_read_only(store, text, params)
    neo = _driver_of(store)
    statement = text  # checked read-only above; runs in a read transaction

    @unit_of_work(timeout=seconds)
    def work(tx: Any) -> CypherResult:
        result = tx.run(statement, params or {})
        out = CypherResult(columns=list(result.keys()))
        for record in result:
            if len(out.rows) >= max_rows:
                out.truncated = True
                break
            out.rows.append(record.data())
        return out

    try:
        with neo.driver.session(database=neo.database, default_access_mode="READ") as session:
            return cast(CypherResult, session.execute_read(work))
    except Neo4jError as exc:
        if exc.code in _TIMED_OUT:
            raise CollabgraphError(
                f"stopped: the query ran longer than {seconds:g} s "
                f"(set {TIMEOUT_ENV} to allow more)"
            ) from None
        raise CollabgraphError(f"Neo4j refused the query: {_first_line(exc)}") from None
