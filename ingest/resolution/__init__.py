"""Institution resolution: affiliation strings and names → ROR records or watchlist entities.

Public API: :class:`Resolver` (``from_ror``, ``from_store``, ``add_entity``, ``resolve``,
``resolve_affiliation``), :class:`Match`, and :class:`JudgementLog` for investigators' decisions.
"""

from __future__ import annotations

from .judgements import Judgement, JudgementError, JudgementLog, judgements_path
from .resolver import Match, Resolver

__all__ = ["Judgement", "JudgementError", "JudgementLog", "Match", "Resolver", "judgements_path"]
