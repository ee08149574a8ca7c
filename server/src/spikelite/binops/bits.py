"""Bit operations on blob bins (wire op 12 BIT_READ / 13 BIT_MODIFY).

The payload is msgpack `[code, args...]`. A blob is a string of bits numbered from the most
significant bit of its first byte (bit 0) onwards. Offsets may be negative (counted from the end
of the blob). The behaviour follows the Aerospike server's `particle_blob.c`, including the
order in which errors are detected and a few of its quirks, which are called out where they
are implemented:

- `rscan` whose range starts inside a byte also looks at the bits of that first byte before
  the range, so it can answer a negative index (-offset % 8 .. -1).
- signed `add` / `subtract` detect overflow only when the wrapped result has the "wrong" sign
  strictly (e.g. -128 + -128 on 8 bits wraps to 0 and is not an overflow), and `subtract`
  negates the value before the sign test.
"""

from __future__ import annotations

import struct

from ..wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode
from . import register

# -- constants (server proto.h / particle_blob.h) ---------------------------------------------

PROTO_SIZE_MAX = 128 * 1024 * 1024
_U64 = (1 << 64) - 1

# modify op codes
RESIZE, INSERT, REMOVE, SET, OR, XOR, AND, NOT, LSHIFT, RSHIFT, ADD, SUBTRACT, SET_INT = range(13)
# read op codes
GET, COUNT, LSCAN, RSCAN, GET_INT = 50, 51, 52, 53, 54

# write flags
CREATE_ONLY, UPDATE_ONLY, NO_FAIL, PARTIAL = 0x01, 0x02, 0x04, 0x08
# resize flags
FROM_FRONT, GROW_ONLY, SHRINK_ONLY = 0x01, 0x02, 0x04
# integer flags
SIGNED, SATURATE, WRAP = 0x01, 0x02, 0x04

_I64 = struct.Struct(">q")


def _param(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.PARAMETER, message)


# -- a strict msgpack argument reader ---------------------------------------------------------


