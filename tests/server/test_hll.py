"""Unit tests of spikelite.binops.hll: hashing, the particle layout, the estimators, every op,
flags and error codes."""

from __future__ import annotations

import math
import struct

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikelite import wire
from spikelite.binops import hll as H
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode

BIN = "h"


def element(value) -> bytes:
    return wire.pack_value(value)


def sketch(values, index_bits=8, minhash_bits=0) -> H.HLL:
    h = H.HLL(index_bits, minhash_bits)
    for v in values:
        h.add(element(v))
    return h


def hll_arg(h: H.HLL) -> bytes:
    """An HLL value inside an op payload (packed as a blob: the server skips the prefix byte)."""
    return h.to_bytes()


def run(bins: dict, code: int, *args, read: bool = False):
    data = wire.pack_value([code, *args])
    op = Op(OpType.HLL_READ if read else OpType.HLL_MODIFY, ParticleType.BLOB, BIN, data)
    result = H.apply(op, bins)
    if result is None:
        return None
    if result.particle_type == ParticleType.INTEGER:
        return struct.unpack(">q", result.value)[0]
    if result.particle_type == ParticleType.FLOAT:
        return struct.unpack(">d", result.value)[0]
    if result.particle_type == ParticleType.LIST:
        return msgpack.unpackb(result.value)
    assert result.particle_type == ParticleType.HLL
    return H.HLL.from_bytes(result.value)


def error_of(*args, **kwargs) -> int:
    with pytest.raises(AerospikeWireError) as info:
        run(*args, **kwargs)
    return info.value.code


def stored(bins: dict) -> H.HLL:
    ptype, data = bins[BIN]
    assert ptype == ParticleType.HLL and H.HLL.is_valid(data)
    return H.HLL.from_bytes(data)


def strs(prefix: str, n: int, start: int = 0) -> list[str]:
    return ["%s%d" % (prefix, i) for i in range(start, start + n)]


# -- hashing and layout -----------------------------------------------------------------------


def test_murmur3_x64_128_vectors():
    assert H.murmur3_x64_128(b"") == (0, 0)
    assert H.murmur3_x64_128(b"hello") == (0xCBD8A7B341BD9B02, 0x5B1E906A48AE1D19)
    # lengths around the 8- and 16-byte block boundaries
    assert H.murmur3_x64_128(bytes(range(15))) == H.murmur3_x64_128(bytes(range(15)))
    assert H.murmur3_x64_128(b"\xa2\x03a") == (0x8D15AE180C40A275, 0x0E22C7DD0FE0DA88)
    values = {H.murmur3_x64_128(bytes(range(n))) for n in range(40)}
    assert len(values) == 40


def test_element_normalisation():
    n = H.normalize_element
    assert n(b"\xcc\x05") == b"\x05"
    assert n(b"\xcd\x00\x80") == b"\xcc\x80"
    assert n(b"\xd0\x05") == b"\x05"
    assert n(b"\xd1\xff\xfe") == b"\xfe"
    assert n(b"\xd3" + (-200).to_bytes(8, "big", signed=True)) == b"\xd1\xff\x38"
    assert n(b"\xd9\x02\x03a") == b"\xa2\x03a"
    assert n(b"\xc4\x02\x04x") == b"\xa2\x04x"
    long = b"\x04" + bytes(40)
    assert n(b"\xc4\x29" + long) == b"\xc4\x29" + long       # kept, as by the server
    assert n(b"\xda\x00\x29" + long) == b"\xd9\x29" + long
    assert n(b"\xcb" + struct.pack(">d", 1.5)) == b"\xcb" + struct.pack(">d", 1.5)
    # equal values hash alike whatever width the client packed them with
    h1 = H.HLL(12, 0)
    assert run_add(h1, [b"\xcd\x00\x07"]) == 1
    assert run_add(h1, [b"\x07"]) == 0


def run_add(h: H.HLL, raws: list[bytes]) -> int:
    data = b"\x92\x01" + bytes((0x90 | len(raws),)) + b"".join(raws)
    bins = {BIN: (ParticleType.HLL, h.to_bytes())}
    op = Op(OpType.HLL_MODIFY, ParticleType.BLOB, BIN, data)
    result = struct.unpack(">q", H.apply(op, bins).value)[0]
    h.regs = stored(bins).regs
    return result


