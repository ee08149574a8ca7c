"""Unit tests of spikelite.binops.bits: every bit op against a simple model (a list of bits and
Python integers), the server's error codes and flags, and its documented quirks."""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite import wire
from spikelite.binops import bits
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode

BIN = "b"


# -- helpers ----------------------------------------------------------------------------------


def payload(*args) -> bytes:
    return wire.pack_value(list(args))


def modify(blob: bytes | None, *args, ptype=ParticleType.BLOB):
    """Apply a modify op; returns the new bin bytes (None: no bin)."""
    bins = {} if blob is None else {BIN: (ptype, blob)}
    result = bits.apply(Op(OpType.BIT_MODIFY, ParticleType.BLOB, BIN, payload(*args)), bins)
    assert result is None
    value = bins.get(BIN)
    if value is None:
        return None
    if value[1] != blob:
        assert value[0] == ParticleType.BLOB
    return value[1]


def read(blob: bytes, *args, ptype=ParticleType.BLOB):
    result = bits.apply(Op(OpType.BIT_READ, ParticleType.BLOB, BIN, payload(*args)), {BIN: (ptype, blob)})
    if result.particle_type == ParticleType.INTEGER:
        return struct.unpack(">q", result.value)[0]
    assert result.particle_type == ParticleType.BLOB
    return result.value


def code_of(fn, *args, **kwargs) -> int:
    with pytest.raises(AerospikeWireError) as info:
        fn(*args, **kwargs)
    return info.value.code


# -- model ------------------------------------------------------------------------------------


def to_bits(blob: bytes) -> list[int]:
    return [(byte >> (7 - i)) & 1 for byte in blob for i in range(8)]


def from_bits(b: list[int]) -> bytes:
    assert len(b) % 8 == 0
    return bytes(int("".join(map(str, b[i:i + 8])), 2) for i in range(0, len(b), 8))


def model_range(blob: bytes, code: int, offset: int, size: int, arg=None, flags=0):
    """Expected blob after set/or/xor/and/not/lshift/rshift, or an error code, or 'skip'."""
    b = to_bits(blob)
    n = len(b)
    if offset < 0:
        if -offset > n:
            return ResultCode.PARAMETER
        offset += n
    fail = "skip" if flags & bits.NO_FAIL else ResultCode.OP_NOT_APPLICABLE
    if offset // 8 >= len(blob):
        return fail
    if offset + size > n:
        if not flags & bits.PARTIAL:
            return fail
        size = n - offset
    seg = b[offset:offset + size]
    if code in (bits.SET, bits.OR, bits.XOR, bits.AND):
        operand = to_bits(arg)[:size]
        if code == bits.SET:
            seg = operand
        elif code == bits.OR:
            seg = [x | y for x, y in zip(seg, operand)]
        elif code == bits.XOR:
            seg = [x ^ y for x, y in zip(seg, operand)]
        else:
            seg = [x & y for x, y in zip(seg, operand)]
    elif code == bits.NOT:
        seg = [1 - x for x in seg]
    elif code == bits.LSHIFT:
        seg = (seg[arg:] + [0] * arg)[:size]
    elif code == bits.RSHIFT:
        seg = ([0] * arg + seg)[:size]
    b[offset:offset + size] = seg
    return from_bits(b)


def as_signed(v: int, n: int) -> int:
    return v - (1 << n) if v >> (n - 1) & 1 else v


def model_integer(blob: bytes, code: int, offset: int, size: int, value: int, flags=0, subflags=0):
    b = to_bits(blob)
    n = len(b)
    if offset < 0:
        if -offset > n:
            return ResultCode.PARAMETER
        offset += n
    if offset + size > n:
        return "skip" if flags & bits.NO_FAIL else ResultCode.OP_NOT_APPLICABLE
    mask = (1 << size) - 1
    load = int("".join(map(str, b[offset:offset + size])), 2)
    v = value & mask
    if code == bits.SET_INT:
        result = v
    else:
        result = (load + v if code == bits.ADD else load - v) & mask
        if not subflags & bits.WRAP:
            overflow = None
            if subflags & bits.SIGNED:
                sl = as_signed(load, size)
                sv = as_signed(v if code == bits.ADD else (-v) & mask, size)
                sr = as_signed(result, size)
                if sl < 0 and sv < 0 and sr > 0:
                    overflow = 1 << (size - 1)
                elif sl > 0 and sv > 0 and sr < 0:
                    overflow = mask >> 1
            elif code == bits.ADD and load + v > mask:
                overflow = mask
            elif code == bits.SUBTRACT and load - v < 0:
                overflow = 0
            if overflow is not None:
                if not subflags & bits.SATURATE:
                    return "skip" if flags & bits.NO_FAIL else ResultCode.OP_NOT_APPLICABLE
                result = overflow
    b[offset:offset + size] = [int(c) for c in format(result, "0%db" % size)]
    return from_bits(b)


