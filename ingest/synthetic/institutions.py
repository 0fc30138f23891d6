"""The bundled institution list (real ROR BE/CN records) and weighted draws from it."""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "institutions.json"
COUNTRY_NAMES = {"BE": "Belgium", "CN": "China"}


@dataclass(frozen=True)
class Institution:
    """One bundled ROR record, with the list memberships picked offline by ``derive.py``."""

    index: int
    ror: str
    name: str
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    name_zh: str | None
    country: str
    city: str
    type: str
    aspi: str | None
    dod1286: bool

    @property
    def listed(self) -> bool:
        return self.aspi is not None or self.dod1286

    @property
    def openalex_id(self) -> str:
        """A stable OpenAlex-style id (``I9…``: outside the range OpenAlex has issued)."""
        digest = int(hashlib.sha256(self.ror.encode()).hexdigest()[:12], 16)
        return f"https://openalex.org/I9{digest % 10**9:09d}"


@lru_cache(maxsize=1)
def load() -> tuple[Institution, ...]:
    """Every bundled institution, in file order (the order is part of the seed contract)."""
    rows = json.loads(BUNDLE.read_text(encoding="utf-8"))
    return tuple(
        Institution(
            index=i,
            ror=row["ror"],
            name=row["name"],
            aliases=tuple(row["aliases"]),
            acronyms=tuple(row["acronyms"]),
            name_zh=row["name_zh"],
            country=row["country"],
            city=row["city"],
            type=row["type"],
            aspi=row["aspi"],
            dod1286=bool(row["dod1286"]),
        )
        for i, row in enumerate(rows)
    )


class WeightedPool:
    """Draw institutions of one country with Zipf-like sizes and a fixed listed share.

    Research output is concentrated: a few large universities write most papers. Rank weights
    ``1 / rank**0.9`` give that shape; the listed institutions as a group then get exactly
    ``listed_share`` of the draws (0 for a country without listed institutions).
    """

    def __init__(self, members: list[Institution], listed_share: float) -> None:
        listed = [m for m in members if m.listed]
        unlisted = [m for m in members if not m.listed]
        share = listed_share if listed and unlisted else (1.0 if listed else 0.0)
        self.members: list[Institution] = []
        weights: list[float] = []
        for group, group_share in ((listed, share), (unlisted, 1.0 - share)):
            # Rank by a hash of the ROR id: deterministic, and unrelated to alphabetical order.
            ranked = sorted(group, key=lambda m: hashlib.sha256(m.ror.encode()).digest())
            raw = [1.0 / (rank + 1) ** 0.9 for rank in range(len(ranked))]
            total = sum(raw) or 1.0
            self.members += ranked
            weights += [group_share * w / total for w in raw]
        self.weights = weights
        self._cumulative = list(accumulate(weights))

    def pick(self, u: float) -> Institution:
        """The institution at quantile ``u`` in [0, 1)."""
        i = bisect.bisect_right(self._cumulative, u * self._cumulative[-1])
        return self.members[min(i, len(self.members) - 1)]
