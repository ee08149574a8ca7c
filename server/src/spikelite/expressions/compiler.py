"""Build an expression (msgpack) into a tree of Python closures, with the server's static checks.

The server (`exp.c` build_*) type-checks an expression before running it: every instruction
knows the type it returns (nil, bool, int, str, list, map, blob, float, geojson, hll) and each
operator accepts only certain argument types (comparisons: two arguments of one type, not geojson
or hll; arithmetic: all int or all float; logic: bools; ...). A violation, a wrong argument count,
an unknown op code, a bad bin or variable name or a malformed literal fails the whole expression
with PARAMETER. This module does the same checks and turns each instruction into a function
``fn(ctx) -> value`` (see runtime.py for values; UNK is "unknown").

Evaluation follows the server's eval_* functions, including their quirks:

- and/or/not/exclusive use three-valued logic (UNK only decides when nothing else does);
- integer arithmetic wraps like C int64; integer division truncates, by zero gives UNK; `sub`
  with one argument negates, `div` with one argument is 1/x; float division by zero gives inf/nan;
- shifts use the count modulo 64 (x86), `rshift` is logical, `arshift` arithmetic;
- comparing lists/maps that contain a non-empty unordered map is UNK;
- a `call` (CDT/bit/HLL op) whose bin argument is nil works on an empty bin, and its result must
  have the declared type, else UNK; any error of the op is UNK.
"""

from __future__ import annotations

import math
import re

from .. import geo
from ..binops.cdt import values as V
from ..wire import AerospikeWireError, CITRUSLEAF_EPOCH, Op, OpType, ParticleType, ResultCode
from . import posix_regex
from .runtime import (INT64_MIN, PARTICLE_OF_TYPE, T_BLOB, T_BOOL, T_END, T_FLOAT, T_GEO, T_HLL,
                      T_INPUT_END, T_INT, T_LIST, T_MAP, T_NIL, T_REMOVE, T_STR, TYPE_NAMES, UNK,
                      REMOVE_RESULT, type_of_value,
                      Blob, CdtList, CdtMap, Geo, from_particle, msgpack_compare, to_msgpack, wrap64)

MAX_SIZE = 1024 * 1024
MAX_BIN_NAME = 15

# op codes
UNKNOWN, EQ, NE, GT, GE, LT, LE, REGEX, GEO_CMP, IN_LIST = range(10)
AND, OR, NOT, EXCLUSIVE = 16, 17, 18, 19
ADD, SUB, MUL, DIV, POW, LOG, MOD, ABS, FLOOR, CEIL, TO_INT, TO_FLOAT = range(20, 32)
INT_AND, INT_OR, INT_XOR, INT_NOT, INT_LSHIFT, INT_RSHIFT, INT_ARSHIFT, INT_COUNT, INT_LSCAN, \
    INT_RSCAN = range(32, 42)
MIN, MAX = 50, 51
DIGEST_MODULO, DEVICE_SIZE, LAST_UPDATE, SINCE_UPDATE, VOID_TIME, TTL, SET_NAME, KEY_EXISTS, \
    IS_TOMBSTONE, MEMORY_SIZE, RECORD_SIZE = range(64, 75)
KEY, BIN, BIN_TYPE = 80, 81, 82
RESULT_REMOVE, MAP_KEYS, MAP_VALUES = 100, 101, 102
VAR_BUILTIN, COND, VAR, LET, QUOTE, CALL = range(122, 128)

CALL_CDT, CALL_BITS, CALL_HLL, CALL_STRING = 0, 1, 2, 3
CALL_MODIFY_LOCAL = 0x40
BUILTIN_COUNT = 3
BUILTIN_INDEX = 2

_CALL_OPS = {CALL_CDT: (OpType.CDT_READ, OpType.CDT_MODIFY),
             CALL_BITS: (OpType.BIT_READ, OpType.BIT_MODIFY),
             CALL_HLL: (OpType.HLL_READ, OpType.HLL_MODIFY),
             CALL_STRING: (OpType.STRING_READ, OpType.STRING_MODIFY)}
_CALL_BIN_TYPES = {CALL_CDT: (T_LIST, T_MAP), CALL_BITS: (T_BLOB,), CALL_HLL: (T_HLL,), CALL_STRING: (T_STR,)}

_EPOCH_NS = CITRUSLEAF_EPOCH * 1_000_000_000


def param_error(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.PARAMETER, "expression: " + message)


class Node:
    """A built instruction: `fn(ctx)` evaluates it, `type` is its static result type, `unk` marks
    the literal unknown instruction (allowed as any branch of a cond), `raw_bin(ctx)` (bin reads
    only) gives the bin's (particle type, bytes) without decoding it."""

    __slots__ = ("fn", "type", "unk", "raw_bin")

    def __init__(self, fn, type_: int, unk: bool = False, raw_bin=None):
        self.fn = fn
        self.type = type_
        self.unk = unk
        self.raw_bin = raw_bin


