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

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError
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


# -- untrusted snapshots: minimal inputs found by tests/hardening/test_fuzz_snapshots.py --------
# Each was a crash (an exception other than a one-line SnapshotError) or a silent acceptance;
# now each is refused with a message naming the file, and nothing reaches the store.

GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    '<key id="cg_label" for="node" attr.name="cg_label" attr.type="string"/>'
    '<key id="n.title" for="node" attr.name="title" attr.type="string"/>'
    '<key id="n.year" for="node" attr.name="year" attr.type="long"/>'
    '<graph id="g" edgedefault="directed">'
)
GRAPHML_TAIL = "</graph></graphml>\n"
GEXF_DOC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">'
    '<graph defaultedgetype="directed"><attributes class="node">'
    '<attribute id="cg_label" title="cg_label" type="string"/>'
    '<attribute id="n.title" title="title" type="string"/>'
    '<attribute id="n.year" title="year" type="long"/></attributes>'
    '<nodes><node id="openalex:A1"><attvalues><attvalue for="cg_label" value="Paper"/>'
    '<attvalue for="n.title" value="{name}"/><attvalue for="n.year" value="{hops}"/>'
    "</attvalues></node></nodes></graph></gexf>\n"
)
CYPHER_NODES = (
    "UNWIND {rows} AS row MERGE (n:Paper {{id: row.id}}) ON CREATE SET n:Entity SET n += row.p;\n"
)


def _graphml_node(node_id: str, hops: str = "1", name: str = "Ann") -> str:
    return (
        f'{GRAPHML_HEAD}<node id="{node_id}"><data key="cg_label">Paper</data>'
        f'<data key="n.title">{name}</data><data key="n.year">{hops}</data></node>'
        f"{GRAPHML_TAIL}"
    )


def _cypher(rows: str) -> str:
    return CYPHER_NODES.format(rows=rows)


