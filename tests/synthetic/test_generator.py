"""The synthetic corpus: OpenAlex schema, determinism, realistic distributions, ingestibility."""

from __future__ import annotations

import gzip
import hashlib
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ingest.openalex import ingest_openalex
from collabgraph.ingest.pipeline import RejectWriter
from collabgraph.ingest.synthetic import CorpusGenerator, load, write_corpus
from collabgraph.ui.cli import cli

# Independent of the generator's vocabulary: plain substrings taken from the EC Annex wording,
# so a leak of technology words into "general" papers, or a broken share, shows up here.
ANNEX_TERMS = (
    "semiconductor",
    "microelectronic",
    "photonic",
    "chips",
    "laser",
    "transistor",
    "deep learning",
    "computer vision",
    "language processing",
    "computing",
    "object recognition",
    "quantum",
    "genetic modification",
    "genom",
    "gene drive",
    "synthetic biology",
    "6g",
    "open ran",
    "intrusion",
    "forensic",
    "internet of things",
    "ledger",
    "navigation",
    "radar",
    "magnetometer",
    "gradiometer",
    "sensing",
    "sensors",
    "hypersonic",
    "propulsion",
    "satellite",
    "orbit",
    "space",
    "fusion",
    "hydrogen",
    "photovoltaic",
    "batter",
    "smart grid",
    "enrichment",
    "unmanned",
    "autonomous",
    "exoskeleton",
    "robot",
    "additive manufacturing",
    "nanomaterial",
    "stealth",
    "ceramic",
    "metamaterial",
    "bioleaching",
)


def read(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rb") as handle:
        return [orjson.loads(line) for line in handle]


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return list(CorpusGenerator(6000, seed=11))


def test_records_have_the_openalex_fields_the_issue_names(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    write_corpus(path, 200, seed=3)
    works = read(path)
    assert len(works) == 200
    for work in works:
        assert work["synthetic"] is True
        assert work["id"].startswith("https://openalex.org/W"), work["id"]
        assert work["doi"].startswith("https://doi.org/10."), work["doi"]
        assert isinstance(work["title"], str) and work["title"], work
        assert 2000 <= work["publication_year"] <= 2025
        for key in ("topics", "primary_topic", "keywords", "concepts", "abstract_inverted_index"):
            assert work[key], (key, work["id"])
        for authorship in work["authorships"]:
            author = authorship["author"]
            assert author["id"].startswith("https://openalex.org/A"), author
            assert author["display_name"], author
            assert author["orcid"] is None or author["orcid"].startswith("https://orcid.org/")
            assert authorship["author_position"] in ("first", "middle", "last")
            assert authorship["raw_affiliation_strings"], authorship
            for inst in authorship["institutions"]:
                assert set(inst) >= {"id", "ror", "display_name", "country_code", "type"}, inst
                assert inst["ror"].startswith("https://ror.org/0"), inst
                assert inst["country_code"] in ("BE", "CN"), inst


def test_generated_works_ingest_with_zero_rejects(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    write_corpus(path, 300, seed=5)
    store = EmbeddedStore(tmp_path / "g.db")
    rejects = RejectWriter(tmp_path / "rejects.jsonl")
    summary = ingest_openalex(store, [path], rejects=rejects)
    assert summary.read == 300, summary.as_dict()
    assert summary.rejected == 0, (tmp_path / "rejects.jsonl").read_text()
    counts = store.view().counts()
    assert counts.nodes["Paper"] == 300, counts
    assert counts.relationships["AUTHORED"] >= 300, counts
    assert counts.relationships["AFFILIATED_WITH"] > 0, counts


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    digests = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        path = tmp_path / f"{name}.jsonl.gz"
        write_corpus(path, 400, seed=seed)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_team_sizes_are_mostly_small_with_a_long_tail(corpus: list[dict[str, Any]]) -> None:
    sizes = [len(w["authorships"]) for w in corpus]
    median = statistics.median(sizes)
    assert 2 <= median <= 8, median
    share_small = sum(2 <= s <= 8 for s in sizes) / len(sizes)
    assert 0.8 <= share_small <= 0.97, share_small
    assert sum(s > 50 for s in sizes) >= 3, Counter(s for s in sizes if s > 20)
    assert max(sizes) >= 100, max(sizes)


def test_author_productivity_is_skewed(corpus: list[dict[str, Any]]) -> None:
    papers = Counter(a["author"]["id"] for w in corpus for a in w["authorships"])
    counts = sorted(papers.values())
    assert statistics.median(counts) <= 2, statistics.median(counts)
    assert sum(c == 1 for c in counts) / len(counts) >= 0.35, Counter(counts).most_common(5)
    assert counts[-1] >= 20 * statistics.median(counts), counts[-20:]


def test_years_span_the_range_and_grow(corpus: list[dict[str, Any]]) -> None:
    years = Counter(w["publication_year"] for w in corpus)
    assert min(years) == 2000 and max(years) == 2025, sorted(years)
    assert years[2024] > years[2002], years


def test_listed_partner_share_is_realistic(corpus: list[dict[str, Any]]) -> None:
    by_ror = {i.ror: i for i in load()}
    cn = listed = dod = 0
    for work in corpus:
        for authorship in work["authorships"]:
            for inst in authorship["institutions"]:
                if inst["country_code"] == "CN":
                    bundled = by_ror[inst["ror"].rsplit("/", 1)[-1]]
                    cn += 1
                    listed += bundled.listed
                    dod += bundled.dod1286
    assert 0.25 <= listed / cn <= 0.45, listed / cn
    assert 0.05 <= dod / cn <= 0.25, dod / cn


def test_bundled_list_flags_known_listed_institutions() -> None:
    by_ror = {i.ror: i for i in load()}
    hit = by_ror["01yqg2h08"]  # Harbin Institute of Technology: Seven Sons, on both lists
    assert hit.aspi == "Seven sons of national defence" and hit.dod1286, hit
    assert not any(i.listed for i in load() if i.country == "BE")


def test_technology_hit_rate_is_realistic(corpus: list[dict[str, Any]]) -> None:
    def text(work: dict[str, Any]) -> str:
        return (work["title"] + " " + " ".join(work["abstract_inverted_index"])).lower()

    hits = sum(any(term in text(w) for term in ANNEX_TERMS) for w in corpus)
    assert 0.22 <= hits / len(corpus) <= 0.38, hits / len(corpus)


def test_memory_does_not_grow_with_the_corpus() -> None:
    # The generator keeps no per-work or per-author state: its attributes stay the same size
    # whether it has produced 10 works or 5,000.
    generator = CorpusGenerator(5000, seed=1)
    before = {k: len(v) for k, v in vars(generator).items() if hasattr(v, "__len__")}
    for _ in generator:
        pass
    after = {k: len(v) for k, v in vars(generator).items() if hasattr(v, "__len__")}
    assert before == after


def test_cli_generate_writes_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "cli.jsonl.gz"
    result = CliRunner().invoke(
        cli, ["-q", "generate", "--works", "50", "--seed", "2", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    works = read(out)
    assert len(works) == 50 and all(w["synthetic"] for w in works)
    direct = tmp_path / "direct.jsonl.gz"
    write_corpus(direct, 50, seed=2)
    assert out.read_bytes() == direct.read_bytes()
