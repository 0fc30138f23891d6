"""Markup in names and titles stays text in the HTML report and the neighbourhood page."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli

MARKUP = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "</title><iframe src=javascript:alert(3)>",
]


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    works = tmp_path / "works.jsonl"
    with works.open("w", encoding="utf-8") as fh:
        for n, bad in enumerate(MARKUP):
            authors = [
                (f"A77{n}1", f"Ann {bad}", "I771", "Ghent University", "BE"),
                (f"A77{n}2", f"Li {bad}", f"I78{n}", f"Inst {bad}", "CN"),
            ]
            work = {
                "id": f"https://openalex.org/W77{n}",
                "title": f"Paper {bad}",
                "publication_year": 2021,
                "authorships": [
                    {
                        "author": {"id": f"https://openalex.org/{aid}", "display_name": name},
                        "institutions": [
                            {
                                "id": f"https://openalex.org/{iid}",
                                "display_name": inst,
                                "country_code": cc,
                            }  # fmt: skip
                        ],
                    }
                    for aid, name, iid, inst, cc in authors
                ],
            }
            fh.write(json.dumps(work) + "\n")
    listing = tmp_path / "list.csv"
    with listing.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "aliases", "country", "tier", "category", "as_of", "source_url"])
        writer.writerows([[f"Inst {bad}", "", "CN", "very high", bad, "2020-01-01", ""]
                          for bad in MARKUP])  # fmt: skip
    return works, listing


def _invoke(store: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--store", str(store), "-q", *args])
    assert result.exit_code == 0, result.output


def test_markup_is_inert_in_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLABGRAPH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    store = tmp_path / "g.db"
    works, listing = _inputs(tmp_path)
    _invoke(store, "ingest", "openalex", str(works))
    _invoke(store, "ingest", "watchlist", "--format", "csv", str(listing))
    _invoke(store, "report", "-o", str(tmp_path / "report"))
    _invoke(store, "neighbourhood", f"Ann {MARKUP[0]}", "--html", str(tmp_path / "hood.html"))
    pages = [*(tmp_path / "report").rglob("*.htm*"), tmp_path / "hood.html"]
    assert len(pages) >= 2, pages
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for bad in MARKUP:
            assert bad not in text, f"{page.name} contains raw markup {bad!r}"
            # Escaped for HTML, or inside JSON data (where "<" becomes \u003c or stays in a string
            # the page escapes before drawing): either way, never as live markup.
            if html.escape(bad) in text or html.escape(bad, quote=False) in text:
                shown += 1
    assert shown >= len(MARKUP), f"the names should appear escaped in the pages ({shown})"
    print(f"\nHTML: {len(MARKUP)} markup names, {len(pages)} pages, {shown} escaped occurrences")
