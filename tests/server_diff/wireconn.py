"""A raw wire connection for the differential server test: send one request (AS_MSG or info) and
read the whole reply as the server sent it (one message, or a stream up to its LAST flag).

Nothing here interprets results: both servers' replies are compared as decoded messages."""

from __future__ import annotations

import socket

from spikelite.wire import (Info3, Message, ProtoType, frame, iter_messages, pack_proto_header,
                            unpack_proto_header)
from spikelite.wire.framing import PROTO_HEADER_SIZE

TIMEOUT_S = 10.0


class WireConn:
    """One TCP connection to a server (host, port)."""

    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.sock = socket.create_connection(self.address, timeout=TIMEOUT_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        self.sock.close()

    def _read_exact(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = self.sock.recv(min(size, 1 << 20))
            if not chunk:
                raise ConnectionError("server closed the connection")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _read_proto(self) -> tuple[int, bytes]:
        _, ptype, size = unpack_proto_header(self._read_exact(PROTO_HEADER_SIZE))
        return ptype, self._read_exact(size)

    def info(self, *commands: str) -> dict[str, str]:
        body = "".join(c + "\n" for c in commands).encode()
        self.sock.sendall(frame(ProtoType.INFO, body))
        _, reply = self._read_proto()
        out = {}
        for line in reply.decode("utf-8", "replace").split("\n"):
            if line:
                name, _, value = line.partition("\t")
                out[name] = value
        return out

    def request(self, message: Message) -> Message:
        """One single-record request; its single reply."""
        self.sock.sendall(message.to_proto())
        _, body = self._read_proto()
        return next(iter_messages(body))

    def stream(self, message: Message, limit: int = 100000) -> list[Message]:
        """A multi-record request (batch, scan, query): every reply message up to the one with
        LAST (the LAST message included)."""
        self.sock.sendall(message.to_proto())
        out: list[Message] = []
        while len(out) < limit:
            _, body = self._read_proto()
            for msg in iter_messages(body):
                out.append(msg)
                # the stream ends with LAST, or with an error reply (a node sends no LAST then)
                if msg.info3 & Info3.LAST or msg.result_code not in (0, 2):
                    return out
        raise AssertionError("stream did not end after %d messages" % limit)


def raw_proto(body: bytes, proto_type: int = ProtoType.AS_MSG) -> bytes:
    return pack_proto_header(proto_type, len(body)) + body
