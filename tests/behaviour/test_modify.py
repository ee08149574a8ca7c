"""increment, append and prepend."""

import aerospike
import pytest
from aerospike import exception as ex

# ---------------------------------------------------------------- increment


@pytest.mark.parametrize(
    "start, offset, expected",
    [
        pytest.param(10, 5, 15, id="int-plus"),
        pytest.param(10, -25, -15, id="int-minus"),
        pytest.param(0, 0, 0, id="int-zero"),
        pytest.param(2**62, 2**62 - 1, 2**63 - 1, id="int-to-max"),
        pytest.param(1.5, 2.25, 3.75, id="float-plus"),
        pytest.param(1.5, -4.0, -2.5, id="float-minus"),
        pytest.param(1.0, float("inf"), float("inf"), id="float-inf"),
    ],
)
def test_increment_existing_bin(client, key, start, offset, expected):
    k = key("k")
    client.put(k, {"n": start, "other": "x"})
    assert client.increment(k, "n", offset) == 0
    _, meta, bins = client.get(k)
    assert bins == {"n": expected, "other": "x"}
    assert type(bins["n"]) is type(expected)
    assert meta["gen"] == 2


def test_increment_repeatedly(client, key):
    k = key("k")
    for _ in range(5):
        client.increment(k, "n", 3)
    _, meta, bins = client.get(k)
    assert bins == {"n": 15}
    assert meta["gen"] == 5


@pytest.mark.parametrize("offset", [7, -7, 2.5])
def test_increment_missing_record_creates_it(client, key, offset):
    k = key("missing")
    client.increment(k, "n", offset)
    _, meta, bins = client.get(k)
    assert bins == {"n": offset}
    assert type(bins["n"]) is type(offset)
    assert meta["gen"] == 1


def test_increment_missing_bin_creates_it(client, key):
    k = key("k")
    client.put(k, {"a": "x"})
    client.increment(k, "n", 4)
    assert client.get(k)[2] == {"a": "x", "n": 4}


@pytest.mark.parametrize(
    "start, offset",
    [
        pytest.param("text", 1, id="str-bin-by-int"),
        pytest.param("text", 1.5, id="str-bin-by-float"),
        pytest.param(b"bytes", 1, id="bytes-bin"),
        pytest.param([1, 2], 1, id="list-bin"),
        pytest.param({"a": 1}, 1, id="map-bin"),
        pytest.param(10, 1.5, id="int-bin-by-float"),
        pytest.param(1.5, 1, id="float-bin-by-int"),
        pytest.param(True, 1, id="bool-bin"),
    ],
)
def test_increment_incompatible_bin_raises_bin_incompatible_type(client, key, start, offset):
    k = key("k")
    client.put(k, {"n": start})
    with pytest.raises(ex.BinIncompatibleType) as exc_info:
        client.increment(k, "n", offset)
    assert exc_info.value.code == 12
    _, meta, bins = client.get(k)
    assert bins == {"n": start}
    assert meta["gen"] == 1


def test_increment_with_update_policy_on_missing_record(client, key):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        client.increment(k, "n", 1, policy={"exists": aerospike.POLICY_EXISTS_UPDATE})
    assert client.exists(k)[1] is None


def test_increment_with_create_policy_on_existing_record(client, key):
    k = key("k")
    client.put(k, {"n": 1})
    with pytest.raises(ex.RecordExistsError):
        client.increment(k, "n", 1, policy={"exists": aerospike.POLICY_EXISTS_CREATE})
    assert client.get(k)[2] == {"n": 1}


@pytest.mark.parametrize(
    "exists_policy",
    [
        pytest.param(aerospike.POLICY_EXISTS_REPLACE, id="REPLACE"),
        pytest.param(aerospike.POLICY_EXISTS_CREATE_OR_REPLACE, id="CREATE_OR_REPLACE"),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, k, p: c.increment(k, "n", 1, policy=p), id="increment"),
        pytest.param(lambda c, k, p: c.append(k, "s", "x", policy=p), id="append"),
        pytest.param(lambda c, k, p: c.prepend(k, "s", "x", policy=p), id="prepend"),
    ],
)
def test_modify_ops_reject_replace_policies(client, key, call, exists_policy):
    # Modify ops (increment/append/prepend) cannot be combined with a
    # record-level replace: the server answers "parameter error" (4).
    k = key("k")
    client.put(k, {"n": 1, "s": "a"})
    with pytest.raises(ex.InvalidRequest) as exc_info:
        call(client, k, {"exists": exists_policy})
    assert exc_info.value.code == 4
    _, meta, bins = client.get(k)
    assert bins == {"n": 1, "s": "a"}
    assert meta["gen"] == 1


