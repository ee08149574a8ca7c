"""Against a 3-node cluster: the client finds every node from one seed and sends each
single-record command to the node holding the key's partition (no request is proxied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import aerospike

CONFIG = Path(__file__).resolve().parent.parent / "spikelite.conf"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if os.environ.get("SPIKELITE_HOST_PORT"):
        pytest.fail("the cluster tests start their own local cluster; unset SPIKELITE_HOST_PORT")
    import spikelite
    # an alternate address too (a node without one answers no peers to use_services_alternate)
    config = tmp_path_factory.mktemp("routing") / "spikelite.conf"
    config.write_text(CONFIG.read_text() + "\nnetwork {\n    service {\n        address 127.0.0.1\n"
                      "        port 0\n        alternate-access-address 127.0.0.1\n    }\n}\n")
    with spikelite.spawn(config=str(config), nodes=3) as child:
        yield child


def _stat(client, node_name: str, name: str) -> int:
    text = client.info_single_node("statistics", node_name).strip()
    stats = dict(kv.split("=", 1) for kv in text.split("\t", 1)[1].split(";"))
    return int(stats[name])


def test_discovers_all_nodes_from_one_seed(cluster):
    client = aerospike.client({"hosts": cluster.hosts[:1]})
    try:
        ports = sorted(port for _, port in client.get_nodes())
        assert ports == sorted(port for _, port in cluster.hosts)
        assert len(client.get_node_names()) == 3
        assert len(client.info_all("build")) == 3
    finally:
        client.close()


def test_commands_go_to_the_partition_owner(cluster):
    client = aerospike.client({"hosts": cluster.hosts[1:2]})
    try:
        names = [n["node_name"] for n in client.get_node_names()]
        before = {name: _stat(client, name, "client_proxy_complete") for name in names}
        for i in range(200):
            key = ("test", "routing", i)
            client.put(key, {"v": i})
            assert client.get(key)[2] == {"v": i}
            client.increment(key, "v", 1)
            assert client.exists(key)[1]["gen"] == 2
            client.remove(key)
        after = {name: _stat(client, name, "client_proxy_complete") for name in names}
        assert after == before
    finally:
        client.close()


def test_data_written_through_one_node_is_read_through_another(cluster):
    writer = aerospike.client({"hosts": cluster.hosts[:1]})
    reader = aerospike.client({"hosts": cluster.hosts[2:]})
    try:
        writer.put(("test", "shared", "k"), {"a": 1})
        assert reader.get(("test", "shared", "k"))[2] == {"a": 1}
    finally:
        writer.close()
        reader.close()


def test_batches_are_split_by_partition_owner(cluster):
    from aerospike_helpers.operations import operations as op

    client = aerospike.client({"hosts": cluster.hosts[:1]})
    try:
        names = [n["node_name"] for n in client.get_node_names()]
        before = {name: _stat(client, name, "client_proxy_complete") for name in names}
        keys = [("test", "batch_routing", i) for i in range(300)]
        client.batch_operate(keys, [op.write("v", 1)])
        result = client.batch_read(keys)
        assert result.result == 0
        assert all(r.record[2] == {"v": 1} for r in result.batch_records)
        after = {name: _stat(client, name, "client_proxy_complete") for name in names}
        assert after == before
    finally:
        client.close()


@pytest.mark.parametrize("config", [
    pytest.param({"use_services_alternate": True}, id="services-alternate"),
    pytest.param({"rack_aware": True, "rack_id": 1,
                  "policies": {"read": {"replica": aerospike.POLICY_REPLICA_PREFER_RACK}}}, id="rack-aware"),
])
def test_alternate_addresses_and_rack_awareness(cluster, config):
    client = aerospike.client(dict(config, hosts=cluster.hosts[:1]))
    try:
        assert len(client.get_nodes()) == 3
        client.put(("test", "alt", 1), {"a": 1})
        assert client.get(("test", "alt", 1))[2] == {"a": 1}
    finally:
        client.close()
