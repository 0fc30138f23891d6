"""Risk lists → RiskList nodes and LISTED_ON assertions (ASPI, US DoD §1286, an office's CSV).

Each listed entity is linked to an Institution through the resolver (its names, aliases and
Chinese names are tried in turn, with the list's country); the resolver's method and score go
on LISTED_ON. A listed entity the resolver cannot place becomes an Institution of its own
(method ``listed_name``), so no listing is lost. The tier each source and category yields comes
from ingest/tiers.toml (see its header: the defaults are a proxy). The effective tier on the
Institution is recomputed by ingest/derive.py after every ingest.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from collabgraph.graph import ids
from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier

from .linking import ResolverLike, Targets, accept, has_judgement, link_props, load_resolver
from .pipeline import IngestRun, Provenance, RejectedRecord, RejectWriter, Summary, file_date
from .sources import InputError, iter_csv_records

FORMATS = ("aspi", "dod1286", "csv")
COUNTRIES = {"china": "CN", "russia": "RU", "iran": "IR", "north korea": "KP", "belarus": "BY"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")


@dataclass(frozen=True)
class TierMap:
    """The tier mapping file: per source a default tier and per-category tiers."""

    data: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> TierMap:
        try:
            if path is None:
                text = (
                    resources.files("collabgraph.ingest")
                    .joinpath("tiers.toml")
                    .read_text(encoding="utf-8")
                )
            else:
                text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(
                f"{path or 'ingest/tiers.toml'}: cannot read the tiers ({exc})"
            ) from exc
        shapeless = [k for k, v in data.items() if not isinstance(v, dict)]
        if not data or shapeless:
            found = f"{', '.join(map(repr, shapeless))} not a table" if data else "empty"
            raise InputError(
                f"{path}: not a tiers file ({found}); expected [aspi], [dod1286] or [csv] "
                "tables with default and categories, as in ingest/tiers.toml"
            )
        mapping = cls(data)
        for source in data:
            for category in [None, *data[source].get("categories", {})]:
                mapping.tier(source, category)  # fail now, naming the bad tier, not mid-ingest
        return mapping

    def tier(self, source: str, category: str | None = None) -> Tier:
        section = self.data.get(source, {})
        text = section.get("categories", {}).get(category) if category else None
        return Tier.parse(text or section.get("default") or "medium")


def split_bilingual(value: str) -> tuple[str, str | None]:
    """``"Harbin Engineering University (哈尔滨工程大学)"`` → English name, Chinese name."""
    text = value.strip()
    match = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]?\s*$", text)
    if match and re.search(r"[\u4e00-\u9fff]", match.group(2)):
        return match.group(1).strip(), match.group(2).strip()
    return text, None


def split_acronyms(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Aliases that look like acronyms (``HEU``, ``NUAA``) apart from the other aliases."""
    acronyms: list[str] = []
    aliases: list[str] = []
    for name in names:
        (acronyms if _ACRONYM.match(name.strip()) else aliases).append(name.strip())
    return acronyms, aliases


def has_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def risk_list(list_id: str, props: dict[str, Any], prov: Provenance) -> Node:
    return Node("RiskList", list_id, prov.stamp(props, list_id))


