"""Runs tools/neo4j-import: Neo4j 5.26's own `neo4j-admin database import full` on a CSV
snapshot, into a fresh database directory, then dumps that database as JSON lines."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest

from .. import neo4j_server
from ..conftest import IN_CI

TOOL = Path(__file__).resolve().parent.parent.parent / "tools" / "neo4j-import"
CLASSPATH = TOOL / "target" / "classpath.txt"
CLASSES = TOOL / "target" / "classes"
MAIN = "org.collabgraph.neo4jimport.Main"


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true, so the neo4j-admin import test must run: {message}")
    pytest.skip(message)


def build() -> None:
    sources = [TOOL / "pom.xml", *TOOL.glob("src/**/*.java")]
    if CLASSPATH.exists() and all(s.stat().st_mtime <= CLASSPATH.stat().st_mtime for s in sources):
        return
    missing = neo4j_server.missing_tools()
    if missing:
        _unavailable(f"tools/neo4j-import needs {' and '.join(missing)}")
    done = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(TOOL / "pom.xml"), "package", "-DskipTests"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        _unavailable("building tools/neo4j-import failed:\n" + (done.stdout + done.stderr)[-3000:])


def run_import(snapshot: Path, admin_args: list[str], home: Path) -> list[dict[str, Any]]:
    """Import with neo4j-admin's arguments (from the manifest) and return the dumped records."""
    build()
    classpath = f"{CLASSES}:{CLASSPATH.read_text().strip()}"
    done = subprocess.run(
        ["java", "-Xmx512m", "-cp", classpath, MAIN, str(home), *admin_args],
        cwd=snapshot,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-4000:]
    return [orjson.loads(line) for line in done.stdout.splitlines() if line.startswith(b"{")]
