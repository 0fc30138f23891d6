"""The one-screen terminal summary of a report, and its yearly table as text."""

from __future__ import annotations

from typing import Any

from collabgraph.ui.output import table


def indicators_table(report: dict[str, Any], *, last: int | None = None) -> str:
    """The yearly indicators as a text table (the ``last`` years only, if given)."""
    rows = report["indicators"]["rows"]
    if last is not None:
        rows = rows[-last:]
    t = report["totals"]
    body = [
        [r["year"], r["joint"], r["high_risk"], r["high_risk_critical"], r["before_listing"]]
        for r in rows
    ]
    body.append(["all", t["joint"], t["high_risk"], t["high_risk_critical"], t["before_listing"]])
    return table(["year", "joint", "high risk", "high risk, critical", "before listing"], body)


def summary_lines(report: dict[str, Any], html_path: str) -> list[str]:
    """Totals, the last ten years, the top partners and researchers, and where the report is."""
    p, t = report["parameters"], report["totals"]
    lines = [
        f"{p['country']}–{p['partner']} papers in this graph: {t['joint']} joint, "
        f"{t['high_risk']} high-risk (tier {p['min_tier']} or above), "
        f"{t['high_risk_critical']} of them in critical technology, "
        f"{t['before_listing']} dated before the listing.",
        "",
        indicators_table(report, last=10),
        "",
        "top partner institutions by high-risk papers:",
    ]
    for r in report["partners"][:5]:
        lines.append(f"  {r['high_risk']:>4}  {r['name']} ({r['tier']})")
    if report["exposure"]:
        lines += ["", f"most exposed {p['country']} researchers:"]
        for r in report["exposure"][:3]:
            best = r["paths"][0] if r["paths"] else None
            via = f" → {best['target_name']} ({best['tier']})" if best else ""
            lines.append(f"  {r['score']:>7.3f}  {r['name']}{via}")
    for item in report.get("unavailable") or []:
        lines.append(f"not available: {item}")
    lines += ["", f"report: {html_path}"]
    return lines
