"""review.html for ``review team``: one self-contained, printable page.

One section per person, the evidence behind every finding, the lists and the versions the store
holds, the parameters and the date. No script, no external resource; every value from the data
goes through :func:`e` (names and titles are untrusted text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .html import _Raw, e
from .html import _table as markup_table
from .style import CSS
from .team_chart import papers_per_year_svg

PRINT_CSS = """
.person{break-inside:avoid-page}
.status{font-weight:bold;padding:0 6px;border:1px solid #999}
.status.finding{background:#fdecea}
.status.ambiguous,.status.not-found{background:#fff8e6}
.context{color:#444}
@media print{main{max-width:none;padding:0}.person{border:none;border-top:2px solid #999}}
"""


def render_team_html(review: dict[str, Any], *, generated: str) -> str:
    """The page for a :meth:`TeamReview.as_dict` result, stamped with ``generated``."""
    p = review["parameters"]
    title = f"Team review: {len(review['people'])} people, {p['window']}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}{PRINT_CSS}</style></head><body><main>",
        f"<h1>{e(title)}</h1>",
        _header(review, generated),
        _summary(review["people"]),
        *(_person(i, person) for i, person in enumerate(review["people"], 1)),
        _lists(review["lists"]),
        _method(review),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def _header(review: dict[str, Any], generated: str) -> str:
    p = review["parameters"]
    w = review["window"]
    items = [
        f"generated {generated}",
        f"look-back: {w['years']} years back from {w['as_of']}, papers of {w['first']}–{w['last']}",
        f"lists: {', '.join(p['lists']) or 'none in the store'}",
        f"listings at tier {p['min_tier']} or above; indirect paths up to {p['max_hops']} hops",
    ]
    return '<div class="meta"><ul>' + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul></div>"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The report's table, for cells this module built as markup from escaped parts."""
    return markup_table(headers, [[_Raw(cell) for cell in row] for row in rows])


def _summary(people: list[dict[str, Any]]) -> str:
    rows = []
    for i, person in enumerate(people, 1):
        findings = person["findings"]
        before = sum(1 for f in findings if f["predates_listing"])
        rows.append(
            [
                f'<a href="#p{i}">{e(person["input"]["row"])}</a>',
                e(_who(person)),
                _status(person["status"]),
                e(len(findings)),
                e(before),
                e(len(person["context"])),
            ]
        )
    headers = ["row", "person", "status", "findings", "of which before listing", "context paths"]
    return "<h2>Summary</h2>" + _table(headers, rows)


def _who(person: dict[str, Any]) -> str:
    given = person["input"]
    who = given.get("name") or given.get("orcid") or given.get("openalex") or "?"
    return f"{who} ({given['institution']})" if given.get("institution") else str(who)


def _status(status: str) -> str:
    cls = status.replace(" ", "-") if status in ("ambiguous", "not found") else ""
    cls = "finding" if status == "finding" else cls
    return f'<span class="status {e(cls)}">{e(status)}</span>'


def _person(number: int, person: dict[str, Any]) -> str:
    res = person["resolution"]
    given = person["input"]
    parts = [
        f'<section class="person" id="p{number}">',
        f"<h2>{e(number)}. {e(_who(person))} {_status(person['status'])}</h2>",
        "<p>input: "
        + e(", ".join(f"{k}: {v}" for k, v in given.items() if v not in (None, "")))
        + "</p>",
    ]
    if res["researcher"]:
        places = "; ".join(res["institutions"]) or "no affiliation"
        parts.append(
            f"<p>matched <b>{e(res['name'])}</b> <code>{e(res['researcher'])}</code> "
            f"{e(res['method'])}; affiliations: {e(places)}</p>"
        )
    if res["note"]:
        parts.append(f'<p class="notes">{e(res["note"])}</p>')
    if res["candidates"]:
        parts.append(
            "<p>candidates (not chosen between):</p>"
            + _table(
                ["id", "name", "affiliations", "name score"],
                [
                    [
                        f"<code>{e(c['id'])}</code>",
                        e(c["name"]),
                        e("; ".join(c["institutions"])),
                        e(c["score"]),
                    ]
                    for c in res["candidates"]
                ],
            )
        )
    if res["researcher"]:
        parts.append(_window_block(number, person))
    parts.append("</section>")
    return "\n".join(parts)


def _window_block(number: int, person: dict[str, Any]) -> str:
    chart = papers_per_year_svg(person["papers_per_year"], uid=str(number))
    parts = [f'<div class="chart">{chart}</div>']
    findings = person["findings"]
    if not findings:
        first = person["papers_per_year"][0]["year"] if person["papers_per_year"] else ""
        last = person["papers_per_year"][-1]["year"] if person["papers_per_year"] else ""
        parts.append(f"<p><b>no finding in the window</b> ({e(first)}–{e(last)})</p>")
    else:
        parts.append(
            "<h3>Findings</h3>"
            + _table(
                ["kind", "paper", "co-authors", "affiliation", "listing", "before listing"],
                [_finding_row(f) for f in findings],
            )
        )
    if person["context"]:
        parts.append(
            "<h3>Context: indirect paths <small>(leads, not findings)</small></h3>"
            + '<ul class="context">'
            + "".join(f"<li>{_chain(path)}</li>" for path in person["context"])
            + "</ul>"
        )
    return "\n".join(parts)


def _finding_row(f: dict[str, Any]) -> list[str]:
    papers = "<br>".join(_paper(p) for p in f["papers"]) or "<small>no paper in the window</small>"
    coauthors = ", ".join(e(c["name"]) for c in f["coauthors"]) or "—"
    listings = "<br>".join(_listing(x, f["institution"]["id"]) for x in f["listings"])
    before = {True: "yes", False: "no", None: "undated"}[f["predates_listing"]]
    return [e(f["kind"]), papers, coauthors, e(f["institution"]["name"]), listings, e(before)]


def _paper(p: dict[str, Any]) -> str:
    doi = f" doi:{e(p['doi'])}" if p.get("doi") else ""
    title = e(p.get("title") or p["id"])
    return f"{e(p.get('year'))} {title} <small><code>{e(p['id'])}</code>{doi}</small>"


def _listing(x: dict[str, Any], institution: str) -> str:
    via = x["listed_institution"]
    through = f" via {e(via['name'])}" if via["id"] != institution else ""
    category = x.get("category") or ""
    bits = [f"tier {e(x['tier'])}"]
    if category and category.casefold() not in str(x["list_name"]).casefold():
        bits.append(e(category))
    bits.append(f"from {e(x['year'])}" if x.get("year") else "undated")
    return f"{e(x['list_name'])} <small>({', '.join(bits)}){through}</small>"


def _chain(path: dict[str, Any]) -> str:
    names = " → ".join(e(n["name"]) for n in path["nodes"])
    years = sorted(
        {r["evidence"]["year"] for r in path["relationships"] if r["evidence"].get("year")}
    )
    when = f" <small>papers {e(', '.join(str(y) for y in years))}</small>" if years else ""
    return f"{e(path['length'])} hops: {names}{when}"


def _lists(lists: list[dict[str, Any]]) -> str:
    rows = [
        [
            e(x["name"]),
            e(x["as_of"] or ""),
            e(x["source_version"] or ""),
            e(x["publisher"] or ""),
            e(x["licence"] or ""),
            f"<code>{e(x['id'])}</code>",
        ]
        for x in lists
    ]
    headers = ["list", "as of", "version in the store", "publisher", "licence", "id"]
    return "<h2>Lists and versions</h2>" + _table(headers, rows)


def _method(review: dict[str, Any]) -> str:
    w = review["window"]
    items = [
        f"The window holds every calendar year that overlaps the {w['years']} years before "
        f"{w['as_of']}: papers carry a year, not a date.",
        "A co-authorship finding is a paper of the person in the window with a co-author "
        "affiliated, on that paper, with a listed institution or with a unit of one (PART_OF, "
        "read upwards only).",
        "An affiliation finding is the person's own affiliation in the window with such an "
        "institution.",
        "Before listing: every paper behind the finding is older than every listing shown.",
        "Context paths are the shortest indirect paths to other listed institutions; they are "
        "leads for a reader, not findings.",
        "A name matching several researchers is listed with its candidates; the review never "
        "guesses between namesakes.",
    ]
    return "<h2>Method</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul>"
