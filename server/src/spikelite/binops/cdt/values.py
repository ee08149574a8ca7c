"""The value model shared by the list and map engines (collection data types, "CDT").

A bin of particle type LIST (20) or MAP (19) holds msgpack bytes. The engines decode the whole
bin into Python values, change them, and encode the result back:

=====================  ==========================================================================
msgpack (Aerospike)    Python value here
=====================  ==========================================================================
nil / false / true     ``None`` / ``False`` / ``True``
int (any width)        ``int``
double / float32       ``float`` / ``F32`` (a float subclass, re-encoded as ``ca`` + 4 bytes)
str, prefix 03         ``str`` (UTF-8, invalid bytes kept with ``surrogateescape``)
str, prefix 17 (23)    ``Geo`` (a str subclass: GeoJSON text)
str/bin, other prefix  ``Blob`` (a bytes subclass; ``.prefix`` is the particle-type byte, 4 for a
                       plain blob; ``None`` for a zero-length str, which the server calls bytes)
array                  ``CdtList`` (a list subclass; ``.flags``: 0 unordered, 1 ordered)
map                    ``CdtMap`` (a list subclass of ``(key, value)`` tuples in stored order;
                       ``.flags``: 0 unordered, 1 key-ordered, 3 key/value-ordered)
ext ``ff 00`` / ``ff 01``  ``WILDCARD`` / ``INF`` (only in op arguments, never stored)
other ext              ``Ext(type, data)``
=====================  ==========================================================================

Python dicts cannot be the map type: ``1``, ``1.0`` and ``True`` collide as dict keys while the
server keeps them apart, and map keys may be lists. Python ``==`` is likewise wrong across types
(``True == 1``), so the engines compare with :func:`compare` (the server's order, with wildcard and
infinity semantics) or :func:`sort_key` (the same order as a Python key, for stored values only).

Why a hand-written msgpack reader: msgpack-python decodes ext type -1 (0xff, the wildcard and
infinity markers) as a Timestamp and rejects it, it cannot tell float32 from float64, and the
ordered-collection headers (``c7 00 <flags>``) must be recognised as the first element of an array
or map. Decoding is strict: truncated or unknown bytes raise :class:`CdtError` with PARAMETER.

:func:`pack` writes what the server stores and returns after its "compactify" step: minimal int
and container headers, every str/bin as a str-family object with the minimal header, floats in
their width, ordered lists ``<array n+1> c7 00 01 ...`` and ordered maps
``<map n+1> c7 00 <flags> c0 ...``.

Contexts (``[0xff, [ctx_type, ctx_value, ...], [op, ...]]``): :func:`dig` walks them over a
decoded bin value (list index/rank/value, map index/rank/key/value) and returns a :class:`Target`;
``Target.value`` is the addressed element (``MISSING`` when a create flag will make it) and
``Target.set(new)`` writes a replacement, materialising the path that create flags ask for. After
an in-place change the caller runs ``Target.unwind()`` so ordered lists along the path stay sorted.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from typing import Any

from ...wire import AerospikeWireError, ParticleType, ResultCode
from ...wire.values import GeoJSONText

Geo = GeoJSONText

# -- errors -------------------------------------------------------------------------------------


class CdtError(AerospikeWireError):
    """An error with the server's result code (the op fails, the record is left unchanged)."""


def param_error(message: str) -> CdtError:
    return CdtError(ResultCode.PARAMETER, message)


def not_applicable(message: str) -> CdtError:
    return CdtError(ResultCode.OP_NOT_APPLICABLE, message)


def bin_type_error(message: str) -> CdtError:
    return CdtError(ResultCode.BIN_TYPE, message)


# -- value classes ------------------------------------------------------------------------------

LIST_ORDERED = 0x01
MAP_K_ORDERED = 0x01
MAP_KV_ORDERED = 0x03
MAP_PRESERVE_ORDER = 0x08
PERSIST_INDEX = 0x10


class F32(float):
    """A msgpack float32 (``ca``); compares as a double."""

    __slots__ = ()


class Blob(bytes):
    """Bytes inside a collection; ``prefix`` is the Aerospike particle-type byte (None: empty str)."""

    def __new__(cls, data: bytes = b"", prefix: int | None = ParticleType.BLOB):
        obj = super().__new__(cls, data)
        obj.prefix = prefix
        return obj

    def raw(self) -> bytes:
        return bytes(self) if self.prefix is None else bytes((self.prefix,)) + bytes(self)

    def __repr__(self) -> str:
        return "Blob(%s, prefix=%r)" % (bytes.__repr__(self), self.prefix)


class Ext:
    __slots__ = ("type", "data")

    def __init__(self, type_: int, data: bytes):
        self.type = type_
        self.data = bytes(data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ext) and (self.type, self.data) == (other.type, other.data)

    def __hash__(self) -> int:
        return hash((self.type, self.data))

    def __repr__(self) -> str:
        return "Ext(%d, %r)" % (self.type, self.data)


