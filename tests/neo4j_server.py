"""Starts the in-process Neo4j 5.26 test server from tools/neo4j-testserver (Java 17 + Maven).

The server exits when its standard input closes, so a test run that dies leaves no JVM behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "neo4j-testserver"
CLASSPATH = TOOL / "target" / "classpath.txt"
CLASSES = TOOL / "target" / "classes"
MAIN = "org.collabgraph.testserver.Main"


class ServerUnavailable(RuntimeError):
    """Java or Maven is missing, or the server did not start; the message says what to do."""


@dataclass
class RunningServer:
    uri: str
    startup_seconds: float
    process: subprocess.Popen[str]
    workdir: str

    def stop(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def missing_tools() -> list[str]:
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def build() -> None:
    """Compile the server and resolve its classpath, unless the build is already current."""
    sources = [TOOL / "pom.xml", *TOOL.glob("src/**/*.java")]
    if CLASSPATH.exists() and CLASSES.exists():
        built = CLASSPATH.stat().st_mtime
        if all(src.stat().st_mtime <= built for src in sources):
            return
    missing = missing_tools()
    if missing:
        raise ServerUnavailable(
            f"the Neo4j test server needs {' and '.join(missing)}: install "
            "Java 17 and Maven (apt-get install openjdk-17-jdk maven), or "
            "set NEO4J_URI to a running Neo4j 5"
        )
    done = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(TOOL / "pom.xml"), "package", "-DskipTests"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ServerUnavailable(
            "building tools/neo4j-testserver failed:\n" + (done.stdout + done.stderr)[-3000:]
        )


def start(timeout: float = 180.0) -> RunningServer:
    """Build if needed, start the server on a free port and wait for its Bolt URI."""
    build()
    workdir = tempfile.mkdtemp(prefix="collabgraph-neo4j-")
    classpath = f"{CLASSES}{os.pathsep}{CLASSPATH.read_text().strip()}"
    heap = os.environ.get("COLLABGRAPH_TEST_NEO4J_HEAP", "768m")
    started = time.monotonic()
    process = subprocess.Popen(
        ["java", f"-Xmx{heap}", "-cp", classpath, MAIN, "0", workdir],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    found: dict[str, str] = {}
    log_tail: list[str] = []

    def read_stdout() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("BOLT_URI="):
                found["uri"] = line.split("=", 1)[1].strip().rstrip("/")

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log_tail.append(line)
            del log_tail[:-40]

    threading.Thread(target=read_stdout, daemon=True).start()
    threading.Thread(target=read_stderr, daemon=True).start()
    while "uri" not in found:
        if process.poll() is not None or time.monotonic() - started > timeout:
            process.kill()
            raise ServerUnavailable("the Neo4j test server did not start:\n" + "".join(log_tail))
        time.sleep(0.1)
    return RunningServer(found["uri"], time.monotonic() - started, process, workdir)
