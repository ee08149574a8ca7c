"""`get-config` in all its contexts, `logs`: the same keys in the same order, values of the same
form, the settings both servers are configured alike with equal, and the errors word for word.
(The Node.js client's test setup reads `get-config:context=namespace;id=test`.)"""

from __future__ import annotations

import re

import pytest

#: Settings tests/spikelite.conf and tests/realnode/node.conf.in give alike (or both leave default).
SAME_VALUES = {"cluster-name", "proto-fd-max", "allow-ttl-without-nsup", "default-read-touch-ttl-pct",
               "default-ttl", "max-record-size", "nsup-period", "replication-factor", "storage-engine",
               "service.address", "service.access-address", "service.alternate-access-port",
               "service.tls-port", "service.tls-name", "heartbeat.mode", "conflict-resolution-policy",
               "storage-engine.stop-writes-used-pct", "strong-consistency"}


#: Keys a node shows only when the setting is configured, and settings the node's config file sets
#: that spikelite's test config leaves unset (their form follows the configuration).
OPTIONAL = {"service.access-address", "service.alternate-access-address"}
CONFIGURED_ON_THE_NODE = {"pidfile"}


def _form(value: str) -> str:
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    if value in ("true", "false"):
        return "boolean"
    if value == "null":
        return "null"
    return "text"


def _pairs(text: str) -> list[tuple[str, str]]:
    assert text and not text.startswith("ERROR"), text
    pairs = [tuple(item.split("=", 1)) for item in text.split(";")]
    return [pair for pair in pairs if pair[0] not in OPTIONAL]  # type: ignore[misc]


@pytest.mark.parametrize("command", [
    "get-config", "get-config:", "get-config:context=service", "get-config:context=network",
    "get-config:context=namespace;id=test", "get-config:context=namespace;id=ttl",
    "get-config:context=namespace;namespace=test", "get-config:context=namespace;id=test;namespace=ttl",
])
def test_get_config_keys_and_value_forms_match_the_node(pair, command):
    real = _pairs(pair.real.info(command)[command])
    lite = _pairs(pair.lite.info(command)[command])
    assert [name for name, _ in lite] == [name for name, _ in real]
    forms = [(name, _form(r), _form(l_)) for (name, r), (_, l_) in zip(real, lite)
             if _form(r) != _form(l_) and name not in CONFIGURED_ON_THE_NODE]
    assert not forms, forms
    differ = [(name, r, l_) for (name, r), (_, l_) in zip(real, lite) if name in SAME_VALUES and r != l_]
    assert not differ, differ


@pytest.mark.parametrize("command", [
    "get-config:context=", "get-config:id=test", "get-config:context=nope", "get-config:context=Service",
    "get-config:context=logging", "get-config:context=mod-lua", "get-config:context=namespace",
    "get-config:context=namespace;id=", "get-config:context=namespace;id=nope",
    "get-config:context=security", "get-config:context=xdr",
])
def test_get_config_errors_and_empty_contexts_match_the_node(pair, command):
    pair.check_info(command, "info %s" % command)


def test_logs_lists_sinks_as_the_node(pair):
    for conn in (pair.real, pair.lite):
        sinks = conn.info("logs")["logs"].split(";")
        assert sinks and all(re.fullmatch(r"\d+:\S+", sink) for sink in sinks), sinks
        assert [sink.split(":")[0] for sink in sinks] == [str(i) for i in range(len(sinks))]
