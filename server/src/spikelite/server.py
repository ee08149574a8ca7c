"""The network side: an asyncio protocol per connection, framing requests and writing replies.

Requests on one connection are answered in order (pipelining). A message that cannot be framed
(bad version or type, oversized) closes its connection; a framed message whose content is bad gets
an error reply. Nothing a client sends can stop the server.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import time

from .commands import background
from .commands.dispatch import DataCommands
from .commands.info import SUMMARY, InfoCommands
from .commands.plain import PlainCommands
from .config import ServerConfig
from .node import Node
from .security import AuthState
from .wire import (MAX_PROTO_BODY, PROTO_HEADER_SIZE, AerospikeWireError, Info1, Info3, Message, ProtoType,
                   ResultCode, compress, decompress, parse_message, unpack_proto_header)
from .wire.framing import frame
from .wire.info import build_reply, command_name, command_params, parse_request

log = logging.getLogger("spikelite")

_ADMIN_HEADER_SIZE = 16
_PROTO_HEADER = struct.Struct(">Q")  # version, type and body size of a proto header
_SIZE_MASK = (1 << 48) - 1


class ConnectionClosed(Exception):
    """The peer sent something after which the connection cannot go on."""


class RequestHandler:
    """Turns one framed request (type, body) into reply bytes; shared by all connections."""

    def __init__(self, node: Node):
        self.node = node
        self.data = DataCommands(node)
        self.plain = PlainCommands(node)
        self.info = InfoCommands(node)

    def handle(self, proto_type: int, body: bytes, auth: AuthState | None = None, stream: bool = False):
        """The reply bytes of one request. `auth` is the connection's security state (None: a
        connection of its own, unauthenticated). With `stream`, a scan or query (not compressed)
        answers a generator of reply steps instead (see `commands.scan.stream_scan`)."""
        self.node.stats.requests += 1
        security = self.node.security
        if proto_type == ProtoType.AS_MSG and security is None:
            reply = self.plain.answer(body)
            if reply is not None:
                return reply
        if security is not None:
            if auth is None:
                auth = AuthState()
            if proto_type == ProtoType.ADMIN:
                return security.handle(body, auth)
            if auth.user is None and proto_type in (ProtoType.AS_MSG, ProtoType.COMPRESSED,
                                                    ProtoType.INFO):
                return self._not_authenticated(proto_type)
        if proto_type == ProtoType.AS_MSG:
            return self._as_msg(body, compress_reply=False, auth=auth, stream=stream)
        if proto_type == ProtoType.INFO:
            lines = parse_request(body) or SUMMARY  # no command: the node summary
            if security is not None:
                return build_reply([(line, self.info.answer(line)
                                     if security.check_info(auth, command_name(line), command_params(line))
                                     else "ERROR:%d:role violation" % ResultCode.ROLE_VIOLATION)
                                    for line in lines])
            return build_reply([(line, self.info.answer(line)) for line in lines])
        if proto_type == ProtoType.COMPRESSED:
            inner = decompress(body)
            version, inner_type, size = unpack_proto_header(inner)
            if inner_type != ProtoType.AS_MSG or size != len(inner) - PROTO_HEADER_SIZE:
                raise ConnectionClosed("compressed message does not hold one AS_MSG")
            return self._as_msg(inner[PROTO_HEADER_SIZE:], compress_reply=True, auth=auth)
        if proto_type == ProtoType.ADMIN:
            return self._admin(body)
        raise ConnectionClosed("proto type %d" % proto_type)

    def _as_msg(self, body: bytes, compress_reply: bool, auth: AuthState | None = None, stream: bool = False):
        try:
            msg, end = parse_message(body)
            if end != len(body):
                raise AerospikeWireError(ResultCode.PARAMETER, "trailing bytes after the message")
        except AerospikeWireError as exc:
            self.node.stats.malformed += 1
            log.debug("malformed AS_MSG: %s", exc)
            # a node ends a batch's reply stream (LAST) even when it cannot read the batch; a
            # scan's or query's error reply has no LAST (the error code ends it)
            batch = len(body) > 1 and body[1] & Info1.BATCH
            return Message(result_code=exc.code, info3=Info3.LAST if batch else 0).to_proto()
        security = self.node.security
        check = None
        if security is not None and auth is not None:
            def check(sub: Message) -> int:
                return security.check_data(auth, sub)
        replies = self.data.replies(msg, check, stream)
        if not isinstance(replies, list):
            return replies  # a scan stream
        if compress_reply and msg.info1 & Info1.COMPRESS_RESPONSE:
            replies = [compress(r) if len(r) > 128 else r for r in replies]
        return replies[0] if len(replies) == 1 else b"".join(replies)

    @staticmethod
    def _not_authenticated(proto_type: int) -> bytes:
        if proto_type == ProtoType.INFO:
            # A real node answers the whole request with this one line, whatever it asked.
            return frame(ProtoType.INFO, b"ERROR:%d:not authenticated\n" % ResultCode.NOT_AUTHENTICATED)
        return Message(result_code=ResultCode.NOT_AUTHENTICATED).to_proto()

    @staticmethod
    def _admin(body: bytes) -> bytes:
        """Security is not enabled on this node: every admin command answers 52."""
        reply = bytearray(_ADMIN_HEADER_SIZE)
        reply[1] = ResultCode.SECURITY_NOT_ENABLED
        return frame(ProtoType.ADMIN, bytes(reply))


#: Longest a scan stream runs before the event loop serves the other connections.
STREAM_SLICE_S = 0.005


class Connection(asyncio.Protocol):
    """One client socket. Requests are answered in order; a scan or query is answered as a stream
    a slice at a time (STREAM_SLICE_S), so other connections are served while it runs, and the
    requests that follow it on this socket wait for its end."""

    def __init__(self, server: "SpikeliteServer"):
        self.server = server
        self.handler = server.handler
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.last_activity = time.monotonic()
        self.auth = AuthState()  # who is logged in on this socket (security on)
        self.client = ""  # "address+port" of the peer
        self._stream = None  # the scan/query being answered (a generator of steps)
        self._pump_handle: asyncio.Handle | None = None
        self._writing_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.auth.address = peer[0] if isinstance(peer, tuple) and peer else None
        # how a node names a job's client in query-show (from=address+port)
        self.client = "%s+%s" % (peer[0], peer[1]) if isinstance(peer, tuple) and len(peer) > 1 else ""
        stats = self.server.node.stats
        if stats.client_connections >= self.server.config.proto_fd_max:
            transport.close()
            return
        stats.client_connections += 1
        stats.connections_opened += 1
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._end_stream()
        if self.auth.user is not None and self.server.node.security is not None:
            self.server.node.security.connection_closed(self.auth)
        if self in self.server.connections:
            self.server.connections.discard(self)
            stats = self.server.node.stats
            stats.client_connections -= 1
            stats.connections_closed += 1

    def pause_writing(self) -> None:
        # A client not reading its replies: stop reading its requests (and streaming a scan to it)
        # until it catches up.
        self._writing_paused = True
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self._writing_paused = False
        self.transport.resume_reading()
        if self._stream is not None and self._pump_handle is None:
            self._pump_handle = asyncio.get_running_loop().call_soon(self._pump)

    def data_received(self, data: bytes) -> None:
        self.last_activity = time.monotonic()
        if self._stream is not None:  # the requests wait for the end of the stream
            self.buffer += data
        elif self.buffer:
            self.buffer += data
            self._serve_buffer()
        else:  # the usual case: whole requests, served from the bytes as they came
            self._serve_buffer(data)

    def _serve_buffer(self, data: bytes | None = None) -> None:
        """Answer the complete requests in `data` (received while the buffer was empty) or in the
        buffer; what is left of them (a partial request, or the requests after a scan stream that
        has not ended) stays in the buffer."""
        buffer = self.buffer if data is None else data
        copy = data is None  # slices of the bytearray buffer are copied to bytes
        unpack = _PROTO_HEADER.unpack_from
        handle = self.handler.handle
        pos = 0
        replies = []
        try:
            while len(buffer) - pos >= PROTO_HEADER_SIZE:
                (header,) = unpack(buffer, pos)
                version, proto_type, size = header >> 56, (header >> 48) & 0xFF, header & _SIZE_MASK
                if version != 2 and not (version == 0 and proto_type == ProtoType.ADMIN):
                    raise ConnectionClosed("proto version %d" % version)
                if size > MAX_PROTO_BODY:
                    raise ConnectionClosed("proto body of %d bytes" % size)
                end = pos + PROTO_HEADER_SIZE + size
                if len(buffer) < end:
                    break
                body = buffer[pos + PROTO_HEADER_SIZE:end]
                if copy:
                    body = bytes(body)
                pos = end
                try:
                    background.CLIENT.set(self.client)
                    reply = handle(proto_type, body, self.auth, True)
                except AerospikeWireError as exc:  # e.g. a broken compressed message
                    self.server.node.stats.malformed += 1
                    reply = Message(result_code=exc.code).to_proto()
                if not isinstance(reply, bytes):  # a scan stream: what follows waits for its end
                    self._send(replies)
                    replies = []
                    self._stream = reply
                    if not self._run_stream():
                        self._keep(data, pos)
                        return
                    continue  # it ended within its first slice
                replies.append(reply)
        except ConnectionClosed as exc:
            self.server.node.stats.malformed += 1
            log.debug("closing connection: %s", exc)
            self._send(replies)
            self.transport.close()
            return
        except Exception:  # a bug of ours: never let it take the server down
            log.exception("internal error serving a request; closing that connection")
            self._send(replies)
            self.transport.close()
            return
        self._keep(data, pos)
        self._send(replies)

    def _keep(self, data: bytes | None, pos: int) -> None:
        """Keep what follows `pos` of the requests being served for later."""
        if data is None:
            del self.buffer[:pos]
        elif pos < len(data):
            self.buffer += data[pos:]

    def _send(self, replies: list[bytes]) -> None:
        if replies and not self.transport.is_closing():
            self.transport.write(b"".join(replies) if len(replies) > 1 else replies[0])

    def _pump(self) -> None:
        """The event loop's turn of the scan stream; at its end, serve the requests that came
        meanwhile."""
        self._pump_handle = None
        if self._run_stream():
            self._serve_buffer()

    def _run_stream(self) -> bool:
        """Run the scan stream for one slice: write what it makes, then let the loop serve others
        (or wait, for records_per_second). True when the stream has ended."""
        steps, transport = self._stream, self.transport
        if steps is None:
            return False
        if transport.is_closing():
            self._end_stream()
            return False
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + STREAM_SLICE_S
        try:
            while not self._writing_paused:  # resume_writing() pumps again
                step = next(steps)
                if step is None:
                    if time.monotonic() >= deadline:
                        self._pump_handle = loop.call_soon(self._pump)
                        return False
                elif isinstance(step, bytes):
                    transport.write(step)
                    if time.monotonic() >= deadline:
                        self._pump_handle = loop.call_soon(self._pump)
                        return False
                else:  # seconds to wait (records_per_second)
                    self._pump_handle = loop.call_later(step, self._pump)
                    return False
            return False
        except StopIteration:
            self._stream = None
            self.last_activity = time.monotonic()
            return True
        except Exception:  # a bug of ours: never let it take the server down
            log.exception("internal error streaming a scan; closing that connection")
            self._end_stream()
            transport.close()
            return False

    def _end_stream(self) -> None:
        if self._pump_handle is not None:
            self._pump_handle.cancel()
            self._pump_handle = None
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class TlsConnection(Connection):
    """A connection on the TLS port; asyncio has completed the handshake when this is made."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        tls = self.server.config.tls
        if not tls.admits(transport.get_extra_info("peercert")):
            log.debug("client certificate not admitted by tls-authenticate-client; closing")
            self.transport = transport  # type: ignore[assignment]
            transport.abort()
            return
        super().connection_made(transport)


