"""purespike's tend rules (the official C client's) on a simulated cluster: nodes whose info answers
the test controls, so a node can die, be forgotten by its peers and come back tend by tend."""

from __future__ import annotations

import base64

import pytest

from aerospike._cluster.cluster import Cluster, ClusterConfig
from aerospike._cluster.connection import ConnectionFailed
from aerospike._cluster.node import Node

NAMES = {3000: "A", 3001: "B", 3002: "C"}


def bitmap(pids) -> str:
    raw = bytearray(512)
    for pid in pids:
        raw[pid >> 3] |= 0x80 >> (pid & 7)
    return base64.b64encode(bytes(raw)).decode()


class World:
    """What each simulated node answers: alive or not, the peers it lists, the partitions it owns."""

    def __init__(self):
        self.alive = {port: True for port in NAMES}
        self.members = set(NAMES)          # the nodes the servers list as peers of each other
        self.peers_gen = 1
        self.part_gen = 1
        self.lonely: set[int] = set()      # nodes that believe they are alone (split cluster)

    def owners(self, port: int) -> tuple[list[int], list[int]]:
        """Masters and proles: partitions spread over the member nodes in port order."""
        members = sorted(self.members)
        if port not in members:
            return [], []
        i, n = members.index(port), len(members)
        masters = [pid for pid in range(4096) if pid % n == i]
        proles = [pid for pid in range(4096) if (pid + 1) % n == i] if n > 1 else []
        return masters, proles

    def answer(self, port: int, command: str) -> str:
        if command == "node":
            return NAMES[port]
        if command == "peers-generation":
            return str(self.peers_gen)
        if command == "partition-generation":
            return str(self.part_gen)
        if command == "peers-clear-std":
            others = [] if port in self.lonely else [p for p in sorted(self.members) if p != port]
            return "%d,3000,[%s]" % (self.peers_gen, ",".join("[%s,,[127.0.0.1:%d]]" % (NAMES[p], p) for p in others))
        if command == "replicas":
            if port in self.lonely:
                return "test:0,2,%s,%s" % (bitmap(range(4096)), bitmap([]))
            masters, proles = self.owners(port)
            return "test:0,2,%s,%s" % (bitmap(masters), bitmap(proles))
        raise AssertionError(command)

    def change(self, members=None, lonely=None):
        if members is not None:
            self.members = set(members)
        if lonely is not None:
            self.lonely = set(lonely)
        self.peers_gen += 1
        self.part_gen += 1


class SimulatedCluster(Cluster):
    def __init__(self, world: World):
        super().__init__(ClusterConfig({"_seeds": [("127.0.0.1", 3000, None)]}))
        self.world = world

    def _validate(self, host, tls_name):
        if not self.world.alive[host[1]]:
            raise ConnectionFailed("refused")
        return SimulatedNode(NAMES[host[1]], host, self)


class SimulatedNode(Node):
    def tend_info(self, commands, timeout):
        world = self.cluster.world
        if not world.alive[self.host[1]]:
            raise ConnectionFailed("refused")
        return {c: world.answer(self.host[1], c) for c in commands}


@pytest.fixture
def world():
    return World()


@pytest.fixture
def cluster(world):
    c = SimulatedCluster(world)
    c._reseed()
    yield c
    c.close()


def names(cluster) -> list[str]:
    return list(cluster.nodes)


def masters(cluster) -> dict[str, int]:
    table = cluster.partition_map.namespaces["test"]
    counts: dict[str, int] = {}
    for node in table.replicas[0]:
        key = node.name if node is not None else None
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_seed_first_peers_added_and_map_complete(cluster):
    assert names(cluster) == ["A", "B", "C"]
    assert masters(cluster) == {"A": 1366, "B": 1365, "C": 1365}
    cluster.tend()
    assert names(cluster) == ["A", "B", "C"]


def test_dead_node_stays_while_peers_list_it_then_goes_and_comes_back(cluster, world):
    world.alive[3001] = False
    for _ in range(3):  # the others still list B (their heartbeat has not timed out yet)
        cluster.tend()
        assert names(cluster) == ["A", "B", "C"]
        assert cluster.nodes["B"].failures >= 1
    world.change(members={3000, 3002})
    cluster.tend()
    assert names(cluster) == ["A", "C"]
    assert masters(cluster) == {"A": 2048, "C": 2048}  # no hole: every partition has a master
    world.alive[3001] = True
    world.change(members={3000, 3001, 3002})
    cluster.tend()
    assert sorted(names(cluster)) == ["A", "B", "C"]
    assert masters(cluster) == {"A": 1366, "B": 1365, "C": 1365}


def test_partitions_keep_their_owner_until_claimed(cluster, world):
    """While the map changes, a partition is never without a node (the old owner serves or proxies)."""
    world.change(members={3000, 3002})
    cluster.nodes["A"].partition_generation = -2  # only A has answered so far
    cluster._refresh_partitions(cluster.nodes["A"])
    assert None not in masters(cluster)


def test_a_node_alone_in_its_view_does_not_take_the_map(cluster, world):
    world.change(lonely={3002})
    cluster.tend()
    # C lists no peer while others are known: its claim to every partition is not read.
    assert masters(cluster) == {"A": 1366, "B": 1365, "C": 1365}


def test_every_node_failing_five_tends_empties_the_pool_and_seeds_again(cluster, world):
    for port in NAMES:
        world.alive[port] = False
    for _ in range(4):
        cluster.tend()
    assert names(cluster) == ["A", "B", "C"]
    cluster.tend()
    assert names(cluster) == []
    for port in NAMES:
        world.alive[port] = True
    cluster.tend()  # reseeds from the seed list
    assert names(cluster) == ["A", "B", "C"]
