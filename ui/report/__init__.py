"""The investigator's report: data from the store, a self-contained HTML page, a snapshot.

Public API: :func:`build_report` (the content as data), :func:`render_html` (the page) and
:func:`write_report` (report.html, report.json and snapshot/ into a directory).
"""

from __future__ import annotations

from .data import build_report
from .html import render_html
from .write import write_report

__all__ = ["build_report", "render_html", "write_report"]
