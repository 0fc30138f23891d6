"""Running a user's own Cypher, only when Neo4j itself says it is read-only.

The judgement comes from the database, not from the text: the query is first sent with
``EXPLAIN`` (which plans without running), and it runs only if the plan's query type is ``r``
(read). On top of that the plan must not contain operators that reach outside the graph or
split the work into transactions of their own: ``CALL { } IN TRANSACTIONS``, ``LOAD CSV``,
``dbms.*`` procedures and the APOC procedures that load, export, import or run other Cypher.
The query then runs in a read transaction (read access mode) that the server stops after
``timeout`` seconds, and values travel as parameters. Every error is one line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from neo4j import ManagedTransaction, Query, unit_of_work
from neo4j.exceptions import Neo4jError

from ..contract import QueryResult
from ..errors import CollabgraphError, NotReadOnly

if TYPE_CHECKING:
    from .store import Neo4jStore

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
_TIMED_OUT = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)
_KINDS = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or system"}


def _operators(plan: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    op = str(plan.get("operatorType", "")).split("@", 1)[0]
    details = plan.get("args", {}).get("Details")
    yield op, str(details or "")
    for child in plan.get("children", []):
        yield from _operators(child)


def _first_line(exc: Neo4jError) -> str:
    # Neo4j appends the query and a caret on lines of their own; the first line says it all.
    lines = (exc.message or type(exc).__name__).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def check_read_only(store: Neo4jStore, text: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`NotReadOnly` unless EXPLAIN says ``text`` only reads the graph."""
    # The user's own query goes to the database on purpose: EXPLAIN only plans it.
    statement = Query("EXPLAIN " + text)
    try:
        with store.driver.session(database=store.database, default_access_mode="READ") as s:
            summary = s.run(statement, dict(params)).consume()
    except Neo4jError as exc:
        raise CollabgraphError(f"Neo4j cannot plan the query: {_first_line(exc)}") from None
    if summary.query_type != "r":
        what = _KINDS.get(str(summary.query_type), f"is of type {summary.query_type!r}")
        raise NotReadOnly(f"refused: the query {what}; only read-only queries run")
    for op, details in _operators(summary.plan or {}):
        if op in REFUSED_OPERATORS:
            raise NotReadOnly(f"refused: {REFUSED_OPERATORS[op]} is not allowed")
        if op == "ProcedureCall" and details.startswith(REFUSED_PROCEDURES):
            name = details.split("(", 1)[0]
            raise NotReadOnly(f"refused: procedure {name} is not allowed")


def run(
    store: Neo4jStore,
    text: str,
    params: Mapping[str, Any],
    *,
    max_rows: int,
    timeout: float,
) -> QueryResult:
    """Check ``text`` with :func:`check_read_only`, then run it in a read transaction that the
    server stops after ``timeout`` seconds; at most ``max_rows`` rows are kept."""
    values = dict(params)
    check_read_only(store, text, values)
    statement = text  # checked read-only above; runs in a read transaction

    @unit_of_work(timeout=timeout)
    def work(tx: ManagedTransaction) -> QueryResult:
        result = tx.run(statement, values)
        out = QueryResult(columns=list(result.keys()))
        for record in result:
            if len(out.rows) >= max_rows:
                out.truncated = True
                break
            out.rows.append(record.data())
        return out

    try:
        with store.driver.session(database=store.database, default_access_mode="READ") as s:
            return s.execute_read(work)
    except Neo4jError as exc:
        if exc.code in _TIMED_OUT:
            raise CollabgraphError(
                f"stopped: the query ran longer than {timeout:g} s "
                "(set COLLABGRAPH_CYPHER_TIMEOUT to allow more)"
            ) from None
        raise CollabgraphError(f"Neo4j refused the query: {_first_line(exc)}") from None