class SpikeliteServer:
    def __init__(self, config: ServerConfig, node: Node | None = None):
        self.config = config
        self.node = node or Node(config)
        self.handler = RequestHandler(self.node)
        self.connections: set[Connection] = set()
        self._server: asyncio.AbstractServer | None = None
        self._tls_server: asyncio.AbstractServer | None = None
        self._timers: list[asyncio.TimerHandle] = []

    @property
    def port(self) -> int:
        return self.node.port

    @property
    def host(self) -> str:
        return self.node.host

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: Connection(self), self.config.address,
                                                self.config.port, reuse_address=True)
        sock = self._server.sockets[0]
        self.node.host, self.node.port = sock.getsockname()[:2]
        if self.node.host == "0.0.0.0":
            self.node.host = "127.0.0.1"
        if self.config.tls is not None:
            await self._start_tls(loop)
        transactions = self.handler.data.transactions
        for ns in self.node.namespaces.values():
            if ns.config.nsup_period > 0:
                self._schedule(ns.config.nsup_period, self._sweep, ns)
            if ns.config.strong_consistency:
                transactions.sweep(ns)  # transactions decided before a restart are finished now
                self._schedule(1.0, transactions.sweep, ns)
        if self.config.proto_fd_idle_ms > 0:
            self._schedule(min(1.0, self.config.proto_fd_idle_ms / 1000), self._reap_idle)

    async def _start_tls(self, loop: asyncio.AbstractEventLoop) -> None:
        tls = self.config.tls
        addresses = tls.addresses or [self.config.address]
        self._tls_server = await loop.create_server(
            lambda: TlsConnection(self), addresses if len(addresses) > 1 else addresses[0], tls.port,
            ssl=tls.ssl_context, ssl_handshake_timeout=10.0, reuse_address=True)
        host, self.node.tls_port = self._tls_server.sockets[0].getsockname()[:2]
        self.node.tls_host = "127.0.0.1" if host == "0.0.0.0" else host

    def _schedule(self, period: float, fn, *args) -> None:
        loop = asyncio.get_running_loop()

        def tick() -> None:
            try:
                fn(*args)
            except Exception:
                log.exception("periodic task failed")
            self._timers.append(loop.call_later(period, tick))

        self._timers.append(loop.call_later(period, tick))

    @staticmethod
    def _sweep(ns) -> None:
        ns.expire()

    def _reap_idle(self) -> None:
        limit = time.monotonic() - self.config.proto_fd_idle_ms / 1000
        for conn in list(self.connections):
            if conn.last_activity < limit:
                conn.transport.close()

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._tls_server is not None:
            self._tls_server.close()
        if self._server is not None:
            self._server.close()
            for conn in list(self.connections):
                conn.transport.close()
            await self._server.wait_closed()
        if self._tls_server is not None:
            await self._tls_server.wait_closed()
