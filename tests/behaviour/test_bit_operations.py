"""Bit operations on blob bins (aerospike_helpers.operations.bitwise_operations).

Expected values follow the Aerospike server's bit semantics: bit 0 is the most significant bit
of the first byte, negative offsets count from the end of the blob.
"""

import warnings

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import bitwise_operations as bw
from aerospike_helpers.operations import operations as op

BLOB = bytearray([0b01010101, 0b11110000, 0x0F, 0x00, 0xFF])


def policy(flags):
    return {"bit_write_flags": flags}


@pytest.fixture(autouse=True)
def _quiet_deprecations():
    # value_byte_size arguments are deprecated in the 19.x helpers but still part of the API
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


@pytest.fixture
def rec(client, key):
    k = key("bits")
    client.put(k, {"b": BLOB, "i": 7, "s": "str"})
    return k


def blob_after(client, k, ops):
    client.operate(k, ops)
    return client.get(k)[2]["b"]


def results(client, k, ops):
    return [value for _, value in client.operate_ordered(k, ops)[2]]


# -- modify ops -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        pytest.param(lambda: bw.bit_resize("b", 7), BLOB + bytes(2), id="resize-grow"),
        pytest.param(lambda: bw.bit_resize("b", 2), BLOB[:2], id="resize-shrink"),
        pytest.param(lambda: bw.bit_resize("b", 2, None, aerospike.BIT_RESIZE_FROM_FRONT), BLOB[3:],
                     id="resize-shrink-from-front"),
        pytest.param(lambda: bw.bit_resize("b", 6, None, aerospike.BIT_RESIZE_FROM_FRONT), bytes(1) + BLOB,
                     id="resize-grow-from-front"),
        pytest.param(lambda: bw.bit_resize("b", 6, None, aerospike.BIT_RESIZE_GROW_ONLY), BLOB + bytes(1),
                     id="resize-grow-only"),
        pytest.param(lambda: bw.bit_resize("b", 1, None, aerospike.BIT_RESIZE_SHRINK_ONLY), BLOB[:1],
                     id="resize-shrink-only"),
        pytest.param(lambda: bw.bit_resize("b", 0), b"", id="resize-to-zero"),
        pytest.param(lambda: bw.bit_insert("b", 1, 2, bytearray(b"\xaa\xbb")),
                     BLOB[:1] + b"\xaa\xbb" + BLOB[1:], id="insert"),
        pytest.param(lambda: bw.bit_insert("b", 7, 1, bytearray(b"\xaa")), BLOB + b"\x00\x00\xaa",
                     id="insert-past-end-pads"),
        pytest.param(lambda: bw.bit_insert("b", -1, 1, bytearray(b"\xaa")), BLOB[:4] + b"\xaa" + BLOB[4:],
                     id="insert-negative-offset"),
        pytest.param(lambda: bw.bit_remove("b", 1, 2), BLOB[:1] + BLOB[3:], id="remove"),
        pytest.param(lambda: bw.bit_remove("b", -2, 1), BLOB[:3] + BLOB[4:], id="remove-negative-offset"),
        pytest.param(lambda: bw.bit_set("b", 4, 8, 1, bytearray(b"\xab")),
                     bytearray([0b01011010, 0b10110000]) + BLOB[2:], id="set"),
        pytest.param(lambda: bw.bit_set("b", 36, 3, 1, bytearray(b"\x40")), BLOB[:4] + b"\xf5", id="set-3-bits"),
        pytest.param(lambda: bw.bit_or("b", 6, 4, 1, bytearray(b"\xf0")), bytearray([0b01010111]) + BLOB[1:],
                     id="or"),
        pytest.param(lambda: bw.bit_xor("b", 0, 16, 2, bytearray(b"\xff\xff")),
                     bytearray([0b10101010, 0b00001111]) + BLOB[2:], id="xor"),
        pytest.param(lambda: bw.bit_and("b", 8, 8, 1, bytearray(b"\x3c")),
                     BLOB[:1] + bytearray([0b00110000]) + BLOB[2:], id="and"),
        pytest.param(lambda: bw.bit_not("b", -8, 4), BLOB[:4] + b"\x0f", id="not-negative-offset"),
        pytest.param(lambda: bw.bit_not("b", 0, 40), bytearray(x ^ 0xFF for x in BLOB), id="not-all"),
        pytest.param(lambda: bw.bit_lshift("b", 8, 16, 3), BLOB[:1] + bytearray([0b10000000, 0x78]) + BLOB[3:],
                     id="lshift"),
        pytest.param(lambda: bw.bit_rshift("b", 0, 8, 2), bytearray([0b00010101]) + BLOB[1:], id="rshift"),
        pytest.param(lambda: bw.bit_rshift("b", 28, 12, 4), BLOB[:3] + b"\x00\x0f", id="rshift-across-bytes"),
        pytest.param(lambda: bw.bit_lshift("b", 0, 8, 9), bytearray([0]) + BLOB[1:], id="lshift-everything-out"),
        pytest.param(lambda: bw.bit_add("b", 24, 8, 5, False, aerospike.BIT_OVERFLOW_FAIL), BLOB[:3] + b"\x05\xff",
                     id="add"),
        pytest.param(lambda: bw.bit_add("b", 32, 8, 1, False, aerospike.BIT_OVERFLOW_WRAP), BLOB[:4] + b"\x00",
                     id="add-wrap"),
        pytest.param(lambda: bw.bit_add("b", 32, 8, 1, False, aerospike.BIT_OVERFLOW_SATURATE), BLOB,
                     id="add-saturate"),
        pytest.param(lambda: bw.bit_add("b", 32, 8, 1, True, aerospike.BIT_OVERFLOW_FAIL), BLOB[:4] + b"\x00",
                     id="add-signed"),
        pytest.param(lambda: bw.bit_add("b", 12, 8, 0x7F, True, aerospike.BIT_OVERFLOW_SATURATE),
                     BLOB[:1] + b"\xf7\xff" + BLOB[3:], id="add-signed-saturate"),
        pytest.param(lambda: bw.bit_subtract("b", 24, 8, 1, False, aerospike.BIT_OVERFLOW_SATURATE), BLOB,
                     id="subtract-saturate"),
        pytest.param(lambda: bw.bit_subtract("b", 24, 8, 1, False, aerospike.BIT_OVERFLOW_WRAP),
                     BLOB[:3] + b"\xff\xff", id="subtract-wrap"),
        pytest.param(lambda: bw.bit_subtract("b", 24, 8, 1, True, aerospike.BIT_OVERFLOW_FAIL),
                     BLOB[:3] + b"\xff\xff", id="subtract-signed"),
        pytest.param(lambda: bw.bit_subtract("b", 0, 4, 3, False, aerospike.BIT_OVERFLOW_FAIL),
                     bytearray([0b00100101]) + BLOB[1:], id="subtract-4-bits"),
        pytest.param(lambda: bw.bit_set_int("b", 4, 12, 0xABC), bytearray([0x5A, 0xBC]) + BLOB[2:], id="set-int"),
        pytest.param(lambda: bw.bit_set_int("b", 24, 8, -1), BLOB[:3] + b"\xff\xff", id="set-int-negative"),
        pytest.param(lambda: bw.bit_set_int("b", 0, 40, 0x0102030405), b"\x01\x02\x03\x04\x05", id="set-int-40-bits"),
    ],
)
def test_modify(client, rec, make, expected):
    assert blob_after(client, rec, [make()]) == bytes(expected)


