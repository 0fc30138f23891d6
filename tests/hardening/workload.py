"""A generated OpenAlex works file big enough that an ingest takes a while, and graph dumps."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store

ROOT = Path(__file__).resolve().parent.parent.parent


def works_file(path: Path, n_works: int, *, seed: int = 7) -> Path:
    """``n_works`` OpenAlex works (JSON lines) by a pool of authors at a few institutions."""
    rng = random.Random(seed)
    institutions = [
        ("I1", "https://ror.org/00cv9y106", "Ghent University", "BE"),
        ("I2", "https://ror.org/01yqg2h08", "Harbin Institute of Technology", "CN"),
        ("I3", None, "KU Leuven", "BE"),
        ("I4", None, "Beihang University", "CN"),
    ]
    authors = [(f"A{9000 + i}", f"Researcher {i} Name") for i in range(n_works // 3 + 5)]
    with path.open("w", encoding="utf-8") as fh:
        for n in range(n_works):
            authorships = []
            for position, (aid, name) in enumerate(rng.sample(authors, rng.randint(1, 4))):
                inst = rng.choice(institutions)
                authorships.append(
                    {
                        "author_position": "first" if position == 0 else "middle",
                        "author": {"id": f"https://openalex.org/{aid}", "display_name": name},
                        "raw_affiliation_strings": [f"{inst[2]}, {inst[3]}"],
                        "institutions": [
                            {
                                "id": f"https://openalex.org/{inst[0]}",
                                "ror": inst[1],
                                "display_name": inst[2],
                                "country_code": inst[3],
                            }
                        ],
                    }
                )
            work = {
                "id": f"https://openalex.org/W{700000 + n}",
                "title": f"Study {n} of swarm robotics and quantum sensing",
                "publication_year": 2000 + n % 25,
                "authorships": authorships,
            }
            fh.write(json.dumps(work) + "\n")
    return path


def dump(store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every node and relationship with its properties, keyed by identity."""
    view = store.view()
    nodes = {n.id: (n.label, n.props) for n in view.iter_nodes()}
    rels = {"|".join(map(str, r.key)): r.props for r in view.iter_relationships()}
    return nodes, rels


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``collabgraph ARGS`` in a real subprocess (the installed package, this interpreter)."""
    return subprocess.Popen(
        [sys.executable, "-m", "collabgraph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
