"""One socket to a node, with deadlines, proto framing and optional TLS."""

from __future__ import annotations

import logging
import socket
import ssl
import struct
import time

from spikewire import PROTO_HEADER_SIZE, ProtoType, decompress, unpack_proto_header

_PROTO_WORD = struct.Struct(">Q")  # a proto header: version (8 bits), type (8), body size (48)
_SIZE_MASK = (1 << 48) - 1

log = logging.getLogger("aerospike")


#: A socket timeout already set that ends at most this much later than wanted is kept: the receive
#: after a send would otherwise set one again, a few microseconds shorter.
_TIMEOUT_SLACK = 0.001


class ConnectionFailed(Exception):
    """The socket broke or timed out; `timeout` tells which, `sent` whether the request went out."""

    def __init__(self, message: str, timeout: bool = False, sent: bool = False):
        super().__init__(message)
        self.timeout = timeout
        self.sent = sent


class TlsContext(ssl.SSLContext):
    """Python's TLS context plus what the official client checks itself: the certificate blacklist
    (`cert_blacklist`) and whether to log each session's cipher (`log_session_info`)."""

    blacklist: frozenset = frozenset()  # (serial in upper-case hex, issuer "/C=../CN=.." or None)
    log_session_info: bool = False


_SHORT_NAMES = {"countryName": "C", "stateOrProvinceName": "ST", "localityName": "L", "organizationName": "O",
                "organizationalUnitName": "OU", "commonName": "CN", "emailAddress": "emailAddress"}


def _one_line(name) -> str:
    return "".join("/%s=%s" % (_SHORT_NAMES.get(key, key), value) for rdn in name for key, value in rdn)


def tls_name_matches(cert: dict, name: str) -> bool:
    """The official client's check: `name` equals a DNS subject-alt-name or the common name of the
    certificate (case-insensitive; `*.` matches one left-most label). IP addresses are not names."""
    ids = [value for kind, value in cert.get("subjectAltName", ()) if kind == "DNS"]
    ids += [value for rdn in cert.get("subject", ()) for key, value in rdn if key == "commonName"]
    name = name.lower()
    for cert_id in ids:
        cert_id = cert_id.lower()
        if cert_id == name:
            return True
        if cert_id.startswith("*.") and "." in name and name[name.index("."):] == cert_id[1:]:
            return True
    return False


def _check_peer(sock: ssl.SSLSocket, context: TlsContext, tls_name: str) -> str | None:
    """Why the server's certificate is refused after the handshake, or None."""
    cert = sock.getpeercert() or {}
    if not tls_name_matches(cert, tls_name):
        return "TLS name '%s' mismatch" % tls_name
    serial = str(cert.get("serialNumber", "")).upper().lstrip("0") or "0"
    for blocked, issuer in context.blacklist:
        if blocked == serial and (issuer is None or issuer == _one_line(cert.get("issuer", ()))):
            return "certificate %s is blacklisted" % serial
    return None


