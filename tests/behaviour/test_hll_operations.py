"""HyperLogLog operations (aerospike_helpers.operations.hll_operations).

The numbers are the ones an Aerospike server gives: elements are hashed with MurmurHash3 over
their msgpack form, counts use Ertl's estimator and similarity / intersection HyperMinHash when
the sketches carry minhash bits. The first test replays a sequence whose results were taken from
a real server; the others keep the exact values of the same algorithm, and also check them
against the documented error bounds.
"""

import math

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers import HyperLogLog
from aerospike_helpers.operations import hll_operations as hll
from aerospike_helpers.operations import operations as op

AMY = ["item%s" % i for i in range(0, 500)]
FARNSWORTH = ["item%s" % i for i in range(0, 750)]
SCRUFFY = ["item%s" % i for i in range(250, 1000)]


def flags(value):
    return {"flags": value}


def results(client, k, ops):
    return [value for _, value in client.operate_ordered(k, ops)[2]]


def one(client, k, operation):
    return client.operate(k, [operation])[2][operation["bin"]]


def hlls(client, k, *names):
    bins = client.get(k)[2]
    return [bins[name] for name in names]


def test_sequence_with_known_server_results(client, key):
    k = key("known")
    client.put(k, {"x": 1})
    client.operate(k, [hll.hll_init("bin", 4)])
    assert one(client, k, hll.hll_add("bin", ["asd123"])) == 1
    assert one(client, k, hll.hll_get_count("bin")) == 1
    client.operate(k, [hll.hll_init("bin2", 8, 0)])
    client.operate(k, [hll.hll_fold("bin2", 6)])
    assert one(client, k, hll.hll_add("bin2", ["123asd"])) == 1
    assert one(client, k, hll.hll_describe("bin")) == [4, 0]
    (bin2,) = hlls(client, k, "bin2")
    assert isinstance(bin2, HyperLogLog)
    assert one(client, k, hll.hll_get_intersect_count("bin", [bin2])) == 0
    assert one(client, k, hll.hll_get_union_count("bin", [bin2])) == 2
    union = one(client, k, hll.hll_get_union("bin", [bin2]))
    assert isinstance(union, HyperLogLog)
    assert union == bytes([0, 4, 0] + [0] * 8 + [8, 0, 2] + [0] * 9)
    assert one(client, k, hll.hll_refresh_count("bin")) == 1
    assert results(client, k, [hll.hll_set_union("bin", [bin2]), hll.hll_get_count("bin")]) == [None, 2]
    assert one(client, k, hll.hll_get_similarity("bin", [bin2])) == 0.5


def test_add_creates_and_reports_register_updates(client, key):
    k = key("add")
    assert one(client, k, hll.hll_add("h", ["a", "b", "c", "d", "e", "a"], 8)) == 5
    assert results(client, k, [hll.hll_get_count("h"), hll.hll_describe("h")]) == [5, [8, 0]]
    assert one(client, k, hll.hll_add("h", ["a", "b"])) == 0
    # the existing sketch's bit counts win over the ones given
    assert one(client, k, hll.hll_add("h", ["f"], 12, 20)) == 1
    assert results(client, k, [hll.hll_get_count("h"), hll.hll_describe("h")]) == [6, [8, 0]]


def test_add_values_of_every_scalar_type(client, key):
    k = key("types")
    assert one(client, k, hll.hll_add("h", [1, 2.5, b"x", True, None, "s"], 4, 4)) == 5
    assert one(client, k, hll.hll_add("h", [1, 2.5, b"x", "s"])) == 0
    assert one(client, k, hll.hll_describe("h")) == [4, 4]


def test_value_stored_in_server_format(client, key):
    k = key("layout")
    client.operate(k, [hll.hll_add("h", ["asd123"], 4)])
    value = client.get(k)[2]["h"]
    assert isinstance(value, HyperLogLog)
    # flags, index bits, minhash bits, 8-byte count cache, 16 registers of 6 bits
    assert value == bytes([0, 4, 0] + [0] * 8 + [8] + [0] * 11)      # register 0 holds 2
    client.operate(k, [hll.hll_refresh_count("h")])
    assert client.get(k)[2]["h"][3:11] == (1).to_bytes(8, "little")