class MsgpackArgs:
    """Reads the op payload `[code, args...]` the way the server's msgpack_in does: integers of
    any width (a negative one read as unsigned is its 64-bit two's complement), bools only as
    bools, blobs from the str or bin families (first byte = Aerospike's particle-type prefix).
    Every failure is PARAMETER."""

    def __init__(self, data: bytes):
        self.data = bytes(data)
        self.pos = 0
        count = self.list_count()
        if count is None or count == 0:
            raise _param("payload is not a non-empty list")
        self.n_args = count - 1

    # raw access
    def _take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise _param("payload truncated")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def _peek(self) -> int:
        if self.pos >= len(self.data):
            raise _param("payload truncated")
        return self.data[self.pos]

    def list_count(self) -> int | None:
        """Element count of a list header (consumed); None when the next item is no list."""
        if self.pos >= len(self.data):
            return None
        b = self.data[self.pos]
        if 0x90 <= b <= 0x9F:
            self.pos += 1
            return b & 0x0F
        if b == 0xDC:
            self.pos += 1
            return int.from_bytes(self._take(2), "big")
        if b == 0xDD:
            self.pos += 1
            return int.from_bytes(self._take(4), "big")
        return None

    def peek_kind(self) -> str:
        if self.pos >= len(self.data):
            return "error"
        b = self.data[self.pos]
        if 0x90 <= b <= 0x9F or b in (0xDC, 0xDD):
            return "list"
        if 0x80 <= b <= 0x8F or b in (0xDE, 0xDF):
            return "map"
        return "other"

    def uint64(self) -> int:
        b = self._peek()
        if b < 0x80:
            self.pos += 1
            return b
        if b >= 0xE0:
            self.pos += 1
            return (b - 0x100) & _U64
        if 0xCC <= b <= 0xCF:
            self.pos += 1
            return int.from_bytes(self._take(1 << (b - 0xCC)), "big")
        if 0xD0 <= b <= 0xD3:
            self.pos += 1
            return int.from_bytes(self._take(1 << (b - 0xD0)), "big", signed=True) & _U64
        raise _param("expected an integer")

    def int64(self) -> int:
        v = self.uint64()
        return v - (1 << 64) if v >> 63 else v

    def boolean(self) -> bool:
        b = self._peek()
        if b in (0xC2, 0xC3):
            self.pos += 1
            return b == 0xC3
        raise _param("expected a boolean")

    def blob(self) -> bytes:
        """Bytes of a str/bin item, the particle-type prefix byte included."""
        b = self._peek()
        if 0xA0 <= b <= 0xBF:
            self.pos += 1
            size = b & 0x1F
        elif b in (0xC4, 0xD9):
            self.pos += 1
            size = self._take(1)[0]
        elif b in (0xC5, 0xDA):
            self.pos += 1
            size = int.from_bytes(self._take(2), "big")
        elif b in (0xC6, 0xDB):
            self.pos += 1
            size = int.from_bytes(self._take(4), "big")
        else:
            raise _param("expected a blob")
        return self._take(size)

    def element(self) -> bytes:
        """Raw msgpack bytes of the next item (nested containers included)."""
        start = self.pos
        pending = 1
        while pending:
            pending -= 1
            pending += self._skip_one()
        return self.data[start:self.pos]

    def _skip_one(self) -> int:
        """Skip one item's header (and body for scalars); return how many items it contains."""
        b = self._peek()
        self.pos += 1
        if b < 0x80 or b >= 0xE0 or b in (0xC0, 0xC2, 0xC3):
            return 0
        if 0x80 <= b <= 0x8F:
            return 2 * (b & 0x0F)
        if 0x90 <= b <= 0x9F:
            return b & 0x0F
        if 0xA0 <= b <= 0xBF:
            self._take(b & 0x1F)
            return 0
        fixed = {0xCA: 4, 0xCB: 8, 0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8, 0xD0: 1, 0xD1: 2,
                 0xD2: 4, 0xD3: 8, 0xD4: 2, 0xD5: 3, 0xD6: 5, 0xD7: 9, 0xD8: 17}
        if b in fixed:
            self._take(fixed[b])
            return 0
        if b in (0xC4, 0xD9):
            self._take(self._take(1)[0])
            return 0
        if b in (0xC5, 0xDA):
            self._take(int.from_bytes(self._take(2), "big"))
            return 0
        if b in (0xC6, 0xDB):
            self._take(int.from_bytes(self._take(4), "big"))
            return 0
        if b in (0xC7, 0xC8, 0xC9):
            size = int.from_bytes(self._take(1 << (b - 0xC7)), "big")
            self._take(1 + size)
            return 0
        if b == 0xDC:
            return int.from_bytes(self._take(2), "big")
        if b == 0xDD:
            return int.from_bytes(self._take(4), "big")
        if b == 0xDE:
            return 2 * int.from_bytes(self._take(2), "big")
        if b == 0xDF:
            return 2 * int.from_bytes(self._take(4), "big")
        raise _param("invalid msgpack byte 0x%02x" % b)


# -- op description ---------------------------------------------------------------------------


class _BitsOp:
    __slots__ = ("code", "offset", "size", "value", "buf", "flags", "subflags", "byte_args")

    def __init__(self, code: int):
        self.code = code
        self.offset = 0      # bits (byte-offset args are multiplied by 8)
        self.size = 0        # bits
        self.value = 0       # uint64 (shift count, integer operand, scan bool)
        self.buf = b""       # operand bytes without the prefix byte
        self.flags = 0
        self.subflags = 0


def _arg_byte_offset(r: MsgpackArgs, op: _BitsOp) -> None:
    offset = r.int64()
    if abs(offset) > PROTO_SIZE_MAX:
        raise _param("byte offset %d too large" % offset)
    op.offset = offset * 8


def _arg_offset(r: MsgpackArgs, op: _BitsOp) -> None:
    offset = r.int64()
    if abs(offset) > PROTO_SIZE_MAX * 8:
        raise _param("bit offset %d too large" % offset)
    op.offset = offset


def _arg_integer_size(r: MsgpackArgs, op: _BitsOp) -> None:
    size = r.uint64()
    if size == 0 or size > 64:
        raise _param("integer size %d not in 1..64" % size)
    op.size = size


def _arg_byte_size(r: MsgpackArgs, op: _BitsOp) -> None:
    size = r.uint64()
    if size == 0 or size > PROTO_SIZE_MAX:
        raise _param("byte size %d out of range" % size)
    op.size = size * 8


