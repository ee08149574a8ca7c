"""Nothing acknowledged is lost: a `storage-engine device` namespace across kills and restarts.

Each test runs `python -m spikelite` as a child on a data file in a temporary directory, talks the
raw protocol to it (no client library), kills it (SIGKILL: no shutdown code runs) and starts it again
on the same file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

import spikelite
from spikelite import wire
from spikelite.config import ConfigError, parse_config

from .conftest import RawConnection, key_fields

OK, NOT_FOUND = wire.ResultCode.OK, wire.ResultCode.KEY_NOT_FOUND


def write_conf(tmp_path, filesize: str = "64M", extra: str = "") -> str:
    conf = tmp_path / "durable.conf"
    conf.write_text("""
namespace test {
    replication-factor 1
    nsup-period 1
    storage-engine device {
        file %s
        filesize %s
        write-block-size 1M
        %s
    }
}
""" % (tmp_path / "test.dat", filesize, extra))
    return str(conf)


def start(conf: str):
    return spikelite.spawn(config=conf, timeout=30)


def kill(server) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    server.stop()  # closes the pipes


def connect(server) -> RawConnection:
    return RawConnection(server.host, server.port, timeout=10)


def str_op(name: str, value: str) -> wire.Op:
    return wire.Op(wire.OpType.WRITE, wire.ParticleType.STRING, name, value.encode())


def int_op(name: str, value: int) -> wire.Op:
    return wire.Op(wire.OpType.WRITE, wire.ParticleType.INTEGER, name, wire.particles.encode_int(value))


def put(conn, set_name: str, key, ops, send_key: bool = False) -> wire.Message:
    fields = key_fields("test", set_name, key)
    if send_key:
        fields.append((wire.FieldType.KEY, b"\x03" + str(key).encode()))
    return conn.request(wire.Message(info2=wire.Info2.WRITE, fields=fields, ops=ops))


def get(conn, set_name: str, key) -> tuple[wire.Message, dict]:
    reply = conn.request(wire.Message(info1=wire.Info1.READ | wire.Info1.GET_ALL,
                                      fields=key_fields("test", set_name, key)))
    bins = {}
    for op in reply.ops:
        if op.particle_type == wire.ParticleType.INTEGER:
            bins[op.name] = wire.particles.decode_int(op.value)
        else:
            bins[op.name] = bytes(op.value).decode()
    return reply, bins


def record_ops(i: int, round_: int) -> list[wire.Op]:
    """Bins that must agree with each other: a torn record would break the pattern."""
    return [int_op("i", i), int_op("round", round_), str_op("pad", ("%d-%d:" % (i, round_)) * 20)]


def test_acknowledged_writes_survive_sigkill(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    acked: dict[int, tuple[int, int]] = {}  # key → (generation, round) of its last acknowledged write
    attempted: set[int] = set()
    stop = threading.Event()

    def writer():
        conn = connect(server)
        try:
            i = 0
            while not stop.is_set() and i < 100_000:
                key = i % 300  # keys are rewritten: generations climb
                round_ = i // 300
                attempted.add(key)
                reply = put(conn, "w", key, record_ops(key, round_))
                assert reply.result_code == OK
                acked[key] = (reply.generation, round_)
                i += 1
        except (OSError, ConnectionError):
            pass  # the server was killed mid-stream
        finally:
            conn.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while len(acked) < 300 or sum(g for g, _ in acked.values()) < 500:
        assert time.monotonic() < deadline and thread.is_alive(), "writer too slow"
        time.sleep(0.01)
    kill(server)
    stop.set()
    thread.join(10)
    snapshot = dict(acked)

    server = start(conf)
    try:
        conn = connect(server)
        for key in sorted(attempted):
            reply, bins = get(conn, "w", key)
            if key not in snapshot:  # its only write was in flight: there or not, never torn
                assert reply.result_code in (OK, NOT_FOUND)
                continue
            generation, round_ = snapshot[key]
            assert reply.result_code == OK, key
            # the one write in flight at the kill may have landed too: one generation further
            assert reply.generation in (generation, generation + 1), key
            expected_round = round_ if reply.generation == generation else round_ + 1
            assert bins == {"i": key, "round": expected_round, "pad": ("%d-%d:" % (key, expected_round)) * 20}
        conn.close()
    finally:
        server.stop()


def test_meta_ttl_key_and_deletes_persist(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    conn = connect(server)
    reply = conn.request(wire.Message(info2=wire.Info2.WRITE, record_ttl=1000,
                                      fields=key_fields("test", "m", "k") + [(wire.FieldType.KEY, b"\x03k")],
                                      ops=[str_op("a", "x")]))
    assert reply.result_code == OK
    void_time = reply.record_ttl
    assert put(conn, "m", "gone", [int_op("a", 1)]).result_code == OK
    assert conn.request(wire.Message(info2=wire.Info2.WRITE | wire.Info2.DELETE,
                                     fields=key_fields("test", "m", "gone"))).result_code == OK
    # a record with a 1 s TTL is dropped at load once expired
    assert conn.request(wire.Message(info2=wire.Info2.WRITE, record_ttl=1, fields=key_fields("test", "m", "short"),
                                     ops=[int_op("a", 1)])).result_code == OK
    conn.close()
    kill(server)
    time.sleep(2.2)
    server = start(conf)
    try:
        conn = connect(server)
        reply, bins = get(conn, "m", "k")
        assert reply.result_code == OK and bins == {"a": "x"} and reply.generation == 1
        assert reply.record_ttl == void_time
        assert get(conn, "m", "gone")[0].result_code == NOT_FOUND
        assert get(conn, "m", "short")[0].result_code == NOT_FOUND
        # the stored key came back: a read with another key for this digest is a mismatch
        assert conn.request(wire.Message(info1=wire.Info1.READ | wire.Info1.GET_ALL,
                                         fields=key_fields("test", "m", "k") + [(wire.FieldType.KEY, b"\x03z")])
                            ).result_code == wire.ResultCode.KEY_MISMATCH
        conn.close()
    finally:
        server.stop()


def test_truncate_persists_with_its_lut(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    conn = connect(server)
    for k in range(5):
        assert put(conn, "t", k, [int_op("a", k)]).result_code == OK
        assert put(conn, "keep", k, [int_op("a", k)]).result_code == OK
    assert conn.info("truncate:namespace=test;set=t")  # lut = now
    # truncate-namespace with a lut in the past: only the records older than it go
    assert put(conn, "old", 1, [int_op("a", 1)]).result_code == OK
    time.sleep(0.01)
    lut = time.time_ns()
    time.sleep(0.01)
    assert put(conn, "old", 2, [int_op("a", 2)]).result_code == OK
    assert put(conn, "keep", 0, [int_op("a", 100)]).result_code == OK
    assert put(conn, "t", "after", [int_op("a", 1)]).result_code == OK
    conn.info("truncate-namespace:namespace=test;lut=%d" % lut)
    conn.close()
    kill(server)
    server = start(conf)
    try:
        conn = connect(server)
        for k in range(5):
            assert get(conn, "t", k)[0].result_code == NOT_FOUND
        for k in range(1, 5):
            assert get(conn, "keep", k)[0].result_code == NOT_FOUND
        assert get(conn, "keep", 0)[1] == {"a": 100}
        assert get(conn, "t", "after")[1] == {"a": 1}
        assert get(conn, "old", 1)[0].result_code == NOT_FOUND
        assert get(conn, "old", 2)[1] == {"a": 2}
        assert "truncate_lut=0:" not in conn.info("sets/test/t")["sets/test/t"]
        conn.close()
    finally:
        server.stop()


def test_secondary_index_is_rebuilt(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    conn = connect(server)
    assert conn.info("sindex-create:ns=test;set=people;indexname=by_age;bin=age;type=numeric"
                     ).get("sindex-create:ns=test;set=people;indexname=by_age;bin=age;type=numeric") == "ok"
    conn.info("sindex-create:ns=test;set=people;indexname=gone;bin=name;type=string")
    conn.info("sindex-delete:ns=test;indexname=gone")
    for k in range(20):
        assert put(conn, "people", k, [int_op("age", k), str_op("name", "p%d" % k)]).result_code == OK
    conn.close()
    kill(server)
    server = start(conf)
    try:
        conn = connect(server)
        listing = conn.info("sindex-list:ns=test")["sindex-list:ns=test"]
        assert "indexname=by_age" in listing and "indexname=gone" not in listing
        stat = conn.info("sindex-stat:namespace=test;indexname=by_age")
        assert "entries=20;" in next(iter(stat.values()))
        conn.close()
        aerospike = pytest.importorskip("aerospike")
        from aerospike import predicates
        client = aerospike.client({"hosts": server.hosts}).connect()
        try:
            query = client.query("test", "people")
            query.where(predicates.between("age", 5, 9))
            assert sorted(bins["age"] for _, _, bins in query.results()) == [5, 6, 7, 8, 9]
        finally:
            client.close()
    finally:
        server.stop()


def _run_expecting_failure(conf: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spikelite", "--port", "0", "--config", conf],
                          capture_output=True, text=True, timeout=30)


def test_corrupt_data_file_stops_the_start(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    conn = connect(server)
    for k in range(50):
        assert put(conn, "c", k, [str_op("v", "MARKER%03d" % k)]).result_code == OK
    conn.close()
    server.stop()  # clean stop: everything is in the main file
    data = tmp_path / "test.dat"
    good = data.read_bytes()
    pos = good.find(b"MARKER025")
    assert pos > 0
    damaged = bytearray(good)
    damaged[pos + 7] ^= 0x01
    data.write_bytes(bytes(damaged))
    result = _run_expecting_failure(conf)
    assert result.returncode != 0
    assert "corrupt" in result.stderr and str(data) in result.stderr

    data.write_bytes(b"this is not a data file" + os.urandom(4000))
    result = _run_expecting_failure(conf)
    assert result.returncode != 0 and "corrupt" in result.stderr

    data.write_bytes(good)  # the intact file still starts, with every record
    server = start(conf)
    try:
        conn = connect(server)
        assert all(get(conn, "c", k)[1] == {"v": "MARKER%03d" % k} for k in range(50))
        conn.close()
    finally:
        server.stop()


def test_second_server_on_the_same_file_is_refused(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    try:
        result = _run_expecting_failure(conf)
        assert result.returncode != 0 and "in use" in result.stderr
    finally:
        server.stop()


def test_full_file_answers_out_of_space_and_keeps_serving(tmp_path):
    conf = write_conf(tmp_path, filesize="64K")  # stop-writes at 70%: about 45 KiB of records
    server = start(conf)
    try:
        conn = connect(server)
        written = 0
        for k in range(200):
            reply = put(conn, "big", k, [str_op("v", "x" * 1000)])
            if reply.result_code == wire.ResultCode.OUT_OF_SPACE:
                break
            assert reply.result_code == OK
            written += 1
        else:
            pytest.fail("the namespace never filled up")
        assert 30 < written < 60
        assert put(conn, "big", "more", [int_op("a", 1)]).result_code == wire.ResultCode.OUT_OF_SPACE
        stats = dict(pair.split("=", 1) for pair in conn.info("namespace/test")["namespace/test"].split(";"))
        assert stats["stop_writes"] == "true" and stats["data_total_bytes"] == str(64 << 10)
        assert stats["storage-engine"] == "device" and stats["storage-engine.file"].endswith("test.dat")
        assert all(get(conn, "big", k)[1] == {"v": "x" * 1000} for k in range(written))  # reads go on
        assert conn.request(wire.Message(info2=wire.Info2.WRITE | wire.Info2.DELETE,
                                         fields=key_fields("test", "big", 0))).result_code == OK
        assert put(conn, "big", "more", [int_op("a", 1)]).result_code == OK  # room again
        conn.close()
        kill(server)
        server = start(conf)  # the count of used bytes comes back with the records
        conn = connect(server)
        codes = [put(conn, "big", "again%d" % k, [str_op("v", "x" * 1000)]).result_code for k in range(3)]
        assert codes[-2:] == [wire.ResultCode.OUT_OF_SPACE] * 2  # the one freed record's room, then full
        assert get(conn, "big", written - 1)[1] == {"v": "x" * 1000}
        conn.close()
    finally:
        server.stop()


def test_connection_dropped_mid_request_leaves_the_server_serving(tmp_path):
    conf = write_conf(tmp_path)
    server = start(conf)
    try:
        conn = connect(server)
        assert put(conn, "d", 1, [int_op("a", 1)]).result_code == OK
        body = wire.Message(info2=wire.Info2.WRITE, fields=key_fields("test", "d", 2),
                            ops=[int_op("a", 2)]).to_proto()
        for cut in (3, 8, 20, len(body) - 1):
            sock = socket.create_connection((server.host, server.port), timeout=5)
            sock.sendall(body[:cut])
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()  # RST with half a request sent
        assert get(conn, "d", 2)[0].result_code == NOT_FOUND  # half a request writes nothing
        assert put(conn, "d", 3, [int_op("a", 3)]).result_code == OK
        conn.close()
        kill(server)
        server = start(conf)
        conn = connect(server)
        assert get(conn, "d", 1)[1] == {"a": 1} and get(conn, "d", 3)[1] == {"a": 3}
        assert get(conn, "d", 2)[0].result_code == NOT_FOUND
        conn.close()
    finally:
        server.stop()


@pytest.mark.parametrize("body, message", [
    ("storage-engine device {\n file /tmp/x.dat\n filesize 1G\n bogus-setting 1\n }", ":5: unknown setting 'bogus-setting'"),
    ("storage-engine device {\n filesize 1G\n }", "needs a 'file'"),
    ("storage-engine device {\n file /tmp/x.dat\n }", "needs a 'filesize'"),
    ("storage-engine device {\n device /dev/sdb\n }", ":3: raw devices are not supported"),
    ("storage-engine device {\n file /a\n file /b\n filesize 1G\n }", ":4: spikelite keeps a namespace in one file"),
    ("storage-engine pmem {\n file /a\n }", "storage-engine pmem is not supported"),
    ("storage-engine device", "needs a context with a file"),
])
def test_storage_config_errors_name_the_line(body, message):
    with pytest.raises(ConfigError, match=message):
        parse_config("namespace test {\n%s\n}\n" % body, "x.conf")


def test_storage_config_accepts_real_device_settings():
    config = parse_config("""namespace test {
    memory-size 1G
    storage-engine device {
        file /var/lib/aerospike/test.dat
        filesize 4G
        write-block-size 128K
        data-in-memory true
        defrag-lwm-pct 50
        post-write-queue 256
        commit-to-device false
        stop-writes-used-pct 80
    }
}
namespace mem {
    storage-engine memory {
        data-size 2G
    }
}
namespace legacy {
    memory-size 100M
    stop-writes-pct 50
    storage-engine memory
}
""")
    ns = config.namespaces["test"]
    assert (ns.storage, ns.storage_file, ns.filesize) == ("device", "/var/lib/aerospike/test.dat", 4 << 30)
    assert ns.stop_writes_bytes() == (4 << 30) * 80 // 100
    assert config.namespaces["mem"].stop_writes_bytes() == (2 << 30) * 70 // 100
    assert config.namespaces["mem"].storage_file is None
    assert config.namespaces["legacy"].stop_writes_bytes() == 50 << 20


def test_memory_namespace_with_data_size_stops_writes():
    config = parse_config("namespace test {\n nsup-period 1\n storage-engine memory {\n data-size 16K\n }\n}\n")
    server = spikelite.start(config)
    try:
        conn = RawConnection(server.host, server.port)
        codes = [put(conn, "m", k, [str_op("v", "y" * 1000)]).result_code for k in range(20)]
        assert OK in codes and codes[-1] == wire.ResultCode.OUT_OF_SPACE
        first_full = codes.index(wire.ResultCode.OUT_OF_SPACE)
        assert set(codes[first_full:]) == {wire.ResultCode.OUT_OF_SPACE}
        assert get(conn, "m", 0)[1] == {"v": "y" * 1000}
        conn.close()
    finally:
        server.stop()


def test_memory_engine_with_a_file_persists_too(tmp_path):
    conf = tmp_path / "mem.conf"
    conf.write_text("namespace test {\n storage-engine memory {\n file %s\n filesize 1M\n }\n}\n"
                    % (tmp_path / "mem.dat"))
    server = start(str(conf))
    conn = connect(server)
    assert put(conn, "p", 1, [int_op("a", 7)]).result_code == OK
    conn.close()
    kill(server)
    server = start(str(conf))
    try:
        conn = connect(server)
        assert get(conn, "p", 1)[1] == {"a": 7}
        conn.close()
    finally:
        server.stop()


def test_udf_modules_survive_a_restart_without_a_user_path(tmp_path):
    import base64

    conf = write_conf(tmp_path)  # a device namespace and no mod-lua context
    source = b"function hello(rec)\n  return 'hi'\nend\n"
    content = base64.b64encode(source).decode()
    line = "udf-put:filename=kept.lua;content=%s;content-len=%d;udf-type=LUA;" % (content, len(content))
    server = start(conf)
    conn = connect(server)
    assert conn.info(line)[line] == "ok"
    conn.close()
    kill(server)
    server = start(conf)
    try:
        conn = connect(server)
        assert "filename=kept.lua" in conn.info("udf-list")["udf-list"]
        got = conn.info("udf-get:filename=kept.lua")["udf-get:filename=kept.lua"]
        assert "content=%s" % content in got
        conn.close()
    finally:
        server.stop()
    assert (tmp_path / "udf" / "kept.lua").read_bytes() == source
