"""Investigators' judgements on matches: an append-only JSON-lines log.

Each line is one decision: accept or reject a proposed (input text, node) pair, set the node for
an input by hand, or withdraw an earlier judgement (a new line naming the withdrawn one's id).
Nothing is ever rewritten or deleted, so every decision and its reversal stay on record. The
resolver consults the log before automatic matching.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from collabgraph.graph.errors import CollabgraphError

from .normalise import fold

__all__ = [
    "DECISIONS",
    "JUDGEMENTS_ENV",
    "Judgement",
    "JudgementError",
    "JudgementLog",
    "judgement_key",
    "judgements_path",
]

DECISIONS = ("accept", "reject", "set", "withdraw")
JUDGEMENTS_ENV = "COLLABGRAPH_JUDGEMENTS"
JUDGEMENTS_FILE = "collabgraph.judgements.jsonl"


def judgements_path(store_spec: str, explicit: str | Path | None = None) -> Path:
    """Where a store's judgement log lives: ``explicit``, else $COLLABGRAPH_JUDGEMENTS, else
    collabgraph.judgements.jsonl beside an embedded store (the working directory for Neo4j).

    Every command that resolves institutions for a store opens this same log, so a judgement
    holds on every later ingest.
    """
    if explicit:
        return Path(explicit)
    if os.environ.get(JUDGEMENTS_ENV):
        return Path(os.environ[JUDGEMENTS_ENV])
    if "://" in store_spec:
        return Path.cwd() / JUDGEMENTS_FILE
    return Path(store_spec).parent / JUDGEMENTS_FILE


class JudgementError(CollabgraphError):
    """A judgement log line or a judgement request that cannot be used."""


def judgement_key(text: str, country: str | None) -> str:
    """What a judgement is about: the input folded (case, punctuation) plus the country hint."""
    return f"{fold(text)}|{(country or '').upper()}"


@dataclass(frozen=True)
class Judgement:
    """One decision. ``withdraws`` is set only on withdraw records."""

    id: str
    who: str
    when: str
    text: str
    country: str | None
    decision: str
    node_id: str | None
    score: float | None
    reason: str
    withdraws: str | None = None

    @property
    def key(self) -> str:
        return judgement_key(self.text, self.country)


class JudgementLog:
    """The log file plus an in-memory view of the judgements still in force."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.records: list[Judgement] = []
        if self.path is not None and self.path.exists():
            self.records = list(_read(self.path))
        self._rebuild()

    def _rebuild(self) -> None:
        withdrawn = {r.withdraws for r in self.records if r.decision == "withdraw"}
        self._chosen: dict[str, Judgement] = {}
        self._rejected: dict[str, set[str]] = {}
        for record in self.records:  # file order: a later accept/set replaces an earlier one
            if record.id in withdrawn or record.decision == "withdraw" or not record.node_id:
                continue
            if record.decision in ("accept", "set"):
                self._chosen[record.key] = record
            elif record.decision == "reject":
                self._rejected.setdefault(record.key, set()).add(record.node_id)

    def chosen(self, text: str, country: str | None) -> Judgement | None:
        """The accepted or hand-set match in force for this input, if any."""
        return self._chosen.get(judgement_key(text, country)) or (
            self._chosen.get(judgement_key(text, None)) if country else None
        )

    def rejected(self, text: str, country: str | None) -> set[str]:
        """Node ids that must never be returned for this input."""
        out = set(self._rejected.get(judgement_key(text, country), set()))
        if country:
            out |= self._rejected.get(judgement_key(text, None), set())
        return out

    def record(
        self,
        *,
        who: str,
        text: str,
        decision: str,
        node_id: str | None = None,
        country: str | None = None,
        score: float | None = None,
        reason: str = "",
        withdraws: str | None = None,
        when: str | None = None,
    ) -> Judgement:
        """Append one decision to the log (and to the file, if the log has one)."""
        if decision not in DECISIONS:
            raise JudgementError(
                f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}"
            )
        if decision == "withdraw":
            if not any(r.id == withdraws for r in self.records):
                raise JudgementError(f"no judgement with id {withdraws!r} to withdraw")
        elif not node_id:
            raise JudgementError(f"a {decision} judgement needs a node id")
        if not who.strip():
            raise JudgementError("a judgement needs the name of who made it")
        stamp = when or datetime.now(UTC).isoformat(timespec="seconds")
        digest = hashlib.sha256(
            json.dumps(
                [who, stamp, text, country, decision, node_id, withdraws, len(self.records)]
            ).encode("utf-8")
        ).hexdigest()[:16]
        judgement = Judgement(
            f"j:{digest}", who, stamp, text, country, decision, node_id, score, reason, withdraws
        )
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(judgement), ensure_ascii=False) + "\n")
        self.records.append(judgement)
        self._rebuild()
        return judgement


def _read(path: Path) -> Iterator[Judgement]:
    try:
        yield from _read_lines(path)
    except UnicodeDecodeError as exc:
        raise JudgementError(
            f"{path}: not a judgement log (not UTF-8 text at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise JudgementError(f"{path}: cannot read the judgement log ({exc.strerror})") from None


def _read_lines(path: Path) -> Iterator[Judgement]:
    required = {"id", "who", "when", "text", "decision"}
    defaults: dict[str, Any] = {"country": None, "node_id": None, "score": None, "reason": ""}
    fields = set(Judgement.__dataclass_fields__)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data: Any = json.loads(line)
                if not isinstance(data, dict) or not required <= set(data):
                    raise ValueError(f"needs the fields {', '.join(sorted(required))}")
                values = {**defaults, **{k: v for k, v in data.items() if k in fields}}
                yield Judgement(**values)
            except (ValueError, TypeError) as exc:
                raise JudgementError(f"{path}, line {number}: bad judgement record: {exc}") from exc
