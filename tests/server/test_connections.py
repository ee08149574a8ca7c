"""Pipelining, many connections, idle timeouts, compression, the command line."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import spikelite
from spikelite import wire
from spikelite.config import default_config

from .conftest import CONFIG, RawConnection, get_msg, put_msg


def test_pipelined_requests_are_answered_in_order(conn):
    msgs = [put_msg("test", "pipe", i, {"v": i}) for i in range(200)]
    msgs += [get_msg("test", "pipe", i) for i in range(200)]
    conn.send(b"".join(m.to_proto() for m in msgs))
    replies = [wire.parse_message(conn.recv_proto()[1])[0] for _ in msgs]
    assert all(r.result_code == 0 for r in replies)
    values = [wire.particles.decode_int(r.ops[0].value) for r in replies[200:]]
    assert values == list(range(200))


def test_requests_split_across_many_tcp_writes(conn):
    data = put_msg("test", "split", "k", {"v": 42}).to_proto() + get_msg("test", "split", "k").to_proto()
    for byte in data:
        conn.send(bytes([byte]))
    assert wire.parse_message(conn.recv_proto()[1])[0].result_code == 0
    reply = wire.parse_message(conn.recv_proto()[1])[0]
    assert wire.particles.decode_int(reply.ops[0].value) == 42


def test_many_concurrent_connections(server):
    errors = []

    def worker(n: int) -> None:
        try:
            c = RawConnection(server.host, server.port)
            for i in range(20):
                assert c.request(put_msg("test", "many", (n, i).__hash__(), {"v": i})).result_code == 0
            c.close()
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    conns = [RawConnection(server.host, server.port) for _ in range(100)]  # idle ones too
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(c.info("node")["node"] for c in conns[:5])
    for c in conns:
        c.close()


def test_idle_connections_are_closed():
    config = default_config()
    config.proto_fd_idle_ms = 300
    with spikelite.start(config) as srv:
        idle = RawConnection(srv.host, srv.port)
        busy = RawConnection(srv.host, srv.port)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            busy.info("node")
            time.sleep(0.1)
        assert idle.is_closed_by_peer(timeout=0.5)
        assert busy.info("node")["node"]


def test_compressed_request_and_compressed_reply(conn):
    big = {"b%d" % i: i for i in range(40)}
    put = wire.compress(put_msg("test", "zip", "k", big).to_proto())
    conn.send(put)
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.AS_MSG
    assert wire.parse_message(body)[0].result_code == 0
    get = get_msg("test", "zip", "k")
    get.info1 |= wire.Info1.COMPRESS_RESPONSE
    conn.send(wire.compress(get.to_proto()))
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.COMPRESSED
    inner = wire.decompress(body)
    reply = wire.parse_message(inner[8:])[0]
    assert {op.name: wire.particles.decode_int(op.value) for op in reply.ops} == big


def test_command_line_server_starts_and_stops():
    with spikelite.spawn(config=str(CONFIG)) as child:
        c = RawConnection(child.host, child.port)
        assert c.info("namespaces")["namespaces"] == "test;ttl"
        c.close()
        proc = child.process
    assert proc.poll() is not None


def test_command_line_rejects_bad_config(tmp_path: Path):
    bad = tmp_path / "bad.conf"
    bad.write_text("namespace test {\n    default-ttl 1x\n}\n")
    result = subprocess.run([sys.executable, "-m", "spikelite", "--config", str(bad), "--port", "0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "bad.conf:2" in result.stderr and "default-ttl" in result.stderr
