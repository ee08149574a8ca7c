"""Bin names given as bytearray: accepted where the official client accepts them (operation
dicts, operation helpers, append/increment, map operations, index creation), refused with its
messages where it refuses them (select, remove_bin, list/bit/HLL operations)."""

import warnings

import aerospike
import pytest
from aerospike import predicates as p
from aerospike import exception as ex
from aerospike_helpers.operations import list_operations as lo
from aerospike_helpers.operations import map_operations as mo
from aerospike_helpers.operations import operations as op
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=15)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, value=st.integers(-1000, 1000))
def test_operations_take_bytearray_bin_names(client, key, name, value):
    raw = bytearray(name.encode())
    client.put(key(1), {"X": 0})
    client.operate(key(1), [{"op": aerospike.OPERATOR_WRITE, "bin": raw, "val": value}])
    assert client.operate(key(1), [op.read(raw)])[2] == {name: value}
    client.increment(key(1), raw, 1)
    assert client.operate(key(1), [{"op": aerospike.OPERATOR_READ, "bin": raw}])[2] == {name: value + 1}
    client.operate(key(1), [op.write(bytearray(b"S"), "a")])
    client.append(key(1), bytearray(b"S"), "b")
    assert client.get(key(1))[2]["S"] == "ab"
    client.operate(key(1), [mo.map_put(bytearray(b"M"), "k", value)])
    assert client.operate(key(1), [mo.map_size(bytearray(b"M"))])[2] == {"M": 1}


def test_too_long_bytearray_bin_name(client, key):
    with pytest.raises(ex.BinNameError):
        client.operate(key(1), [op.write(bytearray(b"x" * 16), 1)])


def test_index_on_bytearray_bin_name(client, ns, set_name, eventually):
    name = set_name[:40] + "_ba"
    client.put((ns, set_name, 1), {"a": 7})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert client.index_integer_create(ns, set_name, bytearray(b"a"), name) == 0
    try:
        def found():
            try:
                return [b for _, _, b in client.query(ns, set_name).where(p.equals("a", 7)).results()]
            except ex.IndexNotFound:
                return None
        assert eventually(found) == [{"a": 7}]  # the index is on bin "a"
    finally:
        client.index_remove(ns, name)


@pytest.mark.parametrize("call, cls, message", [
    (lambda c, k: c.select(k, [bytearray(b"a")]), ex.ParamError, "Bin name must be a string"),
    (lambda c, k: c.select(k, [1]), ex.ParamError, "Bin name must be a string"),
    (lambda c, k: c.remove_bin(k, [bytearray(b"a")]), ex.ClientError,
     "Invalid bin name, bin name should be a string or unicode string"),
    (lambda c, k: c.operate(k, [lo.list_append(bytearray(b"l"), 1)]), ex.ParamError, "String value required"),
])
def test_where_bytearray_bin_names_are_refused(client, key, call, cls, message):
    client.put(key(1), {"a": 1})
    with pytest.raises(cls) as info:
        call(client, key(1))
    assert info.value.msg == message