def _arg_byte_size_allow_zero(r: MsgpackArgs, op: _BitsOp) -> None:
    size = r.uint64()
    if size > PROTO_SIZE_MAX:
        raise _param("byte size %d too large" % size)
    op.size = size * 8


def _arg_size(r: MsgpackArgs, op: _BitsOp) -> None:
    size = r.uint64()
    if size == 0 or size > PROTO_SIZE_MAX * 8:
        raise _param("bit size %d out of range" % size)
    op.size = size


def _arg_bool(r: MsgpackArgs, op: _BitsOp) -> None:
    op.value = 1 if r.boolean() else 0


def _arg_integer_value(r: MsgpackArgs, op: _BitsOp) -> None:
    op.value = r.uint64()


def _arg_n_bits(r: MsgpackArgs, op: _BitsOp) -> None:
    op.value = r.uint64()
    if op.value > PROTO_SIZE_MAX * 8:
        raise _param("shift %d too large" % op.value)


def _arg_buf(r: MsgpackArgs, op: _BitsOp) -> None:
    raw = r.blob()
    # The first byte is the particle-type prefix. (The server misbehaves on a zero-length item;
    # spikelite refuses it.)
    if len(raw) <= 1:
        raise _param("empty blob operand")
    op.buf = raw[1:]
    n_bits = len(op.buf) * 8
    if op.size != 0:
        if n_bits < op.size:
            raise _param("operand has fewer bits than the size")
    else:
        op.size = n_bits


def _flags_parser(allowed: int):
    def parse(r: MsgpackArgs, op: _BitsOp) -> None:
        op.flags = r.uint64()
        if op.flags & ~allowed:
            raise _param("invalid bit write flags 0x%x" % op.flags)
        if op.flags & CREATE_ONLY and op.flags & UPDATE_ONLY:
            raise _param("CREATE_ONLY with UPDATE_ONLY")
    return parse


def _arg_resize_subflags(r: MsgpackArgs, op: _BitsOp) -> None:
    op.subflags = r.uint64()
    if op.subflags & ~(FROM_FRONT | GROW_ONLY | SHRINK_ONLY):
        raise _param("invalid resize flags 0x%x" % op.subflags)
    if op.subflags & GROW_ONLY and op.subflags & SHRINK_ONLY:
        raise _param("GROW_ONLY with SHRINK_ONLY")


def _arg_arithmetic_subflags(r: MsgpackArgs, op: _BitsOp) -> None:
    op.subflags = r.uint64()
    if op.subflags & ~(SIGNED | SATURATE | WRAP):
        raise _param("invalid integer flags 0x%x" % op.subflags)
    if op.subflags & SATURATE and op.subflags & WRAP:
        raise _param("SATURATE with WRAP")


def _arg_get_int_subflags(r: MsgpackArgs, op: _BitsOp) -> None:
    op.subflags = r.uint64()
    if op.subflags & ~SIGNED:
        raise _param("invalid get_int flags 0x%x" % op.subflags)


_BYTE_OPS = CREATE_ONLY | UPDATE_ONLY | NO_FAIL
_RANGE_OPS = UPDATE_ONLY | NO_FAIL | PARTIAL
_INT_OPS = UPDATE_ONLY | NO_FAIL