def _const(value):
    return lambda ctx: value


def _unk(ctx):
    return UNK


# -- the msgpack reader ------------------------------------------------------------------------


def _is_array(b: int) -> bool:
    return 0x90 <= b <= 0x9f or b == 0xdc or b == 0xdd


class _Builder:
    def __init__(self, data: bytes):
        self.r = V.Reader(bytes(data))
        self.scopes: list[dict[bytes, tuple[int, int | None]]] = []
        self.var_count = 0
        self.max_vars = 0

    # reading
    def peek(self) -> int:
        r = self.r
        if r.pos >= r.end:
            raise param_error("truncated")
        return r.data[r.pos]

    def uint(self) -> int:
        value = self.value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise param_error("expected an integer")
        return value & 0xFFFFFFFFFFFFFFFF

    def int64(self) -> int:
        value = self.value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise param_error("expected an integer")
        return value

    def value(self):
        try:
            return self.r.value()
        except V.CdtError as exc:
            raise param_error(str(exc)) from None

    def raw_element(self) -> bytes:
        start = self.r.pos
        self.value()
        return self.r.data[start:self.r.pos]

    def raw_str(self) -> bytes:
        """msgpack_get_bin: the bytes of a str or bin object, as they are."""
        r = self.r
        try:
            b = r.byte()
            if 0xa0 <= b <= 0xbf:
                n = b & 0x1f
            elif b in (0xc4, 0xd9):
                n = r.byte()
            elif b in (0xc5, 0xda):
                n = int.from_bytes(r.take(2), "big")
            elif b in (0xc6, 0xdb):
                n = int.from_bytes(r.take(4), "big")
            else:
                raise param_error("expected a string")
            return r.take(n)
        except V.CdtError as exc:
            raise param_error(str(exc)) from None

    def array_header(self) -> int:
        try:
            return self.r.array_header()
        except V.CdtError as exc:
            raise param_error(str(exc)) from None

    # building
    def build(self) -> Node:
        b = self.peek()
        if not _is_array(b):
            return self.literal()
        count = self.array_header()
        if count == 0:
            raise param_error("empty instruction")
        code = self.uint()
        builder = _BUILDERS.get(code)
        if builder is None:
            raise param_error("invalid op code %d" % code)
        return builder(self, count - 1)

    def literal(self) -> Node:
        value = self.value()
        if value is None:
            return Node(_const(None), T_NIL)
        if value is True or value is False:
            return Node(_const(value), T_BOOL)
        if isinstance(value, int):
            return Node(_const(value), T_INT)
        if isinstance(value, float):
            return Node(_const(float(value)), T_FLOAT)
        if isinstance(value, Geo):
            try:
                geo.parse(str(value))
            except geo.GeoError as exc:
                raise param_error("invalid geojson: %s" % exc) from None
            return Node(_const(value), T_GEO)
        if isinstance(value, str):
            return Node(_const(value), T_STR)
        if isinstance(value, Blob):
            if value.prefix == ParticleType.BLOB:
                return Node(_const(value), T_BLOB)
            if value.prefix == ParticleType.HLL:
                return Node(_const(value), T_HLL)
            raise param_error("invalid blob type %r" % value.prefix)
        if isinstance(value, CdtMap):
            return Node(_const(value), T_MAP)
        return Node(_const(value), T_END)  # ext, wildcard, infinity

    def args(self, n: int) -> list[Node]:
        return [self.build() for _ in range(n)]


def _expect_count(n: int, want: int, name: str) -> None:
    if n != want:
        raise param_error("%s expects %d args, found %d" % (name, want, n))


def _type_error(name: str, node: Node) -> AerospikeWireError:
    return param_error("%s: invalid arg type %s" % (name, TYPE_NAMES.get(node.type, node.type)))


def _checked_args(b: _Builder, name: str, types: tuple) -> list:
    """Build one arg per entry of `types`, each of that type; their fns."""
    fns = []
    for want in types:
        node = b.build()
        if node.type != want:
            raise _type_error(name, node)
        fns.append(node.fn)
    return fns


def _both(lf, rf, op):
    """A fn of two args: UNK when either is (the right one not evaluated when the left is), else op(a, b)."""
    def fn(ctx):
        a = lf(ctx)
        if a is UNK:
            return UNK
        c = rf(ctx)
        if c is UNK:
            return UNK
        return op(a, c)
    return fn


# -- comparisons --------------------------------------------------------------------------------

_CMP_TESTS = {EQ: lambda c: c == 0, NE: lambda c: c != 0, GT: lambda c: c > 0, GE: lambda c: c >= 0,
              LT: lambda c: c < 0, LE: lambda c: c <= 0}


