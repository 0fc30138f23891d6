"""`collabgraph neighbourhood QUERY --html OUT.html`: the offline drawing the workbench shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from collabgraph.ui.cli import cli

from .graphs import XSS_ID, XSS_NAME, write_store


def test_html_written_offline_and_escaped(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    write_store(store)
    out = tmp_path / "ann.html"
    result = CliRunner().invoke(
        cli,
        ["--store", str(store), "neighbourhood", "Ann Peeters", "--cap", "5", "--html", str(out)],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Neighbourhood of Ann Peeters" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)\s*=\s*[\"']?https?:", page)
    assert XSS_NAME not in page
    nodes = json.loads(re.search(r"var nodeData = (.*?);\n", page).group(1))  # type: ignore[union-attr]
    ids = {n["id"] for n in nodes}
    # Ann's 11 neighbours capped at 5: five drawn plus the "+6 more" marker.
    assert "openalex:A1" in ids and "more:openalex:A1" in ids and len(ids) == 7, ids
    assert next(n for n in nodes if n["id"] == "more:openalex:A1")["label"] == "+6 more"
    assert XSS_ID not in ids or "&lt;img" in next(n for n in nodes if n["id"] == XSS_ID)["title"]


def test_unwritable_html_path_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    write_store(store)
    bad = tmp_path / "missing-dir" / "x.html"
    result = CliRunner().invoke(
        cli, ["--store", str(store), "neighbourhood", "Ann Peeters", "--html", str(bad)]
    )
    assert result.exit_code != 0
    assert "cannot write" in str(result.exception) or "cannot write" in result.output
