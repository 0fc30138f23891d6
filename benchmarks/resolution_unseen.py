"""Gold rows no peer was scored on, and what kind of disagreement each of our false positives is.

ROR cut each gold set in two and ran the peers on one half (``peer-results/*_train.csv``). The
other half (the full file in the parent folder minus those rows) has no peer results: its BE/CN
rows are a test the resolver was never developed on. They are cut in two by a salted hash:
``unseen-a``, whose misses were read row by row once while studying error classes, and
``unseen-b``, which is only ever counted.

A false positive under ROR's rule is one of three kinds here:

- ``hierarchy``: ours and the gold record are one organisation tree. One is above the other
  through ROR's parent links, they share a parent, or one's name holds the other's ("Xiangya
  Hospital Central South University" / "Central South University"). The publisher credited
  another level than we did; both records are in the string's organisation.
- ``gold unnamed``: no name, label, alias or acronym of the gold record is in the string (the
  folded name is not in the folded text and rapidfuzz's partial ratio stays under 90). These
  are mostly publisher errors ("Shandong University" asserted as East China Normal University).
- ``other``: a real disagreement, to be read.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from rapidfuzz import fuzz

from collabgraph.ingest.resolution.normalise import fold
from collabgraph.ingest.ror import RorRecord

FULL_FILES = {  # set → the whole gold file, beside peer-results/
    "Crossref": "crossref_publisher_asserted_affiliation_string_ROR_IDs_20230628.csv",
    "Logs": "ror_affiliation_matching_logs_20230903.csv",
}
FP_KINDS = ("hierarchy", "gold unnamed", "other")
NAMED_RATIO = 90


def unseen_split(text: str) -> str:
    """``unseen-a`` or ``unseen-b``: a hash salted apart from the train/dev split."""
    digest = hashlib.sha256(b"holdout:" + text.encode("utf-8")).digest()
    return "unseen-a" if digest[0] % 2 == 0 else "unseen-b"


def unseen_pairs(full: Path, peer_half: Path) -> list[tuple[str, str]]:
    """(affiliation, gold) rows of ``full`` not in ``peer_half``, counting repeated rows."""

    def read(path: Path) -> list[tuple[str, str]]:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(row["affiliation"], row["ror_id"]) for row in csv.DictReader(handle)]

    left = Counter(read(peer_half))
    out = []
    for pair in read(full):
        if left[pair]:
            left[pair] -= 1
        else:
            out.append(pair)
    if sum(left.values()):
        raise ValueError(f"{peer_half}: {sum(left.values())} rows are not in {full}")
    return out


class FalsePositiveKinds:
    """Sorts a wrong prediction into the kinds above, from the ROR records' names and links."""

    def __init__(self, records: Iterable[RorRecord]) -> None:
        self.records: dict[str, RorRecord] = {r.ror_id: r for r in records}
        self._up: dict[str, frozenset[str]] = {}

    def ancestors(self, ror_id: str) -> frozenset[str]:
        known = self._up.get(ror_id)
        if known is None:
            found: set[str] = set()
            todo = [ror_id]
            while todo:
                record = self.records.get(todo.pop())
                for parent in record.parents if record else ():
                    if parent not in found and parent != ror_id:
                        found.add(parent)
                        todo.append(parent)
            known = self._up[ror_id] = frozenset(found)
        return known

    def one_tree(self, ours: str, gold: str) -> bool:
        up_ours, up_gold = self.ancestors(ours), self.ancestors(gold)
        if ours in up_gold or gold in up_ours or up_ours & up_gold:
            return True
        a, b = (self.records.get(x) for x in (ours, gold))
        if a is None or b is None:
            return False
        x, y = fold(a.name), fold(b.name)
        return x in y or y in x

    def another_level(self, ours: str, gold: str) -> bool:
        """Whether one record is above the other through ROR parent links (the unit and its
        institution, at any distance): a stricter reading of one tree than ``one_tree``,
        which also counts siblings and names inside names."""
        return ours in self.ancestors(gold) or gold in self.ancestors(ours)

    def named(self, ror_id: str, text: str) -> bool:
        record = self.records.get(ror_id)
        if record is None:
            return False
        folded = fold(text)
        for name in record.all_names:
            key = fold(name)
            if key and (key in folded or fuzz.partial_ratio(key, folded) >= NAMED_RATIO):
                return True
        words = set(text.replace(",", " ").replace("(", " ").replace(")", " ").split())
        return any(acronym in words for acronym in record.acronyms)

    def kind(self, ours: str, gold_ids: list[str], text: str) -> str:
        if any(self.one_tree(ours, g) for g in gold_ids):
            return "hierarchy"
        if gold_ids and not any(self.named(g, text) for g in gold_ids):
            return "gold unnamed"
        return "other"


def kinds_line(split: str, counts: Mapping[str, int]) -> str:
    listed = ", ".join(f"{kind} {counts.get(kind, 0)}" for kind in FP_KINDS)
    return f"{split:<9} our false positives: {listed}"
