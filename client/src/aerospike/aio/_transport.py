"""How `aerospike.aio` moves bytes: per-node pools of asyncio connections (protocols).

The commands are the sync client's (generators, see `aerospike/_io.py`); this module only does
their `Exchange` and `Sleep` operations on the event loop:

- each node has a pool of at most `max_conns_per_node` open connections; a command that finds none
  idle and the pool full waits for one (until its deadline, then a timeout, as any other wait);
- a connection goes back to the pool only after its exchange finished cleanly: an error, a
  timeout or a cancellation closes it, so no half-read socket is ever reused;
- the node's counters (error rate, stats) are the same objects the sync transport uses.
"""

from __future__ import annotations

import asyncio
import collections
import socket
import time

from spikewire import PROTO_HEADER_SIZE, ProtoType, decompress, unpack_proto_header

from .._cluster.connection import ConnectionFailed, TlsContext, _check_peer
from .._io import Exchange, Sleep

_HEADER_SIZE = PROTO_HEADER_SIZE
#: Replies buffered ahead of the reader before the socket stops being read (a slow consumer of a
#: big stream), and the count at which reading resumes.
_PAUSE_AT, _RESUME_AT = 64, 8


class AsyncConnection(asyncio.Protocol):
    """One connection to a node: an asyncio protocol that cuts the byte stream into whole proto
    messages as they arrive, and hands them to the one command using the connection.

    A single-reply exchange (`begin`) gets a future that `data_received` resolves with the reply
    itself, once the whole reply is in: no task, no queue in between. A stream reads its replies
    from the queue with `recv_proto`. Either way one timer per connection bounds the read: it is
    armed for the first read and, when it fires early for a later read (the read it was armed
    for finished), moved to that read's limit, so a busy connection does not arm and cancel a
    loop timer per command."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.loop = asyncio.get_running_loop()
        self.last_used = time.monotonic()
        self.connect_seconds: float | None = None
        self._buffer = bytearray()
        self._messages: collections.deque[tuple[bytes, bytes]] = collections.deque()
        self._waiter: asyncio.Future | None = None
        self._single = False  # the waiter takes the reply itself (begin), not a wake-up (recv_proto)
        self._lost: BaseException | None = None
        self._paused = False
        self._limit: float | None = None  # loop time by which the read under way must end
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    # -- asyncio.Protocol --------------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        if self._single and not buffer and len(data) >= _HEADER_SIZE \
                and len(data) == _HEADER_SIZE + int.from_bytes(data[2:8], "big"):
            self._answer(data[:_HEADER_SIZE], data[_HEADER_SIZE:])  # the usual case: one whole reply
            return
        buffer += data
        messages = self._messages
        while len(buffer) >= _HEADER_SIZE:
            size = int.from_bytes(buffer[2:8], "big")
            end = _HEADER_SIZE + size
            if len(buffer) < end:
                break
            messages.append((bytes(buffer[:_HEADER_SIZE]), bytes(buffer[_HEADER_SIZE:end])))
            del buffer[:end]
        if messages:
            if self._single:
                self._answer(*messages.popleft())
                return
            if len(messages) >= _PAUSE_AT and not self._paused and self.transport is not None:
                self.transport.pause_reading()
                self._paused = True
            self._wake(None)

    def connection_lost(self, exc) -> None:
        self._lost = ConnectionFailed("connection closed by server" if exc is None else "receive failed: %s" % exc,
                                      sent=True)
        self._wake(self._lost)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _wake(self, exc) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            if exc is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(exc)

    def _answer(self, header: bytes, body: bytes) -> None:
        """Resolve a single-reply waiter with (type, body) (or the error the reply is)."""
        waiter, self._waiter, self._single, self._limit = self._waiter, None, False, None
        if waiter is None or waiter.done():  # cancelled or timed out meanwhile: the connection is dropped
            return
        try:
            answer = _message(header, body)
        except Exception as exc:  # a bad version, a bad compressed body: the command's error
            waiter.set_exception(exc)
        else:
            waiter.set_result(answer)

    # -- the read timer ----------------------------------------------------------------------------

    def _arm(self, limit: float | None) -> None:
        self._limit = limit
        if limit is not None and (self._timer is None or self._timer_at > limit):
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_at(limit, self._on_timer)
            self._timer_at = limit

    def _on_timer(self) -> None:
        self._timer = None
        limit = self._limit
        waiter = self._waiter
        if limit is None or waiter is None or waiter.done():
            return
        if limit <= self._timer_at:  # the read this timer was armed for (or one that must end as soon)
            self._limit = None
            waiter.set_exception(TimeoutError())
        else:  # a later read: wait for its own limit
            self._timer = self.loop.call_at(limit, self._on_timer)
            self._timer_at = limit

    # -- use ---------------------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        if self._lost is not None:
            raise self._lost
        self.transport.write(data)

    def begin(self, request: bytes, limit: float | None) -> asyncio.Future:
        """Send `request` and return the future of its one reply, (type, body), or TimeoutError
        after loop time `limit`. Raises when the request cannot be sent."""
        if self._lost is not None:
            raise self._lost
        self.transport.write(request)
        waiter = self._waiter = self.loop.create_future()
        self._single = True
        if self._messages:  # cannot happen with a server that answers once per request
            self._answer(*self._messages.popleft())
        elif limit is not None:
            self._arm(limit)
        return waiter

    def reusable(self) -> bool:
        """Whether the connection can carry the next command: nothing read ahead, still open."""
        return self._lost is None and not self._buffer and not self._messages and not self._paused

    async def recv_proto(self, limit: float | None) -> tuple[int, bytes]:
        """(type, body) of the next message, by loop time `limit` (TimeoutError after it); a
        compressed reply is inflated."""
        messages = self._messages
        if not messages:
            if self._lost is not None:
                raise self._lost
            waiter = self._waiter = self.loop.create_future()
            self._arm(limit)
            try:
                await waiter
            finally:
                self._waiter = None
                self._limit = None
            if not messages:
                raise self._lost or ConnectionFailed("connection closed by server", sent=True)
        header, body = messages.popleft()
        if self._paused and len(messages) <= _RESUME_AT:
            self._paused = False
            self.transport.resume_reading()
        return _message(header, body)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        transport = self.transport
        if transport is not None:
            try:
                transport.close()
            except (OSError, RuntimeError):  # a closed loop, a broken socket: nothing left to do
                pass


def _message(header: bytes, body: bytes) -> tuple[int, bytes]:
    """(type, body) of one proto message; a compressed one inflated."""
    version, ptype, _ = unpack_proto_header(header)
    if version != 2 and not (version == 0 and ptype == ProtoType.ADMIN):
        raise ConnectionFailed("invalid proto version %d from server" % version, sent=True)
    if ptype == ProtoType.COMPRESSED:
        inner = decompress(body)
        _, ptype, _ = unpack_proto_header(inner)
        body = inner[PROTO_HEADER_SIZE:]
    return ptype, body


class NodePool:
    """The asyncio connections of one node."""

    def __init__(self, node, transport: "Transport"):
        self.node = node
        self.transport = transport
        self.idle: collections.deque[AsyncConnection] = collections.deque()
        self.open = 0
        self.waiters: collections.deque[asyncio.Future] = collections.deque()

    def take(self) -> AsyncConnection | None:
        """An idle connection of the pool (the most recently used), or None."""
        idle = self.idle
        if not idle:
            return None
        idle_limit = self.node.cluster.config.max_socket_idle
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            if idle_limit and now - conn.last_used > idle_limit:
                self.open -= 1
                conn.close()
                continue
            return conn
        return None

    async def acquire(self, deadline: float | None) -> AsyncConnection:
        config = self.node.cluster.config
        idle_limit = config.max_socket_idle
        while True:
            now = time.monotonic()
            while self.idle:
                conn = self.idle.pop()
                if idle_limit and now - conn.last_used > idle_limit:
                    self.open -= 1
                    conn.close()
                    continue
                return conn
            if self.open < config.max_conns_per_node:
                self.open += 1
                try:
                    return await self.transport.connect(self.node, deadline)
                except BaseException:
                    self.open -= 1
                    self._wake()
                    raise
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                if deadline is None:
                    await waiter
                else:
                    remaining = deadline - now
                    if remaining <= 0:
                        raise ConnectionFailed("no connection to %s:%d before the deadline" % self.node.host,
                                               timeout=True)
                    try:
                        await asyncio.wait_for(waiter, remaining)
                    except asyncio.TimeoutError:
                        raise ConnectionFailed("no connection to %s:%d before the deadline" % self.node.host,
                                               timeout=True) from None
            finally:
                if not waiter.done():
                    waiter.cancel()
                try:
                    self.waiters.remove(waiter)
                except ValueError:
                    pass

    def _wake(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def release(self, conn: AsyncConnection) -> None:
        conn.last_used = time.monotonic()
        if self.node.active and not self.transport.closed and conn.reusable():
            self.idle.append(conn)
        else:
            self.open -= 1
            conn.close()
        self._wake()

    def discard(self, conn: AsyncConnection) -> None:
        self.open -= 1
        conn.close()
        self._wake()

    def close(self) -> None:
        while self.idle:
            self.idle.pop().close()
            self.open -= 1
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)


class Transport:
    """The `_io` operations of one aio client, on the running event loop."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.pools: dict[object, NodePool] = {}
        self.closed = False

    def pool(self, node) -> NodePool:
        pool = self.pools.get(node)
        if pool is None:
            pool = self.pools[node] = NodePool(node, self)
            node.other_pools.append(pool)
        return pool

    def open_connections(self) -> int:
        return sum(pool.open for pool in self.pools.values())

    async def connect(self, node, deadline: float | None) -> AsyncConnection:
        config = self.cluster.config
        began = time.monotonic()
        timeout = config.connect_timeout
        if deadline is not None:
            remaining = max(0.001, deadline - began)
            timeout = min(timeout, remaining) if timeout else remaining
        host, port = node.host
        tls = config.tls_context
        if tls is not None and not node.tls_name:  # the official client cannot verify a node without it
            raise ConnectionFailed("no TLS name for %s:%d (give hosts as (address, port, tls_name))" % (host, port))
        loop = asyncio.get_running_loop()
        try:
            if tls is not None:
                opening = loop.create_connection(AsyncConnection, host, port, ssl=tls,
                                                 server_hostname=node.tls_name)
            else:
                opening = loop.create_connection(AsyncConnection, host, port)
            if timeout:
                transport, conn = await asyncio.wait_for(opening, timeout)
            else:
                transport, conn = await opening
        except asyncio.TimeoutError:
            raise ConnectionFailed("connect to %s:%d timed out" % (host, port), timeout=True) from None
        except OSError as exc:  # ssl.SSLError too
            raise ConnectionFailed("connect to %s:%d failed: %s" % (host, port, exc)) from None
        if tls is not None and isinstance(tls, TlsContext):
            refusal = _check_peer(transport.get_extra_info("ssl_object"), tls, node.tls_name)
            if refusal is not None:
                transport.close()
                raise ConnectionFailed("TLS with %s:%d: %s" % (host, port, refusal))
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        authenticator = self.cluster.authenticator
        if authenticator is not None:  # the sync client's login steps, on this connection
            try:
                await _log_in(conn, authenticator, timeout or config.login_timeout)
            except BaseException:  # a refusal, a timeout, a cancellation: the socket is not pooled
                conn.close()
                raise
        conn.connect_seconds = time.monotonic() - began
        node.stats.opened += 1
        return conn

    async def drive(self, gen, after_receive=None):
        """Run command generator `gen` to its result (the asyncio twin of `aerospike._io.drive`);
        `after_receive`: awaited after each reply a stream consumed. A single-reply exchange
        that finds an idle connection takes the short way: send, then await the one future the
        connection resolves with the reply."""
        try:
            op = next(gen)
            while True:
                if type(op) is Exchange and op.receive is None:
                    pool = self.pools.get(op.node) or self.pool(op.node)
                    conn = pool.take()
                    if conn is not None:
                        try:
                            waiter = conn.begin(op.request, _limit(conn.loop, op.socket_timeout, op.deadline))
                        except BaseException as exc:
                            op = gen.throw(self._failed(pool, conn, op, exc, False))
                            continue
                        try:
                            answer = await waiter
                        except BaseException as exc:  # a cancellation too: the socket may be half-read
                            op = gen.throw(self._failed(pool, conn, op, exc, True))
                            continue
                        pool.release(conn)
                        op = gen.send(answer)
                        continue
                try:
                    answer = await self.execute(op, after_receive)
                except BaseException as exc:  # a cancellation too: the command sees it where it waits
                    op = gen.throw(exc)
                else:
                    op = gen.send(answer)
        except StopIteration as stop:
            return stop.value

    @staticmethod
    def _failed(pool: NodePool, conn: AsyncConnection, op, exc: BaseException, sent: bool) -> BaseException:
        """Drop `conn` after its exchange failed; the error the command sees."""
        pool.discard(conn)
        op.node.stats.closed += 1
        if isinstance(exc, TimeoutError):  # asyncio.TimeoutError is TimeoutError on 3.11+
            exc = ConnectionFailed("timed out", timeout=True, sent=True)
        exc.request_sent = sent  # type: ignore[attr-defined]
        return exc

    async def execute(self, op, after_receive=None):
        """Do one `_io` operation: the asyncio twin of `aerospike._executor.execute`;
        `after_receive` (a coroutine function) is awaited after each reply of a stream."""
        if type(op) is Sleep:
            await asyncio.sleep(op.seconds)
            return None
        pool = self.pool(op.node)
        try:
            conn = await pool.acquire(op.deadline)
        except ConnectionFailed as exc:
            exc.connected = False  # type: ignore[attr-defined]
            raise
        progress = [False]  # whether the whole request went out
        try:
            answer = await _exchange(conn, op, progress, after_receive)
        except BaseException as exc:  # a cancellation too: the socket may be half-read
            failure = self._failed(pool, conn, op, exc, progress[0])
            if failure is exc:
                raise
            raise failure from None
        op.connect_seconds, conn.connect_seconds = conn.connect_seconds, None
        pool.release(conn)
        return answer

    def close(self) -> None:
        self.closed = True
        for node, pool in self.pools.items():
            pool.close()
            try:
                node.other_pools.remove(pool)
            except ValueError:
                pass
        self.pools.clear()


