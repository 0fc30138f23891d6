"""Institution resolution: affiliation strings and names → ROR records or watchlist entities.

Public API: :class:`Resolver` (``from_ror``, ``from_store``, ``add_entity``, ``resolve``,
``resolve_affiliation``), :class:`Match`, and :class:`JudgementLog` for investigators' decisions.

How a string is resolved (modules in brackets):

1. A judgement in force for the same text (and country) wins; a rejected pair is never
   returned [judgements]. A ROR id written in the text wins next.
2. The string is split into parts at commas, semicolons, slashes and brackets; each part is
   folded (case, accents, punctuation, "&"), abbreviations are expanded ("Inst. Technol."),
   numbers dropped (no name runs across one: "… Technology 1088 Xueyuan Avenue"), and a
   trailing country name is read as a country cue [normalise].
3. Each part is looked up [matching, index]: the whole part as a name (exact, normalised,
   alias, or with spacing ignored); else an acronym (only when nothing else names an
   institution); else names inside the part, longest first, never a name followed by "of …"
   unless what follows is itself a name; else a near spelling with rapidfuzz over the names
   that share the part's rarest words (blocking, never all-pairs). Sub-unit names ("School of
   Medicine") are never matched alone, so departments roll up to the institution after them.
4. A record in another country than the cue loses score. Evidence that fits two records
   equally is settled by status, else by a record named elsewhere in the string that one of
   them is part of or the parent of ("Chinese Academy of Sciences, Institute of Physics");
   otherwise it is dropped, and so is weaker evidence over the same words. The institution
   the string belongs to is the last part that names one unambiguously at or above the
   threshold (affiliations run from unit to institution), passing over a record outside the
   country most named records are in.
5. The most specific record named is credited [resolver, hierarchy, units]: of the records
   the string names below that institution through parent links (ROR ``parent``, PART_OF in
   a store), the one whose parent chain holds all the others ("Institute of Computing
   Technology, Chinese Academy of Sciences" → the institute). A unit without a record of its
   own leaves the institution credited, and so do units in different branches (two institutes
   of one academy), which the explanation names. Some names count for units only, next to
   their parent: a bare unit name as a whole part ("Center for Life Sciences, Peking
   University"), and a unit's name cut by a comma before its parent's ("Shanghai Medical
   College, Fudan University"). ``Match.ror_ancestors`` lists the ROR ids above the credited
   record, nearest first, and the explanation names the chain ("unit 'X' of 'Y' (id)").
"""

from __future__ import annotations

from .judgements import Judgement, JudgementError, JudgementLog, judgements_path
from .resolver import Match, Resolver

__all__ = ["Judgement", "JudgementError", "JudgementLog", "Match", "Resolver", "judgements_path"]
