"""Unit tests of spikelite.expressions and binops.exp with hand-built msgpack expressions: the
server's static type checks (PARAMETER), three-valued evaluation, arithmetic in C int64/double
semantics, comparisons, regex and geo compares, metadata, let/cond, calls into the CDT/bit/HLL
engines, and expression op flags."""

from __future__ import annotations

import math
import struct

import msgpack
import pytest

from spikelite import expressions
from spikelite.binops import exp as exp_op
from spikelite.expressions import UNK, Context
from spikelite.store.record import Record
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode, pack_value

# -- building expressions -----------------------------------------------------------------------

T_NIL, T_BOOL, T_INT, T_STR, T_LIST, T_MAP, T_BLOB, T_FLOAT, T_GEO, T_HLL = range(10)


def s(text: str) -> str:
    """A string literal (prefix 03)."""
    return "\x03" + text


def blob(data: bytes) -> str:
    return ("\x04" + data.decode("latin-1")).encode("latin-1").decode("utf-8", "surrogateescape")


def geo(text: str) -> str:
    return "\x17" + text


def quote(items: list) -> list:
    return [126, items]


def bin_(type_: int, name: str) -> list:
    return [81, type_, name]


WILDCARD = msgpack.ExtType(99, b"wildcard placeholder")


def pack(expr) -> bytes:
    data = msgpack.packb(expr, use_bin_type=True, unicode_errors="surrogateescape")
    return data.replace(msgpack.packb(WILDCARD), b"\xd4\xff\x00")


def i64(v: int) -> bytes:
    return struct.pack(">q", v)


BINS = {
    "i": (ParticleType.INTEGER, i64(5)),
    "f": (ParticleType.FLOAT, struct.pack(">d", 2.5)),
    "s": (ParticleType.STRING, b"hello"),
    "b": (ParticleType.BLOB, b"\x01\x02"),
    "t": (ParticleType.BOOL, b"\x01"),
    "l": (ParticleType.LIST, pack_value([1, 2, 3])),
    "m": (ParticleType.MAP, pack_value({"x": 1})),
    "om": (ParticleType.MAP, b"\x82\xc7\x00\x01\xc0" + pack_value("x") + b"\x01"),  # key-ordered
    "g": (ParticleType.GEOJSON, b"\x00\x00\x00" + b'{"type":"Point","coordinates":[1.0,1.0]}'),
}
DIGEST = bytes(range(20))


def ctx(bins=None, record=None, has_meta=True) -> Context:
    bins = dict(BINS) if bins is None else bins
    if record is None:
        record = Record(bins, 3, 0, 1_700_000_000_123_456_789, b"\x03key", "demo")
    return Context(bins, record, DIGEST, record.set_name, record.key, None, has_meta)


def ev(expr, context=None):
    return expressions.compile_expression(pack(expr)).evaluate(context or ctx())


def param_error(expr) -> bool:
    try:
        expressions.compile_expression(pack(expr))
    except AerospikeWireError as exc:
        assert exc.code == ResultCode.PARAMETER
        return True
    return False


# -- static checks ------------------------------------------------------------------------------


