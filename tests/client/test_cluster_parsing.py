"""purespike internals: peers/replicas parsing, the partition map and replica routing."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aerospike._cluster.cluster import REPLICA_MASTER, REPLICA_SEQUENCE, Cluster, ClusterConfig
from aerospike._cluster.partitions import PartitionMap
from aerospike._cluster.peers import parse_host, parse_peers, parse_replicas


def bitmap(pids) -> str:
    raw = bytearray(512)
    for pid in pids:
        raw[pid >> 3] |= 0x80 >> (pid & 7)
    return base64.b64encode(bytes(raw)).decode()


def test_parse_peers_with_ports_ipv6_and_tls_names():
    gen, peers = parse_peers("5,3000,[[BB9A,,[10.0.0.2]],[BB9B,tls1,[10.0.0.3:3100,[::1]:3200]],[BB9C,,[[fe80::1]]]]")
    assert gen == 5
    assert [(p.node_name, p.tls_name, p.hosts) for p in peers] == [
        ("BB9A", "", [("10.0.0.2", 3000)]),
        ("BB9B", "tls1", [("10.0.0.3", 3100), ("::1", 3200)]),
        ("BB9C", "", [("fe80::1", 3000)]),
    ]


def test_parse_peers_empty_and_departed():
    assert parse_peers("1,3000,[]") == (1, [])
    for text in ("7,3000,[[BB9A,,[]]]", "7,3000,[[BB9A,,]]"):  # a departed node lists no hosts
        gen, peers = parse_peers(text)
        assert gen == 7 and [(p.node_name, p.hosts) for p in peers] == [("BB9A", [])]


@pytest.mark.parametrize("text, expected", [
    ("1.2.3.4", ("1.2.3.4", 3000)), ("1.2.3.4:10", ("1.2.3.4", 10)),
    ("[::1]", ("::1", 3000)), ("[::1]:10", ("::1", 10)), ("host.example", ("host.example", 3000)),
])
def test_parse_host(text, expected):
    assert parse_host(text, 3000) == expected


def test_parse_replicas():
    parsed = parse_replicas("test:3,2,%s,%s;bar:0,1,%s" % (bitmap([0, 4095]), bitmap([1]), bitmap(range(4096))))
    regime, maps = parsed["test"]
    assert regime == 3 and len(maps) == 2
    assert maps[0][0] == 0x80 and maps[0][511] == 0x01
    assert maps[1][0] == 0x40
    assert parsed["bar"][1][0] == b"\xff" * 512


@pytest.mark.parametrize("text", ["test:0,1,!!!", "test:0,2,%s" % bitmap([1]), "test:x,1,%s" % bitmap([])])
def test_parse_replicas_rejects_bad_input(text):
    with pytest.raises(ValueError):
        parse_replicas(text)


class _MapNode:
    """What the partition map touches on a node."""

    def __init__(self, name: str = "N"):
        self.name = name
        self.partition_generation = 5
        self.active = True


def test_partition_map_merges_nodes_and_respects_regime():
    a, b = _MapNode("A"), _MapNode("B")
    pmap = PartitionMap()
    pmap.update(a, parse_replicas("test:1,2,%s,%s" % (bitmap(range(0, 2048)), bitmap(range(2048, 4096)))))
    pmap.update(b, parse_replicas("test:1,2,%s,%s" % (bitmap(range(2048, 4096)), bitmap(range(0, 2048)))))
    table = pmap.namespaces["test"]
    assert table.replicas[0][0] is a and table.replicas[1][0] is b
    assert table.replicas[0][4095] is b and table.replicas[1][4095] is a
    # An older regime cannot take a partition away from a newer one.
    pmap.update(b, parse_replicas("test:0,1,%s" % bitmap([0])))
    assert table.replicas[0][0] is a
    # A node that stops claiming a partition keeps it until another node claims it (the official
    # client's rule: no hole while the cluster changes) ...
    pmap.update(a, parse_replicas("test:1,2,%s,%s" % (bitmap([]), bitmap([]))))
    assert table.replicas[0][0] is a and a.partition_generation == 5
    # ... and the node that lost a slot is asked for its map again on the next tend.
    pmap.update(b, parse_replicas("test:2,2,%s,%s" % (bitmap([0]), bitmap([]))))
    assert table.replicas[0][0] is b and table.regimes[0] == 2
    assert a.partition_generation == -1 and b.partition_generation == 5
    assert pmap.has_node(a) and not pmap.has_node(_MapNode("C"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.lists(st.integers(0, 4095), max_size=40),
                          st.lists(st.integers(0, 4095), max_size=40)), min_size=1, max_size=8))
def test_partition_map_ap_answers_leave_no_holes(answers):
    """AP answers (regime 0, as a CE node gives): a slot once claimed is never empty again, and it
    belongs to the last node that claimed it."""
    nodes = [_MapNode(str(i)) for i in range(3)]
    pmap = PartitionMap()
    last = [{}, {}]
    for who, masters, proles in answers:
        pmap.update(nodes[who], parse_replicas("test:0,2,%s,%s" % (bitmap(masters), bitmap(proles))))
        for index, pids in enumerate((masters, proles)):
            for pid in pids:
                last[index][pid] = nodes[who]
    table = pmap.namespaces["test"]
    for index in (0, 1):
        for pid in range(4096):
            assert table.replicas[index][pid] is last[index].get(pid)


def test_parse_real_node_answers():
    """The shapes a real CE 8.1 node gives (three nodes on loopback, replication factor 2)."""
    gen, peers = parse_peers("4,3000,[[D65801000000FC02,,[127.0.0.1:54871]],[82DA01000000FC02,,[127.0.0.1:33497]]]")
    assert gen == 4
    assert [(p.node_name, p.tls_name, p.hosts) for p in peers] == [
        ("D65801000000FC02", "", [("127.0.0.1", 54871)]), ("82DA01000000FC02", "", [("127.0.0.1", 33497)])]
    # One node of three, replication factor 2: regime 0 (AP), two bitmaps; two namespaces.
    text = "test:0,2,%s,%s;ttl:0,2,%s,%s" % (bitmap(range(0, 4096, 3)), bitmap(range(1, 4096, 3)),
                                             bitmap(range(0, 4096, 3)), bitmap(range(1, 4096, 3)))
    parsed = parse_replicas(text)
    assert set(parsed) == {"test", "ttl"} and parsed["test"][0] == 0 and len(parsed["test"][1]) == 2


class _FakeNode:
    active = True


def test_routing_by_replica_policy():
    cluster = Cluster(ClusterConfig({"_seeds": [("127.0.0.1", 3000, None)]}))
    a, b = _FakeNode(), _FakeNode()
    cluster.partition_map.update(a, parse_replicas("test:0,2,%s,%s" % (bitmap(range(4096)), bitmap([]))))
    cluster.partition_map.update(b, parse_replicas("test:0,2,%s,%s" % (bitmap([]), bitmap(range(4096)))))
    assert cluster.node_for("test", 7, True, REPLICA_SEQUENCE, 1) == (a, True)      # writes: master
    assert cluster.node_for("test", 7, False, REPLICA_MASTER, 1) == (a, True)
    assert cluster.node_for("test", 7, False, REPLICA_SEQUENCE, 0) == (a, True)
    assert cluster.node_for("test", 7, False, REPLICA_SEQUENCE, 1) == (b, True)     # retry: next replica
    assert cluster.node_for("nope", 7, False, REPLICA_SEQUENCE, 0) == (None, False)
