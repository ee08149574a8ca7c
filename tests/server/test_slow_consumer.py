"""A client that reads a large scan reply very slowly (or stops reading) does not hold up other
clients: the server stops reading that connection's requests while its replies back up, and
keeps serving everyone else."""

from __future__ import annotations

import socket
import threading
import time

from spikelite import wire

from .conftest import RawConnection, get_msg, put_msg

N = 20000

#: Every partition id (a foreground scan names its partitions, as a real node requires).
ALL_PIDS = b"".join(bytes((p & 0xFF, p >> 8)) for p in range(4096))


def test_slow_scan_consumer_does_not_block_others(server):
    loader = RawConnection(server.host, server.port)
    blob = wire.Op(wire.OpType.WRITE, wire.ParticleType.BLOB, "pad", b"x" * 600)
    msgs = [put_msg("test", "slowscan", i, {"v": i}) for i in range(N)]
    for msg in msgs:
        msg.ops.append(blob)  # ~12 MB of reply: more than socket buffers hold
    batch = b"".join(msg.to_proto() for msg in msgs)
    loader.send(batch)
    for _ in range(N):
        assert wire.parse_message(loader.recv_proto()[1])[0].result_code == 0

    slow = socket.create_connection((server.host, server.port), timeout=10)  # reads nothing for now
    scan = wire.Message(info1=wire.Info1.READ, info3=wire.Info3.PARTITION_DONE,
                        fields=[(wire.FieldType.NAMESPACE, b"test"), (wire.FieldType.SET, b"slowscan"),
                                (wire.FieldType.PID_ARRAY, ALL_PIDS)])
    slow.sendall(scan.to_proto())
    time.sleep(0.3)  # the reply is now backed up behind the slow reader

    # Others are served promptly meanwhile, many times over.
    other = RawConnection(server.host, server.port)
    started = time.monotonic()
    for i in range(200):
        reply = other.request(get_msg("test", "slowscan", i))
        assert reply.result_code == 0
    assert time.monotonic() - started < 5.0
    other.close()

    # The slow reader still gets every record, in the end, followed by the LAST marker.
    received = 0
    done = False
    buffer = bytearray()
    deadline = time.monotonic() + 60
    while not done and time.monotonic() < deadline:
        chunk = slow.recv(65536)
        assert chunk, "server closed the slow reader's connection"
        buffer += chunk
        while len(buffer) >= 8:
            _, _, size = wire.unpack_proto_header(bytes(buffer[:8]))
            if len(buffer) < 8 + size:
                break
            body = bytes(buffer[8:8 + size])
            del buffer[:8 + size]
            for msg in wire.iter_messages(body):
                if msg.info3 & wire.Info3.LAST:
                    done = True
                elif not msg.info3 & wire.Info3.PARTITION_DONE:
                    received += 1
    slow.close()
    assert done and received == N
    loader.close()


def test_reader_that_vanishes_mid_scan_does_not_hurt_the_server(server):
    conn = RawConnection(server.host, server.port)
    for i in range(2000):
        conn.send(put_msg("test", "vanish", i, {"v": i}).to_proto())
    for _ in range(2000):
        conn.recv_proto()
    for _ in range(5):
        s = socket.create_connection((server.host, server.port))
        s.sendall(wire.Message(info1=wire.Info1.READ, info3=wire.Info3.PARTITION_DONE,
                               fields=[(wire.FieldType.NAMESPACE, b"test"), (wire.FieldType.SET, b"vanish"),
                                       (wire.FieldType.PID_ARRAY, ALL_PIDS)]).to_proto())
        s.recv(100)
        s.close()  # gone with most of the reply unread
    assert conn.info("node")["node"]
    assert conn.request(get_msg("test", "vanish", 1)).result_code == 0
    conn.close()
