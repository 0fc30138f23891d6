"""Fetch OpenAlex works from the live API into a JSON-lines file (``collabgraph fetch openalex``).

Cursor paging (``cursor=*`` then ``meta.next_cursor``) with a hard cap on the number of
records, a polite ``mailto`` and User-Agent, an API key from ``OPENALEX_API_KEY`` when set
(never printed: URLs in messages are redacted), and retries with exponential backoff on 429
and 5xx. HTTP goes through an injectable function, so tests replay recorded responses.
The output is written to a temporary file and renamed, so a failed fetch leaves no half file.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from collabgraph import __version__
from collabgraph.graph.errors import CollabgraphError

API = "https://api.openalex.org/works"
MAX_ATTEMPTS = 5
PER_PAGE_MAX = 200


class FetchError(CollabgraphError):
    """The API could not be used; the message says what to do."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


HttpGet = Callable[[str, dict[str, str]], Response]


def urllib_get(url: str, headers: dict[str, str]) -> Response:
    """The default transport: one GET with urllib (no dependency), 60 s timeout."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return Response(reply.status, dict(reply.headers.items()), reply.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, dict(exc.headers.items()) if exc.headers else {}, exc.read())


def redact(url: str) -> str:
    """The URL without its api_key value (safe to print)."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, "***" if k == "api_key" else v) for k, v in urllib.parse.parse_qsl(parts.query)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace").strip()
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or "")[:300]
    return ""


@dataclass
class FetchSummary:
    records: int = 0
    pages: int = 0
    retries: int = 0
    capped: bool = False
    path: str = ""


class OpenAlexFetcher:
    """Pages through ``/works`` for one filter; see :func:`fetch_openalex`."""

    def __init__(
        self,
        *,
        mailto: str | None = None,
        api_key: str | None = None,
        http: HttpGet = urllib_get,
        sleep: Callable[[float], None] = time.sleep,
        base_url: str = API,
    ) -> None:
        self.mailto = mailto
        self.api_key = api_key if api_key is not None else os.environ.get("OPENALEX_API_KEY")
        self.http = http
        self.sleep = sleep
        self.base_url = base_url

    def _url(self, params: dict[str, str]) -> str:
        query = dict(params)
        if self.mailto:
            query["mailto"] = self.mailto
        if self.api_key:
            query["api_key"] = self.api_key
        return f"{self.base_url}?{urllib.parse.urlencode(query)}"

    def get_page(self, params: dict[str, str], summary: FetchSummary) -> dict[str, Any]:
        url = self._url(params)
        agent = f"collabgraph/{__version__}" + (f" (mailto:{self.mailto})" if self.mailto else "")
        headers = {"User-Agent": agent, "Accept": "application/json"}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                reply = self.http(url, headers)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reply = Response(0, {}, str(exc).encode())
            if reply.status == 200:
                try:
                    page = json.loads(reply.body)
                except ValueError as exc:
                    raise FetchError(f"OpenAlex sent a page that is not JSON ({exc})") from exc
                if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                    raise FetchError("OpenAlex sent a page without 'results'; check the URL")
                return page
            retryable = reply.status in (0, 429) or reply.status >= 500
            if not retryable or attempt == MAX_ATTEMPTS:
                raise FetchError(self._explain(reply, url))
            summary.retries += 1
            self.sleep(self._wait(reply, attempt))
        raise AssertionError("unreachable")

    @staticmethod
    def _wait(reply: Response, attempt: int) -> float:
        after = reply.headers.get("Retry-After") or reply.headers.get("retry-after")
        if after and after.strip().isdigit():
            return min(float(after), 60.0)
        return float(2 ** (attempt - 1))

    def _explain(self, reply: Response, url: str) -> str:
        detail = _message(reply.body)
        where = redact(url)
        if reply.status == 0:
            return f"cannot reach OpenAlex ({detail}); check your network or proxy and retry"
        if reply.status == 400:
            return (
                f"OpenAlex rejected the request (HTTP 400: {detail}); check the --filter "
                f"syntax, e.g. authorships.institutions.country_code:BE ({where})"
            )
        if reply.status in (401, 403):
            return (
                f"OpenAlex refused access (HTTP {reply.status}: {detail}); check the "
                "OPENALEX_API_KEY environment variable"
            )
        if reply.status == 429:
            return (
                f"OpenAlex rate limit still hit after {MAX_ATTEMPTS} attempts; wait and retry, "
                "pass --mailto for the polite pool, or set OPENALEX_API_KEY"
            )
        return (
            f"OpenAlex failed with HTTP {reply.status} after {MAX_ATTEMPTS} attempts "
            f"({detail}); try again later"
        )


def _open_out(path: Path, *, compress: bool) -> IO[bytes]:
    if compress:
        # GzipFile is a BufferedIOBase, which typeshed does not count as IO[bytes].
        handle: IO[bytes] = gzip.open(path, "wb", compresslevel=6)  # type: ignore[assignment]
        return handle
    return path.open("wb")


def fetch_openalex(
    filter_text: str,
    out: Path,
    *,
    max_records: int,
    fetcher: OpenAlexFetcher,
    search: str | None = None,
    per_page: int = PER_PAGE_MAX,
    on_page: Callable[[int], None] | None = None,
) -> FetchSummary:
    """Write up to ``max_records`` works matching ``filter_text`` to ``out`` (JSON lines)."""
    if max_records < 1:
        raise FetchError("--max-records must be at least 1")
    summary = FetchSummary(path=str(out))
    tmp = out.with_name(f".{out.name}.part")
    cursor: str | None = "*"
    try:
        with _open_out(tmp, compress=out.name.endswith(".gz")) as fh:
            while cursor and summary.records < max_records:
                params = {
                    "filter": filter_text,
                    "per-page": str(min(per_page, PER_PAGE_MAX, max_records - summary.records)),
                    "cursor": cursor,
                }
                if search:
                    params["search"] = search
                page = fetcher.get_page(params, summary)
                summary.pages += 1
                results = page["results"]
                for work in results[: max_records - summary.records]:
                    fh.write(json.dumps(work, ensure_ascii=False).encode("utf-8") + b"\n")
                    summary.records += 1
                if on_page:
                    on_page(summary.records)
                meta: dict[str, Any] = page["meta"] if isinstance(page.get("meta"), dict) else {}
                cursor = meta.get("next_cursor") if results else None
        summary.capped = bool(cursor) and summary.records >= max_records
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return summary
