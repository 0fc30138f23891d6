"""Timelines as inline SVG: papers per year beside the listings' dates, on one year axis.

No script, no external resource, every text escaped. The series are nested (before listing ⊆
high-risk ⊆ joint ⊆ papers), so each year is one bar drawn over itself: all papers as a dashed
outline, joint papers light, high-risk ones solid dark, and the high-risk papers dated before
every qualifying listing hatched. A listing is a dashed vertical line at the *start* of its
year's slot, so the bars left of it are the years before it: patterns and line styles keep the
chart readable in black and white.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from .chart import grid_lines, nice_max

JOINT, HIGH, MARK = "#c9d6e8", "#b5651d", "#7a1020"
MAX_LINES_PER_YEAR = 3
CHAR_W = 5.6  # a rough width of one character at font-size 10, for label placement

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: Any) -> str:
    """Escaped text for SVG (XML): html.escape, and the control characters XML forbids
    dropped."""
    return escape(_CONTROL.sub("", "" if value is None else str(value)), quote=True)


class Axis:
    """Years ``first..last`` laid out in equal slots from ``left`` over ``width`` pixels."""

    def __init__(self, first: int, last: int, left: float, width: float) -> None:
        self.first, self.last, self.left = first, last, left
        self.slot = width / (last - first + 1)

    def start(self, year: int) -> float:
        """The x where ``year``'s slot begins (where a listing of that year is drawn)."""
        return self.left + (year - self.first) * self.slot

    def centre(self, year: int) -> float:
        return self.start(year) + self.slot / 2

    def years(self) -> range:
        return range(self.first, self.last + 1)


def hatched(x: float, y: float, w: float, h: float, *, cls: str = "", step: float = 4.0) -> str:
    """A white rectangle with black diagonal hatching, drawn as lines (no pattern, so no
    ``url()`` reference anywhere in the page)."""
    name = f' class="{cls}"' if cls else ""
    lines = []
    d = step
    while d < w + h:
        a1, a2 = max(0.0, d - h), min(w, d)
        lines.append(
            f'<line x1="{x + a1:.1f}" y1="{y + h - (d - a1):.1f}" x2="{x + a2:.1f}" '
            f'y2="{y + h - (d - a2):.1f}"/>'
        )
        d += step
    return (
        f'<g{name}><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#fff"/>'
        f'<g stroke="#000" stroke-width="1.2">{"".join(lines)}</g>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="none" '
        'stroke="#000"/></g>'
    )


def _uid(seed: str) -> str:
    return "tl" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def _axis_line(parts: list[str], axis: Axis, y: float, right: float) -> None:
    """The year axis at height ``y``: its line and the year labels (every year, or every
    second or fifth on long axes)."""
    parts.append(f'<line x1="{axis.left}" y1="{y}" x2="{right}" y2="{y}" stroke="#555"/>')
    years = axis.years()
    step = 1 if len(years) <= 16 else (2 if len(years) <= 32 else 5)
    for year in years:
        if year % step == 0 or len(years) == 1:
            parts.append(
                f'<text x="{axis.centre(year):.1f}" y="{y + 16:.1f}" text-anchor="middle">'
                f"{year}</text>"
            )


def _mark_lines(marks: Sequence[Mapping[str, Any]]) -> dict[int, list[str]]:
    """Per listing year, one label line per (list, tier), naming the institution or counting
    them; at most :data:`MAX_LINES_PER_YEAR` lines, then "+N more"."""
    grouped: dict[int, dict[tuple[str, str], set[str]]] = {}
    for m in marks:
        if isinstance(m.get("year"), int):
            key = (str(m.get("list_name") or m.get("list")), str(m.get("tier")))
            who = str(m.get("institution_name") or m.get("institution") or "")
            grouped.setdefault(int(m["year"]), {}).setdefault(key, set()).add(who)
    out: dict[int, list[str]] = {}
    for year, lists in sorted(grouped.items()):
        lines = []
        for (name, tier), named in sorted(lists.items()):
            whom = next(iter(named)) if len(named) == 1 else f"{len(named)} institutions"
            lines.append(f"{name} ({tier}): {whom}")
        if len(lines) > MAX_LINES_PER_YEAR:
            rest = len(lines) - MAX_LINES_PER_YEAR + 1
            lines = [*lines[: MAX_LINES_PER_YEAR - 1], f"+{rest} more listings"]
        out[year] = lines
    return out


