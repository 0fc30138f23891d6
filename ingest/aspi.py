"""The ASPI China Defence Universities Tracker (MISP galaxy JSON) → LISTED_ON and MILITARY_LINK.

Each ``values[]`` entry is an institution: ``value`` is "English name (Chinese name)",
``meta.categories`` its ASPI category, ``meta["supervising agencies"]`` the bodies that run it,
``meta["major defence laboratories"]`` the defence labs it hosts, ``meta.subsidiaries`` its
subsidiaries. The export has no ASPI risk rating: the tier comes from ingest/tiers.toml.

MILITARY_LINK kinds written:
- ``seven_sons``: a "Seven sons of national defence" university → its supervising MIIT body;
- ``pla_affiliated``: an institution → a supervising military body (CMC, PLA services, PAP);
- ``defence_conglomerate``: an institution → a supervising defence-industry group, and a
  subsidiary of a listed conglomerate → that conglomerate;
- ``supervised_by``: an institution → any other supervising agency (SASTIND, MOE, MIIT, …);
- ``defence_lab``: an institution → a major defence laboratory it hosts.
Agencies and labs are not sent through the resolver (their generic names, "Ministry of
Education", "National Key Laboratory of …", would invite false matches); they are Institution
nodes keyed by name and country CN.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from collabgraph.graph import ids
from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship

from .linking import load_resolver
from .pipeline import IngestRun, Provenance, RejectedRecord
from .sources import InputError, RawRecord
from .watchlists import (
    ListLinker,
    TierMap,
    has_chinese,
    listed_on,
    risk_list,
    split_acronyms,
    split_bilingual,
)

DATASET = "aspi-china-defence-universities"
VERSION = "2020-08-22"  # the MISP galaxy file's last change (scraped August 2020)
LIST_ID = ids.hashed_id("risklist", DATASET)
SEVEN_SONS = "Seven sons of national defence"
_MILITARY = re.compile(r"^(PLA\b|Central Military Commission|People's Armed Police)")
_CONGLOMERATE = re.compile(
    r"(Corporation|Group|Industries|AVIC|CNNC|CETC|Norinco|CSGC|COMAC|CASC|CASIC)", re.I
)


def agency_parts(text: str) -> tuple[str, list[str]]:
    """``"Ministry of Industry and Information Technology (MIIT)"`` → name, [acronym]."""
    match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", text.strip())
    if match and not has_chinese(match.group(2)):
        return match.group(1).strip(), [match.group(2).strip()]
    return text.strip(), []


_LAB_WORD = re.compile(r"\b(Lab|Laboratory|Laboratories|Center|Centre|Institute)\b", re.I)
_NOTE_START = re.compile(r"^(This|These|It|Located|May|Also|See|Note)\b")


def is_lab_name(text: str) -> bool:
    """False for the scrape's notes in the labs list ("Located in the Department of …")."""
    english = split_bilingual(text)[0]
    return bool(_LAB_WORD.search(english)) and not _NOTE_START.match(english.strip())


def _agency_kind(name: str, acronyms: list[str]) -> str:
    if _MILITARY.match(name):
        return "pla_affiliated"
    if name.startswith(("State-owned", "State Administration", "Ministry")):
        return "supervised_by"
    if _CONGLOMERATE.search(name) or any(_CONGLOMERATE.search(a) for a in acronyms):
        return "defence_conglomerate"
    return "supervised_by"


def _side_node(
    text: str, kind: str, prov: Provenance, record: str, linker: ListLinker
) -> Node | None:
    """An agency, lab or subsidiary named in an entry.

    It is the reference institution whose name it is exactly (the Chinese Academy of Sciences
    as a supervising body is ROR's CAS), else a node keyed by its English name and CN.
    """
    english, chinese = split_bilingual(text)
    name, acronyms = agency_parts(english)
    name = name or chinese or ""
    if not name:
        return None
    names_zh = [chinese] if chinese else []
    target = linker.exact_target(name, "CN")
    if target is not None:
        return Node(
            "Institution",
            target,
            prov.stamp(
                {
                    "name": linker.display_name(target, name),
                    "names_zh": names_zh,
                    "acronyms": acronyms,
                },
                record,
            ),
        )
    return Node(
        "Institution",
        ids.institution_id(name=name, country="CN"),
        prov.stamp(
            {
                "name": name,
                "names": [name],
                "acronyms": acronyms,
                "names_zh": names_zh,
                "country": "CN",
                "types": [kind],
            },
            record,
        ),
    )