@pytest.mark.parametrize("expr", [
    [1, bin_(T_INT, "i"), s("5")],                # compare int with str
    [1, [81, T_GEO, "g"], geo('{"type":"Point","coordinates":[1,1]}')],  # geo cannot be compared
    [20, 1, 2.0],                                  # mixed arithmetic
    [20],                                          # too few args
    [16, True],                                    # and needs two args
    [16, True, 1],                                 # and of an int
    [18, True, False],                             # not takes one
    [24, 2, 3],                                    # pow of ints
    [26, 2.0, 1.0],                                # mod of floats
    [28, 1],                                       # floor of int
    [31, 1.0],                                     # to_float of float
    [64, 0],                                       # digest modulo zero
    [80, T_FLOAT],                                 # key of float type
    [81, 10, "a"],                                 # bin of invalid type
    [81, T_INT, "a" * 16],                         # bin name too long
    [123, True, 1],                                # cond without default
    [123, True, 1, s("x")],                        # cond branches of two types
    [123, 1, 1, 2],                                # cond test not bool
    [125, "x", 1],                                 # let without a body
    [125, "1x", 1, [124, "1x"]],                   # bad variable name
    [125, "x", 1, [125, "x", 2, [124, "x"]]],      # duplicate (shadowing) name
    [125, "x", [124, "x"], [124, "x"]],            # var used in its own definition
    [124, "nope"],                                 # undefined var
    [10, 1, 2],                                    # no such op code
    [],                                            # empty instruction
    [7, 0, "(", bin_(T_STR, "s")],                 # invalid regex (BRE '(' is fine, ERE not)
    [9, 1, 2],                                     # in_list needs a list
    [127, T_INT, 0, [16], bin_(T_INT, "i")],       # CDT call on an int bin
])
def test_static_errors(expr):
    if expr and expr[0] == 7:
        expr = [7, 1, "(", bin_(T_STR, "s")]
    assert param_error(expr)


def test_literal_checks():
    assert param_error("\x05abc")             # bytes with a prefix other than blob/hll
    assert param_error(geo("{not json"))     # geojson literal must parse
    assert param_error(msgpack.ExtType(1, b"x"))  # a msgpack literal has no result type
    assert not param_error(quote([1, 2]))


def test_filter_must_be_bool():
    with pytest.raises(AerospikeWireError) as info:
        expressions.compile_filter(pack(bin_(T_INT, "i")))
    assert info.value.code == ResultCode.PARAMETER
    assert expressions.filter_passes(pack([1, bin_(T_INT, "i"), 5]), ctx())
    assert not expressions.filter_passes(pack([1, bin_(T_INT, "zz"), 5]), ctx())


# -- values, comparisons and logic --------------------------------------------------------------


def test_bin_reads():
    assert ev(bin_(T_INT, "i")) == 5
    assert ev(bin_(T_FLOAT, "f")) == 2.5
    assert ev(bin_(T_STR, "s")) == "hello"
    assert bytes(ev(bin_(T_BLOB, "b"))) == b"\x01\x02"
    assert ev(bin_(T_BOOL, "t")) is True
    assert ev(bin_(T_LIST, "l")) == [1, 2, 3]
    assert ev(bin_(T_STR, "i")) is UNK      # wrong type
    assert ev(bin_(T_INT, "zz")) is UNK     # missing
    assert ev([82, "l"]) == ParticleType.LIST
    assert ev([82, "zz"]) == 0


@pytest.mark.parametrize("expr, expected", [
    ([1, bin_(T_INT, "i"), 5], True),
    ([3, bin_(T_STR, "s"), s("hell")], True),
    ([5, bin_(T_BLOB, "b"), blob(b"\x01\x03")], True),
    ([1, None, None], True),
    ([2, None, None], False),
    ([3, True, False], True),
    ([1, bin_(T_LIST, "l"), quote([1, 2, 3])], True),
    ([5, bin_(T_LIST, "l"), quote([1, 2, 4])], True),
    ([3, bin_(T_LIST, "l"), quote([1, 2])], True),
    ([1, bin_(T_LIST, "l"), quote([1, WILDCARD, 9])], True),  # wildcard
    ([1, bin_(T_MAP, "m"), {s("x"): 1}], UNK),        # unordered map: cannot be compared
    ([1, bin_(T_MAP, "om"), {s("x"): 1}], UNK),       # the literal is unordered too
    ([1, bin_(T_INT, "zz"), 5], UNK),
    ([5, 1.0, math.nan], False),
    ([9, 2, quote([1, 2, 3])], True),
    ([9, s("x"), quote([1, 2, 3])], False),
    ([9, 2, bin_(T_LIST, "zz")], UNK),
])
def test_compare(expr, expected):
    assert ev(expr) is expected


def test_ordered_maps_compare():
    raw = b"\x82\xc7\x00\x01\xc0" + pack(s("x")) + b"\x01"  # a key-ordered map literal
    data = b"\x93\x01" + pack(bin_(T_MAP, "om")) + raw
    assert expressions.compile_expression(data).evaluate(ctx()) is True


