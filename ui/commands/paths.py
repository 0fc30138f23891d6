"""``collabgraph paths QUERY``: shortest explained paths from a node to high-risk institutions."""

from __future__ import annotations

import click

from collabgraph.queries.common import parse_years
from collabgraph.queries.find import find_node
from collabgraph.queries.paths import RiskPath, paths_to_risk

from .. import audit
from ..context import AppContext
from ..output import emit_json


def _types(text: str | None) -> list[str] | None:
    return [t for t in text.split(",") if t.strip()] if text else None


def describe(path: RiskPath, number: int) -> list[str]:
    """A path as readable lines: each hop with its evidence."""
    target = path.nodes[path.length]
    when = ""
    if path.before_listing:
        when = f" - before listing (first listed {path.first_listed})"
    kind = (
        "  [context, not a finding: reaches a listed unit down the hierarchy]"
        if path.is_context
        else ""
    )
    lines = [f"#{number}  {path.length} hops to {target.name} ({target.tier}){when}{kind}"]
    first = path.nodes[0]
    lines.append(f"    {first.name} [{first.label} {first.id}]")
    for rel, node in zip(path.relationships, path.nodes[1:], strict=True):
        ev = rel.evidence
        if rel.type == "LISTED_ON":
            extra = (
                f"{ev.get('tier')}, {ev.get('category') or 'no category'}, as of {ev.get('as_of')}"
            )
            lines.append(f"      -LISTED_ON- {node.name}: {extra}")
            continue
        detail = []
        if rel.type == "AUTHORED" and ev.get("year") is not None:
            detail.append(str(ev["year"]))
        if ev.get("doi"):
            detail.append(f"doi {ev['doi']}")
        if ev.get("kind"):
            detail.append(str(ev["kind"]))
        if node.tier and node.tier != "none":
            detail.append(node.tier)
        suffix = f" ({', '.join(detail)})" if detail else ""
        lines.append(f"      -{rel.type}- {node.name} [{node.label} {node.id}]{suffix}")
    return lines


@click.command()
@click.argument("query")
@click.option(
    "--max-hops",
    type=click.IntRange(1, 6),
    default=4,
    show_default=True,
    help="Longest path to look for (at most 6).",
)
@click.option(
    "--min-tier",
    default="high",
    show_default=True,
    help="Lowest tier that counts as a target: low, medium, high, very high.",
)
@click.option("--years", metavar="A-B", help="Only papers (and affiliations) in these years.")
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Most paths to show."
)
@click.option(
    "-k",
    "--alternatives",
    "k",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Equally short paths to show per institution.",
)
@click.option(
    "--types",
    metavar="T1,T2",
    help="Relationship types to traverse (default AUTHORED, AFFILIATED_WITH, "
    "PART_OF, MILITARY_LINK; CO_AUTHORED may be added).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_obj
def paths(
    app: AppContext,
    query: str,
    max_hops: int,
    min_tier: str,
    years: str | None,
    limit: int,
    k: int,
    types: str | None,
    as_json: bool,
) -> None:
    """Shortest paths from QUERY to institutions at or above a risk tier.

    QUERY is a node id (ROR, OpenAlex, ORCID and DOI URLs work) or a name, matched fuzzily;
    an ambiguous name lists the candidates. Every hop shows its evidence (paper title, DOI,
    year; the list, category and as-of date of the final listing). --json prints a list of
    {"length", "nodes": [{"id", "label", "name", "tier"}], "relationships": [{"type",
    "start", "end", "evidence"}], "before_listing", "first_listed", "context"}. A path that
    walks PART_OF down from a parent to its listed unit is context, never a finding, and is
    listed after the findings.
    """
    node = find_node(app.store, query)
    found = paths_to_risk(
        app.store,
        node.id,
        max_hops=max_hops,
        min_tier=min_tier,
        rel_types=_types(types),
        years=parse_years(years),
        limit=limit,
        k=k,
    )
    audit.record_command(app, len(found), id=node.id)
    if as_json:
        emit_json([p.as_dict() for p in found])
        return
    if not found:
        click.echo(
            f"no path from {node.id} to an institution at or above {min_tier} "
            f"within {max_hops} hops"
        )
        return
    for number, path in enumerate(found, start=1):
        click.echo("\n".join(describe(path, number)))
