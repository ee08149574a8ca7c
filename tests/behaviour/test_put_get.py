"""put / get: bin value types, key forms, key tuples, None bins, exists and
generation policies."""

import os
import aerospike
import pytest
from aerospike import exception as ex

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# (value written, value expected back)
SCALAR_VALUES = [
    pytest.param(0, 0, id="int-zero"),
    pytest.param(42, 42, id="int"),
    pytest.param(-42, -42, id="int-negative"),
    pytest.param(2**32, 2**32, id="int-over-32-bits"),
    pytest.param(INT64_MAX, INT64_MAX, id="int64-max"),
    pytest.param(INT64_MIN, INT64_MIN, id="int64-min"),
    pytest.param(1.5, 1.5, id="float"),
    pytest.param(-2.25, -2.25, id="float-negative"),
    pytest.param(0.0, 0.0, id="float-zero"),
    pytest.param(1e308, 1e308, id="float-huge"),
    pytest.param(float("inf"), float("inf"), id="float-inf"),
    pytest.param("hello", "hello", id="str"),
    pytest.param("", "", id="str-empty"),
    pytest.param("héllo wörld ✓ 日本語 🚀", "héllo wörld ✓ 日本語 🚀", id="str-unicode"),
    pytest.param(b"\x00\x01\xfe\xff", b"\x00\x01\xfe\xff", id="bytes"),
    pytest.param(bytearray(b"\x00abc\xff"), b"\x00abc\xff", id="bytearray-reads-as-bytes"),
    pytest.param(True, True, id="bool-true"),
    pytest.param(False, False, id="bool-false"),
]

COLLECTION_VALUES = [
    pytest.param([], id="list-empty"),
    pytest.param([1, "a", 2.5, b"\x01", True, None], id="list-mixed"),
    pytest.param({}, id="map-empty"),
    pytest.param({"a": 1, "b": "two", "c": 3.0}, id="map-str-keys"),
    pytest.param({1: "one", 2: "two", -3: "minus three"}, id="map-int-keys"),
    pytest.param({b"k": b"v"}, id="map-bytes-keys"),
    pytest.param(
        {"l": [[1, [2, [3, {"deep": [4]}]]], {"m": {"n": [b"x", "y"]}}], "e": {}},
        id="nested",
    ),
]


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("value, expected", SCALAR_VALUES)
def test_scalar_value_round_trip(client, key, value, expected):
    k = key("scalar")
    assert client.put(k, {"v": value}) == 0
    _, meta, bins = client.get(k)
    assert bins == {"v": expected}
    assert type(bins["v"]) is type(expected)
    assert meta["gen"] == 1


@pytest.mark.parametrize("value", COLLECTION_VALUES)
def test_collection_value_round_trip(client, key, value):
    k = key("collection")
    client.put(k, {"v": value})
    _, _, bins = client.get(k)
    assert bins == {"v": value}
    assert type(bins["v"]) is type(value)


def test_values_inside_collections_keep_their_types(client, key):
    k = key("types-in-list")
    client.put(k, {"l": [1, 1.0, "s", b"b", bytearray(b"ba"), True, None, [2], {"k": 3}]})
    _, _, bins = client.get(k)
    got = bins["l"]
    assert [type(v) for v in got] == [int, float, str, bytes, bytes, bool, type(None), list, dict]
    assert got == [1, 1.0, "s", b"b", b"ba", True, None, [2], {"k": 3}]


def test_many_bins_of_different_types_in_one_record(client, key):
    k = key("multi")
    bins_in = {
        "i": 7,
        "f": 2.5,
        "s": "text",
        "b": b"\xff\x00",
        "t": True,
        "l": [1, 2],
        "m": {"x": 1},
    }
    client.put(k, bins_in)
    _, _, bins = client.get(k)
    assert bins == bins_in


@pytest.mark.parametrize(
    "value",
    [pytest.param("x" * 100_000, id="str-100k"), pytest.param(bytes(range(256)) * 400, id="bytes-100k")],
)
def test_large_values_round_trip(client, key, value):
    k = key("large")
    client.put(k, {"v": value})
    _, _, bins = client.get(k)
    assert bins["v"] == value