#: code -> (name, min args, arg parsers); the parser list's length is the max arg count.
_MODIFY_TABLE = {
    RESIZE: ("resize", 1, [_arg_byte_size_allow_zero, _flags_parser(_BYTE_OPS), _arg_resize_subflags]),
    INSERT: ("insert", 2, [_arg_byte_offset, _arg_buf, _flags_parser(_BYTE_OPS)]),
    REMOVE: ("remove", 2, [_arg_byte_offset, _arg_byte_size, _flags_parser(_RANGE_OPS)]),
    SET: ("set", 3, [_arg_offset, _arg_size, _arg_buf, _flags_parser(_RANGE_OPS)]),
    OR: ("or", 3, [_arg_offset, _arg_size, _arg_buf, _flags_parser(_RANGE_OPS)]),
    XOR: ("xor", 3, [_arg_offset, _arg_size, _arg_buf, _flags_parser(_RANGE_OPS)]),
    AND: ("and", 3, [_arg_offset, _arg_size, _arg_buf, _flags_parser(_RANGE_OPS)]),
    NOT: ("not", 2, [_arg_offset, _arg_size, _flags_parser(_RANGE_OPS)]),
    LSHIFT: ("lshift", 3, [_arg_offset, _arg_size, _arg_n_bits, _flags_parser(_RANGE_OPS)]),
    RSHIFT: ("rshift", 3, [_arg_offset, _arg_size, _arg_n_bits, _flags_parser(_RANGE_OPS)]),
    ADD: ("add", 3, [_arg_offset, _arg_integer_size, _arg_integer_value, _flags_parser(_INT_OPS),
                     _arg_arithmetic_subflags]),
    SUBTRACT: ("subtract", 3, [_arg_offset, _arg_integer_size, _arg_integer_value,
                               _flags_parser(_INT_OPS), _arg_arithmetic_subflags]),
    SET_INT: ("set_int", 3, [_arg_offset, _arg_integer_size, _arg_integer_value, _flags_parser(_INT_OPS)]),
}

_READ_TABLE = {
    GET: ("get", 2, [_arg_offset, _arg_size]),
    COUNT: ("count", 2, [_arg_offset, _arg_size]),
    LSCAN: ("lscan", 3, [_arg_offset, _arg_size, _arg_bool]),
    RSCAN: ("rscan", 3, [_arg_offset, _arg_size, _arg_bool]),
    GET_INT: ("get_int", 2, [_arg_offset, _arg_integer_size, _arg_get_int_subflags]),
}


def parse(payload: bytes, is_read: bool) -> _BitsOp:
    r = MsgpackArgs(payload)
    code = r.uint64()
    table = _READ_TABLE if is_read else _MODIFY_TABLE
    entry = table.get(code)
    if entry is None:
        raise _param("bit op %d is not a %s op" % (code, "read" if is_read else "modify"))
    _name, min_args, parsers = entry
    if not min_args <= r.n_args <= len(parsers):
        raise _param("bit op %d takes %d..%d args, got %d" % (code, min_args, len(parsers), r.n_args))
    op = _BitsOp(code)
    for parser in parsers[:r.n_args]:
        parser(r, op)
    return op


# -- bit helpers on byte strings --------------------------------------------------------------


def get_bits(data: bytes, bit_offset: int, n_bits: int) -> int:
    """Unsigned value of bits [bit_offset, bit_offset + n_bits) of `data` (bit 0 = MSB of byte 0)."""
    start = bit_offset >> 3
    end = (bit_offset + n_bits + 7) >> 3
    chunk = int.from_bytes(data[start:end], "big")
    shift = (end - start) * 8 - (bit_offset & 7) - n_bits
    return (chunk >> shift) & ((1 << n_bits) - 1)


def put_bits(data: bytearray, bit_offset: int, n_bits: int, value: int) -> None:
    """Overwrite bits [bit_offset, bit_offset + n_bits) of `data` with `value`."""
    start = bit_offset >> 3
    end = (bit_offset + n_bits + 7) >> 3
    width = (end - start) * 8
    shift = width - (bit_offset & 7) - n_bits
    mask = ((1 << n_bits) - 1) << shift
    chunk = int.from_bytes(data[start:end], "big")
    chunk = (chunk & ~mask) | ((value << shift) & mask)
    data[start:end] = chunk.to_bytes(end - start, "big")


def _sign_extend(value: int, n_bits: int) -> int:
    value &= (1 << n_bits) - 1
    return value - (1 << n_bits) if value >> (n_bits - 1) else value


def _not_applicable(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.OP_NOT_APPLICABLE, message)


# -- the engine -------------------------------------------------------------------------------


class _Skip(Exception):
    """The op does nothing (NO_FAIL swallowed a failure, or a no-op resize)."""


def _normalize(op: _BitsOp, old_size: int, exists: bool) -> int:
    """Resolve a negative offset; return the byte offset and leave op.offset = bit within byte."""
    if op.offset < 0:
        if not exists:
            raise _param("negative offset on a bin that does not exist")
        if -op.offset > old_size * 8:
            raise _param("negative offset before the start of the blob")
        op.offset += old_size * 8
    byte_offset = op.offset >> 3
    op.offset &= 7
    return byte_offset


