"""`access-address` / `access-port` and the alternate ones: what service-clear-*, service,
services-*, peers-clear-* and alumni-clear-* answer, as a real 8.1.2 node answers them (checked on
a 2-node CE cluster configured with each combination)."""

from __future__ import annotations

import pytest

from spikelite.cluster import build_cluster
from spikelite.commands.info import InfoCommands
from spikelite.config import ConfigError, parse_config

BASE = "namespace test {\n storage-engine memory\n}\n"


def _config(service: str):
    return parse_config(BASE + "network {\n service {\n address 127.0.0.1\n port 4100\n%s }\n}\n" % service)


def _answers(service: str, nodes: int = 2) -> list[dict[str, str]]:
    servers = build_cluster(_config(service), nodes)
    commands = ["service-clear-std", "service-clear-alt", "service", "services", "services-alternate",
                "services-alumni", "peers-clear-std", "peers-clear-alt", "alumni-clear-std",
                "alumni-clear-alt"]
    out = []
    for server in servers:
        info = InfoCommands(server.node)
        answers = {command: info.answer(command) for command in commands}
        answers["_id"] = server.node.node_id
        out.append(answers)
    return out


def test_access_and_alternate_addresses_and_ports():
    first, second = _answers("access-address 10.1.2.3\n access-port 4000\n"
                             "alternate-access-address 10.9.8.7\n alternate-access-port 5000\n")
    assert first["service-clear-std"] == first["service"] == "10.1.2.3:4000"
    assert first["service-clear-alt"] == "10.9.8.7:5000"
    # the second node's mapped ports follow its listener's (port + 1)
    assert first["services"] == first["services-alumni"] == "10.1.2.3:4001"
    assert first["services-alternate"] == "10.9.8.7:5001"
    gen, default_port, peers = first["peers-clear-std"].split(",", 2)
    assert default_port == "3000"
    assert peers == "[[%s,,[10.1.2.3:4001]]]" % _node_id(second)
    assert first["peers-clear-alt"].split(",", 2)[2] == "[[%s,,[10.9.8.7:5001]]]" % _node_id(second)
    assert first["alumni-clear-std"] == first["peers-clear-std"]
    assert first["alumni-clear-alt"] == first["peers-clear-alt"]
    assert second["service-clear-std"] == "10.1.2.3:4001"


def _node_id(answers: dict[str, str]) -> str:
    return answers["_id"]


def test_addresses_without_ports_use_the_service_port():
    (only,) = _answers("access-address 10.1.2.3\n alternate-access-address 10.9.8.7\n", nodes=1)
    assert only["service-clear-std"] == only["service"] == "10.1.2.3:4100"
    assert only["service-clear-alt"] == "10.9.8.7:4100"
    assert only["services"] == only["services-alternate"] == ""
    assert only["peers-clear-std"].split(",", 1)[1] == "3000,[]"


def test_without_alternate_address_the_alternate_answers_are_empty():
    first, _ = _answers("alternate-access-port 5000\n")
    assert first["service-clear-alt"] == "" and first["services-alternate"] == ""
    assert first["peers-clear-alt"].split(",", 1)[1] == "3000,[]"
    assert first["service-clear-std"] == "127.0.0.1:4100"


def test_several_access_addresses_are_all_answered():
    (only,) = _answers("access-address 10.1.2.3\n access-address 10.1.2.4\n", nodes=1)
    assert only["service-clear-std"] == "10.1.2.3:4100,10.1.2.4:4100"


@pytest.mark.parametrize("setting", ["access-port 0", "access-port 70000", "access-port x",
                                     "alternate-access-port -1", "access-address"])
def test_bad_access_settings_are_refused(setting):
    with pytest.raises(ConfigError):
        _config(setting + "\n")

