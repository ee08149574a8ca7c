"""Dynamic configuration: ``aerospike.ConfigProvider``, ``AEROSPIKE_CLIENT_CONFIG_URL`` and the YAML
file the official client reads at creation and re-reads when it changes.

The file's policy fields override the client's policies and every call's (``get_policies()`` shows
them); ``write.send_key: true`` makes every write send its key, ``false`` changes nothing. A file
that cannot be read or parsed is logged (ERROR) and the client works without it; an unexpected
``version`` is a warning. The provider's interval (or the file's ``static.client.config_interval``)
must be at least the tend interval. Tests use the shortest tend interval (250 ms) for re-reads.
"""

from __future__ import annotations

import os
import time

import aerospike
import pytest
from aerospike import exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

UINT32_MAX = 2**32 - 1


@pytest.fixture
def captured_logs():
    """The client log (level, message) while the test runs, at INFO."""
    logs = []
    aerospike.set_log_level(aerospike.LOG_LEVEL_INFO)
    aerospike.set_log_handler(lambda level, func, path, line, msg: logs.append((level, msg)))
    yield logs
    aerospike.set_log_level(aerospike.LOG_LEVEL_ERROR)
    aerospike.set_log_handler()


@pytest.fixture
def make_client(spikelite_server):
    made = []

    def make(path=None, interval=None, **config):
        config.setdefault("hosts", [(spikelite_server.host, spikelite_server.port)])
        if path is not None:
            config["config_provider"] = (aerospike.ConfigProvider(str(path)) if interval is None
                                         else aerospike.ConfigProvider(str(path), interval))
        c = aerospike.client(config)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def _write(path, text):
    path.write_text(text)
    return path


# -- ConfigProvider -----------------------------------------------------------------------------

def test_config_provider_defaults_and_read_only_attributes():
    provider = aerospike.ConfigProvider("some/path.yml")
    assert (provider.path, provider.interval) == ("some/path.yml", 5000)  # 19.3.0's default
    provider = aerospike.ConfigProvider(path="p", interval=30000)
    assert (provider.path, provider.interval) == ("p", 30000)
    for name in ("path", "interval"):
        with pytest.raises(AttributeError, match="attribute '%s' of 'aerospike.ConfigProvider' objects is not "
                                                 "writable" % name):
            setattr(provider, name, 1)


@settings(max_examples=60, deadline=None)
@given(interval=st.integers(min_value=-2**40, max_value=2**40))
def test_config_provider_interval_is_an_unsigned_32_bit_int(interval):
    if interval < 0:
        with pytest.raises(OverflowError, match="can't convert negative int to unsigned"):
            aerospike.ConfigProvider("p", interval)
    elif interval > UINT32_MAX:
        with pytest.raises(ValueError, match="%d exceeds %d" % (interval, UINT32_MAX)):
            aerospike.ConfigProvider("p", interval)
    else:
        assert aerospike.ConfigProvider("p", interval).interval == interval


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((), {}, TypeError, "function missing required argument 'path' (pos 1)"),
    ((1,), {}, TypeError, "argument 1 must be str, not int"),
    ((b"p",), {}, TypeError, "argument 1 must be str, not bytes"),
    ((None,), {}, TypeError, "argument 1 must be str, not None"),
    ((), {"path": "p", "period": 1}, TypeError, "'period' is an invalid keyword argument for this function"),
    (("p", "x"), {}, TypeError, "x must be an integer"),
    (("p", 1.5), {}, TypeError, "1.5 must be an integer"),
    (("p", 1, 2), {}, TypeError, "function takes at most 2 arguments (3 given)"),
])
def test_config_provider_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error) as info:
        aerospike.ConfigProvider(*args, **kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("value, name", [(0, "int"), ("dyn.yml", "str"), (None, "NoneType")])
def test_config_provider_must_be_a_config_provider(spikelite_server, value, name):
    with pytest.raises(exception.ParamError) as info:
        aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)], "config_provider": value})
    assert info.value.msg == ("config_provider must be an aerospike.ConfigProvider class instance. But a %s was "
                              "received instead" % name)


# -- the file -----------------------------------------------------------------------------------

def test_file_policies_override_the_client_and_the_call(make_client, tmp_path, ns, set_name):
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\ndynamic:\n  read:\n    total_timeout: 1234\n"
                  "    max_retries: 5\n  write:\n    send_key: true\n    durable_delete: false\n")
    c = make_client(path, policies={"read": {"total_timeout": 999}})
    policies = c.get_policies()
    assert policies["read"]["total_timeout"] == 1234 and policies["read"]["max_retries"] == 5
    assert policies["write"]["key"] == aerospike.POLICY_KEY_SEND
    assert policies["operate"]["key"] == aerospike.POLICY_KEY_SEND
    c.put((ns, set_name, "sent"), {"a": 1}, policy={"key": aerospike.POLICY_KEY_DIGEST})
    (key, _, _), = c.query(ns, set_name).results()
    assert key[2] == "sent"  # the file's send_key beats the call's policy


def test_send_key_false_in_the_file_changes_nothing(make_client, tmp_path, ns, set_name):
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\ndynamic:\n  write:\n    send_key: false\n")
    c = make_client(path)
    assert c.get_policies()["write"]["key"] == aerospike.POLICY_KEY_DIGEST
    c.put((ns, set_name, "k"), {"a": 1}, policy={"key": aerospike.POLICY_KEY_SEND})
    (key, _, _), = c.query(ns, set_name).results()
    assert key[2] == "k"


