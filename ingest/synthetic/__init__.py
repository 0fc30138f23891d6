"""Synthetic OpenAlex-shaped corpora for benchmarks and scale tests (never real data)."""

from __future__ import annotations

from .generator import CorpusGenerator, Settings
from .institutions import Institution, load
from .writer import WriteSummary, write_corpus

__all__ = [
    "CorpusGenerator",
    "Institution",
    "Settings",
    "WriteSummary",
    "load",
    "write_corpus",
]
