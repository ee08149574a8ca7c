"""HyperLogLog operations (wire op 15 HLL_READ / 16 HLL_MODIFY).

Values are HLL particles (type 18) in the Aerospike server's own layout, so that clients can read
them and hand them back (the official client's `HyperLogLog` objects):

    byte 0      flags (always 0)
    byte 1      n_index_bits      (4..16; 2**n_index_bits registers)
    byte 2      n_minhash_bits    (0, or 4..51; n_index_bits + n_minhash_bits <= 64)
    bytes 3..10 cached count, unsigned 64-bit little-endian (0 = not cached)
    bytes 11..  the registers, each 6 + n_minhash_bits bits, packed most significant bit first
                (register r starts at bit r * (6 + n_minhash_bits)), zero padded to a byte

A register holds (hll_value << n_minhash_bits) | minhash_value. An element (its msgpack bytes,
normalised like the server's msgpack_compactify) is hashed with MurmurHash3 x64 128 (seed 0):
the first 64-bit half h1 picks the register (its low n_index_bits) and gives the minhash bits
(the next n_minhash_bits), the second half h2 gives hll_value = trailing zeros of h2 + 1.

Counts use Ertl's improved estimator (arXiv:1702.01284, algorithm 6); similarity and intersection
use HyperMinHash (arXiv:1710.08436) when every sketch has the same non-zero minhash bits and
inclusion-exclusion on HLL counts otherwise, as the server does (`particle_hll.c`).
"""

from __future__ import annotations

import math
import struct

from ..wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode
from . import register
from .bits import MsgpackArgs

# op codes
INIT, ADD, SET_UNION, REFRESH_COUNT, FOLD = 0, 1, 2, 3, 4
GET_COUNT, GET_UNION, GET_UNION_COUNT, GET_INTERSECT_COUNT, GET_SIMILARITY, DESCRIBE, MAY_CONTAIN = range(50, 57)

# flags
CREATE_ONLY, UPDATE_ONLY, NO_FAIL, ALLOW_FOLD = 0x01, 0x02, 0x04, 0x08

MIN_INDEX_BITS, MAX_INDEX_BITS = 4, 16
HLL_BITS = 6
MIN_MINHASH_BITS, MAX_MINHASH_BITS = 4, 64 - HLL_BITS - 7
MAX_INDEX_AND_MINHASH_BITS = 64
HEADER_SIZE = 11
UNSET = 0xFF

_M64 = (1 << 64) - 1
_F64 = struct.Struct(">d")
_I64 = struct.Struct(">q")


def _param(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.PARAMETER, message)


def _not_applicable(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.OP_NOT_APPLICABLE, message)


# -- MurmurHash3 x64 128 ----------------------------------------------------------------------

_C1 = 0x87C37B91114253D5
_C2 = 0x4CF5AD432745937F


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _M64


