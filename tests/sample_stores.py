"""The real bundled sample (ingest/sample) as module-scoped fixtures, on both stores.

The sample is ingested once into an embedded store (ingest_sample), and that graph is copied
into Neo4j once per module (the store contract suite holds both stores to the same writes;
ingesting straight into Neo4j takes about five times as long). tests/conftest.py imports them,
so any test asks for ``sample`` (both stores in turn) or one of the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ingest.sample import ingest_sample


@pytest.fixture(scope="module")
def sample_embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("sample")
    store = EmbeddedStore(folder / "sample.db")
    ingest_sample(store, rejects_dir=folder)
    return store


@pytest.fixture(scope="module")
def sample_neo4j(
    neo4j_driver: Any, neo4j_uri: str, sample_embedded: EmbeddedStore
) -> Iterator[Any]:
    from collabgraph.graph.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_driver, uri=neo4j_uri)
    store.clear()
    view = sample_embedded.view()
    with store.writer(batch_size=20_000) as writer:
        writer.upsert_nodes(view.iter_nodes())
        writer.flush()
        writer.upsert_relationships(view.iter_relationships())
    assert store.view().counts() == view.counts()
    yield store
    store.clear()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def sample(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"sample_{request.param}")
