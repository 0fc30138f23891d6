"""The report's stylesheet, inlined into the page (no external style or font)."""

from __future__ import annotations

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1d;
 margin:0;background:#fafafa;line-height:1.4}
main{max-width:1180px;margin:0 auto;padding:20px 28px;background:#fff}
h1{font-size:1.6em;margin:.2em 0 .4em}
h2{border-bottom:2px solid #ddd;padding-bottom:3px;margin-top:1.8em}
h3 small,td small,li small{color:#777;font-weight:normal}
code{font-size:.9em;background:#f1f1f1;padding:0 3px}
.meta ul{list-style:none;padding:0;color:#444;margin:0}
.notes{background:#fff8e6;border:1px solid #ecd9a6;padding:10px 16px;margin-top:12px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:6px 0 10px}
.card{background:#fff;border:1px solid #ddd;padding:8px 14px;min-width:150px}
.card .num{font-size:1.6em;font-weight:bold}
table{border-collapse:collapse;margin:8px 0;font-size:.9em;width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
table.num{width:auto;min-width:60%}
table.num td{text-align:right}
.chart{overflow-x:auto}
.person{border:1px solid #ddd;padding:8px 14px;margin:12px 0}
.path{border-left:4px solid #e08a3c;padding:4px 10px;margin:8px 0;background:#fcfcfc}
.chain{font-weight:bold}
.flag{background:#eee;padding:0 5px}
.warn{background:#fdecea;border:1px solid #f5c2c0;padding:6px 14px}
@media print{body{background:#fff}details{display:block}}
"""