def test_three_valued_logic():
    unk = [1, bin_(T_INT, "zz"), 1]
    assert ev([16, unk, False]) is False
    assert ev([16, unk, True]) is UNK
    assert ev([17, unk, True]) is True
    assert ev([17, unk, False]) is UNK
    assert ev([18, unk]) is UNK
    assert ev([19, True, unk]) is UNK
    assert ev([19, True, False, False]) is True
    assert ev([19, True, True, unk]) is False
    assert ev([0]) is UNK


def test_regex_flags():
    assert ev([7, 0, "^hel*o$", bin_(T_STR, "s")]) is True
    assert ev([7, 0, "^hel+o$", bin_(T_STR, "s")]) is False  # '+' is literal in a basic RE
    assert ev([7, 1, "^hel+o$", bin_(T_STR, "s")]) is True
    assert ev([7, 2, "HELLO", bin_(T_STR, "s")]) is True
    assert ev([7, 1, "[[:digit:]]", bin_(T_STR, "s")]) is False
    assert ev([7, 1, "x", bin_(T_STR, "zz")]) is UNK


def test_geo_compare():
    region = geo('{"type":"Polygon","coordinates":[[[0,0],[0,2],[2,2],[2,0],[0,0]]]}')
    circle = geo('{"type":"AeroCircle","coordinates":[[1.0,1.001],500]}')
    far = geo('{"type":"AeroCircle","coordinates":[[10.0,10.0],500]}')
    point = geo('{"type":"Point","coordinates":[1.5,1.5]}')
    assert ev([8, [81, T_GEO, "g"], region]) is True
    assert ev([8, [81, T_GEO, "g"], circle]) is True
    assert ev([8, [81, T_GEO, "g"], far]) is False
    assert ev([8, region, point]) is True            # region containing the point
    assert ev([8, [81, T_GEO, "g"], point]) is False  # point vs point


# -- arithmetic ---------------------------------------------------------------------------------


@pytest.mark.parametrize("expr, expected", [
    ([20, 1, 2, 3], 6),
    ([20, (1 << 63) - 1, 1], -(1 << 63)),   # int64 wraps
    ([21, 5], -5),
    ([21, 10, 3, 2], 5),
    ([22, 3, 4], 12),
    ([23, -7, 2], -3),                      # truncates toward zero
    ([23, 4], 0),                           # 1 / 4
    ([23, 1, 0], UNK),
    ([23, 1.0, 0.0], math.inf),
    ([23, 2.0], 0.5),
    ([24, 2.0, 10.0], 1024.0),
    ([25, 100.0, 10.0], 2.0),
    ([26, -7, 3], -1),
    ([26, 7, 0], UNK),
    ([27, -(1 << 63)], -(1 << 63)),
    ([27, -2.5], 2.5),
    ([28, -2.5], -3.0),
    ([29, 2.1], 3.0),
    ([30, -2.9], -2),
    ([30, math.nan], -(1 << 63)),
    ([31, 3], 3.0),
    ([32, 12, 10], 8),
    ([33, 12, 10], 14),
    ([34, 12, 10], 6),
    ([35, 0], -1),
    ([36, 1, 63], -(1 << 63)),
    ([36, 1, 64], 1),                       # shift count modulo 64
    ([37, -1, 60], 15),
    ([38, -16, 2], -4),
    ([39, -1], 64),
    ([40, 1, True], 63),
    ([40, -1, False], -1),
    ([40, 0, False], 0),
    ([41, 1, True], 63),
    ([41, 6, True], 62),
    ([41, 0, True], -1),
    ([50, 3, 1, 2], 1),
    ([51, 1.5, 2.5], 2.5),
    ([20, bin_(T_INT, "zz"), 1], UNK),
])
def test_arithmetic(expr, expected):
    result = ev(expr)
    if expected is UNK:
        assert result is UNK
    else:
        assert result == expected and type(result) is type(expected)


# -- metadata -----------------------------------------------------------------------------------


