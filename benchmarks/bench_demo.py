"""8. Demo end to end: wall time of ``collabgraph demo`` in a fresh process."""

from __future__ import annotations

import subprocess
import sys

from .harness import REPO, Config, Row, info, remove_store, timer, unavailable

MEASURE = "demo end to end"


def run(config: Config) -> list[Row]:
    from collabgraph.ui.cli import cli

    if "demo" not in cli.commands:
        return [unavailable(MEASURE, "the demo command (ui/commands/demo.py) missing")]
    if config.quick:
        # The demo has no reduced size, and alone it takes about the whole --quick budget.
        return [Row(MEASURE, None, "s", None, False, "skipped in --quick (no reduced size)")]
    store = config.workdir / "demo.db"
    remove_store(store)  # the demo starts clean, and refuses to replace a file it did not make
    with timer() as t:
        done = subprocess.run(
            [sys.executable, "-m", "collabgraph", "--quiet", "--store", str(store), "demo"],
            cwd=config.workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if done.returncode != 0:
        return [unavailable(MEASURE, f"demo failed: {done.stderr.strip()[-200:]}")]
    return [info(MEASURE, t[0], "s", f"run from {REPO}")]