def _build_compare(code: int):
    test = _CMP_TESTS[code]

    def build(b: _Builder, n: int) -> Node:
        _expect_count(n, 2, "compare")
        left, right = b.args(2)
        if left.type != right.type:
            raise param_error("compare: mismatched arg types %s and %s"
                              % (TYPE_NAMES.get(left.type), TYPE_NAMES.get(right.type)))
        if left.type in (T_GEO, T_HLL):
            raise _type_error("compare", left)
        lf, rf = left.fn, right.fn
        t = left.type
        if t == T_NIL:
            result = test(0)
            return Node(lambda ctx: UNK if lf(ctx) is UNK or rf(ctx) is UNK else result, T_BOOL)
        if t in (T_BOOL, T_INT, T_FLOAT, T_BLOB):
            def direct(a, c):
                if t == T_BLOB:
                    a, c = bytes(a), bytes(c)
                if code == EQ:
                    return a == c
                if code == NE:
                    return a != c
                if code == GT:
                    return a > c
                if code == GE:
                    return a >= c
                if code == LT:
                    return a < c
                return a <= c
            return Node(_both(lf, rf, direct), T_BOOL)
        if t == T_STR:
            def utf8(a, c):
                x, y = a.encode("utf-8", "surrogateescape"), c.encode("utf-8", "surrogateescape")
                return test((x > y) - (x < y))
            return Node(_both(lf, rf, utf8), T_BOOL)

        def msgpack(a, c):  # lists, maps, other msgpack
            result = msgpack_compare(a, c)
            return UNK if result is UNK else test(result)
        return Node(_both(lf, rf, msgpack), T_BOOL)
    return build


def _build_regex(b: _Builder, n: int) -> Node:
    _expect_count(n, 3, "cmp_regex")
    flags = b.int64()
    raw = b.raw_str()
    subject = b.build()
    if subject.type != T_STR:
        raise _type_error("cmp_regex", subject)
    pattern = raw.split(b"\x00", 1)[0].decode("utf-8", "surrogateescape")
    try:
        regex = posix_regex.compile_posix(pattern, flags & 0xFFFFFFFF)
    except (re.error, RecursionError, OverflowError) as exc:
        raise param_error("regex compile: %s" % exc) from None
    sf = subject.fn

    def fn(ctx):
        s = sf(ctx)
        if s is UNK or not isinstance(s, str):
            return UNK
        return regex.search(s.split("\x00", 1)[0]) is not None
    return Node(fn, T_BOOL)


def _build_geo(b: _Builder, n: int) -> Node:
    lf, rf = _typed_args(b, n, "cmp_geo", (T_GEO, T_GEO))

    def match(a, c):
        try:
            return geo.match(geo.parse(str(a)), geo.parse(str(c)))
        except geo.GeoError:
            return UNK
    return Node(_both(lf, rf, match), T_BOOL)


def _build_in_list(b: _Builder, n: int) -> Node:
    _expect_count(n, 2, "in_list")
    value, lst = b.args(2)
    if lst.type != T_LIST:
        raise _type_error("in_list", lst)
    vf, lf = value.fn, lst.fn

    def fn(ctx):
        v = vf(ctx)
        if v is UNK:
            return UNK
        items = lf(ctx)
        if items is UNK or not isinstance(items, list) or isinstance(items, CdtMap):
            return UNK
        return any(V.compare(v, item) == 0 for item in items)
    return Node(fn, T_BOOL)


# -- logic --------------------------------------------------------------------------------------


def _bool_args(b: _Builder, n: int, name: str, minimum: int) -> list:
    if n < minimum:
        raise param_error("%s: too few args %d" % (name, n))
    return _checked_args(b, name, (T_BOOL,) * n)


def _build_junction(name: str, decisive: bool):
    """and (decisive False) / or (decisive True): the first decisive arg decides, else UNK if any
    arg is UNK, else `not decisive`."""
    def build(b: _Builder, n: int) -> Node:
        fns = _bool_args(b, n, name, 2)

        def fn(ctx):
            result = not decisive
            for f in fns:
                v = f(ctx)
                if v is UNK:
                    result = UNK
                elif bool(v) == decisive:
                    return decisive
            return result
        return Node(fn, T_BOOL)
    return build


def _build_exclusive(b: _Builder, n: int) -> Node:
    fns = _bool_args(b, n, "exclusive", 2)

    def fn(ctx):
        seen = False
        for f in fns:
            v = f(ctx)
            if v is UNK:
                return UNK
            if v:
                if seen:
                    return False
                seen = True
        return seen
    return Node(fn, T_BOOL)


# -- arithmetic ---------------------------------------------------------------------------------


def _fdiv(a: float, b: float) -> float:
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _tdiv(a: int, b: int) -> int:
    """C integer division (truncates toward zero), int64 wrap."""
    q = abs(a) // abs(b)
    return wrap64(q if (a < 0) == (b < 0) else -q)