class _Special:
    __slots__ = ("name", "code")

    def __init__(self, name: str, code: int):
        self.name = name
        self.code = code

    def __repr__(self) -> str:
        return self.name


WILDCARD = _Special("WILDCARD", 0)
INF = _Special("INF", 1)
#: Target.value of an element a create-flag context will make.
MISSING = _Special("MISSING", -1)


class _Flagged(list):
    """A list carrying the server's container flags."""

    __slots__ = ("flags",)

    def __init__(self, items=(), flags: int = 0):
        super().__init__(items)
        self.flags = flags

    def __repr__(self) -> str:
        return "%s(%s, flags=%d)" % (type(self).__name__, list.__repr__(self), self.flags)


class CdtList(_Flagged):
    """A list with the server's order flags (bit 0 ordered, 0x10 persist index)."""

    __slots__ = ()

    @property
    def ordered(self) -> bool:
        return bool(self.flags & LIST_ORDERED)


class CdtMap(_Flagged):
    """A map as ``(key, value)`` pairs in stored order, with flags (1 K_ORDERED, 3 KV_ORDERED)."""

    __slots__ = ()

    @property
    def key_ordered(self) -> bool:
        return bool(self.flags & MAP_K_ORDERED)

    def keys(self) -> list:
        return [k for k, _ in self]

    def values(self) -> list:
        return [v for _, v in self]


# -- decoding -----------------------------------------------------------------------------------

_B16 = struct.Struct(">H")
_B32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
_I8 = struct.Struct(">b")
_I16 = struct.Struct(">h")
_I32 = struct.Struct(">i")
_I64 = struct.Struct(">q")
_F32S = struct.Struct(">f")
_F64S = struct.Struct(">d")
_FIXEXT_SIZES = {0xd4: 1, 0xd5: 2, 0xd6: 4, 0xd7: 8, 0xd8: 16}
_MAX_DEPTH = 256


class _Reader:
    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0):
        self.data = data
        self.pos = pos
        self.end = len(data)

    def take(self, n: int) -> bytes:
        start = self.pos
        stop = start + n
        if stop > self.end:
            raise param_error("msgpack truncated")
        self.pos = stop
        return self.data[start:stop]

    def byte(self) -> int:
        if self.pos >= self.end:
            raise param_error("msgpack truncated")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def value(self, depth: int = 0) -> Any:
        b = self.byte()
        if b <= 0x7f:
            return b
        if b >= 0xe0:
            return b - 0x100
        if 0xa0 <= b <= 0xbf:
            return _bytes_value(self.take(b & 0x1f))
        if 0x90 <= b <= 0x9f:
            return self.array(b & 0x0f, depth)
        if 0x80 <= b <= 0x8f:
            return self.map(b & 0x0f, depth)
        if b == 0xc0:
            return None
        if b == 0xc2:
            return False
        if b == 0xc3:
            return True
        if b in (0xc4, 0xd9):
            return _bytes_value(self.take(self.byte()))
        if b in (0xc5, 0xda):
            return _bytes_value(self.take(_B16.unpack(self.take(2))[0]))
        if b in (0xc6, 0xdb):
            return _bytes_value(self.take(_B32.unpack(self.take(4))[0]))
        if b == 0xcc:
            return self.byte()
        if b == 0xcd:
            return _B16.unpack(self.take(2))[0]
        if b == 0xce:
            return _B32.unpack(self.take(4))[0]
        if b == 0xcf:
            value = _U64.unpack(self.take(8))[0]
            # the server reads ints as int64: a uint64 above INT64_MAX wraps negative
            return value - (1 << 64) if value >= 1 << 63 else value
        if b == 0xd0:
            return _I8.unpack(self.take(1))[0]
        if b == 0xd1:
            return _I16.unpack(self.take(2))[0]
        if b == 0xd2:
            return _I32.unpack(self.take(4))[0]
        if b == 0xd3:
            return _I64.unpack(self.take(8))[0]
        if b == 0xca:
            return F32(_F32S.unpack(self.take(4))[0])
        if b == 0xcb:
            return _F64S.unpack(self.take(8))[0]
        if b == 0xdc:
            return self.array(_B16.unpack(self.take(2))[0], depth)
        if b == 0xdd:
            return self.array(_B32.unpack(self.take(4))[0], depth)
        if b == 0xde:
            return self.map(_B16.unpack(self.take(2))[0], depth)
        if b == 0xdf:
            return self.map(_B32.unpack(self.take(4))[0], depth)
        if b in _FIXEXT_SIZES:
            return _ext_value(self.byte(), self.take(_FIXEXT_SIZES[b]))
        if b == 0xc7:
            size = self.byte()
            return _ext_value(self.byte(), self.take(size))
        if b == 0xc8:
            size = _B16.unpack(self.take(2))[0]
            return _ext_value(self.byte(), self.take(size))
        if b == 0xc9:
            size = _B32.unpack(self.take(4))[0]
            return _ext_value(self.byte(), self.take(size))
        raise param_error("invalid msgpack byte 0x%02x" % b)

    def _check_count(self, count: int, depth: int) -> None:
        if depth >= _MAX_DEPTH:
            raise param_error("msgpack nested too deeply")
        if count > self.end - self.pos:  # every element takes at least one byte
            raise param_error("msgpack container count overruns the data")

    def array(self, count: int, depth: int) -> CdtList:
        self._check_count(count, depth)
        out = CdtList()
        if count and self._peek_is_ext():
            head = self.value(depth + 1)
            count -= 1
            if isinstance(head, Ext):
                out.flags = head.type
            else:  # wildcard/infinity as first element: an ordinary element
                out.append(head)
        for _ in range(count):
            out.append(self.value(depth + 1))
        return out

    def map(self, count: int, depth: int) -> CdtMap:
        self._check_count(count, depth)
        out = CdtMap()
        if count and self._peek_is_ext():
            head = self.value(depth + 1)
            head_value = self.value(depth + 1)
            count -= 1
            if isinstance(head, Ext):
                out.flags = head.type
            else:
                out.append((head, head_value))
        for _ in range(count):
            key = self.value(depth + 1)
            out.append((key, self.value(depth + 1)))
        return out

    def _peek_is_ext(self) -> bool:
        return self.pos < self.end and self.data[self.pos] in (0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6,
                                                              0xd7, 0xd8)

    def int_value(self) -> int:
        value = self.value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise param_error("expected an integer")
        return value

    def array_header(self) -> int:
        b = self.byte()
        if 0x90 <= b <= 0x9f:
            return b & 0x0f
        if b == 0xdc:
            return _B16.unpack(self.take(2))[0]
        if b == 0xdd:
            return _B32.unpack(self.take(4))[0]
        raise param_error("expected a msgpack array")