@settings(max_examples=60)
@given(ib=st.integers(4, 10), mh=st.sampled_from([0, 4, 7, 20, 51]), data=st.data())
def test_layout_round_trip(ib, mh, data):
    if ib + mh > 64:
        mh = 64 - ib
    n = 6 + mh
    regs = data.draw(st.lists(st.integers(0, (1 << n) - 1), min_size=1 << ib, max_size=1 << ib))
    cache = data.draw(st.integers(0, (1 << 64) - 1))
    raw = H.HLL(ib, mh, cache, regs).to_bytes()
    assert len(raw) == 11 + ((n << ib) + 7) // 8
    assert raw[:3] == bytes((0, ib, mh)) and raw[3:11] == cache.to_bytes(8, "little")
    bits = "".join(format(b, "08b") for b in raw[11:])
    assert [int(bits[i * n:(i + 1) * n], 2) for i in range(1 << ib)] == regs
    assert set(bits[n << ib:]) <= {"0"}
    back = H.HLL.from_bytes(raw)
    assert (back.index_bits, back.minhash_bits, back.cache, back.regs) == (ib, mh, cache, regs)


def test_server_union_bytes():
    # the union of {"asd123"} (4 index bits) and {"123asd"} (6 index bits) as a real server
    # returns it: registers 0 and 3 hold hll value 2
    a = sketch(["asd123"], 4)
    b = sketch(["123asd"], 6)
    union = H.union_of([b, a])
    assert list(union.to_bytes()) == [0, 4, 0] + [0] * 8 + [8, 0, 2] + [0] * 9
    assert H.union_count([b, a]) == 2
    assert H.intersect_count([b, a]) == 0
    merged = H.union_of([b, a])
    assert H.similarity([b, merged]) == 0.5


# -- estimates --------------------------------------------------------------------------------


@pytest.mark.parametrize("ib", [4, 8, 12, 16])
def test_small_sets_are_counted_exactly(ib):
    assert sketch([], ib).estimate() == 0
    assert sketch(["x"], ib).estimate() == 1
    assert sketch(strs("k", 3), ib).estimate() == 3
    if ib >= 8:
        # small sets are counted exactly, up to elements that share a register ("k0" and "k5"
        # share one of 256 and of 4096 registers, not of 65536)
        ten = sketch(strs("k", 10), ib)
        assert ten.estimate() == ten.n_used_registers() == (10 if ib == 16 else 9)


@pytest.mark.parametrize("ib, mh, n", [(8, 0, 5000), (10, 0, 20000), (12, 0, 50000), (14, 0, 3000),
                                       (10, 20, 20000), (16, 0, 100000)])
def test_estimates_within_the_documented_error(ib, mh, n):
    h = sketch(strs("item", n), ib, mh)
    error = 1.04 / math.sqrt(1 << ib)
    assert abs(h.estimate() - n) <= 4 * error * n


def test_duplicates_do_not_count_and_add_reports_updates():
    bins: dict = {}
    assert run(bins, H.ADD, strs("a", 100), 10) > 90
    count = run(bins, H.GET_COUNT, read=True)
    assert run(bins, H.ADD, strs("a", 100), 10) == 0
    assert run(bins, H.GET_COUNT, read=True) == count


def test_fold_equals_a_sketch_built_small():
    values = strs("v", 3000)
    big = sketch(values, 14)
    folded = H.HLL(9, 0)
    H.union_into(folded, big)
    assert folded.regs == sketch(values, 9).regs


@pytest.mark.parametrize("mh", [0, 16])
def test_union_equals_sketch_of_union(mh):
    a, b = strs("x", 700), strs("x", 900, 400)
    union = H.union_of([sketch(a, 10, mh), sketch(b, 10, mh)])
    assert union.regs == sketch(a + b, 10, mh).regs


