"""Flattened collaboration tables (CSV or JSON) → Papers, Researchers, Institutions.

Such tables name authors and institutions but carry no ids: a mapping file (TOML or JSON; see
ingest/mappings/be_cn_collaborations.toml) says which column is what. Institution names go
through the resolver with the country the table gives; the method and score land on
AFFILIATED_WITH, and a name nothing matches becomes an Institution of its own (method
``unresolved``) so nothing is lost.

Researcher ids: the table has no author ids, so a researcher is the hash of their name and the
node id of the institution they are listed with. The same name at the same institution across
papers is one node; the same name at another institution is another node. This keeps namesakes
at different places apart (precision first), at the price of splitting a person who moved or
had two affiliations.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabgraph.graph import ids
from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship

from .linking import (
    ResolverLike,
    Targets,
    accept,
    link_props,
    load_resolver,
    unresolved_institution,
)
from .openalex import check_year
from .pipeline import IngestRun, Provenance, RejectedRecord, RejectWriter, Summary, file_date
from .sources import InputError, iter_records
from .technologies import Tagger

COLUMNS = ("paper_id", "doi", "title", "year", "institutions", "authors", "country")


@dataclass(frozen=True)
class Mapping:
    """Which column holds what, the dataset name and version, and the list separator."""

    dataset: str
    version: str | None
    columns: dict[str, str]
    separator: str = ";"

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (OSError, ValueError, RecursionError) as exc:
            raise InputError(f"{path}: cannot read the mapping file ({exc})") from exc
        columns = _mapping_columns(path, data)
        for key in ("dataset", "version"):
            if isinstance(data.get(key), dict | list):
                raise InputError(f"{path}: mapping key {key!r} must be text, not a table or list")
        if not isinstance(data.get("separator", ";"), str) or not data.get("separator", ";"):
            raise InputError(f"{path}: mapping key 'separator' must be a non-empty string")
        return cls(
            dataset=str(data.get("dataset") or path.stem),
            version=str(data["version"]) if data.get("version") else None,
            columns=columns,
            separator=str(data.get("separator", ";")),
        )


MAPPING_SHAPE = (
    "a table with [columns] naming the column of each of "
    f"{', '.join(COLUMNS)} (title at least), and optional dataset, version and separator"
)


def _mapping_columns(path: Path, data: Any) -> dict[str, str]:
    """The ``[columns]`` table of a parsed mapping file, checked: an InputError otherwise."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InputError(f"{path}: not a mapping file (it holds {kind}); expected {MAPPING_SHAPE}")
    columns = data.get("columns")
    if not isinstance(columns, dict) or "title" not in columns:
        raise InputError(
            f"{path}: not a mapping file (no [columns] with 'title'); expected {MAPPING_SHAPE}"
        )
    unknown = sorted(set(columns) - set(COLUMNS))
    if unknown:
        raise InputError(f"{path}: unknown mapping keys {unknown}; use {list(COLUMNS)}")
    for key, column in columns.items():
        if not isinstance(column, str) or not column:
            raise InputError(
                f"{path}: columns.{key} must be a column name (a string), not {column!r:.40}"
            )
    return dict(columns)


def split_author(entry: str) -> tuple[str, str | None]:
    """``"Wang X (Material (Belgium))"`` → ``("Wang X", "Material (Belgium)")``.

    The institution is the last balanced parenthesised group at the end, so institution names
    that themselves end in "(Country)" stay whole.
    """
    text = entry.strip()
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                name, inst = text[:i].strip(), text[i + 1 : -1].strip()
                return (name, inst or None) if name else (text, None)
    return text, None