def test_bool_default_is_native_boolean(client, key):
    # 19.x default send_bool_as is aerospike.AS_BOOL: the server stores a
    # boolean particle and it reads back as a Python bool.
    k = key("bool")
    client.put(k, {"t": True, "f": False})
    _, _, bins = client.get(k)
    assert bins["t"] is True
    assert bins["f"] is False


def test_send_bool_as_integer_reads_back_as_int(spikelite_server, key):
    c = aerospike.client(
        {
            "hosts": [(spikelite_server.host, spikelite_server.port)],
            "send_bool_as": aerospike.INTEGER,
        }
    )
    try:
        k = key("bool-as-int")
        c.put(k, {"t": True, "f": False})
        _, _, bins = c.get(k)
    finally:
        c.close()
    assert bins == {"t": 1, "f": 0}
    assert type(bins["t"]) is int and type(bins["f"]) is int


def test_put_replaces_value_type_of_existing_bin(client, key):
    k = key("retype")
    client.put(k, {"v": 1})
    client.put(k, {"v": "now a string"})
    assert client.get(k)[2] == {"v": "now a string"}


def test_put_merges_bins_into_existing_record(client, key):
    k = key("merge")
    client.put(k, {"a": 1, "b": 2})
    client.put(k, {"b": 20, "c": 30})
    _, meta, bins = client.get(k)
    assert bins == {"a": 1, "b": 20, "c": 30}
    assert meta["gen"] == 2


# ---------------------------------------------------------------- bin names


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a", id="one-char"),
        pytest.param("b" * 15, id="15-chars"),
        pytest.param("é" * 7, id="14-utf8-bytes"),
        pytest.param("with space", id="space"),
    ],
)
def test_valid_bin_names(client, key, name):
    k = key("binname")
    client.put(k, {name: 1})
    assert client.get(k)[2] == {name: 1}


@pytest.mark.parametrize(
    "name",
    [pytest.param("a" * 16, id="16-chars"), pytest.param("é" * 8, id="16-utf8-bytes")],
)
def test_bin_name_longer_than_15_bytes_raises_bin_name_error(client, key, name):
    k = key("longbin")
    with pytest.raises(ex.BinNameError) as exc_info:
        client.put(k, {name: 1})
    assert exc_info.value.code == 21
    assert client.exists(k)[1] is None


# ---------------------------------------------------------------- None bins


@pytest.mark.parametrize("null", [pytest.param(None, id="None"), pytest.param(aerospike.null(), id="aerospike.null")])
def test_none_bin_value_deletes_the_bin(client, key, null):
    k = key("nullbin")
    client.put(k, {"a": 1, "b": 2})
    client.put(k, {"a": null})
    _, meta, bins = client.get(k)
    assert bins == {"b": 2}
    assert meta["gen"] == 2


def test_none_bin_value_for_absent_bin_is_ignored(client, key):
    k = key("nullabsent")
    client.put(k, {"a": None, "b": 1})
    assert client.get(k)[2] == {"b": 1}


def test_deleting_every_bin_deletes_the_record(client, key):
    k = key("nullall")
    client.put(k, {"a": 1, "b": 2})
    client.put(k, {"a": None, "b": None})
    with pytest.raises(ex.RecordNotFound):
        client.get(k)
    assert client.exists(k)[1] is None


def test_only_none_bins_on_missing_record_raises_record_not_found(client, key):
    k = key("nullmissing")
    with pytest.raises(ex.RecordNotFound):
        client.put(k, {"a": None})
    assert client.exists(k)[1] is None


def test_put_with_no_bins_is_an_invalid_request(client, key):
    # The client sends a write with zero bin ops; the server rejects it (4).
    k = key("nobins")
    with pytest.raises(ex.InvalidRequest) as exc_info:
        client.put(k, {})
    assert exc_info.value.code == 4
    assert client.exists(k)[1] is None


# ---------------------------------------------------------------- key forms


@pytest.mark.parametrize(
    "user_key",
    [
        pytest.param("plain", id="str"),
        pytest.param("ключ-日本-🔑", id="str-unicode"),
        pytest.param(0, id="int-zero"),
        pytest.param(12345, id="int"),
        pytest.param(-7, id="int-negative"),
        pytest.param(INT64_MAX, id="int64-max"),
        pytest.param(INT64_MIN, id="int64-min"),
        pytest.param(bytearray(b"\x00\x01blob"), id="bytearray"),
        pytest.param(b"bytes-key", id="bytes"),
    ],
)
def test_key_forms_round_trip(client, key, user_key):
    k = key(user_key)
    client.put(k, {"v": 1})
    assert client.get(k)[2] == {"v": 1}
    assert client.exists(k)[1] is not None


