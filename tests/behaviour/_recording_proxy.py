"""A tiny TCP proxy for behaviour tests: forwards a client's connections to the server and keeps
every AS_MSG request the client sends, so a test can check the bytes of a request."""

from __future__ import annotations

import socket
import struct
import threading

_PROTO = struct.Struct(">BB6s")
_AS_MSG = 3
_MSG_HEADER = struct.Struct(">BBBBBBIIIHH")
_FIELD = struct.Struct(">IB")


class RecordingProxy:
    """``with RecordingProxy(host, port) as proxy``: connect clients to ``proxy.address``;
    ``proxy.requests`` lists the AS_MSG bodies they sent, in order."""

    def __init__(self, host: str, port: int):
        self._upstream = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = self._listener.getsockname()[:2]
        self.requests: list[bytes] = []
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False

    def __enter__(self) -> "RecordingProxy":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._closed = True
        self._listener.close()
        for s in self._sockets:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, record: bool) -> None:
        pending = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if record:
                    pending = self._keep(pending + data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _keep(self, buffer: bytes) -> bytes:
        """Record the complete protos of `buffer`; the incomplete rest."""
        while len(buffer) >= 8:
            _version, ptype, raw_size = _PROTO.unpack_from(buffer)
            size = int.from_bytes(raw_size, "big")
            if len(buffer) < 8 + size:
                break
            if ptype == _AS_MSG:
                with self._lock:
                    self.requests.append(buffer[8:8 + size])
            buffer = buffer[8 + size:]
        return buffer


def as_msg_fields(body: bytes) -> list[tuple[int, bytes]] | None:
    """The (type, data) fields of an AS_MSG body, in order; None when it is not one."""
    if len(body) < _MSG_HEADER.size:
        return None
    n_fields = _MSG_HEADER.unpack_from(body)[9]
    pos, fields = _MSG_HEADER.size, []
    for _ in range(n_fields):
        if pos + 5 > len(body):
            return None
        size, ftype = _FIELD.unpack_from(body, pos)
        fields.append((ftype, body[pos + 5:pos + 4 + size]))
        pos += 4 + size
    return fields
