"""The `spikelite` command line: --version, --log-level and the start-up line."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import spikelite
import spikelite.cli

ROOT = Path(__file__).resolve().parents[2]
VERSION = (ROOT / "VERSION").read_text().strip()


def _lines_until(proc: subprocess.Popen, count: int, timeout: float = 30.0) -> list[str]:
    lines: list[str] = []

    def read():
        while len(lines) < count:
            line = proc.stdout.readline()
            if not line:
                return
            lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return lines


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "spikelite", "--port", "0", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    return err


def test_version_is_the_repository_version():
    proc = subprocess.run([sys.executable, "-m", "spikelite", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "spikelite %s" % VERSION
    assert spikelite.__version__ == VERSION


def test_startup_line_follows_the_listening_line_and_names_config_namespaces_ports():
    proc = _start("--config", "tests/spikelite.conf")
    try:
        lines = _lines_until(proc, 2)
    finally:
        _stop(proc)
    assert len(lines) == 2, lines
    listening = re.fullmatch(r"spikelite listening on 127\.0\.0\.1:(\d+)", lines[0])
    assert listening, lines
    port = listening.group(1)
    assert lines[1] == "spikelite %s: config tests/spikelite.conf; namespaces test, ttl; ports 127.0.0.1:%s" % (
        VERSION, port)


def test_startup_line_of_a_local_cluster_without_config():
    proc = _start("--nodes", "2")
    try:
        lines = _lines_until(proc, 3)
    finally:
        _stop(proc)
    assert len(lines) == 3, lines
    ports = [re.fullmatch(r"spikelite listening on (127\.0\.0\.1:\d+)", line).group(1) for line in lines[:2]]
    assert lines[2] == "spikelite %s: config (none: built-in default); namespaces test; ports %s" % (
        VERSION, ", ".join(ports))


def test_log_level_debug_logs_to_stderr_and_bad_level_is_refused():
    proc = _start("--log-level", "debug")
    try:
        assert len(_lines_until(proc, 2)) == 2
    finally:
        err = _stop(proc)
    assert " DEBUG " in err or " INFO " in err, err
    bad = subprocess.run([sys.executable, "-m", "spikelite", "--log-level", "loud"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
    assert "invalid choice: 'loud'" in bad.stderr


def _info_build(port: int) -> bytes:
    import socket
    import struct
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(struct.pack(">Q", (2 << 56) | (1 << 48) | 6) + b"build\n")
        header = sock.recv(8, socket.MSG_WAITALL)
        size = struct.unpack(">Q", header)[0] & ((1 << 48) - 1)
        return sock.recv(size, socket.MSG_WAITALL)


def test_event_loop_choice_serves_requests_and_says_which_loop_at_info_level():
    try:
        import uvloop  # noqa: F401
        have_uvloop = True
    except ImportError:
        have_uvloop = False
    for choice, expected in (("asyncio", "asyncio"), ("auto", "uvloop" if have_uvloop else "asyncio")):
        proc = _start("--event-loop", choice, "--log-level", "info")
        try:
            lines = _lines_until(proc, 2)
            port = int(re.fullmatch(r"spikelite listening on 127\.0\.0\.1:(\d+)", lines[0]).group(1))
            assert _info_build(port) == b"build\t8.1.2.0\n"
        finally:
            err = _stop(proc)
        assert "event loop: %s" % expected in err, err
    assert spikelite.cli.event_loop_runner("asyncio")[0] == "asyncio"


def test_event_loop_uvloop_without_uvloop_is_refused(monkeypatch, capsys):
    import spikelite.cli
    monkeypatch.setitem(sys.modules, "uvloop", None)  # `import uvloop` fails
    assert spikelite.cli.event_loop_runner("uvloop") is None
    assert spikelite.cli.event_loop_runner("auto")[0] == "asyncio"
    assert spikelite.cli.main(["--event-loop", "uvloop", "--port", "0"]) == 2
    assert "uvloop is not installed" in capsys.readouterr().err
