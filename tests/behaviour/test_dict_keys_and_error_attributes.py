"""Keys given as dicts ({"ns", "set", "key", "digest"}) work wherever a key tuple does, and a
record error carries the key as the caller gave it and the bins/bin name of the write."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def dict_forms(ns, set_name, user_key):
    digest = aerospike.calc_digest(ns, set_name, user_key)
    return [
        {"ns": ns, "set": set_name, "key": user_key},
        {"ns": ns, "set": set_name, "digest": digest},
        {"ns": ns, "set": set_name, "key": user_key, "digest": digest},
        {"ns": ns, "set": set_name, "key": None, "digest": digest},
        {"ns": ns, "set": set_name, "key": user_key, "other": 3},  # unknown entries are ignored
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user_key=st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(min_size=1, max_size=10)),
       form=st.integers(0, 4))
def test_dict_key_reaches_the_same_record_as_the_tuple(client, ns, set_name, user_key, form):
    key = dict_forms(ns, set_name, user_key)[form]
    client.put((ns, set_name, user_key), {"a": 1})
    _, meta, bins = client.get(key)
    assert bins == {"a": 1} and meta["gen"] >= 1
    (rns, rset, _, rdigest), meta = client.exists(key)
    assert (rns, rset, rdigest) == (ns, set_name, aerospike.calc_digest(ns, set_name, user_key))
    client.put(key, {"b": 2})
    assert client.select(key, ["b"])[2] == {"b": 2}
    assert client.operate(key, [op.read("a")])[2] == {"a": 1}
    client.increment(key, "a", 1)
    assert client.get((ns, set_name, user_key))[2] == {"a": 2, "b": 2}
    client.remove(key)
    with pytest.raises(ex.RecordNotFound) as info:
        client.get(key)
    assert info.value.key == key


def test_dict_key_without_set(client, ns):
    key = {"ns": ns, "key": "no-set-dict-key"}
    client.put(key, {"a": 1})
    assert client.get((ns, None, "no-set-dict-key"))[2] == {"a": 1}
    client.remove(key)


@pytest.mark.parametrize("key, message", [
    ({"set": "s", "key": 1}, "namespace is required"),
    ({}, "namespace is required"),
    ({"ns": "test", "set": "s"}, "either key or digest is required"),
    ({"ns": 1, "set": "s", "key": 1}, "namespace must be a string"),
    ({"ns": "test", "set": "s", "key": 1.5}, "key is invalid"),
    ({"ns": "test", "set": "s", "digest": b"x" * 20}, "digest is invalid. expected a bytearray"),
])
def test_bad_dict_keys(client, key, message):
    for call in (lambda: client.get(key), lambda: client.put(key, {"a": 1}), lambda: client.remove(key)):
        with pytest.raises(ex.ParamError) as info:
            call()
        assert info.value.msg == message


def test_record_errors_carry_key_and_bin(client, ns, set_name):
    missing = (ns, set_name, "missing")
    there = (ns, set_name, "there")
    client.put(there, {"a": 1})
    update = {"exists": aerospike.POLICY_EXISTS_UPDATE}
    gen_eq = {"gen": aerospike.POLICY_GEN_EQ}
    cases = [
        (lambda: client.get(missing), missing, None),
        (lambda: client.select(missing, ["a"]), missing, None),
        (lambda: client.remove(missing), missing, None),
        (lambda: client.remove_bin(missing, ["a"], policy=update), missing, None),
        (lambda: client.put(missing, {"a": 1}, policy=update), missing, {"a": 1}),
        (lambda: client.put(there, {"a": 2}, meta={"gen": 99}, policy=gen_eq), there, {"a": 2}),
        (lambda: client.increment(there, "a", 1, meta={"gen": 99}, policy=gen_eq), there, "a"),
        (lambda: client.touch(missing), missing, None),
        (lambda: client.operate(missing, [op.read("a")]), missing, None),
    ]
    for call, key, bins in cases:
        with pytest.raises(ex.RecordError) as info:
            call()
        assert info.value.key == key
        assert info.value.bin == bins


@pytest.mark.parametrize("key, message", [
    (("test", "x" * 70, 1), "key is invalid"),
    (("n" * 40, "s", 1), "key is invalid"),
    (("test", "x" * 70, None, bytearray(20)), "key is invalid"),
    (("test", "x" * 70, None, b"x"), "digest is invalid. expected a bytearray"),
    (("test", "x" * 70, bytearray()), "Byte array size cannot be 0"),
    (("test", "s", bytearray()), "Byte array size cannot be 0"),
])
def test_key_messages_in_the_official_order(client, key, message):
    with pytest.raises(ex.ParamError) as info:
        client.exists(key)
    assert info.value.msg == message


@pytest.mark.parametrize("flag", [True, False])
def test_bool_user_key_is_an_integer(client, ns, set_name, flag):
    client.put((ns, set_name, int(flag)), {"a": 1})
    (_, _, user_key, digest), meta = client.exists((ns, set_name, flag))
    assert meta is not None and user_key == int(flag) and type(user_key) is int
    assert digest == aerospike.calc_digest(ns, set_name, int(flag))