async def _exchange(conn: AsyncConnection, op, progress: list, after_receive=None):
    """Send the request, read the reply (or every reply of a stream). The socket timeout bounds
    each read, the deadline the whole exchange, as on the sync client's sockets."""
    conn.send(op.request)
    progress[0] = True
    limit = _limit(conn.loop, op.socket_timeout, op.deadline)
    receive = op.receive
    if receive is None:
        return await conn.recv_proto(limit)
    while True:
        done = receive(*await conn.recv_proto(limit))
        if after_receive is not None:
            await after_receive()  # e.g. async foreach callbacks: the socket waits meanwhile
        if done:
            return None
        limit = _limit(conn.loop, op.socket_timeout, op.deadline)


async def _log_in(conn: AsyncConnection, authenticator, seconds: float) -> None:
    """Log `conn` in, within `seconds`: the `_auth.Authenticator` steps (AUTHENTICATE with the
    session token, or LOGIN), each request sent and its reply awaited on the event loop."""
    limit = conn.loop.time() + seconds
    steps = authenticator.steps()
    try:
        request = next(steps)
        while True:
            try:
                reply = await conn.begin(request, limit)
            except TimeoutError:  # asyncio.TimeoutError is TimeoutError on 3.11+
                raise ConnectionFailed("receive timed out", timeout=True, sent=True) from None
            request = steps.send(reply)
    except StopIteration:
        return


def _limit(loop, socket_timeout: float | None, deadline: float | None) -> float | None:
    """The loop time by which the exchange must be done (socket timeout or deadline, whichever
    comes first), or None for no limit."""
    if deadline is None:
        return loop.time() + socket_timeout if socket_timeout else None
    left = deadline - time.monotonic()
    if socket_timeout and socket_timeout < left:
        left = socket_timeout
    return loop.time() + left