class Connection:
    __slots__ = ("sock", "last_used", "authenticated", "_buffer", "_timeout_set", "connect_seconds")

    #: Bytes asked of the socket per read: a whole small reply (header and body) in one call.
    READ_SIZE = 65536

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.last_used = time.monotonic()
        self.authenticated = False
        self.connect_seconds: float | None = None  # set by the pool on a new one, until first used
        self._buffer = bytearray()
        self._timeout_set: float | None = -1.0

    def _arm(self, socket_timeout: float | None, deadline: float | None) -> None:
        """Set the socket's timeout for the next send or receive: `socket_timeout`, cut to what is
        left before `deadline` (ConnectionFailed as a timeout when nothing is left). A timeout set
        moments ago that ends under a millisecond later is kept (settimeout is not free)."""
        if deadline is None:
            value = socket_timeout or None
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConnectionFailed("deadline passed", timeout=True)
            value = socket_timeout if socket_timeout and socket_timeout < remaining else remaining
        current = self._timeout_set
        if value != current:
            if value is not None and current is not None and 0.0 < current - value < _TIMEOUT_SLACK:
                return
            self.sock.settimeout(value)
            self._timeout_set = value

    @classmethod
    def open(cls, host: str, port: int, timeout: float, tls_context: ssl.SSLContext | None = None,
             tls_name: str | None = None) -> "Connection":
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except socket.timeout:
            raise ConnectionFailed("connect to %s:%d timed out" % (host, port), timeout=True) from None
        except OSError as exc:
            raise ConnectionFailed("connect to %s:%d failed: %s" % (host, port, exc)) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls_context is not None:
            if not tls_name:  # the official client cannot verify a node without its TLS name
                sock.close()
                raise ConnectionFailed("no TLS name for %s:%d (give hosts as (address, port, tls_name))"
                                       % (host, port))
            try:
                sock = tls_context.wrap_socket(sock, server_hostname=tls_name)
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                raise ConnectionFailed("TLS handshake with %s:%d failed: %s" % (host, port, exc)) from None
            refusal = _check_peer(sock, tls_context, tls_name) if isinstance(tls_context, TlsContext) else None
            if refusal is not None:
                sock.close()
                raise ConnectionFailed("TLS with %s:%d: %s" % (host, port, refusal))
            if getattr(tls_context, "log_session_info", False):
                log.info("TLS session with %s:%d: %s %s", host, port, sock.version(), sock.cipher())
        return cls(sock)

    def send(self, data: bytes, socket_timeout: float | None, deadline: float | None) -> None:
        try:
            self._arm(socket_timeout, deadline)
            self.sock.sendall(data)
        except socket.timeout:
            raise ConnectionFailed("send timed out", timeout=True, sent=True) from None
        except OSError as exc:
            raise ConnectionFailed("send failed: %s" % exc, sent=True) from None

    def recv_exact(self, n: int, socket_timeout: float | None, deadline: float | None) -> bytes:
        """The next `n` bytes; reads ahead into a buffer so a reply usually costs one recv."""
        buffer = self._buffer
        try:
            while len(buffer) < n:
                self._arm(socket_timeout, deadline)
                chunk = self.sock.recv(max(self.READ_SIZE, n - len(buffer)))
                if not chunk:
                    raise ConnectionFailed("connection closed by server", sent=True)
                buffer += chunk
        except socket.timeout:
            raise ConnectionFailed("receive timed out", timeout=True, sent=True) from None
        except OSError as exc:
            raise ConnectionFailed("receive failed: %s" % exc, sent=True) from None
        data = bytes(buffer[:n])
        del buffer[:n]
        return data

    def recv_proto(self, socket_timeout: float | None, deadline: float | None) -> tuple[int, bytes]:
        """(type, body) of the next message; a compressed reply is inflated transparently."""
        if not self._buffer:
            # The common case: the whole reply comes in one read (one copy, no buffer bookkeeping).
            try:
                self._arm(socket_timeout, deadline)
                chunk = self.sock.recv(self.READ_SIZE)
            except socket.timeout:
                raise ConnectionFailed("receive timed out", timeout=True, sent=True) from None
            except OSError as exc:
                raise ConnectionFailed("receive failed: %s" % exc, sent=True) from None
            if not chunk:
                raise ConnectionFailed("connection closed by server", sent=True)
            if len(chunk) >= PROTO_HEADER_SIZE:
                header = _PROTO_WORD.unpack_from(chunk)[0]
                end = PROTO_HEADER_SIZE + (header & _SIZE_MASK)
                if header >> 56 == 2 and (header >> 48) & 0xFF == ProtoType.AS_MSG and len(chunk) == end:
                    return ProtoType.AS_MSG, chunk[PROTO_HEADER_SIZE:]
            self._buffer += chunk  # anything else: the general path below
        version, ptype, size = unpack_proto_header(self.recv_exact(PROTO_HEADER_SIZE, socket_timeout, deadline))
        if version != 2 and not (version == 0 and ptype == ProtoType.ADMIN):
            raise ConnectionFailed("invalid proto version %d from server" % version, sent=True)
        body = self.recv_exact(size, socket_timeout, deadline)
        if ptype == ProtoType.COMPRESSED:
            inner = decompress(body)
            _, ptype, _ = unpack_proto_header(inner)
            body = inner[PROTO_HEADER_SIZE:]
        return ptype, body

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