def test_intersection_and_similarity_estimates():
    a, b = strs("x", 20000), strs("x", 20000, 10000)          # overlap 10000, union 30000
    for mh in (0, 20):
        sa, sb = sketch(a, 12, mh), sketch(b, 12, mh)
        assert abs(H.union_count([sa, sb]) - 30000) < 30000 * 4 * 1.04 / 64
        assert abs(H.intersect_count([sa, sb]) - 10000) < 2500
        assert abs(H.similarity([sa, sb]) - 1 / 3) < 0.08
    same = sketch(a, 12, 20)
    assert H.similarity([same, same]) > 0.99
    assert H.similarity([sketch(strs("p", 500), 10, 8), sketch(strs("q", 500), 10, 8)]) < 0.05


def test_empty_sketches_in_similarity():
    empty, full = H.HLL(8, 8), sketch(strs("z", 50), 8, 8)
    assert math.isnan(H.similarity([empty, empty]))
    assert H.similarity([empty, full]) == 0.0
    assert H.intersect_count([empty, empty]) == 0
    assert math.isnan(H.similarity([H.HLL(8, 0), H.HLL(8, 0)]))


def test_three_way_intersection():
    a, b, c = strs("x", 3000), strs("x", 3000, 1000), strs("x", 3000, 2000)   # common: 1000
    for mh in (0, 12):
        got = H.intersect_count([sketch(a, 12, mh), sketch(b, 12, mh), sketch(c, 12, mh)])
        assert abs(got - 1000) < 500


# -- ops --------------------------------------------------------------------------------------


def test_init_and_describe():
    bins: dict = {}
    assert run(bins, H.INIT, 10, 12) is None
    assert run(bins, H.DESCRIBE, read=True) == [10, 12]
    raw = bins[BIN][1]
    assert raw[:3] == bytes((0, 10, 12)) and len(raw) == 11 + (18 << 10) // 8
    run(bins, H.ADD, ["a", "b"])
    run(bins, H.INIT, -1, 4)                                  # keeps index bits, resets registers
    assert run(bins, H.DESCRIBE, read=True) == [10, 4]
    assert run(bins, H.GET_COUNT, read=True) == 0
    run(bins, H.INIT)                                         # keeps both
    assert run(bins, H.DESCRIBE, read=True) == [10, 4]
    assert error_of({}, H.INIT) == ResultCode.OP_NOT_APPLICABLE
    assert error_of({}, H.INIT, -1, 4) == ResultCode.OP_NOT_APPLICABLE
    run(bins, H.INIT, 16, 0)
    assert error_of(bins, H.INIT, -1, 51) == ResultCode.OP_NOT_APPLICABLE   # 16 + 51 > 64


def test_init_flags():
    bins: dict = {}
    assert error_of(bins, H.INIT, 8, 0, H.UPDATE_ONLY) == ResultCode.BIN_NOT_FOUND
    assert run(bins, H.INIT, 8, 0, H.UPDATE_ONLY | H.NO_FAIL) is None and bins == {}
    run(bins, H.INIT, 8, 0, H.CREATE_ONLY)
    assert error_of(bins, H.INIT, 9, 0, H.CREATE_ONLY) == ResultCode.BIN_EXISTS
    run(bins, H.INIT, 9, 0, H.CREATE_ONLY | H.NO_FAIL)
    assert run(bins, H.DESCRIBE, read=True) == [8, 0]
    run(bins, H.INIT, 9, 0, H.UPDATE_ONLY)
    assert run(bins, H.DESCRIBE, read=True) == [9, 0]
    assert error_of(bins, H.INIT, 9, 0, H.ALLOW_FOLD) == ResultCode.PARAMETER
    assert error_of(bins, H.INIT, 9, 0, H.CREATE_ONLY | H.UPDATE_ONLY) == ResultCode.PARAMETER


@pytest.mark.parametrize("args", [(3,), (17,), (8, 3), (8, 52), (16, 49), (8, 0, 0, 0), ("x",)])
def test_init_bad_parameters(args):
    assert error_of({}, H.INIT, *args) == ResultCode.PARAMETER