def test_modify_ops_return_nothing(client, rec):
    # the client asks for a result per op: a modify op's is None
    _, _, bins = client.operate(rec, [bw.bit_not("b", 0, 8)])
    assert bins == {"b": None}


def test_resize_and_insert_create_the_bin(client, key):
    k = key("new")
    client.operate(k, [bw.bit_resize("r", 3), bw.bit_insert("n", 2, 1, bytearray(b"\x01"))])
    assert client.get(k)[2] == {"r": b"\x00\x00\x00", "n": b"\x00\x00\x01"}


def test_resize_to_zero_of_a_missing_bin_creates_nothing(client, rec):
    client.operate(rec, [bw.bit_resize("nope", 0)])
    assert "nope" not in client.get(rec)[2]


# -- read ops ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        pytest.param(lambda: bw.bit_get("b", 0, 40), bytes(BLOB), id="get-all"),
        pytest.param(lambda: bw.bit_get("b", 4, 8), bytes([0b01011111]), id="get-unaligned"),
        pytest.param(lambda: bw.bit_get("b", 3, 5), bytes([0b10101000]), id="get-5-bits"),
        pytest.param(lambda: bw.bit_get("b", -12, 12), bytes([0x0F, 0xF0]), id="get-negative-offset"),
        pytest.param(lambda: bw.bit_count("b", 0, 40), 20, id="count-all"),
        pytest.param(lambda: bw.bit_count("b", 3, 9), 7, id="count-range"),
        pytest.param(lambda: bw.bit_lscan("b", 0, 40, True), 1, id="lscan-true"),
        pytest.param(lambda: bw.bit_lscan("b", 8, 16, False), 4, id="lscan-false"),
        pytest.param(lambda: bw.bit_lscan("b", 24, 8, True), -1, id="lscan-not-found"),
        pytest.param(lambda: bw.bit_rscan("b", 0, 40, False), 31, id="rscan-false"),
        pytest.param(lambda: bw.bit_rscan("b", 0, 24, True), 23, id="rscan-true"),
        pytest.param(lambda: bw.bit_rscan("b", 24, 8, True), -1, id="rscan-not-found"),
        # the server's rscan also sees the bits of the range's first byte before the range
        pytest.param(lambda: bw.bit_rscan("b", 20, 4, False), -1, id="rscan-head-bit"),
        pytest.param(lambda: bw.bit_rscan("b", 12, 4, True), -1, id="rscan-head-bits-set"),
        pytest.param(lambda: bw.bit_rscan("b", 14, 2, True), -3, id="rscan-head-nearest"),
        pytest.param(lambda: bw.bit_get_int("b", 8, 8, False), 0xF0, id="get-int"),
        pytest.param(lambda: bw.bit_get_int("b", 8, 8, True), -16, id="get-int-signed"),
        pytest.param(lambda: bw.bit_get_int("b", 4, 12, False), 0x5F0, id="get-int-12-bits"),
        pytest.param(lambda: bw.bit_get_int("b", 0, 40, False), 0x55F00F00FF, id="get-int-40-bits"),
        pytest.param(lambda: bw.bit_get_int("b", 32, 8, True), -1, id="get-int-minus-one"),
    ],
)
def test_read(client, rec, make, expected):
    assert results(client, rec, [make()]) == [expected]


