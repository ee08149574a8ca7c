"""A fault-injecting TCP proxy for client tests: it sits in front of one server node on loopback
and lets a test slow down, swallow or cut the node's traffic while a client is talking to it.

    with FaultProxy(("127.0.0.1", server_port)) as proxy:
        client = aerospike.client({"hosts": [proxy.address]})
        proxy.delay_ms = 500            # data replies (proto types 3 and 4) now arrive 0.5 s late
        proxy.delay_count = 1           # ... only the next one (None: every one)
        proxy.swallow = True            # ... or never arrive
        proxy.drop_next_data_requests = 1   # the next data request closes its connection instead
        proxy.refuse = True             # new connections are accepted and closed at once
        proxy.go_down(); proxy.come_up()    # stop listening and cut every connection; listen again

It parses the proto framing (an 8-byte header: version, type, 48-bit body size) in both
directions, so every control acts on whole messages and info messages (type 1) always pass
untouched: a client's tending keeps working while its data commands are being tortured. Counters:
``connections_opened``, ``connections_open``, ``data_requests`` (data messages received from
clients, including dropped ones), ``info_requests``, ``refused``, and ``max_open`` (the most
connections open at once since the last ``reset_counters()``).

A lone node's ``service-*`` answers carry its own address, and ``peers-*`` answers carry the
addresses of other nodes; with ``rewrite_services=True`` (the default) info replies to those
commands have the node's address replaced by the proxy's, so a client that trusted them would
still talk only to the proxy.

Every thread is a daemon and every blocking call is bounded; ``close()`` (or leaving the ``with``)
stops the listener and cuts every connection.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

HEADER_SIZE = 8
_HEADER = struct.Struct(">Q")
_SIZE_MASK = (1 << 48) - 1
INFO, ADMIN, AS_MSG, COMPRESSED = 1, 2, 3, 4
DATA_TYPES = (AS_MSG, COMPRESSED)
_POLL = 0.1  # seconds between checks of the stop flag in blocking loops


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    """Exactly n bytes, or None when the peer closed (or the socket was cut) first."""
    chunks, got = [], 0
    while got < n:
        try:
            chunk = sock.recv(min(n - got, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read_message(sock: socket.socket) -> tuple[int, bytes, bytes] | None:
    """(proto type, header, body) of the next whole message, or None at end of stream."""
    header = _recv_exact(sock, HEADER_SIZE)
    if header is None:
        return None
    (value,) = _HEADER.unpack(header)
    size = value & _SIZE_MASK
    body = _recv_exact(sock, size) if size else b""
    if body is None:
        return None
    return (value >> 48) & 0xFF, header, body


def _cut(sock: socket.socket) -> None:
    """Close a socket so that a thread blocked reading it wakes up at once."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Link:
    """One client connection and its connection to the node, pumped by two daemon threads."""

    def __init__(self, proxy: "FaultProxy", client: socket.socket, upstream: socket.socket):
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self._closed = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        for target, name in ((self._requests, "requests"), (self._replies, "replies")):
            threading.Thread(target=target, name="faultproxy-%s" % name, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
        _cut(self.client)
        _cut(self.upstream)
        self.proxy._link_closed(self)

    def _requests(self) -> None:
        proxy = self.proxy
        try:
            while not self._closed.is_set():
                message = _read_message(self.client)
                if message is None:
                    return
                ptype, header, body = message
                if ptype in DATA_TYPES:
                    with proxy._lock:
                        proxy.data_requests += 1
                        drop = proxy.drop_next_data_requests > 0
                        if drop:
                            proxy.drop_next_data_requests -= 1
                    if drop:
                        return
                elif ptype == INFO:
                    with proxy._lock:
                        proxy.info_requests += 1
                        proxy.info_log.append(body.decode("utf-8", "replace"))
                        del proxy.info_log[:-200]
                self.upstream.sendall(header + body)
        except OSError:
            pass
        finally:
            self.close()

    def _replies(self) -> None:
        proxy = self.proxy
        try:
            while not self._closed.is_set():
                message = _read_message(self.upstream)
                if message is None:
                    return
                ptype, header, body = message
                if ptype in DATA_TYPES:
                    if proxy.swallow:
                        continue
                    if proxy._take_delay() and self._closed.wait(proxy.delay_ms / 1000.0):
                        return
                elif ptype == INFO and proxy.rewrite_services:
                    rewritten = proxy._rewrite_info(body)
                    if rewritten is not body:
                        body = rewritten
                        header = _HEADER.pack((_HEADER.unpack(header)[0] & ~_SIZE_MASK) | len(body))
                self.client.sendall(header + body)
        except OSError:
            pass
        finally:
            self.close()


class FaultProxy:
    """A loopback proxy in front of ``target`` (host, port). Controls may be set at any time."""

    def __init__(self, target: tuple[str, int], connect_timeout: float = 2.0):
        self.target = (target[0], int(target[1]))
        self.connect_timeout = connect_timeout
        # Controls.
        self.delay_ms = 0
        self.delay_count: int | None = None
        self.swallow = False
        self.drop_next_data_requests = 0
        self.refuse = False
        self.rewrite_services = True
        # Counters.
        self.connections_opened = 0
        self.max_open = 0
        self.data_requests = 0
        self.info_requests = 0
        self.refused = 0
        self.info_log: list[str] = []

        self._lock = threading.Lock()
        self._links: set[_Link] = set()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self.port = 0
        self._listen()

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(_POLL)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept_loop, args=(listener,),
                                          name="faultproxy-accept", daemon=True)
        self._acceptor.start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._acceptor is not None:
            self._acceptor.join(5)
            self._acceptor = None

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set() and self._listener is listener:
            try:
                client, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.refuse or self._listener is not listener:
                with self._lock:
                    self.refused += 1
                _cut(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=self.connect_timeout)
            except OSError:
                _cut(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(self, client, upstream)
            with self._lock:
                self.connections_opened += 1
                self._links.add(link)
                self.max_open = max(self.max_open, len(self._links))
            link.start()
            if self._listener is not listener:  # went down meanwhile
                link.close()

    def _link_closed(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)

    def cut_all(self) -> None:
        """Close every proxied connection now."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()

    def go_down(self) -> None:
        """The node goes away: stop listening (connects are refused) and cut every connection."""
        self._stop_listening()
        self.cut_all()

    def come_up(self) -> None:
        """Listen again on the same port."""
        if self._listener is None and not self._stop.is_set():
            self._listen()

    def reset(self) -> None:
        """Clear every control (counters are kept)."""
        self.delay_ms = 0
        self.delay_count = None
        self.swallow = False
        self.drop_next_data_requests = 0
        self.refuse = False
        self.come_up()

    def close(self) -> None:
        self._stop.set()
        self._stop_listening()
        self.cut_all()

    def __enter__(self) -> "FaultProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- counters ---------------------------------------------------------------------------------

    def reset_counters(self) -> None:
        with self._lock:
            self.connections_opened = self.data_requests = self.info_requests = self.refused = 0
            self.max_open = len(self._links)

    def _take_delay(self) -> bool:
        """Whether the data reply at hand is to be delayed (uses up one of `delay_count`)."""
        with self._lock:
            if not self.delay_ms:
                return False
            if self.delay_count is None:
                return True
            if self.delay_count <= 0:
                return False
            self.delay_count -= 1
            return True

    @property
    def connections_open(self) -> int:
        with self._lock:
            return len(self._links)

    def wait_for(self, predicate, timeout: float = 5.0, interval: float = 0.02) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)
        return True

    # -- info rewriting ---------------------------------------------------------------------------

    def _rewrite_info(self, body: bytes) -> bytes:
        """Replace the node's address by the proxy's in `service*` and `peers*` answers."""
        text = body.decode("utf-8", "replace")
        lines = text.split("\n")
        changed = False
        host, port = self.target
        for i, line in enumerate(lines):
            name, tab, value = line.partition("\t")
            if not tab or not (name.startswith("service") or name.startswith("peers")):
                continue
            new = value.replace("%s:%d" % (host, port), "%s:%d" % self.address)
            if name.startswith("peers"):
                gen, comma, rest = new.partition(",")
                default_port, comma2, rest2 = rest.partition(",")
                if comma and comma2 and default_port == str(port):
                    new = "%s,%d,%s" % (gen, self.port, rest2)
            if new != value:
                lines[i] = "%s\t%s" % (name, new)
                changed = True
        return "\n".join(lines).encode() if changed else body
