"""A local cluster: several spikelite nodes in one process sharing one store.

Each node has its own identity and port, lists the others as peers and claims its share of the
partitions (replica `i` of partition `p` is node `(p + i) % size`), so clients tend and route as they
would against a real multi-node cluster. Requests that reach a node not holding their partition are
served from the shared store (a real node proxies them) and counted in the `client_proxy_complete`
statistic, which tests use to check a client's routing.
"""

from __future__ import annotations

import copy
import dataclasses

from .config import ServerConfig
from .node import Membership, Node
from .server import SpikeliteServer
from .store import Clock, Namespace


def build_cluster(config: ServerConfig, size: int, replication_factor: int | None = None) -> list[SpikeliteServer]:
    if size < 1:
        raise ValueError("a cluster needs at least one node")
    clock = Clock()
    namespaces = {name: Namespace(ns, clock) for name, ns in config.namespaces.items()}
    from .udf import UdfRegistry
    udfs = UdfRegistry(config.udf_user_path)
    if replication_factor is None:
        replication_factor = max((ns.replication_factor for ns in config.namespaces.values()), default=1)
    nodes = []
    for index in range(size):
        node_config = copy.copy(config)
        if config.port:
            node_config.port = config.port + index
        if config.access_port:  # a port mapping of consecutive ports, as the listeners
            node_config.access_port = config.access_port + index
        if config.alternate_access_port:
            node_config.alternate_access_port = config.alternate_access_port + index
        if config.tls is not None and config.tls.port:
            node_config.tls = dataclasses.replace(config.tls, port=config.tls.port + index)
        nodes.append(Node(node_config, clock, namespaces, udfs))
    membership = Membership(nodes, replication_factor)
    for node in nodes:
        node.membership = membership
        node.security = nodes[0].security  # users are cluster-wide, as on a real cluster
    return [SpikeliteServer(node.config, node) for node in nodes]
