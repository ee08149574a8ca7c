"""The state of one spikelite node: configuration, namespaces, identity and counters."""

from __future__ import annotations

import hashlib
import os
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
        self.proxied = 0  # single-record requests for partitions this node does not hold

    def uptime(self) -> int:
        return int(time.monotonic() - self.started)


class Membership:
    """How a node sits in its cluster: the nodes, and which of them holds each partition.

    A lone node holds every partition. In a local cluster (see `spikelite.cluster`) all nodes share
    one store, and partition `p`'s replica `i` is node `(p + i) % size`.
    """

    def __init__(self, nodes: list["Node"], replication_factor: int):
        self.nodes = nodes
        self.replication_factor = max(1, min(replication_factor, len(nodes)))
        self.generation = 1

    def replica_index(self, node: "Node", partition_id: int) -> int | None:
        """Which replica (0 = master) of a partition this node holds, or None."""
        position = self.nodes.index(node)
        index = (position - partition_id) % len(self.nodes)
        return index if index < self.replication_factor else None

    def peers_of(self, node: "Node") -> list["Node"]:
        return [other for other in self.nodes if other is not node]


class Node:
    def __init__(self, config: ServerConfig, clock: Clock | None = None, namespaces: dict | None = None,
                 udfs=None):
        self.config = config
        if udfs is None:
            from .udf import UdfRegistry
            udfs = UdfRegistry(config.udf_user_path)
        self.udfs = udfs  # UDF modules (one registry shared by a local cluster)
        self.clock = clock or Clock()
        if namespaces is None:
            namespaces = {name: Namespace(ns, self.clock) for name, ns in config.namespaces.items()}
        self.namespaces = namespaces
        self.stats = NodeStats()
        self.node_id = config.node_id or self._derive_node_id(config)
        self.host = config.address
        self.port = config.port
        self.membership = Membership([self], 1)
        from .commands.background import JobRegistry
        self.jobs = JobRegistry()
        self.tls_host: str | None = None  # the TLS service endpoint, once listening (config.tls)
        self.tls_port: int | None = None
        self.security = None  # users and sessions when the config has a `security` context
        if config.security is not None:
            from .security import Security
            self.security = Security(config.security)

    def holds(self, partition_id: int, is_write: bool) -> bool:
        """Would a real node serve this partition itself (master for writes, any replica for reads)?"""
        if len(self.membership.nodes) == 1:
            return True
        index = self.membership.replica_index(self, partition_id)
        return index == 0 if is_write else index is not None

    @staticmethod
    def _derive_node_id(config: ServerConfig) -> str:
        seed = ("%s:%d:%d" % (config.address, config.port, time.time_ns())).encode() + os.urandom(8)
        return "BB9%013X" % (int.from_bytes(hashlib.sha1(seed).digest()[:8], "big") >> 12)