def test_str_and_int_keys_are_distinct_records(client, key):
    client.put(key("1"), {"v": "str"})
    client.put(key(1), {"v": "int"})
    assert client.get(key("1"))[2] == {"v": "str"}
    assert client.get(key(1))[2] == {"v": "int"}


def test_str_and_bytearray_keys_are_distinct_records(client, key):
    client.put(key("abc"), {"v": "str"})
    client.put(key(bytearray(b"abc")), {"v": "blob"})
    assert client.get(key("abc"))[2] == {"v": "str"}
    assert client.get(key(bytearray(b"abc")))[2] == {"v": "blob"}


def test_bytes_key_is_sent_as_a_string_key(client, key):
    # The official client turns a Python ``bytes`` user key into a string key
    # (a ``bytearray`` is a blob key), so b"abc" and "abc" are the same record.
    client.put(key(b"same-record"), {"v": 1})
    assert client.get(key("same-record"))[2] == {"v": 1}


def test_same_user_key_in_different_sets_are_distinct_records(client, key, set_name):
    client.put(key("k"), {"v": 1})
    client.put(key("k", set_=set_name + "_other"), {"v": 2})
    assert client.get(key("k"))[2] == {"v": 1}
    assert client.get(key("k", set_=set_name + "_other"))[2] == {"v": 2}


def test_same_user_key_in_different_namespaces_are_distinct_records(client, ns, ttl_ns, set_name):
    client.put((ns, set_name, "k"), {"v": 1})
    client.put((ttl_ns, set_name, "k"), {"v": 2})
    assert client.get((ns, set_name, "k"))[2] == {"v": 1}
    assert client.get((ttl_ns, set_name, "k"))[2] == {"v": 2}


def test_set_name_of_63_bytes(client, ns, set_name):
    long_set = (set_name + "x" * 63)[:63]
    client.put((ns, long_set, "k"), {"v": 1})
    rkey, _, bins = client.get((ns, long_set, "k"))
    assert bins == {"v": 1}
    assert rkey[1] == long_set


def test_record_without_set(client, ns, set_name):
    k = (ns, None, f"no-set-{set_name}")
    client.put(k, {"v": 1})
    rkey, _, bins = client.get(k)
    assert bins == {"v": 1}
    assert rkey[0] == ns
    assert rkey[1] is None
    # No set hashes like the empty set name.
    assert rkey[3] == aerospike.calc_digest(ns, "", f"no-set-{set_name}")
    assert client.get((ns, "", f"no-set-{set_name}"))[2] == {"v": 1}
    # The same user key in a named set is another record.
    with pytest.raises(ex.RecordNotFound):
        client.get((ns, set_name, f"no-set-{set_name}"))


def test_digest_key_addresses_the_same_record(client, ns, set_name):
    client.put((ns, set_name, "by-key"), {"v": 1})
    digest = aerospike.calc_digest(ns, set_name, "by-key")
    rkey, _, bins = client.get((ns, set_name, None, digest))
    assert bins == {"v": 1}
    assert rkey == (ns, set_name, None, digest)


def test_put_with_digest_key_then_get_with_user_key(client, ns, set_name):
    digest = aerospike.calc_digest(ns, set_name, 99)
    client.put((ns, set_name, None, digest), {"v": "via-digest"})
    assert client.get((ns, set_name, 99))[2] == {"v": "via-digest"}


def test_arbitrary_digest_key(client, ns, set_name):
    # A fresh digest each run: a real node refuses a write whose digest it holds under another set
    # ("set name mismatch", 4), and the server may outlive one run.
    digest = bytearray(os.urandom(20))
    k = (ns, set_name, None, digest)
    client.put(k, {"v": 1})
    rkey, meta, bins = client.get(k)
    assert bins == {"v": 1}
    assert rkey == (ns, set_name, None, digest)
    assert meta["gen"] == 1


