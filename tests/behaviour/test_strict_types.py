"""strict_types: False in the client config turns off the client's own type checks of
operation values and bin-name lengths: the server decides."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op


@pytest.fixture
def loose_client(spikelite_server):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)], "strict_types": False})
    try:
        yield c
    finally:
        c.close()


def test_increment_by_a_string_is_refused_by_the_server(client, loose_client, key):
    loose_client.put(key(1), {"a": 1})
    with pytest.raises(ex.ParamError):
        client.increment(key(1), "a", "x")  # strict: refused before sending
    with pytest.raises(ex.BinIncompatibleType):
        loose_client.increment(key(1), "a", "x")
    with pytest.raises(ex.BinIncompatibleType):
        loose_client.operate(key(1), [op.increment("a", "x")])
    assert loose_client.get(key(1))[2] == {"a": 1}


def test_long_bin_name_in_put(client, loose_client, key):
    with pytest.raises(ex.BinNameError) as info:
        client.put(key(1), {"x" * 16: 1})
    assert info.value.msg == "A bin name should not exceed 15 characters limit"
    with pytest.raises(ex.BinNameError) as info:
        loose_client.put(key(1), {"x" * 16: 1})
    assert info.value.msg == "Unable to set key-value pair"  # the record refuses it, not the type check
    assert loose_client.exists(key(1))[1] is None


@pytest.mark.parametrize("value", [True, 1, None])
def test_strict_types_only_false_turns_checks_off(spikelite_server, key, value):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)], "strict_types": value})
    try:
        with pytest.raises(ex.ParamError):
            c.increment(key(1), "a", "x")
    finally:
        c.close()