def test_metadata():
    c = ctx()
    assert ev([66], c) == 1_700_000_000_123_000_000   # millisecond precision, in ns
    assert ev([67], c) > 0
    assert ev([68], c) == -1
    assert ev([69], c) == -1
    assert ev([70], c) == "demo"
    assert ev([71], c) is True
    assert ev([72], c) is False
    assert ev([80, T_STR], c) == "key"
    assert ev([80, T_INT], c) is UNK
    assert ev([64, 7], c) == int.from_bytes(DIGEST[16:20], "little") % 7
    assert ev([64, -7], c) == int.from_bytes(DIGEST[16:20], "little") % 7
    assert ev([74], c) > 0
    assert ev([65], c) == 0
    assert ev([69], ctx(has_meta=False)) is UNK


def test_ttl_and_void_time():
    from spikelite.store.clock import Clock
    clock = Clock()
    now_cl = clock.now_cl()
    record = Record(dict(BINS), 1, now_cl + 100, clock.now_ns(), None, None)
    c = Context(record.bins, record, DIGEST, None, None, clock)
    assert 99 <= ev([69], c) <= 100
    assert ev([68], c) == (now_cl + 100 + 1262304000) * 1_000_000_000
    assert ev([70], c) == ""
    assert ev([71], c) is False
    assert ev([80, T_STR], c) is UNK


# -- let, cond ----------------------------------------------------------------------------------


def test_let_and_cond():
    assert ev([125, "x", bin_(T_INT, "i"), "y", [20, [124, "x"], 1], [22, [124, "x"], [124, "y"]]]) == 30
    assert ev([125, "x", bin_(T_INT, "zz"), [124, "x"]]) is UNK
    assert ev([125, "x", 1, [20, [125, "y", 2, [124, "y"]], [124, "x"]]]) == 3
    assert ev([123, [3, bin_(T_INT, "i"), 9], 1, [3, bin_(T_INT, "i"), 4], 2, 3]) == 2
    assert ev([123, [1, bin_(T_INT, "zz"), 1], 1, 2]) is UNK
    assert ev([123, False, [0], s("default")]) == "default"   # unknown is allowed as a branch
    assert ev([123, True, [0], s("default")]) is UNK


# -- calls into the CDT / bit / HLL engines -----------------------------------------------------


def test_cdt_calls():
    size = [127, T_INT, 0, [16], bin_(T_LIST, "l")]
    assert ev(size) == 3
    get = [127, T_INT, 0, [19, 7, [21, 2, 1]], bin_(T_LIST, "l")]  # index computed by an expression
    assert ev(get) == 2
    assert ev([127, T_STR, 0, [19, 7, 0], bin_(T_LIST, "l")]) is UNK  # result of another type
    assert ev([127, T_INT, 0, [19, 7, 10], bin_(T_LIST, "l")]) is UNK  # op error
    assert ev([127, T_INT, 0, [16], bin_(T_LIST, "zz")]) is UNK
    append = [127, T_LIST, 0x40, [1, 4], bin_(T_LIST, "l")]
    assert ev(append) == [1, 2, 3, 4]
    assert ev([127, T_INT, 0, [16], quote([5, 6])]) == 2       # a literal list as the bin
    assert ev([127, T_LIST, 0x40, [1, 4], None]) == [4]          # nil bin: an empty bin
    assert param_error([1, [127, T_LIST, 0x40, [1, 4], None], quote([4])])  # ... typed nil
    c = ctx()
    ev(append, c)
    assert c.bins["l"] == BINS["l"]                            # the bin is not written
    assert ev([127, T_INT, 0, [0xff, [0x10, 0], [16]], quote([[1, 2], 3])]) == 2