def test_rscan_answers_negative_index_from_head_bits(client, key):
    # 0x80: bit 0 set; a scan of bits 2..7 finds nothing in the range but reports bit 0 as -2
    k = key("head")
    client.put(k, {"b": bytearray(b"\x80\x00")})
    assert results(client, k, [bw.bit_rscan("b", 2, 6, True), bw.bit_rscan("b", 7, 9, True),
                               bw.bit_lscan("b", 2, 6, True)]) == [-2, -7, -1]


def test_get_int_64_bits(client, key):
    k = key("wide")
    client.put(k, {"b": bytearray(b"\xff" * 8 + b"\x80")})
    assert results(client, k, [bw.bit_get_int("b", 0, 64, False), bw.bit_get_int("b", 1, 64, True),
                               bw.bit_get_int("b", 8, 64, False)]) == [-1, -1, -128]


def test_reads_and_writes_in_order(client, rec):
    ops = [
        bw.bit_get("b", 0, 8),
        bw.bit_not("b", 0, 8),
        bw.bit_get("b", 0, 8),
        bw.bit_add("b", 0, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL),
        bw.bit_get_int("b", 0, 8, False),
        bw.bit_count("b", 0, 8),
    ]
    assert results(client, rec, ops) == [b"\x55", None, b"\xaa", None, 0xAB, 5]


def test_read_of_missing_bin_answers_none(client, rec):
    # bit reads make the client ask for every op's result; a missing bin's is None
    _, _, bins = client.operate(rec, [bw.bit_get("nope", 0, 8), op.read("i")])
    assert bins == {"nope": None, "i": 7}


def test_read_of_missing_bin_in_a_write(client, rec):
    _, _, bins = client.operate(rec, [bw.bit_get("nope", 0, 8), op.write("w", 1)])
    assert bins == {"nope": None, "w": None}