def test_add_ops():
    bins: dict = {}
    assert error_of(bins, H.ADD, ["a"]) == ResultCode.OP_NOT_APPLICABLE     # no index bits
    assert run(bins, H.ADD, ["a", "b", "a"], 8) == 2
    assert run(bins, H.ADD, ["c"], 12, 20) == 1                             # existing bits win
    assert run(bins, H.DESCRIBE, read=True) == [8, 0]
    assert error_of(bins, H.ADD, ["d"], -1, -1, H.CREATE_ONLY) == ResultCode.BIN_EXISTS
    assert run(bins, H.ADD, ["d"], -1, -1, H.CREATE_ONLY | H.NO_FAIL) is None
    assert run(bins, H.GET_COUNT, read=True) == 3
    assert error_of(bins, H.ADD, [], 8) == ResultCode.PARAMETER
    assert error_of(bins, H.ADD, [[1]], 8) == ResultCode.PARAMETER
    assert error_of(bins, H.ADD, [{1: 2}], 8) == ResultCode.PARAMETER
    assert error_of(bins, H.ADD, ["a"], 8, -1, H.UPDATE_ONLY) == ResultCode.PARAMETER
    other: dict = {}
    assert 1 <= run(other, H.ADD, [1, 2.5, b"x", True, None, "s"], 4, 4) <= 6
    assert run(other, H.DESCRIBE, read=True) == [4, 4]


def test_refresh_count_caches_the_estimate():
    bins: dict = {}
    run(bins, H.ADD, strs("e", 500), 10)
    count = run(bins, H.GET_COUNT, read=True)
    assert stored(bins).cache == 0
    assert run(bins, H.REFRESH_COUNT) == count
    assert stored(bins).cache == count
    # the cached count is what count answers until a register changes
    h = stored(bins)
    h.cache = 12345
    bins[BIN] = (ParticleType.HLL, h.to_bytes())
    assert run(bins, H.GET_COUNT, read=True) == 12345
    assert run(bins, H.ADD, strs("e", 10)) == 0
    assert run(bins, H.GET_COUNT, read=True) == 12345
    assert run(bins, H.ADD, strs("new", 20)) > 0
    assert stored(bins).cache == 0
    assert abs(run(bins, H.GET_COUNT, read=True) - (count + 20)) < 10
    assert error_of({}, H.REFRESH_COUNT) == ResultCode.BIN_NOT_FOUND


def test_fold_op():
    bins: dict = {}
    run(bins, H.ADD, strs("f", 1000), 12)
    run(bins, H.FOLD, 8)
    assert run(bins, H.DESCRIBE, read=True) == [8, 0]
    assert stored(bins).regs == sketch(strs("f", 1000), 8).regs
    run(bins, H.FOLD, 8)
    assert error_of(bins, H.FOLD, 9) == ResultCode.OP_NOT_APPLICABLE
    assert error_of(bins, H.FOLD, 3) == ResultCode.PARAMETER
    assert error_of(bins, H.FOLD, -1) == ResultCode.OP_NOT_APPLICABLE
    assert error_of({}, H.FOLD, 4) == ResultCode.BIN_NOT_FOUND
    mh: dict = {}
    run(mh, H.INIT, 8, 4)
    assert error_of(mh, H.FOLD, 4) == ResultCode.OP_NOT_APPLICABLE


