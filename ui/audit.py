"""The audit trail: who looked up whom, when, with which parameters and how many results.

The log is append-only JSON lines, one entry per look-up of a person or institution (CLI command
or workbench page) and per ``forget``. Its location is, in order: ``--audit-log``, the
``COLLABGRAPH_AUDIT_LOG`` environment variable, else ``collabgraph.audit.jsonl`` beside the
embedded store file (for Neo4j: ``$XDG_STATE_HOME/collabgraph/``, by default
``~/.local/state/collabgraph/``). The file is created owner-only (0600):
it names the people who were looked up.

Each entry is written with a single ``write`` on a descriptor opened with ``O_APPEND``, so
concurrent writers (several CLI runs, the workbench) never interleave half lines, and nothing in
this module ever rewrites or truncates the file.

>>> record(app, "paths", {"researcher": "Ann Peeters", "max_hops": 3}, results=2)  # doctest: +SKIP
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
import orjson

from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.open import DEFAULT_STORE, is_neo4j
from collabgraph.graph.sidecar import append_line, sidecar_path

__all__ = [
    "AUDIT_ENV",
    "AuditError",
    "AuditFilter",
    "audit_path",
    "log_path_for",
    "make_entry",
    "os_user",
    "read_entries",
    "record",
    "record_command",
    "record_page",
    "write_entry",
]

AUDIT_ENV = "COLLABGRAPH_AUDIT_LOG"
ANALYST_ENV = "COLLABGRAPH_ANALYST"
AUDIT_FILE = "collabgraph.audit.jsonl"
# Long parameter values (a pasted abstract, a 1 MB name) are cut so one entry stays one line of
# reasonable size; the cut is marked so nobody mistakes it for the full value.
MAX_VALUE_CHARS = 2000


class AuditError(CollabgraphError):
    """The audit log cannot be written or read (the message names the file)."""


def os_user() -> str:
    """The operating-system account running this process (``unknown`` if it cannot be told)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def redact_spec(spec: str) -> str:
    """A store spec safe to log: a URI loses any ``user:password@`` part."""
    if not is_neo4j(spec):
        return spec
    parts = urlsplit(spec)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def audit_path(
    store_spec: str | None = None, explicit: str | os.PathLike[str] | None = None
) -> Path:
    """Where the audit log lives for this store (see the module docstring for the order)."""
    if explicit:
        return Path(explicit)
    if os.environ.get(AUDIT_ENV):
        return Path(os.environ[AUDIT_ENV])
    spec = store_spec or os.environ.get("COLLABGRAPH_STORE") or DEFAULT_STORE
    return sidecar_path(spec, AUDIT_FILE)


def _clean(value: Any) -> Any:
    """A JSON-safe copy of a parameter value with long strings cut."""
    if isinstance(value, str):
        if len(value) > MAX_VALUE_CHARS:
            return value[:MAX_VALUE_CHARS] + f"…[{len(value) - MAX_VALUE_CHARS} more chars]"
        return value
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    return _clean(str(value))


def write_entry(path: Path, entry: Mapping[str, Any]) -> None:
    """Append one entry as one line, with one ``write`` on an ``O_APPEND`` descriptor.

    The entry is on disk (fsync) before this returns: ``forget`` deletes only after its
    "requested" entry is written, and a deletion must not outlive its record in a power cut.
    """
    line = orjson.dumps(_clean(entry)) + b"\n"
    try:
        append_line(path, line)
    except OSError as exc:
        raise AuditError(
            f"cannot write the audit log {path} ({exc.strerror or exc}): set {AUDIT_ENV} or "
            "--audit-log to a writable file"
        ) from None


def make_entry(
    app: Any,
    command: str,
    params: Mapping[str, Any],
    results: int | None,
    *,
    via: str = "cli",
) -> dict[str, Any]:
    """An audit entry for ``app`` (see :func:`record`), not yet written."""
    spec = getattr(app, "store_spec", None)
    user = os_user()
    analyst = getattr(app, "analyst", None) or os.environ.get(ANALYST_ENV) or user
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "analyst": analyst,
        "os_user": user,
        "via": via,
        "command": command,
        "params": dict(params),
        "results": results,
        "store": redact_spec(spec or os.environ.get("COLLABGRAPH_STORE") or DEFAULT_STORE),
    }