def test_key_tuple_with_both_user_key_and_digest_uses_the_user_key(client, ns, set_name):
    client.put((ns, set_name, "real"), {"v": 1})
    wrong_digest = bytearray(b"\x01" * 20)
    assert client.get((ns, set_name, "real", wrong_digest))[2] == {"v": 1}


# ---------------------------------------------------------------- returned key tuple


def test_get_key_tuple_has_no_user_key_by_default(client, ns, set_name):
    client.put((ns, set_name, "k"), {"v": 1})
    rkey, _, _ = client.get((ns, set_name, "k"))
    assert rkey == (ns, set_name, None, aerospike.calc_digest(ns, set_name, "k"))
    assert isinstance(rkey[3], bytearray) and len(rkey[3]) == 20


@pytest.mark.parametrize("write_key_policy", [aerospike.POLICY_KEY_DIGEST, aerospike.POLICY_KEY_SEND])
def test_get_with_key_send_policy_returns_the_user_key(client, ns, set_name, write_key_policy):
    # What get() puts in key[2] depends on the *read* policy's "key" only.
    client.put((ns, set_name, 77), {"v": 1}, policy={"key": write_key_policy})
    rkey, _, _ = client.get((ns, set_name, 77), {"key": aerospike.POLICY_KEY_SEND})
    assert rkey == (ns, set_name, 77, aerospike.calc_digest(ns, set_name, 77))
    rkey, _, _ = client.get((ns, set_name, 77), {"key": aerospike.POLICY_KEY_DIGEST})
    assert rkey == (ns, set_name, None, aerospike.calc_digest(ns, set_name, 77))


def test_put_with_key_send_policy_succeeds(client, key):
    k = key("sent")
    assert client.put(k, {"v": 1}, policy={"key": aerospike.POLICY_KEY_SEND}) == 0
    # Writing again with the same key (sent again) matches the stored key.
    assert client.put(k, {"v": 2}, policy={"key": aerospike.POLICY_KEY_SEND}) == 0
    assert client.get(k)[2] == {"v": 2}


# ---------------------------------------------------------------- exists policies

EXISTING = {"a": 1, "b": 2}
NEW_BINS = {"b": 20, "c": 30}
MERGED = {"a": 1, "b": 20, "c": 30}


@pytest.mark.parametrize(
    "policy, expected_bins",
    [
        pytest.param(aerospike.POLICY_EXISTS_IGNORE, MERGED, id="IGNORE-merges"),
        pytest.param(aerospike.POLICY_EXISTS_UPDATE, MERGED, id="UPDATE-merges"),
        pytest.param(aerospike.POLICY_EXISTS_REPLACE, NEW_BINS, id="REPLACE-replaces"),
        pytest.param(aerospike.POLICY_EXISTS_CREATE_OR_REPLACE, NEW_BINS, id="CREATE_OR_REPLACE-replaces"),
    ],
)
def test_exists_policy_on_existing_record_succeeds(client, key, policy, expected_bins):
    k = key("exists-policy")
    client.put(k, EXISTING)
    assert client.put(k, NEW_BINS, policy={"exists": policy}) == 0
    _, meta, bins = client.get(k)
    assert bins == expected_bins
    assert meta["gen"] == 2


def test_exists_create_on_existing_record_raises_record_exists(client, key):
    k = key("create-existing")
    client.put(k, EXISTING)
    with pytest.raises(ex.RecordExistsError) as exc_info:
        client.put(k, NEW_BINS, policy={"exists": aerospike.POLICY_EXISTS_CREATE})
    assert exc_info.value.code == 5
    _, meta, bins = client.get(k)
    assert bins == EXISTING
    assert meta["gen"] == 1


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(aerospike.POLICY_EXISTS_IGNORE, id="IGNORE"),
        pytest.param(aerospike.POLICY_EXISTS_CREATE, id="CREATE"),
        pytest.param(aerospike.POLICY_EXISTS_CREATE_OR_REPLACE, id="CREATE_OR_REPLACE"),
    ],
)
def test_exists_policy_on_missing_record_creates(client, key, policy):
    k = key("exists-policy-missing")
    assert client.put(k, NEW_BINS, policy={"exists": policy}) == 0
    _, meta, bins = client.get(k)
    assert bins == NEW_BINS
    assert meta["gen"] == 1


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(aerospike.POLICY_EXISTS_UPDATE, id="UPDATE"),
        pytest.param(aerospike.POLICY_EXISTS_REPLACE, id="REPLACE"),
    ],
)
def test_exists_policy_on_missing_record_raises_record_not_found(client, key, policy):
    k = key("exists-policy-missing")
    with pytest.raises(ex.RecordNotFound) as exc_info:
        client.put(k, NEW_BINS, policy={"exists": policy})
    assert exc_info.value.code == 2
    assert client.exists(k)[1] is None


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(aerospike.POLICY_EXISTS_REPLACE, id="REPLACE"),
        pytest.param(aerospike.POLICY_EXISTS_CREATE_OR_REPLACE, id="CREATE_OR_REPLACE"),
    ],
)
def test_replace_policies_reject_bin_deletes(client, key, policy):
    # A record-level replace cannot be combined with a bin delete (None value).
    k = key("replace-none")
    client.put(k, EXISTING)
    with pytest.raises(ex.InvalidRequest):
        client.put(k, {"a": None, "c": 3}, policy={"exists": policy})
    assert client.get(k)[2] == EXISTING


