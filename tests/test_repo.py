"""Promises the repository makes to a newcomer: compose file, README commands, CLI help."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from collabgraph.ui.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_compose_services_ports_healthcheck_and_dependency() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    app = compose["services"]["app"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"] + app["ports"]), (
        "ports must be published on localhost only"
    )
    assert {p.split(":", 1)[1] for p in neo4j["ports"]} == {"7474:7474", "7687:7687"}
    health = " ".join(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in health and "RETURN 1" in health, health
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["COLLABGRAPH_STORE"].startswith("bolt://neo4j:")
    auth = neo4j["environment"]["NEO4J_AUTH"]
    assert "${NEO4J_PASSWORD:?" in auth, "no default password may be written in the file"
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().splitlines()[:40]
    text = "\n".join(head)
    assert "collabgraph demo" in text, "the first command must run the main job"
    assert "pytest" in text, "the second command must run the tests"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in readme and "python -m pytest" in ci


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name, command", _commands(cli), ids=lambda v: str(v))
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_stats_json_on_an_empty_store(tmp_path: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "g.db"), "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"nodes", "relationships", "store", "schema_version"}
    assert data["nodes"]["Researcher"] == 0
    assert data["store"].endswith("g.db")
