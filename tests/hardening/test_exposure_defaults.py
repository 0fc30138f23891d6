"""Exposure defaults: spreadsheet cells are never formulas, archives cannot write outside their
target, the workbench listens on localhost only."""

from __future__ import annotations

import csv
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node
from collabgraph.graph.snapshot import import_snapshot
from collabgraph.graph.snapshot.manifest import SnapshotError
from collabgraph.ui.cli import cli

from ..factories import load, prov

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']


def test_spreadsheet_export_neutralises_formulas(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.db")
    nodes = [
        Node("Researcher", f"cg:r:{n}", prov(name=text, name_variants=[text], source_record=text))
        for n, text in enumerate(FORMULAS)
    ]
    load(store, nodes, [])
    out = tmp_path / "sheet"
    result = CliRunner().invoke(
        cli,
        [
            "--store",
            str(store.path),
            "-q",
            "export",
            "--format",
            "csv",
            "--for",
            "spreadsheet",
            "-o",
            str(out),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    tables = [p for p in out.rglob("*.csv")]
    assert tables, list(out.rglob("*"))
    cells = [
        cell
        for table in tables
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig")))
        for cell in row
    ]
    for text in FORMULAS:
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells if text in c)
    assert sum(1 for c in cells if c.startswith("'=")) >= 3, cells


def _zip_with(member: str, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, "owned\n")
    return path


def _tar_with(member: str, path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        data = b"owned\n"
        info = tarfile.TarInfo(member)
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("member", ["../escaped.txt", "/tmp/collabgraph-abs-escape.txt",
                                    "snap/../../escaped.txt"])  # fmt: skip
@pytest.mark.parametrize("make", [_zip_with, _tar_with], ids=["zip", "tar.gz"])
def test_archive_members_cannot_escape(tmp_path: Path, member: str, make: object) -> None:
    archive = make(member, tmp_path / ("a.zip" if make is _zip_with else "a.tar.gz"))  # type: ignore[operator]
    store = EmbeddedStore(tmp_path / "g.db")
    with pytest.raises(SnapshotError, match="a\\.(zip|tar\\.gz)"):
        import_snapshot(store, archive)
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/collabgraph-abs-escape.txt").exists()


def test_workbench_listens_on_localhost_by_default() -> None:
    from collabgraph.ui.commands.ui_cmd import ui

    host = next(p for p in ui.params if p.name == "host")
    assert host.default == "127.0.0.1", host.default
