"""Property-based fuzzing of the snapshot importers other than node-link JSON.

Snapshots are exchanged between organisations, so ``import_snapshot`` treats GraphML, GEXF,
neo4j-admin CSV and Cypher scripts as untrusted input. Each case starts from a real export of
tests/factories.py ``tiny_graph()``, applies structure-aware mutations (XML elements and
attributes, CSV headers, cells and files, Cypher statements and literals) and then a byte-level
mutation (tests/hardening/fuzz.py). Every case must either import or stop with a one-line
:class:`CollabgraphError` naming the file; it never crashes, never hangs and never leaves a
broken or half-written store (``run_case``). A refused snapshot (smaller than one writer
batch) leaves nothing behind. Case counts and reasons are printed by tests/hardening/conftest.py.

A longer campaign: ``COLLABGRAPH_FUZZ_EXAMPLES=2000 pytest tests/hardening/test_fuzz_snapshots.py``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import orjson
from hypothesis import given
from hypothesis import strategies as st

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.snapshot import import_snapshot, write_snapshot
from collabgraph.graph.snapshot.csvtext import read_rows
from collabgraph.ingest.pipeline import RejectWriter, Summary

from ..factories import load, tiny_graph
from .fuzz import byte_mutation, run_case
from .test_fuzz_parsers import FUZZ

CASE_SECONDS = 30  # far above any sane import of a tiny graph: only a hang gets here


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Turn a hang into a TimeoutError (reported by run_case as a crash)."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"import still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@cache
def _seeds() -> dict[str, dict[str, bytes]]:
    """Format → {path inside the snapshot: bytes} of tiny_graph() exports (no manifest).

    Not a fixture: hypothesis prints fixture arguments of a failing case, and these are large.
    """
    base = Path(tempfile.mkdtemp(prefix="collabgraph-fuzz-seeds-"))
    try:
        store = EmbeddedStore(base / "g.db")
        load(store, *tiny_graph())
        out: dict[str, dict[str, bytes]] = {}
        for fmt in ("graphml", "gexf", "csv", "cypher"):
            root = write_snapshot(store, base / fmt, fmt=fmt).parent
            out[fmt] = {
                p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*"))
                if p.is_file() and p.name != "manifest.json"
            }
        return out
    finally:
        shutil.rmtree(base)


class Blob(bytes):
    """A generated file: printed short (hypothesis warns on, and -W error fails at, huge reprs).

    With COLLABGRAPH_FUZZ_SAVE=DIR a crashing case's files are saved there in full.
    """

    def __repr__(self) -> str:
        digest = hashlib.sha256(self).hexdigest()[:12]
        return f"Blob({len(self)} bytes, sha256 {digest}…, {bytes(self[:120])!r}…)"


def _save_crash(files: dict[str, bytes]) -> None:
    target = os.environ.get("COLLABGRAPH_FUZZ_SAVE")
    if not target:
        return
    digest = hashlib.sha256(b"".join(files[k] for k in sorted(files))).hexdigest()[:16]
    for rel, content in files.items():
        path = Path(target) / digest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="collabgraph-fuzz-snap-"))


def _import(parser: str, work_dir: Path, target: Path, files: list[Path]) -> None:
    """Import ``target`` into a fresh embedded store through run_case, with a hang guard."""
    store_path = work_dir / "g.db"

    def importing(store: EmbeddedStore, rw: RejectWriter) -> Summary:
        with _time_limit(CASE_SECONDS):
            result = import_snapshot(store, target)
        total = sum(result.nodes.values()) + sum(result.relationships.values())
        return Summary("snapshot", read=total, written=total)

    try:
        result = run_case(f"snapshot import ({parser})", store_path, [target, *files], importing)
    except AssertionError:
        root = target if target.is_dir() else target.parent
        _save_crash(
            {p.relative_to(root).as_posix(): p.read_bytes() for p in files or [target]}
            | (
                {"manifest.json": (root / "manifest.json").read_bytes()}
                if (root / "manifest.json").exists()
                else {}
            )
        )
        raise
    if result.outcome == "file error" and store_path.exists():
        counts = EmbeddedStore(store_path).view().counts()
        assert sum(counts.nodes.values()) == 0, (result.error, counts)


# -- shared junk -------------------------------------------------------------------------------

JUNK = [
    "",
    " ",
    "-1",
    "0",
    "2021",
    " 2021 ",
    "1_000",
    "١٢٣",
    "99999999999999999999999",
    "-9223372036854775809",
    "9" * 5000,
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "true",
    "TRUE",
    "yes",
    "[1, 2]",
    "[]",
    "[null]",
    '["x", 3]',
    "[99999999999999999999]",
    "[1e400]",
    "[" * 3000 + "]" * 3000,
    '{"a": 1}',
    "openalex:A1",
    "openalex:A404",
    "ror:01yqg2h08",
    "Researcher",
    "Institution",
    "AUTHORED",
    "Nonexistent",
    "_110000_",
    "_d800_",
    "_ffffffffff_",
    "doi:10.1_2f_x",
    "é" * 100_000,
    "') DETACH DELETE n //",
    "\u202eevil",
    "\udcff",
]


def _junk() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(JUNK), st.text(max_size=20))


# -- XML (GraphML, GEXF) -----------------------------------------------------------------------

XML_ATTRS = (
    "id for key source target attr.name attr.type type title value start end mode class".split()
)
XML_VALUES = [
    *"long int integer double float boolean string list long[] liststring".split(),
    *"node edge all graph cg_label cg_type label n.year n.name n.names n.names.json".split(),
    *"e.years e.years.json e.score".split(),
    "collabgraph:json-list int",
    "collabgraph:json-list bogus",
    "collabgraph:json-list ",
]

_LOL = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
    for i in range(1, 10)
)
# Each replaces the XML declaration; "&e;" (if any) goes into the first text value.
XML_ATTACKS: dict[str, tuple[str, str]] = {
    "billion laughs": (f'<?xml version="1.0"?><!DOCTYPE r [{_LOL}]>', "&lol9;"),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        "&e;",
    ),
    "external parameter entity": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
        "",
    ),
    "external DTD": ('<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd">', ""),
    "DOCTYPE after a long comment": (
        '<?xml version="1.0"?><!--' + "x" * 6000 + f"--><!DOCTYPE r [{_LOL}]>",
        "&lol9;",
    ),
    "quadratic blowup": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "a" * 50_000 + '">]>',
        "&a;" * 2000,
    ),
    "undeclared entity": ('<?xml version="1.0"?>', "&nbsp;"),
}


def _xml_elements(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """(parent, element) for every element below the root."""
    return [(parent, child) for parent in root.iter() for child in parent]


@st.composite
def xml_document(draw: st.DrawFn, seed: bytes) -> tuple[bytes, bool]:
    """(mutated XML bytes, whether an entity/DOCTYPE attack was injected)."""
    root = ET.fromstring(seed)
    for _ in range(draw(st.integers(0, 4))):
        pairs = _xml_elements(root)
        if not pairs:
            break
        parent, elem = draw(st.sampled_from(pairs))
        action = draw(
            st.sampled_from(["drop", "dup", "drop-attr", "set-attr", "set-attr", "text", "move"])
        )
        if action == "drop":
            parent.remove(elem)
        elif action == "dup":
            parent.insert(list(parent).index(elem), copy.deepcopy(elem))
        elif action == "drop-attr" and elem.attrib:
            del elem.attrib[draw(st.sampled_from(sorted(elem.attrib)))]
        elif action == "set-attr":
            name = draw(st.sampled_from(sorted(elem.attrib) or XML_ATTRS))
            if draw(st.booleans()):
                name = draw(st.sampled_from(XML_ATTRS))
            elem.set(name, draw(st.one_of(_junk(), st.sampled_from(XML_VALUES))))
        elif action == "text":
            elem.text = draw(st.one_of(_junk(), st.sampled_from(XML_VALUES)))
        elif action == "move":
            other_parent, _ = draw(st.sampled_from(pairs))
            if all(sub is not other_parent for sub in elem.iter()):
                parent.remove(elem)
                other_parent.append(elem)
    data = ET.tostring(root, encoding="unicode")
    attacked = False
    if draw(st.integers(0, 5)) == 0:
        prolog, reference = XML_ATTACKS[draw(st.sampled_from(sorted(XML_ATTACKS)))]
        if reference and ' id="' in data:
            data = data.replace(' id="', f' id="{reference}', 1)
        attacked = "<!DOCTYPE" in prolog or (bool(reference) and reference in data)
        data = prolog + "\n" + data
    else:
        data = '<?xml version="1.0" encoding="UTF-8"?>\n' + data
    encoding = "utf-8"
    if draw(st.integers(0, 9)) == 0:
        declared = draw(st.sampled_from(["bogus", "hex", "UTF-7", "UTF-32", "latin-1", "ascii"]))
        data = data.replace('encoding="UTF-8"', f'encoding="{declared}"')
    elif draw(st.integers(0, 9)) == 0:
        # expat reads UTF-16 (with a BOM): byte-level checks for "<!DOCTYPE" must not be fooled.
        data = data.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        encoding = "utf-16"
    return Blob(data.encode(encoding, "surrogatepass")), attacked


def _xml_case(fmt: str, name: str, seed: bytes, data: st.DataObject) -> None:
    document, attacked = data.draw(xml_document(seed))
    if attacked:
        raw = document  # the attack itself is the point; a byte mutation would only hide it
    else:
        _, raw = data.draw(byte_mutation(document).map(lambda m: (m[0], Blob(m[1]))))
    work_dir = _work_dir()
    try:
        path = work_dir / name
        path.write_bytes(raw)
        _import(fmt, work_dir, path, [])
        if attacked and (work_dir / "g.db").exists():
            counts = EmbeddedStore(work_dir / "g.db").view().counts()
            assert sum(counts.nodes.values()) == 0, "a DOCTYPE attack was imported"
    finally:
        shutil.rmtree(work_dir)


@FUZZ
@given(data=st.data())
def test_graphml_import(data: st.DataObject) -> None:
    _xml_case("GraphML", "graph.graphml", _seeds()["graphml"]["graph.graphml"], data)


@FUZZ
@given(data=st.data())
def test_gexf_import(data: st.DataObject) -> None:
    _xml_case("GEXF", "graph.gexf", _seeds()["gexf"]["graph.gexf"], data)


# -- neo4j-admin CSV ---------------------------------------------------------------------------

CSV_TYPES = [
    "",
    *":string :INT :int :long :long[] :double :float[] :boolean :boolean[] :string[]".split(),
    *":point :datetime :ID :ID(Other) :START_ID(Other) :END_ID :LABEL :TYPE :IGNORE : []".split(),
]
CSV_CELLS = [
    None,
    "",
    "x",
    "1;2;x",
    ";;",
    ";",
    "Researcher;Entity",
    "Entity",
    "Nonexistent",
    "AUTHORED",
    "true;maybe",
]


def _quote(cell: str | None) -> str:
    return "" if cell is None else '"' + cell.replace('"', '""') + '"'


def _parse_csv(data: bytes) -> list[list[str | None]]:
    import io

    return [row for _, row in read_rows(io.StringIO(data.decode("utf-8")), "seed")]


@st.composite
def csv_files(draw: st.DrawFn, seed: dict[str, bytes]) -> dict[str, bytes]:
    """Mutated neo4j-admin CSV files: headers retyped or dropped, cells, rows and files."""
    files = {path: _parse_csv(data) for path, data in seed.items()}
    raw: dict[str, bytes] = {}
    for _ in range(draw(st.integers(0, 5))):
        path = draw(st.sampled_from(sorted(files)))
        rows = files[path]
        action = draw(
            st.sampled_from(
                ["retype", "drop-col", "drop-header", "cell", "cell", "row", "dup", "file"]
            )
        )
        width = len(rows[0])
        col = draw(st.integers(0, width - 1))
        if action == "retype":
            name = (rows[0][col] or "").partition(":")[0]
            rows[0][col] = name + draw(st.sampled_from(CSV_TYPES))
        elif action == "drop-col":
            for row in rows:
                if col < len(row):
                    row.pop(col)
        elif action == "drop-header":
            rows[0].pop(col)
        elif action == "cell" and len(rows) > 1:
            row = rows[draw(st.integers(1, len(rows) - 1))]
            row[min(col, len(row) - 1)] = draw(st.one_of(st.sampled_from(CSV_CELLS), _junk()))
        elif action == "row" and len(rows) > 1:
            row = rows[draw(st.integers(1, len(rows) - 1))]
            if draw(st.booleans()):
                row.append(draw(_junk()))
            elif row:
                row.pop()
        elif action == "dup" and len(rows) > 1:
            rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
        elif action == "file":
            what = draw(st.sampled_from(["delete", "move", "empty", "header-only"]))
            if what == "delete" and len(files) > 1:
                del files[path]
            elif what == "move":
                other = "relationships" if path.startswith("nodes/") else "nodes"
                files[f"{other}/{path.split('/', 1)[1]}"] = files.pop(path)
            elif what == "empty":
                raw[path] = b""
            elif what == "header-only":
                del rows[1:]
    out = {}
    for path, rows in files.items():
        header = ",".join(cell or "" for cell in rows[0])
        lines = [header] + [",".join(_quote(c) for c in row) for row in rows[1:]]
        out[path] = raw.get(path, ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    victim = draw(st.sampled_from(sorted(out)))
    _, mutated = draw(byte_mutation(out[victim]))
    out[victim] = mutated
    return {path: Blob(content) for path, content in out.items()}


@FUZZ
@given(data=st.data())
def test_neo4j_csv_import(data: st.DataObject) -> None:
    files = data.draw(csv_files(_seeds()["csv"]))
    work_dir = _work_dir()
    try:
        snap = work_dir / "snap"
        written = []
        for rel, content in files.items():
            path = snap / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
        # Mostly no manifest (";"); sometimes one whose delimiter setting is itself the input.
        delimiter = data.draw(st.sampled_from([None] * 6 + [";", "|", "\x1f", "", "ab", 5]))
        if delimiter is not None:
            # A manifest with correct checksums: the delimiter setting itself is the input.
            manifest = {
                "format": "csv",
                "format_version": 1,
                "files": [
                    {
                        "path": p.relative_to(snap).as_posix(),
                        "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                    }
                    for p in written
                ],
                "neo4j_admin": {"array_delimiter": delimiter},
            }
            (snap / "manifest.json").write_bytes(orjson.dumps(manifest))
        _import("neo4j-admin CSV", work_dir, snap, written)
    finally:
        shutil.rmtree(work_dir)


# -- Cypher script -----------------------------------------------------------------------------

FOREIGN_STATEMENTS = [
    "MATCH (n) DETACH DELETE n;",
    "CALL dbms.killAnyQuery('x');",
    "LOAD CSV FROM 'file:///etc/passwd' AS row MERGE (n:Researcher {id: row[0]});",
    "UNWIND $rows AS row MERGE (n:Researcher {id: row.id}) ON CREATE SET n:Entity SET n += row.p;",
    "UNWIND [1, 2] AS row MERGE (n:Researcher {id: row}) ON CREATE SET n:Entity SET n += row.p;",
    "UNWIND [{id: 'x', p: {name: 'X'}}] AS row MERGE (n:Researcher {id: row.id}) SET n.x = 1;",
    "UNWIND [{id: 'x', p: [1]}] AS row MERGE (n:Researcher {id: row.id}) ON CREATE SET n += row.p;",
    "UNWIND [{id: 'x', p: 'text'}] AS row MERGE (n:Researcher {id: row.id}) SET n += row.p;",
    "UNWIND [{id: 'x', p: {name: 'X'}}] AS row MERGE (n:Nope {id: row.id}) SET n += row.p;",
    "unwind [{id: 'x'}] as row merge (n:Researcher {id: row.id});",
    "UNWIND [{s: 'openalex:A1', e: 'openalex:W1', p: {}}] AS row MATCH (a {id: row.s}) "
    "MERGE (a)-[r:AUTHORED]->(b);",
    "CREATE (n:Researcher {id: 'x', name: 'X'});",
    "UNWIND " + "[" * 5000 + "]" * 5000 + " AS row MERGE (n:Researcher {id: row.id});",
]
CYPHER_LITERALS = [
    "null",
    "[]",
    "{}",
    "{p: []}",
    "99999999999999999999999",
    "9" * 5000,
    "1e999",
    "-1",
    "-0.0",
    "NaN",
    "0x1F",
    "'\\ud800'",
    "'\\U0010ffff'",
    "'\\UFFFFFFFF'",
    "'\\uffff'",
    "'\\uzzzz'",
    "'\\u-123'",
    "'\\q'",
    "'\\",
    "'unterminated",
    "true",
    "[" * 3000 + "]" * 3000,
    "{" * 2000,
    "['a', 1, null]",
    "'') DETACH DELETE n //'",
    "`id`",
    "$rows",
]
_LITERAL_TOKEN = r"'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\btrue\b|\bfalse\b|\bnull\b"


@st.composite
def cypher_script(draw: st.DrawFn, seed: bytes) -> bytes:
    """A mutated snapshot script: lines dropped, duplicated, replaced, literals swapped."""
    import re

    lines = seed.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "foreign", "literal", "literal", "label"]))
        if action == "drop" and len(lines) > 1:
            lines.pop(index)
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "foreign":
            lines.insert(index, draw(st.sampled_from(FOREIGN_STATEMENTS)))
        elif action == "literal":
            tokens = list(re.finditer(_LITERAL_TOKEN, lines[index]))
            if tokens:
                match = draw(st.sampled_from(tokens))
                junk = draw(
                    st.one_of(
                        st.sampled_from(CYPHER_LITERALS),
                        st.text(max_size=12),
                        _junk().map(lambda s: "'" + s.replace("'", "\\'") + "'"),
                    )
                )
                line = lines[index]
                lines[index] = line[: match.start()] + junk + line[match.end() :]
        elif action == "label":
            lines[index] = re.sub(
                r"\((\w):(\w+)",
                lambda m: f"({m.group(1)}:{draw(st.sampled_from(['Nope', 'Entity', 'Paper']))}",
                lines[index],
                count=1,
            )
    text = "\n".join(lines)
    _, raw = draw(byte_mutation(text.encode("utf-8", "surrogatepass")))
    return Blob(raw)


@FUZZ
@given(data=st.data())
def test_cypher_import(data: st.DataObject) -> None:
    raw = data.draw(cypher_script(_seeds()["cypher"]["graph.cypher"]))
    work_dir = _work_dir()
    try:
        path = work_dir / "graph.cypher"
        path.write_bytes(raw)
        _import("Cypher script", work_dir, path, [])
    finally:
        shutil.rmtree(work_dir)
