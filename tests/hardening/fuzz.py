"""Hostile-input generation and the checks every fuzzed ingest must pass.

A case is a seed input (tests/hardening/seeds.py) with structural mutations (a value replaced by
a wrong type, a 1 MB string, NUL bytes, a lone surrogate, deep nesting, Cypher-looking text,
impossible years; a key dropped; a record duplicated) and then a byte-level mutation of the
serialised file (truncation, invalid UTF-8, a line in Latin-1, a NUL byte, a BOM).

Allowed outcomes: the ingest finishes (each record either written or in the reject file with a
reason), or it stops with a :class:`CollabgraphError` whose message names the file. Anything
else (a ``TypeError``, ``RecursionError`` …) is a crash and fails the test. In every case the
store file must load and hold only schema-valid records.
"""

from __future__ import annotations

import csv
import io
import json
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import validate_node, validate_relationship
from collabgraph.ingest.pipeline import RejectWriter, Summary

HUGE = "Ann " + "é" * 500_000  # 1 MB of UTF-8 in one name
DEEP_MARK = "__deep_nesting__"
DEEP_TEXT = "[" * 50_000 + "]" * 50_000
ATTACKS = ["') DETACH DELETE n //", "`x` RETURN 1 //", "$x", "{}", "<script>alert(1)</script>"]
JUNK: list[Any] = [
    None,
    True,
    -1,
    99999,
    0,
    1.5e308,
    "",
    "   ",
    "\x00",
    "nul\x00in the middle",
    "\udcff lone surrogate",
    HUGE,
    DEEP_MARK,
    [],
    {},
    [None, 3, {"a": []}],
    {"id": {"id": {"id": None}}},
    '=HYPERLINK("http://evil")',
    *ATTACKS,
]
YEAR_JUNK = [-1, 99999, 0, "2021", 2021.5, None]


@dataclass
class ParserStats:
    cases: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)


STATS: dict[str, ParserStats] = {}


def normalise_reason(reason: str, names: list[str]) -> str:
    """A reason with file names, quoted values and numbers blanked, to count distinct kinds."""
    for name in names:
        reason = reason.replace(name, "FILE")
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "Q", reason)
    reason = re.sub(r"\d+", "N", reason)
    return reason[:90]


# -- structural mutations ----------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, (*prefix, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _paths(sub, (*prefix, index))
    return found


def _set(root: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    elif delete and isinstance(parent, list):
        parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return root


@st.composite
def mutated(draw: st.DrawFn, seed: Any, *, year_keys: tuple[str, ...] = ()) -> Any:
    """``seed`` (a JSON-like value, deep-copied) with 0-4 random structural mutations."""
    doc = json.loads(json.dumps(seed))
    for _ in range(draw(st.integers(0, 4))):
        paths = _paths(doc)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["junk", "junk", "delete", "year", "text", "dup"]))
        if action == "delete":
            doc = _set(doc, path, None, delete=True)
        elif action == "year" and year_keys:
            year_path = draw(st.sampled_from(paths))
            if year_path and isinstance(year_path[-1], str):
                year_path = (*year_path[:-1], draw(st.sampled_from(year_keys)))
            doc = _set(doc, year_path, draw(st.sampled_from(YEAR_JUNK)), delete=False)
        elif action == "text":
            doc = _set(doc, path, draw(st.text(max_size=40)), delete=False)
        elif action == "dup" and isinstance(doc, list) and doc:
            doc.append(json.loads(json.dumps(doc[draw(st.integers(0, len(doc) - 1))])))
        else:
            doc = _set(doc, path, json.loads(json.dumps(draw(st.sampled_from(JUNK)))), False)
    return doc


def dumps(value: Any) -> str:
    """JSON text; the deep-nesting marker becomes 50,000 nested arrays; lone surrogates escaped."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace(json.dumps(DEEP_MARK), DEEP_TEXT)


def csv_text(header: list[str], rows: list[Any]) -> str:
    """CSV of mutated rows: a row that is no longer a dict becomes a short or long line."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        if isinstance(row, dict):
            cells = [row.get(h, "") for h in header] + [
                v for k, v in row.items() if k not in header
            ]
        else:
            cells = [row] if not isinstance(row, list) else row
        writer.writerow([_cell(c) for c in cells])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value.replace(DEEP_MARK, DEEP_TEXT[:2000]).encode("utf-8", "replace").decode()
    return "" if value is None else json.dumps(value)


