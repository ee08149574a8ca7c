"""Scans and queries are answered as streams: other connections are served while one runs,
`records_per_second` paces it (as a real node does), and requests pipelined behind a scan on the
same connection are answered after its LAST marker, in order."""

from __future__ import annotations

import socket
import struct

from spikelite import wire

from .conftest import RawConnection, get_msg, put_msg

N = 300
SET = "streamscan"
ALL_PIDS = b"".join(pid.to_bytes(2, "little") for pid in range(4096))


def _load(server) -> None:
    loader = RawConnection(server.host, server.port)
    loader.send(b"".join(put_msg("test", SET, i, {"v": i}).to_proto() for i in range(N)))
    for _ in range(N):
        assert wire.parse_message(loader.recv_proto()[1])[0].result_code == 0
    loader.close()


def _scan(records_per_second: int = 0) -> wire.Message:
    fields = [(wire.FieldType.NAMESPACE, b"test"), (wire.FieldType.SET, SET.encode()),
              (wire.FieldType.PID_ARRAY, ALL_PIDS)]  # a foreground scan names its partitions
    if records_per_second:
        fields.append((wire.FieldType.RECS_PER_SEC, struct.pack(">I", records_per_second)))
    return wire.Message(info1=wire.Info1.READ, info3=wire.Info3.PARTITION_DONE, fields=fields)


class StreamReader:
    """Reads reply protos off a socket: every message, in order."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.messages: list[wire.Message] = []

    @property
    def records(self) -> int:
        """Records before the first LAST marker."""
        count = 0
        for msg in self.messages:
            if msg.info3 & wire.Info3.LAST:
                break
            count += 1
        return count

    @property
    def last(self) -> bool:
        return any(msg.info3 & wire.Info3.LAST for msg in self.messages)

    def _parse(self) -> None:
        while len(self.buffer) >= 8:
            _, _, size = wire.unpack_proto_header(bytes(self.buffer[:8]))
            if len(self.buffer) < 8 + size:
                return
            body = bytes(self.buffer[8:8 + size])
            del self.buffer[:8 + size]
            self.messages.extend(wire.iter_messages(body))

    def read_some(self) -> None:
        """Block until at least one more byte came, then take what is there."""
        self.sock.settimeout(30)
        chunk = self.sock.recv(1 << 20)
        assert chunk, "server closed the connection"
        self.buffer += chunk
        self.drain()

    def drain(self) -> None:
        """Everything that has arrived by now, without waiting."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    break
                self.buffer += chunk
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)
        self._parse()


def test_a_get_is_answered_while_a_paced_scan_is_still_open(server):
    _load(server)
    scanning = socket.create_connection((server.host, server.port), timeout=30)
    scanning.sendall(_scan(records_per_second=50).to_proto())  # N records: about 6 s
    stream = StreamReader(scanning)
    while stream.records == 0:
        stream.read_some()

    other = RawConnection(server.host, server.port)
    reply = other.request(get_msg("test", SET, 7))
    assert reply.result_code == 0

    # The get has its answer and the scan has not ended: the server served the get in between.
    stream.drain()
    assert not stream.last
    assert 0 < stream.records < N

    # A client that goes away in the middle of a stream leaves the server serving the others.
    scanning.close()
    assert other.request(get_msg("test", SET, 8)).result_code == 0
    other.close()


def test_requests_behind_a_scan_are_answered_after_its_last_marker(server):
    _load(server)
    sock = socket.create_connection((server.host, server.port), timeout=30)
    sock.sendall(_scan().to_proto() + get_msg("test", SET, 3).to_proto() + _scan().to_proto())
    stream = StreamReader(sock)
    while sum(1 for msg in stream.messages if msg.info3 & wire.Info3.LAST) < 2:
        stream.read_some()
    sock.close()
    kinds = ["last" if msg.info3 & wire.Info3.LAST else "digest" if msg.field(wire.FieldType.DIGEST)
             else "get" for msg in stream.messages]
    # N records and LAST, the get's reply (no digest field), N records and LAST: nothing interleaved
    assert kinds == ["digest"] * N + ["last", "get"] + ["digest"] * N + ["last"]
    get_reply = stream.messages[N + 1]
    assert get_reply.result_code == 0
    assert [(op.name, wire.particles.decode_int(op.value)) for op in get_reply.ops] == [("v", 3)]