def _fail(op: _BitsOp, error: AerospikeWireError) -> None:
    if op.flags & NO_FAIL:
        raise _Skip()
    raise error


def _modify(op: _BitsOp, old: bytes | None) -> bytes:
    """The new blob for a modify op on `old` (None: the bin does not exist)."""
    exists = old is not None
    data = old if exists else b""
    old_size = len(data)
    byte_offset = _normalize(op, old_size, exists)
    op_size = (op.offset + op.size + 7) >> 3
    code = op.code

    if code == RESIZE:
        new_size = op_size
        if new_size < old_size:
            if op.subflags & GROW_ONLY:
                _fail(op, _param("cannot shrink with GROW_ONLY"))
            result = data[old_size - new_size:] if op.subflags & FROM_FRONT else data[:new_size]
        elif new_size > old_size:
            if op.subflags & SHRINK_ONLY:
                _fail(op, _param("cannot grow with SHRINK_ONLY"))
            if new_size >= PROTO_SIZE_MAX:
                raise _param("resulting blob too large")
            pad = bytes(new_size - old_size)
            result = pad + data if op.subflags & FROM_FRONT else data + pad
        else:
            raise _Skip()
    elif code == INSERT:
        if max(byte_offset, old_size) + op_size >= PROTO_SIZE_MAX:
            raise _param("resulting blob too large")
        if byte_offset >= old_size:
            result = data + bytes(byte_offset - old_size) + op.buf
        else:
            result = data[:byte_offset] + op.buf + data[byte_offset:]
    elif code == REMOVE:
        if byte_offset >= old_size:
            _fail(op, _param("remove starts past the end of the blob"))
        if byte_offset + op_size > old_size:
            if not op.flags & PARTIAL:
                _fail(op, _param("remove extends past the end of the blob"))
            result = data[:byte_offset]
        else:
            result = data[:byte_offset] + data[byte_offset + op_size:]
    elif code in (ADD, SUBTRACT, SET_INT):
        if byte_offset >= old_size or byte_offset + op_size > old_size:
            _fail(op, _not_applicable("integer op outside the blob"))
        result = _integer_op(op, data, byte_offset * 8 + op.offset)
    else:  # SET, OR, XOR, AND, NOT, LSHIFT, RSHIFT
        if byte_offset >= old_size:
            _fail(op, _not_applicable("operation may not expand the blob"))
        if byte_offset + op_size > old_size:
            if not op.flags & PARTIAL:
                _fail(op, _not_applicable("operation too large for the blob (use PARTIAL)"))
            op.size = old_size * 8 - (byte_offset * 8 + op.offset)
        result = _range_op(op, data, byte_offset * 8 + op.offset)
    if len(result) >= PROTO_SIZE_MAX:
        raise _param("resulting blob too large")
    return bytes(result)


def _range_op(op: _BitsOp, data: bytes, start: int) -> bytearray:
    size = op.size
    mask = (1 << size) - 1
    old = get_bits(data, start, size)
    code = op.code
    if code in (SET, OR, XOR, AND):
        operand = int.from_bytes(op.buf, "big") >> (len(op.buf) * 8 - size)
        if code == SET:
            new = operand
        elif code == OR:
            new = old | operand
        elif code == XOR:
            new = old ^ operand
        else:
            new = old & operand
    elif code == NOT:
        new = ~old & mask
    elif code == LSHIFT:
        new = 0 if op.value >= size else (old << op.value) & mask
    else:  # RSHIFT
        new = 0 if op.value >= size else old >> op.value
    out = bytearray(data)
    put_bits(out, start, size, new)
    return out


