"""Info commands a client tends a node with, and administrative ones."""

from __future__ import annotations

import base64
import time

from spikelite import wire

from .conftest import get_msg, put_msg


def test_tending_commands(conn, server):
    reply = conn.info("node", "partition-generation", "peers-generation", "features", "cluster-name",
                      "build", "edition", "partitions", "service-clear-std", "peers-clear-std")
    assert reply["node"].isalnum() and reply["node"] == reply["node"].upper()
    assert int(reply["partition-generation"]) >= 0
    assert int(reply["peers-generation"]) >= 0
    features = reply["features"].split(";")
    for needed in ("pscans", "pquery", "batch-any", "batch-index", "peers", "replicas", "query-show"):
        assert needed in features
    assert reply["cluster-name"] == "spikelite-tests"
    assert reply["build"].count(".") == 3
    assert reply["partitions"] == "4096"
    assert reply["service-clear-std"] == "%s:%d" % (server.host, server.port)
    gen, port, peers = reply["peers-clear-std"].split(",", 2)
    assert int(port) == 3000 and peers == "[]"  # a real node's default-port field is 3000


def test_replicas_map_owns_every_partition(conn):
    reply = conn.info("replicas")["replicas"]
    entries = dict(e.split(":", 1) for e in reply.split(";"))
    assert set(entries) == {"test", "ttl"}
    regime, n_repl, bitmap = entries["test"].split(",")
    assert (regime, n_repl) == ("0", "1")
    assert len(bitmap) == 684
    assert base64.b64decode(bitmap) == b"\xff" * 512


def test_several_commands_in_one_request_answered_in_order(conn):
    conn.send(wire.info.build_request(["build", "node", "namespaces"]))
    _, body = conn.recv_proto()
    lines = body.decode().rstrip("\n").split("\n")
    assert [line.split("\t")[0] for line in lines] == ["build", "node", "namespaces"]


def test_unknown_command(conn):
    assert conn.info("no-such-command")["no-such-command"] == "ERROR:4:unrecognized command"


def test_namespaces_and_namespace_stats(conn):
    assert conn.info("namespaces")["namespaces"] == "test;ttl"
    stats = dict(kv.split("=", 1) for kv in conn.info("namespace/ttl")["namespace/ttl"].split(";"))
    assert stats["default-ttl"] == "3600"
    assert stats["replication-factor"] == "1"
    assert int(stats["objects"]) >= 0
    assert conn.info("namespace/nope")["namespace/nope"] == "type=unknown"


def test_sets_report_object_counts(conn):
    for i in range(3):
        assert conn.request(put_msg("test", "counted", i, {"a": i})).result_code == 0
    text = conn.info("sets/test/counted")["sets/test/counted"]
    props = dict(kv.split("=", 1) for kv in text.split(":"))
    assert props["objects"] == "3"
    listing = conn.info("sets")["sets"]
    assert "ns=test:set=counted:objects=3:" in listing
    assert "ns=ttl:set=short:" in listing  # configured sets are listed even when empty
    assert conn.info("sets/nope")["sets/nope"] == "ns_type=unknown"


def test_statistics(conn):
    stats = dict(kv.split("=", 1) for kv in conn.info("statistics")["statistics"].split(";"))
    assert stats["cluster_size"] == "1"
    assert int(stats["client_connections"]) >= 1
    assert int(stats["uptime"]) >= 0


def test_truncate_set_with_and_without_lut(conn):
    assert conn.request(put_msg("test", "trunc1", "old", {"a": 1})).result_code == 0
    time.sleep(0.01)
    cut = time.time_ns()
    time.sleep(0.01)
    assert conn.request(put_msg("test", "trunc1", "new", {"a": 2})).result_code == 0
    assert conn.info("truncate:namespace=test;set=trunc1;lut=%d" % cut)["truncate:namespace=test;set=trunc1;lut=%d" % cut] == "ok"
    assert conn.request(get_msg("test", "trunc1", "old")).result_code == wire.ResultCode.KEY_NOT_FOUND
    assert conn.request(get_msg("test", "trunc1", "new")).result_code == 0
    time.sleep(0.002)  # leave the write's millisecond: a same-millisecond write survives
    assert conn.info("truncate:ns=test;set=trunc1")["truncate:ns=test;set=trunc1"] == "ok"
    assert conn.request(get_msg("test", "trunc1", "new")).result_code == wire.ResultCode.KEY_NOT_FOUND


def test_truncate_errors(conn):
    future = time.time_ns() + 10**12
    line = "truncate:namespace=test;set=x;lut=%d" % future
    assert conn.info(line)[line].startswith("ERROR:4:")
    # as a real node answers: an unknown namespace is "ok" (nothing to do), names are checked first
    assert conn.info("truncate:namespace=nope;set=x")["truncate:namespace=nope;set=x"] == "ok"
    assert conn.info("truncate:namespace=test;set=")["truncate:namespace=test;set="] == "ERROR:4:missing 'set' value"
    assert conn.info("truncate:set=x")["truncate:set=x"] == "ERROR:20:missing 'namespace'"
    line = "truncate-namespace:namespace=test;set=x"
    assert conn.info(line)[line] == "ERROR:4:unexpected set name"


def test_truncate_namespace_leaves_other_namespaces(conn):
    assert conn.request(put_msg("ttl", "keepme", "k", {"a": 1})).result_code == 0
    assert conn.request(put_msg("test", "goes", "k", {"a": 1})).result_code == 0
    time.sleep(0.002)  # a write in the truncate's own millisecond survives it (as on a real node)
    assert conn.info("truncate-namespace:namespace=test")["truncate-namespace:namespace=test"] == "ok"
    assert conn.request(get_msg("test", "goes", "k")).result_code == wire.ResultCode.KEY_NOT_FOUND
    assert conn.request(get_msg("ttl", "keepme", "k")).result_code == 0


def test_nsup_sweep_removes_expired_records_without_reads(conn):
    def stats():
        text = conn.info("namespace/test")["namespace/test"]
        return dict(kv.split("=", 1) for kv in text.split(";"))

    msg = put_msg("test", "sweep", "k", {"a": 1})
    msg.record_ttl = 1
    assert conn.request(msg).result_code == 0
    before = int(stats()["expired_objects"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and int(stats()["expired_objects"]) == before:
        time.sleep(0.2)
    assert int(stats()["expired_objects"]) == before + 1  # removed by the sweep (nsup-period 1)