def _place(spans: list[tuple[float, float]]) -> list[int]:
    """A row for each (start, end) span so that spans on one row do not overlap."""
    taken: list[list[tuple[float, float]]] = []
    rows = []
    for lo, hi in spans:
        for row, used in enumerate(taken):
            if all(hi <= a or lo >= b for a, b in used):
                used.append((lo, hi))
                rows.append(row)
                break
        else:
            taken.append([(lo, hi)])
            rows.append(len(taken) - 1)
    return rows


def _tags(marked: Mapping[int, Sequence[str]], axis: Axis, right: float) -> tuple[list[str], int]:
    """A short tag per listing year beside its line (left of it near the right edge), in as
    many rows as it takes not to overlap; the full text goes in the key under the chart."""
    spans, anchors = [], []
    for year in marked:
        x, w = axis.start(year), CHAR_W * 4 + 4
        start = x + 3 <= right - w
        spans.append((x, x + w + 3) if start else (x - w - 3, x))
        anchors.append((x + 3, "start") if start else (x - 3, "end"))
    rows = _place(spans)
    tags = [
        f'<text x="{ax:.1f}" y="{24 + 13 * row}" font-size="10" font-weight="bold" '
        f'text-anchor="{anchor}" fill="{MARK}">{year}</text>'
        for year, (ax, anchor), row in zip(marked, anchors, rows, strict=True)
    ]
    return tags, max(rows, default=-1) + 1


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _description(rows: Sequence[Mapping[str, Any]], marks: Sequence[Mapping[str, Any]]) -> str:
    total = {k: sum(int(r.get(k) or 0) for r in rows) for k in ("papers", "joint", "high_risk")}
    before = sum(int(r.get("before_listing") or 0) for r in rows)
    dated = sorted({int(m["year"]) for m in marks if isinstance(m.get("year"), int)})
    listed = ", ".join(map(str, dated)) if dated else "none"
    return (
        f"{total['papers']} papers, {total['joint']} joint, {total['high_risk']} high-risk, of "
        f"which {before} dated before every qualifying listing. Listing years: {listed}."
    )


