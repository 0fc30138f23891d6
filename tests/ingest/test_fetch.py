"""`fetch openalex` against recorded responses (no network)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from collabgraph.ingest.fetch import FetchError, OpenAlexFetcher, Response, fetch_openalex

from ..conftest import shared_file


class Replay:
    """Serves recorded responses in order and records the requests made."""

    def __init__(self, responses: list[Response]) -> None:
        self.responses = list(responses)
        self.requests: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str, headers: dict[str, str]) -> Response:
        self.requests.append((url, headers))
        return self.responses.pop(0)


def _pages() -> list[Response]:
    # Real works from the sample, split into recorded pages of 2, 2 and 1 with cursors.
    lines = shared_file("openalex-sample-works/works.jsonl").read_text().splitlines()[:5]
    works = [json.loads(x) for x in lines]
    pages = [(works[0:2], "c2"), (works[2:4], "c3"), (works[4:5], None)]
    return [
        Response(
            200, {}, json.dumps({"meta": {"count": 5, "next_cursor": cur}, "results": res}).encode()
        )
        for res, cur in pages
    ]


def test_cursor_paging_writes_gzip_lines(tmp_path: Path) -> None:
    replay = Replay(_pages())
    fetcher = OpenAlexFetcher(
        mailto="office@example.org", api_key="SECRET", http=replay, sleep=lambda s: None
    )
    out = tmp_path / "works.jsonl.gz"
    summary = fetch_openalex("institutions.country_code:BE", out, max_records=100, fetcher=fetcher)
    assert (summary.records, summary.pages, summary.capped) == (5, 3, False)
    with gzip.open(out, "rt") as fh:
        ids = [json.loads(x)["id"] for x in fh]
    assert ids[0] == "https://openalex.org/W1934649023" and len(ids) == 5
    urls = [u for u, _ in replay.requests]
    assert "cursor=%2A" in urls[0] and "cursor=c2" in urls[1] and "cursor=c3" in urls[2]
    assert all("mailto=office%40example.org" in u and "api_key=SECRET" in u for u in urls)
    assert "mailto:office@example.org" in replay.requests[0][1]["User-Agent"]


def test_hard_cap_stops_early(tmp_path: Path) -> None:
    replay = Replay(_pages())
    fetcher = OpenAlexFetcher(http=replay, sleep=lambda s: None, api_key="")
    summary = fetch_openalex("x:y", tmp_path / "w.jsonl", max_records=3, fetcher=fetcher)
    assert (summary.records, summary.pages, summary.capped) == (3, 2, True)
    assert "per-page=1" in replay.requests[1][0]  # asks only for what the cap leaves
    assert len((tmp_path / "w.jsonl").read_text().splitlines()) == 3


def test_retries_429_and_5xx_with_backoff(tmp_path: Path) -> None:
    waits: list[float] = []
    pages = _pages()
    replay = Replay(
        [Response(429, {"Retry-After": "3"}, b"{}"), Response(503, {}, b"busy"), *pages]
    )
    fetcher = OpenAlexFetcher(http=replay, sleep=waits.append, api_key="")
    summary = fetch_openalex("x:y", tmp_path / "w.jsonl", max_records=100, fetcher=fetcher)
    assert summary.records == 5 and summary.retries == 2
    assert waits == [3.0, 2.0]  # Retry-After honoured, then exponential backoff (1, 2, 4 …)


def test_errors_say_what_to_do_and_never_show_the_key(tmp_path: Path) -> None:
    bad = Replay(
        [
            Response(
                400,
                {},
                b'{"error": "Invalid query parameters", "message": '
                b'"filter foo is not a valid field"}',
            )
        ]
    )
    fetcher = OpenAlexFetcher(http=bad, sleep=lambda s: None, api_key="SECRET")
    with pytest.raises(FetchError) as err:
        fetch_openalex("foo:1", tmp_path / "w.jsonl", max_records=10, fetcher=fetcher)
    assert "check the --filter syntax" in str(err.value) and "SECRET" not in str(err.value)
    assert "foo is not a valid field" in str(err.value)
    assert not (tmp_path / "w.jsonl").exists() and not list(tmp_path.iterdir())
    limited = Replay([Response(429, {}, b"{}")] * 5)
    fetcher = OpenAlexFetcher(http=limited, sleep=lambda s: None, api_key="SECRET")
    with pytest.raises(FetchError, match="OPENALEX_API_KEY"):
        fetch_openalex("x:y", tmp_path / "w.jsonl", max_records=10, fetcher=fetcher)
    denied = Replay([Response(403, {}, b"forbidden")])
    fetcher = OpenAlexFetcher(http=denied, sleep=lambda s: None, api_key="SECRET")
    with pytest.raises(FetchError, match="check the OPENALEX_API_KEY") as err:
        fetch_openalex("x:y", tmp_path / "w.jsonl", max_records=10, fetcher=fetcher)
    assert "SECRET" not in str(err.value)


def test_api_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "FROM-ENV")
    assert OpenAlexFetcher().api_key == "FROM-ENV"
