"""Shared pytest fixtures: a spikelite server for the whole test session.

The ``spikelite_server`` fixture starts ``python -m spikelite`` as a child
process (with the interpreter running pytest, from the repository root) on a
free port, waits for its ``spikelite listening on HOST:PORT`` line and stops it
(SIGTERM, then SIGKILL after 5 s) when the session ends.

Escape hatch: with ``SPIKELITE_HOST_PORT=host:port`` in the environment no
child is started and the fixture points at that server instead (for example a
real Aerospike node configured like ``tests/spikelite.conf``), so the same
suite can be run against the real thing.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = REPO_ROOT / "tests" / "spikelite.conf"

HOST_PORT_ENV = "SPIKELITE_HOST_PORT"
STARTUP_TIMEOUT_S = 20.0
STOP_GRACE_S = 5.0

_LISTENING_RE = re.compile(r"spikelite listening on (?P<host>\S+):(?P<port>\d+)\s*$")


@dataclass(frozen=True)
class ServerInfo:
    """Where the server under test listens."""

    host: str
    port: int
    config_path: Path
    # The child process when this session started the server, else None.
    process: Optional[subprocess.Popen] = None

    @property
    def address(self) -> tuple:
        return (self.host, self.port)


def _parse_host_port(value: str) -> tuple:
    host, sep, port = value.strip().rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"{HOST_PORT_ENV} must look like host:port, got {value!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


class _StdoutWatcher(threading.Thread):
    """Reads the child's stdout line by line so the pipe never fills up, and
    signals when the listening line has been seen."""

    def __init__(self, stream):
        super().__init__(name="spikelite-stdout", daemon=True)
        self._stream = stream
        self.lines: list = []
        self.address: Optional[tuple] = None
        self.found = threading.Event()
        self.closed = threading.Event()

    def run(self) -> None:
        try:
            for raw in iter(self._stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.lines.append(line)
                if self.address is None:
                    match = _LISTENING_RE.search(line)
                    if match:
                        host = match.group("host")
                        if host.startswith("[") and host.endswith("]"):
                            host = host[1:-1]
                        self.address = (host, int(match.group("port")))
                        self.found.set()
        finally:
            self.closed.set()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_GRACE_S)


def _read_all(fileobj) -> str:
    try:
        fileobj.flush()
        fileobj.seek(0)
        return fileobj.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return "<stderr unavailable>"


@pytest.fixture(scope="session")
def spikelite_server():
    """The server under test: an object with ``.host``, ``.port`` and ``.config_path``."""
    override = os.environ.get(HOST_PORT_ENV, "").strip()
    if override:
        host, port = _parse_host_port(override)
        yield ServerInfo(host=host, port=port, config_path=CONFIG_PATH)
        return

    stderr_file = tempfile.TemporaryFile(prefix="spikelite-stderr-")
    cmd = [
        sys.executable,
        "-m",
        "spikelite",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--config",
        str(CONFIG_PATH),
    ]
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    proc = subprocess.Popen(
        cmd,
        cwd=str(REPO_ROOT),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr_file,
        env=env,
    )
    watcher = _StdoutWatcher(proc.stdout)
    watcher.start()

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not watcher.found.is_set():
        if proc.poll() is not None or watcher.closed.is_set():
            # Give the reader a moment to pick up a last line.
            watcher.found.wait(0.2)
            if watcher.found.is_set():
                break
            proc.wait(timeout=STOP_GRACE_S)
            stderr = _read_all(stderr_file)
            stderr_file.close()
            pytest.fail(
                f"spikelite exited with code {proc.returncode} before listening\n"
                f"command: {' '.join(cmd)}\n"
                f"stdout:\n" + "\n".join(watcher.lines) + f"\nstderr:\n{stderr}",
                pytrace=False,
            )
        if time.monotonic() >= deadline:
            _stop(proc)
            stderr = _read_all(stderr_file)
            stderr_file.close()
            pytest.fail(
                f"spikelite did not print its listening line within {STARTUP_TIMEOUT_S:.0f} s\n"
                f"command: {' '.join(cmd)}\n"
                f"stdout:\n" + "\n".join(watcher.lines) + f"\nstderr:\n{stderr}",
                pytrace=False,
            )
        watcher.found.wait(0.05)

    host, port = watcher.address
    try:
        yield ServerInfo(host=host, port=port, config_path=CONFIG_PATH, process=proc)
    finally:
        _stop(proc)
        watcher.join(timeout=STOP_GRACE_S)
        if proc.stdout is not None:
            proc.stdout.close()
        stderr_file.close()