class ListLinker:
    """Links listed names to Institutions, creating one for a name nothing matches."""

    def __init__(self, store: Store, resolver: ResolverLike) -> None:
        self.view: GraphView = store.view()
        self.resolver = resolver
        self.targets = Targets(store)
        self._names: dict[str, str] = {}
        self._own: set[str] = set()
        self._decided: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}

    def previous(self, list_id: str, listed_name: str) -> tuple[str, dict[str, Any]] | None:
        """How this list linked this name before (an earlier ingest), if it did.

        Reusing the decision keeps re-ingesting idempotent: the names a list adds to an
        institution would otherwise change how the resolver scores the same name next time.
        """
        if list_id not in self._decided:
            found: dict[str, tuple[str, dict[str, Any]]] = {}
            for rel, _ in self.view.neighbours(list_id, types=["LISTED_ON"], direction="in"):
                listed = rel.props.get("listed_name")
                if listed and rel.props.get("method") is not None:
                    link = {"method": rel.props["method"], "score": rel.props.get("score", 0.0)}
                    found.setdefault(str(listed), (rel.start, link))
            self._decided[list_id] = found
        return self._decided[list_id].get(listed_name)

    def link(
        self,
        name: str,
        *,
        country: str | None,
        aliases: Iterable[str] = (),
        names_zh: Iterable[str] = (),
        acronyms: Iterable[str] = (),
        prov: Provenance,
        record: str,
        list_id: str,
        listed_name: str,
    ) -> tuple[Node, dict[str, Any]]:
        """The Institution node to upsert (with the list's names added) and the link props."""
        aliases, names_zh, acronyms = list(aliases), list(names_zh), list(acronyms)
        own_id = ids.institution_id(name=name, country=country)
        before = self.previous(list_id, listed_name)
        if before is not None and not any(
            has_judgement(self.resolver, t, country) for t in (name, *names_zh, *aliases)
        ):
            return self._node(
                before[0], own_id, name, country, aliases, names_zh, acronyms, prov, record
            ), dict(before[1])
        match = None
        # Acronyms are kept as names but never tried alone: "SEU" is both Southeast University
        # and Space Engineering University.
        tries = [name, *names_zh, *aliases]
        bare = re.sub(r"\s*\([^()]*\)\s*$", "", name)
        if bare and bare != name:
            tries.insert(1, bare)  # "Chinese Academy of Engineering Physics (CAEP)"
        for text in tries:
            match = accept(self.resolver.resolve(text, country=country), text, country)
            if match is not None and (
                str(match.node_id) in self._own or self.targets.allowed(str(match.node_id))
            ):
                break
            match = None
        if match is not None and str(match.node_id) != own_id:
            node_id, props = str(match.node_id), link_props(match)
        else:
            node_id, props = own_id, {"method": "listed_name", "score": 1.0}
        node = self._node(node_id, own_id, name, country, aliases, names_zh, acronyms, prov, record)
        if node_id == own_id and own_id not in self._own:
            self._own.add(own_id)
            self.resolver.add_entity(
                node_id, [name, *aliases, *names_zh], country=country, acronyms=acronyms
            )
        return node, props

    def _node(
        self,
        node_id: str,
        own_id: str,
        name: str,
        country: str | None,
        aliases: list[str],
        names_zh: list[str],
        acronyms: list[str],
        prov: Provenance,
        record: str,
    ) -> Node:
        display = self._display_name(node_id, name)
        return Node(
            "Institution",
            node_id,
            prov.stamp(
                {
                    "name": display,
                    "names": [name, *aliases],
                    "aliases": aliases,
                    "names_zh": names_zh,
                    "acronyms": acronyms,
                    "country": country if node_id == own_id else None,
                },
                record,
            ),
        )

    def exact_target(self, name: str, country: str | None) -> str | None:
        """A reference institution named exactly ``name`` (no normalising, no fuzz), if any."""
        match = accept(self.resolver.resolve(name, country=country), name, country)
        if match is None or str(match.method) != "exact" or float(match.score) < 1.0:
            return None
        node_id = str(match.node_id)
        return node_id if self.targets.allowed(node_id) else None

    def display_name(self, node_id: str, fallback: str) -> str:
        return self._display_name(node_id, fallback)

    def _display_name(self, node_id: str, fallback: str) -> str:
        # Keep the ROR display name of a matched node: `name` is replaced on every upsert.
        if node_id not in self._names:
            existing = self.view.get_node(node_id)
            self._names[node_id] = str(existing.props["name"]) if existing else fallback
        return self._names[node_id]


def listed_on(
    inst_id: str,
    list_id: str,
    link: dict[str, Any],
    props: dict[str, Any],
    prov: Provenance,
    record: str,
) -> Relationship:
    merged = {**props, "method": link["method"], "score": link["score"]}
    return Relationship("LISTED_ON", inst_id, list_id, prov.stamp(merged, record))


def _fiscal_year(text: str) -> int:
    try:
        year = int(str(text).strip()[:4])
    except ValueError:
        raise RejectedRecord(f"report-date {text!r} is not a fiscal year") from None
    if not 2019 <= year <= 2100:
        raise RejectedRecord(f"report-date {text!r} is not a plausible fiscal year")
    return year