def _cmod(a: int, b: int) -> int:
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _fold_int(code: int, values: list) -> object:
    acc = values[0]
    if code == ADD:
        for v in values[1:]:
            acc += v
    elif code == SUB:
        if len(values) == 1:
            return wrap64(-acc)
        for v in values[1:]:
            acc -= v
    elif code == MUL:
        for v in values[1:]:
            acc = wrap64(acc * v)
    elif code == DIV:
        if len(values) == 1:
            divisor, acc = acc, 1
        else:
            divisor = 1
            for v in values[1:]:
                divisor = wrap64(divisor * v)
        if divisor == 0:
            return UNK
        return _tdiv(acc, divisor)
    elif code == MIN:
        return min(values)
    elif code == MAX:
        return max(values)
    return wrap64(acc)


def _fold_float(code: int, values: list) -> float:
    acc = values[0]
    if code == ADD:
        for v in values[1:]:
            acc += v
    elif code == SUB:
        if len(values) == 1:
            return 0.0 - acc
        for v in values[1:]:
            acc -= v
    elif code == MUL:
        for v in values[1:]:
            acc *= v
    elif code == DIV:
        if len(values) == 1:
            return _fdiv(1.0, acc)
        divisor = 1.0
        for v in values[1:]:
            divisor *= v
        return _fdiv(acc, divisor)
    elif code == MIN:
        for v in values[1:]:
            if acc > v:
                acc = v
    elif code == MAX:
        for v in values[1:]:
            if acc < v:
                acc = v
    return acc


def _build_math_vargs(code: int):
    def build(b: _Builder, n: int) -> Node:
        if n < 1:
            raise param_error("math: too few args")
        nodes = b.args(n)
        kind = None
        for node in nodes:
            if node.type not in (T_INT, T_FLOAT):
                raise _type_error("math", node)
            if kind is None:
                kind = node.type
            elif kind != node.type:
                raise param_error("math: mixed types")
        fns = [node.fn for node in nodes]
        fold = _fold_float if kind == T_FLOAT else _fold_int

        def fn(ctx):
            values = []
            for f in fns:
                v = f(ctx)
                if v is UNK:
                    return UNK
                values.append(v)
            return fold(code, values)
        return Node(fn, kind)
    return build


def _typed_args(b: _Builder, n: int, name: str, types: tuple) -> list:
    _expect_count(n, len(types), name)
    return _checked_args(b, name, types)


def _unary(name: str, arg_type: int, result_type: int, op):
    def build(b: _Builder, n: int) -> Node:
        (f,) = _typed_args(b, n, name, (arg_type,))

        def fn(ctx):
            v = f(ctx)
            return UNK if v is UNK else op(v)
        return Node(fn, result_type)
    return build


def _binary(name: str, types: tuple, result_type: int, op):
    def build(b: _Builder, n: int) -> Node:
        f0, f1 = _typed_args(b, n, name, types)
        return Node(_both(f0, f1, op), result_type)
    return build


def _pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf if x > 0 or float(y).is_integer() and int(y) % 2 == 0 else -math.inf
    except ValueError:
        if x == 0.0:
            return math.inf
        return math.nan


def _clog(x: float) -> float:
    if math.isnan(x) or x < 0:
        return math.nan
    if x == 0:
        return -math.inf
    if math.isinf(x):
        return math.inf
    return math.log(x)


def _log(x: float, base: float) -> float:
    a, b = _clog(x), _clog(base)
    if b == 0.0:
        return _fdiv(a, b)
    if math.isinf(a) and math.isinf(b):
        return math.nan
    return a / b


def _mod(x: int, y: int):
    return UNK if y == 0 else _cmod(x, y)


def _abs(v):
    return abs(v) if isinstance(v, float) else wrap64(abs(v))


def _floor(v: float) -> float:
    return float(math.floor(v)) if math.isfinite(v) else v


def _ceil(v: float) -> float:
    return float(math.ceil(v)) if math.isfinite(v) else v


def _to_int(v: float) -> int:
    if not math.isfinite(v) or not (-9.223372036854775808e18 <= v < 9.223372036854775808e18):
        return INT64_MIN  # what the x86 conversion gives for out-of-range values
    return int(v)


def _build_abs(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "abs")
    node = b.build()
    if node.type not in (T_INT, T_FLOAT):
        raise _type_error("abs", node)
    f = node.fn

    def fn(ctx):
        v = f(ctx)
        return UNK if v is UNK else _abs(v)
    return Node(fn, node.type)


def _build_int_vargs(code: int):
    def build(b: _Builder, n: int) -> Node:
        if n < 1:
            raise param_error("int op: too few args")
        fns = _checked_args(b, "int op", (T_INT,) * n)

        def fn(ctx):
            acc = None
            for f in fns:
                v = f(ctx)
                if v is UNK:
                    return UNK
                if acc is None:
                    acc = v
                elif code == INT_AND:
                    acc &= v
                elif code == INT_OR:
                    acc |= v
                else:
                    acc ^= v
            return acc
        return Node(fn, T_INT)
    return build


def _lshift(x: int, s: int) -> int:
    return wrap64(x << (s & 63))


