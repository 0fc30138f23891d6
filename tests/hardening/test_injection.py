"""Cypher-looking and markup names through ingest, search and every look-up; the read-only console.

The names must be stored verbatim and found by exact search, and no command may change the graph.
The console must refuse anything EXPLAIN does not call read-only, plus transactions-in-a-query,
LOAD CSV and admin procedures, on the real server.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ui.cli import main

from .workload import dump

ATTACKS = [
    "') DETACH DELETE n //",
    "`) MATCH (m) DETACH DELETE m //",
    "$x",
    "{}",
    '"}) MATCH (m) SET m.name = "pwned" //',
    "x' OR 1=1 --",
    "\\'; CALL dbms.killQueries([]) //",
    "<img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0",
    "Ann \u202eRTL Peeters",
]


def _works(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for n, attack in enumerate(ATTACKS):
            work = {
                "id": f"https://openalex.org/W88{n:03d}",
                "title": f"Title {attack}",
                "publication_year": 2020,
                "authorships": [
                    {
                        "author": {
                            "id": f"https://openalex.org/A88{n:03d}",
                            "display_name": attack,
                        },
                        "institutions": [
                            {
                                "id": f"https://openalex.org/I88{n:03d}",
                                "display_name": f"Institute {attack}",
                                "country_code": "CN",
                            }
                        ],
                    },
                    {
                        "author": {
                            "id": "https://openalex.org/A88999",
                            "display_name": "Plain Name",
                        },
                        "institutions": [],
                    },
                ],
            }
            fh.write(json.dumps(work, ensure_ascii=False) + "\n")
    return path


def _watchlist(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "aliases", "country", "tier", "category", "as_of", "source_url"])
        for attack in ATTACKS:
            writer.writerow([f"Institute {attack}", attack, "CN", "high", attack, "2024-01-01", ""])
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str]:
    import io
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    # Anything logged (driver notifications before the CLI configures logging) is not output.
    err = "\n".join(line for line in err.splitlines() if not line.startswith("Received notif"))
    return code, (out + err) if code else out


def _spec(store: Any) -> str:
    return str(store.path) if store.kind == "embedded" else store._uri


def _current(store: Any) -> Any:
    return EmbeddedStore(store.path) if store.kind == "embedded" else store


def test_names_verbatim_and_graph_unchanged(
    store: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    spec = _spec(store)
    works, listing = _works(tmp_path / "works.jsonl"), _watchlist(tmp_path / "list.csv")
    code, out = run(["--store", spec, "-q", "ingest", "openalex", str(works)], capsys)
    assert code == 0, out
    code, out = run(
        ["--store", spec, "-q", "ingest", "watchlist", "--format", "csv", str(listing)], capsys
    )
    assert code == 0, out
    graph = _current(store)
    view = graph.view()
    for n, attack in enumerate(ATTACKS):
        person = view.get_node(f"openalex:A88{n:03d}")
        assert person is not None and person.props["name"] == attack, (attack, person)
        paper = view.get_node(f"openalex:W88{n:03d}")
        assert paper is not None and paper.props["title"] == f"Title {attack}", paper
    assert view.counts().relationships["LISTED_ON"] == len(ATTACKS), view.counts()
    before = dump(graph)

    screen_csv = tmp_path / "screen.csv"
    with screen_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name"])
        writer.writerows([[f"Institute {a}"] for a in ATTACKS] + [[a] for a in ATTACKS])
    found: dict[str, int] = {}
    failed: list[str] = []
    ambiguous = 0
    tried = 0
    for n, attack in enumerate(ATTACKS):
        commands = [
            ["paths", attack, "--json"],
            ["exposure", attack, "--json"],
            ["neighbourhood", attack, "--json"],
            ["neighbourhood", f"Institute {attack}", "--json"],
            ["export", "--format", "json", "--node", attack, "-o", str(tmp_path / f"exp{n}")],
            ["indicators", "--country", attack, "--json"],
            ["forget", attack],
        ]
        if store.kind == "neo4j":
            commands.append(
                [
                    "cypher",
                    "MATCH (r:Researcher {name: $name}) RETURN r.name AS name",
                    "--param",
                    f"name={json.dumps(attack)}",
                    "--json",
                ]  # fmt: skip
            )
        for command in commands:
            code, out = run(["--store", spec, *command], capsys, stdin="n\n")
            tried += 1
            assert "Traceback" not in out, (command, out)
            if command[0] == "indicators" and code == 2:
                # --country (--home) takes countries and institutions: a value naming neither
                # is refused before any query runs.
                assert "Invalid value for '--home' / '--country'" in out, out
                continue
            assert code in (0, 1), (command, code, out)
            if code == 1:
                errors = [line for line in out.splitlines() if "collabgraph: error" in line]
                assert len(errors) == 1, (command, out)
                failed.append(f"{command[:2]}: {errors[0][:150]}")
                if command[0] == "neighbourhood" and "ambiguous" in errors[0]:
                    # Two institutions of that exact name (the list's and OpenAlex's, when the
                    # resolver did not link them): still found verbatim, by exact search.
                    assert command[1] in errors[0], errors[0]
                    ambiguous += 1
            else:
                found[command[0]] = found.get(command[0], 0) + 1
            if command[0] == "cypher":
                assert json.loads(out)["rows"] == [{"name": attack}], out
    code, out = run(
        ["--store", spec, "screen", str(screen_csv), "--column", "name", "--json"], capsys
    )
    assert code == 0 and "Traceback" not in out, out
    tried += 1
    # Exact search found every attack name (the look-ups ran, they did not just fail).
    assert found.get("neighbourhood", 0) + ambiguous == 2 * len(ATTACKS), (found, failed)
    assert found.get("paths", 0) == len(ATTACKS), found
    assert dump(_current(store)) == before, "a look-up changed the graph"
    print(
        f"\ninjection ({store.kind}): {len(ATTACKS)} attack strings, {tried} commands, "
        f"succeeded {found}, ambiguous institution names {ambiguous}"
    )


REFUSED = [
    "CREATE (n:Researcher {id: 'x', name: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.name = 'pwned'",
    "MATCH (n) REMOVE n.name",
    "MERGE (n:Entity {id: 'x'})",
    "MATCH (n) WITH n LIMIT 1 DELETE n",
    "MATCH (n) RETURN n UNION MATCH (n) DETACH DELETE n RETURN n",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "MATCH (n) CALL { WITH n RETURN n.id AS i } IN TRANSACTIONS RETURN i",
    "FOREACH (i IN [1] | CREATE (:Paper {id: 'p', title: 't'}))",
    "CREATE INDEX hack FOR (n:Paper) ON (n.title)",
    "DROP CONSTRAINT entity_id IF EXISTS",
    "CREATE CONSTRAINT hack FOR (n:Paper) REQUIRE n.doi IS UNIQUE",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL dbms.listConfig()",
    "CALL dbms.killQueries(['query-1'])",
    "CALL dbms.components()",
    "CALL db.clearQueryCaches()",
    "CALL db.createLabel('Hacked')",
    "SHOW USERS",
    "CREATE USER mallory SET PASSWORD 'secret-pw-123'",
    "CREATE DATABASE hacked",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS",
    "CALL db.stats.clear()",
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
]


def test_console_refuses_writes_schema_and_admin(
    neo4j_store: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from ..factories import load, tiny_graph

    load(neo4j_store, *tiny_graph())
    before = dump(neo4j_store)
    constraints_before = _schema(neo4j_store)
    spec = neo4j_store._uri
    code, out = run(["--store", spec, "cypher", "MATCH (n) RETURN count(n) AS n", "--json"], capsys)
    assert code == 0 and json.loads(out)["rows"] == [{"n": 8}], out
    reasons: dict[str, str] = {}
    for query in REFUSED:
        code, out = run(["--store", spec, "cypher", query], capsys)
        assert code == 1, (query, code, out)
        assert "Traceback" not in out, out
        lines = [line for line in out.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("collabgraph: error"), (query, out)
        reasons[query] = lines[0]
    assert dump(neo4j_store) == before, "a refused query changed the graph"
    assert _schema(neo4j_store) == constraints_before, "a refused query changed the schema"
    print(f"\nconsole: {len(REFUSED)} queries refused:")
    for query, reason in reasons.items():
        print(f"  {query[:60]:60}  {reason[:90]}")


def _schema(store: Any) -> tuple[list[str], list[str]]:
    constraints, _, _ = store.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
    indexes, _, _ = store.driver.execute_query("SHOW INDEXES YIELD name RETURN name")
    return sorted(r["name"] for r in constraints), sorted(r["name"] for r in indexes)
