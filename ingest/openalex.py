"""OpenAlex works → Researchers, Papers, Institutions, AUTHORED and AFFILIATED_WITH.

Reads API pages, JSON lines and the snapshot's gzipped part files (see ingest/sources.py).
Institutions use their ROR id when OpenAlex gives one (so they meet the ROR records), else the
OpenAlex institution id; the AFFILIATED_WITH edge records which (method ``ror_id`` or
``openalex_id``) with score 1.0, since OpenAlex asserted the link itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from collabgraph.graph import ids
from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship

from .pipeline import IngestRun, Provenance, RejectedRecord, RejectWriter, Summary, file_date
from .sources import iter_json_records
from .technologies import Tagger

DATASET = "openalex"
EARLIEST_YEAR = 1600


def rebuild_abstract(index: Any) -> str | None:
    """Rebuild the abstract text from OpenAlex's ``abstract_inverted_index`` (word → positions)."""
    if not isinstance(index, dict) or not index:
        return None
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            continue
        for pos in positions:
            if isinstance(pos, int) and pos >= 0:
                slots[pos] = str(word)
    return " ".join(slots[p] for p in sorted(slots)) or None


def _names(items: Any, key: str = "display_name") -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(i[key]) for i in items if isinstance(i, dict) and i.get(key)]