# ---------------------------------------------------------------- generation


def test_generation_starts_at_one_and_increments_per_write(client, key):
    k = key("gen")
    for expected in (1, 2, 3):
        client.put(k, {"v": expected})
        _, meta, _ = client.get(k)
        assert meta["gen"] == expected


def test_reads_do_not_change_generation(client, key):
    k = key("gen-read")
    client.put(k, {"v": 1})
    client.get(k)
    client.select(k, ["v"])
    client.exists(k)
    assert client.get(k)[1]["gen"] == 1


@pytest.mark.parametrize(
    "gen_policy, meta_gen",
    [
        pytest.param(aerospike.POLICY_GEN_IGNORE, 99, id="IGNORE-any"),
        pytest.param(aerospike.POLICY_GEN_EQ, 2, id="EQ-equal"),
        pytest.param(aerospike.POLICY_GEN_GT, 3, id="GT-greater"),
        pytest.param(aerospike.POLICY_GEN_GT, 50, id="GT-much-greater"),
    ],
)
def test_generation_policy_allows_write(client, key, gen_policy, meta_gen):
    k = key("genpol")
    client.put(k, {"v": 1})
    client.put(k, {"v": 2})  # gen 2
    assert client.put(k, {"v": 3}, meta={"gen": meta_gen}, policy={"gen": gen_policy}) == 0
    _, meta, bins = client.get(k)
    assert bins == {"v": 3}
    # The server increments the generation; it never takes the sent value.
    assert meta["gen"] == 3


@pytest.mark.parametrize(
    "gen_policy, meta_gen",
    [
        pytest.param(aerospike.POLICY_GEN_EQ, 1, id="EQ-lower"),
        pytest.param(aerospike.POLICY_GEN_EQ, 3, id="EQ-higher"),
        pytest.param(aerospike.POLICY_GEN_GT, 2, id="GT-equal"),
        pytest.param(aerospike.POLICY_GEN_GT, 1, id="GT-lower"),
    ],
)
def test_generation_policy_rejects_write(client, key, gen_policy, meta_gen):
    k = key("genpol-reject")
    client.put(k, {"v": 1})
    client.put(k, {"v": 2})  # gen 2
    with pytest.raises(ex.RecordGenerationError) as exc_info:
        client.put(k, {"v": 3}, meta={"gen": meta_gen}, policy={"gen": gen_policy})
    assert exc_info.value.code == 3
    _, meta, bins = client.get(k)
    assert bins == {"v": 2}
    assert meta["gen"] == 2


def test_generation_eq_on_missing_record_raises_generation_error(client, key):
    # A record that does not exist yet has generation 0.
    k = key("gen-missing")
    with pytest.raises(ex.RecordGenerationError):
        client.put(k, {"v": 1}, meta={"gen": 1}, policy={"gen": aerospike.POLICY_GEN_EQ})
    assert client.exists(k)[1] is None


def test_generation_is_per_record(client, key):
    client.put(key("one"), {"v": 1})
    client.put(key("one"), {"v": 1})
    client.put(key("two"), {"v": 1})
    assert client.get(key("one"))[1]["gen"] == 2
    assert client.get(key("two"))[1]["gen"] == 1
