"""The bundled sample: loads without ../shared, in order, idempotently (embedded store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ingest.aspi import LIST_ID
from collabgraph.ingest.sample import SAMPLE_FILES, ingest_sample, sample_path

from .helpers import snapshot


def test_sample_files_are_bundled_and_small() -> None:
    total = 0
    for key in SAMPLE_FILES:
        path = sample_path(key)
        assert path.is_file(), path
        total += path.stat().st_size
    assert total < 5_000_000, total
    source = (sample_path("works").parent / "SOURCE.md").read_text()
    assert "CC BY-NC 4.0" in source and "CC0" in source


@pytest.mark.slow
def test_ingest_sample_and_again(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "demo.jsonl.gz")
    summary = ingest_sample(store, rejects_dir=tmp_path)
    view = store.view()
    c = view.counts()
    # 330 works, one with an empty title (W4234820496) rejected → 329 papers.
    assert c.nodes["Paper"] == 329 and summary.rejected == 1, summary.lines()
    assert c.nodes["Technology"] == 52
    assert c.nodes["RiskList"] == 5  # ASPI + §1286 FY2022-2025
    # ASPI's 159 entries all listed; Seven Sons get the very-high proxy tier.
    assert sum(1 for r in view.iter_relationships("LISTED_ON") if r.end == LIST_ID) >= 150
    heu = view.get_node("ror:03x80pn82")
    assert heu is not None and heu.props["tier"] == "very high"
    assert c.relationships["CONCERNS"] > 0 and c.relationships["CO_AUTHORED"] > 0
    # A Seven-Sons university reached from a Belgian co-author: NPU (ror:01y0j0j86) is in
    # paper W2547299165 with VUB.
    npu_people = [n for _, n in view.neighbours("ror:01y0j0j86", types=["AFFILIATED_WITH"])]
    assert npu_people, "NPU should have affiliated researchers in the BE–CN sample"
    first = snapshot(store)
    ingest_sample(store, rejects_dir=tmp_path)
    assert snapshot(store) == first
