"""get / select / exists: return shapes, missing records and missing bins."""

import aerospike
import pytest
from aerospike import exception as ex

NEVER_EXPIRE = 4294967295


def test_get_returns_key_meta_bins(client, ns, set_name):
    k = (ns, set_name, "k")
    client.put(k, {"a": 1, "b": "two"})
    record = client.get(k)
    assert isinstance(record, tuple) and len(record) == 3
    rkey, meta, bins = record
    assert isinstance(rkey, tuple) and len(rkey) == 4
    assert rkey[:3] == (ns, set_name, None)
    assert rkey[3] == aerospike.calc_digest(ns, set_name, "k")
    assert isinstance(meta, dict)
    assert set(meta) == {"gen", "ttl"}
    assert meta == {"gen": 1, "ttl": NEVER_EXPIRE}
    assert bins == {"a": 1, "b": "two"}


def test_get_missing_record_raises_record_not_found(client, key):
    with pytest.raises(ex.RecordNotFound) as exc_info:
        client.get(key("missing"))
    assert exc_info.value.code == 2


def test_get_with_read_policy(client, key):
    k = key("policy")
    client.put(k, {"a": 1})
    policy = {"total_timeout": 5000, "max_retries": 1, "deserialize": True}
    assert client.get(k, policy)[2] == {"a": 1}


def test_exists_on_existing_record(client, ns, set_name):
    k = (ns, set_name, "k")
    client.put(k, {"a": 1})
    client.put(k, {"a": 2})
    result = client.exists(k)
    assert isinstance(result, tuple) and len(result) == 2
    rkey, meta = result
    # exists() echoes the user key it was given.
    assert rkey == (ns, set_name, "k", aerospike.calc_digest(ns, set_name, "k"))
    assert meta == {"gen": 2, "ttl": NEVER_EXPIRE}


def test_exists_on_missing_record_returns_none_meta(client, ns, set_name):
    k = (ns, set_name, "missing")
    rkey, meta = client.exists(k)
    assert meta is None
    assert rkey == (ns, set_name, "missing", aerospike.calc_digest(ns, set_name, "missing"))


def test_exists_with_digest_key(client, ns, set_name):
    client.put((ns, set_name, 5), {"a": 1})
    digest = aerospike.calc_digest(ns, set_name, 5)
    rkey, meta = client.exists((ns, set_name, None, digest))
    assert rkey == (ns, set_name, None, digest)
    assert meta["gen"] == 1


def test_select_returns_only_requested_bins(client, ns, set_name):
    k = (ns, set_name, "k")
    client.put(k, {"a": 1, "b": 2, "c": 3})
    rkey, meta, bins = client.select(k, ["a", "c"])
    assert bins == {"a": 1, "c": 3}
    assert meta["gen"] == 1
    # select() echoes the user key it was given.
    assert rkey == (ns, set_name, "k", aerospike.calc_digest(ns, set_name, "k"))


def test_select_accepts_a_tuple_of_bin_names(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    assert client.select(k, ("b",))[2] == {"b": 2}


@pytest.mark.parametrize(
    "wanted, expected",
    [
        pytest.param(["a", "nope"], {"a": 1}, id="some-missing"),
        pytest.param(["nope", "a"], {"a": 1}, id="missing-first"),
        pytest.param(["nope1", "nope2"], {}, id="all-missing"),
    ],
)
def test_select_missing_bins_are_left_out(client, key, wanted, expected):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    _, meta, bins = client.select(k, wanted)
    assert bins == expected
    assert meta["gen"] == 1


def test_select_missing_record_raises_record_not_found(client, key):
    with pytest.raises(ex.RecordNotFound):
        client.select(key("missing"), ["a"])


def test_select_with_no_bin_names_is_an_invalid_request(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    with pytest.raises(ex.InvalidRequest) as exc_info:
        client.select(k, [])
    assert exc_info.value.code == 4


def test_get_after_remove_raises_record_not_found(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    client.remove(k)
    with pytest.raises(ex.RecordNotFound):
        client.get(k)
    with pytest.raises(ex.RecordNotFound):
        client.select(k, ["a"])
    assert client.exists(k)[1] is None
