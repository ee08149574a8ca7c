"""Client metrics: the policy and listeners given to ``Client.enable_metrics``, and the read-only
snapshots handed to the listeners (Cluster, Node, ConnectionStats, NamespaceMetrics) or returned by
``Client.get_stats`` (ClusterStats, NodeStats).

The snapshot classes are filled in by the client, never built by applications; they have the
attributes the official client's have.
"""

from __future__ import annotations

from typing import Callable, Optional


class ConnectionStats:
    """A node's data connections.

    Attributes: ``in_use`` (running a command now), ``in_pool`` (idle in the pool), ``opened`` and
    ``closed`` (since the node was added), ``recovered`` and ``aborted`` (connections drained after
    a timeout; purespike closes those instead, so both stay 0).
    """

    in_use: int
    in_pool: int
    opened: int
    closed: int
    recovered: int
    aborted: int


class NamespaceMetrics:
    """One node's figures for one namespace ("" for batches and commands without one).

    Attributes: ``ns``, ``bytes_in``, ``bytes_out``, ``error_count``, ``timeout_count``,
    ``key_busy_count`` (all since the node was added or metrics were enabled) and the latency
    histograms ``conn_latency``, ``write_latency``, ``read_latency``, ``batch_latency``,
    ``query_latency`` (``latency_columns`` counts each, cumulative).
    """

    ns: str
    bytes_in: int
    bytes_out: int
    error_count: int
    timeout_count: int
    key_busy_count: int
    conn_latency: list[int]
    write_latency: list[int]
    read_latency: list[int]
    batch_latency: list[int]
    query_latency: list[int]


class Node:
    """A server node: ``name``, ``address`` (without the port), ``port``, ``conns``
    (:class:`ConnectionStats`) and ``metrics`` (a :class:`NamespaceMetrics` per namespace used)."""

    name: str
    address: str
    port: int
    conns: ConnectionStats
    metrics: list[NamespaceMetrics]


class Cluster:
    """The cluster: ``cluster_name`` (None unless configured), ``app_id`` (the config's, else the
    user name, else ``"not-set"``), ``invalid_node_count`` (peers that could not be added),
    ``command_count`` and ``retry_count`` (cumulative) and ``nodes`` (:class:`Node` each)."""

    cluster_name: Optional[str]
    app_id: str
    invalid_node_count: int
    command_count: int
    retry_count: int
    nodes: list[Node]


class NodeStats:
    """A node in ``Client.get_stats()``: ``name``, ``address``, ``port``, ``conns``, and its
    ``error_count``, ``timeout_count`` and ``key_busy_count`` over every namespace."""

    name: str
    address: str
    port: int
    conns: ConnectionStats
    error_count: int
    timeout_count: int
    key_busy_count: int


class ClusterStats:
    """``Client.get_stats()``: ``nodes`` (:class:`NodeStats` each), ``retry_count``, and
    ``thread_pool_queued_tasks`` and ``recover_queue_size`` (always 0: purespike runs batches and
    queries in the calling thread and recovers no connections)."""

    nodes: list[NodeStats]
    retry_count: int
    thread_pool_queued_tasks: int
    recover_queue_size: int


class MetricsListeners:
    """The four callbacks that replace the metrics file writer; all must be callables.

    ``enable_listener()`` when metrics are enabled, ``snapshot_listener(cluster)`` every
    ``interval`` tends, ``node_close_listener(node)`` when a node leaves the cluster,
    ``disable_listener(cluster)`` when metrics are disabled (or the client closes).
    """

    def __init__(self, enable_listener: Callable[[], None], snapshot_listener: Callable[[Cluster], None],
                 node_close_listener: Callable[[Node], None], disable_listener: Callable[[Cluster], None]):
        self.enable_listener = enable_listener
        self.snapshot_listener = snapshot_listener
        self.node_close_listener = node_close_listener
        self.disable_listener = disable_listener


class MetricsPolicy:
    """How ``Client.enable_metrics`` reports.

    ``metrics_listeners``: None for the file writer (a ``metrics-YYYYMMDDhhmmss.log`` file in
    ``report_dir``, a new one once ``report_size_limit`` bytes are written, 0 for no limit, else at
    least 1000000), or a :class:`MetricsListeners`. ``interval``: tends between snapshots.
    ``latency_columns`` buckets per histogram: "<=1ms", ">1ms", then each ``2**latency_shift``
    times the previous. ``labels``: name/value pairs written with every snapshot.
    """

    def __init__(self, metrics_listeners: Optional[MetricsListeners] = None, report_dir: str = ".",
                 report_size_limit: int = 0, interval: int = 30, latency_columns: int = 7,
                 latency_shift: int = 1, labels: Optional[dict[str, str]] = None):
        self.metrics_listeners = metrics_listeners
        self.report_dir = report_dir
        self.report_size_limit = report_size_limit
        self.interval = interval
        self.latency_columns = latency_columns
        self.latency_shift = latency_shift
        self.labels = {} if labels is None else labels
