"""The rows of a ``review changes`` answer, and its self-contained HTML page.

The page follows report.html: no script, no external style or font, the report's stylesheet
inlined, every value from the data escaped with :func:`html.e`; it prints.
"""

from __future__ import annotations

from typing import Any

from .html import _Raw, _table, cards_html, e, page_head

SECTIONS = (
    ("new", "New high-risk papers", "Joint papers absent from the baseline, high-risk now."),
    (
        "retroactive",
        "Retroactively high-risk papers",
        "Already in the baseline, dated before every listing that is new since: an "
        "institution listed in a later fiscal year makes earlier co-authorships high-risk.",
    ),
    (
        "reclassified",
        "Otherwise newly high-risk papers",
        "Already in the baseline and high-risk now because of a listing dated on or before "
        "the paper, or a newly linked partner institution.",
    ),
    ("cleared", "No longer high-risk", "High-risk in the baseline, not now."),
)
PAPER_HEADERS = ["paper", "DOI", "year", "title", "partner", "listing (list, tier, year)"]
PAGE_PAPER_HEADERS = ["year", "paper", "partner on the paper: the listing that makes it high-risk"]
RESEARCHER_HEADERS = ["researcher", "name", "high-risk papers now"]
TIER_HEADERS = ["institution", "name", "country", "before", "after", "new listings"]
PATH_HEADERS = ["change", "researcher", "name", "institution", "name", "tier", "hops"]


def listing_text(x: dict[str, Any]) -> str:
    """One evidence listing: list, tier, year, and the listed ancestor when not the partner."""
    year = f"FY{x['fiscal_year']}" if x.get("fiscal_year") else (x.get("as_of") or "undated")
    via = f" via {x['listed_institution']}" if x["listed_institution"] != x["partner"] else ""
    new = " [new]" if x["new_listing"] else ""
    return f"{x['list_name']} ({x['tier']}, {year}){via}{new}"


def paper_rows(papers: list[dict[str, Any]]) -> list[list[Any]]:
    """A row per evidence listing of each paper (the paper's cells on its first row only)."""
    rows: list[list[Any]] = []
    for p in papers:
        for n, x in enumerate(p["evidence"] or [{}]):
            head = [p["id"], p["doi"], p["year"], p["title"]] if n == 0 else ["", "", "", ""]
            tail = [f"{x['partner_name']} ({x['partner']})", listing_text(x)] if x else ["", ""]
            rows.append(head + tail)
    return rows


def _paper_cells(papers: list[dict[str, Any]]) -> list[list[Any]]:
    """For the page, a row per paper: its year, title with id and DOI, one line per listing."""
    rows: list[list[Any]] = []
    for p in papers:
        doi = f" doi:{e(p['doi'])}" if p.get("doi") else ""
        paper = f"{e(p['title'] or p['id'])}<br><small><code>{e(p['id'])}</code>{doi}</small>"
        lines = dict.fromkeys(
            f"{e(x['partner_name'])}: {e(listing_text(x))}" for x in p["evidence"] or []
        )
        rows.append([p["year"], _Raw(paper), _Raw("<br>".join(lines) or "—")])
    return rows


def researcher_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["id"], r["name"], ", ".join(r["papers"])] for r in items]


def tier_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [t["id"], t["name"], t["country"], t["before"], t["after"], ", ".join(t["new_listings"])]
        for t in items
    ]


def path_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            p["change"],
            p["researcher"],
            p["researcher_name"],
            p["institution"],
            p["institution_name"],
            p["tier"],
            p["hops"],
        ]
        for p in items
    ]


def render_changes_html(data: dict[str, Any]) -> str:
    """The whole page for the JSON answer of ``review changes``."""
    p, base = data["parameters"], data["baseline"]
    title = f"collabgraph review: changes since {base.get('path') or base.get('date')}"
    counts = data["counts"]
    cards = cards_html(
        counts,
        (
            ("new", "new high-risk papers"),
            ("retroactive", "retroactive"),
            ("reclassified", "otherwise newly high-risk"),
            ("cleared", "no longer high-risk"),
            ("researchers", "new researchers with findings"),
            ("tiers", "tier changes"),
            ("paths_appeared", "paths appeared"),
            ("paths_vanished", "paths vanished"),
        ),
    )
    parts = [
        page_head(title),
        '<section class="meta"><ul>'
        f"<li>Generated {e(data['generated_at'])} on store {e(data['store'])}</li>"
        f"<li>Baseline: {e(base['kind'])} {e(base.get('path') or base.get('date'))}"
        f"{' created ' + e(base['created_at']) if base.get('created_at') else ''}</li>"
        f"<li>Home <b>{e(p['home'])}</b>, partner <b>{e(p['partner'])}</b>, minimum tier "
        f"<b>{e(p['min_tier'])}</b>, paths within {e(p['max_hops'])} hops</li></ul></section>",
        f'<section class="notes"><div class="cards">{cards}</div>'
        f"<p>{'Something changed.' if data['changed'] else 'No change.'}</p></section>",
    ]
    for kind, heading, note in SECTIONS:
        parts.append(_section(heading, note, PAGE_PAPER_HEADERS, _paper_cells(data[kind])))
    parts.append(
        _section(
            "New researchers with findings",
            p["researchers"],
            RESEARCHER_HEADERS,
            researcher_rows(data["researchers"]),
        )
    )
    parts.append(_section("Effective tier changes", "", TIER_HEADERS, tier_rows(data["tiers"])))
    parts.append(_section("Paths", p["paths"], PATH_HEADERS, path_rows(data["paths"])))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _section(heading: str, note: str, headers: list[str], rows: list[list[Any]]) -> str:
    body = _table(headers, rows) if rows else "<p>None.</p>"
    text = f"<p>{e(note)}</p>" if note else ""
    return f"<section><h2>{e(heading)}</h2>{text}{body}</section>"