def test_bit_and_hll_calls():
    assert ev([127, T_INT, 1, [51, 0, 16], bin_(T_BLOB, "b")]) == 2       # bit count
    resized = ev([127, T_BLOB, 0x41, [0, 4], bin_(T_BLOB, "b")])         # bit resize (modify local)
    assert bytes(resized) == b"\x01\x02\x00\x00"
    hll = ev([127, T_HLL, 0x42, [0, 8, 0], None])                       # hll init on nothing
    assert hll.prefix == ParticleType.HLL and len(hll) == 11 + 256 * 6 // 8
    literal = ("\x12" + bytes(hll).decode("latin-1")).encode("latin-1").decode("utf-8", "surrogateescape")
    assert ev([127, T_INT, 2, [50], literal]) == 0                       # count of an hll literal
    added = [127, T_HLL, 0x42, [1, quote([s("a"), s("b")])], literal]
    assert ev([127, T_INT, 2, [50], added]) == 2                         # calls nest


# -- expression operations ----------------------------------------------------------------------


def _op(code, expr, flags=None, name="r"):
    value = pack([expr] if flags is None else [expr, flags])
    return Op(code, ParticleType.BLOB, name, value)


def test_exp_read_op():
    bins = dict(BINS)
    exp_op.bind_record(None, DIGEST, "demo", None, None)
    result = exp_op.apply(_op(OpType.EXP_READ, [20, bin_(T_INT, "i"), 1]), bins)
    assert (result.particle_type, result.value) == (ParticleType.INTEGER, i64(6))
    result = exp_op.apply(_op(OpType.EXP_READ, [1, 1, 1]), bins)
    assert (result.particle_type, result.value) == (ParticleType.BOOL, b"\x01")
    with pytest.raises(AerospikeWireError) as info:
        exp_op.apply(_op(OpType.EXP_READ, bin_(T_INT, "zz")), bins)
    assert info.value.code == ResultCode.OP_NOT_APPLICABLE
    assert exp_op.apply(_op(OpType.EXP_READ, bin_(T_INT, "zz"), 0x10), bins) is None
    with pytest.raises(AerospikeWireError) as info:
        exp_op.apply(_op(OpType.EXP_READ, 1, 0x01), bins)  # a write flag on a read
    assert info.value.code == ResultCode.PARAMETER
    assert exp_op.apply(_op(OpType.EXP_READ, None), bins) is None
    assert exp_op.apply(_op(OpType.EXP_READ, [70]), bins).value == b"demo"


def test_exp_write_op_flags():
    def write(expr, flags=None, name="w", bins=None):
        bins = dict(BINS) if bins is None else bins
        assert exp_op.apply(_op(OpType.EXP_MODIFY, expr, flags, name), bins) is None
        return bins

    assert write([20, bin_(T_INT, "i"), 1])["w"] == (ParticleType.INTEGER, i64(6))
    assert write(s("x"), name="i")["i"] == (ParticleType.STRING, b"x")
    with pytest.raises(AerospikeWireError) as info:
        write(1, 0x01, name="i")
    assert info.value.code == ResultCode.BIN_EXISTS
    assert write(1, 0x09, name="i")["i"] == BINS["i"]
    with pytest.raises(AerospikeWireError) as info:
        write(1, 0x02)
    assert info.value.code == ResultCode.BIN_NOT_FOUND
    assert "w" not in write(1, 0x0a)
    with pytest.raises(AerospikeWireError) as info:
        write(bin_(T_INT, "zz"))
    assert info.value.code == ResultCode.OP_NOT_APPLICABLE
    assert "w" not in write(bin_(T_INT, "zz"), 0x10)
    with pytest.raises(AerospikeWireError) as info:
        write(None, name="i")                     # deleting needs ALLOW_DELETE
    assert info.value.code == ResultCode.OP_NOT_APPLICABLE
    assert "i" not in write(None, 0x04, name="i")
    assert write(None, 0x10, name="i")["i"] == BINS["i"]  # any flag: the server's quirk keeps it
    assert "w" not in write(None)                 # nil on a missing bin: nothing
    with pytest.raises(AerospikeWireError) as info:
        write(1, 0x20)
    assert info.value.code == ResultCode.PARAMETER
    with pytest.raises(AerospikeWireError) as info:
        write(msgpack.ExtType(1, b"x"))          # no result type
    assert info.value.code == ResultCode.PARAMETER
