"""Client construction, cluster name checking, close and reconnect."""

import socket

import aerospike
import pytest
from aerospike import exception as ex


def _config(server, **extra):
    config = {"hosts": [(server.host, server.port)]}
    config.update(extra)
    return config


def test_client_connects_in_constructor(spikelite_server):
    c = aerospike.client(_config(spikelite_server))
    try:
        assert c.is_connected() is True
    finally:
        c.close()


def test_matching_cluster_name_connects(spikelite_server):
    c = aerospike.client(_config(spikelite_server, cluster_name="spikelite-tests"))
    try:
        assert c.is_connected() is True
        assert c.info_all("cluster-name")
    finally:
        c.close()


def test_cluster_name_reported_by_info(client):
    (err, value), = client.info_all("cluster-name").values()
    assert err is None
    assert value == "spikelite-tests\n"


def test_wrong_cluster_name_fails_to_connect(spikelite_server):
    with pytest.raises(ex.ClientError):
        aerospike.client(_config(spikelite_server, cluster_name="not-this-cluster"))


def test_nothing_listening_raises_connection_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ex.ConnectionError) as exc_info:
        aerospike.client({"hosts": [("127.0.0.1", port)]})
    assert exc_info.value.code == -10


def test_closed_client_raises_cluster_error_then_reconnects(spikelite_server, key):
    c = aerospike.client(_config(spikelite_server))
    k = key("k")
    c.put(k, {"a": 1})
    c.close()
    assert c.is_connected() is False
    with pytest.raises(ex.ClusterError) as exc_info:
        c.get(k)
    assert exc_info.value.code == 11
    assert c.connect() is c
    try:
        assert c.is_connected() is True
        assert c.get(k)[2] == {"a": 1}
    finally:
        c.close()


def test_two_clients_see_the_same_data(spikelite_server, client, key):
    other = aerospike.client(_config(spikelite_server))
    try:
        k = key("shared")
        client.put(k, {"a": 1})
        assert other.get(k)[2] == {"a": 1}
        other.increment(k, "a", 1)
        _, meta, bins = client.get(k)
        assert bins == {"a": 2}
        assert meta["gen"] == 2
    finally:
        other.close()