def _bytes_value(raw: bytes) -> Any:
    if not raw:
        return Blob(b"", None)
    prefix = raw[0]
    if prefix == ParticleType.STRING:
        return raw[1:].decode("utf-8", "surrogateescape")
    if prefix == ParticleType.GEOJSON:
        return Geo(raw[1:].decode("utf-8", "surrogateescape"))
    return Blob(raw[1:], prefix)


def _ext_value(ext_type: int, data: bytes) -> Any:
    if ext_type == 0xff and len(data) == 1:
        if data[0] == 0:
            return WILDCARD
        if data[0] == 1:
            return INF
    return Ext(ext_type, data)


def unpack(data: bytes) -> Any:
    """The value of exactly one msgpack object (PARAMETER on trailing or missing bytes)."""
    reader = _Reader(bytes(data))
    value = reader.value()
    if reader.pos != reader.end:
        raise param_error("trailing bytes after msgpack value")
    return value


def unpack_from(data: bytes, pos: int = 0) -> tuple[Any, int]:
    reader = _Reader(data, pos)
    value = reader.value()
    return value, reader.pos


Reader = _Reader


def has_nonstorage(value: Any) -> bool:
    """True when a wildcard or infinity occurs anywhere in the value (it cannot be stored)."""
    if value is WILDCARD or value is INF:
        return True
    if isinstance(value, CdtMap):
        return any(has_nonstorage(k) or has_nonstorage(v) for k, v in value)
    if isinstance(value, list):
        return any(has_nonstorage(item) for item in value)
    return False


# -- encoding -----------------------------------------------------------------------------------


def _pack_int(value: int, out: bytearray) -> None:
    if value >= 0:
        if value < 0x80:
            out.append(value)
        elif value < 0x100:
            out += b"\xcc" + bytes((value,))
        elif value < 0x10000:
            out += b"\xcd" + _B16.pack(value)
        elif value < 0x100000000:
            out += b"\xce" + _B32.pack(value)
        else:
            out += b"\xcf" + _U64.pack(value & 0xFFFFFFFFFFFFFFFF)
    elif value >= -32:
        out.append(value + 0x100)
    elif value >= -0x80:
        out += b"\xd0" + _I8.pack(value)
    elif value >= -0x8000:
        out += b"\xd1" + _I16.pack(value)
    elif value >= -0x80000000:
        out += b"\xd2" + _I32.pack(value)
    else:
        out += b"\xd3" + _I64.pack(value)


def _pack_str_header(size: int, out: bytearray) -> None:
    if size < 32:
        out.append(0xa0 | size)
    elif size < 0x100:
        out += b"\xd9" + bytes((size,))
    elif size < 0x10000:
        out += b"\xda" + _B16.pack(size)
    else:
        out += b"\xdb" + _B32.pack(size)


