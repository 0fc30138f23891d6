"""``--replace-invalid``: the Big List of Naughty Strings round-trips exactly in every format.

Without the option GraphML and GEXF refuse a control character and the neo4j-admin CSV a list
element holding every array delimiter; with it they write escapes, list each changed value in
the manifest, and import puts every original back (graph/snapshot/replace.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Node
from collabgraph.graph.snapshot import FORMATS, SnapshotError, import_snapshot, write_snapshot
from collabgraph.graph.snapshot.neo4j_csv import DELIMITERS
from collabgraph.graph.snapshot.replace import XML_UNSAFE, escape, needs_escape, unescape
from collabgraph.ui.cli import cli

from ..factories import load, prov
from .helpers import HARDEST, naughty_graph, naughty_strings, state
from .test_xml_schema import FILES, schema

ESCAPING = {"graphml", "gexf", "csv"}
"""The formats that cannot carry some naughty string; JSON and Cypher carry them all."""


@pytest.fixture
def naughty(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "naughty.jsonl.gz")
    load(store, *naughty_graph())
    return store


def _note(manifest: Path) -> dict[str, Any]:
    note = orjson.loads(manifest.read_bytes())["replace_invalid"]
    assert isinstance(note, dict)
    return note


@pytest.mark.parametrize("fmt", FORMATS)
def test_naughty_strings_round_trip_exactly(
    fmt: str, naughty: EmbeddedStore, tmp_path: Path
) -> None:
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt=fmt, replace_invalid=True)
    target = EmbeddedStore(tmp_path / "target.jsonl.gz")
    result = import_snapshot(target, manifest.parent)
    assert result.matches_manifest() is True, result
    assert state(target) == state(naughty), fmt
    values = _note(manifest)["values"]
    assert result.restored == len(values)
    assert bool(values) == (fmt in ESCAPING), values[:3]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_escapes_are_visible_and_listed(
    fmt: str, naughty: EmbeddedStore, tmp_path: Path
) -> None:
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt=fmt, replace_invalid=True)
    text = (manifest.parent / f"graph.{fmt}").read_text(encoding="utf-8")
    assert not XML_UNSAFE.search(text)
    assert "title with U+0001 \\u0001 in it" in text
    entry = {
        "node": "cg:paper:n136",
        "property": "title",
        "original": "title with U+0001 \x01 in it",
        "written": "title with U+0001 \\u0001 in it",
    }
    assert entry in _note(manifest)["values"]
    # The manifest stays valid JSON with the control characters escaped by JSON itself.
    assert "\\u0001" in manifest.read_text(encoding="ascii", errors="replace")


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_escaped_xml_is_schema_valid(fmt: str, naughty: EmbeddedStore, tmp_path: Path) -> None:
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt=fmt, replace_invalid=True)
    schema(fmt).validate(str(manifest.parent / FILES[fmt]))


@pytest.mark.parametrize("fmt", FORMATS)
def test_naughty_strings_round_trip_into_neo4j(
    fmt: str, naughty: EmbeddedStore, neo4j_store: Any, tmp_path: Path
) -> None:
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt=fmt, replace_invalid=True)
    import_snapshot(neo4j_store, manifest.parent)
    assert state(neo4j_store) == state(naughty), fmt


def test_gexf_escapes_ids_and_keeps_them_distinct(naughty: EmbeddedStore, tmp_path: Path) -> None:
    """U+0001 in an id and the plain text '\\u0001' in another never meet in the file."""
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt="gexf", replace_invalid=True)
    values = _note(manifest)["values"]
    ids = {v["original"]: v["written"] for v in values if v["property"] == ":id"}
    original = "cg:odd:0:title with U+0001 \x01 in it"
    assert ids[original] == "cg:odd:0:title with U+0001 \\u0001 in it"
    assert ids["cg:odd:\\u0001"] == "cg:odd:\\\\u0001"
    ends = [v for v in values if v["property"] in (":start", ":end")]
    assert ends and all("relationship" in v for v in ends), ends


def test_csv_escapes_the_delimiter_in_list_elements_only(
    naughty: EmbeddedStore, tmp_path: Path
) -> None:
    manifest = write_snapshot(naughty, tmp_path / "snap", fmt="csv", replace_invalid=True)
    delimiter = orjson.loads(manifest.read_bytes())["neo4j_admin"]["array_delimiter"]
    assert delimiter in DELIMITERS
    values = _note(manifest)["values"]
    assert all("index" in v and delimiter in v["original"] for v in values), values[:3]
    assert all(delimiter not in v["written"] for v in values)


@pytest.mark.parametrize("fmt", sorted(ESCAPING))
def test_without_the_option_the_refusal_stays(
    fmt: str, embedded_store: Any, tmp_path: Path
) -> None:
    every = "".join(DELIMITERS)
    load(embedded_store, [Node("Paper", "p:1", prov(title="a\x01b", keywords=[every]))], [])
    message = "U\\+0001 cannot be written to XML" if fmt != "csv" else "every array delimiter"
    with pytest.raises(CollabgraphError, match=message):
        write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)


def test_cli_export_replace_invalid_then_import(naughty: EmbeddedStore, tmp_path: Path) -> None:
    out, target = tmp_path / "snap.zip", tmp_path / "target.jsonl.gz"
    runner = CliRunner()
    args = ["--store", naughty.location, "-q", "export", "--format", "gexf", "--replace-invalid"]
    done = runner.invoke(cli, [*args, "-o", str(out)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["--store", str(target), "-q", "import", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert orjson.loads(done.stdout)["restored"] > 0
    assert state(EmbeddedStore(target)) == state(naughty)


@pytest.mark.parametrize("text", [*naughty_strings(), "\\", "\\\\u", "\\u000", "\\U0001"])
def test_escape_reverses(text: str) -> None:
    written = escape(text, XML_UNSAFE)
    assert unescape(written) == text
    assert not XML_UNSAFE.search(written)


def test_written_texts_are_distinct() -> None:
    texts = [*naughty_strings(), *(escape(t, XML_UNSAFE) for t in HARDEST)]
    written = [escape(t, XML_UNSAFE) if needs_escape(t, XML_UNSAFE) else t for t in texts]
    assert len(set(written)) == len(set(texts))


# -- a manifest note that does not fit its snapshot is refused, naming the manifest ------------


@pytest.fixture
def gexf_snapshot(naughty: EmbeddedStore, tmp_path: Path) -> Path:
    return write_snapshot(naughty, tmp_path / "snap", fmt="gexf", replace_invalid=True).parent


def _edit_note(snapshot: Path, change: Any) -> None:
    path = snapshot / "manifest.json"
    manifest = orjson.loads(path.read_bytes())
    change(manifest["replace_invalid"]["values"])
    path.write_bytes(orjson.dumps(manifest))


def _set(position: int, **fields: Any) -> Any:
    return lambda values: values[position].update(fields)


NOTE_REFUSALS = {
    "not the escape": (_set(0, original="something else"), "is not the escape of the original"),
    "lone backslash": (_set(0, written="a\\b", original="a\\b"), "starts no escape"),
    "not in the file": (_set(0, written="zz", original="zz"), "but the snapshot holds"),
    "no such element": (_set(0, node="cg:nobody"), "which the snapshot does not hold"),
    "bad index": (_set(0, index=-1), "not a list position"),
    "not a list": (lambda values: values.clear() or values.append(3), "not an object"),
}


@pytest.mark.parametrize("case", sorted(NOTE_REFUSALS))
def test_a_note_that_does_not_fit_is_refused(
    case: str, gexf_snapshot: Path, embedded_store: Any
) -> None:
    change, match = NOTE_REFUSALS[case]
    _edit_note(gexf_snapshot, change)
    with pytest.raises(SnapshotError, match=re.escape(match)) as caught:
        import_snapshot(embedded_store, gexf_snapshot)
    assert "manifest.json" in str(caught.value) and "\n" not in str(caught.value)
