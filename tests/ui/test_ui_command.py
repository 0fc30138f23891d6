"""``collabgraph ui``: runs streamlit on the workbench, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.ui.cli import cli
from collabgraph.ui.commands import ui_cmd


class _Ran:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, command: list[str], *, env: dict[str, str], check: bool) -> Any:
        self.calls.append((command, env))
        return subprocess.CompletedProcess(command, 0)


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> _Ran:
    recorder = _Ran()
    monkeypatch.setattr(ui_cmd.subprocess, "run", recorder)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    return recorder


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_defaults_bind_localhost_and_pass_the_store(ran: _Ran) -> None:
    result = CliRunner().invoke(cli, ["--store", "/data/g.db", "ui"])
    assert result.exit_code == 0, result.output
    command, env = ran.calls[0]
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app/main.py")
    assert _option(command, "--server.address") == "127.0.0.1"
    assert _option(command, "--server.port") == "8501"
    assert _option(command, "--server.headless") == "true"
    assert env["COLLABGRAPH_STORE"] == "/data/g.db"


def test_host_and_port(ran: _Ran) -> None:
    result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0", "--port", "9000"])
    assert result.exit_code == 0, result.output
    command, env = ran.calls[0]
    assert _option(command, "--server.address") == "0.0.0.0"
    assert _option(command, "--server.port") == "9000"
    assert env["COLLABGRAPH_STORE"] == "collabgraph.db"  # the default store


def test_bad_port_is_a_usage_error(ran: _Ran) -> None:
    result = CliRunner().invoke(cli, ["ui", "--port", "0"])
    assert result.exit_code == 2 and not ran.calls


def test_streamlit_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(command: list[str], *, env: dict[str, str], check: bool) -> Any:
        return subprocess.CompletedProcess(command, 3)

    monkeypatch.setattr(ui_cmd.subprocess, "run", fail)
    result = CliRunner().invoke(cli, ["ui"])
    assert result.exit_code == 1 and "exit code 3" in result.output
