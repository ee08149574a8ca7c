"""Errors the client raises for bad arguments before anything is sent, and
errors for unknown namespaces. Every case here was checked against the
official 19.x client."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op

BAD_KEYS = [
    pytest.param(("test", "s"), id="tuple-too-short"),
    pytest.param(("test", "s", "k", None, 1), id="tuple-too-long"),
    pytest.param("test:s:k", id="not-a-tuple"),
    pytest.param(None, id="None"),
    pytest.param((1, "s", "k"), id="namespace-not-str"),
    pytest.param(("test", 1, "k"), id="set-not-str"),
    pytest.param(("test", "s", None), id="no-key-no-digest"),
    pytest.param(("test", "s", 1.5), id="float-key"),
    pytest.param(("test", "s", [1]), id="list-key"),
    pytest.param(("test", "s", 2**64), id="int-key-too-large"),
    pytest.param(("test", "s", bytearray()), id="empty-bytearray-key"),
    pytest.param(("test", "s", None, b"x" * 20), id="digest-bytes-not-bytearray"),
    pytest.param(("test", "s", None, bytearray(b"x" * 19)), id="digest-19-bytes"),
    pytest.param(("test", "s" * 64, "k"), id="set-name-64-bytes"),
    pytest.param(("n" * 32, "s", "k"), id="namespace-name-32-bytes"),
]

KEY_TAKING_CALLS = [
    pytest.param(lambda c, k: c.get(k), id="get"),
    pytest.param(lambda c, k: c.select(k, ["a"]), id="select"),
    pytest.param(lambda c, k: c.exists(k), id="exists"),
    pytest.param(lambda c, k: c.put(k, {"a": 1}), id="put"),
    pytest.param(lambda c, k: c.remove(k), id="remove"),
    pytest.param(lambda c, k: c.touch(k), id="touch"),
    pytest.param(lambda c, k: c.increment(k, "a", 1), id="increment"),
    pytest.param(lambda c, k: c.append(k, "a", "x"), id="append"),
    pytest.param(lambda c, k: c.prepend(k, "a", "x"), id="prepend"),
    pytest.param(lambda c, k: c.remove_bin(k, ["a"]), id="remove_bin"),
    pytest.param(lambda c, k: c.operate(k, [op.read("a")]), id="operate"),
    pytest.param(lambda c, k: c.operate_ordered(k, [op.read("a")]), id="operate_ordered"),
]


@pytest.mark.parametrize("bad_key", BAD_KEYS)
@pytest.mark.parametrize("call", KEY_TAKING_CALLS)
def test_bad_key_raises_param_error(client, call, bad_key):
    with pytest.raises(ex.ParamError) as exc_info:
        call(client, bad_key)
    assert exc_info.value.code == -2


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, k: c.put(k, [("a", 1)]), id="put-bins-not-dict"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, "meta"), id="put-meta-not-dict"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, {"ttl": "5"}), id="put-ttl-not-int"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, {"ttl": 2**64}), id="put-ttl-too-large"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, {"gen": "5"}), id="put-gen-not-int"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, {}, "policy"), id="put-policy-not-dict"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}, None, {"total_timeout": 0.5}), id="put-timeout-float"),
        pytest.param(lambda c, k: c.put(k, {"a": 2**63}), id="put-int-too-large"),
        pytest.param(lambda c, k: c.put(k, {"a": -(2**63) - 1}), id="put-int-too-small"),
        pytest.param(lambda c, k: c.put(k, {"a": (1, 2)}), id="put-tuple-value"),
        pytest.param(lambda c, k: c.put(k, {"a": {1, 2}}), id="put-set-value"),
        pytest.param(lambda c, k: c.put(k, {"a": object()}), id="put-object-value"),
        pytest.param(lambda c, k: c.get(k, "policy"), id="get-policy-not-dict"),
        pytest.param(lambda c, k: c.select(k, "a"), id="select-bins-not-list"),
        pytest.param(lambda c, k: c.select(k, [1, 2]), id="select-bin-names-not-str"),
        pytest.param(lambda c, k: c.increment(k, "a", "5"), id="increment-str-offset"),
        pytest.param(lambda c, k: c.increment(k, "a", None), id="increment-None-offset"),
        pytest.param(lambda c, k: c.increment(k, "a", bytearray(b"1")), id="increment-bytearray-offset"),
        pytest.param(lambda c, k: c.increment(k, "a", 2**63), id="increment-offset-too-large"),
        pytest.param(lambda c, k: c.increment(k, None, 1), id="increment-bin-None"),
        pytest.param(lambda c, k: c.append(k, "a", 5), id="append-int-value"),
        pytest.param(lambda c, k: c.prepend(k, "a", 5), id="prepend-int-value"),
        pytest.param(lambda c, k: c.append(k, None, "x"), id="append-bin-None"),
        pytest.param(lambda c, k: c.touch(k, "10"), id="touch-ttl-not-int"),
        pytest.param(lambda c, k: c.remove_bin(k, "a"), id="remove_bin-not-list"),
        pytest.param(lambda c, k: c.remove(k, None, "policy"), id="remove-policy-not-dict"),
        pytest.param(lambda c, k: c.operate(k, {"op": aerospike.OPERATOR_READ, "bin": "a"}), id="operate-not-list"),
        pytest.param(lambda c, k: c.operate(k, []), id="operate-empty"),
        pytest.param(lambda c, k: c.operate_ordered(k, []), id="operate_ordered-empty"),
        pytest.param(lambda c, k: c.operate(k, [{"bin": "a"}]), id="operate-op-without-op-code"),
    ],
)
def test_bad_arguments_raise_param_error(client, key, call):
    k = key("bad-args")
    with pytest.raises(ex.ParamError) as exc_info:
        call(client, k)
    assert exc_info.value.code == -2
    # Nothing was written.
    assert client.exists(k)[1] is None


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, k: c.put(k, {1: "a"}), id="put-bin-name-int"),
        pytest.param(lambda c, k: c.remove_bin(k, [1]), id="remove_bin-bin-name-int"),
    ],
)
def test_non_string_bin_name_raises_client_error(client, key, call):
    k = key("bad-bin-name")
    with pytest.raises(ex.ClientError) as exc_info:
        call(client, k)
    assert exc_info.value.code == -1


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.truncate("test", "s", -5), id="truncate-negative-nanos"),
        pytest.param(lambda c: c.truncate("test", "s", 2**64), id="truncate-nanos-too-large"),
        pytest.param(lambda c: c.truncate("test", "s", "0"), id="truncate-nanos-str"),
        pytest.param(lambda c: c.truncate(1, "s", 0), id="truncate-namespace-int"),
        pytest.param(lambda c: c.truncate("test", 1, 0), id="truncate-set-int"),
        pytest.param(lambda c: c.info_all(None), id="info_all-None"),
        pytest.param(lambda c: c.info_all(123), id="info_all-int"),
        pytest.param(lambda c: c.info_random_node(None), id="info_random_node-None"),
        pytest.param(lambda c: c.info_single_node("namespaces", "NO-SUCH-NODE"), id="info_single_node-unknown-node"),
        pytest.param(lambda c: c.info_single_node("namespaces", 1), id="info_single_node-host-int"),
    ],
)
def test_bad_arguments_without_key_raise_param_error(client, call):
    with pytest.raises(ex.ParamError):
        call(client)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, k: c.get(k), id="get"),
        pytest.param(lambda c, k: c.select(k, ["a"]), id="select"),
        pytest.param(lambda c, k: c.exists(k), id="exists"),
        pytest.param(lambda c, k: c.put(k, {"a": 1}), id="put"),
        pytest.param(lambda c, k: c.remove(k), id="remove"),
        pytest.param(lambda c, k: c.touch(k), id="touch"),
        pytest.param(lambda c, k: c.increment(k, "a", 1), id="increment"),
        pytest.param(lambda c, k: c.append(k, "a", "x"), id="append"),
        pytest.param(lambda c, k: c.remove_bin(k, ["a"]), id="remove_bin"),
        pytest.param(lambda c, k: c.operate(k, [op.write("a", 1), op.read("a")]), id="operate"),
    ],
)
@pytest.mark.parametrize("namespace", ["no_such_namespace", "", "n" * 31])
def test_unknown_namespace_raises_namespace_not_found(client, set_name, call, namespace):
    with pytest.raises(ex.NamespaceNotFound) as exc_info:
        call(client, (namespace, set_name, "k"))
    assert exc_info.value.code == 20


def test_exception_hierarchy(client, key):
    # Server errors share the documented base classes.
    with pytest.raises(ex.RecordNotFound) as exc_info:
        client.get(key("missing"))
    err = exc_info.value
    assert isinstance(err, ex.RecordError)
    assert isinstance(err, ex.ServerError)
    assert isinstance(err, ex.AerospikeError)
    assert err.code == 2
    assert issubclass(ex.ParamError, ex.ClientError)
    assert issubclass(ex.BinIncompatibleType, ex.RecordError)
    assert issubclass(ex.RecordExistsError, ex.RecordError)
    assert issubclass(ex.RecordGenerationError, ex.RecordError)
    assert issubclass(ex.BinNameError, ex.RecordError)
    assert issubclass(ex.NamespaceNotFound, ex.ServerError)
    assert issubclass(ex.InvalidRequest, ex.ServerError)
