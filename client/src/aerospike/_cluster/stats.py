"""The counters behind metrics and ``get_stats()``, kept per cluster, node and namespace.

As in the official (C) client: a command adds its bytes out and in, and on success (or "record not
found") its latency, to the namespace entry of the node that served it (batches use the namespace
""), a failed one its error, timeout or key-busy count; a new connection adds its connect time as a
"conn" latency. Error, timeout and key-busy counts are kept always, bytes and latencies only while
metrics are enabled. A latency histogram has `columns` buckets: "<=1ms", ">1ms", then each bucket
``2**shift`` times the previous one; elapsed times are rounded up to whole milliseconds.
"""

from __future__ import annotations

import threading

LATENCY_TYPES = ("conn", "write", "read", "batch", "query")
CONN, WRITE, READ, BATCH, QUERY = range(len(LATENCY_TYPES))


def bucket_index(elapsed_ms: int, columns: int, shift: int) -> int:
    """The histogram bucket of an elapsed time in whole milliseconds."""
    limit = 1
    last = columns - 1
    for index in range(last):
        if elapsed_ms <= limit:
            return index
        limit <<= shift
    return last


def whole_ms(seconds: float) -> int:
    """Elapsed seconds in milliseconds, rounded up (as the C client does with nanoseconds)."""
    nanos = int(seconds * 1_000_000_000)
    ms, rest = divmod(nanos, 1_000_000)
    return ms + (1 if rest else 0)


class NamespaceStats:
    """One node's counters for one namespace."""

    __slots__ = ("ns", "bytes_in", "bytes_out", "errors", "timeouts", "key_busy", "latency", "shift")

    def __init__(self, ns: str, columns: int, shift: int) -> None:
        self.ns = ns
        self.bytes_in = self.bytes_out = 0
        self.errors = self.timeouts = self.key_busy = 0
        self.shift = shift
        self.latency = [[0] * columns for _ in LATENCY_TYPES]

    def add_latency(self, kind: int, seconds: float) -> None:
        buckets = self.latency[kind]
        if buckets:
            buckets[bucket_index(whole_ms(seconds), len(buckets), self.shift)] += 1


class NodeStats:
    """One node's namespace entries (in the order they were first used) and connection counts."""

    def __init__(self, cluster_stats: "ClusterStats") -> None:
        self._cluster_stats = cluster_stats
        self.lock = threading.Lock()
        self.namespaces: dict[str, NamespaceStats] = {}
        self.opened = 0
        self.closed = 0

    def entry(self, ns: str | None) -> NamespaceStats:
        """The entry of `ns` (None: ""), made on first use. Call with `lock` held."""
        key = ns or ""
        found = self.namespaces.get(key)
        if found is None:
            columns, shift = self._cluster_stats.histogram_shape()
            found = self.namespaces[key] = NamespaceStats(key, columns, shift)
        return found

    def reset(self) -> None:
        """Fresh entries (with the current histogram shape): metrics were enabled."""
        with self.lock:
            self.namespaces = {}

    def add_error(self, ns: str | None, kind: str) -> None:
        """`kind` is "errors", "timeouts" or "key_busy"."""
        with self.lock:
            entry = self.entry(ns)
            setattr(entry, kind, getattr(entry, kind) + 1)

    def add_exchange(self, ns: str | None, sent: int, received: int, latency: int | None,
                     seconds: float, connect_seconds: float | None) -> None:
        """A request and its answer (with metrics enabled): bytes, and the command's latency
        (`latency` None: none to add) and the connect time of a new connection."""
        with self.lock:
            entry = self.entry(ns)
            entry.bytes_out += sent
            entry.bytes_in += received
            if latency is not None:
                entry.add_latency(latency, seconds)
            if connect_seconds is not None:
                entry.add_latency(CONN, connect_seconds)

    def totals(self) -> tuple[int, int, int]:
        """(errors, timeouts, key busy) over every namespace."""
        with self.lock:
            entries = list(self.namespaces.values())
        return (sum(e.errors for e in entries), sum(e.timeouts for e in entries),
                sum(e.key_busy for e in entries))


class ClusterStats:
    """Cluster-wide counters and whether metrics are on (with their histogram shape)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.command_count = 0
        self.retry_count = 0
        self.invalid_node_count = 0
        self.metrics_enabled = False
        self.columns = 1
        self.shift = 1

    def histogram_shape(self) -> tuple[int, int]:
        return (self.columns, self.shift) if self.metrics_enabled else (1, 1)

    def add_command(self) -> None:
        with self.lock:
            self.command_count += 1

    def add_retry(self) -> None:
        with self.lock:
            self.retry_count += 1
