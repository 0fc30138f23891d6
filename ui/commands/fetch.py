"""``collabgraph fetch openalex``: download works from the OpenAlex API into a file to ingest."""

from __future__ import annotations

from pathlib import Path

import click

from collabgraph.ingest.fetch import OpenAlexFetcher, fetch_openalex

from ..context import AppContext


@click.group()
def fetch() -> None:
    """Download records from a live API into a file (then load it with `collabgraph ingest`)."""


@fetch.command("openalex")
@click.option(
    "--filter",
    "filter_text",
    required=True,
    help="OpenAlex works filter, e.g. "
    "'authorships.institutions.country_code:BE,publication_year:2020'.",
)
@click.option("--search", help="Optional full-text search term.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Output file: JSON lines, gzip-compressed when it ends in .gz.",
)
@click.option(
    "--max-records",
    type=click.IntRange(min=1),
    default=10000,
    show_default=True,
    help="Hard cap on the number of works fetched.",
)
@click.option(
    "--mailto",
    envvar="OPENALEX_MAILTO",
    help="Your e-mail for OpenAlex's polite pool (sent in the User-Agent and URL). "
    "[env: OPENALEX_MAILTO]",
)
@click.pass_obj
def openalex_fetch(
    app: AppContext,
    filter_text: str,
    search: str | None,
    output: str,
    max_records: int,
    mailto: str | None,
) -> None:
    """Fetch OpenAlex works with cursor paging, retrying on 429/5xx with backoff.

    An API key is read from the OPENALEX_API_KEY environment variable when set and is never
    printed. Load the result with `collabgraph ingest openalex FILE`.
    """
    fetcher = OpenAlexFetcher(mailto=mailto)

    def progress(count: int) -> None:
        if not app.quiet:
            click.echo(f"\rfetched {count} works", err=True, nl=False)

    summary = fetch_openalex(
        filter_text,
        Path(output),
        max_records=max_records,
        fetcher=fetcher,
        search=search,
        on_page=progress,
    )
    if not app.quiet:
        click.echo("", err=True)
        capped = " (stopped at --max-records)" if summary.capped else ""
        click.echo(
            f"wrote {summary.records} works in {summary.pages} pages to {output}{capped}"
            f"; retries: {summary.retries}",
            err=True,
        )
