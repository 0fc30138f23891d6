"""Writing a report directory: report.html, report.json and snapshot/ (with its manifest)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.snapshot import write_snapshot
from collabgraph.graph.snapshot.manifest import MANIFEST

from .html import render_html

OUTPUTS = ("report.html", "report.json", "snapshot")
SNAPSHOT_FORMAT = "json"


def write_report(
    store: Store,
    directory: str | Path,
    report: dict[str, Any],
    *,
    force: bool = False,
    quiet: bool = True,
) -> dict[str, Path]:
    """Write the report and a snapshot of the graph it was computed from into ``directory``.

    An existing report there is replaced only with ``force`` (and then only the files this
    function writes; a ``snapshot/`` folder without a manifest is never deleted).
    Returns the paths written, by name.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise CollabgraphError(f"{target}: exists and is not a directory; choose another -o")
    present = [name for name in OUTPUTS if (target / name).exists()]
    if present and not force:
        raise CollabgraphError(
            f"{target} already holds a report ({', '.join(present)}); "
            "use --force to replace it or choose another -o"
        )
    snapshot = target / "snapshot"
    if snapshot.exists():
        if not (snapshot / MANIFEST).is_file():
            raise CollabgraphError(
                f"{snapshot}: exists but is not a collabgraph snapshot; move it away first"
            )
        shutil.rmtree(snapshot)
    target.mkdir(parents=True, exist_ok=True)
    manifest = write_snapshot(
        store,
        snapshot,
        fmt=SNAPSHOT_FORMAT,
        query="the whole graph the report was computed from",
        params=report["parameters"],
        quiet=quiet,
    )
    report["snapshot"] = {
        "path": "snapshot/",
        "format": SNAPSHOT_FORMAT,
        "manifest": "snapshot/manifest.json",
        "note": "node-link JSON; `collabgraph import` reads it back into any store",
    }
    json_path = target / "report.json"
    json_path.write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"
    )
    html_path = target / "report.html"
    html_path.write_text(render_html(report), encoding="utf-8")
    return {"html": html_path, "json": json_path, "snapshot": snapshot, "manifest": manifest}