def entry_records(
    entry: Any, linker: ListLinker, tiers: TierMap, prov: Provenance, record: str
) -> tuple[list[Node], list[Relationship]]:
    """Nodes and relationships of one tracker entry (raises RejectedRecord when unusable)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
        raise RejectedRecord("entry has no 'value' name")
    meta: dict[str, Any] = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
    english, chinese = split_bilingual(entry["value"])
    if not english:
        raise RejectedRecord("entry has an empty name")
    categories = [str(c) for c in meta.get("categories") or []]
    alias_list = [str(a) for a in meta.get("aliases") or [] if str(a).strip()]
    names_zh = list(
        dict.fromkeys([*([chinese] if chinese else []), *(a for a in alias_list if has_chinese(a))])
    )
    acronyms, aliases = split_acronyms(a for a in alias_list if not has_chinese(a))
    aliases = [a for a in aliases if a != english]
    inst, link = linker.link(
        english,
        country="CN",
        aliases=aliases,
        names_zh=names_zh,
        acronyms=acronyms,
        prov=prov,
        record=record,
        list_id=LIST_ID,
        listed_name=entry["value"],
    )
    tier = max((tiers.tier("aspi", c) for c in categories), default=tiers.tier("aspi"))
    refs = [str(r) for r in meta.get("refs") or []]
    nodes: list[Node] = [inst]
    rels: list[Relationship] = [
        listed_on(
            inst.id,
            LIST_ID,
            link,
            {
                "tier": tier.label,
                "category": "; ".join(categories) or None,
                "as_of": VERSION,
                "source_url": refs[0] if refs else None,
                "listed_name": entry["value"],
            },
            prov,
            record,
        )
    ]

    def link_to(other: Node | None, kind: str, detail: str) -> None:
        if other is None or other.id == inst.id:
            return
        nodes.append(other)
        rels.append(
            Relationship(
                "MILITARY_LINK",
                inst.id,
                other.id,
                prov.stamp(
                    {"kind": kind, "detail": detail, "method": "aspi_tracker", "score": 1.0}, record
                ),
            )
        )

    for agency in meta.get("supervising agencies") or []:
        node = _side_node(str(agency), "government", prov, record, linker)
        if node is None:
            continue
        kind = _agency_kind(node.props["name"], node.props.get("acronyms", []))
        if kind == "pla_affiliated":
            node = Node(node.label, node.id, {**node.props, "types": ["military"]})
        link_to(node, kind, f"supervising agency: {agency}")
        if SEVEN_SONS in categories and "MIIT" in node.props.get("acronyms", []):
            link_to(node, "seven_sons", f"{SEVEN_SONS}, supervised by {agency}")
    for lab in meta.get("major defence laboratories") or []:
        if not is_lab_name(str(lab)):
            continue
        link_to(
            _side_node(str(lab), "facility", prov, record, linker),
            "defence_lab",
            f"major defence laboratory: {lab}",
        )
    if "Defence industry conglomerate" in categories:
        for sub in meta.get("subsidiaries") or []:
            child = _side_node(str(sub), "company", prov, record, linker)
            if child is None or child.id == inst.id:
                continue
            nodes.append(child)
            rels.append(
                Relationship(
                    "MILITARY_LINK",
                    child.id,
                    inst.id,
                    prov.stamp(
                        {
                            "kind": "defence_conglomerate",
                            "detail": f"subsidiary of {english}",
                            "method": "aspi_tracker",
                            "score": 1.0,
                        },
                        record,
                    ),
                )
            )
    return nodes, rels


def ingest_aspi(
    store: Store, path: Path, tiers: TierMap, run: IngestRun, version: str | None
) -> None:
    """Ingest one MISP galaxy file of the ASPI tracker into the run."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"{path}: cannot read the ASPI galaxy JSON ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise InputError(f"{path}: not a MISP galaxy cluster file (no 'values' list)")
    prov = Provenance(DATASET, version or VERSION)
    rl = risk_list(
        LIST_ID,
        {
            "name": "ASPI China Defence Universities Tracker",
            "publisher": "ASPI ICPC",
            "as_of": VERSION,
            "url": "https://unitracker.aspi.org.au/",
            "licence": "MISP galaxy CC0-1.0 / BSD-2-Clause; descriptions by ASPI",
        },
        prov,
    )
    run.write(None, None, [rl], [], count=False)
    linker = ListLinker(store, load_resolver(store))
    for index, entry in enumerate(doc["values"]):
        raw = RawRecord(
            f"{path.name}#values[{index}]", json.dumps(entry, ensure_ascii=False), entry
        )
        if not run.read(path, raw):
            continue
        try:
            nodes, rels = entry_records(entry, linker, tiers, prov, raw.locator)
        except RejectedRecord as exc:
            run.reject(path, raw, str(exc))
            continue
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            # A field of an unexpected type inside the entry: reject it, keep the run going.
            run.reject(path, raw, f"unexpected structure ({type(exc).__name__}: {exc})")
            continue
        run.write(path, raw, nodes, rels)
