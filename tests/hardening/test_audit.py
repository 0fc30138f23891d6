"""The audit log: where it goes, what an entry holds, filtering, concurrent appends, overhead."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from collabgraph.ui import audit
from collabgraph.ui.cli import cli


def test_location_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(audit.AUDIT_ENV, raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "stores" / "g.db"
    assert audit.audit_path(str(store)) == store.parent / "collabgraph.audit.jsonl"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    expected = tmp_path / "state" / "collabgraph" / "collabgraph.audit.jsonl"
    assert audit.audit_path("bolt://localhost:7687") == expected
    monkeypatch.setenv(audit.AUDIT_ENV, str(tmp_path / "env.jsonl"))
    assert audit.audit_path(str(store)) == tmp_path / "env.jsonl"
    assert audit.audit_path(str(store), tmp_path / "opt.jsonl") == tmp_path / "opt.jsonl"


def test_entry_fields_and_private_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(audit.ANALYST_ENV, raising=False)
    log = tmp_path / "a.jsonl"
    app = SimpleNamespace(
        store_spec="bolt://neo4j:s3cret-pw@db.example:7687", audit_log=str(log), analyst=None
    )
    audit.record(app, "paths", {"researcher": "Ann Peeters", "max_hops": 3}, 2)
    app.analyst = "alice"
    audit.record(app, "profile", {"node": "x" * 5000}, 1, via="ui")
    entries = list(audit.read_entries(log))
    assert len(entries) == 2, entries
    first, second = entries
    assert first["analyst"] == audit.os_user() == first["os_user"], first
    assert first["command"] == "paths" and first["results"] == 2, first
    assert first["params"] == {"researcher": "Ann Peeters", "max_hops": 3}, first
    assert first["store"] == "bolt://db.example:7687", "credentials must not reach the log"
    assert "s3cret-pw" not in log.read_text()
    assert second["analyst"] == "alice" and second["via"] == "ui", second
    assert len(second["params"]["node"]) < 2100, "a long value is cut"
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600, oct(os.stat(log).st_mode)


def test_unwritable_log_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    app = SimpleNamespace(audit_log=str(blocker / "sub" / "a.jsonl"))
    with pytest.raises(audit.AuditError, match="cannot write the audit log"):
        audit.record(app, "paths", {}, 0)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux /dev/full")
def test_a_full_disk_is_a_clear_error_not_a_traceback() -> None:
    # /dev/full accepts the open and fails every write with "No space left on device".
    with pytest.raises(audit.AuditError, match="cannot write the audit log /dev/full"):
        audit.write_entry(Path("/dev/full"), {"command": "paths"})


def test_damaged_line_is_named(tmp_path: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text('{"time": "2026-01-02T03:04:05Z", "command": "paths"}\n{"command": \n')
    with pytest.raises(audit.AuditError, match=r"a.jsonl:2"):
        list(audit.read_entries(log))


def _seed(log: Path) -> None:
    rows = [
        ("2026-01-05T10:00:00.000+00:00", "alice", "paths", {"researcher": "Ann Peeters"}, 2),
        ("2026-02-01T09:30:00.000+00:00", "bob", "exposure", {"institution": "HIT"}, 5),
        ("2026-02-03T17:00:00.000+00:00", "alice", "profile", {"node": "Li Wei"}, 1),
        ("2026-03-01T08:00:00.000+00:00", "carol", "paths", {"researcher": "Li Wei"}, 0),
    ]
    for time_, analyst, command, params, results in rows:
        entry = {"time": time_, "analyst": analyst, "command": command}
        audit.write_entry(log, {**entry, "params": params, "results": results})


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], ["paths", "exposure", "profile", "paths"]),
        (["--analyst", "alice"], ["paths", "profile"]),
        (["--command", "paths"], ["paths", "paths"]),
        (["--since", "2026-02-01"], ["exposure", "profile", "paths"]),
        (["--until", "2026-02-01"], ["paths", "exposure"]),
        (["--since", "2026-02-02", "--until", "2026-02-28"], ["profile"]),
        (["--contains", "li wei"], ["profile", "paths"]),
        (["--contains", "li wei", "--command", "paths"], ["paths"]),
        (["--limit", "1"], ["paths"]),
    ],
)
def test_audit_command_filters(tmp_path: Path, args: list[str], expected: list[str]) -> None:
    log = tmp_path / "a.jsonl"
    _seed(log)
    result = CliRunner().invoke(cli, ["--audit-log", str(log), "audit", "--json", *args])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["command"] for r in rows] == expected, rows


def test_audit_command_table(tmp_path: Path) -> None:
    log = tmp_path / "a.jsonl"
    _seed(log)
    result = CliRunner().invoke(cli, ["--audit-log", str(log), "-q", "audit", "--analyst", "bob"])
    assert result.exit_code == 0, result.output
    assert "exposure" in result.stdout and "institution=HIT" in result.stdout, result.stdout
    assert "alice" not in result.stdout, result.stdout


WRITER = """
import sys
from types import SimpleNamespace
from collabgraph.ui import audit
app = SimpleNamespace(audit_log=sys.argv[1], analyst=sys.argv[2])
for i in range(int(sys.argv[3])):
    audit.record(app, "paths", {"i": i, "pad": "x" * 3000}, i)