def test_set_union_op():
    a, b = sketch(strs("u", 300), 10), sketch(strs("u", 300, 200), 12)
    bins: dict = {}
    run(bins, H.SET_UNION, [hll_arg(a), hll_arg(b)])
    assert run(bins, H.DESCRIBE, read=True) == [10, 0]
    assert stored(bins).regs == sketch(strs("u", 500), 10).regs
    # without ALLOW_FOLD an existing sketch may not lose index bits or minhash bits
    assert error_of(bins, H.SET_UNION, [hll_arg(sketch(["x"], 8))]) == ResultCode.OP_NOT_APPLICABLE
    run(bins, H.SET_UNION, [hll_arg(sketch(["x"], 8))], H.ALLOW_FOLD)
    assert run(bins, H.DESCRIBE, read=True) == [8, 0]
    mh: dict = {}
    run(mh, H.INIT, 8, 6)
    assert error_of(mh, H.SET_UNION, [hll_arg(sketch(["x"], 8))]) == ResultCode.OP_NOT_APPLICABLE
    run(mh, H.SET_UNION, [hll_arg(sketch(["x"], 8, 6))])
    assert run(mh, H.DESCRIBE, read=True) == [8, 6]
    run(mh, H.SET_UNION, [hll_arg(sketch(["x"], 10, 4))], H.ALLOW_FOLD)
    assert run(mh, H.DESCRIBE, read=True) == [8, 0]
    # a sketch without minhash bits takes any input
    plain: dict = {}
    run(plain, H.INIT, 8, 0)
    run(plain, H.SET_UNION, [hll_arg(sketch(["y"], 12, 8))])
    assert run(plain, H.DESCRIBE, read=True) == [8, 0] and run(plain, H.GET_COUNT, read=True) == 1
    # flags
    assert error_of(plain, H.SET_UNION, [hll_arg(a)], H.CREATE_ONLY) == ResultCode.BIN_EXISTS
    assert error_of({}, H.SET_UNION, [hll_arg(a)], H.UPDATE_ONLY) == ResultCode.BIN_NOT_FOUND
    assert run({}, H.SET_UNION, [hll_arg(a)], H.UPDATE_ONLY | H.NO_FAIL) is None
    single: dict = {}
    run(single, H.SET_UNION, hll_arg(a))                      # one HLL, not in a list
    assert run(single, H.DESCRIBE, read=True) == [10, 0]


@pytest.mark.parametrize("bad", [
    [], ["abc"], [(bytes(12))], [(bytes((1, 8, 0)) + bytes(8 + 192))],
    [(bytes((0, 3, 0)) + bytes(8 + 12))], [(bytes((0, 8, 0)) + bytes(8 + 191))],
    [(bytes((0, 8, 2)) + bytes(8 + 256))], [1],
])
def test_bad_hll_arguments(bad):
    assert error_of({}, H.SET_UNION, bad) == ResultCode.PARAMETER


def test_read_ops():
    a, b = strs("r", 400), strs("r", 400, 300)
    bins = {BIN: (ParticleType.HLL, sketch(a, 10, 8).to_bytes())}
    other = sketch(b, 10, 8)
    union = run(bins, H.GET_UNION, [hll_arg(other)], read=True)
    assert union.regs == sketch(a + b, 10, 8).regs and union.cache == 0
    assert run(bins, H.GET_UNION_COUNT, [hll_arg(other)], read=True) == H.union_count([other, sketch(a, 10, 8)])
    assert run(bins, H.GET_INTERSECT_COUNT, [hll_arg(other)], read=True) == H.intersect_count([other, sketch(a, 10, 8)])
    assert run(bins, H.GET_SIMILARITY, [hll_arg(other)], read=True) == H.similarity([other, sketch(a, 10, 8)])
    assert run(bins, H.MAY_CONTAIN, ["r1", "r2"], read=True) == 1
    three = [hll_arg(other)] * 3
    assert run(bins, H.GET_SIMILARITY, three, read=True) > 0
    assert error_of(bins, H.GET_SIMILARITY, [hll_arg(sketch(a, 10, 0))] * 3, read=True) == ResultCode.PARAMETER
    assert error_of(bins, H.GET_SIMILARITY, [hll_arg(sketch(a, 10, 4))] * 3, read=True) == ResultCode.OP_NOT_APPLICABLE
    assert run({}, H.GET_COUNT, read=True) is None                  # missing bin: no result
    assert error_of(bins, H.GET_COUNT, 1, read=True) == ResultCode.PARAMETER
    assert error_of(bins, H.INIT, read=True) == ResultCode.PARAMETER
    assert error_of(bins, H.GET_COUNT) == ResultCode.PARAMETER


def test_bin_type_errors():
    bins = {BIN: (ParticleType.BLOB, b"\x00" * 30)}
    assert error_of(bins, H.GET_COUNT, read=True) == ResultCode.BIN_TYPE
    assert error_of(bins, H.ADD, ["a"], 8) == ResultCode.BIN_TYPE
    assert error_of(bins, H.INIT, 99) == ResultCode.BIN_TYPE          # type checked before the args
    corrupt = {BIN: (ParticleType.HLL, b"\x00\x08\x00")}
    assert error_of(corrupt, H.GET_COUNT, read=True) == ResultCode.SERVER_ERROR