def _pack_container_header(count: int, out: bytearray, fix: int, code16: int) -> None:
    """An array (fix 0x90, 0xdc) or map (fix 0x80, 0xde) header; the 32-bit code follows code16."""
    if count < 16:
        out.append(fix | count)
    elif count < 0x10000:
        out += bytes((code16,)) + _B16.pack(count)
    else:
        out += bytes((code16 + 1,)) + _B32.pack(count)


def _pack_array_header(count: int, out: bytearray) -> None:
    _pack_container_header(count, out, 0x90, 0xdc)


def _pack_map_header(count: int, out: bytearray) -> None:
    _pack_container_header(count, out, 0x80, 0xde)


def _pack_ext(ext_type: int, data: bytes, out: bytearray) -> None:
    size = len(data)
    fixed = {1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8}.get(size)
    if fixed is not None:
        out.append(fixed)
    elif size < 0x100:
        out += b"\xc7" + bytes((size,))
    elif size < 0x10000:
        out += b"\xc8" + _B16.pack(size)
    else:
        out += b"\xc9" + _B32.pack(size)
    out.append(ext_type & 0xff)
    out += data


def _flags_for_client(flags: int) -> int:
    return flags & ~PERSIST_INDEX


def _pack_into(value: Any, out: bytearray) -> None:
    if value is None:
        out.append(0xc0)
    elif value is True:
        out.append(0xc3)
    elif value is False:
        out.append(0xc2)
    elif isinstance(value, int):
        _pack_int(value, out)
    elif isinstance(value, F32):
        out += b"\xca" + _F32S.pack(value)
    elif isinstance(value, float):
        out += b"\xcb" + _F64S.pack(value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogateescape")
        _pack_str_header(len(data) + 1, out)
        out.append(ParticleType.GEOJSON if isinstance(value, Geo) else ParticleType.STRING)
        out += data
    elif isinstance(value, Blob):
        raw = value.raw()
        _pack_str_header(len(raw), out)
        out += raw
    elif isinstance(value, (bytes, bytearray)):
        _pack_str_header(len(value) + 1, out)
        out.append(ParticleType.BLOB)
        out += value
    elif isinstance(value, CdtMap):
        flags = _flags_for_client(value.flags)
        if flags:
            _pack_map_header(len(value) + 1, out)
            out += b"\xc7\x00" + bytes((flags,)) + b"\xc0"
        else:
            _pack_map_header(len(value), out)
        for key, item in value:
            _pack_into(key, out)
            _pack_into(item, out)
    elif isinstance(value, list):
        flags = _flags_for_client(getattr(value, "flags", 0))
        if flags:
            _pack_array_header(len(value) + 1, out)
            out += b"\xc7\x00" + bytes((flags,))
        else:
            _pack_array_header(len(value), out)
        for item in value:
            _pack_into(item, out)
    elif value is WILDCARD or value is INF:
        out += b"\xd4\xff" + bytes((value.code,))
    elif isinstance(value, Ext):
        _pack_ext(value.type, value.data, out)
    else:
        raise TypeError("cannot pack %r" % (value,))


def pack(value: Any) -> bytes:
    out = bytearray()
    _pack_into(value, out)
    return bytes(out)


# -- bins and results ---------------------------------------------------------------------------


def to_particle(value: Any) -> tuple[int, bytes] | None:
    """(particle type, bytes) of a value as a bin/op result; None for nil (no value)."""
    if value is None:
        return None
    if value is True or value is False:
        return ParticleType.BOOL, b"\x01" if value else b"\x00"
    if isinstance(value, int):
        return ParticleType.INTEGER, _I64.pack(value)
    if isinstance(value, float):
        return ParticleType.FLOAT, _F64S.pack(value)
    if isinstance(value, Geo):
        return ParticleType.GEOJSON, b"\x00\x00\x00" + value.encode("utf-8", "surrogateescape")
    if isinstance(value, str):
        return ParticleType.STRING, value.encode("utf-8", "surrogateescape")
    if isinstance(value, Blob):
        if value.prefix is None:
            return ParticleType.BLOB, b""
        return value.prefix, bytes(value)
    if isinstance(value, (bytes, bytearray)):
        return ParticleType.BLOB, bytes(value)
    if isinstance(value, CdtMap):
        return ParticleType.MAP, pack(value)
    if isinstance(value, list):
        return ParticleType.LIST, pack(value)
    raise TypeError("cannot return %r" % (value,))


def from_bin(bin_value: tuple[int, bytes] | None) -> Any:
    """The CDT value of a LIST or MAP bin (MISSING for no bin; other types are returned as None
    after the caller's own type checks)."""
    if bin_value is None:
        return MISSING
    ptype, data = bin_value
    if ptype not in (ParticleType.LIST, ParticleType.MAP):
        return None
    return unpack(data)


def to_bin(value: Any) -> tuple[int, bytes]:
    if isinstance(value, CdtMap):
        return ParticleType.MAP, pack(value)
    return ParticleType.LIST, pack(value)


# -- order --------------------------------------------------------------------------------------
# Type ranks: the server's msgpack_type enum (NEGINT and INT share a rank: numeric order).

T_NIL, T_FALSE, T_TRUE, T_INT, T_STRING, T_LIST, T_MAP, T_BYTES, T_DOUBLE, T_GEO, T_EXT = range(1, 12)
T_WILDCARD = 100
T_INF = 101


def type_rank(value: Any) -> int:
    if value is None:
        return T_NIL
    if value is False:
        return T_FALSE
    if value is True:
        return T_TRUE
    if isinstance(value, int):
        return T_INT
    if isinstance(value, float):
        return T_DOUBLE
    if isinstance(value, str):
        return T_GEO if isinstance(value, Geo) else T_STRING
    if isinstance(value, (bytes, bytearray)):
        return T_BYTES
    if isinstance(value, CdtMap):
        return T_MAP
    if isinstance(value, list):
        return T_LIST
    if value is WILDCARD:
        return T_WILDCARD
    if value is INF:
        return T_INF
    if isinstance(value, Ext):
        return T_EXT
    raise TypeError("not a CDT value: %r" % (value,))


def _raw_bytes(value: Any) -> bytes:
    """The bytes the server memcmp's for strings, blobs and GeoJSON (prefix byte included)."""
    if isinstance(value, Geo):
        return b"\x17" + value.encode("utf-8", "surrogateescape")
    if isinstance(value, str):
        return b"\x03" + value.encode("utf-8", "surrogateescape")
    if isinstance(value, Blob):
        return value.raw()
    return b"\x04" + bytes(value)


def sort_key(value: Any) -> tuple:
    """A Python key in the server's order (storage values only: no wildcard)."""
    rank = type_rank(value)
    if rank == T_INT or rank == T_DOUBLE:
        return (rank, value)
    if rank in (T_STRING, T_BYTES, T_GEO):
        return (rank, _raw_bytes(value))
    if rank == T_LIST:
        return (rank, tuple(sort_key(item) for item in value))
    if rank == T_MAP:
        flat = []
        for key, item in value:
            flat.append(sort_key(key))
            flat.append(sort_key(item))
        return (rank, len(value), tuple(flat))
    if rank == T_EXT:
        return (rank, value.data)
    if rank == T_WILDCARD:
        raise TypeError("a wildcard has no sort key")
    return (rank,)


class _WildStop(Exception):
    pass


def _cmp(a: Any, b: Any) -> int:
    ra, rb = type_rank(a), type_rank(b)
    if ra == T_WILDCARD or rb == T_WILDCARD:
        raise _WildStop
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == T_INT or ra == T_DOUBLE:
        return (a > b) - (a < b)
    if ra in (T_STRING, T_BYTES, T_GEO):
        x, y = _raw_bytes(a), _raw_bytes(b)
        return (x > y) - (x < y)
    if ra == T_LIST:
        for x, y in zip(a, b):
            c = _cmp(x, y)
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    if ra == T_MAP:
        if len(a) != len(b):
            return -1 if len(a) < len(b) else 1
        for (ka, va), (kb, vb) in zip(a, b):
            c = _cmp(ka, kb)
            if c:
                return c
            c = _cmp(va, vb)
            if c:
                return c
        return 0
    if ra == T_EXT:
        return (a.data > b.data) - (a.data < b.data)
    return 0


def compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 in the server's order (msgpack_cmp). A wildcard anywhere makes the comparison
    stop there and answer "equal" (so ``[1, WILDCARD]`` equals every list starting with 1);
    INF is greater than everything."""
    try:
        return _cmp(a, b)
    except _WildStop:
        return 0


def values_equal(a: Any, b: Any) -> bool:
    return compare(a, b) == 0


def bisect_value(items: list, value: Any, lo: int = 0, hi: int | None = None, right: bool = False) -> int:
    """Insertion point of `value` in sorted `items` by :func:`compare` (first position whose
    element is >= value, or > value with right=True)."""
    if hi is None:
        hi = len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        c = compare(items[mid], value)
        if c < 0 or (right and c == 0):
            lo = mid + 1
        else:
            hi = mid
    return lo


def sort_values(items: list) -> list:
    return sorted(items, key=sort_key)


def sorted_ranks(items: list) -> list[int]:
    """Indexes of `items` in rank order (ties by index, like a stable sort)."""
    keys = [sort_key(item) for item in items]
    return sorted(range(len(items)), key=keys.__getitem__)



def heap_rank_range(items: list, start: int, count: int, key=None) -> tuple[list[int], bool]:
    """The element indexes of ranks [start, start + count) of unsorted `items` in the order the
    server's order heap leaves them (cdt.c order_heap_init_build_by_range_temp), and whether the
    heap was a min-heap (then the run is highest rank first, else lowest first). Ties keep the
    heap's order, not the index order: results must match the node's byte for byte."""
    size = len(items)
    keys = [sort_key(item) for item in (items if key is None else map(key, items))]
    tail = size - start - count
    min_heap = start <= tail
    discard = start if min_heap else tail
    heap = list(range(size))

    def before(a: int, b: int) -> bool:  # the heap's cmp answer for (a, b)
        ka, kb = keys[a], keys[b]
        return ka < kb if min_heap else ka > kb

    def sift(index: int, filled: int) -> None:
        while True:
            child = 2 * index + 1
            if child >= filled:
                return
            other = child + 1
            if other < filled and before(heap[other], heap[child]):
                child = other
            if not before(heap[child], heap[index]):
                return
            heap[index], heap[child] = heap[child], heap[index]
            index = child

    filled = size
    for i in range(filled // 2 - 1, -1, -1):
        sift(i, filled)
    end = size - 1
    for _ in range(count + discard):
        top = heap[0]
        filled -= 1
        heap[0] = heap[filled]
        sift(0, filled)
        heap[end] = top
        end -= 1
    return heap[filled:filled + count], min_heap

# -- index arithmetic (cdt.c calc_index_count) --------------------------------------------------

UINT32_MAX = 0xFFFFFFFF


def as_uint64(value: int) -> int:
    """A count/flags argument as the server reads it (msgpack_get_uint64: negatives wrap)."""
    return value & 0xFFFFFFFFFFFFFFFF


def index_count_single(index: int, count: int, size: int) -> tuple[int, int] | None:
    """Absolute (index, count) of a single-element selection, None when out of bounds."""
    if index >= size:
        return None
    if index < 0:
        index += size
        if index < 0:
            return None
    return index, min(count, size - index)


def index_count_multi(index: int, count: int, size: int) -> tuple[int, int]:
    """Absolute (index, count) of a range selection, clipped to the list (never fails)."""
    if index >= size:
        return size, 0
    if index < 0:
        index += size
        if index < 0:
            if -index < count:
                return 0, min(count + index, size)
            return 0, 0
    return index, min(count, size - index)


def rel_index_count(index: int, count: int, rel: int) -> tuple[int, int]:
    """cdt.c calc_rel_index_count: a relative start before 0 eats into the count."""
    index += rel
    if index < 0:
        count = count + index if count > -index else 0
        index = 0
    return index, count


# -- contexts -----------------------------------------------------------------------------------

CTX_INDEX, CTX_RANK, CTX_KEY, CTX_VALUE, CTX_EXP = 0, 1, 2, 3, 4
CTX_LIST = 0x10
CTX_MAP = 0x20
CTX_BASE_MASK = 0x0f
CTX_TYPE_MASK = 0x3f
CTX_CREATE_MASK = 0x1c0
CREATE_LIST_UNORDERED = 0x40
CREATE_LIST_UNBOUND = 0x80
CREATE_LIST_ORDERED = 0xc0
CREATE_MAP_UNORDERED = 0x40
CREATE_MAP_K_ORDERED = 0x80
CREATE_MAP_KV_ORDERED = 0xc0
CREATE_PERSIST_INDEX = 0x100


def map_create_flags(create_type: int) -> int:
    order = create_type & 0xc0
    return {CREATE_MAP_K_ORDERED: MAP_K_ORDERED, CREATE_MAP_KV_ORDERED: MAP_KV_ORDERED}.get(order, 0)


def list_create_flags(create_type: int) -> int:
    return LIST_ORDERED if create_type & 0xc0 == CREATE_LIST_ORDERED else 0


def map_key_index(m: CdtMap, key: Any) -> int:
    """Position of `key` in the map, -1 when absent."""
    if m.key_ordered:
        pos = bisect_value(m.keys(), key)
        if pos < len(m) and compare(m[pos][0], key) == 0:
            return pos
        return -1
    for i, (k, _) in enumerate(m):
        if compare(k, key) == 0:
            return i
    return -1


def unordered_insert_position(m: CdtMap, key: Any) -> int:
    """packed_map_find_key_maybe_unordered: before the first greater key of the leading
    ascending run of keys, else at the end."""
    ascending = True
    for i, (k, _) in enumerate(m):
        if i and ascending and compare(m[i - 1][0], k) > 0:
            ascending = False
        if not ascending:
            break
        if compare(key, k) < 0:
            return i
    return len(m)


def map_insert_position(m: CdtMap, key: Any) -> int:
    """Where a new key goes: sorted position in a key-ordered map, else the end."""
    if m.key_ordered:
        return bisect_value(m.keys(), key)
    return len(m)


def map_index_order(m: CdtMap) -> list[int]:
    """Storage positions of the map's entries in key order (map index order)."""
    if m.key_ordered:
        return list(range(len(m)))
    keys = [sort_key(k) for k, _ in m]
    return sorted(range(len(m)), key=keys.__getitem__)


def map_rank_order(m: CdtMap) -> list[int]:
    """Storage positions of the map's entries in value order (ties by key order)."""
    order = map_index_order(m)
    values = {i: sort_key(m[i][1]) for i in order}
    return sorted(order, key=values.__getitem__)


def _sort_ordered_list_element(lst: CdtList, idx: int) -> None:
    """Move lst[idx] to its sorted position (the rest of the ordered list is sorted)."""
    item = lst.pop(idx)
    lst.insert(bisect_value(lst, item), item)


class Target:
    """Where a context path leads. `value` is the element (MISSING when it is to be created);
    `set(new)` stores a replacement; `unwind()` re-sorts ordered lists on the path after the
    element was changed in place."""

    def __init__(self, root: Any):
        self.root = root
        self.value = root
        #: [(container, position)] from the top; position = list index or map storage position
        self.steps: list[tuple[Any, int]] = []
        #: pending creation: (ctx_type, ctx_value) items from the first missing one on
        self.create: list[tuple[int, Any]] = []
        self.nil_pad = 0

    @property
    def created(self) -> bool:
        return bool(self.create)

    def set(self, new: Any) -> Any:
        """Store `new` at the target (creating the path if needed); returns the new root."""
        if self.create:
            self._materialize(new)
        elif not self.steps:
            self.root = new
        else:
            container, pos = self.steps[-1]
            if isinstance(container, CdtMap):
                container[pos] = (container[pos][0], new)
            else:
                container[pos] = new
        self.value = new
        self.unwind()
        return self.root

    def _materialize(self, new: Any) -> None:
        # Build the containers below the first missing element, innermost first.
        items = self.create
        inner = new
        for ctx_type, ctx_value in reversed(items[1:]):
            inner = _wrap(ctx_type, ctx_value, inner)
        ctx_type, ctx_value = items[0]
        if not self.steps and self.root is MISSING:
            # the bin itself is missing: the first item makes the top-level container too
            self.root = _wrap(ctx_type, ctx_value, inner, top=True)
            self.create = []
            return
        container = self.steps[-1][0] if self.steps else self.root
        if isinstance(container, CdtMap):
            # a node inserts a created key as a put does: in key order (an unordered map's
            # leading ascending run)
            pos = (bisect_value(container.keys(), ctx_value) if container.key_ordered
                   else unordered_insert_position(container, ctx_value))
            container.insert(pos, (ctx_value, inner))
            self.steps[-1] = (container, pos)
        else:
            if container.ordered:
                container.append(inner)
                pos = len(container) - 1
            else:
                container.extend([None] * self.nil_pad)
                container.append(inner)
                pos = len(container) - 1
            self.steps[-1] = (container, pos)
        self.create = []

    def unwind(self) -> None:
        for container, pos in reversed(self.steps):
            if pos >= 0 and isinstance(container, CdtList) and container.ordered:
                _sort_ordered_list_element(container, pos)


def _wrap(ctx_type: int, ctx_value: Any, inner: Any, top: bool = False) -> Any:
    create = ctx_type & CTX_CREATE_MASK
    base = ctx_type & CTX_TYPE_MASK
    if base == CTX_KEY | CTX_MAP:
        return CdtMap([(ctx_value, inner)], map_create_flags(create))
    # list index: nil padding up to the index for "unbound" lists
    flags = list_create_flags(create)
    pad = 0
    if create & ~CREATE_PERSIST_INDEX == CREATE_LIST_UNBOUND and ctx_value > 0:
        pad = ctx_value
    return CdtList([None] * pad + [inner], flags)


def _check_create_item(ctx_type: int, ctx_value: Any) -> None:
    """What the server accepts in the part of a path it has to create."""
    base = ctx_type & CTX_TYPE_MASK
    create = ctx_type & CTX_CREATE_MASK
    if base == CTX_KEY | CTX_MAP:
        if has_nonstorage(ctx_value):
            raise not_applicable("cannot create a key holding a wildcard")
        return
    if base == CTX_INDEX | CTX_LIST:
        if isinstance(ctx_value, bool) or not isinstance(ctx_value, int) or ctx_value < -1:
            raise not_applicable("invalid create context index")
        order = create & ~CREATE_PERSIST_INDEX
        if ctx_value > 0 and order != CREATE_LIST_UNBOUND and order != CREATE_LIST_ORDERED:
            raise not_applicable("create context index %d beyond the new list" % ctx_value)
        return
    raise not_applicable("context type 0x%x cannot create" % ctx_type)


def parse_ctx(reader: _Reader) -> list[tuple[int, Any]]:
    """The ctx array of a context-eval op as [(ctx_type, ctx_value)] (PARAMETER if malformed)."""
    count = reader.array_header()
    if count == 0 or count % 2:
        raise param_error("bad context param count %d" % count)
    items = []
    for _ in range(count // 2):
        ctx_type = reader.value()
        if isinstance(ctx_type, bool) or not isinstance(ctx_type, int):
            raise param_error("context type must be an integer")
        items.append((as_uint64(ctx_type), reader.value()))
    return items


def dig(root: Any, items: list[tuple[int, Any]], is_modify: bool) -> Target:
    """Follow a context path (cdt.c cdt_context_dig). `root` is the decoded bin value or MISSING.

    Errors as the server: bin not list/map → PARAMETER; bad ctx types, out-of-range index/rank,
    value/key not found without create → OP_NOT_APPLICABLE.
    """
    target = Target(root)
    if root is MISSING and not is_modify:
        raise param_error("bin is not a list or map")
    if root is not MISSING and not isinstance(root, list):
        raise param_error("bin is not a list or map")
    current = root
    for i, (ctx_type, ctx_value) in enumerate(items):
        base = ctx_type & CTX_BASE_MASK
        masked = ctx_type & CTX_TYPE_MASK
        create = ctx_type & CTX_CREATE_MASK
        if base > CTX_VALUE or (create and not masked & (CTX_LIST | CTX_MAP)):
            raise not_applicable("invalid context type 0x%x" % ctx_type)
        create_on = bool(create & ~CREATE_PERSIST_INDEX)
        if current is MISSING:
            if not create_on:
                raise not_applicable("bin is empty and the context has no create flag")
            target.create = items[i:]
            for j, (t, v) in enumerate(target.create):
                if j and t & CREATE_PERSIST_INDEX:
                    raise not_applicable("persist index only for a top-level container")
                _check_create_item(t, v)
            break
        if isinstance(current, CdtMap):
            if ctx_type & CTX_LIST:
                raise not_applicable("list context for a map element")
            found = _map_step(current, base, ctx_value, create_on)
        elif isinstance(current, list):
            if ctx_type & CTX_MAP:
                raise not_applicable("map context for a list element")
            found = _list_step(current, base, ctx_value, create_on, ctx_type, target)
        else:
            raise not_applicable("context element is not a list or map")
        if found is None:  # create
            if not is_modify:
                raise not_applicable("context element not found")
            target.create = items[i:]
            for j, (t, v) in enumerate(target.create):
                if j:
                    if t & CREATE_PERSIST_INDEX:
                        raise not_applicable("persist index only for a top-level container")
                    _check_create_item(t, v)
            target.steps.append((current, -1))
            current = MISSING
            break
        target.steps.append((current, found))
        current = current[found][1] if isinstance(current, CdtMap) else current[found]
    target.value = current
    return target


def _int_ctx_value(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise not_applicable("context index/rank must be an integer")
    return value


def _list_step(lst: list, base: int, value: Any, create_on: bool, ctx_type: int,
               target: Target) -> int | None:
    ordered = isinstance(lst, CdtList) and lst.ordered
    if base == CTX_RANK and ordered:
        base = CTX_INDEX
    if base == CTX_INDEX:
        index = _int_ctx_value(value)
        size = len(lst)
        found = index_count_single(index, 1, size)
        if found is not None:
            return found[0]
        if not create_on:
            raise not_applicable("context index %d out of bounds" % index)
        if (size == 0 and index == -1) or index == size or ordered:
            return None
        if ctx_type & CTX_CREATE_MASK & ~CREATE_PERSIST_INDEX == CREATE_LIST_UNBOUND and index > size:
            target.nil_pad = index - size
            return None
        raise not_applicable("context index %d out of bounds" % index)
    if base == CTX_RANK:
        rank = _int_ctx_value(value)
        found = index_count_single(rank, 1, len(lst))
        if found is None:
            raise not_applicable("context rank %d out of bounds" % rank)
        return found[0] if ordered else heap_rank_range(lst, found[0], 1)[0][0]
    if base == CTX_VALUE:
        if ordered:
            pos = bisect_value(lst, value)
            if pos < len(lst) and compare(lst[pos], value) == 0:
                return pos
        else:
            for i, item in enumerate(lst):
                if compare(item, value) == 0:
                    return i
        raise not_applicable("context value not found")
    raise not_applicable("context by key on a list")


def _map_step(m: CdtMap, base: int, value: Any, create_on: bool) -> int | None:
    if base == CTX_INDEX:
        index = _int_ctx_value(value)
        found = index_count_single(index, 1, len(m))
        if found is None:
            raise not_applicable("context map index %d out of bounds" % index)
        return map_index_order(m)[found[0]]
    if base == CTX_RANK:
        rank = _int_ctx_value(value)
        found = index_count_single(rank, 1, len(m))
        if found is None:
            raise not_applicable("context map rank %d out of bounds" % rank)
        return map_rank_order(m)[found[0]]
    if base == CTX_KEY:
        pos = map_key_index(m, value)
        if pos >= 0:
            return pos
        if create_on and not has_nonstorage(value):
            return None
        raise not_applicable("context map key not found")
    # by value: the lowest-ranked entry holding the value
    for pos in map_rank_order(m):
        if compare(m[pos][1], value) == 0:
            return pos
    raise not_applicable("context map value not found")
