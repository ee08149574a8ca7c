"""Command line: `spikelite [--host H] [--port P] [--config FILE] [--event-loop E] [--log-level L] [--version]`.

Once every node listens it prints one `spikelite listening on HOST:PORT` line per node (first on
stdout: tests and spawn() read them), then a start-up line naming the version, config, namespaces
and ports."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys

from . import __version__
from .config import ConfigError, default_config, load_config
from .cluster import build_cluster
from .server import SpikeliteServer
from .store.device import StorageError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="spikelite",
                                     description="A server speaking the Aerospike wire protocol.")
    parser.add_argument("--config", help="aerospike.conf-style file (default: namespace 'test' in memory)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1, or the config's)")
    parser.add_argument("--port", type=int, help="port (default 3000, or the config's; 0 picks a free one)")
    parser.add_argument("--tls-port", type=int,
                        help="TLS port (default: the config's tls-port; 0 picks a free one); needs TLS configured")
    parser.add_argument("--nodes", type=int, default=1,
                        help="start a local cluster of this many nodes sharing one store (default 1)")
    parser.add_argument("--event-loop", default="auto", choices=["auto", "uvloop", "asyncio"],
                        help="uvloop (the `uvloop` extra: about a third of the CPU per request), asyncio, "
                             "or auto: uvloop when installed (default)")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"],
                        help="logging threshold, to stderr (default warning)")
    parser.add_argument("--version", action="version", version="spikelite %s" % __version__)
    return parser.parse_args(argv)


def startup_line(config_path: str | None, servers: list[SpikeliteServer]) -> str:
    """`spikelite VERSION: config FILE; namespaces A, B; ports HOST:PORT, ...[; tls ports ...]`."""
    config = servers[0].config
    line = "spikelite %s: config %s; namespaces %s; ports %s" % (
        __version__, config_path or "(none: built-in default)", ", ".join(config.namespaces) or "(none)",
        ", ".join("%s:%d" % (server.host, server.port) for server in servers))
    tls = ["%s:%d" % (s.node.tls_host, s.node.tls_port) for s in servers if s.node.tls_port is not None]
    return line + ("; tls ports %s" % ", ".join(tls) if tls else "")


async def _serve(servers: list[SpikeliteServer], config_path: str | None = None) -> None:
    for server in servers:
        await server.start()
        if server.node.tls_port is not None:  # before the plain line: spawn() reads up to that one
            print("spikelite tls listening on %s:%d tls-name %s"
                  % (server.node.tls_host, server.node.tls_port, server.config.tls.name), flush=True)
        print("spikelite listening on %s:%d" % (server.host, server.port), flush=True)
    print(startup_line(config_path, servers), flush=True)
    # What exists now (modules, configuration, the namespaces' record tables and what a device
    # namespace loaded) lives as long as the process: out of the garbage collector's full passes,
    # which would otherwise walk every record table's entries and stop the server for tens of
    # milliseconds per million records.
    gc.collect()
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    await stop.wait()
    for server in servers:
        await server.stop()


def _close(servers: list[SpikeliteServer]) -> None:
    for server in servers:
        for ns in server.node.namespaces.values():
            ns.close()


def event_loop_runner(choice: str):
    """(name, function running a coroutine to its end) of the event loop chosen by --event-loop;
    None when uvloop is asked for and not installed."""
    if choice != "asyncio":
        try:
            import uvloop
        except ImportError:
            if choice == "uvloop":
                return None
        else:
            return "uvloop", uvloop.run
    return "asyncio", asyncio.run


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config) if args.config else default_config()
    except (ConfigError, OSError) as exc:
        print("spikelite: %s" % exc, file=sys.stderr)
        return 2
    if args.host is not None:
        config.address = args.host
    if args.port is not None:
        config.port = args.port
    if args.tls_port is not None:
        if config.tls is None:
            print("spikelite: --tls-port needs TLS configured (tls-port and tls-name in network/service)",
                  file=sys.stderr)
            return 2
        config.tls.port = args.tls_port
    if args.nodes < 1:
        print("spikelite: --nodes must be at least 1", file=sys.stderr)
        return 2
    runner = event_loop_runner(args.event_loop)
    if runner is None:
        print("spikelite: --event-loop uvloop: uvloop is not installed (pip install 'spikelite[uvloop]')",
              file=sys.stderr)
        return 2
    loop_name, run = runner
    logging.getLogger("spikelite").info("event loop: %s", loop_name)
    try:
        if args.nodes == 1:
            servers = [SpikeliteServer(config)]
        else:
            servers = build_cluster(config, args.nodes)
    except StorageError as exc:
        print("spikelite: %s" % exc, file=sys.stderr)
        return 3
    try:
        run(_serve(servers, args.config))
    except OSError as exc:
        print("spikelite: cannot listen on %s:%d: %s" % (config.address, config.port, exc), file=sys.stderr)
        return 1
    finally:
        _close(servers)
    return 0