def _integer_op(op: _BitsOp, data: bytes, start: int) -> bytearray:
    n_bits = op.size
    mask = (1 << n_bits) - 1
    value = op.value & mask
    load = get_bits(data, start, n_bits)
    code = op.code
    if code == SET_INT:
        result = value
    else:
        is_signed = bool(op.subflags & SIGNED)
        saturate = bool(op.subflags & SATURATE)
        wrap = bool(op.subflags & WRAP)
        if code == ADD:
            result = (load + value) & mask
            overflow_operand = value
        else:
            result = (load - value) & mask
            overflow_operand = (-value) & _U64
        if not wrap:
            if is_signed:
                s_result = _sign_extend(result, n_bits)
                s_load = _sign_extend(load, n_bits)
                s_value = _sign_extend(overflow_operand, n_bits)
                if s_load < 0 and s_value < 0 and s_result > 0:
                    if not saturate:
                        _fail(op, _not_applicable("signed underflow"))
                    result = 1 << (n_bits - 1)          # most negative
                elif s_load > 0 and s_value > 0 and s_result < 0:
                    if not saturate:
                        _fail(op, _not_applicable("signed overflow"))
                    result = mask >> 1                  # most positive
            elif code == ADD and result < load:
                if not saturate:
                    _fail(op, _not_applicable("unsigned overflow"))
                result = mask
            elif code == SUBTRACT and result > load:
                if not saturate:
                    _fail(op, _not_applicable("unsigned underflow"))
                result = 0
    out = bytearray(data)
    put_bits(out, start, n_bits, result)
    return out


def _read(op: _BitsOp, data: bytes) -> tuple[int, bytes]:
    """(particle type, bytes) of a read op's result."""
    old_size = len(data)
    byte_offset = _normalize(op, old_size, True)
    op_size = (op.offset + op.size + 7) >> 3
    if byte_offset >= old_size or byte_offset + op_size > old_size:
        raise _not_applicable("read outside the blob")
    start = byte_offset * 8 + op.offset
    size = op.size
    code = op.code
    if code == GET:
        n_bytes = (size + 7) >> 3
        value = get_bits(data, start, size) << (n_bytes * 8 - size)
        return ParticleType.BLOB, value.to_bytes(n_bytes, "big")
    if code == COUNT:
        return ParticleType.INTEGER, _I64.pack(bin(get_bits(data, start, size)).count("1"))
    if code == GET_INT:
        value = get_bits(data, start, size)
        if op.subflags & SIGNED:
            value = _sign_extend(value, size)
        return ParticleType.INTEGER, _I64.pack(_sign_extend(value, 64))
    want = op.value
    if code == LSCAN:
        bits = get_bits(data, start, size)
        if not want:
            bits = ~bits & ((1 << size) - 1)
        answer = size - bits.bit_length() if bits else -1
        return ParticleType.INTEGER, _I64.pack(answer)
    # RSCAN: the server's scan runs back to the start of the range's first byte, so bits of that
    # byte before the range can match and give a negative answer.
    head = op.offset
    bits = get_bits(data, start - head, head + size)
    if not want:
        bits = ~bits & ((1 << (head + size)) - 1)
    if bits:
        lowest = (bits & -bits).bit_length() - 1          # counted back from the range's last bit
        answer = size - 1 - lowest
    else:
        answer = -1
    return ParticleType.INTEGER, _I64.pack(answer)


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    is_read = op.op == OpType.BIT_READ
    current = bins.get(op.name)
    if is_read and current is None:
        return None  # the server skips a read of a missing bin before looking at the op
    if op.particle_type != ParticleType.BLOB:
        raise AerospikeWireError(ResultCode.BIN_TYPE, "bit op value must be a blob")
    bop = parse(op.value, is_read)
    if is_read:
        if current[0] != ParticleType.BLOB:
            raise AerospikeWireError(ResultCode.BIN_TYPE, "bit op on a bin that is not a blob")
        ptype, value = _read(bop, current[1])
        return Op(op.op, ptype, op.name, value)
    if current is not None:
        if bop.flags & CREATE_ONLY:
            if bop.flags & NO_FAIL:
                return None
            raise AerospikeWireError(ResultCode.BIN_EXISTS, "bin exists (CREATE_ONLY)")
        if current[0] != ParticleType.BLOB:
            raise AerospikeWireError(ResultCode.BIN_TYPE, "bit op on a bin that is not a blob")
    elif bop.code not in (INSERT, RESIZE) or bop.flags & UPDATE_ONLY:
        if bop.flags & NO_FAIL:
            return None
        raise AerospikeWireError(ResultCode.BIN_NOT_FOUND, "bit op on a bin that does not exist")
    try:
        new = _modify(bop, None if current is None else current[1])
    except _Skip:
        return None
    bins[op.name] = (ParticleType.BLOB, new)
    return None


register([OpType.BIT_READ, OpType.BIT_MODIFY], apply)
