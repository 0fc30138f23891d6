"""Institution resolution benchmark: ours against ROR's published peers, on BE/CN rows.

Runs on the gold halves the peers were scored on (``*_train.csv`` in
../shared/data/ror-affiliation-matching-gold/peer-results/), keeping the rows whose gold
organisation is in Belgium or China (country from ror/index.csv, else the 51k ROR union, as that
folder's SOURCE.md describes). Scoring is ROR's rule: a prediction that is a substring of the
gold field is a TP, any other prediction an FP, an abstention on a matchable row an FN, an
abstention on an NP row a TN.

Those rows are split in two by a hash of the affiliation string: ``train`` (used while
developing the resolver) and ``dev`` (held out). Both halves are reported, as is the whole.
Ours is also scored on the other half of each gold set, which no peer ran on (``unseen-a`` and
``unseen-b``, see ``resolution_unseen``), and each false positive is sorted by kind: another
level of the same organisation tree, a gold record the string does not name, or other.

Ours is scored twice: ``collabgraph`` credits the most specific unit the string names (issue
16), ``collabgraph-before`` the institution named last, as the resolver did before. Besides
ROR's precision and recall, each line gives the precision when another level of the gold
record's ROR tree counts as right, and unit recall (``resolution_units``: of the rows whose
string names a unit with a record of its own, the share where that unit is returned).

Run from the repository root::

    python -m benchmarks.resolution [--quick] [--data DIR] [--train-errors]

``--train-errors`` lists our misses on the train half only (gold, prediction, explanation), to
study error classes without looking at the held-out half.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from collabgraph.ingest.resolution import Resolver
from collabgraph.ingest.resolution.normalise import clear_caches
from collabgraph.ingest.ror import iter_ror

from .resolution_units import NamedUnits
from .resolution_unseen import (
    FULL_FILES,
    FalsePositiveKinds,
    unseen_pairs,
    unseen_split,
)

DEFAULT_DATA = Path(
    os.environ.get(
        "COLLABGRAPH_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
)
GOLD = "ror-affiliation-matching-gold/peer-results"
UNION = "ror/ror_records_union.jsonl.gz"
COUNTRIES = ("BE", "CN")
OURS, BEFORE = "collabgraph", "collabgraph-before"

_CR = "20230628_Crossref_publisher_asserted_affiliation_string_"
_LOGS = "20230903_affiliation_matching_logs_"
# set → (gold split file, {strategy as in the metrics file: its results file})
SETS: dict[str, tuple[str, dict[str, str]]] = {
    "Crossref": (
        _CR + "ROR_IDs_train.csv",
        {
            "ror_affiliation": _CR + "ror-affiliation_results.csv",
            "fasttext": _CR + "ROR_IDs_valid_fasttext_results.csv",
            "ensemble-ror_affiliation->fasttext": _CR
            + "ROR_IDs_valid_affiliation-fasttext_ensemble_results.csv",
            "ensemble-fasttext->ror_affiliation": _CR
            + "ROR_IDs_valid_fasttext-ror_ensemble_results.csv",
            "openalex": _CR + "ROR_IDs_train_openalex_v1_results.csv",
            "semantic_scholar": _CR + "ROR_IDs_train_S2AFF_results.csv",
            "ner_fallback": _CR + "ROR_IDs_train_ner_fallback_results.csv",
        },
    ),
    "Logs": (
        _LOGS + "train.csv",
        {
            "ror_affiliation": _LOGS + "valid_ror-affiliation_results.csv",
            "fasttext": _LOGS + "valid_fasttext_results.csv",
            "ensemble-ror_affiliation->fasttext": _LOGS
            + "valid_affiliation-fast-text_ensemble_results.csv",
            "ensemble-fasttext->ror_affiliation": _LOGS + "valid_fasttext-ror_ensemble_results.csv",
            "openalex": _LOGS + "train_openalex_v1_results.csv",
            "semantic_scholar": _LOGS + "train_S2AFF_results.csv",
            "ner_fallback": _LOGS + "train_ner_fallback_results.csv",
        },
    ),
}


@dataclass(frozen=True)
class GoldRow:
    """One gold row: its position in the file, text, gold field and split."""

    position: int
    affiliation: str
    gold: str
    split: str


@dataclass(frozen=True)
class ResultRow:
    """One line of the comparison table."""

    dataset: str
    split: str
    strategy: str
    rows: int
    tp: int
    fp: int
    fn: int
    tn: int
    hierarchy: int = 0  # false positives in the gold record's tree (``one_tree``)
    unnamed: int = 0  # false positives where the string does not name the gold record
    levels: int = 0  # false positives above or below the gold record through ROR parent links
    unit_rows: int = 0  # rows whose string names one unit with a record (resolution_units)
    unit_hits: int = 0  # of those, rows where that unit was returned
    branching: int = 0  # rows naming units in different branches (left out of unit recall)

    @property
    def tree_precision(self) -> float:
        """Precision when a record of the gold record's organisation tree counts as right
        (``one_tree``: above, below, a sibling, or a name inside the other's)."""
        predicted = self.tp + self.fp
        return (self.tp + self.hierarchy) / predicted if predicted else 0.0

    @property
    def level_precision(self) -> float:
        """Precision when another level of the gold record's ROR tree counts as right: a
        record above or below it through parent links (siblings do not count)."""
        predicted = self.tp + self.fp
        return (self.tp + self.levels) / predicted if predicted else 0.0

    @property
    def unit_recall(self) -> float:
        """Of the rows whose string names a unit with its own record, the share returning it."""
        return self.unit_hits / self.unit_rows if self.unit_rows else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class SpeedRow:
    """Index build time and resolution throughput."""

    candidates: int
    build_seconds: float  # CPU time of this process (robust when other jobs share the machine)
    strings: int
    resolve_seconds: float  # CPU time
    build_wall: float = 0.0
    resolve_wall: float = 0.0

    @property
    def strings_per_second(self) -> float:
        return self.strings / self.resolve_seconds if self.resolve_seconds else 0.0


def split_of(text: str) -> str:
    """Deterministic half of a string: the same text always lands in the same half."""
    return "train" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "dev"


def short(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


def countries(data: Path) -> dict[str, str]:
    """ROR id → country code, from ror/index.csv then the union file (SOURCE.md's method)."""
    out: dict[str, str] = {}
    with (data / "ror/index.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[row["ror_id"]] = row["country_code"]
    with gzip.open(data / UNION, "rt", encoding="utf-8") as handle:
        for line in handle:
            obj = json.loads(line)
            rid = short(obj["id"])
            if rid in out:
                continue
            if "locations" in obj:
                locs = obj["locations"]
                out[rid] = locs[0]["geonames_details"]["country_code"] if locs else ""
            else:
                out[rid] = (obj.get("country") or {}).get("country_code") or ""
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def unseen_rows(data: Path, dataset: str, country_of: dict[str, str]) -> list[GoldRow]:
    """The BE/CN rows of a set that no peer was scored on, split into unseen-a and unseen-b."""
    full = (data / GOLD).parent / FULL_FILES[dataset]
    pairs = unseen_pairs(full, data / GOLD / SETS[dataset][0])
    out = []
    for position, (text, gold) in enumerate(pairs):
        ids = [short(x) for x in gold.split(";") if x.strip() and x.strip() != "NP"]
        if any(country_of.get(i) in COUNTRIES for i in ids):
            out.append(GoldRow(position, text, gold, unseen_split(text)))
    return out


def gold_rows(data: Path, filename: str, country_of: dict[str, str]) -> list[GoldRow]:
    """The BE/CN rows of a gold file (any gold id in BE or CN), each with its split."""
    out = []
    for position, row in enumerate(_read_csv(data / GOLD / filename)):
        ids = [short(x) for x in row["ror_id"].split(";") if x.strip() and x.strip() != "NP"]
        if any(country_of.get(i) in COUNTRIES for i in ids):
            text = row["affiliation"]
            out.append(GoldRow(position, text, row["ror_id"], split_of(text)))
    return out


OUTCOMES = ("TP", "FP", "FN", "TN")


def outcome_of(predicted: str, gold: str) -> str:
    """ROR's label for one row: TP, FP (any wrong id, any id on an NP row), FN or TN."""
    predicted = predicted.strip()
    if predicted:
        return "TP" if short(predicted) and short(predicted) in gold else "FP"
    return "TN" if gold.strip() == "NP" else "FN"


def gold_ids_of(row: GoldRow) -> list[str]:
    """The ROR ids of a row's gold field (none for NP)."""
    return [short(x) for x in row.gold.split(";") if x.strip() not in ("", "NP")]


def expected_units(rows: Iterable[GoldRow], units: NamedUnits) -> dict[int, frozenset[str]]:
    """Each row's deepest named units (``NamedUnits.deepest_named``), by position."""
    return {r.position: units.deepest_named(r.affiliation, gold_ids_of(r)) for r in rows}


# counters per split: TP FP FN TN rows hierarchy unnamed levels unit_rows unit_hits branching
_COUNTERS = 11


def _count_row(
    counter: list[int],
    outcome: int,
    kinds: tuple[str | None, bool],
    expected: frozenset[str],
    predicted: str,
) -> None:
    """Add one row's outcome, false-positive kinds and unit result to ``counter``."""
    kind, level = kinds
    counter[outcome] += 1
    counter[4] += 1
    if kind in ("hierarchy", "gold unnamed"):
        counter[5 if kind == "hierarchy" else 6] += 1
    counter[7] += level
    if len(expected) == 1:
        counter[8] += 1
        counter[9] += int(bool(predicted) and short(predicted) in expected)
    elif expected:
        counter[10] += 1


def score(
    dataset: str,
    strategy: str,
    rows: Iterable[GoldRow],
    predictions: dict[int, str],
    splits: tuple[str, ...] = ("train", "dev"),
    total: str = "all",
    kinds: FalsePositiveKinds | None = None,
    expected: dict[int, frozenset[str]] | None = None,
) -> list[ResultRow]:
    """ROR's scoring rule, per split and over all rows (``total``); with ``kinds``, each false
    positive is also sorted by kind; with ``expected`` (``expected_units``), unit recall."""
    counts: dict[str, list[int]] = {split: [0] * _COUNTERS for split in (*splits, total)}
    for row in rows:
        predicted = predictions.get(row.position, "")
        outcome = OUTCOMES.index(outcome_of(predicted, row.gold))
        kind, level = None, False
        if kinds is not None and OUTCOMES[outcome] == "FP":
            gold_ids = gold_ids_of(row)
            kind = kinds.kind(short(predicted), gold_ids, row.affiliation)
            level = any(kinds.another_level(short(predicted), g) for g in gold_ids)
        unit = (expected or {}).get(row.position, frozenset())
        for split in (row.split, total):
            _count_row(counts[split], outcome, (kind, level), unit, predicted)
    return [
        ResultRow(dataset, split, strategy, c[4], c[0], c[1], c[2], c[3], *c[5:])
        for split, c in counts.items()
    ]


def run(
    data: Path = DEFAULT_DATA, *, quick: bool = False, errors: list[str] | None = None
) -> tuple[list[ResultRow], SpeedRow]:
    """Build the index, resolve every BE/CN gold row, score ours and every peer on those rows.

    Ours is also scored on the BE/CN rows no peer ran on (``resolution_unseen``).
    ``quick`` skips the throughput run over the full gold files (only the BE/CN rows are timed).
    ``errors``, when given, receives one line per miss of ours on the train half (never dev).
    """
    country_of = countries(data)
    started, cpu = time.perf_counter(), time.process_time()
    records = list(iter_ror(data / UNION))
    resolver = Resolver.from_ror(records)
    build, build_wall = time.process_time() - cpu, time.perf_counter() - started
    before = Resolver(resolver.index, credit_units=False)  # the same index, the old rule
    kinds = FalsePositiveKinds(records)  # the same records: names and parent links
    units = NamedUnits(kinds)

    def ours_on(dataset: str, rows: list[GoldRow], which: Resolver = resolver) -> dict[int, str]:
        ours = {}
        for row in rows:
            match = which.resolve(row.affiliation)
            ours[row.position] = f"https://ror.org/{match.ror_id}" if match and match.ror_id else ""
            kind = outcome_of(ours[row.position], row.gold)
            missed = which is resolver and row.split == "train" and kind in ("FP", "FN")
            if errors is not None and missed:
                why = f"{match.ror_id} {match.name} ({match.method}): " if match else "-"
                explained = match.explanation if match else ""
                errors.append(
                    f"{dataset} {kind} {row.affiliation!r}\n  gold {row.gold}\n  ours {why}"
                    f"{explained}"
                )
        return ours

    results: list[ResultRow] = []
    for dataset, (gold_file, peers) in SETS.items():
        rows = gold_rows(data, gold_file, country_of)
        expected = expected_units(rows, units)
        for name, which in ((OURS, resolver), (BEFORE, before)):
            ours = ours_on(dataset, rows, which)
            results += score(dataset, name, rows, ours, kinds=kinds, expected=expected)
        for strategy, filename in peers.items():
            predicted = {
                i: r.get("predicted_ror_id") or ""
                for i, r in enumerate(_read_csv(data / GOLD / filename))
            }
            results += score(dataset, strategy, rows, predicted, kinds=kinds, expected=expected)
    for dataset in SETS:
        rows = unseen_rows(data, dataset, country_of)
        expected = expected_units(rows, units)
        splits = ("unseen-a", "unseen-b")
        for name, which in ((OURS, resolver), (BEFORE, before)):
            ours = ours_on(dataset, rows, which)
            results += score(dataset, name, rows, ours, splits, "unseen", kinds, expected)
    texts = [r["affiliation"] for name, (f, _p) in SETS.items() for r in _read_csv(data / GOLD / f)]
    if quick:
        texts = [r.affiliation for r in gold_rows(data, SETS["Crossref"][0], country_of)]
    runs = []
    for _ in range(1 if quick else 3):  # best of three cold runs: other jobs share the machine
        fresh = Resolver(resolver.index)  # empty caches: every string is resolved from scratch
        clear_caches()
        gc.disable()  # as `collabgraph resolve` does: collections would walk the whole index
        try:
            started, cpu = time.perf_counter(), time.process_time()
            for text in texts:
                fresh.resolve(text)
        finally:
            gc.enable()
        runs.append((time.process_time() - cpu, time.perf_counter() - started))
    elapsed, wall = min(runs)
    speed = SpeedRow(len(resolver.index.candidates), build, len(texts), elapsed, build_wall, wall)
    return results, speed


def render(results: list[ResultRow], speed: SpeedRow) -> str:
    """The side-by-side table as text (peers have no rows on the unseen halves).

    After ROR's P/R/F1, each strategy's false positives by kind (``hier``: in the gold
    record's organisation tree, siblings and names inside names included; ``unnm``: the string
    does not name the gold record; ``lvl``: above or below the gold record through ROR parent
    links), ``P tree`` and ``P lvl`` (precision when ``hier`` or ``lvl`` counts as right), and
    unit recall (``units``: rows naming one unit with its own record; ``unit R``). A summary of
    the issue 16 measures, both gold sets together, follows.
    """
    lines = [
        f"{'set':<9}{'split':<9}{'strategy':<37}{'rows':>5}{'TP':>5}{'FP':>5}{'FN':>5}"
        f"{'P':>7}{'R':>7}{'F1':>7}{'hier':>5}{'unnm':>5}{'P tree':>7}{'lvl':>5}{'P lvl':>7}"
        f"{'units':>6}{'unit R':>7}"
    ]
    for r in results:
        mark = " *" if r.strategy == OURS else ""
        lines.append(
            f"{r.dataset:<9}{r.split:<9}{r.strategy + mark:<37}{r.rows:>5}{r.tp:>5}{r.fp:>5}"
            f"{r.fn:>5}{r.precision:>7.3f}{r.recall:>7.3f}{r.f1:>7.3f}"
            f"{r.hierarchy:>5}{r.unnamed:>5}{r.tree_precision:>7.3f}{r.levels:>5}"
            f"{r.level_precision:>7.3f}{r.unit_rows:>6}{r.unit_recall:>7.3f}"
        )
    lines += ["", *summary(results), ""]
    lines.append(
        f"index: {speed.candidates} candidates built in {speed.build_seconds:.1f} s CPU "
        f"({speed.build_wall:.1f} s wall, incl. reading the dump); resolution: {speed.strings} "
        f"strings in {speed.resolve_seconds:.2f} s CPU ({speed.resolve_wall:.2f} s wall) = "
        f"{speed.strings_per_second:,.0f} strings/s on one core (best cold run)"
    )
    return "\n".join(lines)


def combined(results: list[ResultRow], strategy: str, split: str) -> ResultRow:
    """One strategy's line for one split, Crossref and Logs added together."""
    picked = [r for r in results if r.strategy == strategy and r.split == split]
    sums = [sum(getattr(r, f) for r in picked) for f in _SUMMED]
    return ResultRow("both", split, strategy, *sums)


_SUMMED = (
    "rows", "tp", "fp", "fn", "tn", "hierarchy", "unnamed", "levels", "unit_rows", "unit_hits",
    "branching",
)  # fmt: skip


def summary(results: list[ResultRow]) -> list[str]:
    """Issue 16's measures on the BE/CN rows of both gold sets: strict (ROR's rule) precision
    and recall, precision with another level of the ROR tree counted as right, unit recall."""
    lines = [
        "issue 16 measures, Crossref + Logs BE/CN rows (targets: P >= 0.93, R >= 0.93, "
        "P lvl >= 0.98, unit R >= 0.90)",
        f"{'rows':<25}{'strategy':<37}{'rows':>5}{'P':>7}{'R':>7}{'P tree':>7}{'P lvl':>7}"
        f"{'units':>6}{'hits':>5}{'unit R':>7}{'branch':>7}",
    ]
    strategies = list(dict.fromkeys(r.strategy for r in results))
    for split, label in (("all", "peer rows"), ("unseen", "unseen rows (ours only)")):
        for strategy in strategies:
            r = combined(results, strategy, split)
            if not r.rows:
                continue
            mark = " *" if strategy == OURS else ""
            lines.append(
                f"{label:<25}{strategy + mark:<37}{r.rows:>5}{r.precision:>7.3f}"
                f"{r.recall:>7.3f}{r.tree_precision:>7.3f}{r.level_precision:>7.3f}"
                f"{r.unit_rows:>6}{r.unit_hits:>5}{r.unit_recall:>7.3f}{r.branching:>7}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time only the BE/CN rows")
    parser.add_argument(
        "--train-errors", action="store_true", help="list our misses on the train half only"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    if not (args.data / GOLD).is_dir():
        print(
            f"error: {args.data / GOLD} not found (set --data or COLLABGRAPH_SHARED_DATA)",
            file=sys.stderr,
        )
        return 2
    errors: list[str] | None = [] if args.train_errors else None
    results, speed = run(args.data, quick=args.quick, errors=errors)
    print(render(results, speed))
    if errors:
        print("\nour misses on the train half:\n" + "\n".join(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
