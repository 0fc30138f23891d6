"""``collabgraph generate``: write a synthetic OpenAlex-shaped corpus for benchmarks and tests."""

from __future__ import annotations

import sys

import click

from collabgraph.ingest.synthetic import write_corpus

from ..context import AppContext


@click.command()
@click.option("--works", "-n", type=click.IntRange(min=0), required=True, help="Number of works.")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="Output file: .jsonl.gz (gzip, fast level) or .jsonl; '-' writes JSON lines to stdout.",
)
@click.pass_obj
def generate(app: AppContext, works: int, seed: int, output: str) -> None:
    """Write N synthetic works in the OpenAlex work schema, deterministic for a seed.

    The corpus streams to disk (memory stays flat at any N) and mimics real co-publication
    data: power-law team sizes and author productivity, real Belgian and Chinese ROR
    institutions with a realistic share of ASPI / Section 1286 listed partners, titles that
    touch the EC critical-technology areas, years 2000-2025. Every record carries
    "synthetic": true. Example: collabgraph generate --works 100000 --seed 1 -o corpus.jsonl.gz
    """
    show = not app.quiet and output != "-"

    def progress(done: int) -> None:
        if show and (done % 10_000 < 512 or done == works):
            sys.stderr.write(f"\rgenerate: {done}/{works} works")
            sys.stderr.flush()

    summary = write_corpus(output, works, seed, progress=progress)
    if show:
        sys.stderr.write(
            f"\ngenerated {summary.works} works ({summary.authorships} authorships, "
            f"{summary.bytes_written / 1e6:.1f} MB) -> {summary.path}\n"
        )