def run_modify(blob, *args):
    try:
        new = modify(blob, *args)
    except AerospikeWireError as exc:
        return exc.code
    return "skip" if new == blob else new


# -- property tests ---------------------------------------------------------------------------

blobs = st.binary(min_size=1, max_size=12)
range_flags = st.sampled_from([0, bits.PARTIAL, bits.NO_FAIL, bits.PARTIAL | bits.NO_FAIL])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(blob=blobs, data=st.data())
def test_range_ops_match_model(blob, data):
    n = len(blob) * 8
    code = data.draw(st.sampled_from([bits.SET, bits.OR, bits.XOR, bits.AND, bits.NOT, bits.LSHIFT, bits.RSHIFT]))
    offset = data.draw(st.integers(-n - 2, n + 10))
    size = data.draw(st.integers(1, n + 12))
    flags = data.draw(range_flags)
    args = [code, offset, size]
    arg = None
    if code in (bits.SET, bits.OR, bits.XOR, bits.AND):
        arg = data.draw(st.binary(min_size=(size + 7) // 8, max_size=(size + 7) // 8 + 2))
        args.append(arg)
    elif code in (bits.LSHIFT, bits.RSHIFT):
        arg = data.draw(st.integers(0, size + 3))
        args.append(arg)
    args.append(flags)
    expected = model_range(blob, code, offset, size, arg, flags)
    got = run_modify(blob, *args)
    if expected != "skip" and not isinstance(expected, int) and expected == blob:
        expected = "skip"
    assert got == expected


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(blob=blobs, data=st.data())
def test_integer_ops_match_model(blob, data):
    n = len(blob) * 8
    code = data.draw(st.sampled_from([bits.ADD, bits.SUBTRACT, bits.SET_INT]))
    size = data.draw(st.integers(1, 64))
    offset = data.draw(st.integers(-n, n + 4))
    value = data.draw(st.integers(0, (1 << 64) - 1) | st.integers(-(1 << 63), -1)
                      | st.integers(0, 300) | st.sampled_from([1 << (size - 1), (1 << size) - 1]))
    flags = data.draw(st.sampled_from([0, bits.NO_FAIL]))
    args = [code, offset, size, value, flags]
    subflags = 0
    if code != bits.SET_INT:
        subflags = data.draw(st.sampled_from([0, 1, 2, 3, 4, 5]))
        args.append(subflags)
    expected = model_integer(blob, code, offset, size, value, flags, subflags)
    if isinstance(expected, bytes) and expected == blob:
        expected = "skip"
    assert run_modify(blob, *args) == expected


@settings(max_examples=400)
@given(blob=blobs, data=st.data())
def test_read_ops_match_model(blob, data):
    n = len(blob) * 8
    b = to_bits(blob)
    offset = data.draw(st.integers(-n, n - 1))
    start = offset + n if offset < 0 else offset
    size = data.draw(st.integers(1, n - start))
    seg = b[start:start + size]
    assert read(blob, bits.GET, offset, size) == from_bits(seg + [0] * (-size % 8))
    assert read(blob, bits.COUNT, offset, size) == sum(seg)
    for want in (True, False):
        hits = [i for i, x in enumerate(seg) if x == want]
        assert read(blob, bits.LSCAN, offset, size, want) == (hits[0] if hits else -1)
        # rscan also sees the bits of the first byte before the range (server quirk)
        head = b[start - start % 8:start]
        more = [i - len(head) for i, x in enumerate(head + seg) if x == want]
        assert read(blob, bits.RSCAN, offset, size, want) == (more[-1] if more else -1)
    if size <= 64:
        u = int("".join(map(str, seg)), 2)
        assert read(blob, bits.GET_INT, offset, size) == as_signed(u, 64)
        assert read(blob, bits.GET_INT, offset, size, bits.SIGNED) == as_signed(u, size)


@settings(max_examples=300)
@given(blob=st.binary(max_size=10), size=st.integers(0, 14), flags=st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7]))
def test_resize_matches_model(blob, size, flags):
    got = run_modify(blob, bits.RESIZE, size, 0, flags)
    old = len(blob)
    if size < old:
        expected = "skip" if flags & bits.GROW_ONLY else (blob[old - size:] if flags & bits.FROM_FRONT else blob[:size])
    elif size > old:
        pad = bytes(size - old)
        expected = "skip" if flags & bits.SHRINK_ONLY else (pad + blob if flags & bits.FROM_FRONT else blob + pad)
    else:
        expected = "skip"
    if expected == "skip" and size != old or flags & bits.GROW_ONLY and flags & bits.SHRINK_ONLY:
        expected = ResultCode.PARAMETER
    assert got == expected


