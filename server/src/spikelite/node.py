"""The state of one spikelite node: configuration, namespaces, identity and counters."""

from __future__ import annotations

import hashlib
import time

from .config import ServerConfig
from .store import Clock, Namespace

BUILD = "8.1.2.0"
EDITION = "Aerospike Community Edition"


class NodeStats:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.client_connections = 0
        self.connections_opened = 0
        self.connections_closed = 0
        self.requests = 0
        self.malformed = 0

    def uptime(self) -> int:
        return int(time.monotonic() - self.started)


class Node:
    def __init__(self, config: ServerConfig, clock: Clock | None = None):
        self.config = config
        self.clock = clock or Clock()
        self.namespaces = {name: Namespace(ns, self.clock) for name, ns in config.namespaces.items()}
        self.stats = NodeStats()
        self.node_id = config.node_id or self._derive_node_id(config)
        self.host = config.address
        self.port = config.port

    @staticmethod
    def _derive_node_id(config: ServerConfig) -> str:
        seed = ("%s:%d:%d" % (config.address, config.port, time.time_ns())).encode()
        return "BB9%013X" % (int.from_bytes(hashlib.sha1(seed).digest()[:8], "big") >> 12)
