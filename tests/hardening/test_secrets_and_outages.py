"""Neo4j credentials never reach any output; an unreachable server is a clear one-line error."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from .workload import ROOT, works_file

PASSWORD = "Canary-pw-7f3a9c1e"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "collabgraph", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "COLLABGRAPH_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["COLLABGRAPH_AUDIT_LOG"] = str(tmp_path / "audit.jsonl")
    env.update(extra)
    return env


def test_unreachable_neo4j_names_the_uri(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    env = _env(tmp_path, NEO4J_USER="neo4j", NEO4J_PASSWORD=PASSWORD)
    for args in (["stats"], ["paths", "Ann Peeters"], ["ingest", "ror", str(ROOT / "README.md")]):
        done = _cli(["--store", uri, *args], tmp_path, env)
        assert done.returncode == 1, (args, done.returncode, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert uri in lines[0] and "is the server running" in lines[0], lines[0]
        assert PASSWORD not in done.stdout + done.stderr


def test_credentials_in_the_uri_are_not_echoed(tmp_path: Path) -> None:
    uri = f"bolt://neo4j:{PASSWORD}@127.0.0.1:{_free_port()}"
    done = _cli(["--store", uri, "stats"], tmp_path, _env(tmp_path))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert PASSWORD not in done.stdout + done.stderr, done.stderr


def test_password_never_in_any_output(neo4j_uri: str, neo4j_store: Any, tmp_path: Path) -> None:
    """Several commands with NEO4J_PASSWORD set; grep every output and every file written."""
    env = _env(tmp_path, NEO4J_USER="neo4j", NEO4J_PASSWORD=PASSWORD)
    works = works_file(tmp_path / "works.jsonl", 30)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "https://openalex.org/W1", "title": "t"}\nnot json\n')
    runs = [
        ["-v", "--store", neo4j_uri, "ingest", "openalex", str(works), str(bad)],
        ["-v", "--store", neo4j_uri, "stats", "--json"],
        ["--store", neo4j_uri, "paths", "Researcher 1 Name", "--json"],
        ["--store", neo4j_uri, "neighbourhood", "Researcher 1 Name", "--json"],
        ["--store", neo4j_uri, "cypher", "MATCH (n) RETURN count(n) AS n"],
        ["--store", neo4j_uri, "cypher", "CREATE (n)"],
        ["--store", neo4j_uri, "export", "--format", "json", "-o", str(tmp_path / "snap")],
        ["--store", neo4j_uri, "report", "-o", str(tmp_path / "report")],
        ["--store", neo4j_uri, "audit", "--json"],
        ["--help"],
        ["--store", neo4j_uri, "stats", "--help"],
    ]
    outputs = []
    codes = []
    for args in runs:
        done = _cli(args, tmp_path, env)
        codes.append((args[:3], done.returncode))
        outputs.append(done.stdout + done.stderr)
    assert codes[0][1] == 0, outputs[0][-2000:]
    leaks = [args for args, text in zip(runs, outputs, strict=True) if PASSWORD in text]
    assert not leaks, f"password printed by {leaks}"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 4, files
    leaked_files = [p for p in files if PASSWORD.encode() in p.read_bytes()]
    assert not leaked_files, leaked_files
    print(f"\nsecrets: {len(runs)} commands {codes}, {len(files)} files grepped, no password")


def test_neo4j_going_away_mid_ingest(neo4j_uri: str, neo4j_store: Any, tmp_path: Path) -> None:
    """Cut the connection after the first committed batch: bounded retries, a clear error that
    says how far the ingest got; once Neo4j is back, a rerun completes the graph."""
    import time
    from urllib.parse import urlsplit

    from collabgraph.graph.embedded import EmbeddedStore

    from .tcp_proxy import Proxy
    from .workload import dump

    works = works_file(tmp_path / "works.jsonl", 900)
    env = _env(tmp_path)
    reference_store = tmp_path / "ref.jsonl.gz"
    done = _cli(
        ["--store", str(reference_store), "-q", "ingest", "openalex", str(works)], tmp_path, env
    )
    assert done.returncode == 0, done.stderr
    reference = dump(EmbeddedStore(reference_store))

    target = urlsplit(neo4j_uri)
    proxy = Proxy((target.hostname or "127.0.0.1", target.port or 7687))
    proxy.start()
    via_proxy = f"bolt://127.0.0.1:{proxy.port}"
    args = ["--store", via_proxy, "-q", "ingest", "openalex", str(works)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "collabgraph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    deadline = time.monotonic() + 300
    while sum(neo4j_store.view().counts().nodes.values()) == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no batch was committed"
        time.sleep(0.05)
    proxy.cut()
    cut_at = time.monotonic()
    committed = sum(neo4j_store.view().counts().nodes.values())
    _, err = proc.communicate(timeout=600)
    waited = time.monotonic() - cut_at
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) == 1, err
    assert "stopped after reading" in lines[0] and "Rerun" in lines[0], lines[0]
    assert committed < len(reference[0]), "the cut came too late to test anything"

    proxy.start()  # Neo4j is back, on the same address
    done = _cli(args, tmp_path, env)
    proxy.cut()
    assert done.returncode == 0, done.stderr
    assert dump(neo4j_store) == reference, "the rerun did not complete the graph"
    print(
        f"\noutage: cut after {committed} nodes were committed; the ingest gave up after "
        f"{waited:.1f} s with: {lines[0]}\n  rerun completed: {len(reference[0])} nodes"
    )