@settings(max_examples=300)
@given(blob=st.binary(max_size=10), offset=st.integers(-12, 14), value=st.binary(min_size=1, max_size=4))
def test_insert_matches_model(blob, offset, value):
    got = run_modify(blob, bits.INSERT, offset, value)
    if offset < 0:
        if -offset > len(blob):
            assert got == ResultCode.PARAMETER
            return
        offset += len(blob)
    if offset >= len(blob):
        expected = blob + bytes(offset - len(blob)) + value
    else:
        expected = blob[:offset] + value + blob[offset:]
    assert got == expected


@settings(max_examples=300)
@given(blob=st.binary(min_size=1, max_size=10), offset=st.integers(-12, 12), size=st.integers(1, 12),
       flags=st.sampled_from([0, bits.PARTIAL, bits.NO_FAIL]))
def test_remove_matches_model(blob, offset, size, flags):
    got = run_modify(blob, bits.REMOVE, offset, size, flags)
    if offset < 0:
        if -offset > len(blob):
            assert got == ResultCode.PARAMETER
            return
        offset += len(blob)
    fail = "skip" if flags & bits.NO_FAIL else ResultCode.PARAMETER
    if offset >= len(blob):
        expected = fail
    elif offset + size > len(blob):
        expected = blob[:offset] if flags & bits.PARTIAL else fail
    else:
        expected = blob[:offset] + blob[offset + size:]
    assert got == expected


# -- examples with literal results ------------------------------------------------------------


def test_examples():
    blob = bytes([0b01010101, 0b11110000, 0x0F])
    assert modify(blob, bits.SET, 4, 8, b"\xab") == bytes([0b01011010, 0b10110000, 0x0F])
    assert modify(blob, bits.OR, 6, 4, b"\xf0") == bytes([0b01010111, 0b11110000, 0x0F])
    assert modify(blob, bits.XOR, 0, 16, b"\xff\xff") == bytes([0b10101010, 0b00001111, 0x0F])
    assert modify(blob, bits.AND, 8, 8, b"\x3c") == bytes([0b01010101, 0b00110000, 0x0F])
    assert modify(blob, bits.NOT, -8, 4) == bytes([0b01010101, 0b11110000, 0xFF])
    assert modify(blob, bits.LSHIFT, 8, 16, 3) == bytes([0b01010101, 0b10000000, 0x78])
    assert modify(blob, bits.RSHIFT, 0, 8, 2) == bytes([0b00010101, 0b11110000, 0x0F])
    assert modify(blob, bits.LSHIFT, 0, 8, 8) == bytes([0, 0b11110000, 0x0F])
    assert read(blob, bits.GET, 4, 8) == bytes([0b01011111])
    assert read(blob, bits.GET, 3, 5) == bytes([0b10101000])
    assert read(blob, bits.COUNT, 0, 24) == 12
    assert read(blob, bits.LSCAN, 8, 16, False) == 4
    assert read(blob, bits.RSCAN, 0, 24, False) == 19
    assert read(blob, bits.GET_INT, 8, 8) == 0xF0
    assert read(blob, bits.GET_INT, 8, 8, bits.SIGNED) == -16
    assert read(b"\xff" * 8, bits.GET_INT, 0, 64) == -1


def test_rscan_reports_bits_before_the_range_in_its_first_byte():
    # range = bits 2..7 of 0x80 (all zero); bit 0 of that byte is set: the server answers 0 - 2
    assert read(b"\x80", bits.RSCAN, 2, 6, True) == -2
    assert read(b"\x80\x00", bits.RSCAN, 7, 9, True) == -7
    assert read(b"\x80\x00", bits.RSCAN, 10, 6, True) == -1
    assert read(b"\x80", bits.LSCAN, 2, 6, True) == -1