@pytest.mark.parametrize(
    "gen_policy, gen, ok",
    [
        pytest.param(aerospike.POLICY_GEN_EQ, 1, True, id="EQ-match"),
        pytest.param(aerospike.POLICY_GEN_EQ, 2, False, id="EQ-mismatch"),
        pytest.param(aerospike.POLICY_GEN_GT, 2, True, id="GT-greater"),
        pytest.param(aerospike.POLICY_GEN_GT, 1, False, id="GT-equal"),
    ],
)
def test_increment_generation_policy(client, key, gen_policy, gen, ok):
    k = key("k")
    client.put(k, {"n": 1})
    if ok:
        client.increment(k, "n", 1, {"gen": gen}, {"gen": gen_policy})
        assert client.get(k)[2] == {"n": 2}
    else:
        with pytest.raises(ex.RecordGenerationError):
            client.increment(k, "n", 1, {"gen": gen}, {"gen": gen_policy})
        assert client.get(k)[2] == {"n": 1}


# ---------------------------------------------------------------- append / prepend


@pytest.mark.parametrize(
    "method, start, value, expected",
    [
        pytest.param("append", "abc", "def", "abcdef", id="append-str"),
        pytest.param("prepend", "abc", "xyz", "xyzabc", id="prepend-str"),
        pytest.param("append", "", "x", "x", id="append-to-empty-str"),
        pytest.param("append", "naïve ", "café ☕", "naïve café ☕", id="append-unicode"),
        pytest.param("prepend", "日本", "こんにちは", "こんにちは日本", id="prepend-unicode"),
        pytest.param("append", b"\x00\x01", b"\x02\xff", b"\x00\x01\x02\xff", id="append-bytes"),
        pytest.param("prepend", b"\x00\x01", b"\xfe", b"\xfe\x00\x01", id="prepend-bytes"),
        pytest.param("append", b"ab", bytearray(b"cd"), b"abcd", id="append-bytearray"),
        pytest.param("prepend", b"ab", bytearray(b"zz"), b"zzab", id="prepend-bytearray"),
    ],
)
def test_append_prepend_existing_bin(client, key, method, start, value, expected):
    k = key("k")
    client.put(k, {"s": start, "other": 1})
    assert getattr(client, method)(k, "s", value) == 0
    _, meta, bins = client.get(k)
    assert bins == {"s": expected, "other": 1}
    assert type(bins["s"]) is type(expected)
    assert meta["gen"] == 2


@pytest.mark.parametrize("method", ["append", "prepend"])
@pytest.mark.parametrize("value, expected", [("text", "text"), (b"\x01\x02", b"\x01\x02")], ids=["str", "bytes"])
def test_append_prepend_missing_record_creates_it(client, key, method, value, expected):
    k = key("missing")
    getattr(client, method)(k, "s", value)
    _, meta, bins = client.get(k)
    assert bins == {"s": expected}
    assert type(bins["s"]) is type(expected)
    assert meta["gen"] == 1


@pytest.mark.parametrize("method", ["append", "prepend"])
def test_append_prepend_missing_bin_creates_it(client, key, method):
    k = key("k")
    client.put(k, {"a": 1})
    getattr(client, method)(k, "s", "new")
    assert client.get(k)[2] == {"a": 1, "s": "new"}


@pytest.mark.parametrize("method", ["append", "prepend"])
@pytest.mark.parametrize(
    "start, value",
    [
        pytest.param(5, "x", id="int-bin"),
        pytest.param(1.5, "x", id="float-bin"),
        pytest.param(True, "x", id="bool-bin"),
        pytest.param([1], "x", id="list-bin"),
        pytest.param({"a": 1}, "x", id="map-bin"),
        pytest.param("text", b"\x01", id="str-bin-with-bytes"),
        pytest.param(b"\x01", "text", id="bytes-bin-with-str"),
    ],
)
def test_append_prepend_incompatible_bin(client, key, method, start, value):
    k = key("k")
    client.put(k, {"s": start})
    with pytest.raises(ex.BinIncompatibleType) as exc_info:
        getattr(client, method)(k, "s", value)
    assert exc_info.value.code == 12
    _, meta, bins = client.get(k)
    assert bins == {"s": start}
    assert meta["gen"] == 1


def test_append_with_update_policy_on_missing_record(client, key):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        client.append(k, "s", "x", policy={"exists": aerospike.POLICY_EXISTS_UPDATE})
    assert client.exists(k)[1] is None


def test_append_generation_mismatch(client, key):
    k = key("k")
    client.put(k, {"s": "a"})
    with pytest.raises(ex.RecordGenerationError):
        client.append(k, "s", "b", {"gen": 3}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.get(k)[2] == {"s": "a"}


@pytest.mark.parametrize("offset", [{"a": 1}, "s", None, [1], b"b"])
def test_increment_refuses_a_non_numeric_offset_in_its_own_words(client, key, offset):
    k = key("inc_bad")
    client.put(k, {"n": 1})
    for call in (lambda: client.increment(k, "n", offset),
                 lambda: client.operate(k, [{"op": aerospike.OPERATOR_INCR, "bin": "n", "val": offset}])):
        with pytest.raises(ex.ParamError) as info:
            call()
        assert info.value.msg == "Unsupported operand type(s) for +: only 'int' allowed"
    assert client.get(k)[2] == {"n": 1}


def test_increment_takes_a_bool_offset_as_an_integer(client, key):
    k = key("inc_bool")
    client.put(k, {"n": 1})
    assert client.increment(k, "n", True) == 0
    assert client.get(k)[2] == {"n": 2}
