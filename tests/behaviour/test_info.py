"""Info commands through info_all / info_single_node / info_random_node, and
node listing."""

import re

import pytest
from aerospike import exception as ex

CONFIGURED_NAMESPACES = {"test", "ttl"}


def _single_value(response):
    """info_all returns {node_name: (error, value)}; one node here."""
    assert isinstance(response, dict)
    assert len(response) >= 1
    values = []
    for node_name, entry in response.items():
        assert isinstance(node_name, str) and node_name
        assert isinstance(entry, tuple) and len(entry) == 2
        err, value = entry
        assert err is None
        assert isinstance(value, str)
        values.append(value)
    return values[0]


def _kv(text):
    pairs = {}
    for item in text.strip().split(";"):
        if item:
            name, _, value = item.partition("=")
            pairs[name] = value
    return pairs


def test_info_all_namespaces(client):
    value = _single_value(client.info_all("namespaces"))
    # The echoed command and tab are stripped; the trailing newline stays.
    assert value.endswith("\n")
    assert not value.startswith("namespaces")
    assert CONFIGURED_NAMESPACES <= set(value.strip().split(";"))


def test_info_all_build(client):
    value = _single_value(client.info_all("build"))
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.\d+)?\n", value), value


def test_info_all_node_names_match_get_node_names(client):
    response = client.info_all("build")
    nodes = client.get_node_names()
    assert set(response) == {n["node_name"] for n in nodes}


@pytest.mark.parametrize("namespace, default_ttl", [("test", "0"), ("ttl", "3600")])
def test_info_all_namespace_statistics(client, namespace, default_ttl):
    value = _single_value(client.info_all(f"namespace/{namespace}"))
    stats = _kv(value)
    assert "objects" in stats
    assert stats["objects"].isdigit()
    assert stats["default-ttl"] == default_ttl


def test_info_all_namespace_object_count(client, ns, set_name):
    for i in range(3):
        client.put((ns, set_name, i), {"v": i})
    # Other tests' records count too, so only a lower bound is known.
    assert int(_kv(_single_value(client.info_all(f"namespace/{ns}")))["objects"]) >= 3


def test_info_all_unknown_namespace(client):
    value = _single_value(client.info_all("namespace/no_such_namespace"))
    assert value.strip() == "type=unknown"


def test_info_all_sets_reports_written_set(client, ns, set_name):
    for i in range(2):
        client.put((ns, set_name, i), {"v": i})
    value = _single_value(client.info_all(f"sets/{ns}/{set_name}"))
    match = re.search(r"(?:^|[:;])objects=(\d+)", value)
    assert match, value
    assert int(match.group(1)) == 2
    listing = _single_value(client.info_all("sets"))
    assert f"ns={ns}:set={set_name}:" in listing


def test_info_all_unknown_command_is_an_invalid_request(client):
    with pytest.raises(ex.InvalidRequest) as exc_info:
        client.info_all("no-such-info-command")
    assert exc_info.value.code == 4


def test_get_node_names_and_get_nodes(client, spikelite_server):
    nodes = client.get_node_names()
    assert isinstance(nodes, list) and len(nodes) == 1
    node = nodes[0]
    assert set(node) >= {"address", "port", "node_name"}
    assert node["port"] == spikelite_server.port
    assert re.fullmatch(r"[0-9A-F]+", node["node_name"]), node["node_name"]
    assert client.get_nodes() == [(node["address"], node["port"])]


def test_info_single_node_returns_raw_response(client):
    node_name = client.get_node_names()[0]["node_name"]
    response = client.info_single_node("namespaces", node_name)
    assert isinstance(response, str)
    # Unlike info_all, the echoed command and tab are kept.
    assert response.startswith("namespaces\t")
    assert response.endswith("\n")
    assert CONFIGURED_NAMESPACES <= set(response.split("\t", 1)[1].strip().split(";"))


def test_info_single_node_node_id(client):
    node_name = client.get_node_names()[0]["node_name"]
    assert client.info_single_node("node", node_name) == f"node\t{node_name}\n"


def test_info_random_node_returns_raw_response(client):
    response = client.info_random_node("namespaces")
    assert response.startswith("namespaces\t")
    assert CONFIGURED_NAMESPACES <= set(response.split("\t", 1)[1].strip().split(";"))


def test_info_random_node_unknown_command_is_an_invalid_request(client):
    with pytest.raises(ex.InvalidRequest):
        client.info_random_node("no-such-info-command")


def test_is_connected(client):
    assert client.is_connected() is True