def test_integer_arithmetic():
    z = bytes(2)
    assert modify(z, bits.ADD, 4, 8, 300) == bytes([0x02, 0xC0])            # 300 & 0xff = 44
    assert code_of(modify, b"\xff", bits.ADD, 0, 8, 1) == ResultCode.OP_NOT_APPLICABLE
    assert modify(b"\xff", bits.ADD, 0, 8, 1, 0, bits.WRAP) == b"\x00"
    assert modify(b"\xfe", bits.ADD, 0, 8, 5, 0, bits.SATURATE) == b"\xff"
    assert modify(b"\x01", bits.SUBTRACT, 0, 8, 2, 0, bits.SATURATE) == b"\x00"
    assert code_of(modify, b"\x01", bits.SUBTRACT, 0, 8, 2) == ResultCode.OP_NOT_APPLICABLE
    assert modify(b"\x01", bits.SUBTRACT, 0, 8, 2, 0, bits.WRAP) == b"\xff"
    assert modify(b"\x7f", bits.ADD, 0, 8, 1, 0, bits.SIGNED | bits.SATURATE) == b"\x7f"
    assert code_of(modify, b"\x7f", bits.ADD, 0, 8, 1, 0, bits.SIGNED) == ResultCode.OP_NOT_APPLICABLE
    assert modify(b"\x80", bits.SUBTRACT, 0, 8, 1, 0, bits.SIGNED | bits.SATURATE) == b"\x80"
    assert modify(b"\x81", bits.ADD, 0, 8, 0xFE, 0, bits.SIGNED | bits.SATURATE) == b"\x80"   # -127 + -2
    assert modify(b"\xff", bits.ADD, 0, 8, 1, 0, bits.SIGNED) == b"\x00"                     # -1 + 1
    # quirk: -128 + -128 wraps to 0, which the server does not see as an overflow
    assert modify(b"\x80", bits.ADD, 0, 8, 0x80, 0, bits.SIGNED) == b"\x00"
    assert modify(b"\x00", bits.SET_INT, 0, 8, -1) == b"\xff"
    assert modify(b"\x00\x00", bits.SET_INT, 4, 4, 0x1234) == b"\x04\x00"
    assert modify(b"\x00", bits.ADD, 0, 8, 0, bits.NO_FAIL) == b"\x00"


def test_resize_insert_remove_examples():
    assert modify(None, bits.RESIZE, 3) == bytes(3)
    assert modify(None, bits.RESIZE, 0) is None
    assert modify(b"\x01\x02\x03", bits.RESIZE, 1) == b"\x01"
    assert modify(b"\x01\x02\x03", bits.RESIZE, 1, 0, bits.FROM_FRONT) == b"\x03"
    assert modify(b"\x01", bits.RESIZE, 3, 0, bits.FROM_FRONT) == b"\x00\x00\x01"
    assert modify(b"\x01", bits.RESIZE, 0) == b""
    assert code_of(modify, b"\x01\x02", bits.RESIZE, 1, 0, bits.GROW_ONLY) == ResultCode.PARAMETER
    assert modify(b"\x01\x02", bits.RESIZE, 1, bits.NO_FAIL, bits.GROW_ONLY) == b"\x01\x02"
    assert code_of(modify, b"\x01", bits.RESIZE, 2, 0, bits.SHRINK_ONLY) == ResultCode.PARAMETER
    assert code_of(modify, b"\x01", bits.RESIZE, 2, 0, bits.GROW_ONLY | bits.SHRINK_ONLY) == ResultCode.PARAMETER
    assert modify(None, bits.INSERT, 2, b"\xaa") == b"\x00\x00\xaa"
    assert modify(b"\x01\x02", bits.INSERT, -1, b"\xaa\xbb") == b"\x01\xaa\xbb\x02"
    assert modify(b"\x01\x02\x03", bits.REMOVE, 1, 1) == b"\x01\x03"
    assert modify(b"\x01\x02\x03", bits.REMOVE, 1, 5, bits.PARTIAL) == b"\x01"
    assert code_of(modify, b"\x01\x02\x03", bits.REMOVE, 1, 5) == ResultCode.PARAMETER
    assert code_of(modify, b"\x01\x02\x03", bits.REMOVE, 3, 1) == ResultCode.PARAMETER


