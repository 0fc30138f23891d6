"""The CI smoke run of the benchmarks: `collabgraph bench --quick --json` prints valid rows."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli

# One row each benchmark always prints, measured or "not available".
EXPECTED = (
    "embedded ingest",
    "incremental ingest",
    "resident memory per relationship",
    "peak RSS while ingesting",
    "cold start: collabgraph paths",
    "exposure, whole graph",
    "neighbourhood HTML",
    "resolution",
    "Neo4j ingest",
    "paths_to_risk",
    "demo end to end",
)
# Rows that need nothing beyond this checkout and the session's Neo4j: they must measure.
MEASURED = (
    "embedded ingest",
    "ingest / parse-only time",
    "peak RSS while ingesting",
    "incremental ingest",
    "resident memory per relationship",
    "cold start: collabgraph paths",
    "exposure, whole graph (embedded)",
    "paths_to_risk embedded p95",
    "Neo4j ingest",
    "paths_to_risk Neo4j p95",
)


@pytest.mark.slow
def test_bench_quick_json_prints_valid_rows(neo4j_uri: str) -> None:
    # The session's Neo4j server is passed in, so the bench does not start a second JVM.
    result = CliRunner().invoke(cli, ["-q", "bench", "--quick", "--json", "--neo4j-uri", neo4j_uri])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    assert rows, result.output
    for row in rows:
        assert set(row) == {"measure", "value", "unit", "target", "pass"}, row
        assert isinstance(row["measure"], str) and row["measure"], row
        if row["value"] is None:
            assert row["pass"] is False, row
        else:
            assert isinstance(row["value"], int | float) and math.isfinite(row["value"]), row
            assert row["value"] >= 0, row
        if row["target"] is not None and row["value"] is not None:
            assert isinstance(row["pass"], bool), row
    measures = [r["measure"] for r in rows]
    for name in EXPECTED:
        assert any(m.startswith(name) for m in measures), (name, measures)
    # The embedded benchmarks have everything they need in this checkout, so they must measure.
    for name in MEASURED:
        row = next(r for r in rows if r["measure"].startswith(name))
        assert row["value"] is not None and row["value"] > 0, row
        assert isinstance(row["pass"], bool), row