def _refused(store: Any, path: Path, match: str) -> None:
    with pytest.raises(CollabgraphError, match=match) as caught:
        import_snapshot(store, path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message, message
    assert sum(store.view().counts().nodes.values()) == 0, store.view().counts()


def test_minimal_inputs_import(store: Any, tmp_path: Path) -> None:
    """The minimal documents below are valid when not damaged (so the refusals are specific)."""
    for name, text in (
        ("graph.graphml", _graphml_node("openalex:A1")),
        ("graph.gexf", GEXF_DOC.format(name="Ann", hops="1")),
        ("graph.cypher", _cypher("[{id: 'openalex:A1', p: {title: 'Ann', year: 1}}]")),
    ):
        path = tmp_path / name.split(".")[1] / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        import_snapshot(store, path)
        node = store.view().get_node("openalex:A1")
        assert node is not None and node.props["title"] == "Ann", (name, node)


XML_REFUSALS = {
    # GraphML ids escape characters as _<hex>_; one beyond U+10FFFF was a ValueError/OverflowError.
    "graphml code point": (_graphml_node("_110000_"), "not a Unicode code point"),
    "graphml huge escape": (_graphml_node("_ffffffffffffffffffff_"), "not a Unicode code point"),
    # An id that decodes to a lone surrogate could not be saved (TypeError from orjson).
    "graphml surrogate id": (_graphml_node("_d800_"), "not valid Unicode"),
    # Integers beyond 64 bits (a paper's year) passed the schema, then failed when it was saved.
    "graphml big integer": (_graphml_node("a", hops="99999999999999999999"), "64-bit"),
    "gexf big integer": (GEXF_DOC.format(name="Ann", hops="-9223372036854775809"), "64-bit"),
    # An encoding Python lacks, or one expat cannot use, was a LookupError / ValueError.
    "unknown encoding": (_graphml_node("a").replace("UTF-8", "bogus"), "unsupported XML encoding"),
    "multi-byte encoding": (_graphml_node("a").replace("UTF-8", "UTF-7"), "unsupported XML"),
    # The DOCTYPE check looked at the first 4096 bytes only: this entity was expanded.
    "late DOCTYPE": (
        '<?xml version="1.0"?><!--'
        + "x" * 5000
        + '--><!DOCTYPE graphml [<!ENTITY e "Eve">]>'
        + _graphml_node("a", name="&e;").split("\n", 1)[1],
        "DOCTYPE",
    ),
}


@pytest.mark.parametrize("case", sorted(XML_REFUSALS))
def test_hostile_xml_is_refused(case: str, store: Any, tmp_path: Path) -> None:
    text, match = XML_REFUSALS[case]
    path = tmp_path / ("graph.gexf" if case.startswith("gexf") else "graph.graphml")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _refused(store, path, match)


def test_doctype_in_utf16_is_refused(embedded_store: Any, tmp_path: Path) -> None:
    # A byte search for b"<!DOCTYPE" cannot see it in UTF-16; expat reads UTF-16 happily.
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE graphml [<!ENTITY e "Eve">]>'
    path = tmp_path / "graph.graphml"
    path.write_bytes((text + _graphml_node("a", name="&e;").split("\n", 1)[1]).encode("utf-16"))
    _refused(embedded_store, path, "DOCTYPE")


def test_not_a_number_is_refused(embedded_store: Any, tmp_path: Path) -> None:
    # float("nan") passed the schema; the JSON store saved it as null (exports refuse NaN).
    path = tmp_path / "graph.graphml"
    edge = (
        '<node id="t"><data key="cg_label">Technology</data><data key="n.name">T</data></node>'
        '<edge source="a" target="t"><data key="cg_type">CONCERNS</data>'
        '<data key="e.score">nan</data></edge>'
    )
    keys = (
        '<key id="n.name" for="node" attr.name="name" attr.type="string"/>'
        '<key id="cg_type" for="edge" attr.name="cg_type" attr.type="string"/>'
        '<key id="e.score" for="edge" attr.name="score" attr.type="double"/>'
    )
    text = (
        _graphml_node("a")
        .replace("<graph ", keys + "<graph ")
        .replace("</graph>", edge + "</graph>")
    )
    path.write_text(text, encoding="utf-8")
    _refused(embedded_store, path, "score nan is not a finite number")


CYPHER_REFUSALS = {
    "deep nesting": ("[" * 5000 + "]" * 5000, "nested more than"),  # was RecursionError
    "5000 digits": ("[{id: 'a', p: {year: " + "9" * 5000 + "}}]", "too long"),  # ValueError
    "escape overflow": ("[{id: 'a', p: {title: '\\UFFFFFFFF'}}]", "bad unicode escape"),
    "big integer": (
        "[{id: 'a', p: {title: 'A', year: 99999999999999999999}}]",
        "64-bit",
    ),  # TypeError
    "surrogate id": ("[{id: '\\ud800', p: {title: 'A'}}]", "not valid Unicode"),  # TypeError
    "props not a map": ("[{id: 'a', p: [1]}]", "not a map"),  # AttributeError
    "null id": ("[{id: null, p: {title: 'A'}}]", "not a string"),  # imported as node 'None'
}


@pytest.mark.parametrize("case", sorted(CYPHER_REFUSALS))
def test_hostile_cypher_is_refused(case: str, store: Any, tmp_path: Path) -> None:
    rows, match = CYPHER_REFUSALS[case]
    path = tmp_path / "graph.cypher"
    path.write_text(_cypher(rows), encoding="utf-8")
    _refused(store, path, match)


@pytest.mark.parametrize(
    "statement",
    [
        "MATCH (n) DETACH DELETE n;",
        # A valid batch with more after it: cypher-shell would run the DELETE.
        _cypher("[{id: 'a', p: {title: 'A'}}]").replace(
            ";\n", " WITH n MATCH (m) DETACH DELETE m;"
        ),
        "CREATE INDEX x IF NOT EXISTS FOR (n:Paper) ON (n.doi); MATCH (n) DETACH DELETE n;",
    ],
)
def test_foreign_cypher_statements_are_refused(
    statement: str, embedded_store: Any, tmp_path: Path
) -> None:
    # These were skipped (anything not starting with UNWIND) or matched by a prefix.
    path = tmp_path / "graph.cypher"
    path.write_text(_cypher("[{id: 'a', p: {title: 'A'}}]") + statement + "\n", encoding="utf-8")
    _refused(embedded_store, path, r"graph.cypher:2: not a statement of a collabgraph snapshot")


@pytest.mark.parametrize("fmt", ["csv", "cypher"])
def test_text_snapshot_that_is_not_utf8_is_refused(
    fmt: str, embedded_store: Any, tmp_path: Path
) -> None:
    # UnicodeDecodeError escaped from the CSV and Cypher readers (a UTF-16 file, Latin-1 line).
    source = EmbeddedStore(tmp_path / "s.jsonl.gz")
    load(source, *tiered_graph())
    snap = write_snapshot(source, tmp_path / "snap", fmt=fmt).parent
    (snap / "manifest.json").unlink()
    path = snap / ("nodes/Researcher.csv" if fmt == "csv" else "graph.cypher")
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    _refused(embedded_store, snap, r":1: not valid UTF-8 \(byte 0xff at column 1\)")


@pytest.mark.parametrize("delimiter", ["", "ab", 5, None])
def test_bad_array_delimiter_in_manifest_is_refused(
    delimiter: Any, embedded_store: Any, tmp_path: Path
) -> None:
    # "" was a ValueError (empty separator) from str.split.
    source = EmbeddedStore(tmp_path / "s.jsonl.gz")
    load(source, *tiered_graph())
    snap = write_snapshot(source, tmp_path / "snap", fmt="csv").parent
    manifest = orjson.loads((snap / "manifest.json").read_bytes())
    manifest["neo4j_admin"]["array_delimiter"] = delimiter
    (snap / "manifest.json").write_bytes(orjson.dumps(manifest))
    _refused(embedded_store, snap, "array_delimiter .* is not a single character")
