"""``collabgraph exposure [QUERY]``: explained exposure scores, for one node or the whole graph."""

from __future__ import annotations

import click

from collabgraph.queries.exposure import DEFAULT_DECAY
from collabgraph.queries.exposure import exposure as exposure_query
from collabgraph.queries.find import find_node

from .. import audit
from ..context import AppContext
from ..output import echo_table, emit_json


def _weights(pairs: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            out[key] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise click.BadParameter(f"{pair!r}: write TYPE=WEIGHT, e.g. AUTHORED=0.6")
    return out


@click.command()
@click.argument("query", required=False)
@click.option(
    "--top", type=click.IntRange(1), default=20, show_default=True, help="How many nodes to rank."
)
@click.option("--max-hops", type=click.IntRange(1, 6), default=4, show_default=True)
@click.option(
    "--label",
    "labels",
    multiple=True,
    type=click.Choice(["Researcher", "Institution"]),
    help="What to rank (repeatable; default Researcher).",
)
@click.option(
    "--min-tier", default="low", show_default=True, help="Lowest tier that contributes risk."
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="TYPE=W",
    help="Override a relationship weight (repeatable), e.g. CO_AUTHORED=0.5.",
)
@click.option(
    "--decay",
    type=click.FloatRange(0, 1, min_open=True),
    default=DEFAULT_DECAY,
    show_default=True,
    help="Factor per hop after the first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def exposure(
    app: AppContext,
    query: str | None,
    top: int,
    max_hops: int,
    min_tier: str,
    labels: tuple[str, ...],
    weights: tuple[str, ...],
    decay: float,
    as_json: bool,
) -> None:
    """Exposure to listed risk: QUERY's score, or the most exposed nodes.

    A score sums, over each reachable institution at or above --min-tier, its risk (very high
    1, high 0.75, medium 0.5, low 0.25) times the best path's product of relationship weights
    (AFFILIATED_WITH 1, PART_OF 0.9, MILITARY_LINK 0.8, AUTHORED 0.7) and --decay per extra
    hop. --json prints a list of {"id", "name", "score", "top_paths"}.
    """
    node = find_node(app.store, query).id if query else None
    found = exposure_query(
        app.store,
        node,
        weights=_weights(weights),
        decay=decay,
        max_hops=max_hops,
        min_tier=min_tier,
        top=top,
        labels=labels or ("Researcher",),
    )
    audit.record_command(app, len(found), id=node)
    if as_json:
        emit_json([e.as_dict() for e in found])
        return
    rows = []
    for rank, item in enumerate(found, start=1):
        best = item.top_paths[0] if item.top_paths else None
        why = f"{best.target_name} ({best.tier}) via {' > '.join(best.types)}" if best else "-"
        rows.append([rank, f"{item.score:.4f}", item.label, item.id, item.name, why])
    echo_table(["#", "score", "label", "id", "name", "largest contribution"], rows)