def test_the_environment_variable_wins_over_the_provider(make_client, tmp_path, monkeypatch):
    env_file = _write(tmp_path / "env.yml", "version: 1.0.0\ndynamic:\n  read:\n    total_timeout: 2222\n")
    provider_file = _write(tmp_path / "provider.yml", "version: 1.0.0\ndynamic:\n  read:\n    total_timeout: 3333\n")
    monkeypatch.setenv("AEROSPIKE_CLIENT_CONFIG_URL", "file://" + str(env_file))
    assert make_client(provider_file).get_policies()["read"]["total_timeout"] == 2222
    assert make_client().get_policies()["read"]["total_timeout"] == 2222  # no provider needed
    monkeypatch.setenv("AEROSPIKE_CLIENT_CONFIG_URL", str(provider_file))
    assert make_client().get_policies()["read"]["total_timeout"] == 3333


def test_a_changed_file_is_read_again(make_client, tmp_path, eventually):
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\ndynamic:\n  read:\n    total_timeout: 1111\n")
    c = make_client(path, interval=250, tend_interval=250)
    assert c.get_policies()["read"]["total_timeout"] == 1111
    _write(path, "version: 1.0.0\ndynamic:\n  read:\n    max_retries: 7\n")
    eventually(lambda: c.get_policies()["read"]["max_retries"] == 7, timeout=10)
    # a field no longer in the file goes back to the client's own value
    assert c.get_policies()["read"]["total_timeout"] == make_client().get_policies()["read"]["total_timeout"]


def test_static_config_interval_must_not_be_below_the_tend_interval(spikelite_server, tmp_path):
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\nstatic:\n  client:\n    config_interval: 100\n")
    hosts = [(spikelite_server.host, spikelite_server.port)]
    with pytest.raises(exception.ClientError) as info:
        aerospike.client({"hosts": hosts, "config_provider": aerospike.ConfigProvider(str(path), 5000)})
    assert info.value.msg == "Dynamic config interval 100 must be greater or equal to the tend interval 1000"
    with pytest.raises(exception.ClientError) as info:
        aerospike.client({"hosts": hosts, "tend_interval": 500,
                          "config_provider": aerospike.ConfigProvider(str(tmp_path / "none.yml"), 400)})
    assert info.value.msg == "Dynamic config interval 400 must be greater or equal to the tend interval 500"


def test_an_unreadable_file_is_logged_and_ignored(make_client, tmp_path, captured_logs, ns, set_name):
    missing = tmp_path / "missing.yml"
    c = make_client(missing)
    c.put((ns, set_name, 1), {"a": 1})
    assert (0, "Failed to open: %s" % missing) in captured_logs
    bad = _write(tmp_path / "bad.yml", "version: 1.0.0\ndynamic:\n  write:\n    max_retries: abc\n"
                 "  read:\n    total_timeout: 4321\n")
    c = make_client(bad)
    assert (0, "Failed to parse: %s\nInvalid uint max_retries: abc" % bad) in captured_logs
    assert c.get_policies()["read"]["total_timeout"] != 4321  # nothing of a bad file is applied
    assert c.get((ns, set_name, 1))[2] == {"a": 1}


def test_an_unexpected_version_is_a_warning(make_client, tmp_path, captured_logs):
    path = _write(tmp_path / "dyn.yml", "version: 2.0.0\ndynamic:\n  read:\n    total_timeout: 4444\n")
    c = make_client(path)
    assert (1, "Unexpected dynamic config file version: 2.0.0 expected: 1.0.0") in captured_logs
    assert c.get_policies()["read"]["total_timeout"] == 4444


_FIELDS = ["total_timeout", "socket_timeout", "max_retries", "sleep_between_retries"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_FIELDS),
       text=st.one_of(st.integers(min_value=0, max_value=2**33).map(str),
                      st.sampled_from(["abc", "", "-1", "12abc", " 7", "+5", "0x10", "1e3", "99999999999999999999"])))
def test_uint_fields_are_read_as_the_c_client_reads_them(make_client, tmp_path, captured_logs, field, text):
    path = _write(tmp_path / "uint.yml", "version: 1.0.0\ndynamic:\n  scan:\n    %s: '%s'\n" % (field, text))
    captured_logs.clear()
    c = make_client(path)
    stripped = text.lstrip()
    digits = stripped.lstrip("+-")
    head = digits[:len(digits) - len(digits.lstrip("0123456789"))]
    if head and int(head) < 2**64 and not stripped.startswith("-") and int(head) <= UINT32_MAX:
        assert c.get_policies()["scan"][field] == int(head)
        assert not [m for level, m in captured_logs if level == 0]
    else:
        assert [m for level, m in captured_logs if level == 0 and "Invalid uint %s" % field in m]
    c.close()


def test_metrics_enabled_by_the_file(make_client, tmp_path, monkeypatch, captured_logs):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\ndynamic:\n  metrics:\n    enable: true\n"
                  "    latency_columns: 3\n")
    c = make_client(path)
    c.disable_metrics()  # refused: the file enabled them
    assert any(level == 1 and "can not be disabled by this function" in m for level, m in captured_logs)
    c.close()
    logs = sorted(tmp_path.glob("metrics-*.log"))
    assert len(logs) == 1
    lines = logs[0].read_text().splitlines()
    assert "latency(3,1)" in lines[0] and lines[-1].split(" ", 2)[2].startswith("cluster[")


def test_metrics_disabled_by_the_file_cannot_be_enabled(make_client, tmp_path, monkeypatch, captured_logs):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "dyn.yml", "version: 1.0.0\ndynamic:\n  metrics:\n    enable: false\n")
    c = make_client(path)
    assert c.enable_metrics() is None
    assert any(level == 1 and "can not be enabled by this function" in m for level, m in captured_logs)
    c.close()
    assert list(tmp_path.glob("metrics-*.log")) == []