def _fmix(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & _M64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & _M64
    k ^= k >> 33
    return k


def _mix_k1(k1: int) -> int:
    return (_rotl((k1 * _C1) & _M64, 31) * _C2) & _M64


def _mix_k2(k2: int) -> int:
    return (_rotl((k2 * _C2) & _M64, 33) * _C1) & _M64


def murmur3_x64_128(data: bytes) -> tuple[int, int]:
    """(h1, h2) of MurmurHash3_x64_128 with seed 0."""
    length = len(data)
    h1 = h2 = 0
    n_blocks = length // 16
    for i in range(n_blocks):
        k1 = int.from_bytes(data[16 * i:16 * i + 8], "little")
        k2 = int.from_bytes(data[16 * i + 8:16 * i + 16], "little")
        h1 ^= _mix_k1(k1)
        h1 = _rotl(h1, 27)
        h1 = (((h1 + h2) & _M64) * 5 + 0x52DCE729) & _M64
        h2 ^= _mix_k2(k2)
        h2 = _rotl(h2, 31)
        h2 = (((h2 + h1) & _M64) * 5 + 0x38495AB5) & _M64
    tail = data[16 * n_blocks:]
    if len(tail) > 8:
        h2 ^= _mix_k2(int.from_bytes(tail[8:], "little"))
    if tail:
        h1 ^= _mix_k1(int.from_bytes(tail[:8], "little"))
    h1 ^= length
    h2 ^= length
    h1 = (h1 + h2) & _M64
    h2 = (h2 + h1) & _M64
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _M64
    h2 = (h2 + h1) & _M64
    return h1, h2


# -- element normalisation (the server's msgpack_compactify of one scalar) ---------------------


def _pack_uint(v: int) -> bytes:
    if v < 0x80:
        return bytes((v,))
    if v < 0x100:
        return b"\xcc" + v.to_bytes(1, "big")
    if v < 0x10000:
        return b"\xcd" + v.to_bytes(2, "big")
    if v < 0x100000000:
        return b"\xce" + v.to_bytes(4, "big")
    return b"\xcf" + v.to_bytes(8, "big")


def _pack_int(v: int) -> bytes:
    if v >= 0:
        return _pack_uint(v)
    if v >= -32:
        return bytes((v & 0xFF,))
    if v >= -0x80:
        return b"\xd0" + v.to_bytes(1, "big", signed=True)
    if v >= -0x8000:
        return b"\xd1" + v.to_bytes(2, "big", signed=True)
    if v >= -0x80000000:
        return b"\xd2" + v.to_bytes(4, "big", signed=True)
    return b"\xd3" + v.to_bytes(8, "big", signed=True)


def _str_header(n: int) -> bytes:
    if n < 32:
        return bytes((0xA0 | n,))
    if n < 0x100:
        return b"\xd9" + n.to_bytes(1, "big")
    if n < 0x10000:
        return b"\xda" + n.to_bytes(2, "big")
    return b"\xdb" + n.to_bytes(4, "big")


def normalize_element(raw: bytes) -> bytes:
    """An element's msgpack bytes as the server hashes them: integers in their shortest form,
    str items and short-enough bin items with the shortest str header. (Like the server, a bin
    item is rewritten only when its length would fit a smaller header: bin8 of 32+ bytes, bin16
    of 256+ and bin32 of 65536+ bytes are kept as they came.)"""
    b = raw[0]
    if 0xCC <= b <= 0xCF:
        return _pack_uint(int.from_bytes(raw[1:], "big"))
    if 0xD0 <= b <= 0xD3:
        return _pack_int(int.from_bytes(raw[1:], "big", signed=True))
    if b in (0xC4, 0xD9):
        n = raw[1]
        return _str_header(n) + raw[2:] if n <= 0x1F else raw
    if b in (0xC5, 0xDA):
        n = int.from_bytes(raw[1:3], "big")
        return _str_header(n) + raw[3:] if n <= 0xFF else raw
    if b in (0xC6, 0xDB):
        n = int.from_bytes(raw[1:5], "big")
        return _str_header(n) + raw[5:] if n <= 0xFFFF else raw
    return raw


# -- the sketch -------------------------------------------------------------------------------


def registers_size(n_index_bits: int, n_minhash_bits: int) -> int:
    return ((HLL_BITS + n_minhash_bits) * (1 << n_index_bits) + 7) // 8


def required_size(n_index_bits: int, n_minhash_bits: int) -> int:
    return HEADER_SIZE + registers_size(n_index_bits, n_minhash_bits)


def valid_index_bits(n: int) -> bool:
    return MIN_INDEX_BITS <= n <= MAX_INDEX_BITS


def valid_minhash_bits(n: int) -> bool:
    return n == 0 or MIN_MINHASH_BITS <= n <= MAX_MINHASH_BITS


def valid_bits(n_index_bits: int, n_minhash_bits: int) -> bool:
    return (valid_index_bits(n_index_bits) and valid_minhash_bits(n_minhash_bits)
            and n_index_bits + n_minhash_bits <= MAX_INDEX_AND_MINHASH_BITS)


class HLL:
    """A HyperLogLog / HyperMinHash sketch with its registers unpacked into a list."""

    __slots__ = ("index_bits", "minhash_bits", "cache", "regs")

    def __init__(self, index_bits: int, minhash_bits: int, cache: int = 0, regs: list[int] | None = None):
        self.index_bits = index_bits
        self.minhash_bits = minhash_bits
        self.cache = cache
        self.regs = regs if regs is not None else [0] * (1 << index_bits)

    @property
    def n_registers(self) -> int:
        return 1 << self.index_bits

    @property
    def register_bits(self) -> int:
        return HLL_BITS + self.minhash_bits

    # serialisation
    @classmethod
    def from_bytes(cls, data: bytes) -> "HLL":
        """Parse a sketch already checked with `is_valid`."""
        ib, mh = data[1], data[2]
        cache = int.from_bytes(data[3:11], "little")
        n = HLL_BITS + mh
        m = 1 << ib
        body = data[HEADER_SIZE:]
        bits = bin(int.from_bytes(body, "big") | (1 << (len(body) * 8)))[3:]
        regs = [int(bits[i:i + n], 2) for i in range(0, n * m, n)]
        return cls(ib, mh, cache, regs)

    def to_bytes(self) -> bytes:
        n = self.register_bits
        size = registers_size(self.index_bits, self.minhash_bits)
        fmt = "0%db" % n
        bits = "".join([format(v, fmt) for v in self.regs])
        body = int("1" + bits, 2) << (size * 8 - len(bits))
        return (bytes((0, self.index_bits, self.minhash_bits)) + self.cache.to_bytes(8, "little")
                + body.to_bytes(size + 1, "big")[1:])

    @staticmethod
    def is_valid(data: bytes) -> bool:
        return (len(data) >= HEADER_SIZE and data[0] == 0 and valid_bits(data[1], data[2])
                and len(data) == required_size(data[1], data[2]))

    # elements
    def _hash(self, element: bytes) -> tuple[int, int]:
        h1, h2 = murmur3_x64_128(element)
        index = h1 & (self.n_registers - 1)
        minhash = (h1 >> self.index_bits) & ((1 << self.minhash_bits) - 1)
        trailing = (h2 & -h2).bit_length() - 1 if h2 else 64
        return index, ((trailing + 1) << self.minhash_bits) | minhash

    def add(self, element: bytes) -> bool:
        index, value = self._hash(element)
        if self.regs[index] < value:
            # a value too wide for the register (hll_value 64 or 65, odds 2**-63) is truncated
            # when stored, as by the server
            self.regs[index] = value & ((1 << self.register_bits) - 1)
            self.cache = 0
            return True
        return False

    def may_contain(self, element: bytes) -> bool:
        index, value = self._hash(element)
        return value <= self.regs[index]

    def hll_value(self, reg: int) -> int:
        return reg >> self.minhash_bits

    # cardinality
    def estimate(self) -> int:
        if self.cache != 0:
            return self.cache
        m = self.n_registers
        counts = [0] * (2 ** HLL_BITS + 1)
        shift = self.minhash_bits
        for reg in self.regs:
            counts[reg >> shift] += 1
        z = m * _tau(counts[2 ** HLL_BITS] / m)
        for k in range(2 ** HLL_BITS, 0, -1):
            z = 0.5 * (z + counts[k])
        z += m * _sigma(counts[0] / m)
        return _round_half_away(_alpha(self.index_bits) * m * m / z)

    def n_used_registers(self) -> int:
        return sum(1 for reg in self.regs if reg)

    def has_data(self) -> bool:
        """The server's test: any non-zero byte among the first 2**index_bits register bytes."""
        m = self.n_registers
        n = self.register_bits
        # bytes [0, m) cover register bits [0, 8m): registers wholly or partly inside them
        limit = min(self.n_registers, (8 * m + n - 1) // n)
        for r in range(limit):
            reg = self.regs[r]
            if not reg:
                continue
            if (r + 1) * n <= 8 * m:
                return True
            # register straddles the boundary: only its leading bits are looked at
            inside = 8 * m - r * n
            if reg >> (n - inside):
                return True
        return False


def _round_half_away(x: float) -> int:
    if x != x or x in (math.inf, -math.inf):
        return 0
    f = math.floor(x)
    return int(f + 1) if x - f >= 0.5 else int(f)


def _tau(x: float) -> float:
    if x == 0.0 or x == 1.0:
        return 0.0
    y = 1.0
    z = 1 - x
    while True:
        x = math.sqrt(x)
        z_prime = z
        y *= 0.5
        z -= math.pow(1 - x, 2) * y
        if z_prime == z:
            break
    return z / 3


def _sigma(x: float) -> float:
    if x == 1.0:
        return math.inf
    y = 1.0
    z = x
    while True:
        x *= x
        z_prime = z
        z += x * y
        y += y
        if z_prime == z:
            break
    return z


def _alpha(index_bits: int) -> float:
    if index_bits == 4:
        return 0.673
    if index_bits == 5:
        return 0.697
    if index_bits == 6:
        return 0.709
    return 0.7213 / (1.0 + 1.079 / (1 << index_bits))


# -- combining sketches -----------------------------------------------------------------------


def compatible_template(hlls: list[HLL]) -> tuple[int, int]:
    """(index bits, minhash bits) of a union of `hlls`: the fewest index bits, and the common
    minhash bits or 0 when they differ."""
    ib = hlls[0].index_bits
    mh = hlls[0].minhash_bits
    for h in hlls[1:]:
        ib = min(ib, h.index_bits)
        if mh != 0 and mh != h.minhash_bits:
            mh = 0
    return ib, mh


def union_into(target: HLL, other: HLL) -> None:
    """Fold `other` (with at least as many index bits) into `target`."""
    mask = target.n_registers - 1
    regs = target.regs
    if target.minhash_bits == 0:
        shift = other.minhash_bits
        for r, reg in enumerate(other.regs):
            v = reg >> shift
            t = r & mask
            if regs[t] < v:   # target has no minhash bits: its register is the hll value
                regs[t] = v
    else:
        for r, reg in enumerate(other.regs):
            t = r & mask
            if regs[t] < reg:
                regs[t] = reg
        target.cache = 0


def union_of(hlls: list[HLL]) -> HLL:
    ib, mh = compatible_template(hlls)
    result = HLL(ib, mh)
    for h in hlls:
        union_into(result, h)
    return result


def union_count(hlls: list[HLL]) -> int:
    return union_of(hlls).estimate()


def _intersect_one(target: HLL, other: HLL) -> None:
    mask = target.n_registers - 1
    regs = target.regs
    for r, reg in enumerate(other.regs):
        t = r & mask
        v = regs[t]
        regs[t] = v if v == reg else 0


def _collisions(index_bits: int, minhash_bits: int, card0: int, card1: int) -> float:
    """Expected number of colliding registers of two HyperMinHash sketches (Yu & Weber)."""
    cp = 0.0
    m = 1 << index_bits
    n_buckets = 1 << HLL_BITS
    for i in range(1, n_buckets + 1):
        if i != n_buckets:
            b1 = math.pow(2, -i)
            b2 = math.pow(2, -i + 1)
        else:
            b1 = 0.0
            b2 = math.pow(2, -i + 1)
        b1 /= m
        b2 /= m
        pr_x = math.pow(1 - b1, float(card0)) - math.pow(1 - b2, float(card0))
        pr_y = math.pow(1 - b1, float(card1)) - math.pow(1 - b2, float(card1))
        cp += pr_x * pr_y
    return cp * m / math.pow(2, minhash_bits)


def similarity(hlls: list[HLL]) -> float:
    ib, mh = compatible_template(hlls)
    if mh == 0:
        intersect = _hll_intersect_count(hlls)
        union = union_count(hlls)
        if union == 0:
            return math.nan if intersect == 0 else math.inf
        return intersect / union
    has = [h.has_data() for h in hlls]
    if not all(has):
        return 0.0 if any(has) else math.nan
    agg = union_of(hlls)
    n_union = agg.n_used_registers()
    agg = HLL(ib, mh)
    union_into(agg, hlls[0])
    for h in hlls[1:]:
        _intersect_one(agg, h)
    n_intersect = agg.n_used_registers()
    ec = 0.0
    if len(hlls) == 2:
        ec = _collisions(ib, mh, hlls[0].estimate(), hlls[1].estimate())
    result = (n_intersect - ec) / n_union
    return 0.0 if result < 0.0 else result


def intersect_count(hlls: list[HLL]) -> int:
    _ib, mh = compatible_template(hlls)
    if mh == 0:
        return _hll_intersect_count(hlls)
    j = similarity(hlls)
    if j != j:
        return 0
    return _round_half_away(union_count(hlls) * j)


def _hll_intersect_count(hlls: list[HLL]) -> int:
    """Inclusion-exclusion over 2 or 3 sketches."""
    cu = union_count(hlls)
    total = 0
    for h in hlls:
        total = min(total + h.estimate(), _M64)
    if len(hlls) == 2:
        return total - cu if total > cu else 0
    pairs = (intersect_count(hlls[0:2]) + intersect_count(hlls[1:3])
             + intersect_count([hlls[0], hlls[2]]))
    result = cu - (total - pairs)
    return result if result > 0 else 0


# -- op parsing -------------------------------------------------------------------------------


class _HllOp:
    __slots__ = ("code", "elements", "hlls", "index_bits", "minhash_bits", "flags")

    def __init__(self, code: int):
        self.code = code
        self.elements: list[bytes] = []
        self.hlls: list[bytes] = []
        self.index_bits = UNSET
        self.minhash_bits = UNSET
        self.flags = 0


def _arg_index_bits(r: MsgpackArgs, op: _HllOp) -> None:
    n = r.int64()
    if n != -1 and not valid_index_bits(n):
        raise _param("index bit count %d out of range" % n)
    op.index_bits = n & 0xFF


def _arg_minhash_bits(r: MsgpackArgs, op: _HllOp) -> None:
    n = r.int64()
    if n == -1:
        op.minhash_bits = UNSET
        return
    if not valid_minhash_bits(n):
        raise _param("minhash bit count %d out of range" % n)
    if op.index_bits != UNSET and not valid_bits(op.index_bits, n):
        raise _param("index bits + minhash bits exceed 64")
    op.minhash_bits = n


def _flags_parser(allowed: int):
    def parse(r: MsgpackArgs, op: _HllOp) -> None:
        op.flags = r.uint64()
        if op.flags & ~allowed:
            raise _param("invalid HLL flags 0x%x" % op.flags)
        if op.flags & CREATE_ONLY and op.flags & UPDATE_ONLY:
            raise _param("CREATE_ONLY with UPDATE_ONLY")
    return parse


def _arg_elements(r: MsgpackArgs, op: _HllOp) -> None:
    count = r.list_count()
    if not count:
        raise _param("HLL add needs a non-empty list")
    for _ in range(count):
        if r.peek_kind() in ("list", "map"):
            raise _param("HLL elements may not be lists or maps")
        op.elements.append(normalize_element(r.element()))


def _arg_hlls(r: MsgpackArgs, op: _HllOp) -> None:
    if r.peek_kind() == "list":
        count = r.list_count()
        if not count:
            raise _param("empty list of HLLs")
    else:
        count = 1
    for _ in range(count):
        raw = r.blob()
        if len(raw) < HEADER_SIZE + 1:
            raise _param("HLL value too short")
        data = raw[1:]  # skip the particle-type prefix
        if data[0] != 0:
            raise _param("HLL value with unknown flags")
        if not valid_index_bits(data[1]) or not valid_minhash_bits(data[2]):
            raise _param("HLL value with bad bit counts")
        if len(data) != required_size(data[1], data[2]):
            raise _param("HLL value of the wrong size")
        op.hlls.append(data)


def _arg_hlls_intersect(r: MsgpackArgs, op: _HllOp) -> None:
    _arg_hlls(r, op)
    if len(op.hlls) <= 2:
        return
    mh = op.hlls[0][2]
    if any(h[2] != mh for h in op.hlls[1:]) or mh == 0:
        raise _param("intersect/similarity of more than 2 HLLs needs equal non-zero minhash bits")


_MODIFY_TABLE = {
    INIT: (0, [_arg_index_bits, _arg_minhash_bits, _flags_parser(CREATE_ONLY | UPDATE_ONLY | NO_FAIL)]),
    ADD: (1, [_arg_elements, _arg_index_bits, _arg_minhash_bits, _flags_parser(CREATE_ONLY | NO_FAIL)]),
    SET_UNION: (1, [_arg_hlls, _flags_parser(CREATE_ONLY | UPDATE_ONLY | ALLOW_FOLD | NO_FAIL)]),
    REFRESH_COUNT: (0, []),
    FOLD: (1, [_arg_index_bits]),
}

_READ_TABLE = {
    GET_COUNT: (0, []),
    GET_UNION: (1, [_arg_hlls]),
    GET_UNION_COUNT: (1, [_arg_hlls]),
    GET_INTERSECT_COUNT: (1, [_arg_hlls_intersect]),
    GET_SIMILARITY: (1, [_arg_hlls_intersect]),
    DESCRIBE: (0, []),
    MAY_CONTAIN: (1, [_arg_elements]),
}


def parse(payload: bytes, is_read: bool) -> _HllOp:
    r = MsgpackArgs(payload)
    code = r.uint64()
    table = _READ_TABLE if is_read else _MODIFY_TABLE
    entry = table.get(code)
    if entry is None:
        raise _param("HLL op %d is not a %s op" % (code, "read" if is_read else "modify"))
    min_args, parsers = entry
    if not min_args <= r.n_args <= len(parsers):
        raise _param("HLL op %d takes %d..%d args, got %d" % (code, min_args, len(parsers), r.n_args))
    op = _HllOp(code)
    for parser in parsers[:r.n_args]:
        parser(r, op)
    return op


# -- the engine -------------------------------------------------------------------------------


class _Skip(Exception):
    pass


def _int_result(op: Op, value: int) -> Op:
    return Op(op.op, ParticleType.INTEGER, op.name, _I64.pack(value if value < (1 << 63) else value - (1 << 64)))


def _verify_bin(current: tuple[int, bytes] | None) -> HLL | None:
    if current is None:
        return None
    ptype, data = current
    if ptype != ParticleType.HLL:
        raise AerospikeWireError(ResultCode.BIN_TYPE, "HLL op on a bin that is not an HLL")
    if not HLL.is_valid(data):
        raise AerospikeWireError(ResultCode.SERVER_ERROR, "stored HLL is corrupt")
    return HLL.from_bytes(data)


def _prepare_modify(hop: _HllOp, old: HLL | None, inputs: list[HLL]) -> None:
    code = hop.code
    if code in (INIT, ADD):
        if old is None:
            if hop.index_bits == UNSET:
                raise _not_applicable("cannot create an HLL without an index bit count")
            if hop.minhash_bits == UNSET:
                hop.minhash_bits = 0
            return
        if code == ADD:
            hop.index_bits, hop.minhash_bits = old.index_bits, old.minhash_bits
            return
        if hop.index_bits == UNSET:
            hop.index_bits = old.index_bits
        if hop.minhash_bits == UNSET:
            hop.minhash_bits = old.minhash_bits
        if not valid_bits(hop.index_bits, hop.minhash_bits):
            raise _not_applicable("init would give an invalid bit configuration")
    elif code == SET_UNION:
        min_ib = UNSET
        min_mh = UNSET
        for h in inputs:
            min_ib = min(min_ib, h.index_bits)
            if h.minhash_bits != min_mh:
                min_mh = h.minhash_bits if min_mh == UNSET else 0
        if old is None:
            hop.index_bits, hop.minhash_bits = min_ib, min_mh
            return
        if not hop.flags & ALLOW_FOLD:
            if old.index_bits > min_ib:
                raise _not_applicable("set_union would reduce the index bits (use ALLOW_FOLD)")
            if old.minhash_bits != 0 and old.minhash_bits != min_mh:
                raise _not_applicable("set_union would drop the minhash bits (use ALLOW_FOLD)")
    elif code in (REFRESH_COUNT, FOLD):
        if old is None:
            raise AerospikeWireError(ResultCode.BIN_NOT_FOUND, "HLL bin does not exist")
        if code == FOLD:
            if old.minhash_bits > 0:
                raise _not_applicable("cannot fold an HLL with minhash bits")
            if old.index_bits < hop.index_bits:
                raise _not_applicable("cannot fold to more index bits")


def _modify(op: Op, hop: _HllOp, old: HLL | None) -> tuple[HLL, Op | None]:
    code = hop.code
    if code == INIT:
        return HLL(hop.index_bits, hop.minhash_bits), None
    if code == ADD:
        sketch = old if old is not None else HLL(hop.index_bits, hop.minhash_bits)
        added = sum(1 for element in hop.elements if sketch.add(element))
        return sketch, _int_result(op, added)
    if code == SET_UNION:
        inputs = [HLL.from_bytes(h) for h in hop.hlls]
        if old is not None:
            inputs.append(old)
        return union_of(inputs), None
    if code == REFRESH_COUNT:
        old.cache = old.estimate()
        return old, _int_result(op, old.cache)
    # FOLD
    if hop.index_bits == old.index_bits:
        return old, None
    folded = HLL(hop.index_bits, 0)
    union_into(folded, old)
    return folded, None


def _read(op: Op, hop: _HllOp, sketch: HLL) -> Op:
    code = hop.code
    if code == GET_COUNT:
        return _int_result(op, sketch.estimate())
    if code == DESCRIBE:
        payload = bytes((0x92,)) + _pack_int(sketch.index_bits) + _pack_int(sketch.minhash_bits)
        return Op(op.op, ParticleType.LIST, op.name, payload)
    if code == MAY_CONTAIN:
        return _int_result(op, int(all(sketch.may_contain(e) for e in hop.elements)))
    others = [HLL.from_bytes(h) for h in hop.hlls]
    if code in (GET_INTERSECT_COUNT, GET_SIMILARITY) and len(others) > 2:
        if sketch.minhash_bits == 0 or sketch.minhash_bits != others[0].minhash_bits:
            raise _not_applicable("more than 2 HLLs need the bin's minhash bits to match")
    sketches = others + [sketch]
    if code == GET_UNION:
        return Op(op.op, ParticleType.HLL, op.name, union_of(sketches).to_bytes())
    if code == GET_UNION_COUNT:
        return _int_result(op, union_count(sketches))
    if code == GET_INTERSECT_COUNT:
        return _int_result(op, intersect_count(sketches))
    return Op(op.op, ParticleType.FLOAT, op.name, _F64.pack(similarity(sketches)))


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    is_read = op.op == OpType.HLL_READ
    current = bins.get(op.name)
    if is_read and current is None:
        return None  # the server skips a read of a missing bin before looking at the op
    old = _verify_bin(current)
    hop = parse(op.value, is_read)
    if is_read:
        return _read(op, hop, old)
    if old is not None:
        if hop.flags & CREATE_ONLY:
            if hop.flags & NO_FAIL:
                return None
            raise AerospikeWireError(ResultCode.BIN_EXISTS, "HLL bin exists (CREATE_ONLY)")
    elif hop.flags & UPDATE_ONLY:
        if hop.flags & NO_FAIL:
            return None
        raise AerospikeWireError(ResultCode.BIN_NOT_FOUND, "HLL bin does not exist (UPDATE_ONLY)")
    inputs = [HLL.from_bytes(h) for h in hop.hlls] if hop.code == SET_UNION else []
    _prepare_modify(hop, old, inputs)
    sketch, result = _modify(op, hop, old)
    bins[op.name] = (ParticleType.HLL, sketch.to_bytes())
    return result


register([OpType.HLL_READ, OpType.HLL_MODIFY], apply)
