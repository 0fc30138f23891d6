"""``collabgraph forget RESEARCHER``: delete a person's data from the graph, keep an audit entry."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import click

from collabgraph.graph.erasures import ErasureRegister
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.ids import normalise_key
from collabgraph.graph.records import Node
from collabgraph.ingest.derive import Touched, derive
from collabgraph.queries.find import NAME_PROPS, find_node, id_candidates

from .. import audit as audit_log
from ..context import AppContext


def exact_researcher(app: AppContext, query: str) -> Node:
    """The researcher ``query`` names by id or by an exact (case/accent-insensitive) name.

    Deleting a person must never rest on a fuzzy guess: a fuzzy match is refused with the id
    to use instead.
    """
    node = find_node(app.store, query, labels=["Researcher"])
    if node.id in id_candidates(query.strip()):
        return node
    names: list[str] = []
    for key in NAME_PROPS:
        value = node.props.get(key)
        names.extend(value if isinstance(value, list) else [value] if value else [])
    if normalise_key(query) in {normalise_key(str(n)) for n in names}:
        return node
    raise NodeNotFound(
        f"{query!r} is not an exact name; the closest researcher is "
        f"{node.props.get('name')!r} ({node.id}): rerun with that id if it is the person"
    )


@click.command()
@click.argument("researcher")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--reason", metavar="TEXT", help="Why (e.g. an erasure request reference).")
@click.pass_obj
def forget(app: AppContext, researcher: str, yes: bool, reason: str | None) -> None:
    """Delete a researcher and every link to them (AUTHORED, AFFILIATED_WITH, CO_AUTHORED).

    RESEARCHER is an id (openalex:A…, orcid:…, an ORCID or OpenAlex URL) or an exact name; a
    fuzzy match is refused. Papers and institutions stay. An entry (who, when, which id,
    --reason, how many links) is appended to the audit log, and the id (as a SHA-256 digest)
    to the erasure register, so later ingests and imports withhold the person's records under
    the same id. Set COLLABGRAPH_ERASURES to one shared file when several people write to one
    Neo4j database.

    Example: collabgraph forget orcid:0000-0002-1825-0097 --reason "erasure request 2026-14" --yes
    """
    node = exact_researcher(app, researcher)
    neighbours = app.store.view().neighbours(node.id)
    links = Counter(rel.type for rel, _ in neighbours)
    described = ", ".join(f"{n} {t}" for t, n in sorted(links.items())) or "no links"
    log_path = audit_log.log_path_for(app)
    # Check the audit log can be written before deleting: a deletion must never go unrecorded.
    audit_log.write_entry(
        log_path,
        {**_entry(app, researcher, node, reason, None), "command": "forget-requested"},
    )
    if not yes:
        click.echo(
            f"about to delete {node.props.get('name')!r} ({node.id}) and {described}", err=True
        )
        if not click.confirm("Delete?", default=False, err=True):
            raise CollabgraphError("nothing deleted (not confirmed)")
    # Registered before the deletion: if the deletion then fails, rerunning forget completes it,
    # and no ingest in between can bring the person back.
    register = ErasureRegister.for_store(app.store.location)
    register.add(node.id, datetime.now(UTC).isoformat(timespec="seconds"))
    deleted = app.store.delete_nodes([node.id])
    if deleted != 1:
        raise CollabgraphError(f"{node.id} was not deleted (it disappeared meanwhile?)")
    audit_log.write_entry(log_path, _entry(app, researcher, node, reason, sum(links.values())))
    # The person's CO_AUTHORED went with the node, and every other pair's facts depend on the
    # two researchers' own papers only, except that a paper with one author fewer may now be
    # small enough to pair its other authors (MAX_AUTHORS_FOR_PAIRS): those papers are
    # derived again.
    papers = {rel.end for rel, _ in neighbours if rel.type == "AUTHORED"}
    derive(app.store, Touched(papers=papers))
    if not app.quiet:
        click.echo(
            f"deleted {node.id} and {described}; audit entry in {log_path}; later ingests "
            f"withhold this id (erasure register {register.path})",
            err=True,
        )


def _entry(
    app: AppContext, query: str, node: Node, reason: str | None, results: int | None
) -> dict[str, object]:
    """An audit entry: the id and what was typed, never the stored name or other properties."""
    params = {"researcher": query, "id": node.id, "reason": reason}
    return audit_log.make_entry(app, "forget", params, results)