def test_policies_and_errors():
    blob = b"\x01\x02"
    # CREATE_ONLY on an existing bin: BIN_EXISTS, even before the type is looked at
    assert code_of(modify, blob, bits.RESIZE, 4, bits.CREATE_ONLY) == ResultCode.BIN_EXISTS
    assert code_of(modify, struct.pack(">q", 1), bits.RESIZE, 4, bits.CREATE_ONLY,
                   ptype=ParticleType.INTEGER) == ResultCode.BIN_EXISTS
    assert modify(blob, bits.INSERT, 0, b"\x09", bits.CREATE_ONLY | bits.NO_FAIL) == blob
    assert modify(None, bits.INSERT, 0, b"\x09", bits.CREATE_ONLY) == b"\x09"
    # UPDATE_ONLY on a missing bin, and ops that cannot create
    assert code_of(modify, None, bits.RESIZE, 4, bits.UPDATE_ONLY) == ResultCode.BIN_NOT_FOUND
    assert modify(None, bits.RESIZE, 4, bits.UPDATE_ONLY | bits.NO_FAIL) is None
    assert code_of(modify, None, bits.SET, 0, 8, b"\x01") == ResultCode.BIN_NOT_FOUND
    assert modify(None, bits.SET, 0, 8, b"\x01", bits.NO_FAIL) is None
    assert code_of(modify, None, bits.INSERT, -1, b"\x01") == ResultCode.PARAMETER
    # flags an op does not take, and contradictory ones
    assert code_of(modify, blob, bits.SET, 0, 8, b"\x01", bits.CREATE_ONLY) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.ADD, 0, 8, 1, bits.PARTIAL) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.RESIZE, 1, bits.CREATE_ONLY | bits.UPDATE_ONLY) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.ADD, 0, 8, 1, 0, bits.SATURATE | bits.WRAP) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.ADD, 0, 8, 1, 0, 8) == ResultCode.PARAMETER
    assert code_of(read, blob, bits.GET_INT, 0, 8, bits.SATURATE) == ResultCode.PARAMETER
    # sizes and arguments
    assert code_of(modify, blob, bits.SET, 0, 0, b"\x01") == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.SET, 0, 9, b"\x01") == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.ADD, 0, 65, 1) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.SET, 0, 8, b"") == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.SET, 0, 8) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.NOT, 0, 8, 0, 0) == ResultCode.PARAMETER
    assert code_of(read, blob, bits.LSCAN, 0, 8, 1) == ResultCode.PARAMETER
    assert code_of(modify, blob, bits.GET, 0, 8) == ResultCode.PARAMETER
    assert code_of(read, blob, bits.SET, 0, 8, b"\x01") == ResultCode.PARAMETER
    assert code_of(modify, blob, 99) == ResultCode.PARAMETER
    assert code_of(read, blob, bits.GET, -17, 8) == ResultCode.PARAMETER
    # beyond the blob
    assert code_of(read, blob, bits.GET, 9, 8) == ResultCode.OP_NOT_APPLICABLE
    assert code_of(read, blob, bits.GET, 16, 1) == ResultCode.OP_NOT_APPLICABLE
    assert code_of(modify, blob, bits.NOT, 16, 1) == ResultCode.OP_NOT_APPLICABLE
    assert modify(blob, bits.NOT, 12, 8, bits.PARTIAL) == b"\x01\x0d"
    # wrong bin type, wrong op particle type
    assert code_of(read, b"abc", bits.GET, 0, 8, ptype=ParticleType.STRING) == ResultCode.BIN_TYPE
    assert code_of(modify, b"abc", bits.NOT, 0, 8, ptype=ParticleType.STRING) == ResultCode.BIN_TYPE
    bad = Op(OpType.BIT_MODIFY, ParticleType.STRING, BIN, payload(bits.NOT, 0, 8))
    assert code_of(bits.apply, bad, {BIN: (ParticleType.BLOB, blob)}) == ResultCode.BIN_TYPE
    # a read of a missing bin answers nothing, whatever it asks
    assert bits.apply(Op(OpType.BIT_READ, ParticleType.BLOB, BIN, b"\xc1"), {}) is None
    # malformed payloads
    for raw in (b"", b"\x90", b"\x91\xc0", b"\x93\x32\x00", b"\x80"):
        op = Op(OpType.BIT_MODIFY, ParticleType.BLOB, BIN, raw)
        assert code_of(bits.apply, op, {BIN: (ParticleType.BLOB, blob)}) == ResultCode.PARAMETER