def log_path_for(app: Any) -> Path:
    """The audit log ``app`` writes to."""
    return audit_path(getattr(app, "store_spec", None), getattr(app, "audit_log", None))


def record(
    app: Any,
    command: str,
    params: Mapping[str, Any],
    results: int | None,
    *,
    via: str = "cli",
) -> dict[str, Any]:
    """Append an audit entry for one look-up and return it.

    ``app`` is anything with the optional attributes ``analyst``, ``audit_log`` and
    ``store_spec`` (the CLI's :class:`~collabgraph.ui.context.AppContext`, or the workbench's
    session settings); missing ones fall back to the OS user, ``COLLABGRAPH_AUDIT_LOG`` and the
    default store. ``results`` is how many things the look-up returned.
    """
    entry = make_entry(app, command, params, results, via=via)
    write_entry(log_path_for(app), entry)
    return entry


def record_command(app: Any, results: int | None, **extra: Any) -> dict[str, Any]:
    """Audit the running click command: its name and given parameters, plus ``extra``.

    One line in a look-up command, after the look-up and before printing::

        audit.record_command(app, len(found), id=node.id)
    """
    ctx = click.get_current_context(silent=True)
    command = " ".join(ctx.command_path.split()[1:]) if ctx is not None else "unknown"
    given = ctx.params if ctx is not None else {}
    params = {k: v for k, v in given.items() if v not in (None, (), [], False, "")}
    params.update(extra)
    return record(app, command or "unknown", params, results)


def record_page(
    session: Any,
    page: str,
    params: Mapping[str, Any],
    results: int | None,
    *,
    store_spec: str | None = None,
) -> dict[str, Any] | None:
    """Audit a workbench page showing a person or institution, once per session and parameters.

    Streamlit reruns a page on every click, so the same view is recorded only the first time.
    The analyst is the name typed in the sidebar (``session["analyst"]``), else the OS user.
    """
    key = orjson.dumps([page, _clean(params)], option=orjson.OPT_SORT_KEYS).decode()
    if "_audited" not in session:
        session["_audited"] = set()
    seen: set[str] = session["_audited"]
    if key in seen:
        return None
    who = SimpleNamespace(analyst=session.get("analyst") or None, store_spec=store_spec)
    entry = record(who, page, params, results, via="ui")
    seen.add(key)
    return entry


def read_entries(path: Path) -> Iterator[dict[str, Any]]:
    """Every entry of the log in order; a damaged line raises :class:`AuditError` naming it."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"cannot read the audit log {path} ({exc.strerror})") from None
    with fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise AuditError(f"{path}:{line_no}: not a JSON audit entry ({exc})") from None
            if not isinstance(entry, dict):
                raise AuditError(f"{path}:{line_no}: an audit entry must be a JSON object")
            if not {"time", "command"} <= entry.keys():
                raise AuditError(
                    f"{path}:{line_no}: not an audit entry (no 'time' and 'command'); "
                    "is this file the audit log?"
                )
            yield entry


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; every given criterion must hold."""

    analyst: str | None = None
    command: str | None = None
    since: str | None = None
    until: str | None = None
    contains: str | None = None

    def matches(self, entry: Mapping[str, Any]) -> bool:
        time = str(entry.get("time", ""))
        if self.analyst is not None and entry.get("analyst") != self.analyst:
            return False
        if self.command is not None and entry.get("command") != self.command:
            return False
        # ISO timestamps compare correctly as text; a bare date means from/through that day.
        if self.since is not None and time < self.since:
            return False
        if self.until is not None and time[: len(self.until)] > self.until:
            return False
        if self.contains is not None:
            needle = self.contains.casefold()
            values = orjson.dumps(entry.get("params", {})).decode().casefold()
            if needle not in values:
                return False
        return True

    def apply(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        return (e for e in entries if self.matches(e))
