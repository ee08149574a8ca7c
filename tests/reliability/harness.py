"""A spikelite child process for the reliability runs: its log goes to a file, and its resident
memory and open file descriptors can be read from /proc while it runs.

    with ServerProcess(config_path, workdir) as server:
        server.rss_kb(), server.open_fds(), server.log_problems()
        server.kill9(); server.start()          # the crash loop: same config, same data file
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BANNER = "spikelite listening on "


class ServerProcess:
    def __init__(self, config: str | Path, workdir: str | Path, start: bool = True, timeout: float = 60.0):
        self.config = str(config)
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "spikelite.log"
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.host, self.port = "127.0.0.1", 0
        self.starts = 0
        if start:
            self.start()

    def start(self) -> "ServerProcess":
        log = open(self.log_path, "a")
        log.write("---- start %d\n" % self.starts)
        log.flush()
        # The port of the previous run is reused after a restart so a client can reconnect.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spikelite", "--config", self.config, "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        line = self._banner()
        if not line.startswith(BANNER):
            self.process.kill()
            self.process.wait()
            raise RuntimeError("spikelite did not start: %r; log: %s" % (line, self.log_tail()))
        host, _, port = line[len(BANNER):].strip().rpartition(":")
        self.host, self.port = host, int(port)
        self.starts += 1
        # Nothing else comes on stdout; drain it anyway so the child can never block on it.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        return self

    def _banner(self) -> str:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.timeout)
        return result[0] if result else "(no banner within %s s)" % self.timeout

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_kb(self) -> int:
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def open_fds(self) -> int:
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def log_problems(self) -> list[str]:
        """Log lines at ERROR or CRITICAL level, and tracebacks."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines()
                if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")]

    def kill9(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> int | None:
        """SIGTERM (then SIGKILL after 10 s); the exit status."""
        if self.process is None:
            return None
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * (len(sorted_values) - 1)))))
    return sorted_values[index]


def memory_config(path: Path, extra_namespace: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    """The test suite's two memory namespaces (tests/spikelite.conf) plus mod-lua user-path."""
    path.write_text("""
service {
    cluster-name spikelite-reliability
    proto-fd-max 5000
}
mod-lua {
    user-path %s
}
namespace test {
    replication-factor 1
    default-ttl 0
    nsup-period 1
    storage-engine memory
}
%s
""" % (path.parent / "udf", extra_namespace))
    (path.parent / "udf").mkdir(exist_ok=True)
    return path