def test_generation_bumps_once_per_operate(client, rec):
    client.operate(rec, [bw.bit_not("b", 0, 8), bw.bit_not("b", 0, 8)])
    _, meta, bins = client.get(rec)
    assert meta["gen"] == 2 and bins["b"] == bytes(BLOB)


# -- policies ---------------------------------------------------------------------------------


def test_create_only(client, rec, key):
    with pytest.raises(ex.BinExistsError):
        client.operate(rec, [bw.bit_resize("b", 8, policy(aerospike.BIT_WRITE_CREATE_ONLY))])
    client.operate(rec, [bw.bit_resize("b", 8, policy(aerospike.BIT_WRITE_CREATE_ONLY | aerospike.BIT_WRITE_NO_FAIL))])
    assert client.get(rec)[2]["b"] == bytes(BLOB)
    client.operate(rec, [bw.bit_insert("c", 0, 1, bytearray(b"\x01"), policy(aerospike.BIT_WRITE_CREATE_ONLY))])
    assert client.get(rec)[2]["c"] == b"\x01"
    # CREATE_ONLY is checked before the bin's type
    with pytest.raises(ex.BinExistsError):
        client.operate(rec, [bw.bit_resize("i", 8, policy(aerospike.BIT_WRITE_CREATE_ONLY))])


def test_update_only(client, rec):
    with pytest.raises(ex.BinNotFound):
        client.operate(rec, [bw.bit_resize("new", 8, policy(aerospike.BIT_WRITE_UPDATE_ONLY))])
    client.operate(rec, [bw.bit_resize("new", 8, policy(aerospike.BIT_WRITE_UPDATE_ONLY | aerospike.BIT_WRITE_NO_FAIL))])
    assert "new" not in client.get(rec)[2]
    client.operate(rec, [bw.bit_resize("b", 6, policy(aerospike.BIT_WRITE_UPDATE_ONLY))])
    assert client.get(rec)[2]["b"] == bytes(BLOB) + b"\x00"


def test_ops_other_than_insert_and_resize_need_the_bin(client, rec):
    with pytest.raises(ex.BinNotFound):
        client.operate(rec, [bw.bit_set("new", 0, 8, 1, bytearray(b"\x01"))])
    client.operate(rec, [bw.bit_set("new", 0, 8, 1, bytearray(b"\x01"), policy(aerospike.BIT_WRITE_NO_FAIL))])
    assert "new" not in client.get(rec)[2]


def test_bit_op_on_missing_record(client, key):
    k = key("absent")
    with pytest.raises(ex.BinNotFound):
        client.operate(k, [bw.bit_not("b", 0, 8)])
    client.operate(k, [bw.bit_insert("b", 0, 1, bytearray(b"\x07"))])
    assert client.get(k)[2] == {"b": b"\x07"}


def test_partial(client, rec):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [bw.bit_not("b", 36, 8)])
    client.operate(rec, [bw.bit_not("b", 36, 8, policy(aerospike.BIT_WRITE_PARTIAL))])
    assert client.get(rec)[2]["b"] == bytes(BLOB[:4]) + b"\xf0"
    with pytest.raises(ex.InvalidRequest):
        client.operate(rec, [bw.bit_remove("b", 3, 5)])
    client.operate(rec, [bw.bit_remove("b", 3, 5, policy(aerospike.BIT_WRITE_PARTIAL))])
    assert client.get(rec)[2]["b"] == bytes(BLOB[:3])


def test_no_fail_swallows_range_errors(client, rec):
    flags = policy(aerospike.BIT_WRITE_NO_FAIL)
    client.operate(rec, [
        bw.bit_set("b", 80, 8, 1, bytearray(b"\x01"), flags),
        bw.bit_add("b", 32, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL, flags),
        bw.bit_remove("b", 9, 1, flags),
        bw.bit_resize("b", 9, flags, aerospike.BIT_RESIZE_SHRINK_ONLY),
        bw.bit_not("b", 0, 4, flags),
    ])
    assert client.get(rec)[2]["b"] == bytes([0b10100101]) + bytes(BLOB[1:])