def _rshift(x: int, s: int) -> int:
    return wrap64((x & 0xFFFFFFFFFFFFFFFF) >> (s & 63))


def _arshift(x: int, s: int) -> int:
    return x >> (s & 63)


def _popcount(x: int) -> int:
    return bin(x & 0xFFFFFFFFFFFFFFFF).count("1")


def _lscan(x: int, search: bool) -> int:
    u = x & 0xFFFFFFFFFFFFFFFF
    if not search:
        u ^= 0xFFFFFFFFFFFFFFFF
    return -1 if u == 0 else 64 - u.bit_length()


def _rscan(x: int, search: bool) -> int:
    u = x & 0xFFFFFFFFFFFFFFFF
    if not search:
        u ^= 0xFFFFFFFFFFFFFFFF
    if u == 0:
        return -1
    return 63 - ((u & -u).bit_length() - 1)


# -- record metadata ----------------------------------------------------------------------------


def _meta(name: str, result_type: int, getter):
    def build(b: _Builder, n: int) -> Node:
        _expect_count(n, 0, name)

        def fn(ctx):
            if not ctx.has_meta:
                return UNK
            return getter(ctx)
        return Node(fn, result_type)
    return build


def _lut_ms(ctx) -> int:
    record = ctx.record
    return record.last_update_ns // 1_000_000 if record is not None else CITRUSLEAF_EPOCH * 1000


def _meta_last_update(ctx) -> int:
    return _lut_ms(ctx) * 1_000_000


def _meta_since_update(ctx) -> int:
    now_ms = ctx.now_ns() // 1_000_000
    lut = _lut_ms(ctx)
    return now_ms - lut if now_ms > lut else 0


def _void_time(ctx) -> int:
    return ctx.record.void_time if ctx.record is not None else 0


def _meta_void_time(ctx) -> int:
    vt = _void_time(ctx)
    return -1 if vt == 0 else _EPOCH_NS + vt * 1_000_000_000


def _meta_ttl(ctx) -> int:
    vt = _void_time(ctx)
    if vt == 0:
        return -1
    now = ctx.now_ns() // 1_000_000_000 - CITRUSLEAF_EPOCH
    return vt - now if vt > now else 1


def _meta_set_name(ctx) -> str:
    return ctx.set_name or ""


def _meta_key_exists(ctx) -> bool:
    return ctx.key is not None


def _meta_size(ctx) -> int:
    return ctx.record_size()


def _build_digest_modulo(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "digest_modulo")
    mod = b.int64() & 0xFFFFFFFF
    if mod >= 1 << 31:
        mod -= 1 << 32
    if mod == 0:
        raise param_error("digest_modulo by zero")
    divisor = abs(mod)

    def fn(ctx):
        if not ctx.has_meta or ctx.digest is None:
            return UNK
        return int.from_bytes(ctx.digest[16:20], "little") % divisor
    return Node(fn, T_INT)


def _build_key(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "key")
    want = b.uint()
    if want not in (T_INT, T_STR, T_BLOB):
        raise param_error("key: invalid type %d" % want)

    def fn(ctx):
        key = ctx.key
        if key is None or len(key) < 1:
            return UNK
        ktype = key[0]
        if ktype == ParticleType.INTEGER:
            if len(key) != 9 or want != T_INT:
                return UNK
            return int.from_bytes(key[1:], "big", signed=True)
        if ktype == ParticleType.STRING:
            return key[1:].decode("utf-8", "surrogateescape") if want == T_STR else UNK
        if ktype == ParticleType.BLOB:
            return Blob(key[1:], ParticleType.BLOB) if want == T_BLOB else UNK
        return UNK
    return Node(fn, want)


def _bin_name(b: _Builder) -> str:
    raw = b.raw_str()
    if len(raw) > MAX_BIN_NAME or b"\x00" in raw:
        raise param_error("invalid bin name")
    return raw.decode("utf-8", "surrogateescape")


def _build_bin(b: _Builder, n: int) -> Node:
    _expect_count(n, 2, "bin")
    want = b.uint()
    if want >= T_INPUT_END:
        raise param_error("bin: invalid type %d" % want)
    name = _bin_name(b)
    ptype = PARTICLE_OF_TYPE[want]

    def raw(ctx):
        if ctx.bins is None:  # no record (a path expression's filter or modify expression)
            return UNK
        value = ctx.bins.get(name)
        if value is None or value[0] != ptype:
            return UNK
        return value

    def fn(ctx):
        value = raw(ctx)
        if value is UNK:
            return UNK
        if ptype == ParticleType.LIST or ptype == ParticleType.MAP:
            cache = ctx.cache
            hit = cache.get(name)
            if hit is not None and hit[0] is value:
                return hit[1]
            decoded = from_particle(ptype, value[1])
            cache[name] = (value, decoded)
            return decoded
        return from_particle(ptype, value[1])
    return Node(fn, want, raw_bin=raw)


