"""``review changes`` on the real bundled sample: a baseline with the §1286 FY2022 list only,
then FY2023–FY2025 added, checked against a count made by hand from the raw files.

The expected papers are read straight from be_cn_works.json, section_1286.csv and the ASPI
file, by names, the way tests/report/hand_count.py counts (and not from the code under test):
a joint work whose Chinese institution is named on the §1286 list of a later fiscal year while
none of its Chinese institutions was on a high-tier list in the baseline (FY2022, or ASPI at
high or above).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.snapshot import write_snapshot
from collabgraph.ingest.derive import derive
from collabgraph.ingest.pipeline import RejectWriter
from collabgraph.ingest.sample import ingest_sample, sample_path
from collabgraph.ingest.watchlists import ingest_watchlist
from collabgraph.queries.changes import changes
from collabgraph.ui.cli import cli

from ..report.hand_count import ASPI_HIGH, SAMPLE, norm

pytestmark = pytest.mark.slow


# Read by hand: the FY2024 row spells "Xi’an Jiatong University" (no alias); the FY2025 row
# has the same spelling with the alias "Xi’an Jiaotong University", the ROR name the resolver
# matches both rows to.
MISSPELT = {"xi'an jiatong university": "xi'an jiaotong university"}


def fiscal_years_by_name() -> dict[str, set[int]]:
    """Each name and alias on the §1286 CSV with the fiscal years it is listed in."""
    years: dict[str, set[int]] = {}
    with (SAMPLE / "section_1286.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for name in [row["name"], *(row["aliases"] or "").split(";")]:
                if name.strip():
                    key = MISSPELT.get(norm(name), norm(name))
                    years.setdefault(key, set()).add(int(row["report-date"]))
    return years


def aspi_high_names() -> set[str]:
    aspi = json.loads((SAMPLE / "aspi_china_defence_universities.json").read_text("utf-8"))
    names: set[str] = set()
    for entry in aspi["values"]:
        if set(entry["meta"].get("categories", [])) & ASPI_HIGH:
            names.add(norm(entry["value"]))
            names.update(norm(a) for a in entry["meta"].get("aliases", []))
    return names


def hand_expected() -> dict[str, tuple[int, int]]:
    """Work id → (its year, the first later fiscal year naming one of its CN institutions)."""
    fy, aspi = fiscal_years_by_name(), aspi_high_names()
    works = json.loads((SAMPLE / "be_cn_works.json").read_text("utf-8"))
    out = {}
    for work in works:
        by_country = work.get("authors_by_country") or {}
        if not (work.get("title") or "").strip() or not (
            by_country.get("BE") and by_country.get("CN")
        ):
            continue
        names = [norm(n) for n in work["institutions"].get("CN", [])]
        if any(n in aspi or 2022 in fy.get(n, set()) for n in names):
            continue  # already high-risk in the baseline
        later = [y for n in names for y in fy.get(n, set()) if y > 2022]
        if later:
            out[work["paper_id"].replace("https://openalex.org/", "openalex:")] = (
                work["publication_year"],
                min(later),
            )
    return out


@pytest.fixture(scope="module")
def sample_changes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store file (FY2022 baseline exported, then FY2023–FY2025 added) and the snapshot."""
    folder = tmp_path_factory.mktemp("review-sample")
    cut = folder / "section_1286_fy2022.csv"
    with (
        sample_path("dod1286").open(encoding="utf-8", newline="") as src,
        cut.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        writer.writerows(row for row in reader if row["report-date"] == "2022")
    store = EmbeddedStore(folder / "sample.db")
    ingest_sample(store, rejects_dir=folder, files={"dod1286": cut})
    write_snapshot(store, folder / "fy2022", fmt="json")
    added = ingest_watchlist(
        store, [sample_path("dod1286")], fmt="dod1286", rejects=RejectWriter(folder / "r.jsonl")
    )
    derive(store, added.touched)
    return {"store": store, "file": folder / "sample.db", "baseline": folder / "fy2022"}


def run(sample_changes: dict[str, Any], *args: str) -> Any:
    return CliRunner().invoke(
        cli, ["--store", str(sample_changes["file"]), "review", "changes", *args]
    )


def test_reports_exactly_the_papers_whose_partner_entered_later(
    sample_changes: dict[str, Any],
) -> None:
    result = run(sample_changes, "--since", str(sample_changes["baseline"]), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    expected = hand_expected()
    assert len(expected) == 30  # read by hand: 30 joint works, all already in the baseline
    reported = {p["id"]: p for kind in ("new", "retroactive", "reclassified") for p in data[kind]}
    assert set(reported) == set(expected), sorted(set(reported) ^ set(expected))
    assert data["new"] == [] and data["cleared"] == []
    retro = {pid for pid, (year, listed) in expected.items() if year < listed}
    assert {p["id"] for p in data["retroactive"]} == retro
    assert {p["id"] for p in data["reclassified"]} == set(expected) - retro
    for pid, paper in reported.items():
        assert paper["year"] == expected[pid][0], paper
        fiscal = [x["fiscal_year"] for x in paper["evidence"]]
        assert fiscal and all(y in (2023, 2024, 2025) for y in fiscal), paper
        assert min(fiscal) == expected[pid][1], paper
        assert all(x["new_listing"] and x["tier"] == "high" for x in paper["evidence"]), paper
    # Hand-checked in be_cn_works.json: a 2009 work with Shanghai Jiao Tong University, first
    # named on the FY2025 list; a 2009 work with USTC, named from FY2024 on.
    sjtu = reported["openalex:W1041755233"]
    assert sjtu["year"] == 2009 and sjtu["doi"] == "10.1007/978-3-540-89208-3_138"
    assert [(x["partner_name"], x["list_name"]) for x in sjtu["evidence"]] == [
        ("Shanghai Jiao Tong University", "US DoD Section 1286 list FY2025")
    ]
    ustc = reported["openalex:W1990491187"]
    assert [x["list_name"] for x in ustc["evidence"]] == [
        "US DoD Section 1286 list FY2024",
        "US DoD Section 1286 list FY2025",
    ]
    # Every institution the later lists name for the first time gained a tier, none lost one.
    assert data["tiers"] and all(t["after"] == "high" for t in data["tiers"]), data["tiers"]
    assert {"ror:0220qvk04", "ror:04c4dkn09"} <= {t["id"] for t in data["tiers"]}
    assert not any(p["change"] == "vanished" for p in data["paths"])


def test_the_baseline_against_itself_is_no_change(
    sample_changes: dict[str, Any], tmp_path: Path
) -> None:
    write_snapshot(sample_changes["store"], tmp_path / "now", fmt="csv")
    result = run(sample_changes, "--since", str(tmp_path / "now"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no change since")


@pytest.fixture(scope="module")
def changed_neo4j(
    neo4j_driver: Any, neo4j_uri: str, sample_changes: dict[str, Any]
) -> Iterator[Any]:
    from collabgraph.graph.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_driver, uri=neo4j_uri)
    store.clear()
    view = sample_changes["store"].view()
    with store.writer(batch_size=20_000) as writer:
        writer.upsert_nodes(view.iter_nodes())
        writer.flush()
        writer.upsert_relationships(view.iter_relationships())
    yield store
    store.clear()


def test_both_stores_agree_on_the_sample(
    sample_changes: dict[str, Any], changed_neo4j: Any, tmp_path: Path
) -> None:
    from collabgraph.graph.snapshot import import_snapshot

    base = EmbeddedStore(tmp_path / "baseline.db")
    import_snapshot(base, sample_changes["baseline"])
    on_embedded = changes(base, sample_changes["store"]).as_dict()
    on_neo4j = changes(base, changed_neo4j).as_dict()
    assert on_embedded == on_neo4j
    assert on_neo4j["counts"]["retroactive"] + on_neo4j["counts"]["reclassified"] == 30
