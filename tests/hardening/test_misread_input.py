"""Input that used to be taken silently or misread (issue 18): each is refused with one line.

Every case runs the real entry point with the input the issue reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ui.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error" in line.lower()]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    return tmp_path


# Ids without "neo4j", so that `-k "not neo4j"` (no server) still runs every case.
BAD_STORES = {
    "bolt-one-slash": "bolt:/localhost",
    "bolt-no-slash": "bolt:localhost",
    "http": "http://x",
    "graph-db-no-slash": "neo4j:x",
    "unknown-scheme": "foo:bar",
    "bare-scheme": "bolt:",
}


@pytest.mark.parametrize("value", list(BAD_STORES.values()), ids=list(BAD_STORES))
def test_a_store_value_with_an_unknown_or_malformed_scheme_is_refused(
    value: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["--store", value, "stats"], capsys)
    assert code == 1, (code, out, err)
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert repr(value) in line, line
    for accepted in ("file path", "bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://"):
        assert accepted in line, line
    assert "neo4j+ssc://" in line, line
    assert list(workdir.iterdir()) == [], "nothing may be created for a refused store"


def test_the_store_variable_is_checked_like_the_option(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLLABGRAPH_STORE", "bolt:/localhost")
    code, _, err = run(["stats"], capsys)
    assert code == 1 and "'bolt:/localhost'" in err, err


@pytest.mark.parametrize("value", ["data/a:b.db", "./a:b.db", "plain.jsonl.gz"])
def test_a_path_with_a_colon_after_the_start_is_a_file(
    value: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "data").mkdir()
    code, out, err = run(["--store", value, "stats"], capsys)
    assert code == 0, err
    assert "(embedded)" in out, out