@pytest.mark.parametrize(
    "index_bits, minhash_bits, added, counts, union, intersect, similarity, union3, intersect3, similarity3",
    [
        (12, 24, (488, 724, 728), (498, 751, 761), 1010, 508, 0.5033482118369828, 1010, 251, 0.24888392857142858),
        (12, 0, (479, 708, 721), (498, 751, 761), 1010, 502, 0.497029702970297, 1010, 249, 0.24653465346534653),
        (8, 0, (288, 363, 352), (484, 741, 673), 922, 492, 0.5336225596529284, 922, 235, 0.25488069414316705),
        (10, 8, (453, 646, 641), (496, 759, 753), 1006, 529, 0.5259365251537819, 1006, 259, 0.2577639751552795),
    ],
)
def test_estimates(client, key, index_bits, minhash_bits, added, counts, union, intersect, similarity,
                   union3, intersect3, similarity3):
    names = ("amy", "farnsworth", "scruffy")
    ks = [key(name) for name in names]
    for k, items, n in zip(ks, (AMY, FARNSWORTH, SCRUFFY), added):
        assert one(client, k, hll.hll_add("viewed", items, index_bits, minhash_bits)) == n
    got = [one(client, k, hll.hll_get_count("viewed")) for k in ks]
    assert got == list(counts)
    error = 1.04 / math.sqrt(1 << index_bits)
    for value, true in zip(got, (500, 750, 750)):
        assert abs(value - true) <= 3 * error * true
    amy, farnsworth, scruffy = [client.get(k)[2]["viewed"] for k in ks]
    # Farnsworth and Scruffy share 500 of 1000 items
    assert results(client, ks[1], [
        hll.hll_get_union_count("viewed", [scruffy]),
        hll.hll_get_intersect_count("viewed", [scruffy]),
        hll.hll_get_similarity("viewed", [scruffy]),
    ]) == [union, intersect, similarity]
    assert abs(union - 1000) <= 3 * error * 1000
    assert abs(intersect - 500) <= 0.2 * 500 and abs(similarity - 0.5) <= 0.1
    # all three share 250
    assert results(client, ks[1], [
        hll.hll_get_union_count("viewed", [scruffy, amy]),
        hll.hll_get_intersect_count("viewed", [scruffy, amy]),
        hll.hll_get_similarity("viewed", [scruffy, amy]),
    ]) == [union3, intersect3, similarity3]
    assert abs(intersect3 - 250) <= 0.2 * 250 and abs(similarity3 - 0.25) <= 0.05


def test_get_union_and_set_union(client, key):
    k = key("u")
    other = key("other")
    client.operate(k, [hll.hll_add("h", AMY, 10)])
    client.operate(other, [hll.hll_add("h", SCRUFFY, 12)])
    theirs = client.get(other)[2]["h"]
    union = one(client, k, hll.hll_get_union("h", [theirs]))
    assert isinstance(union, HyperLogLog) and union[:3] == bytes([0, 10, 0])
    # a union can be stored as a bin and used like any sketch
    client.put(key("stored"), {"h": union})
    assert one(client, key("stored"), hll.hll_get_count("h")) == one(client, k, hll.hll_get_union_count("h", [theirs]))
    client.operate(k, [hll.hll_set_union("h", [theirs])])
    assert client.get(k)[2]["h"] == union
    assert one(client, k, hll.hll_get_count("h")) == 1006
    # a new bin takes the smallest index bits of the inputs
    client.operate(k, [hll.hll_set_union("n", [theirs, union])])
    assert one(client, k, hll.hll_describe("n")) == [10, 0]


def test_set_union_needs_allow_fold_to_lose_bits(client, key):
    k = key("fold")
    client.operate(k, [hll.hll_add("h", AMY, 12), hll.hll_add("mh", AMY, 8, 8)])
    client.operate(key("small"), [hll.hll_add("h", SCRUFFY, 8)])
    small = client.get(key("small"))[2]["h"]
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_set_union("h", [small])])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_set_union("mh", [small])])
    client.operate(k, [hll.hll_set_union("h", [small], flags(aerospike.HLL_WRITE_ALLOW_FOLD)),
                       hll.hll_set_union("mh", [small], flags(aerospike.HLL_WRITE_ALLOW_FOLD))])
    assert results(client, k, [hll.hll_describe("h"), hll.hll_describe("mh")]) == [[8, 0], [8, 0]]


