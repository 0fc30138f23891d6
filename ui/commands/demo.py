"""``collabgraph demo``: the whole pipeline on the bundled sample, ending in a report."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import click

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.open import is_neo4j
from collabgraph.ingest.sample import ingest_sample, sample_path
from collabgraph.ui.report import build_report, write_report
from collabgraph.ui.report.data import STUDY
from collabgraph.ui.report.summary import indicators_table

from ..context import AppContext
from .report import progress_printer

DEMO_DIR = Path("collabgraph-demo")
DEMO_STORE = DEMO_DIR / "graph.db"


def sample_note(works_in_file: int, papers: int, rejected: int) -> str:
    """What the demo's numbers are, said plainly (shown by the demo and in the report)."""
    return (
        f"This graph holds the bundled sample only: {works_in_file} Belgium–China works taken "
        f"from one OpenAlex snapshot ({papers} papers in the graph, {rejected} record(s) "
        "rejected, see rejects/), not Belgium's full output with China. The counts below are "
        "counts of this sample; they are not estimates of national totals."
    )


def scale_lines() -> list[str]:
    """The published study's figures, for scale."""
    lines = [f"For scale, the {STUDY['title']} published:"]
    for f in STUDY["figures"]:
        lines.append(f"  {f['value']:>6,}  {f['what']} ({f['year']})")
    return lines


@click.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report directory [default: ./collabgraph-demo/report/].",
)
@click.option(
    "--force",
    is_flag=True,
    help="Allow replacing an existing graph file named with the global --store.",
)
@click.pass_obj
def demo(app: AppContext, output: Path | None, force: bool) -> None:
    """Run the whole pipeline on the bundled sample and write a report.

    Loads ROR records, the ASPI and Section 1286 lists, the EC critical-technology areas and
    330 real Belgium–China works (resolving institutions and tagging technologies) into an
    embedded graph at ./collabgraph-demo/graph.db (or the file given with the global
    --store), then writes the report to ./collabgraph-demo/report/ (or -o DIR) and prints the
    yearly table. No network, Java or server is needed.

    Every run starts clean: the demo graph, its rejects/ and the report files in the report
    directory are replaced, so two runs give the same numbers. A --store file that already
    exists is only replaced with --force (it may be your own graph); a Neo4j URI is refused.
    """
    say = progress_printer(app.quiet)
    started = time.monotonic()
    spec = app.store_spec
    if spec is not None and is_neo4j(spec):
        raise CollabgraphError("the demo builds an embedded graph; give --store a file path")
    graph_path = Path(spec) if spec else DEMO_STORE
    if spec and graph_path.exists() and not force:
        raise CollabgraphError(
            f"{graph_path} already exists and the demo starts clean; use --force to replace "
            "it or name a new file with --store"
        )
    report_dir = output if output is not None else graph_path.parent / "report"
    rejects_dir = graph_path.parent / "rejects"
    graph_path.unlink(missing_ok=True)
    if rejects_dir.is_dir():
        shutil.rmtree(rejects_dir)
    say(f"loading the bundled sample into {graph_path} (ROR, lists, technologies, works)")
    store = EmbeddedStore(graph_path)
    loaded = ingest_sample(store, quiet=True, rejects_dir=rejects_dir)
    for line in loaded.lines():
        say(line)
    with sample_path("works").open("rb") as fh:
        works_in_file = len(json.load(fh))
    papers = store.view().counts().nodes.get("Paper", 0)
    note = sample_note(works_in_file, papers, loaded.rejected)
    found = build_report(store, notes=[note], progress=say)
    say(f"writing the report to {report_dir}")
    paths = write_report(store, report_dir, found, force=True, quiet=True)
    took = time.monotonic() - started
    click.echo(note)
    click.echo()
    click.echo(indicators_table(found))
    click.echo()
    click.echo("\n".join(scale_lines()))
    click.echo()
    click.echo(f"graph:  {graph_path}")
    click.echo(f"report: {paths['html']}")
    click.echo(f"done in {took:.0f} s")