"""


def test_concurrent_appends_never_interleave(tmp_path: Path) -> None:
    log = tmp_path / "a.jsonl"
    per_writer, writers = 200, 4
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(log), f"w{n}", str(per_writer)])
        for n in range(writers)
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    entries = list(audit.read_entries(log))  # raises on any torn line
    assert len(entries) == per_writer * writers, len(entries)
    for n in range(writers):
        mine = [e["params"]["i"] for e in entries if e["analyst"] == f"w{n}"]
        assert mine == list(range(per_writer)), f"w{n} out of order or lost"


def test_overhead_of_an_entry(tmp_path: Path) -> None:
    """Measures (prints, never asserts on time) what one audit entry costs a look-up."""
    app = SimpleNamespace(audit_log=str(tmp_path / "a.jsonl"), analyst="bench")
    params = {"researcher": "Ann Peeters", "max_hops": 3, "min_tier": "high", "years": "2015-"}
    n = 2000
    started = time.perf_counter()
    for _ in range(n):
        audit.record(app, "paths", params, 3)
    per_entry_us = (time.perf_counter() - started) / n * 1e6
    print(f"\naudit overhead: {per_entry_us:.1f} µs per entry ({n} entries, local disk)")
    assert len(list(audit.read_entries(tmp_path / "a.jsonl"))) == n


LOOKUPS = [
    (["paths", "Ann Peeters", "--json"], "paths"),
    (["exposure", "Ann Peeters", "--json"], "exposure"),
    (["neighbourhood", "Harbin Institute of Technology", "--json"], "neighbourhood"),
    (["screen", "{csv}", "--column", "name", "--json"], "screen"),
    (["export", "--format", "json", "--node", "Ann Peeters", "-o", "{out}"], "export"),
]


@pytest.mark.parametrize("argv, command", LOOKUPS, ids=[c for _, c in LOOKUPS])
def test_lookup_commands_write_an_entry(tmp_path: Path, argv: list[str], command: str) -> None:
    from collabgraph.graph.embedded import EmbeddedStore

    from ..factories import load, tiny_graph

    store = tmp_path / "g.db"
    load(EmbeddedStore(store), *tiny_graph())
    names = tmp_path / "names.csv"
    names.write_text("name\nHarbin Institute of Technology\nGhent University\n")
    log = tmp_path / "audit.jsonl"
    args = [a.format(csv=names, out=tmp_path / "snap") for a in argv]
    base = ["--store", str(store), "--audit-log", str(log), "--analyst", "alice", "-q"]
    result = CliRunner().invoke(cli, [*base, *args])
    assert result.exit_code == 0, result.output
    entries = list(audit.read_entries(log))
    assert len(entries) == 1, entries
    entry = entries[0]
    assert entry["command"] == command and entry["analyst"] == "alice", entry
    assert isinstance(entry["results"], int), entry
    typed = args[1] if args[0] != "export" else "Ann Peeters"
    assert typed in json.dumps(entry["params"], ensure_ascii=False), entry


def test_workbench_pages_record_once_per_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(audit.AUDIT_ENV, str(tmp_path / "a.jsonl"))
    session: dict[str, object] = {"analyst": "carol"}
    for _ in range(3):  # Streamlit reruns the page on every click
        audit.record_page(session, "ui:profile", {"id": "openalex:A1"}, 1)
    audit.record_page(session, "ui:profile", {"id": "openalex:A2"}, 1)
    entries = list(audit.read_entries(tmp_path / "a.jsonl"))
    assert [e["params"]["id"] for e in entries] == ["openalex:A1", "openalex:A2"], entries
    assert all(e["analyst"] == "carol" and e["via"] == "ui" for e in entries), entries
