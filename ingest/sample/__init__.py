"""The bundled sample: real, cut-down data that lets the demo run without ../shared.

See SOURCE.md in this folder for the origin and licence of each file (note: the Section 1286
CSV is CC BY-NC 4.0, non-commercial). :func:`ingest_sample` loads all of it in the right order.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from collabgraph.graph.contract import Store

from ..derive import derive
from ..pipeline import RejectWriter, Summary, default_rejects_path
from ..ror_graph import ingest_ror
from ..table import ingest_table
from ..technologies import ingest_technologies
from ..watchlists import ingest_watchlist

__all__ = ["SAMPLE_FILES", "ingest_sample", "sample_path"]

SAMPLE_FILES = {
    "ror": "ror.jsonl.gz",
    "technologies": "ec_critical_technology_areas.json",
    "aspi": "aspi_china_defence_universities.json",
    "dod1286": "section_1286.csv",
    "works": "be_cn_works.json",
}


def sample_path(key: str) -> Path:
    """A bundled sample file: ``ror``, ``technologies``, ``aspi``, ``dod1286`` or ``works``."""
    return Path(str(resources.files(__name__).joinpath(SAMPLE_FILES[key])))


def mapping_path() -> Path:
    return Path(
        str(resources.files("collabgraph.ingest.mappings").joinpath("be_cn_collaborations.toml"))
    )


def ingest_sample(
    store: Store,
    *,
    quiet: bool = True,
    rejects_dir: Path | None = None,
    files: Mapping[str, Path] | None = None,
) -> Summary:
    """Load the whole sample into ``store``: ROR → technologies → watchlists → works → derive.

    The order matters for resolution only (lists and works are matched against the ROR
    institutions already in the store); tagging works in any order. Returns the combined
    summary (its notes include the derive step). Idempotent: a second call changes nothing.
    ``files`` replaces some of the bundled files (keys of :data:`SAMPLE_FILES`), e.g. a cut of
    the §1286 list.
    """

    def path_of(key: str) -> Path:
        return (files or {}).get(key) or sample_path(key)

    def rejects(kind: str) -> RejectWriter:
        path = default_rejects_path(store, kind)
        return RejectWriter(rejects_dir / path.name if rejects_dir else path)

    total = Summary("sample")
    total.add(ingest_ror(store, [path_of("ror")], rejects=rejects("ror"), quiet=quiet))
    total.add(
        ingest_technologies(
            store, [path_of("technologies")], rejects=rejects("technologies"), quiet=quiet
        )
    )
    total.add(
        ingest_watchlist(
            store,
            [path_of("aspi")],
            fmt="aspi",
            rejects=rejects("watchlist-aspi"),
            quiet=quiet,
        )
    )
    total.add(
        ingest_watchlist(
            store,
            [path_of("dod1286")],
            fmt="dod1286",
            rejects=rejects("watchlist-dod1286"),
            quiet=quiet,
        )
    )
    total.add(
        ingest_table(
            store,
            [path_of("works")],
            mapping=mapping_path(),
            rejects=rejects("table"),
            quiet=quiet,
        )
    )
    total.notes.extend(derive(store, total.touched).lines())
    return total
