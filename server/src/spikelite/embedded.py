"""Run spikelite inside the current process, on a background thread."""

from __future__ import annotations

import asyncio
import threading

from .config import ServerConfig, default_config, load_config
from .server import SpikeliteServer


class EmbeddedServer:
    """A spikelite server running on its own event-loop thread. Use `start()` to make one."""

    def __init__(self, config: ServerConfig):
        self.server = SpikeliteServer(config)
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
        """The `hosts` entry of an aerospike client config reaching this server."""
        return [(self.host, self.port)]

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.server.start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.server.stop())
        self._loop.close()

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
          timeout: float = 10.0) -> EmbeddedServer:
    """Start a server in this process; `config` is a ServerConfig, a path to a config file, or None
    for the default (namespace `test` in memory). `port=0` picks a free port."""
    if config is None:
        config = default_config()
    elif not isinstance(config, ServerConfig):
        config = load_config(config)
    config.address, config.port = host, port
    return EmbeddedServer(config)._start(timeout)


class ChildServer:
    """A spikelite server running as a child process (`python -m spikelite`). Use `spawn()`.

    Prefer this with the official C client: some of its calls (e.g. truncate) keep the GIL while
    they wait on the network, which would starve a server thread in the same process.
    """

    def __init__(self, args: list[str], timeout: float):
        import subprocess
        import sys

        self.process = subprocess.Popen([sys.executable, "-m", "spikelite", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self._read_banner(timeout)
        prefix = "spikelite listening on "
        if not line.startswith(prefix):
            self.process.kill()
            _, err = self.process.communicate()
            raise RuntimeError("spikelite failed to start: %s" % (err.strip() or line.strip() or "no output"))
        self.host, _, port = line[len(prefix):].strip().rpartition(":")
        self.port = int(port)

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
        return [(self.host, self.port)]

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
          timeout: float = 20.0) -> ChildServer:
    """Start a server as a child process; `config` is a path to a config file or None."""
    args = ["--host", host, "--port", str(port)]
    if config is not None:
        args += ["--config", str(config)]
    return ChildServer(args, timeout)
