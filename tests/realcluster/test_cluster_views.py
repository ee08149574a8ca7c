"""What a client sees of a settled real three-node cluster (replication factor 2), purespike against
the official client: node pool, partition map, cluster-stable and enterprise-only info answers, and
where PREFER_RACK reads go when the nodes have no racks (CE). Each probe runs in its client's venv
(``probe.py``); the last test kills a node."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "realnode"))
import launch  # noqa: E402

if not launch.available():
    pytest.skip("real-cluster pass skipped: %s is absent" % launch.RUN_NODE, allow_module_level=True)

CLIENTS = ("official", "purespike")


@pytest.fixture(scope="module")
def cluster():
    workdir = Path(tempfile.mkdtemp(prefix="realcluster-views-"))
    with launch.Cluster(workdir, nodes=3, replication_factor=2) as c:
        yield c


def probe(client: str, name: str, cluster, *args) -> dict:
    out = subprocess.run([str(REPO / ".venvs" / client / "bin" / "python"), str(HERE / "probe.py"), name,
                          str(cluster.nodes[0].port), *map(str, args)],
                         capture_output=True, text=True, timeout=120, cwd=str(REPO))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_info_answers_match_the_official_client(cluster):
    official, purespike = probe("official", "info", cluster), probe("purespike", "info", cluster)
    assert official["order"][0] == ["127.0.0.1", cluster.nodes[0].port]  # the seed first
    stable = official["cluster-stable:size=3;ignore-migrations=true"]["all"]["value"]
    assert len(stable) == 3 and len({answer for _, (_, answer) in stable}) == 1
    assert official["cluster-stable:size=2"]["single"]["code"] == 7
    assert official["racks:"]["single"]["code"] == 25
    assert purespike == official


@pytest.mark.parametrize("client", CLIENTS)
def test_tending_keeps_every_live_node(cluster, client):
    pool = probe(client, "pool", cluster)
    assert pool["counts"] == [3]
    assert pool["first"] == ["127.0.0.1", cluster.nodes[0].port]


@pytest.mark.parametrize("client", CLIENTS)
def test_prefer_rack_without_racks_reads_from_the_master(cluster, client):
    rack = probe(client, "rack", cluster)
    assert sum(rack["masters"].values()) == 200
    assert {p: n for p, n in rack["served"].items() if n} == rack["masters"]


def test_purespike_partition_map_matches_every_replica(cluster):
    found = probe("purespike", "map", cluster)
    assert found["replicas"] == 2 and found["checked"] == 2 * 4096
    assert found["wrong"] == 0


@pytest.mark.parametrize("client", CLIENTS)
def test_reads_move_to_the_replica_when_a_node_dies(cluster, client):
    """Last in this module: it kills node 2 (and starts it again for the next client)."""
    victim = cluster.nodes[2]
    try:
        found = probe(client, "failover", cluster, victim.pid)
    finally:
        victim.stop()
        cluster.restart(2)
        launch.wait_cluster_size(cluster.nodes[0].port, 3)
    assert found["result"] == 0 and found["rows"] == [0], found
    assert found["gets"] == [json.dumps({"value": {"a": 1}})], found
