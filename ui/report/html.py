"""report.html: one self-contained page rendered from the report data.

No script, no external style, font or image: the page opens offline and prints. Every value
that comes from the data goes through :func:`e` (``html.escape`` with ``quote=True``): names
and titles are untrusted text. Markup is only ever written by this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from .chart import yearly_svg
from .style import CSS
from .timeline_svg import timeline_svg


def e(value: Any) -> str:
    """Escaped text for HTML ('' for None)."""
    return "" if value is None else escape(str(value), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cls: str = "") -> str:
    """A table of escaped cells; a cell that is a ``_Raw`` is trusted markup from this module."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{c.html if isinstance(c, _Raw) else e(c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return f'<table class="{e(cls)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def cards_html(figures: dict[str, Any], labels: Iterable[tuple[str, str]]) -> str:
    """A card per (key, label): ``figures[key]`` as the figures at the top of a page."""
    return "".join(
        f'<div class="card"><div class="num">{int(figures[k]):,}</div><div>{e(label)}</div></div>'
        for k, label in labels
    )


class _Raw:
    """Markup built here from escaped parts (never from raw data)."""

    def __init__(self, html: str) -> None:
        self.html = html


def page_head(title: str) -> str:
    """The start of a page up to its heading: the inlined stylesheet, no external resource."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>\n<h1>{e(title)}</h1>"
    )


def render_html(report: dict[str, Any]) -> str:
    """The whole page."""
    p = report["parameters"]
    title = f"collabgraph report: {p['country']}–{p['partner']} research collaboration"
    parts = [
        page_head(title),
        _header(report),
        _notes(report),
        _indicators(report),
        _breakdowns(report),
        _partners(report),
        _units(report),
        _exposure(report),
        _timelines(report),
        _method(report),
        _unavailable(report),
        "</main></body></html>",
    ]
    return "\n".join(x for x in parts if x)


def _header(report: dict[str, Any]) -> str:
    p, store = report["parameters"], report["store"]
    years = "all years" if not p["years"] else "–".join(str(y or "") for y in p["years"])
    nodes = ", ".join(f"{n:,} {k}" for k, n in store["nodes"].items())
    rels = sum(store["relationships"].values())
    snap = report.get("snapshot") or {}
    snap_line = (
        f"<li>Graph snapshot: <code>{e(snap.get('path'))}</code> ({e(snap.get('format'))}, "
        f"with manifest) {e(snap.get('note') or '')}</li>"
        if snap
        else ""
    )
    return (
        '<section class="meta"><ul>'
        f"<li>Generated {e(report['generated_at'])} by collabgraph "
        f"{e(report['collabgraph_version'])}</li>"
        f"<li>Home <b>{e(p['country'])}</b>, partner <b>{e(p['partner'])}</b>, "
        f"{e(years)}, minimum tier <b>{e(p['min_tier'])}</b></li>"
        f"<li>Store: {e(store['kind'])} <code>{e(store['location'])}</code> — {e(nodes)}; "
        f"{rels:,} relationships</li>{snap_line}</ul></section>"
    )


def _notes(report: dict[str, Any]) -> str:
    t = report["totals"]
    cards = cards_html(
        t,
        (
            ("joint", "joint papers"),
            ("high_risk", "high-risk"),
            ("high_risk_critical", "high-risk, critical technology"),
            ("before_listing", "of the high-risk: before listing"),
        ),
    )
    notes = "".join(f"<p>{e(n)}</p>" for n in report["notes"])
    study = report.get("study")
    scale = ""
    if study:
        items = "".join(
            f"<li><b>{int(f['value']):,}</b> — {e(f['what'])} ({e(f['year'])})</li>"
            for f in study["figures"]
        )
        scale = (
            f"<p>For scale, the published figures of the {e(study['title'])} (not computed "
            f"here):</p><ul>{items}</ul>"
        )
    return f'<section class="notes"><div class="cards">{cards}</div>{notes}{scale}</section>'


def _indicators(report: dict[str, Any]) -> str:
    rows = report["indicators"]["rows"]
    svg = yearly_svg(rows)
    table = _table(
        ["year", "joint", "high-risk", "high-risk, critical", "of which before listing"],
        [
            [
                r["year"] if r["year"] is not None else "no year",
                r["joint"],
                r["high_risk"],
                r["high_risk_critical"],
                r["before_listing"],
            ]
            for r in rows
        ],
        cls="num",
    )
    return (
        '<section><h2 id="indicators">Papers per year</h2>'
        f'<div class="chart">{svg or "<p>No dated papers.</p>"}</div>'
        f"<details open><summary>Yearly table</summary>{table}</details></section>"
    )


def _breakdowns(report: dict[str, Any]) -> str:
    ind = report["indicators"]
    tech = _table(
        ["code", "critical-technology area", "joint", "high-risk", "before listing"],
        [
            [t["code"], t["name"], t["joint"], t["high_risk"], t["before_listing"]]
            for t in ind["by_technology"]
        ],
    )
    lists = _table(
        ["list", "tier", "high-risk papers", "critical", "before listing"],
        [
            [
                x["list_name"],
                x["tier"],
                x["high_risk"],
                x["high_risk_critical"],
                x["before_listing"],
            ]
            for x in ind.get("by_list", [])
        ],
    )
    return (
        '<section><h2 id="technology">By critical-technology area</h2>'
        + (tech if ind["by_technology"] else "<p>No joint paper is tagged with a technology.</p>")
        + "<h2>By list</h2><p>A paper counts once per list that makes it high-risk.</p>"
        + lists
        + "</section>"
    )


def _listing_text(lst: dict[str, Any]) -> str:
    when = f"FY{lst['fiscal_year']}" if lst.get("fiscal_year") else f"as of {lst.get('as_of')}"
    cat = lst.get("category")
    cat_text = f", {cat}" if cat and str(cat) not in str(lst["list_name"]) else ""
    name = str(lst["list_name"])
    suffix = "" if when.replace("as of ", "") in name else f" ({when})"
    return f"{name} — {lst['tier']}{cat_text}{suffix}"


def _listings_compact(listings: list[dict[str, Any]]) -> list[str]:
    """Yearly editions of one list on one line: "US DoD … list — high: FY2022, FY2023"."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for lst in listings:
        name = str(lst["list_name"])
        fy = lst.get("fiscal_year")
        base = re.sub(rf"\s*FY{fy}$", "", name) if fy else name
        cat = lst.get("category")
        cat_text = f", {cat}" if cat and str(cat) not in name else ""
        when = f"FY{fy}" if fy else f"as of {lst.get('as_of')}"
        groups.setdefault((base, str(lst["tier"]), cat_text), []).append(when)
    return [f"{b} — {t}{c}: {', '.join(sorted(w))}" for (b, t, c), w in groups.items()]


def _partners(report: dict[str, Any]) -> str:
    rows = report["partners"]
    shown = rows[:40]
    table = _table(
        [
            "institution",
            "tier",
            "lists behind the tier",
            "joint",
            "high-risk",
            "critical",
            "before",
        ],
        [
            [
                _Raw(f"{e(r['name'])}<br><small>{e(r['id'])}</small>"),
                r["tier"],
                _Raw("<br>".join(e(x) for x in _listings_compact(r["listings"])) or "—"),
                r["joint"],
                r["high_risk"],
                r["high_risk_critical"],
                r["before_listing"],
            ]
            for r in shown
        ],
    )
    more = f"<p>{len(rows) - len(shown)} more in report.json.</p>" if len(rows) > len(shown) else ""
    return (
        f'<section><h2 id="partners">By partner institution ({len(rows)})</h2>'
        "<p>Tier is the institution's own effective tier; a paper is also high-risk through an "
        "institution the partner is part of (the list then says <i>via</i>).</p>"
        f"{table}{more}</section>"
    )


def _units(report: dict[str, Any]) -> str:
    """The units of an institution side behind each count (nothing for two countries)."""
    rows = report["indicators"].get("by_unit") or []
    if not rows:
        return ""
    table = _table(
        [
            "side",
            "unit",
            "joint",
            "high-risk",
            "critical",
            "before",
            "lists",
            "listed institutions",
        ],
        [
            [
                u["side"],
                _Raw(f"{e(u['name'])}<br><small>{e(u['id'])}</small>"),
                u["joint"],
                u["high_risk"],
                u["high_risk_critical"],
                u["before_listing"],
                _Raw("<br>".join(e(x) for x in u["lists"]) or "—"),
                _Raw("<br>".join(e(x) for x in u["held_by"]) or "—"),
            ]
            for u in rows
        ],
    )
    return (
        '<section><h2 id="units">By unit of an institution side</h2>'
        "<p>An institution side is the institution and every unit PART_OF it at any depth; "
        "each row is one of its units on joint papers, with the lists that made them high-risk."
        f"</p>{table}</section>"
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _paper(p: dict[str, Any]) -> str:
    title = e(p["title"]) or "(title not in the graph)"
    doi = f", doi {e(p['doi'])}" if p.get("doi") else ""
    return f"“{title}” ({e(p['year'])}{doi}) <small>{e(p['id'])}</small>"


def _hop(hop: dict[str, Any], seen: set[str]) -> str:
    """One hop in words, with its evidence; a paper already shown on the path is named only."""
    ev = hop["evidence"]
    a, b = f"<b>{e(hop['start_name'])}</b>", f"<b>{e(hop['end_name'])}</b>"
    papers = ev.get("papers", [])
    kind = hop["type"]
    if kind == "AUTHORED":
        pos = f" as {e(ev['author_position'])} author" if ev.get("author_position") else ""
        if papers and papers[0]["id"] in seen:
            what = "the same paper"
        else:
            what = _paper(papers[0]) if papers else e(hop["end_name"])
        text = f"{a} co-wrote{pos} {what}"
        seen.update(p["id"] for p in papers)
    elif kind == "AFFILIATED_WITH":
        years = ", ".join(map(str, ev.get("years") or [])) or "undated"
        how = f"resolved {e(ev.get('method'))}"
        if ev.get("method") == "unresolved":
            how = "not matched to a ROR record (the name as written)"
        elif ev.get("score") is not None:
            how += f" (score {e(ev['score'])})"
        if ev.get("raw_affiliation"):
            how += f" from “{e(ev['raw_affiliation'])}”"
        shown = "".join(
            f"<li>{_paper(p)}</li>" if p["id"] not in seen else "<li>the paper above</li>"
            for p in papers
        )
        text = f"{a} affiliated with {b} in {e(years)}; {how}" + (
            f"<ul>{shown}</ul>" if shown else ""
        )
    elif kind == "MILITARY_LINK":
        text = f"{a} has a military link ({e(ev.get('kind'))}) with {b}: {e(ev.get('detail'))}"
    elif kind == "PART_OF":
        text = f"{a} is part of {b} ({e(ev.get('method'))})"
    else:
        text = f"{a} —{e(kind)}→ {b}"
    src = f" <small>[{e(ev.get('source'))} {e(ev.get('source_version') or '')}]</small>"
    missing = "" if hop.get("found", True) else " <small>(relationship not found)</small>"
    return f"<li>{text}{src}{missing}</li>"


def _path(path: dict[str, Any]) -> str:
    chain = " → ".join(
        e(_short(n["name"] or n["id"]))
        if n["label"] == "Paper"
        else f"<b>{e(n['name'] or n['id'])}</b>"
        for n in path["nodes"]
    )
    listings = "".join(f"<li>{e(x)}</li>" for x in _listings_compact(path["listings"]))
    seen: set[str] = set()
    flag = {True: "before listing", False: "after listing", None: "listing date unknown"}[
        path["before_listing"]
    ]
    return (
        f'<div class="path"><div class="chain">{chain}</div>'
        f"<div>to <b>{e(path['target_name'])}</b> (tier {e(path['tier'])}), contribution "
        f"{e(path['contribution'])}, {e(path['length'])} hops; newest dated fact "
        f"{e(path['latest_year'])}, first listed {e(path['first_listed'])}: "
        f'<span class="flag">{e(flag)}</span></div>'
        f"<ol>{''.join(_hop(h, seen) for h in path['hops'])}</ol>"
        f"<div>{e(path['target_name'])} is listed on:</div><ul>{listings}</ul></div>"
    )


def _exposure(report: dict[str, Any]) -> str:
    p = report["parameters"]
    people = report["exposure"]
    if not people:
        return (
            '<section><h2 id="exposure">Researchers by exposure</h2>'
            "<p>No researcher of the home side reaches a listed institution.</p></section>"
        )
    cards = []
    for i, r in enumerate(people, start=1):
        affs = "; ".join(f"{a['name']} ({a['country'] or '?'})" for a in r["affiliations"])
        current = [x for x in r["paths"] if x["before_listing"] is not True]
        before = [x for x in r["paths"] if x["before_listing"] is True]
        body = "".join(_path(x) for x in current) or (
            "<p>None dated after the listing" + (": see below.</p>" if before else ".</p>")
        )
        cards.append(
            f'<article class="person"><h3>{i}. {e(r["name"])} <small>{e(r["id"])}</small></h3>'
            f"<div>score {e(r['score'])}; affiliations: {e(affs)}</div>{_tied(r)}"
            f"<h4>Strongest paths</h4>{body}"
            + (
                f"<h4>Before listing (shown separately)</h4>{''.join(_path(x) for x in before)}"
                if before
                else ""
            )
            + "</article>"
        )
    return (
        f'<section><h2 id="exposure">{e(p["country"])} researchers by exposure</h2>'
        "<p>The score sums, over each listed institution (of any country) a researcher reaches, "
        "the tier's risk "
        "times the strength of the best path (see Method). Paths whose newest dated fact "
        "predates the first qualifying listing are shown separately.</p>"
        + "".join(cards)
        + "</section>"
    )


def _timelines(report: dict[str, Any]) -> str:
    """Per year, for the most exposed researchers and the top partners: papers, joint,
    high-risk and before-listing bars beside the listings' dates."""
    items = report.get("timelines") or []
    if not items:
        return ""
    cards = []
    for t in items:
        node = t["node"]
        svg = timeline_svg(
            t["rows"], t["listings"], title=f"{node['name'] or node['id']}: papers per year"
        )
        total = {k: sum(int(r[k]) for r in t["rows"]) for k in ("papers", "high_risk")}
        before = sum(int(r["before_listing"]) for r in t["rows"])
        cards.append(
            f'<article class="timeline"><h3>{e(node["name"] or node["id"])} '
            f"<small>{e(node['label'])} · {e(node['id'])}</small></h3>"
            f"<div>papers: {total['papers']}, high-risk: {total['high_risk']}, of them before "
            f"listing: {before}; listings marked: {len(t['listings'])}.</div>"
            f'<div class="chart">{svg or "<p>No dated papers or listings.</p>"}</div></article>'
        )
    return (
        '<section><h2 id="timelines">Timelines</h2>'
        "<p>For the most exposed researchers above and the partner institutions with the most "
        "high-risk papers: papers per year on the same axis as the listings behind them. A "
        "dashed line marks the start of a listing's year; hatched bars are high-risk papers "
        "dated before every qualifying listing.</p>" + "".join(cards) + "</section>"
    )


def _tied(r: dict[str, Any]) -> str:
    tied = r.get("tied") or []
    if not tied:
        return ""
    names = ", ".join(e(t["name"]) for t in tied[:25])
    more = f" and {len(tied) - 25} more (in report.json)" if len(tied) > 25 else ""
    return (
        f'<div class="tied">Tied on the same score: {len(tied)} other researcher(s): '
        f"{names}{more}. Paths are shown for {e(r['name'])} only; see each with "
        "<code>collabgraph exposure ID</code>.</div>"
    )


def _method(report: dict[str, Any]) -> str:
    m = report["method"]
    defs = "".join(
        f"<li><b>{e(k.replace('_', ' '))}</b>: {e(v)}</li>"
        for k, v in m["indicator_definitions"].items()
    )
    sources = _table(
        ["source", "versions", "nodes", "relationships"],
        [
            [s["source"], _versions(s["versions"]), s["nodes"], s["relationships"]]
            for s in m["sources"]
        ],
    )
    tm = m["tier_mapping"]
    applied = _table(
        ["list", "category", "tier", "as of", "institutions"],
        [
            [a["list"], a["category"], a["tier"], a["as_of"], a["institutions"]]
            for a in tm["applied"]
        ],
    )
    configured = []
    for src, section in tm["configured"].items():
        if not isinstance(section, dict):
            configured.append(f"<li>{e(src)}: {e(section)}</li>")
            continue
        cats = ", ".join(f"{k} → {v}" for k, v in section.get("categories", {}).items())
        configured.append(
            f"<li><b>{e(src)}</b> ({e(section.get('source'))}): default "
            f"{e(section.get('default'))}{'; ' + e(cats) if cats else ''}</li>"
        )
    res = m["resolution"]
    res_table = _table(
        ["method", "affiliations", "lowest score"],
        [[x["method"], x["affiliations"], x["lowest_score"]] for x in res["methods"]],
    )
    ex = m["exposure"]
    weights = ", ".join(f"{k} {v}" for k, v in ex["weights"].items())
    risks = ", ".join(f"{k} {v}" for k, v in ex["tier_risk"].items())
    caveats = "".join(f"<li>{e(c)}</li>" for c in m["caveats"])
    return (
        '<section><h2 id="method">Method</h2>'
        f"<h3>Caveats</h3><ul>{caveats}</ul>"
        f"<h3>Definitions</h3><ul>{defs}</ul>"
        f"<h3>Data sources and versions (from the provenance in the graph)</h3>{sources}"
        f"<h3>Tier mapping</h3><p>{e(tm['proxy_note'])}</p><ul>{''.join(configured)}</ul>"
        f"<p>As applied in this graph:</p>{applied}"
        f"<h3>Institution resolution</h3><p>Fuzzy matches are accepted at a score of "
        f"{e(res['fuzzy_threshold'])} or more.</p>{res_table}"
        f"<h3>Exposure score</h3><p>Weights: {e(weights)}; decay {e(ex['decay'])} per hop after "
        f"the first; tier risk: {e(risks)}; at most {e(ex['max_hops'])} hops; population: "
        f"{e(ex['population'])}; {e(ex['years_note'])}.</p></section>"
    )


def _versions(versions: list[str]) -> str:
    """A source's versions; a long list (one date per record) as its range."""
    if len(versions) <= 4:
        return ", ".join(versions)
    return f"{versions[0]} … {versions[-1]} ({len(versions)} record dates)"


def _unavailable(report: dict[str, Any]) -> str:
    items = report.get("unavailable") or []
    if not items:
        return ""
    lis = "".join(f"<li>{e(x)}</li>" for x in items)
    return f'<section class="warn"><h2>Not available in this report</h2><ul>{lis}</ul></section>'
