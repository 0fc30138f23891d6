"""Only ui/ imports streamlit, and the drawing code the CLI uses does not need it at all."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(import|from)\s+streamlit\b", re.M)


def test_only_ui_imports_streamlit() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("graph", "ingest", "queries")
        for path in (ROOT / folder).rglob("*.py")
        if IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], offenders


def test_pure_modules_and_cli_do_not_load_streamlit() -> None:
    code = (
        "import sys\n"
        "import collabgraph.ui.app.network, collabgraph.ui.app.layout\n"
        "import collabgraph.ui.app.hood, collabgraph.ui.app.data, collabgraph.ui.app.exporting\n"
        "import collabgraph.ui.cli\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out