def _build_bin_type(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "bin_type")
    name = _bin_name(b)

    def fn(ctx):
        if ctx.bins is None:  # no record (a path expression's filter or modify expression)
            return UNK
        value = ctx.bins.get(name)
        return ParticleType.NULL if value is None else value[0]
    return Node(fn, T_INT)


def _build_result_remove(b: _Builder, n: int) -> Node:
    _expect_count(n, 0, "result_remove")

    def fn(ctx):  # only meaningful inside a path apply (ctx.loop set); elsewhere unknown
        return REMOVE_RESULT if ctx.loop is not None else UNK
    return Node(fn, T_REMOVE)


def _build_map_kv(values: bool):
    def build(b: _Builder, n: int) -> Node:
        _expect_count(n, 1, "map_keys/values")
        f = b.build().fn

        def fn(ctx):
            m = f(ctx)
            if not isinstance(m, CdtMap):
                return UNK
            return CdtList(m.values() if values else m.keys())
        return Node(fn, T_LIST)
    return build


# -- variables, cond ----------------------------------------------------------------------------


def _build_var_builtin(b: _Builder, n: int) -> Node:
    _expect_count(n, 2, "var_builtin")
    want = b.uint()
    idx = b.uint()
    if idx >= BUILTIN_COUNT or (idx == BUILTIN_INDEX and want != T_INT):
        raise param_error("invalid builtin var")
    if want >= T_INPUT_END and want != T_REMOVE:
        raise param_error("var_builtin: invalid type")

    def fn(ctx):  # loop variables exist only inside path expressions (ctx.loop set)
        loop = ctx.loop
        if loop is None:
            return UNK
        value = loop[idx]
        if value is UNK:
            return UNK
        return value if type_of_value(value) == want else UNK
    return Node(fn, want)


def _build_var(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "var")
    name = b.raw_str()
    for scope in reversed(b.scopes):
        if name in scope:
            idx, vtype = scope[name]
            break
    else:
        raise param_error("undefined var %r" % name)
    if vtype is None or vtype == T_END:
        raise param_error("var %r used while it is defined" % name)

    def fn(ctx):
        return ctx.vars[idx]
    return Node(fn, vtype)


def _valid_var_name(name: bytes) -> bool:
    if not name:
        return False
    first = chr(name[0])
    if not (first == "_" or (first.isascii() and first.isalpha())):
        return False
    return all(chr(c) == "_" or (chr(c).isascii() and chr(c).isalnum()) for c in name[1:])


