"""The yearly chart as inline SVG: no script, no external resource, readable when printed.

The three series are nested (critical ⊆ high-risk ⊆ joint), so each year is one bar drawn
three times over itself, lightest (joint) behind, darkest (high-risk, critical) in front; a
reader sees the shares at a glance and nothing hides anything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from html import escape
from typing import Any

SERIES = (
    ("joint", "joint papers", "#c9d6e8"),
    ("high_risk", "high-risk", "#e08a3c"),
    ("high_risk_critical", "high-risk, critical technology", "#9b1d20"),
)


def nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 3, 5 × 10^k)."""
    if value <= 5:
        return 5
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 3, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def grid_lines(peak: int, y_of: Callable[[int], float], left: float, right: float) -> Iterator[str]:
    """Six horizontal grid lines from 0 to ``peak``, each labelled on the left."""
    for i in range(6):
        v = peak * i // 5
        y = y_of(v)
        yield (
            f'<line x1="{left}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v}</text>'
        )


def yearly_svg(rows: Sequence[Mapping[str, Any]], *, width: int = 1100, height: int = 320) -> str:
    """An SVG bar chart of joint / high-risk / critical papers per year (years without papers
    between the first and the last are drawn as zero); '' when no row has a year."""
    dated = {int(r["year"]): r for r in rows if isinstance(r.get("year"), int)}
    if not dated:
        return ""
    years = list(range(min(dated), max(dated) + 1))
    left, right, top, bottom = 48, 12, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = nice_max(max(int(r["joint"]) for r in dated.values()))
    slot = plot_w / len(years)
    bar = max(1.0, slot * 0.75)

    def y_of(v: int) -> float:
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>Joint, high-risk and high-risk critical-technology papers per year</title>",
    ]
    parts.extend(grid_lines(peak, y_of, left, width - right))
    for i, year in enumerate(years):
        row = dated.get(year)
        x = left + i * slot + (slot - bar) / 2
        for key, label, colour in SERIES:
            value = int(row[key]) if row else 0
            if value <= 0:
                continue
            y = y_of(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{top + plot_h - y:.1f}" fill="{colour}">'
                f"<title>{year}: {value} {escape(label)}</title></rect>"
            )
        if year % 5 == 0 or len(years) <= 15:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{year}</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#555"/>'
    )
    x = left
    for _, label, colour in SERIES:
        parts.append(
            f'<rect x="{x}" y="10" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="20">{escape(label)}</text>'
        )
        x += 30 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)