def _by_country(value: Any, separator: str, country: str | None) -> list[tuple[str | None, str]]:
    """(country, text) pairs from {country: [texts]}, a list, or a separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        out: list[tuple[str | None, str]] = []
        for key, items in value.items():
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, str) and item.strip():
                    out.append((str(key), item.strip()))
        return out
    if isinstance(value, list):
        return [(country, str(v).strip()) for v in value if str(v).strip()]
    if isinstance(value, str):
        return [(country, part.strip()) for part in value.split(separator) if part.strip()]
    raise RejectedRecord(f"expected a list, a string or a country table, not {value!r:.80}")


class TableIngester:
    """Turns one table row into records; keeps the resolver's view of new institutions."""

    def __init__(self, mapping: Mapping, resolver: ResolverLike, targets: Targets) -> None:
        self.mapping = mapping
        self.resolver = resolver
        self.targets = targets

    def _col(self, row: dict[str, Any], key: str) -> Any:
        column = self.mapping.columns.get(key)
        return row.get(column) if column else None

    def row_records(
        self, row: Any, prov: Provenance, locator: str
    ) -> tuple[Node, list[Node], list[Relationship]]:
        if not isinstance(row, dict):
            raise RejectedRecord(f"a row must be an object, not {type(row).__name__}")
        title = self._col(row, "title")
        if not isinstance(title, str) or not title.strip():
            raise RejectedRecord("missing title")
        raw_year = self._col(row, "year")
        if isinstance(raw_year, str) and raw_year.strip().isdigit():
            raw_year = int(raw_year)
        year = check_year(raw_year)
        raw_id, doi = self._col(row, "paper_id"), self._col(row, "doi")
        doi_short = ids.doi_short(doi) if isinstance(doi, str) else None
        short = ids.openalex_short(raw_id) if isinstance(raw_id, str) else None
        paper_id = ids.paper_id(openalex=short, doi=doi_short, title=title, year=year)
        paper = Node(
            "Paper",
            paper_id,
            prov.stamp(
                {"title": title.strip(), "year": year, "doi": doi_short, "openalex_id": short},
                str(raw_id or locator),
            ),
        )
        country_col = self._col(row, "country")
        country = country_col if isinstance(country_col, str) and country_col else None
        sep = self.mapping.separator
        nodes: list[Node] = []
        rels: list[Relationship] = []
        for inst_country, listed in _by_country(self._col(row, "institutions"), sep, country):
            self._institution(listed, inst_country, prov, locator, nodes)
        for a_country, entry in _by_country(self._col(row, "authors"), sep, country):
            name, inst_name = split_author(entry)
            if not name:
                continue
            inst = (
                self._institution(inst_name, a_country, prov, locator, nodes) if inst_name else None
            )
            inst_id = inst[0] if inst else ""
            person = ids.hashed_id("researcher", name, inst_id or inst_name or paper_id)
            nodes.append(Node("Researcher", person, prov.stamp({"name": name}, locator)))
            rels.append(
                Relationship(
                    "AUTHORED",
                    person,
                    paper_id,
                    prov.stamp(
                        {"year": year, "raw_affiliations": [inst_name] if inst_name else []},
                        locator,
                    ),
                )
            )
            if inst is not None:
                props = {
                    "years": [year],
                    "evidence_papers": [paper_id],
                    "raw_affiliation": inst_name,
                    **inst[1],
                }
                rels.append(
                    Relationship("AFFILIATED_WITH", person, inst[0], prov.stamp(props, locator))
                )
        return paper, nodes, rels

    def _institution(
        self, name: str, country: str | None, prov: Provenance, locator: str, nodes: list[Node]
    ) -> tuple[str, dict[str, Any]]:
        """The node id a name links to and the link's method/score; creates unresolved ones."""
        match = accept(self.resolver.resolve(name, country=country), name, country)
        own_id = ids.institution_id(name=name, country=country)
        # A match on the node this very name created earlier is no resolution: saying so keeps
        # the method the same on every run (idempotence) and honest.
        if (
            match is not None
            and str(match.node_id) != own_id
            and self.targets.allowed(str(match.node_id))
        ):
            return str(match.node_id), link_props(match)
        if self.targets.allowed(own_id):
            # A list or agency node of exactly this name and country: the same institution.
            return own_id, {"method": "exact", "score": 1.0}
        # The same name and country always give the same placeholder id, so the placeholder
        # need not be taught to the resolver.
        node = unresolved_institution(name, country, prov, locator)
        nodes.append(node)
        return node.id, link_props(None)


def ingest_table(
    store: Store,
    paths: Iterable[Path],
    *,
    mapping: Path,
    rejects: RejectWriter,
    version: str | None = None,
    quiet: bool = True,
) -> Summary:
    """Ingest flattened collaboration tables described by ``mapping`` into ``store``."""
    spec = Mapping.load(mapping)
    ingester = TableIngester(spec, load_resolver(store), Targets(store))
    tagger = Tagger.from_store(store)
    with IngestRun(store, "table", rejects=rejects, quiet=quiet) as run:
        for path in paths:
            prov = Provenance(spec.dataset, version or spec.version or file_date(path))
            for raw in iter_records(path):
                if not run.read(path, raw):
                    continue
                built = run.build(path, raw, ingester.row_records, raw.data, prov, raw.locator)
                if built is None:
                    continue
                paper, nodes, rels = built
                tags = tagger.tag(paper) if tagger else []
                run.write(path, raw, [paper, *nodes], [*rels, *tags])
    return run.summary
