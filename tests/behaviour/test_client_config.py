"""aerospike.client(config) checks its config as the official client does: same exception
class and message, and the same settings ignored."""

import aerospike
import pytest
from aerospike import exception as ex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BAD = "Invalid Policy setting value"


@pytest.fixture
def connect(spikelite_server):
    made = []

    def make(**extra):
        c = aerospike.client(dict({"hosts": [(spikelite_server.host, spikelite_server.port)]}, **extra))
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.mark.parametrize("extra, message", [
    ({"policies": {"read": 1}}, BAD),
    ({"policies": {"read": {"total_timeout": "x"}}}, BAD),
    ({"policies": {"read": {"total_timeout": -1}}}, BAD),
    ({"policies": {"read": {"total_timeout": 2**32}}}, BAD),
    ({"policies": {"read": {"key": "x"}}}, BAD),
    ({"policies": {"write": {"exists": "x"}}}, BAD),
    ({"policies": {"read": {"deserialize": 1}}}, BAD),
    ({"validate_keys": True, "bogus": 1}, '"bogus" is an invalid client config dictionary key'),
    ({"validate_keys": True, "policies": {"bogus": 1}}, '"bogus" is an invalid client config dictionary key'),
    ({"validate_keys": True, "policies": {"read": {"bogus": 1}}}, '"bogus" is an invalid policy dictionary key'),
    ({"validate_keys": True, "lua": {"bogus": 1}}, '"bogus" is an invalid client config dictionary key'),
    ({"validate_keys": "x"}, 'config["validate_keys"] must be a boolean'),
    ({"lua": {"user_path": "x" * 300}}, "Lua user path too long"),
    ({"compression_threshold": -1}, "Compression value must not be negative"),
    ({"rack_aware": "x"}, BAD),
    ({"rack_id": "x"}, BAD),
])
def test_bad_config(connect, extra, message):
    with pytest.raises(ex.ParamError) as info:
        connect(**extra)
    assert info.value.msg == message


def test_app_id_must_be_a_str(connect):
    with pytest.raises(TypeError, match="is not a Python unicode object"):
        connect(app_id=1)
    assert connect(app_id="my-app").is_connected()


@pytest.mark.parametrize("extra", [
    {"policies": 1}, {"policies": {"bogus": {}}}, {"policies": {"read": {"bogus": 1}}},
    {"lua": 1}, {"lua": {"user_path": 1}}, {"lua": {"system_path": "x" * 300}}, {"compression_threshold": "x"}, {"max_conns_per_node": "x"},
    {"tend_interval": "x"}, {"send_bool_as": "x"}, {"use_shared_connection": "x"}, {"shm": 1},
    {"strict_types": "x"}, {"cluster_name": 1}, {"tls": 1}, {"bogus": 1}, {"validate_keys": False, "bogus": 1},
])
def test_settings_the_official_client_ignores(connect, extra):
    assert connect(**extra).is_connected()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["read", "write", "apply", "operate", "remove", "query", "scan", "batch"]),
       name=st.sampled_from(["total_timeout", "socket_timeout", "max_retries", "sleep_between_retries"]),
       value=st.one_of(st.integers(-5, 2**33), st.text(max_size=2), st.floats(allow_nan=False), st.none()))
def test_timeouts_of_every_policy(connect, kind, name, value):
    good = isinstance(value, int) and 0 <= value <= 0xFFFFFFFF
    if good:
        assert connect(policies={kind: {name: value}}).is_connected()
    else:
        with pytest.raises(ex.ParamError) as info:
            connect(policies={kind: {name: value}})
        assert info.value.msg == BAD