def check_year(value: Any) -> int:
    """The year, or :class:`RejectedRecord` when it is missing, not a number or impossible."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RejectedRecord(f"publication_year {value!r} is not an integer")
    latest = datetime.now(UTC).year + 1
    if not EARLIEST_YEAR <= value <= latest:
        raise RejectedRecord(f"publication_year {value} is impossible")
    return value


def work_records(
    work: Any, prov: Provenance, record: str
) -> tuple[Node, list[Node], list[Relationship]]:
    """The paper node, other nodes and relationships of one OpenAlex work object."""
    if not isinstance(work, dict):
        raise RejectedRecord(f"a work must be a JSON object, not {type(work).__name__}")
    short = ids.openalex_short(work.get("id") if isinstance(work.get("id"), str) else None)
    if not short or not short.startswith("W"):
        raise RejectedRecord(f"missing or invalid work id {work.get('id')!r}")
    title = work.get("title") or work.get("display_name")
    if not isinstance(title, str) or not title.strip():
        raise RejectedRecord("missing title")
    year = check_year(work.get("publication_year"))
    authorships = work.get("authorships") or []
    if not isinstance(authorships, list):
        raise RejectedRecord("authorships is not a list")
    paper_id = f"openalex:{short}"
    source_record = f"https://openalex.org/{short}"
    topics = _names(work.get("topics"))
    primary = work.get("primary_topic")
    if isinstance(primary, dict) and primary.get("display_name"):
        topics = list(dict.fromkeys([str(primary["display_name"]), *topics]))
    doi = ids.doi_short(work.get("doi")) if isinstance(work.get("doi"), str) else None
    paper = Node(
        "Paper",
        paper_id,
        prov.stamp(
            {
                "title": title.strip(),
                "year": year,
                "doi": doi,
                "openalex_id": short,
                "abstract": rebuild_abstract(work.get("abstract_inverted_index")),
                "keywords": _names(work.get("keywords")),
                "topics": topics,
            },
            source_record,
        ),
    )
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for authorship in authorships:
        if isinstance(authorship, dict):
            _authorship(authorship, paper_id, year, prov, source_record, nodes, rels)
    return paper, nodes, rels


def _authorship(
    authorship: dict[str, Any],
    paper_id: str,
    year: int,
    prov: Provenance,
    record: str,
    nodes: list[Node],
    rels: list[Relationship],
) -> None:
    author = authorship.get("author") or {}
    name = author.get("display_name") or authorship.get("raw_author_name")
    if not isinstance(name, str) or not name.strip():
        return  # an authorship with no name and no id says nothing we can keep
    a_short = ids.openalex_short(author.get("id"))
    orcid = ids.orcid_short(author.get("orcid"))
    person_id = ids.researcher_id(
        openalex=author.get("id"), orcid=orcid, name=name, context=paper_id
    )
    raw_name = authorship.get("raw_author_name")
    variants = [raw_name] if isinstance(raw_name, str) and raw_name.strip() != name else []
    nodes.append(
        Node(
            "Researcher",
            person_id,
            prov.stamp(
                {
                    "name": name.strip(),
                    "name_variants": variants,
                    "openalex_id": a_short,
                    "orcid": orcid,
                },
                record,
            ),
        )
    )
    raw_affs = [s.strip() for s in authorship.get("raw_affiliation_strings") or [] if s]
    position = authorship.get("author_position")
    rels.append(
        Relationship(
            "AUTHORED",
            person_id,
            paper_id,
            prov.stamp(
                {
                    "author_position": position if isinstance(position, str) else None,
                    "raw_affiliations": raw_affs,
                    "year": year,
                },
                record,
            ),
        )
    )
    raw_by_inst = _raw_affiliation_by_institution(authorship)
    for inst in authorship.get("institutions") or []:
        if not isinstance(inst, dict) or not inst.get("display_name"):
            continue
        ror_short = ids.ror_short(inst.get("ror"))
        oa_short = ids.openalex_short(inst.get("id"))
        if not ror_short and not oa_short:
            continue
        inst_id = ids.institution_id(ror=inst.get("ror"), openalex=inst.get("id"))
        country = inst.get("country_code")
        kind = inst.get("type")
        nodes.append(
            Node(
                "Institution",
                inst_id,
                prov.stamp(
                    {
                        "name": str(inst["display_name"]),
                        "names": [str(inst["display_name"])],
                        "ror_id": ror_short,
                        "openalex_id": oa_short,
                        "country": country if isinstance(country, str) else None,
                        "types": [kind] if isinstance(kind, str) else [],
                    },
                    record,
                ),
            )
        )
        rels.append(
            Relationship(
                "AFFILIATED_WITH",
                person_id,
                inst_id,
                prov.stamp(
                    {
                        "years": [year],
                        "evidence_papers": [paper_id],
                        "method": "ror_id" if ror_short else "openalex_id",
                        "score": 1.0,
                        "raw_affiliation": raw_by_inst.get(str(inst.get("id"))),
                    },
                    record,
                ),
            )
        )


def _raw_affiliation_by_institution(authorship: dict[str, Any]) -> dict[str, str]:
    """OpenAlex institution id → the raw affiliation string it was derived from."""
    out: dict[str, str] = {}
    for aff in authorship.get("affiliations") or []:
        if not isinstance(aff, dict) or not isinstance(aff.get("raw_affiliation_string"), str):
            continue
        for inst_id in aff.get("institution_ids") or []:
            out.setdefault(str(inst_id), aff["raw_affiliation_string"].strip())
    return out


def ingest_openalex(
    store: Store,
    paths: Iterable[Path],
    *,
    rejects: RejectWriter,
    version: str | None = None,
    quiet: bool = True,
) -> Summary:
    """Ingest OpenAlex works files into ``store``; bad records go to ``rejects``.

    Papers are tagged with critical technologies on the way in when Technology nodes exist.
    """
    tagger = Tagger.from_store(store)
    with IngestRun(store, "openalex", rejects=rejects, quiet=quiet) as run:
        for path in paths:
            prov = Provenance(DATASET, version or file_date(path))
            for raw in iter_json_records(path):
                if not run.read(path, raw):
                    continue
                built = run.build(path, raw, work_records, raw.data, prov, raw.locator)
                if built is None:
                    continue
                paper, nodes, rels = built
                tags = tagger.tag(paper) if tagger else []
                run.write(path, raw, [paper, *nodes], [*rels, *tags])
    return run.summary
