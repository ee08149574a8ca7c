"""AS_MSG header, fields and ops (framing.md §3-§5, §10)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikewire import (MAX_BIN_NAME, MSG_HEADER_SIZE, PROTO_HEADER_SIZE, READ_OPS, FieldType,
                            Info1, Info2, Info3, Info4, MalformedMessage, Message, Op, OpType,
                            ProtoType, ResultCode, compute_digest, iter_messages, parse_message,
                            signed32, unpack_proto_header)

from .strategies import MESSAGES, OPS

#: framing.md §10, byte for byte: get all bins of test/demo/"key1", timeout 1000 ms.
WORKED_EXAMPLE_HEX = (
    "0203000000000041"
    "16" "03000000" "00" "00000000" "00000000" "000003e8" "0003" "0000"
    "000000050074657374"
    "000000050164656d6f"
    "0000001504" "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960"
)


def _sample() -> Message:
    return Message(info1=Info1.READ, info2=Info2.WRITE, info3=Info3.LAST, generation=7,
                   record_ttl=100, transaction_ttl=1000,
                   fields=[(FieldType.NAMESPACE, b"test"), (FieldType.SET, b"demo"),
                           (FieldType.DIGEST, bytes(range(20)))],
                   ops=[Op(OpType.WRITE, 3, "bin", b"value"), Op(OpType.READ, 0, "", b""),
                        Op(OpType.TOUCH), Op(OpType.WRITE, 1, "n", (5).to_bytes(8, "big"))])


# -- constants --------------------------------------------------------------------------------

def test_constants_and_enums():
    assert MSG_HEADER_SIZE == 22
    assert MAX_BIN_NAME == 15
    assert (Info1.READ, Info1.GET_ALL, Info1.SHORT_QUERY, Info1.BATCH, Info1.XDR,
            Info1.GET_NO_BINS, Info1.READ_MODE_AP_ALL, Info1.COMPRESS_RESPONSE) == (
        0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
    assert (Info2.WRITE, Info2.DELETE, Info2.GENERATION, Info2.GENERATION_GT,
            Info2.DURABLE_DELETE, Info2.CREATE_ONLY, Info2.RELAX_AP_LONG_QUERY,
            Info2.RESPOND_ALL_OPS) == (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
    assert (Info3.LAST, Info3.COMMIT_MASTER, Info3.PARTITION_DONE, Info3.UPDATE_ONLY,
            Info3.CREATE_OR_REPLACE, Info3.REPLACE_ONLY, Info3.SC_READ_TYPE,
            Info3.SC_READ_RELAX) == (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
    assert (Info4.MRT_VERIFY_READ, Info4.MRT_ROLL_FORWARD, Info4.MRT_ROLL_BACK,
            Info4.MRT_ON_LOCKING_ONLY) == (0x01, 0x02, 0x04, 0x10)
    assert {f.name: f.value for f in FieldType} == {
        "NAMESPACE": 0, "SET": 1, "KEY": 2, "RECORD_VERSION": 3, "DIGEST": 4, "MRT_ID": 5,
        "MRT_DEADLINE": 6, "TRID": 7, "SOCKET_TIMEOUT": 9, "RECS_PER_SEC": 10, "PID_ARRAY": 11,
        "DIGEST_ARRAY": 12, "MAX_RECORDS": 13, "LUT": 14, "BVAL_ARRAY": 15, "INDEX_NAME": 21,
        "INDEX_RANGE": 22, "INDEX_CONTEXT": 23, "INDEX_EXPRESSION": 24, "INDEX_TYPE": 26,
        "UDF_FILENAME": 30, "UDF_FUNCTION": 31, "UDF_ARGLIST": 32, "UDF_OP": 33,
        "QUERY_BINLIST": 40, "BATCH_INDEX": 41, "BATCH_INDEX_WITH_SET": 42,
        "FILTER_EXPRESSION": 43}
    assert {o.name: o.value for o in OpType} == {
        "READ": 1, "WRITE": 2, "CDT_READ": 3, "CDT_MODIFY": 4, "INCR": 5, "EXP_READ": 7,
        "EXP_MODIFY": 8, "APPEND": 9, "PREPEND": 10, "TOUCH": 11, "BIT_READ": 12,
        "BIT_MODIFY": 13, "DELETE": 14, "HLL_READ": 15, "HLL_MODIFY": 16,
        "STRING_READ": 17, "STRING_MODIFY": 18, "TO_STRING": 19}
    assert READ_OPS == {1, 3, 7, 12, 15}


def test_signed32():
    assert signed32(0) == 0
    assert signed32(0x7FFFFFFF) == 0x7FFFFFFF
    assert signed32(0x80000000) == -(1 << 31)
    assert signed32(0xFFFFFFFE) == -2
    assert signed32(0xFFFFFFFF) == -1


# -- encoding -----------------------------------------------------------------------------------

def test_worked_example_byte_for_byte():
    digest = compute_digest("demo", "key1")
    msg = Message(info1=Info1.READ | Info1.GET_ALL, transaction_ttl=1000,
                  fields=[(FieldType.NAMESPACE, b"test"), (FieldType.SET, b"demo"),
                          (FieldType.DIGEST, digest)])
    expected = bytes.fromhex(WORKED_EXAMPLE_HEX)
    assert len(expected) == 73
    assert msg.to_proto() == expected
    assert msg.encode() == expected[PROTO_HEADER_SIZE:]
    parsed, end = parse_message(expected, PROTO_HEADER_SIZE)
    assert end == len(expected)
    assert parsed == msg
    assert parsed.field(FieldType.DIGEST) == digest


def test_encode_layout():
    msg = Message(info1=0x11, info2=0x22, info3=0x33, info4=0x44, result_code=0x55,
                  generation=0x01020304, record_ttl=0x05060708, transaction_ttl=0x090A0B0C,
                  fields=[(7, b"ab")], ops=[Op(2, 3, "bn", b"xyz")])
    data = msg.encode()
    assert data[:MSG_HEADER_SIZE] == bytes.fromhex("16 11 22 33 44 55 01020304 05060708 090a0b0c 0001 0001")
    # Field: size counts the type byte plus data.
    assert data[22:29] == bytes.fromhex("00000003 07") + b"ab"
    # Op: size = 4 + name_len + value_len; then op, particle type, flags 0, name_len.
    assert data[29:] == bytes.fromhex("00000009 02 03 00 02") + b"bn" + b"xyz"
    assert msg.ops[0].encoded_size() == len(data) - 29


def test_encode_negative_header_values_as_unsigned():
    msg = Message(generation=-1, record_ttl=-2, transaction_ttl=-(1 << 31))
    data = msg.encode()
    assert data[6:10] == b"\xff\xff\xff\xff"
    assert data[10:14] == b"\xff\xff\xff\xfe"
    assert data[14:18] == b"\x80\x00\x00\x00"
    parsed, _ = parse_message(data)
    assert (parsed.generation, parsed.record_ttl, parsed.transaction_ttl) == (
        0xFFFFFFFF, 0xFFFFFFFE, 0x80000000)
    assert signed32(parsed.record_ttl) == -2


def test_to_proto_frames_as_type_3():
    msg = _sample()
    proto = msg.to_proto()
    assert unpack_proto_header(proto) == (2, ProtoType.AS_MSG, len(msg.encode()))
    assert proto[PROTO_HEADER_SIZE:] == msg.encode()


def test_utf8_bin_name_counts_bytes():
    op = Op(OpType.WRITE, 3, "é" * 7, b"v")   # 14 bytes of name
    data = Message(ops=[op]).encode()
    assert data[22 + 7] == 14
    assert op.encoded_size() == 8 + 14 + 1
    assert parse_message(data)[0].ops == [op]


def test_message_helpers():
    msg = _sample()
    assert msg.field(FieldType.SET) == b"demo"
    assert msg.field(FieldType.KEY) is None
    dup = Message(fields=[(1, b"first"), (1, b"second")])
    assert dup.field(1) == b"first"
    assert Message() == Message(fields=[], ops=[])
    assert Message() != Message(info1=1)
    assert Message() != "Message()"
    assert Op(1) == Op(1, 0, "", b"")
    assert Op(1) != Op(2)
    assert Op(1) != (1, 0, "", b"")
    assert "Message(" in repr(msg) and "Op(" in repr(msg.ops[0])


# -- round trips --------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(msg=MESSAGES)
def test_encode_parse_round_trip(msg):
    data = msg.encode()
    parsed, end = parse_message(data)
    assert end == len(data)
    assert parsed == msg
    assert parsed.encode() == data


@settings(max_examples=100, deadline=None)
@given(msg=MESSAGES, prefix=st.binary(max_size=30), suffix=st.binary(max_size=30))
def test_parse_at_offset_within_a_larger_buffer(msg, prefix, suffix):
    data = msg.encode()
    buf = prefix + data + suffix
    parsed, end = parse_message(buf, len(prefix), len(prefix) + len(data))
    assert (parsed, end) == (msg, len(prefix) + len(data))
    # Without `end` the trailing bytes are simply not consumed.
    parsed, end = parse_message(memoryview(buf), len(prefix))
    assert (parsed, end) == (msg, len(prefix) + len(data))


@settings(max_examples=100, deadline=None)
@given(msgs=st.lists(MESSAGES, max_size=6))
def test_iter_messages(msgs):
    buf = b"".join(m.encode() for m in msgs)
    assert list(iter_messages(buf)) == msgs
    assert list(iter_messages(memoryview(buf))) == msgs


def test_iter_messages_empty_and_truncated_tail():
    assert list(iter_messages(b"")) == []
    first, second = _sample(), Message(info3=Info3.LAST, result_code=ResultCode.KEY_NOT_FOUND)
    buf = first.encode() + second.encode()
    assert list(iter_messages(buf)) == [first, second]
    it = iter_messages(buf[:-1])
    assert next(it) == first
    with pytest.raises(MalformedMessage):
        next(it)


# -- rejection ----------------------------------------------------------------------------------

def _assert_every_truncation_rejected(data: bytes) -> None:
    for size in range(len(data)):
        with pytest.raises(MalformedMessage):
            parse_message(data[:size])
        with pytest.raises(MalformedMessage):
            parse_message(data, 0, size)


def test_every_truncation_of_a_valid_message_is_rejected():
    _assert_every_truncation_rejected(_sample().encode())
    _assert_every_truncation_rejected(bytes.fromhex(WORKED_EXAMPLE_HEX)[PROTO_HEADER_SIZE:])


@settings(max_examples=60, deadline=None)
@given(msg=MESSAGES)
def test_every_truncation_of_a_random_message_is_rejected(msg):
    _assert_every_truncation_rejected(msg.encode())


@pytest.mark.parametrize("header_sz", [0, 1, 8, 21, 23, 30, 255])
def test_wrong_header_sz(header_sz):
    data = bytearray(_sample().encode())
    data[0] = header_sz
    with pytest.raises(MalformedMessage):
        parse_message(bytes(data))


def test_field_size_zero():
    data = Message().encode()[:18] + struct.pack(">HH", 1, 0) + struct.pack(">IB", 0, 0) + b"\0" * 8
    with pytest.raises(MalformedMessage):
        parse_message(data)


def _header(n_fields: int, n_ops: int) -> bytes:
    return Message().encode()[:18] + struct.pack(">HH", n_fields, n_ops)


def test_field_overrunning_the_message():
    # Declares 10 bytes (type + 9 data) but only 5 data bytes follow.
    data = _header(1, 0) + struct.pack(">IB", 10, 0) + b"12345"
    with pytest.raises(MalformedMessage):
        parse_message(data)
    # Fits the buffer but not the `end` given.
    data = _header(1, 0) + struct.pack(">IB", 6, 0) + b"12345"
    assert parse_message(data)[0].fields == [(0, b"12345")]
    with pytest.raises(MalformedMessage):
        parse_message(data, 0, len(data) - 1)
    # A huge declared size.
    with pytest.raises(MalformedMessage):
        parse_message(_header(1, 0) + struct.pack(">IB", 0xFFFFFFFF, 0) + b"x" * 64)


def test_more_fields_or_ops_declared_than_present():
    with pytest.raises(MalformedMessage):
        parse_message(_header(2, 0) + struct.pack(">IB", 2, 0) + b"a")
    with pytest.raises(MalformedMessage):
        parse_message(_header(0, 2) + struct.pack(">IBBBB", 4, 1, 0, 0, 0))
    with pytest.raises(MalformedMessage):
        parse_message(_header(0xFFFF, 0xFFFF))


def test_op_overrunning_the_message():
    # op_sz claims 4 + 2 (name) + 10 (value) but only 3 value bytes follow.
    data = _header(0, 1) + struct.pack(">IBBBB", 16, 2, 3, 0, 2) + b"ab" + b"xyz"
    with pytest.raises(MalformedMessage):
        parse_message(data)
    with pytest.raises(MalformedMessage):
        parse_message(_header(0, 1) + struct.pack(">IBBBB", 0xFFFFFFFF, 2, 3, 0, 0) + b"x" * 64)


@pytest.mark.parametrize("op_sz", [0, 1, 3, 4, 5])
def test_op_size_smaller_than_its_name(op_sz):
    # name_len 2 needs op_sz >= 6; anything smaller is inconsistent even when bytes follow.
    data = _header(0, 1) + struct.pack(">IBBBB", op_sz, 2, 3, 0, 2) + b"ab" + b"\0" * 20
    with pytest.raises(MalformedMessage):
        parse_message(data)


def test_op_name_not_utf8():
    data = _header(0, 1) + struct.pack(">IBBBB", 6, 2, 3, 0, 2) + b"\xff\xfe"
    with pytest.raises(MalformedMessage):
        parse_message(data)


def test_op_name_overrunning_the_message():
    data = _header(0, 1) + struct.pack(">IBBBB", 4 + 200, 1, 0, 0, 200) + b"ab"
    with pytest.raises(MalformedMessage):
        parse_message(data)


@settings(max_examples=500, deadline=None)
@given(data=st.binary(max_size=120))
def test_random_bytes_raise_only_malformed_message(data):
    try:
        msg, end = parse_message(data)
    except MalformedMessage as exc:
        assert exc.code == ResultCode.PARAMETER
    else:
        assert MSG_HEADER_SIZE <= end <= len(data)
        assert parse_message(msg.encode()) == (msg, len(msg.encode()))


@settings(max_examples=300, deadline=None)
@given(tail=st.binary(max_size=100), n_fields=st.integers(0, 4), n_ops=st.integers(0, 4))
def test_random_bodies_after_a_valid_header_raise_only_malformed_message(tail, n_fields, n_ops):
    data = _header(n_fields, n_ops) + tail
    try:
        msg, end = parse_message(data)
    except MalformedMessage:
        return
    assert (len(msg.fields), len(msg.ops)) == (n_fields, n_ops)
    assert end <= len(data)


@settings(max_examples=150, deadline=None)
@given(msg=MESSAGES, data=st.data())
def test_corrupted_valid_messages_raise_only_malformed_message(msg, data):
    raw = bytearray(msg.encode())
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(raw) - 1))
        raw[index] = data.draw(st.integers(0, 255))
    try:
        parsed, end = parse_message(bytes(raw))
    except MalformedMessage:
        return
    assert end <= len(raw)
    assert isinstance(parsed, Message)


@settings(max_examples=50, deadline=None)
@given(op=OPS)
def test_single_op_round_trip(op):
    msg = Message(ops=[op])
    parsed, _ = parse_message(msg.encode())
    assert parsed.ops == [op]
    assert len(msg.encode()) == MSG_HEADER_SIZE + op.encoded_size()
