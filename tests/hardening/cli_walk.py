"""Walks every registered CLI command and builds invocations that must fail as usage errors."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from collabgraph.ui.cli import main
from collabgraph.ui.commands import COMMANDS

# Parameters that name files the command writes (a missing one is fine: it gets created).
OUTPUT_PARAMS = {"output", "rejects", "html_out", "workdir", "judgements_file"}
# Parameters that name files the command reads, whatever their click type.
INPUT_PARAMS = {"path", "paths", "mapping", "tiers", "vocabulary", "input", "input_csv", "ror_file"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``collabgraph ARGV`` through the console script's entry point: (exit status, out, err)."""
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error" in line.lower()]


def leaf_commands() -> Iterator[tuple[list[str], click.Command]]:
    """Every runnable command as (words after ``collabgraph``, command)."""

    def walk(command: click.Command, words: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                yield from walk(sub, [*words, name])
        else:
            yield words, command

    for command in COMMANDS:
        assert command.name, command
        yield from walk(command, [command.name])


def _value(param: click.Parameter, input_file: str, scratch: str) -> str:
    if is_input(param):
        return input_file
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.IntRange | click.types.IntParamType):
        return "1"
    if isinstance(kind, click.Path | click.File):
        return scratch
    return "x"


def is_input(param: click.Parameter) -> bool:
    if param.name in INPUT_PARAMS:
        return True
    if param.name in OUTPUT_PARAMS:
        return False
    return isinstance(param.type, click.Path) and bool(param.type.exists)


def _argv(
    command: click.Command, under_test: str, missing: str, existing: str, scratch: str
) -> list[str]:
    """Required parameters filled: the input under test gets ``missing``, others ``existing``."""
    args: list[str] = []
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if param.name == under_test:
            args += [param.opts[0], missing]
        elif param.required:
            args += [param.opts[0], _value(param, existing, scratch)]
    for param in command.params:
        if isinstance(param, click.Argument):
            args.append(missing if param.name == under_test else _value(param, existing, scratch))
    return args


def missing_file_cases(
    missing: str, existing: str, scratch: str
) -> Iterator[tuple[str, list[str]]]:
    """(case id, argv): each input file parameter of each command in turn names ``missing``."""
    for words, command in leaf_commands():
        for param in command.params:
            if is_input(param):
                assert param.name
                argv = _argv(command, param.name, missing, existing, scratch)
                yield f"{' '.join(words)}:{param.name}", [*words, *argv]