def ingest_dod1286(
    store: Store, path: Path, tiers: TierMap, run: IngestRun, version: str | None
) -> None:
    """US DoD §1286 CSV: a RiskList per fiscal year, a LISTED_ON per year an entity is listed."""
    rows = list(iter_csv_records(path))
    known_country: dict[str, str] = {}
    for raw in rows:
        if raw.data and raw.data.get("country"):
            code = COUNTRIES.get(raw.data["country"].strip().lower())
            if code:
                known_country[ids.normalise_key(raw.data.get("name") or "")] = code
    linker = ListLinker(store, load_resolver(store))
    tier = tiers.tier("dod1286").label
    for raw in rows:
        if not run.read(path, raw):
            continue
        row = raw.data
        try:
            name = (row.get("name") or "").strip()
            if not name:
                raise RejectedRecord("missing name")
            year = _fiscal_year(row.get("report-date") or "")
        except RejectedRecord as exc:
            run.reject(path, raw, str(exc))
            continue
        prov = Provenance("us-dod-section-1286", version or f"{year}-01-01")
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        acronyms, aliases = split_acronyms(aliases)
        country = COUNTRIES.get((row.get("country") or "").strip().lower()) or known_country.get(
            ids.normalise_key(name)
        )
        list_id = ids.hashed_id("risklist", "us-dod-section-1286", year)
        rl = risk_list(
            list_id,
            {
                "name": f"US DoD Section 1286 list FY{year}",
                "publisher": "US Department of Defense",
                "as_of": str(year),
                "url": row.get("source_url") or None,
                "licence": "CC BY-NC 4.0 (OpenSanctions transcription of the DoD PDFs)",
            },
            prov,
        )
        node, link = linker.link(
            name,
            country=country,
            aliases=[*aliases],
            acronyms=acronyms,
            prov=prov,
            record=raw.locator,
            list_id=list_id,
            listed_name=name,
        )
        rel = listed_on(
            node.id,
            list_id,
            link,
            {
                "tier": tier,
                "category": "Section 1286",
                "as_of": str(year),
                "fiscal_year": year,
                "source_url": row.get("source_url") or None,
                "listed_name": name,
            },
            prov,
            raw.locator,
        )
        run.write(path, raw, [rl, node], [rel])


def ingest_csv_list(
    store: Store,
    path: Path,
    tiers: TierMap,
    run: IngestRun,
    version: str | None,
    list_name: str | None,
) -> None:
    """An office's own list: name, aliases, country, tier, category, as_of, source_url."""
    linker = ListLinker(store, load_resolver(store))
    title = list_name or path.stem
    list_id = ids.hashed_id("risklist", "csv", title)
    for raw in iter_csv_records(path):
        if not run.read(path, raw):
            continue
        row = raw.data
        try:
            name = (row.get("name") or "").strip()
            if not name:
                raise RejectedRecord("missing name")
            category = (row.get("category") or "").strip() or None
            try:
                tier = (
                    Tier.parse(row["tier"])
                    if (row.get("tier") or "").strip()
                    else tiers.tier("csv", category)
                )
            except CollabgraphError as exc:
                raise RejectedRecord(str(exc)) from None
        except RejectedRecord as exc:
            run.reject(path, raw, str(exc))
            continue
        as_of = (row.get("as_of") or "").strip() or None
        prov = Provenance(title, version or as_of or file_date(path))
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        names_zh = [a for a in aliases if has_chinese(a)]
        acronyms, aliases = split_acronyms(a for a in aliases if not has_chinese(a))
        country = (row.get("country") or "").strip().upper() or None
        rl = risk_list(list_id, {"name": title, "as_of": as_of}, prov)
        node, link = linker.link(
            name,
            country=country,
            aliases=aliases,
            names_zh=names_zh,
            acronyms=acronyms,
            prov=prov,
            record=raw.locator,
            list_id=list_id,
            listed_name=name,
        )
        rel = listed_on(
            node.id,
            list_id,
            link,
            {
                "tier": tier.label,
                "category": category,
                "as_of": as_of,
                "source_url": (row.get("source_url") or "").strip() or None,
                "listed_name": name,
            },
            prov,
            raw.locator,
        )
        run.write(path, raw, [rl, node], [rel])


def ingest_watchlist(
    store: Store,
    paths: Iterable[Path],
    *,
    fmt: str,
    rejects: RejectWriter,
    tiers: Path | None = None,
    version: str | None = None,
    list_name: str | None = None,
    quiet: bool = True,
) -> Summary:
    """Ingest risk-list files of one format (``aspi``, ``dod1286`` or ``csv``) into ``store``."""
    from .aspi import ingest_aspi  # aspi imports this module

    if fmt not in FORMATS:
        raise InputError(f"unknown watchlist format {fmt!r}; use one of {', '.join(FORMATS)}")
    tier_map = TierMap.load(tiers)
    if tiers is not None and fmt not in tier_map.data:
        raise InputError(
            f"{tiers}: no [{fmt}] table, so every {fmt} listing would get tier medium; "
            "add one (see ingest/tiers.toml)"
        )
    with IngestRun(store, f"watchlist {fmt}", rejects=rejects, quiet=quiet) as run:
        for path in paths:
            if fmt == "aspi":
                ingest_aspi(store, path, tier_map, run, version)
            elif fmt == "dod1286":
                ingest_dod1286(store, path, tier_map, run, version)
            else:
                ingest_csv_list(store, path, tier_map, run, version, list_name)
    return run.summary
