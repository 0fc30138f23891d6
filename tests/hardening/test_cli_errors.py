"""Usage mistakes through the real entry point: one line with the fix, exit status 2, no traceback.

Walks every command registered in ui/commands (COMMANDS), so a new command is covered as soon as
it is registered.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from .cli_walk import error_lines, is_input, leaf_commands, missing_file_cases, run

COMMANDS = list(leaf_commands())
MISSING = "MISSING-input-4711.json"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLLABGRAPH_STORE", str(tmp_path / "g.db"))
    monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    (tmp_path / "empty.json").write_text("[]\n")
    return tmp_path


def test_the_walk_finds_the_commands() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"stats", "audit", "forget"} <= names, names
    assert len(COMMANDS) >= 5, names


@pytest.mark.parametrize("words, command", COMMANDS, ids=lambda v: str(v))
def test_unknown_option(
    words: list[str], command: click.Command, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*words, "--no-such-option"], capsys)
    assert code == 2, (words, code, err)
    assert "Traceback" not in err, err
    lines = error_lines(err)
    assert len(lines) == 1 and "--no-such-option" in lines[0], err
    assert "--help" in err or "-h" in err, f"no hint at the fix: {err}"


def _typed(command: click.Command) -> list[click.Option]:
    return [
        p
        for p in command.params
        if isinstance(p, click.Option)
        and not p.is_flag
        and isinstance(p.type, click.Choice | click.types.IntParamType)
    ]


TYPED = [(w, c) for w, c in COMMANDS if _typed(c)]
BARE = [(w, c) for w, c in COMMANDS if not _typed(c) and any(p.required for p in c.params)]


@pytest.mark.parametrize("words, command", TYPED, ids=lambda v: str(v))
def test_bad_values_for_typed_options(
    words: list[str], command: click.Command, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every choice / integer option given a value of the wrong kind."""
    for param in _typed(command):
        code, _, err = run([*words, param.opts[0], "not-a-valid-value-%"], capsys)
        assert code == 2, (words, param.name, code, err)
        assert "Traceback" not in err, err
        assert len(error_lines(err)) == 1, err
        assert "not-a-valid-value-%" in err or param.opts[0] in err, err


@pytest.mark.parametrize("words, command", BARE, ids=lambda v: str(v))
def test_missing_required_parameter(
    words: list[str], command: click.Command, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(list(words), capsys)
    assert code == 2, (words, code, err)
    assert "Traceback" not in err and len(error_lines(err)) == 1, err


CASES = list(missing_file_cases(MISSING, "empty.json", "scratch/out.file"))


def test_every_input_parameter_is_walked() -> None:
    inputs = sum(1 for _, c in COMMANDS for p in c.params if is_input(p))
    assert len(CASES) == inputs > 0, CASES


@pytest.mark.parametrize("case, argv", CASES, ids=[c for c, _ in CASES])
def test_missing_input_file(
    case: str, argv: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert "Traceback" not in err, err
    assert code == 2, (case, code, err)
    lines = error_lines(err)
    assert len(lines) == 1, err
    assert MISSING in lines[0], f"the message must name the file: {err}"
    assert not (workdir / "g.db").exists(), "a failed command must not create the store"
