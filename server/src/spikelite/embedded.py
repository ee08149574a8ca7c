"""Run spikelite inside the current process, on a background thread."""

from __future__ import annotations

import asyncio
import threading

from .config import ServerConfig, default_config, load_config
from .server import SpikeliteServer


class EmbeddedServer:
    """spikelite node(s) running on their own event-loop thread. Use `start()` to make one."""

    def __init__(self, config: ServerConfig, nodes: int = 1):
        if nodes == 1:
            self.servers = [SpikeliteServer(config)]
        else:
            from .cluster import build_cluster
            self.servers = build_cluster(config, nodes)
        self.server = self.servers[0]
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="spikelite", daemon=True)

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def hosts(self) -> list[tuple[str, int]]:
        """The `hosts` entry of an aerospike client config reaching this server (every node)."""
        return [(s.host, s.port) for s in self.servers]

    @property
    def tls_hosts(self) -> list[tuple[str, int, str]]:
        """`(host, tls port, tls-name)` of every node listening for TLS (config `tls-port`), the
        `hosts` entry of a client config with `tls` enabled; empty without TLS."""
        return [(s.node.tls_host, s.node.tls_port, s.config.tls.name) for s in self.servers
                if s.node.tls_port is not None]

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            for server in self.servers:
                self._loop.run_until_complete(server.start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._close_namespaces()
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        for server in self.servers:
            self._loop.run_until_complete(server.stop())
        self._loop.close()
        self._close_namespaces()

    def _close_namespaces(self) -> None:
        for server in self.servers:  # persistent namespaces release their data files
            for ns in server.node.namespaces.values():
                ns.close()

    def _start(self, timeout: float) -> "EmbeddedServer":
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("spikelite did not start within %s s" % timeout)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> "EmbeddedServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(config: ServerConfig | str | None = None, host: str = "127.0.0.1", port: int = 0,
          timeout: float = 10.0, nodes: int = 1, tls_port: int | None = None) -> EmbeddedServer:
    """Start a server in this process; `config` is a ServerConfig, a path to a config file, or None
    for the default (namespace `test` in memory). `port=0` picks a free port. `nodes` > 1 starts a
    local cluster (see `spikelite.cluster`). With TLS configured, `tls_port` overrides the config's
    `tls-port` (0 picks a free one) and `.tls_hosts` tells where it listens."""
    if config is None:
        config = default_config()
    elif not isinstance(config, ServerConfig):
        config = load_config(config)
    config.address, config.port = host, port
    if tls_port is not None:
        if config.tls is None:
            raise ValueError("tls_port needs TLS configured (tls-port and tls-name in network/service)")
        config.tls.port = tls_port
    return EmbeddedServer(config, nodes)._start(timeout)


class ChildServer:
    """A spikelite server running as a child process (`python -m spikelite`). Use `spawn()`.

    Prefer this with the official C client: some of its calls (e.g. truncate) keep the GIL while
    they wait on the network, which would starve a server thread in the same process.
    """

    def __init__(self, args: list[str], timeout: float, nodes: int = 1):
        import subprocess
        import sys

        self.process = subprocess.Popen([sys.executable, "-m", "spikelite", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        prefix = "spikelite listening on "
        tls_prefix = "spikelite tls listening on "
        self.endpoints: list[tuple[str, int]] = []
        self.tls_endpoints: list[tuple[str, int, str]] = []
        while len(self.endpoints) < nodes:
            line = self._read_banner(timeout)
            if line.startswith(tls_prefix):  # `HOST:PORT tls-name NAME`, before the node's plain line
                address, _, name = line[len(tls_prefix):].strip().partition(" tls-name ")
                host, _, port = address.rpartition(":")
                self.tls_endpoints.append((host, int(port), name))
                continue
            if not line.startswith(prefix):
                self.process.kill()
                _, err = self.process.communicate()
                raise RuntimeError("spikelite failed to start: %s" % (err.strip() or line.strip() or "no output"))
            host, _, port = line[len(prefix):].strip().rpartition(":")
            self.endpoints.append((host, int(port)))
        self.host, self.port = self.endpoints[0]

    def _read_banner(self, timeout: float) -> str:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not result:
            self.process.kill()
            raise TimeoutError("spikelite did not start within %s s" % timeout)
        return result[0]

    @property
    def hosts(self) -> list[tuple[str, int]]:
        return list(self.endpoints)

    @property
    def tls_hosts(self) -> list[tuple[str, int, str]]:
        """`(host, tls port, tls-name)` of every node listening for TLS; empty without TLS."""
        return list(self.tls_endpoints)

    def stop(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    def __enter__(self) -> "ChildServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def spawn(config: str | None = None, host: str = "127.0.0.1", port: int = 0,
          timeout: float = 20.0, nodes: int = 1, tls_port: int | None = None) -> ChildServer:
    """Start a server as a child process; `config` is a path to a config file or None.
    `nodes` > 1 starts a local cluster of that many nodes. With TLS configured, `tls_port`
    overrides the config's `tls-port` (0 picks a free one) and `.tls_hosts` tells where it listens."""
    args = ["--host", host, "--port", str(port), "--nodes", str(nodes)]
    if tls_port is not None:
        args += ["--tls-port", str(tls_port)]
    if config is not None:
        args += ["--config", str(config)]
    return ChildServer(args, timeout, nodes)
