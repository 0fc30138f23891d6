"""The institution resolver: affiliation text → the ROR record (or other entity) it names.

Precision first: a false match accuses a researcher, so the resolver returns no match rather
than a guess. An investigator's judgement wins; then a ROR id written in the text; then the
strongest automatic evidence over all parts of the string, checked against the country cue.
When the string names a unit and the institution it belongs to ("Institute of Computing
Technology, Chinese Academy of Sciences"), the most specific record named is credited: risk
lists name institutes and labs, not only their parents, and every record above the unit stays
reachable through its parent links (``Match.ror_ancestors``, PART_OF in the graph).

Example::

    resolver = Resolver.from_ror(iter_ror("ror_records_union.jsonl.gz"))
    match = resolver.resolve("Sch. of Astronautics, Harbin Inst. Technol., Harbin 150001, China")
    match.ror_id, match.method   # ('01yqg2h08', 'normalised')

The index holds a few hundred thousand long-lived objects; in a long loop of resolutions (an
ingest, a CSV of thousands of rows) pause the garbage collector (``gc.disable()`` …
``gc.enable()``) or ``gc.freeze()`` after building, or each full collection walks them all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from collabgraph.graph.contract import GraphView
from collabgraph.ingest.ror import RorRecord

from .hierarchy import Hierarchy
from .index import Candidate, NameIndex
from .judgements import JudgementLog
from .matching import Hit, merged_hits, segment_hits, spelled_out
from .normalise import Segment, fold, is_unit_only, segments
from .units import unit_hits

__all__ = ["Match", "Resolver"]

COUNTRY_PENALTY = 0.12
SPELLED_NAME_RATIO = 90  # a spelled-out acronym's words against its record's names (0-100)
_ROR_IN_TEXT = re.compile(r"(?:https?://)?ror\.org/(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})", re.I)


@dataclass(frozen=True)
class Match:
    """A resolved institution, with the evidence for it."""

    node_id: str
    ror_id: str | None
    name: str
    score: float
    method: str
    explanation: str
    matched_text: str
    country: str | None = None  # the matched record's country (ISO alpha-2), when known
    # The ROR ids above the matched record through parent links, nearest first, up to the root;
    # every parent of a unit with several (a joint lab), not only the one the text names.
    ror_ancestors: tuple[str, ...] = ()


class Resolver:
    """Matches names and affiliation strings against a fixed set of candidate institutions.

    ``credit_units=False`` restores the rules before issue 16: the institution named last is
    credited, also when the text names a unit of it with a record of its own, and a name run
    on into its parent's name without a comma is not found. The resolution benchmark uses it
    to print the figures before and after on the same index.
    """

    threshold: float = 0.85

    def __init__(
        self,
        index: NameIndex,
        *,
        judgements: JudgementLog | None = None,
        credit_units: bool = True,
    ) -> None:
        self.index = index
        self.judgements = judgements
        self.credit_units = credit_units
        self.tree = Hierarchy(index)
        self._hits_cached = lru_cache(maxsize=100_000)(self._hits_uncached)
        # Parts repeat across strings ("Chinese Academy of Sciences", "Beijing", "China").
        self._segment_cached = lru_cache(maxsize=200_000)(self._segment_uncached)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_ror(
        cls, records: Iterable[RorRecord], *, judgements: JudgementLog | None = None
    ) -> Resolver:
        """Candidates from ROR records (withdrawn records are skipped: they name no one now)."""
        index = NameIndex()
        for record in records:
            if record.status == "withdrawn":
                continue
            names = [(record.name, "display")]
            names += [(text, "label") for text, _lang in record.labels]
            names += [(text, "alias") for text in record.aliases]
            candidate = Candidate(
                node_id=f"ror:{record.ror_id}",
                ror_id=record.ror_id,
                name=record.name,
                country=record.country,
                status=record.status,
                parents=tuple(f"ror:{p}" for p in record.parents),
            )
            index.add(candidate, names, record.acronyms)
        return cls(index, judgements=judgements)

    @classmethod
    def from_store(cls, view: GraphView, *, judgements: JudgementLog | None = None) -> Resolver:
        """Candidates from the Institution nodes of a store; PART_OF gives the parents."""
        parents: dict[str, list[str]] = {}
        for rel in view.iter_relationships("PART_OF"):
            parents.setdefault(rel.start, []).append(rel.end)
        index = NameIndex()
        for node in view.iter_nodes("Institution"):
            props = node.props
            if props.get("status") == "withdrawn":
                continue
            name = str(props.get("name", node.id))
            names = [(name, "display")]
            # Aliases first: "names" repeats them, and the first kind seen for a name is kept.
            names += [(str(t), "alias") for t in props.get("aliases") or ()]
            names += [(str(t), "label") for t in props.get("names_zh") or ()]
            names += [(str(t), "label") for t in props.get("names") or () if t != name]
            ror_id = props.get("ror_id")
            candidate = Candidate(
                node_id=node.id,
                ror_id=str(ror_id) if ror_id else None,
                name=name,
                country=str(props["country"]) if props.get("country") else None,
                status=str(props.get("status") or "active"),
                parents=tuple(parents.get(node.id, ())),
            )
            index.add(candidate, names, [str(a) for a in props.get("acronyms") or ()])
        return cls(index, judgements=judgements)

    def add_entity(
        self,
        node_id: str,
        names: Iterable[str],
        *,
        country: str | None = None,
        acronyms: Iterable[str] = (),
    ) -> None:
        """Add a candidate that has no ROR record (a watchlist entity, say)."""
        names = [n for n in names if n and n.strip()]
        if not names:
            raise ValueError(f"entity {node_id} needs at least one name")
        candidate = Candidate(node_id, None, names[0], country.upper() if country else None)
        entity_names = [(names[0], "display")] + [(n, "alias") for n in names[1:]]
        self.index.add(candidate, entity_names, list(acronyms))
        self._hits_cached.cache_clear()
        self._segment_cached.cache_clear()
        self.tree.clear()  # the new entity may be a parent named by id

    # -- resolution ---------------------------------------------------------------------------

    def resolve(self, text: str, *, country: str | None = None) -> Match | None:
        """The single best match for a name or a whole affiliation string, or None.

        ``country`` (ISO alpha-2), when the caller knows it, rules out records in other
        countries; a country named in the text is only a cue that lowers their score.
        """
        country = country.upper() if country else None
        judged = self._judged(text, country)
        if judged is not None:
            return judged
        explicit = self._ror_in_text(text)
        if explicit is not None:
            return explicit
        rejected = self.judgements.rejected(text, country) if self.judgements else set()
        segs, hits, cues = self._hits_cached(text, country)
        chosen = self._choose(hits, rejected)
        if chosen is None:
            return None
        if not self.credit_units:
            return self._to_match(chosen, segs, hits, cues)
        units = self._named_units(chosen, segs, hits, rejected)
        deepest = self.tree.deepest(units)
        if deepest is None:  # no unit named, or units in different branches: see _named_units
            return self._to_match(chosen, segs, hits, cues, untaken=units)
        return self._to_match(units[deepest], segs, hits, cues, below=chosen)

    def resolve_affiliation(self, text: str, *, country: str | None = None) -> list[Match]:
        """One match per institution named in a multi-institution string, in text order."""
        country = country.upper() if country else None
        judged = self._judged(text, country)
        if judged is not None:
            return [judged]
        rejected = self.judgements.rejected(text, country) if self.judgements else set()
        segs, hits, cues = self._hits_cached(text, country)
        out: list[Match] = []
        seen: set[str] = set()
        for si in range(len(segs)):
            chosen = self._choose([h for h in hits if h.segment == si], rejected, hits)
            if chosen is None:
                continue
            match = self._to_match(chosen, segs, hits, cues)
            if match.node_id not in seen:
                seen.add(match.node_id)
                out.append(match)
        return out

    # -- internals ----------------------------------------------------------------------------

    def _judged(self, text: str, country: str | None) -> Match | None:
        if self.judgements is None:
            return None
        judgement = self.judgements.chosen(text, country)
        if judgement is None or judgement.node_id is None:
            return None
        idx = self.index.by_node.get(judgement.node_id)
        cand = self.index.candidates[idx] if idx is not None else None
        name = cand.name if cand else judgement.node_id
        ror_id = cand.ror_id if cand else None
        if ror_id is None and judgement.node_id.startswith("ror:"):
            ror_id = judgement.node_id[4:]
        why = f"{judgement.decision} by {judgement.who} on {judgement.when}"
        if judgement.reason:
            why += f": {judgement.reason}"
        if idx is not None and self.tree.parents(idx):
            why += f"; {self._chain_text(idx)}"
        above = self._ror_chain(idx) if idx is not None else ()
        return Match(judgement.node_id, ror_id, name, 1.0, "judgement", why, text, None, above)

    def _ror_in_text(self, text: str) -> Match | None:
        found = _ROR_IN_TEXT.search(text)
        if found is None:
            return None
        ror_id = found.group(1).lower()
        idx = self.index.by_node.get(f"ror:{ror_id}")
        name = self.index.candidates[idx].name if idx is not None else ror_id
        note = "ROR id written in the text" + ("" if idx is not None else " (not a candidate)")
        if idx is not None and self.tree.parents(idx):
            note += f"; {self._chain_text(idx)}"
        above = self._ror_chain(idx) if idx is not None else ()
        return Match(
            f"ror:{ror_id}", ror_id, name, 1.0, "ror_id", note, found.group(0), None, above
        )

    def _hits_uncached(
        self, text: str, country: str | None
    ) -> tuple[list[Segment], list[Hit], list[str | None]]:
        """Segments, every hit, and the country cue that applies to each segment.

        The cue is the country given, else the last country named in the same ";"-separated
        group (multi-institution strings name one country per institution), else the last
        country named anywhere.
        """
        groups = [segments(group) for group in text.split(";")]
        named = [seg.country for group in groups for seg in group if seg.country]
        fallback = country or (named[-1] if named else None)
        segs: list[Segment] = []
        cues: list[str | None] = []
        for group in groups:
            own = [seg.country for seg in group if seg.country]
            cue = country or (own[-1] if own else fallback)
            segs.extend(group)
            cues.extend([cue] * len(group))
        per_segment: list[list[Hit]] = []
        for si, seg in enumerate(segs):
            found = [self._adjusted(h, cues[si]) for h in self._segment_cached(seg, cues[si])]
            if si and found and all(h.method == "acronym" for h in found):
                found = self._unless_spelled_out(found, seg, segs[si - 1])
            per_segment.append(found if si == 0 else [h._replace(segment=si) for h in found])
        for si in range(len(segs) - 1):
            if per_segment[si + 1]:  # the second part names an institution by itself
                continue
            joined = [
                self._adjusted(h, cues[si + 1])
                for h in merged_hits(self.index, segs[si], segs[si + 1], si + 1)
            ]
            if joined:  # the name spans both parts: it replaces what each part said alone
                per_segment[si] = []
                per_segment[si + 1] = joined
        hits = [h for found in per_segment for h in found]
        if country:  # given by the caller: a fact about the institution, not a cue in the text
            places = self.index.candidates
            hits = [h for h in hits if places[h.candidate].country in (None, country)]
        return segs, hits, cues

    def _unless_spelled_out(self, hits: list[Hit], seg: Segment, before: Segment) -> list[Hit]:
        """Acronym hits, unless the part before spells the acronym out as another name.

        "Institute for Lung Health (ILH)": ILH abbreviates the name just written, so it names
        the record that acronym belongs to only if that record is called so ("Koninklijk
        Nederlands Instituut voor Onderzoek der Zee (NIOZ)" is a name of NIOZ's record).
        """
        if not spelled_out(seg.raw.strip(), before):
            return hits
        written = fold(before.raw)
        return [
            hit
            for hit in hits
            if any(
                fuzz.partial_ratio(entry.folded, written) >= SPELLED_NAME_RATIO
                for entry in self.index.names_of(hit.candidate)
            )
        ]

    def _segment_uncached(self, seg: Segment, cue: str | None) -> tuple[Hit, ...]:
        return tuple(segment_hits(self.index, seg, 0, cue, units=self.credit_units))

    def _adjusted(self, hit: Hit, cue: str | None) -> Hit:
        """The hit with its score lowered when the record's country contradicts the cue."""
        country = self.index.candidates[hit.candidate].country
        if cue is None or country is None or country == cue:
            return hit
        note = f"{hit.note}; record is in {country}, the text points to {cue}"
        return hit._replace(score=round(hit.score - COUNTRY_PENALTY, 4), note=note)

    def _choose(
        self, hits: list[Hit], rejected: set[str], context: list[Hit] | None = None
    ) -> Hit | None:
        """The institution credited: the last part of the string that names one unambiguously.

        Affiliation strings run from the most specific unit to the institution ("Department,
        State Key Lab, University"); publishers credit the institution at the end, also when
        an earlier unit has a ROR record of its own (on the train half of the gold sets the
        parent named last is the asserted record about four times in five). ``context`` are
        the hits of the whole string (default: ``hits``): they settle a part that names several
        records equally ("Institute of Physics") and the country most records are in.
        """
        usable = [h for h in hits if self.index.candidates[h.candidate].node_id not in rejected]
        context = usable if context is None else context
        best_per_segment: list[Hit] = []
        for si in sorted({h.segment for h in usable}):
            own = [h for h in usable if h.segment == si]
            pick = self._disambiguate(own, context)
            if pick is not None and pick.score >= self.threshold:
                best_per_segment.append(pick)
        if not best_per_segment:
            return None
        # An acronym is the weakest evidence: used only when no part names an institution.
        named_parts = [h for h in best_per_segment if h.method != "acronym"]
        return self._in_main_country(named_parts or best_per_segment)

    def _in_main_country(self, picks: list[Hit]) -> Hit:
        """The last pick, passing over those outside the country most picks are in.

        The units of one affiliation sit in one country: a string naming two Chinese records
        and then "McGovern Institute for Brain Research" means Peking University's institute
        of that name, not MIT's. Only a strict majority counts: with one record per country
        (two affiliations in one string) the last pick is credited as before.
        """
        if len(picks) == 1:
            return picks[0]
        countries = [self.index.candidates[h.candidate].country for h in picks]
        counts = Counter(c for c in countries if c)
        ranked = counts.most_common(2)
        if len(ranked) < 2 or ranked[0][1] == ranked[1][1]:
            return picks[-1]
        main = ranked[0][0]
        kept = [h for h, c in zip(picks, countries, strict=True) if c in (main, None)]
        chosen = kept[-1]
        passed = [h for h, c in zip(picks, countries, strict=True) if h.segment > chosen.segment]
        if passed:
            cand = self.index.candidates[passed[-1].candidate]
            note = (
                f"{chosen.note}; '{passed[-1].matched_text}' (a record in {cand.country}) "
                f"passed over: the other records named are in {main}"
            )
            chosen = chosen._replace(note=note)
        return chosen

    def _disambiguate(self, hits: list[Hit], context: Sequence[Hit] = ()) -> Hit | None:
        """Best hit of one segment, skipping evidence that fits two candidates equally well.

        A tie is settled by status (the one active record), else by the ``context`` (hits of
        the whole string): the one tied record that is part of, or the parent of, a record
        named in another part ("Institute of Physics, Chinese Academy of Sciences"). Weaker
        evidence over the same words as a tie left unsettled is not taken: it is no better a
        guess ("Institute of Physics" alone is not the Slovak institute that has it as alias).
        """
        groups: dict[tuple[float, int], dict[int, Hit]] = {}
        for hit in hits:
            groups.setdefault((-hit.score, hit.start), {}).setdefault(hit.candidate, hit)
        tied: set[int] = set()  # word positions of ties left unsettled
        for _rank, by_candidate in sorted(groups.items()):
            spans = {k for h in by_candidate.values() for k in range(h.start, h.start + h.length)}
            if tied and spans & tied:
                continue
            if len(by_candidate) == 1:
                return next(iter(by_candidate.values()))
            active = [
                h
                for h in by_candidate.values()
                if self.index.candidates[h.candidate].status == "active"
            ]
            if len(active) == 1:
                return active[0]
            settled = self._by_context(active or list(by_candidate.values()), context)
            if settled is not None:
                return settled
            tied |= spans
        return None

    def _by_context(self, tie: list[Hit], hits: Sequence[Hit]) -> Hit | None:
        """The one hit of a tie related (parent or part) to a record named in another part."""
        segment = tie[0].segment
        context = {h.candidate for h in hits if h.segment != segment and h.score >= self.threshold}
        if not context:
            return None
        above = {c: self.tree.ancestors(c) for c in context}
        related = [
            hit
            for hit in tie
            if context & self.tree.ancestors(hit.candidate)
            or any(hit.candidate in above[c] for c in context)
        ]
        if len(related) != 1:
            return None
        hit = related[0]
        note = f"{hit.note}; {len(tie)} records have this name, settled by a related record"
        return hit._replace(note=note)

    def _named_units(
        self, anchor: Hit, segs: list[Segment], hits: list[Hit], rejected: set[str]
    ) -> dict[int, Hit]:
        """The records the text names below ``anchor``, with the evidence for each.

        They are records named at or above the threshold (acronyms aside: too weak to credit a
        unit on) that ``anchor`` is an ancestor of, each the strongest evidence over its words,
        and names that count for units only (``units``: "Center for Life Sciences, Peking
        University", "Shanghai Medical College, Fudan University"). The one whose parent chain
        holds all the others is credited ("Kunming Institute of Botany, Chinese Academy of
        Sciences" → the institute); units in different branches (two institutes of one
        academy) credit none of them and ``anchor`` stays.
        """
        below: dict[int, Hit] = {}
        if not self.tree.has_units(anchor.candidate):
            return below
        evidence = hits + unit_hits(self.index, self.tree, anchor.candidate, segs)
        for hit in evidence:
            if (
                hit.method == "acronym"
                or hit.score < self.threshold
                or self.index.candidates[hit.candidate].node_id in rejected
                or anchor.candidate not in self.tree.ancestors(hit.candidate)
                or _outranked(hit, evidence)
            ):
                continue
            if hit.candidate not in below or hit.score > below[hit.candidate].score:
                below[hit.candidate] = hit
        return below

    def _ror_chain(self, candidate: int) -> tuple[str, ...]:
        """The ROR ids above ``candidate``, nearest first (records without one are left out)."""
        candidates = self.index.candidates
        above = (candidates[c].ror_id for level in self.tree.levels(candidate) for c in level)
        return tuple(ror_id for ror_id in above if ror_id)

    def _chain_text(self, candidate: int) -> str:
        """ "unit 'X' of 'Y' (ror id), of 'Z' (ror id)": the record and every level above it."""
        candidates = self.index.candidates

        def one(c: int) -> str:
            return f"'{candidates[c].name}' ({candidates[c].ror_id or candidates[c].node_id})"

        levels = [" and ".join(one(c) for c in level) for level in self.tree.levels(candidate)]
        return f"unit '{candidates[candidate].name}' of " + ", of ".join(levels)

    def _to_match(
        self,
        hit: Hit,
        segs: list[Segment],
        hits: list[Hit],
        cues: list[str | None],
        *,
        below: Hit | None = None,
        untaken: dict[int, Hit] | None = None,
    ) -> Match:
        """The match for ``hit``, explained. ``below``: the institution a credited unit is
        below; ``untaken``: units named but not credited (default: read from ``hits``)."""
        cand = self.index.candidates[hit.candidate]
        parts = [hit.note]
        cue = cues[hit.segment]
        if cue and cand.country in (cue, None):
            parts.append(f"country cue {cue}" + ("" if cand.country else " (record has none)"))
        skipped = [s.raw for s in segs[: hit.segment] if is_unit_only(list(s.words))]
        if skipped:
            parts.append(f"rolled up from '{skipped[0]}'")
        parts += self._hierarchy_notes(hit, hits, below, untaken)
        return Match(
            cand.node_id,
            cand.ror_id,
            cand.name,
            round(hit.score, 4),
            hit.method,
            "; ".join(parts),
            hit.matched_text,
            cand.country,
            self._ror_chain(hit.candidate),
        )

    def _hierarchy_notes(
        self, hit: Hit, hits: list[Hit], below: Hit | None, untaken: dict[int, Hit] | None
    ) -> list[str]:
        """What the explanation says about the records above and below the credited one."""
        candidates = self.index.candidates
        notes = [self._chain_text(hit.candidate)] if self.tree.parents(hit.candidate) else []
        if below is not None:
            name = candidates[below.candidate].name
            notes.append(f"the most specific record named; '{name}' above it is named too")
            notes[-1] += f" ({below.note})"
        else:
            named = {h.candidate for h in hits if h.score >= self.threshold}
            for parent in sorted(self.tree.ancestors(hit.candidate) & named):
                notes.append(f"part of '{candidates[parent].name}', also named in the text")
        if untaken is None:
            untaken = {
                h.candidate: h
                for h in hits
                if h.segment != hit.segment
                and h.score >= self.threshold
                and hit.candidate in self.tree.ancestors(h.candidate)
            }
        # Units named but not credited (in different branches) are named, not hidden: an
        # investigator may want the more specific one.
        if untaken:
            listed = "', '".join(sorted(candidates[c].name for c in untaken))
            notes.append(f"the text also names its unit(s) '{listed}', with records of their own")
        return notes


def _outranked(hit: Hit, hits: list[Hit]) -> bool:
    """Whether stronger evidence for another record covers some of ``hit``'s words."""
    end = hit.start + hit.length
    return any(
        other.segment == hit.segment
        and other.candidate != hit.candidate
        and other.score > hit.score
        and other.start < end
        and hit.start < other.start + other.length
        for other in hits
    )