def test_fold(client, key):
    k = key("f")
    client.operate(k, [hll.hll_add("h", FARNSWORTH, 12)])
    client.operate(k, [hll.hll_fold("h", 8)])
    direct = key("direct")
    client.operate(direct, [hll.hll_add("h", FARNSWORTH, 8)])
    assert client.get(k)[2]["h"] == client.get(direct)[2]["h"]
    assert one(client, k, hll.hll_get_count("h")) == 741
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_fold("h", 9)])
    client.operate(k, [hll.hll_add("mh", ["a"], 8, 4)])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_fold("mh", 4)])
    with pytest.raises(ex.BinNotFound):
        client.operate(k, [hll.hll_fold("nope", 4)])
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [hll.hll_fold("h", 3)])


def test_init(client, key):
    k = key("init")
    client.operate(k, [hll.hll_init("h", 10, 6)])
    assert results(client, k, [hll.hll_describe("h"), hll.hll_get_count("h")]) == [[10, 6], 0]
    assert len(client.get(k)[2]["h"]) == 11 + (12 << 10) // 8
    client.operate(k, [hll.hll_add("h", AMY)])
    assert one(client, k, hll.hll_get_count("h")) > 0
    client.operate(k, [hll.hll_init("h", 10)])          # resets; minhash bits not given: kept
    assert results(client, k, [hll.hll_describe("h"), hll.hll_get_count("h")]) == [[10, 6], 0]
    client.operate(k, [hll.hll_init("h", 16, 0)])
    assert one(client, k, hll.hll_describe("h")) == [16, 0]