def timeline_svg(
    rows: Sequence[Mapping[str, Any]],
    listings: Sequence[Mapping[str, Any]],
    *,
    title: str = "Papers per year and listings",
    width: int = 960,
    height: int = 300,
) -> str:
    """A timeline chart: rows ``{year, papers, joint, high_risk, before_listing}`` (as
    :func:`queries.timeline.timeline` gives them) and listing marks ``{year, list_name, tier,
    institution_name}`` on the same year axis; '' when nothing is dated."""
    dated = {int(r["year"]): r for r in rows if isinstance(r.get("year"), int)}
    marked = _mark_lines(listings)
    years = set(dated) | set(marked)
    if not years:
        return ""
    uid = _uid(title + repr(sorted(dated)) + repr(sorted(marked)))
    left, right = 48, 16
    axis = Axis(min(years), max(years), left, width - left - right)
    tags, tag_rows = _tags(marked, axis, width - right)
    top = 14 + 13 * tag_rows + 8
    plot_bottom = top + height - 40
    plot_h = plot_bottom - top
    legend_y = plot_bottom + 40
    key_lines = [f"{year} {line}" for year, lines in marked.items() for line in lines]
    total_h = legend_y + 14 + 13 * len(key_lines) + 6
    peak = nice_max(max((int(r.get("papers") or 0) for r in dated.values()), default=0))

    def y_of(v: int) -> float:
        return plot_bottom - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{total_h:.0f}" viewBox="0 0 {width} {total_h:.0f}" font-family="sans-serif" '
        f'font-size="11" aria-labelledby="{uid}-t {uid}-d" class="timeline" '
        'style="max-width:100%;height:auto">',
        f'<title id="{uid}-t">{text(title)}</title>',
        f'<desc id="{uid}-d">{text(_description(rows, listings))}</desc>',
    ]
    parts.extend(grid_lines(peak, y_of, left, width - right))
    bar = max(1.0, axis.slot * 0.7)
    for year in axis.years():
        row = dated.get(year)
        if not row:
            continue
        x = axis.centre(year) - bar / 2
        counts = {k: int(row.get(k) or 0) for k in ("papers", "joint", "high_risk")}
        before = int(row.get("before_listing") or 0)
        tip = (
            f"{year}: {counts['papers']} papers, {counts['joint']} joint, "
            f"{counts['high_risk']} high-risk ({before} before listing)"
        )
        parts.append(f'<g class="year" data-year="{year}"><title>{text(tip)}</title>')
        styles = (
            ("papers", 'fill="none" stroke="#333" stroke-dasharray="3 2"'),
            ("joint", f'fill="{JOINT}" stroke="#333"'),
            ("high_risk", f'fill="{HIGH}" stroke="#000"'),
        )
        for key, style in styles:
            if counts[key] > 0:
                y = y_of(counts[key])
                parts.append(
                    f'<rect class="{key}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                    f'height="{plot_bottom - y:.1f}" {style}/>'
                )
        if before > 0:
            y = y_of(before)
            parts.append(hatched(x, y, bar, plot_bottom - y, cls="before_listing"))
        parts.append("</g>")
    _axis_line(parts, axis, plot_bottom, width - right)
    for (year, lines), tag in zip(marked.items(), tags, strict=True):
        x = axis.start(year)
        whole = "; ".join(lines)
        parts.append(
            f'<g class="listing" data-year="{year}"><title>{text(f"listed {year}: {whole}")}'
            f'</title><line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{plot_bottom}" '
            f'stroke="{MARK}" stroke-width="2" stroke-dasharray="6 3"/>{tag}</g>'
        )
    max_chars = int((width - 2 * left) / CHAR_W)
    parts.append('<g class="listing-key" font-size="10">')
    for n, line in enumerate(key_lines):
        parts.append(
            f'<text x="{left}" y="{legend_y + 20 + 13 * n:.1f}">{text(_short(line, max_chars))}'
            "</text>"
        )
    parts.append("</g>")
    parts.append(_legend(legend_y))
    parts.append("</svg>")
    return "".join(parts)


def _legend(y: float) -> str:
    items = (
        ('fill="none" stroke="#333" stroke-dasharray="3 2"', "all papers"),
        (f'fill="{JOINT}" stroke="#333"', "joint"),
        (f'fill="{HIGH}" stroke="#000"', "high-risk"),
        ("", "high-risk, before listing"),
    )
    parts = []
    x = 48
    for style, label in items:
        swatch = (
            f'<rect x="{x}" y="{y - 10:.1f}" width="14" height="12" {style}/>'
            if style
            else hatched(x, y - 10, 14, 12)
        )
        parts.append(f'{swatch}<text x="{x + 19}" y="{y:.1f}">{text(label)}</text>')
        x += 34 + int(6.2 * len(label))
    parts.append(
        f'<line x1="{x + 7}" y1="{y - 12:.1f}" x2="{x + 7}" y2="{y + 3:.1f}" stroke="{MARK}" '
        f'stroke-width="2" stroke-dasharray="6 3"/><text x="{x + 14}" y="{y:.1f}">'
        "listing (from the start of its year)</text>"
    )
    return "".join(parts)