@pytest.mark.parametrize(
    "make, error",
    [
        pytest.param(lambda: bw.bit_set("b", 40, 8, 1, bytearray(b"\x01")), ex.OpNotApplicable, id="set-past-end"),
        pytest.param(lambda: bw.bit_lshift("b", 36, 8, 1), ex.OpNotApplicable, id="shift-too-large"),
        pytest.param(lambda: bw.bit_add("b", 32, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL), ex.OpNotApplicable,
                     id="add-overflow"),
        pytest.param(lambda: bw.bit_subtract("b", 24, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL),
                     ex.OpNotApplicable, id="subtract-underflow"),
        pytest.param(lambda: bw.bit_add("b", 32, 8, 0x80, True, aerospike.BIT_OVERFLOW_FAIL), ex.OpNotApplicable,
                     id="add-signed-overflow-negative"),
        pytest.param(lambda: bw.bit_add("b", 36, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL), ex.OpNotApplicable,
                     id="add-past-end"),
        pytest.param(lambda: bw.bit_add("b", 36, 8, 1, False, aerospike.BIT_OVERFLOW_FAIL,
                                        policy(aerospike.BIT_WRITE_PARTIAL)), ex.InvalidRequest, id="add-partial"),
        pytest.param(lambda: bw.bit_add("b", 0, 65, 1, False, aerospike.BIT_OVERFLOW_FAIL), ex.InvalidRequest,
                     id="add-65-bits"),
        pytest.param(lambda: bw.bit_get("b", 40, 1), ex.OpNotApplicable, id="get-past-end"),
        pytest.param(lambda: bw.bit_get("b", 33, 8), ex.OpNotApplicable, id="get-too-long"),
        pytest.param(lambda: bw.bit_get("b", -41, 8), ex.InvalidRequest, id="get-before-start"),
        pytest.param(lambda: bw.bit_get("b", 0, 0), ex.InvalidRequest, id="get-zero-bits"),
        pytest.param(lambda: bw.bit_get_int("b", 0, 65, False), ex.InvalidRequest, id="get-int-65-bits"),
        pytest.param(lambda: bw.bit_set("b", 0, 16, 1, bytearray(b"\x01")), ex.InvalidRequest,
                     id="set-value-too-short"),
        pytest.param(lambda: bw.bit_remove("b", 5, 1), ex.InvalidRequest, id="remove-past-end"),
        pytest.param(lambda: bw.bit_remove("b", 0, 0), ex.InvalidRequest, id="remove-zero"),
        pytest.param(lambda: bw.bit_resize("b", 1, None, aerospike.BIT_RESIZE_GROW_ONLY), ex.InvalidRequest,
                     id="resize-grow-only-shrinks"),
        pytest.param(lambda: bw.bit_resize("b", 9, None, aerospike.BIT_RESIZE_SHRINK_ONLY), ex.InvalidRequest,
                     id="resize-shrink-only-grows"),
        pytest.param(lambda: bw.bit_resize("b", 9, policy(aerospike.BIT_WRITE_PARTIAL)), ex.InvalidRequest,
                     id="resize-partial-flag"),
        pytest.param(lambda: bw.bit_set("b", 0, 8, 1, bytearray(b"\x01"), policy(aerospike.BIT_WRITE_CREATE_ONLY)),
                     ex.InvalidRequest, id="set-create-only-flag"),
        pytest.param(lambda: bw.bit_resize("b", 9, policy(aerospike.BIT_WRITE_CREATE_ONLY |
                                                         aerospike.BIT_WRITE_UPDATE_ONLY)),
                     ex.InvalidRequest, id="create-and-update-only"),
        pytest.param(lambda: bw.bit_not("i", 0, 8), ex.BinIncompatibleType, id="integer-bin"),
        pytest.param(lambda: bw.bit_get("s", 0, 8), ex.BinIncompatibleType, id="string-bin-read"),
    ],
)
def test_errors(client, rec, make, error):
    with pytest.raises(error):
        client.operate(rec, [make()])
    assert client.get(rec)[2]["b"] == bytes(BLOB)


def test_failed_op_leaves_the_record_untouched(client, rec):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [bw.bit_not("b", 0, 8), op.write("x", 1), bw.bit_get("b", 99, 1)])
    _, meta, bins = client.get(rec)
    assert meta["gen"] == 1 and bins == {"b": bytes(BLOB), "i": 7, "s": "str"}