# -- byte mutations ----------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    """(what was done, the mutated bytes)."""
    kind = draw(
        st.sampled_from(
            ["none", "none", "truncate", "invalid-utf8", "latin1-line", "nul", "bom", "crlf"]
        )
    )
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "truncate":
        return kind, data[:at]
    if kind == "invalid-utf8":
        return kind, data[:at] + draw(
            st.sampled_from([b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80"])
        ) + data[at:]
    if kind == "latin1-line":
        lines = data.split(b"\n")
        index = draw(st.integers(0, len(lines) - 1))
        text = lines[index].decode("utf-8", "replace") + " Université Libre de Bruxelles"
        lines[index] = text.encode("latin-1", "replace")
        return kind, b"\n".join(lines)
    if kind == "nul":
        return kind, data[:at] + b"\x00" + data[at:]
    if kind == "bom":
        return kind, b"\xef\xbb\xbf" + data
    if kind == "crlf":
        return kind, data.replace(b"\n", b"\r\n")
    return kind, data


# -- running a case and checking it ------------------------------------------------------------

Ingest = Callable[[EmbeddedStore, RejectWriter], Summary]


@dataclass
class Result:
    outcome: str
    summary: Summary | None
    rejects: list[dict[str, Any]]
    error: str | None = None


def check_store(path: Path) -> EmbeddedStore | None:
    """Reload the store file from disk: it must parse and hold only schema-valid records."""
    if not path.exists():
        return None
    store = EmbeddedStore(path)
    view = store.view()
    labels = {}
    for node in view.iter_nodes():
        validate_node(node)
        labels[node.id] = node.label
    for rel in view.iter_relationships():
        validate_relationship(rel, labels[rel.start], labels[rel.end])
    return store


def run_case(parser: str, store_path: Path, files: list[Path], ingest: Ingest) -> Result:
    """Run one ingest and check the outcome; raises AssertionError on a crash or a broken store."""
    stats = STATS.setdefault(parser, ParserStats())
    stats.cases += 1
    names = [str(f) for f in files] + [f.name for f in files]
    rejects_path = store_path.parent / f"{parser}.rejects.jsonl"
    rejects_path.unlink(missing_ok=True)
    store = EmbeddedStore(store_path)
    writer = RejectWriter(rejects_path)
    try:
        summary = ingest(store, writer)
    except CollabgraphError as exc:
        writer.close()
        message = str(exc)
        assert "\n" not in message.strip() or len(message) < 4000, "error message is not short"
        assert any(name in message for name in names), f"error does not name the file: {message}"
        stats.outcomes["file error"] += 1
        stats.reasons["file error: " + normalise_reason(message, names)] += 1
        check_store(store_path)
        return Result("file error", None, [], message)
    except Exception as exc:  # noqa: BLE001 - a crash is exactly what this test reports
        frames = traceback.extract_tb(exc.__traceback__)
        where = ", ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames[-3:])
        raise AssertionError(
            f"{parser}: crashed with {type(exc).__name__} at {where}: {str(exc)[:200]}"
        ) from exc
    rows = []
    if rejects_path.exists():
        # JSON lines end at "\n" only (str.splitlines would also split at U+0085, U+2028 …).
        for line in rejects_path.read_text(encoding="utf-8").split("\n")[:-1]:
            row = json.loads(line)
            assert row["reason"] and row["locator"] and row["source_file"], row
            rows.append(row)
            stats.reasons[normalise_reason(row["reason"], names)] += 1
    assert summary.rejected == len(rows), (summary.as_dict(), len(rows))
    stats.outcomes["ingested with rejects" if rows else "ingested"] += 1
    check_store(store_path)
    return Result("ingested", summary, rows)
