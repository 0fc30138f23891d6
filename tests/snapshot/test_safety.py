"""Manifests are checked, archives cannot escape, spreadsheets cannot run formulas."""

from __future__ import annotations

import csv
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from collabgraph.graph.snapshot import SnapshotError, import_snapshot, write_snapshot
from collabgraph.graph.snapshot.spreadsheet import neutralise

from ..factories import load
from .helpers import awkward_graph, tiered_graph


@pytest.fixture
def snapshot(embedded_store: Any, tmp_path: Path) -> Path:
    load(embedded_store, *tiered_graph())
    return write_snapshot(embedded_store, tmp_path / "snap", fmt="json").parent


def test_manifest_content(snapshot: Path) -> None:
    manifest = orjson.loads((snapshot / "manifest.json").read_bytes())
    assert manifest["format"] == "json" and manifest["format_version"] == 1
    assert manifest["counts"]["nodes"]["Institution"] == 3, manifest["counts"]
    assert manifest["counts"]["relationships"]["LISTED_ON"] == 1, manifest["counts"]
    assert manifest["sources"] == [{"dataset": "test", "versions": ["2024-01-01"]}]
    assert [f["path"] for f in manifest["files"]] == ["graph.json"]
    assert len(manifest["files"][0]["sha256"]) == 64
    assert manifest["store"]["kind"] == "embedded"
    tiers = Path(__file__).resolve().parents[2] / "ingest" / "tiers.toml"
    if tiers.exists():
        entry = manifest["tier_mapping"]["files"][0]
        assert entry["path"] == "ingest/tiers.toml", manifest["tier_mapping"]
        assert entry["sha256"] == hashlib.sha256(tiers.read_bytes()).hexdigest()
        assert entry["content"] == tiers.read_text(encoding="utf-8")
    else:
        assert manifest["tier_mapping"]["files"] == [], manifest["tier_mapping"]


def test_changed_file_is_refused(snapshot: Path, tmp_path: Path) -> None:
    data = snapshot / "graph.json"
    data.write_bytes(data.read_bytes().replace(b"Ghent", b"Gent!"))
    from collabgraph.graph.embedded import EmbeddedStore

    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    with pytest.raises(SnapshotError, match="sha256 .* does not match"):
        import_snapshot(target, snapshot)
    assert target.view().counts().nodes["Institution"] == 0


def test_unknown_format_version_is_refused(snapshot: Path, embedded_store: Any) -> None:
    path = snapshot / "manifest.json"
    manifest = orjson.loads(path.read_bytes())
    manifest["format_version"] = 99
    path.write_bytes(orjson.dumps(manifest))
    with pytest.raises(SnapshotError, match="format version 99 is not supported"):
        import_snapshot(embedded_store, snapshot)


def test_manifest_path_escape_is_refused(snapshot: Path, embedded_store: Any) -> None:
    path = snapshot / "manifest.json"
    manifest = orjson.loads(path.read_bytes())
    manifest["files"][0]["path"] = "../outside.json"
    path.write_bytes(orjson.dumps(manifest))
    with pytest.raises(SnapshotError, match="escapes the snapshot directory"):
        import_snapshot(embedded_store, snapshot)


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt"])
def test_zip_member_escaping_is_refused(name: str, tmp_path: Path, embedded_store: Any) -> None:
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("snap/graph.json", b"{}")
        zf.writestr(name, b"pwned")
    with pytest.raises(SnapshotError, match="escapes"):
        import_snapshot(embedded_store, archive)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_tar_member_escaping_and_links_are_refused(tmp_path: Path, embedded_store: Any) -> None:
    for name, kind in (("../evil.txt", tarfile.REGTYPE), ("link", tarfile.SYMTYPE)):
        archive = tmp_path / f"bad-{kind!r}.tar.gz"
        with tarfile.open(archive, "w:gz") as tf:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            info.size = 0 if kind == tarfile.SYMTYPE else 5
            tf.addfile(info, io.BytesIO(b"pwned") if info.size else None)
        with pytest.raises(SnapshotError, match="escapes|not a plain file"):
            import_snapshot(embedded_store, archive)


def test_zip_snapshot_imports(snapshot: Path, tmp_path: Path) -> None:
    from collabgraph.graph.embedded import EmbeddedStore
    from collabgraph.graph.snapshot.archive import make_zip

    archive = make_zip(snapshot, tmp_path / "snap.zip")
    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    result = import_snapshot(target, archive)
    assert result.matches_manifest() is True
    assert target.view().counts().nodes["Institution"] == 3


def test_neutralise() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    for text in ("plain", "a=b", "", "'quoted"):
        assert neutralise(text) == text


def test_spreadsheet_cells_are_neutralised(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *awkward_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "xl", fmt="csv", for_spreadsheet=True)
    cells = []
    for name in ("nodes.csv", "relationships.csv"):
        with (manifest.parent / name).open(encoding="utf-8-sig", newline="") as fh:
            cells += [cell for row in csv.reader(fh) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@cmd" in cells and "'+1" in cells and "'-2" in cells
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == [], dangerous
    with pytest.raises(SnapshotError, match="not an import format"):
        import_snapshot(embedded_store, manifest.parent)
