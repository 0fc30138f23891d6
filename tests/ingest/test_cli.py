"""The ingest and fetch commands: help text, summaries, --strict, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli

from .helpers import data

MAPPING = Path(__file__).resolve().parents[2] / "ingest" / "mappings" / "be_cn_collaborations.toml"


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],
        ["ingest", "openalex"],
        ["ingest", "table"],
        ["ingest", "ror"],
        ["ingest", "watchlist"],
        ["ingest", "technologies"],
        ["fetch"],
        ["fetch", "openalex"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 4


def test_ingest_table_summary_rejects_and_strict(tmp_path: Path) -> None:
    store = str(tmp_path / "g.db")
    runner = CliRunner()
    ok = runner.invoke(cli, ["--store", store, "ingest", "ror", str(data("ror_small.jsonl"))])
    assert ok.exit_code == 0, ok.output
    args = [
        "--store",
        store,
        "ingest",
        "table",
        str(data("be_cn_small.json")),
        "--mapping",
        str(MAPPING),
        "--rejects",
        str(tmp_path / "rej.jsonl"),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "table: read 5, written 4, rejected 1" in result.output
    assert f"1 rejected records in {tmp_path / 'rej.jsonl'}" in result.output
    assert "derive: CO_AUTHORED 17" in result.output
    strict = runner.invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1
    as_json = runner.invoke(
        cli,
        [
            "-q",
            "--store",
            store,
            "ingest",
            "table",
            str(data("be_cn_small.json")),
            "--mapping",
            str(MAPPING),
            "--rejects",
            str(tmp_path / "rej.jsonl"),
            "--json",
        ],
    )
    summary = json.loads(as_json.stdout)
    assert summary["read"] == 5 and summary["rejected"] == 1


def test_unreadable_file_is_one_line_naming_it(tmp_path: Path) -> None:
    from collabgraph.ui.cli import main

    store = str(tmp_path / "g.db")
    bad = tmp_path / "notes.txt"
    bad.write_text("not json\n")
    # A missing file is a usage mistake (exit 2), an unknown format an input error (exit 1).
    for path, code in ((tmp_path / "missing.json", 2), (bad, 1)):
        with pytest.raises(SystemExit) as exit_info:
            main(["--store", store, "ingest", "openalex", str(path)])
        assert exit_info.value.code == code, path
