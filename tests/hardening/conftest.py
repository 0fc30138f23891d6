"""Prints what the fuzzers tried: generated cases, outcomes and distinct rejection reasons."""

from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # Only when the fuzz tests ran (importing hypothesis this late would warn).
    fuzz = next((m for n, m in sys.modules.items() if n.endswith("hardening.fuzz")), None)
    STATS = getattr(fuzz, "STATS", None)
    if not STATS:
        return
    write = terminalreporter.write_line
    write("")
    write("fuzzing: generated cases, outcomes, distinct rejection / error reasons")
    total_cases, all_reasons = 0, set()
    for parser, stats in sorted(STATS.items()):
        total_cases += stats.cases
        all_reasons.update(stats.reasons)
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(stats.outcomes.items()))
        write(f"  {parser}: {stats.cases} cases ({outcomes}); {len(stats.reasons)} reasons")
        for reason, count in stats.reasons.most_common():
            write(f"      {count:4d}  {reason}")
    write(f"  total: {total_cases} cases, {len(all_reasons)} distinct reasons")
