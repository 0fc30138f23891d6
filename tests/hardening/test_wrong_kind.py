"""Every command that reads a file, given a file of the wrong kind: refused in one line.

Walks the input parameters cli_walk finds in every registered command (plus the global --store
and --audit-log, and resolve's --judgements log) and gives each, in turn, a CSV, a JSON
document, a directory, an empty file and a truncated .gz. Each must end with a non-zero exit,
no traceback, and one error line that names the file. The other inputs of the command get files
of the right kind, so that the file under test is the one at fault.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest

from collabgraph.ingest import mappings, sample

from .cli_walk import error_lines, leaf_commands, missing_file_cases, run

SAMPLE = Path(sample.__file__).parent
MAPPING = Path(mappings.__file__).parent / "be_cn_collaborations.toml"
UNDER_TEST = "WRONG-KIND"


def _csv(path: Path) -> None:
    path.write_text("name,country\nKU Leuven,BE\nTsinghua University,CN\n", encoding="utf-8")


def _json(path: Path) -> None:
    rows = [{"name": "KU Leuven", "country": "BE"}, {"name": "Tsinghua", "country": "CN"}]
    path.write_text(json.dumps({"meta": {"count": 2}, "items": rows}), encoding="utf-8")


def _directory(path: Path) -> None:
    path.mkdir()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated_gz(path: Path) -> None:
    lines = "".join(json.dumps({"id": f"x{n}", "title": "t" * 40}) + "\n" for n in range(200))
    packed = gzip.compress(lines.encode("utf-8"))
    path.write_bytes(packed[: len(packed) // 2])


# Wrong kind → (file name, how to make it).
KINDS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "csv": ("partners.csv", _csv),
    "json": ("works.json", _json),
    "directory": ("a-folder", _directory),
    "empty": ("empty.json", _empty),
    "truncated-gz": ("works.jsonl.gz", _truncated_gz),
}

# Files of the right kind for the inputs not under test, by parameter.
GOOD = {
    "mapping": str(MAPPING),
    "paths": str(SAMPLE / "be_cn_works.json"),
    "input_csv": "names.csv",
}
GOOD_PATHS = {
    "ingest technologies": str(SAMPLE / "ec_critical_technology_areas.json"),
    "ingest watchlist": str(SAMPLE / "aspi_china_defence_universities.json"),
}


COMMANDS = {" ".join(words): command for words, command in leaf_commands()}


def _with_good_inputs(command: str, argv: list[str]) -> list[str]:
    """``argv`` from cli_walk with the placeholder for the other inputs replaced."""
    good = {**GOOD, "paths": GOOD_PATHS.get(command, GOOD["paths"])}
    params = COMMANDS[command].params
    argument = next(p for p in params if isinstance(p, click.Argument))
    out: list[str] = []
    for before, arg in zip(["", *argv], argv, strict=False):
        if arg != "OTHER":
            out.append(arg)
            continue
        option = next((p for p in params if before in p.opts), argument)
        out.append(good[str(option.name)])
    return out


def _choices(command: str) -> list[tuple[str, str]]:
    """(option, choice) for each further choice of a required choice option (--format)."""
    return [
        (param.opts[0], str(choice))
        for param in COMMANDS[command].params
        if isinstance(param, click.Option)
        and param.required
        and isinstance(param.type, click.Choice)
        for choice in param.type.choices[1:]
    ]


# Options a case needs so that its file is read at all: resolve reads INPUT.csv only once it
# has institutions to match against.
NEEDS = {"resolve:input_csv": ["--ror", str(SAMPLE / "ror.jsonl.gz")]}

# Files that are of the right kind for that input after all: not refused, rightly.
RIGHT_KIND = {
    # name,country rows are a watch list of one's own (name is its only required column).
    ("ingest watchlist:paths[--format csv]", "csv"),
    # name rows are a team file (a person named "KU Leuven" is then not found, and says so).
    ("review team:team_csv", "csv"),
    # No entries yet: an empty audit log, an empty judgement log. And an empty store: SQLite
    # reads an empty file as an empty database, and a reader racing the first write of a new
    # store sees exactly that (tests/hardening/test_concurrency.py), so it cannot be refused.
    ("--audit-log:audit", "empty"),
    ("--store:stats", "empty"),
    ("resolve:judgements", "empty"),
}


def _cases() -> list[tuple[str, list[str]]]:
    cases = []
    for case, argv in missing_file_cases(UNDER_TEST, "OTHER", "scratch/out.file"):
        command, param = case.split(":")
        argv = [*_with_good_inputs(command, argv), *NEEDS.get(case, [])]
        cases.append((case, argv))
        if param != "paths":
            continue  # the other kinds read their option files as the first does
        for flag, choice in _choices(command):
            varied = list(argv)
            varied[varied.index(flag) + 1] = choice
            cases.append((f"{case}[{flag} {choice}]", varied))
    cases += [
        ("--store:stats", ["--store", UNDER_TEST, "stats"]),
        ("--audit-log:audit", ["--audit-log", UNDER_TEST, "audit"]),
        (
            "resolve:judgements",
            [
                "resolve",
                "names.csv",
                "--column",
                "x",
                "--ror",
                str(SAMPLE / "ror.jsonl.gz"),
                "--judgements",
                UNDER_TEST,
            ],
        ),  # fmt: skip
    ]
    return cases


CASES = _cases()


def test_the_walk_covers_every_reader() -> None:
    names = {case for case, _ in CASES}
    assert {"import:path", "ingest ror:paths", "ingest table:mapping", "screen:input_csv"} <= names
    assert "ingest watchlist:paths[--format csv]" in names, names


def _params() -> list[Any]:
    out = []
    for case, argv in CASES:
        for kind in KINDS:
            if (case, kind) in RIGHT_KIND:
                continue
            out.append(pytest.param(case, argv, kind, id=f"{case}-{kind}"))
    return out


@pytest.mark.parametrize("case, argv, kind", _params())
def test_a_file_of_the_wrong_kind_is_refused_in_one_line(
    case: str,
    argv: list[str],
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLLABGRAPH_STORE", str(tmp_path / "g.db"))
    monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("COLLABGRAPH_ERASURES", str(tmp_path / "erasures.jsonl"))
    (tmp_path / "names.csv").write_text("x\nKU Leuven\n", encoding="utf-8")
    name, make = KINDS[kind]
    make(tmp_path / name)
    # An exception main() lets through (the console script's traceback) fails the test.
    code, out, err = run([name if arg == UNDER_TEST else arg for arg in argv], capsys)
    output = out + err
    assert "Traceback" not in output, output
    assert code != 0, (case, kind, output)
    lines = error_lines(output)
    assert len(lines) == 1, (case, kind, output)
    assert name in lines[0], f"the message must name {name}: {output}"
