"""``collabgraph review changes`` end to end: exit statuses, snapshots, dates, JSON, HTML."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.snapshot import write_snapshot
from collabgraph.ui.cli import cli

from ..factories import load
from .graph import baseline, current
from .test_changes import check_known_changes

HOSTILE = "<script>alert('Eve')</script>"


def run(store_file: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--store", str(store_file), "review", "changes", *args])


@pytest.fixture
def now_file(tmp_path: Path) -> Path:
    path = tmp_path / "now.db"
    load(EmbeddedStore(path), *current(eve_name=HOSTILE))
    return path


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    store = EmbeddedStore(tmp_path / "before.db")
    load(store, *baseline())
    write_snapshot(store, tmp_path / "before", fmt="json")
    return tmp_path / "before"


def test_snapshot_baseline_json_and_exit_1(now_file: Path, snapshot: Path) -> None:
    result = run(now_file, "--since", str(snapshot), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    check_known_changes(data)
    assert set(data) == {
        "changed",
        "counts",
        "new",
        "retroactive",
        "reclassified",
        "cleared",
        "researchers",
        "tiers",
        "paths",
        "parameters",
        "baseline",
        "store",
        "generated_at",
    }
    assert data["baseline"]["kind"] == "snapshot" and data["baseline"]["format"] == "json"
    assert data["baseline"]["counts"]["nodes"]["Paper"] == 6
    assert set(data["new"][0]) == {"status", "id", "doi", "year", "title", "evidence"}
    assert data["researchers"][0]["name"] == HOSTILE


def test_terminal_table(now_file: Path, snapshot: Path) -> None:
    result = run(now_file, "--since", str(snapshot))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "1 new, 2 retroactive, 1 reclassified, 0 cleared" in out
    retro = out.split("Retroactively high-risk papers")[1].split("Otherwise newly")[0]
    assert "p:W2" in retro and "Gait analysis" in retro and "10.9999/W2" in retro
    assert "US DoD Section 1286 list (high, FY2022) [new]" in retro
    assert "p:W7" not in retro


def test_unchanged_baseline_exits_0(now_file: Path, tmp_path: Path) -> None:
    write_snapshot(EmbeddedStore(now_file), tmp_path / "same", fmt="graphml")
    result = run(now_file, "--since", str(tmp_path / "same"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no change since")
    quiet = run(now_file, "--since", str(tmp_path / "same"), "--json")
    assert quiet.exit_code == 0 and json.loads(quiet.stdout)["changed"] is False


def test_tampered_snapshot_exits_2_naming_the_file(now_file: Path, snapshot: Path) -> None:
    data = snapshot / "graph.json"
    data.write_text(data.read_text(encoding="utf-8").replace("Gait", "Gaot"), encoding="utf-8")
    result = run(now_file, "--since", str(snapshot))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(data) in lines[0] and "sha256" in lines[0] and "does not match" in lines[0]


@pytest.mark.parametrize(
    ("since", "says"),
    [
        ("2024-02-30", "not a valid date"),
        ("no/such/snapshot", "no such snapshot"),
    ],
)
def test_bad_baseline_exits_2(now_file: Path, since: str, says: str) -> None:
    result = run(now_file, "--since", since)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and since in lines[0], lines


def test_bad_option_exits_2(now_file: Path, snapshot: Path) -> None:
    result = run(now_file, "--since", str(snapshot), "--max-hops", "9")
    assert result.exit_code == 2 and "max hops" in result.stderr, result.output


def test_date_baseline(now_file: Path) -> None:
    # On 2024-06-30 the graph held what was first seen by then, and the Tsinghua FY2025
    # listing, though first seen 2024-01-01, had not taken effect: the same as the baseline.
    result = run(now_file, "--since", "2024-06-30", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    check_known_changes(data)
    assert data["baseline"]["kind"] == "date" and data["baseline"]["date"] == "2024-06-30"
    assert data["baseline"]["counts"]["nodes"]["Paper"] == 6
    # On 2025-12-31 everything had been seen and every listing was in force.
    later = run(now_file, "--since", "2025-12-31")
    assert later.exit_code == 0 and later.stdout.startswith("no change"), later.output
    # By 2025-06-30 the later elements were seen and the FY2025 listing was in force.
    mid = json.loads(run(now_file, "--since", "2025-06-30", "--json").stdout)
    assert mid["changed"] is False


def test_html_page_escapes_and_stays_offline(
    now_file: Path, snapshot: Path, tmp_path: Path
) -> None:
    page = tmp_path / "changes.html"
    result = run(now_file, "--since", str(snapshot), "--html", str(page))
    assert result.exit_code == 1, result.output
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#x27;Eve&#x27;)&lt;/script&gt;" in html
    assert "Tactile &lt;b&gt;skins&lt;/b&gt;" in html and "<b>skins" not in html
    assert "http://" not in html and "https://" not in html and "src=" not in html
    assert "Retroactively high-risk papers" in html and "@media print" in html
    assert "p:W2" in html.split("Retroactively")[1].split("Otherwise")[0]


def test_audited(now_file: Path, snapshot: Path) -> None:
    run(now_file, "--since", str(snapshot))
    log = Path(os.environ["COLLABGRAPH_AUDIT_LOG"])  # tests/conftest.py points it to a tmp file
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    last = entries[-1]
    assert last["command"] == "review changes" and last["results"] == 4, last


def test_people_forgotten_since_the_snapshot_stay_forgotten(
    now_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The erasure register beside the store file (not the tests' shared one), so that only
    # review changes itself can apply it to the baseline it imports.
    monkeypatch.delenv("COLLABGRAPH_ERASURES", raising=False)
    write_snapshot(EmbeddedStore(now_file), tmp_path / "before-forget", fmt="json")
    forgot = CliRunner().invoke(cli, ["--store", str(now_file), "forget", "r:alice", "--yes"])
    assert forgot.exit_code == 0, forgot.output
    # Without Alice W1 and W3 are no longer joint; were she kept in the baseline they would
    # be reported as cleared, and her paths as vanished.
    result = run(now_file, "--since", str(tmp_path / "before-forget"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changed"] is False


def test_an_unreachable_store_is_an_error_not_a_change() -> None:
    # Cron reads status 1 as "something changed": an unreachable server must not look like it.
    result = CliRunner().invoke(
        cli, ["--store", "bolt://127.0.0.1:1", "review", "changes", "--since", "2025-01-01"]
    )
    assert result.exit_code == 2, result.output
    assert "cannot reach Neo4j" in result.stderr
