"""Input that used to be taken silently or misread (issue 18): each is refused with one line.

Every case runs the real entry point with the input the issue reported.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ingest import sample
from collabgraph.ui.options import CountryType, SideType

from ..queries.graph import load_graph
from .cli_walk import error_lines, leaf_commands, run


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


@pytest.fixture
def be_cn_store(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = workdir / "g.jsonl.gz"
    load_graph(EmbeddedStore(path))
    monkeypatch.setenv("COLLABGRAPH_STORE", str(path))
    return path


def test_indicators_take_country_names(
    be_cn_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, by_code, err = run(["indicators", "--country", "BE", "--partner", "CN", "--json"], capsys)
    assert code == 0 and json.loads(by_code)["rows"], err
    for country, partner in [
        ("Belgium", "China"),
        ("belgium", "People's Republic of China"),
        ("be", "PR China"),
    ]:
        code, out, err = run(
            ["indicators", "--country", country, "--partner", partner, "--json"], capsys
        )
        assert code == 0, err
        assert json.loads(out) == json.loads(by_code), (country, partner)


def test_an_unknown_country_is_refused_with_close_codes(
    be_cn_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["indicators", "--country", "Belgum"], capsys)
    assert code == 2, (code, out, err)
    [line] = error_lines(err)
    assert "--country" in line and "'Belgum'" in line and "BE (Belgium)" in line, line
    assert "neither a country nor an institution" in line, line


COUNTRY_OPTIONS = [
    (words, param)
    for words, command in leaf_commands()
    for param in command.params
    if isinstance(param, click.Option) and isinstance(param.type, CountryType | SideType)
]


def test_every_country_option_parses_countries() -> None:
    found = {(" ".join(words), param.opts[0]) for words, param in COUNTRY_OPTIONS}
    assert found == {
        ("indicators", "--home"),
        ("indicators", "--partner"),
        ("report", "--home"),
        ("report", "--partner"),
        ("timeline", "--home"),
        ("timeline", "--partner"),
        ("screen", "--home"),
        ("judge", "--country"),
        ("review changes", "--home"),
        ("review changes", "--partner"),
    }
    named = {
        (" ".join(words), param.name)
        for words, command in leaf_commands()
        for param in command.params
        if param.name in {"country", "partner", "home"}
    }
    assert named == {(" ".join(w), p.name) for w, p in COUNTRY_OPTIONS}, "not typed COUNTRY"


@pytest.mark.parametrize(
    "words, param", COUNTRY_OPTIONS, ids=[f"{' '.join(w)}:{p.name}" for w, p in COUNTRY_OPTIONS]
)
def test_every_country_option_refuses_what_it_cannot_map(
    words: list[str], param: click.Option, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    converted = param.type.convert("Belgium", param, None)
    assert getattr(converted, "key", converted) == "BE"  # a code, or a side (queries/sides.py)
    code, _, err = run([*words, param.opts[0], "Chna"], capsys)
    assert code == 2, err
    [line] = error_lines(err)
    assert param.opts[0] in line and "CN (China)" in line, line


@pytest.mark.parametrize("command", ["screen", "resolve"])
def test_a_country_column_takes_names_and_refuses_the_rest(
    command: str, be_cn_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = be_cn_store.parent / "good.csv"
    good.write_text("name,country\nKU Leuven,Belgium\nTsinghua University,China\n")
    argv = [command, str(good), "--column", "name", "--country-column", "country"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    ids = [row.get("id") or row.get("ror_name") for row in rows]
    assert all(ids) and len(ids) == 2, out
    bad = be_cn_store.parent / "bad.csv"
    bad.write_text("name,country\nKU Leuven,BE\nTsinghua University,Chna\n")
    code, _, err = run(
        [command, str(bad), "--column", "name", "--country-column", "country"], capsys
    )
    assert code == 1, err
    [line] = error_lines(err)
    assert f"{bad}: line 3, column 'country': 'Chna'" in line and "CN (China)" in line, line


def test_a_data_file_given_as_the_mapping_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(sample.__file__).parent / "be_cn_works.json"
    argv = ["--store", "g.jsonl.gz", "ingest", "table", str(data), "--mapping", str(data)]
    code, _, err = run(argv, capsys)
    assert code == 1, err
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert f"{data}: not a mapping file" in line and "[columns]" in line, line
    assert not (workdir / "g.jsonl.gz").exists()


def test_an_ingest_that_rejects_every_record_fails_naming_the_kind(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partners = workdir / "partners.csv"
    partners.write_text("name,country\nKU Leuven,BE\nTsinghua University,CN\n")
    code, _, err = run(["--store", "g.jsonl.gz", "ingest", "ror", str(partners)], capsys)
    assert code == 1, err
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert f"{partners}: all 3 records rejected" in line, line
    assert "probably not ROR records" in line and "`ingest ror`" in line, line


def test_an_ingest_that_keeps_some_records_still_succeeds(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = '{"id": "https://ror.org/05f950310", "name": "KU Leuven", "country": '
    good += '{"country_code": "BE", "country_name": "Belgium"}, "types": ["Education"]}'
    mixed = workdir / "mixed.jsonl"
    mixed.write_text(good + "\nnot json\n")
    code, _, err = run(["--store", "g.jsonl.gz", "ingest", "ror", str(mixed)], capsys)
    assert code == 0, err
    assert "written 1, rejected 1" in err, err