def test_init_policies(client, key):
    k = key("pol")
    client.put(k, {"x": 1})
    with pytest.raises(ex.BinNotFound):
        client.operate(k, [hll.hll_init("h", 8, None, flags(aerospike.HLL_WRITE_UPDATE_ONLY))])
    client.operate(k, [hll.hll_init("h", 8, None, flags(aerospike.HLL_WRITE_UPDATE_ONLY | aerospike.HLL_WRITE_NO_FAIL))])
    assert "h" not in client.get(k)[2]
    client.operate(k, [hll.hll_init("h", 8, None, flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    with pytest.raises(ex.BinExistsError):
        client.operate(k, [hll.hll_init("h", 9, None, flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    client.operate(k, [hll.hll_init("h", 9, None, flags(aerospike.HLL_WRITE_CREATE_ONLY | aerospike.HLL_WRITE_NO_FAIL))])
    assert one(client, k, hll.hll_describe("h")) == [8, 0]
    client.operate(k, [hll.hll_init("h", 9, None, flags(aerospike.HLL_WRITE_UPDATE_ONLY))])
    assert one(client, k, hll.hll_describe("h")) == [9, 0]
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [hll.hll_init("h", 9, None, flags(aerospike.HLL_WRITE_ALLOW_FOLD))])


def test_add_policies(client, key):
    k = key("addpol")
    client.operate(k, [hll.hll_add("h", ["a"], 8, None, flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    with pytest.raises(ex.BinExistsError):
        client.operate(k, [hll.hll_add("h", ["b"], 8, None, flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    client.operate(k, [hll.hll_add("h", ["b"], 8, None, flags(aerospike.HLL_WRITE_CREATE_ONLY | aerospike.HLL_WRITE_NO_FAIL))])
    assert one(client, k, hll.hll_get_count("h")) == 1
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [hll.hll_add("h", ["b"], 8, None, flags(aerospike.HLL_WRITE_UPDATE_ONLY))])


def test_set_union_policies(client, key):
    k = key("supol")
    client.operate(key("src"), [hll.hll_add("h", AMY, 8)])
    src = client.get(key("src"))[2]["h"]
    client.put(k, {"x": 1})
    with pytest.raises(ex.BinNotFound):
        client.operate(k, [hll.hll_set_union("h", [src], flags(aerospike.HLL_WRITE_UPDATE_ONLY))])
    client.operate(k, [hll.hll_set_union("h", [src], flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    with pytest.raises(ex.BinExistsError):
        client.operate(k, [hll.hll_set_union("h", [src], flags(aerospike.HLL_WRITE_CREATE_ONLY))])
    client.operate(k, [hll.hll_set_union("h", [src], flags(aerospike.HLL_WRITE_CREATE_ONLY | aerospike.HLL_WRITE_NO_FAIL))])
    assert client.get(k)[2]["h"] == src


def test_operations_need_an_index_bit_count_or_a_bin(client, key):
    k = key("need")
    client.put(k, {"x": 1})
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_add("h", ["a"])])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [hll.hll_init("h")])
    with pytest.raises(ex.BinNotFound):
        client.operate(k, [hll.hll_refresh_count("h")])
    # a read of a missing bin inside a write answers None
    assert client.operate(k, [hll.hll_get_count("h"), op.write("y", 2)])[2] == {"h": None, "y": None}


def test_put_of_a_malformed_hll_is_refused(client, key):
    with pytest.raises(ex.InvalidRequest):
        client.put(key("bad"), {"h": HyperLogLog(b"\x00\x08")})


@pytest.mark.parametrize(
    "make, error",
    [
        pytest.param(lambda: hll.hll_init("h", 3), ex.InvalidRequest, id="index-bits-3"),
        pytest.param(lambda: hll.hll_init("h", 17), ex.InvalidRequest, id="index-bits-17"),
        pytest.param(lambda: hll.hll_init("h", 8, 3), ex.InvalidRequest, id="minhash-bits-3"),
        pytest.param(lambda: hll.hll_init("h", 8, 52), ex.InvalidRequest, id="minhash-bits-52"),
        pytest.param(lambda: hll.hll_init("h", 16, 49), ex.InvalidRequest, id="bits-over-64"),
        pytest.param(lambda: hll.hll_add("h", [[1, 2]], 8), ex.InvalidRequest, id="list-element"),
        pytest.param(lambda: hll.hll_add("h", [{"a": 1}], 8), ex.InvalidRequest, id="map-element"),
        pytest.param(lambda: hll.hll_get_union("h", [b"\x00\x08"]), ex.InvalidRequest, id="short-hll"),
        pytest.param(lambda: hll.hll_get_union_count("h", [bytes([0, 8, 0]) + bytes(8 + 191)]), ex.InvalidRequest,
                     id="hll-wrong-size"),
        pytest.param(lambda: hll.hll_get_similarity("h", [bytes([1, 8, 0]) + bytes(8 + 192)]), ex.InvalidRequest,
                     id="hll-flags"),
        pytest.param(lambda: hll.hll_get_count("x"), ex.BinIncompatibleType, id="count-of-integer"),
        pytest.param(lambda: hll.hll_add("x", ["a"], 8), ex.BinIncompatibleType, id="add-to-integer"),
        pytest.param(lambda: hll.hll_get_count("b"), ex.BinIncompatibleType, id="count-of-blob"),
    ],
)
def test_errors(client, key, make, error):
    k = key("err")
    client.put(k, {"x": 1, "b": bytearray(b"\x00" * 30)})
    client.operate(k, [hll.hll_add("h", ["a"], 8)])
    with pytest.raises(error):
        client.operate(k, [make()])


def test_more_than_two_sketches_need_matching_minhash_bits(client, key):
    k = key("many")
    keys = [key("m%d" % i) for i in range(4)]
    for i, kk in enumerate(keys):
        client.operate(kk, [hll.hll_add("mh", AMY[i * 50:i * 50 + 300], 10, 8),
                            hll.hll_add("plain", AMY[i * 50:i * 50 + 300], 10)])
    mh = [client.get(kk)[2]["mh"] for kk in keys[1:]]
    plain = [client.get(kk)[2]["plain"] for kk in keys[1:]]
    assert results(client, keys[0], [hll.hll_get_intersect_count("mh", mh),
                                     hll.hll_get_similarity("mh", mh)]) == [147, 0.33055555555555555]
    # true values: 150 shared of 450
    with pytest.raises(ex.InvalidRequest):
        client.operate(keys[0], [hll.hll_get_intersect_count("mh", plain)])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(keys[0], [hll.hll_get_similarity("plain", mh)])


def test_similarity_of_empty_sketches(client, key):
    k = key("empty")
    client.operate(k, [hll.hll_init("a", 8, 8), hll.hll_init("b", 8, 8), hll.hll_add("c", ["z"], 8, 8)])
    a, c = hlls(client, k, "a", "c")
    assert math.isnan(one(client, k, hll.hll_get_similarity("b", [a])))
    assert one(client, k, hll.hll_get_similarity("b", [c])) == 0.0
    assert one(client, k, hll.hll_get_intersect_count("b", [a])) == 0
