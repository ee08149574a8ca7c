"""A cluster node: identity, generations, a pool of data connections and a tend connection."""

from __future__ import annotations

import collections
import threading
import time

from spikewire import ProtoType
from spikewire.info import build_request, parse_reply

from .connection import Connection, ConnectionFailed
from .stats import NodeStats


class NoMoreConnections(Exception):
    pass


class Node:
    def __init__(self, name: str, host: tuple[str, int], cluster, tls_name: str | None = None):
        self.name = name
        self.host = host
        self.tls_name = tls_name
        self.cluster = cluster
        self.build = ""
        self.partition_generation = -1
        self.peers_generation = -1
        self.rebalance_generation = -1
        self.failures = 0       # consecutive failed tends
        self.friends = 0        # peers listing this node in the current tend
        self.peers_count = 0    # peers this node listed last
        self.active = True
        self.error_rate = 0     # errors in the current circuit-breaker window
        self.max_error_rate = cluster.config.max_error_rate
        self._pool: collections.deque[Connection] = collections.deque()
        self._lock = threading.Lock()
        self._open_count = 0
        self._tend_conn: Connection | None = None
        #: Pools of this node's connections kept elsewhere (aerospike.aio's), counted in its stats.
        self.other_pools: list = []
        self.stats = NodeStats(cluster.stats)

    def __repr__(self) -> str:
        return "Node(%s, %s:%d)" % (self.name, self.host[0], self.host[1])

    # -- data connections -------------------------------------------------------------------------

    def get_connection(self, deadline: float | None) -> Connection:
        config = self.cluster.config
        idle_limit = config.max_socket_idle
        now = time.monotonic()
        with self._lock:
            while self._pool:
                conn = self._pool.pop()
                if idle_limit and now - conn.last_used > idle_limit:
                    self._open_count -= 1
                    self.stats.closed += 1
                    conn.close()
                    continue
                return conn
            if self._open_count >= config.max_conns_per_node:
                raise NoMoreConnections("Max node %s connections would be exceeded: %d"
                                        % (self.name, config.max_conns_per_node))
            self._open_count += 1
        try:
            timeout = config.connect_timeout
            if deadline is not None:
                timeout = max(0.001, min(timeout, deadline - now)) if timeout else max(0.001, deadline - now)
            conn = self.cluster.open_connection(self.host, self.tls_name, timeout or None)
        except BaseException:
            with self._lock:
                self._open_count -= 1
            raise
        conn.connect_seconds = time.monotonic() - now
        with self._lock:
            self.stats.opened += 1
        return conn

    def put_connection(self, conn: Connection) -> None:
        conn.last_used = time.monotonic()
        with self._lock:
            if self.active:
                self._pool.append(conn)
                return
            self._open_count -= 1
            self.stats.closed += 1
        conn.close()

    def discard_connection(self, conn: Connection) -> None:
        conn.close()
        with self._lock:
            self._open_count -= 1
            self.stats.closed += 1

    def connection_count(self) -> int:
        return self._open_count

    def connection_stats(self) -> tuple[int, int, int, int]:
        """(in use, in pool, opened, closed): the data connections of this node."""
        with self._lock:
            in_pool = len(self._pool)
            in_use = self._open_count - in_pool
        for pool in self.other_pools:  # aerospike.aio's pools of this node
            in_pool += len(pool.idle)
            in_use += pool.open - len(pool.idle)
        return in_use, in_pool, self.stats.opened, self.stats.closed

    # -- circuit breaker (the official client's max_error_rate / error_rate_window) ----------------

    def add_error(self) -> None:
        """A connection that failed, a timeout, or a cluster/overload answer on this node."""
        self.error_rate += 1

    def error_rate_ok(self) -> bool:
        return self.error_rate <= self.max_error_rate

    def reset_error_rate(self) -> None:
        """End of a window: after a breach the next limit is half (at least 1), after a calm window
        it doubles back up to the configured one."""
        limit = self.cluster.config.max_error_rate
        if self.error_rate_ok():
            if self.max_error_rate != limit:
                self.max_error_rate = min(self.max_error_rate * 2, limit)
        else:
            self.max_error_rate = self.max_error_rate // 2 if self.max_error_rate >= 4 else 1
        self.error_rate = 0

    # -- info -------------------------------------------------------------------------------------

    def info(self, commands: list[str], timeout: float) -> dict[str, str]:
        """Ask info commands on a pooled connection; {command: value}."""
        deadline = time.monotonic() + timeout if timeout else None
        conn = self.get_connection(deadline)
        try:
            result = info_on(conn, commands, timeout, deadline)
        except BaseException:
            self.discard_connection(conn)
            raise
        self.put_connection(conn)
        return result

    def info_raw(self, request: str, timeout: float) -> str:
        """Send a raw info request text; the reply body as text."""
        deadline = time.monotonic() + timeout if timeout else None
        conn = self.get_connection(deadline)
        try:
            body = request.encode()
            conn.send(_frame_info(body), timeout, deadline)
            ptype, reply = conn.recv_proto(timeout, deadline)
        except BaseException:
            self.discard_connection(conn)
            raise
        self.put_connection(conn)
        return reply.decode("utf-8", "replace")

    def tend_info(self, commands: list[str], timeout: float) -> dict[str, str]:
        """Info on the node's dedicated tend connection (reopened when broken)."""
        if self._tend_conn is None:
            self._tend_conn = self.cluster.open_connection(self.host, self.tls_name, timeout)
        try:
            return info_on(self._tend_conn, commands, timeout, time.monotonic() + timeout)
        except BaseException:
            self._tend_conn.close()
            self._tend_conn = None
            raise

    def forget_connections_after_fork(self) -> None:
        """In a child process just forked: the parent's sockets are its own. Close this process's
        copies (the parent's connections stay open) and start again from an empty pool."""
        self._lock = threading.Lock()
        for conn in self._pool:
            conn.close()
        self._pool.clear()
        self._open_count = 0
        if self._tend_conn is not None:
            self._tend_conn.close()
            self._tend_conn = None

    def close(self) -> None:
        with self._lock:
            self.active = False
            while self._pool:
                self._pool.pop().close()
                self._open_count -= 1
                self.stats.closed += 1
        if self._tend_conn is not None:
            self._tend_conn.close()
            self._tend_conn = None


def _frame_info(body: bytes) -> bytes:
    from spikewire import frame
    return frame(ProtoType.INFO, body)


def info_on(conn: Connection, commands: list[str], timeout: float, deadline: float | None) -> dict[str, str]:
    conn.send(build_request(commands), timeout, deadline)
    ptype, body = conn.recv_proto(timeout, deadline)
    if ptype != ProtoType.INFO:
        raise ConnectionFailed("expected an info reply, got proto type %d" % ptype, sent=True)
    return parse_reply(body)
