"""A person's papers per year in the review window, as inline SVG (no script, prints in grey).

Each year is one bar of the person's papers; in front of it, the papers behind a finding,
solid when the paper came after a listing and hatched when it predates every listing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

SERIES = (
    ("papers", "papers", "#c9d6e8", ""),
    ("with_finding", "with a finding, after listing", "#9b1d20", ""),
    ("before_listing", "with a finding, before listing", "#e08a3c", "hatch"),
)


def papers_per_year_svg(
    rows: Sequence[Mapping[str, Any]], *, uid: str = "0", width: int = 460, height: int = 150
) -> str:
    """Bars of ``rows`` ({year, papers, with_finding, before_listing}); '' without rows.

    ``with_finding`` counts every paper behind a finding, ``before_listing`` those of them
    that predate the listing (drawn over the first, so the after-listing part stays solid).
    ``uid`` keeps the hatch pattern's id unique when a page holds several charts.
    """
    hatch = f"hatch-{''.join(c for c in uid if c.isalnum() or c == '-')}"
    dated = [r for r in rows if isinstance(r.get("year"), int)]
    if not dated:
        return ""
    left, right, top, bottom = 30, 8, 26, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(4, max(int(r.get("papers", 0)) for r in dated))
    slot = plot_w / len(dated)
    bar = max(2.0, slot * 0.7)

    def y_of(v: int) -> float:
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10" '
        'style="max-width:100%;height:auto">',
        "<title>Papers per year in the review window</title>",
        f'<defs><pattern id="{hatch}" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#f6d3b3"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#b35c12" stroke-width="2"/></pattern></defs>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#555"/>',
        f'<text x="{left - 4}" y="{y_of(peak) + 4:.1f}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h + 4}" text-anchor="end">0</text>',
    ]
    for i, row in enumerate(dated):
        year = int(row["year"])
        x = left + i * slot + (slot - bar) / 2
        for key, label, colour, pattern in SERIES:
            value = int(row.get(key, 0))
            if value <= 0:
                continue
            y = y_of(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{top + plot_h - y:.1f}" fill="{_fill(pattern, colour, hatch)}" '
                f'stroke="#333" stroke-width="0.5">'
                f"<title>{year}: {value} {escape(label)}</title></rect>"
            )
        cx = left + i * slot + slot / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{year}</text>'
        )
    x = left
    for _, label, colour, pattern in SERIES:
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{_fill(pattern, colour, hatch)}" '
            f'stroke="#333" stroke-width="0.5"/><text x="{x + 13}" y="15">{escape(label)}</text>'
        )
        x += 20 + int(4.8 * len(label))
    parts.append("</svg>")
    return "".join(parts)


def _fill(pattern: str, colour: str, hatch: str) -> str:
    return f"url(#{hatch})" if pattern else colour