def _build_let(b: _Builder, n: int) -> Node:
    if n < 3 or n % 2 == 0:
        raise param_error("let: invalid arg count %d" % n)
    scope: dict[bytes, tuple[int, int | None]] = {}
    b.scopes.append(scope)
    base = b.var_count
    defs = []
    for _ in range(n // 2):
        name = b.raw_str()
        if not _valid_var_name(name):
            raise param_error("illegal variable name %r" % name)
        if any(name in s for s in b.scopes):
            raise param_error("duplicate var name %r" % name)
        idx = b.var_count
        b.var_count += 1
        scope[name] = (idx, None)
        node = b.build()
        scope[name] = (idx, node.type)
        defs.append((idx, node.fn))
    body = b.build()
    b.max_vars = max(b.max_vars, b.var_count)
    b.scopes.pop()
    b.var_count = base
    bf = body.fn

    def fn(ctx):
        variables = ctx.vars
        for idx, f in defs:
            variables[idx] = f(ctx)
        return bf(ctx)
    return Node(fn, body.type)


def _build_cond(b: _Builder, n: int) -> Node:
    if n < 3:
        raise param_error("cond: too few args %d" % n)
    if n % 2 == 0:
        raise param_error("cond: requires a default case")
    result_type = None
    cases = []
    for _ in range(n // 2):
        test = b.build()
        if test.type != T_BOOL:
            raise _type_error("cond", test)
        action = b.build()
        if not action.unk:
            if result_type is None:
                result_type = action.type
            elif action.type != result_type:
                raise param_error("cond: mismatched branch types")
        cases.append((test.fn, action.fn))
    default = b.build()
    if result_type is None:
        result_type = default.type
    elif not default.unk and default.type != result_type:
        raise param_error("cond: mismatched default type")
    df = default.fn

    def fn(ctx):
        for test, action in cases:
            v = test(ctx)
            if v is UNK:
                return UNK
            if v:
                return action(ctx)
        return df(ctx)
    return Node(fn, result_type)


def _build_quote(b: _Builder, n: int) -> Node:
    _expect_count(n, 1, "quote")
    if not _is_array(b.peek()):
        raise param_error("quote: invalid list arg")
    return Node(_const(b.value()), T_LIST)


def _build_unknown(b: _Builder, n: int) -> Node:
    _expect_count(n, 0, "unknown")
    return Node(_unk, T_BOOL, unk=True)


# -- call (CDT / bit / HLL ops on a value) ------------------------------------------------------


def _call_bin(value):
    """A value as the bin a call works on: (particle type, bytes), None (empty) or UNK."""
    if value is None:
        return None
    if isinstance(value, Blob):
        if value.prefix in (ParticleType.BLOB, ParticleType.HLL):
            return value.prefix, bytes(value)
        return UNK
    if isinstance(value, CdtMap):
        return ParticleType.MAP, V.pack(value)
    if isinstance(value, list):
        return ParticleType.LIST, V.pack(value)
    if isinstance(value, str) and not isinstance(value, V.Geo):
        return ParticleType.STRING, value.encode("utf-8", "surrogateescape")
    return UNK


# -- to_string (server 8.2) ---------------------------------------------------------------------

TO_STRING = 99


def _build_to_string(b: _Builder, n: int) -> Node:
    """The text of an int, float, bool, string or blob value (unknown when a blob is not UTF-8)."""
    _expect_count(n, 1, "to_string")
    node = b.build()
    if node.type not in (T_INT, T_FLOAT, T_BOOL, T_STR, T_BLOB):
        raise _type_error("to_string", node)
    f = node.fn

    def fn(ctx):
        from ..binops import strings
        v = f(ctx)
        if v is UNK or v is None or v is V.MISSING:
            return UNK
        try:
            particle = V.to_particle(v)
            return UNK if particle is None else strings.to_string(particle[0], particle[1])
        except (AerospikeWireError, TypeError):
            return UNK
    return Node(fn, T_STR)


def _build_call(b: _Builder, n: int) -> Node:
    _expect_count(n, 4, "call")
    result_type = b.uint()
    if result_type >= T_INPUT_END:
        raise param_error("call: invalid type %d" % result_type)
    system = b.uint()
    # the op payload: raw parts with evaluated arguments (sub-lists) in between
    parts: list = []
    if not _is_array(b.peek()):
        raise param_error("call: payload is not a list")
    start = b.r.pos
    count = b.array_header()
    if count == 0:
        raise param_error("call: empty payload")
    code = b.uint()
    if code == 0xff:
        if count != 3:
            raise param_error("call: context payload needs 3 elements")
        b.raw_element()
        if not _is_array(b.peek()):
            raise param_error("call: context op is not a list")
        count = b.array_header()
        if count == 0:
            raise param_error("call: empty op")
        b.uint()
    elif code == 0xfe:
        if count not in (3, 4) or not _is_array(b.peek()):
            raise param_error("call: invalid select")
        b.raw_element()
        b.uint()
        if count == 4:
            b.raw_element()
        count = 1
    parts.append(b.r.data[start:b.r.pos])
    for _ in range(count - 1):
        if _is_array(b.peek()):
            parts.append(b.build().fn)
        else:
            raw = b.raw_element()
            if isinstance(parts[-1], bytes):
                parts[-1] += raw
            else:
                parts.append(raw)
    bin_node = b.build()
    static_type = result_type
    if bin_node.type == T_NIL:
        static_type = T_NIL  # the server skips its checks and types the call nil (its value keeps
    else:                    # the declared type)
        allowed = _CALL_BIN_TYPES.get(system & ~CALL_MODIFY_LOCAL)
        if allowed is None:
            raise param_error("call: invalid system %d" % system)
        if bin_node.type not in allowed:
            raise _type_error("call", bin_node)
    ops = _CALL_OPS.get(system & ~CALL_MODIFY_LOCAL)
    if ops is None:
        raise param_error("call: invalid system %d" % system)
    modify = bool(system & CALL_MODIFY_LOCAL)
    opcode = ops[1] if modify else ops[0]
    want = PARTICLE_OF_TYPE[result_type]
    raw_bin, bin_fn = bin_node.raw_bin, bin_node.fn

    def fn(ctx):
        from .. import binops
        payload = bytearray()
        for part in parts:
            if isinstance(part, bytes):
                payload += part
                continue
            v = part(ctx)
            if v is UNK or v is V.MISSING:
                return UNK
            try:
                payload += to_msgpack(v)
            except TypeError:
                return UNK
        target = raw_bin(ctx) if raw_bin is not None else _call_bin(bin_fn(ctx))
        if target is UNK:
            return UNK
        bins = {} if target is None else {"": target}
        try:
            result = binops.apply(Op(opcode, ParticleType.BLOB, "", bytes(payload)), bins)
        except AerospikeWireError:
            return UNK
        if modify:
            new = bins.get("")
            if new is None:
                return None if want == ParticleType.NULL else UNK
            if new[0] != want:
                return UNK
            return from_particle(new[0], new[1])
        if result is None or result.particle_type == ParticleType.NULL:
            return None if want == ParticleType.NULL else UNK
        if result.particle_type != want:
            return UNK
        value = from_particle(result.particle_type, result.value)
        if isinstance(value, Geo):
            try:
                geo.parse(str(value))
            except geo.GeoError:
                return UNK
        return value
    return Node(fn, static_type)


# -- the op table -------------------------------------------------------------------------------

_BUILDERS = {
    UNKNOWN: _build_unknown,
    EQ: _build_compare(EQ), NE: _build_compare(NE), GT: _build_compare(GT),
    GE: _build_compare(GE), LT: _build_compare(LT), LE: _build_compare(LE),
    REGEX: _build_regex, GEO_CMP: _build_geo, IN_LIST: _build_in_list,
    AND: _build_junction("and", False), OR: _build_junction("or", True),
    NOT: _unary("not", T_BOOL, T_BOOL, lambda v: not v), EXCLUSIVE: _build_exclusive,
    ADD: _build_math_vargs(ADD), SUB: _build_math_vargs(SUB), MUL: _build_math_vargs(MUL),
    DIV: _build_math_vargs(DIV), MIN: _build_math_vargs(MIN), MAX: _build_math_vargs(MAX),
    POW: _binary("pow", (T_FLOAT, T_FLOAT), T_FLOAT, _pow),
    LOG: _binary("log", (T_FLOAT, T_FLOAT), T_FLOAT, _log),
    MOD: _binary("mod", (T_INT, T_INT), T_INT, _mod),
    ABS: _build_abs,
    FLOOR: _unary("floor", T_FLOAT, T_FLOAT, _floor),
    CEIL: _unary("ceil", T_FLOAT, T_FLOAT, _ceil),
    TO_INT: _unary("to_int", T_FLOAT, T_INT, _to_int),
    TO_FLOAT: _unary("to_float", T_INT, T_FLOAT, float),
    INT_AND: _build_int_vargs(INT_AND), INT_OR: _build_int_vargs(INT_OR),
    INT_XOR: _build_int_vargs(INT_XOR),
    INT_NOT: _unary("int_not", T_INT, T_INT, lambda v: ~v),
    INT_LSHIFT: _binary("int_lshift", (T_INT, T_INT), T_INT, _lshift),
    INT_RSHIFT: _binary("int_rshift", (T_INT, T_INT), T_INT, _rshift),
    INT_ARSHIFT: _binary("int_arshift", (T_INT, T_INT), T_INT, _arshift),
    INT_COUNT: _unary("int_count", T_INT, T_INT, _popcount),
    INT_LSCAN: _binary("int_lscan", (T_INT, T_BOOL), T_INT, _lscan),
    INT_RSCAN: _binary("int_rscan", (T_INT, T_BOOL), T_INT, _rscan),
    DIGEST_MODULO: _build_digest_modulo,
    DEVICE_SIZE: _meta("device_size", T_INT, lambda ctx: 0),  # memory namespace
    LAST_UPDATE: _meta("last_update", T_INT, _meta_last_update),
    SINCE_UPDATE: _meta("since_update", T_INT, _meta_since_update),
    VOID_TIME: _meta("void_time", T_INT, _meta_void_time),
    TTL: _meta("ttl", T_INT, _meta_ttl),
    SET_NAME: _meta("set_name", T_STR, _meta_set_name),
    KEY_EXISTS: _meta("key_exists", T_BOOL, _meta_key_exists),
    IS_TOMBSTONE: _meta("is_tombstone", T_BOOL, lambda ctx: False),
    MEMORY_SIZE: _meta("memory_size", T_INT, _meta_size),
    RECORD_SIZE: _meta("record_size", T_INT, _meta_size),
    KEY: _build_key, BIN: _build_bin, BIN_TYPE: _build_bin_type,
    RESULT_REMOVE: _build_result_remove,
    MAP_KEYS: _build_map_kv(False), MAP_VALUES: _build_map_kv(True),
    VAR_BUILTIN: _build_var_builtin, COND: _build_cond, VAR: _build_var, LET: _build_let,
    QUOTE: _build_quote, CALL: _build_call, TO_STRING: _build_to_string,
}


class Expression:
    """A built expression: `type` is its static result type, `evaluate(ctx)` its value or UNK."""

    __slots__ = ("type", "fn", "n_vars")

    def __init__(self, node: Node, n_vars: int):
        self.type = node.type
        self.fn = node.fn
        self.n_vars = n_vars

    def evaluate(self, ctx):
        ctx.vars = [UNK] * self.n_vars if self.n_vars else ()
        return self.fn(ctx)


def build(data: bytes) -> Expression:
    """Build the expression msgpack `data` (PARAMETER when the server would refuse it)."""
    if len(data) >= MAX_SIZE:
        raise param_error("expression larger than 1 MiB")
    builder = _Builder(data)
    if not data:
        raise param_error("empty expression")
    try:
        node = builder.build()
    except RecursionError:
        raise param_error("expression nested too deeply") from None
    if builder.r.pos != builder.r.end:
        raise param_error("trailing bytes after the expression")
    if node.type == T_END:
        raise param_error("expression has no result type")
    return Expression(node, builder.max_vars)
