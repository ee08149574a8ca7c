"""Runtime values of expressions and their conversions to and from bins and msgpack.

A value is one of (matching the server's runtime types):

=======================  ==================  ===================================================
expression type          Python value        from / to a bin
=======================  ==================  ===================================================
nil                      ``None``            no bin
bool (trilean)           ``True``/``False``  BOOL particle (17)
int                      ``int`` (int64)     INTEGER (1)
float                    ``float``           FLOAT (2)
str                      ``str``             STRING (3), UTF-8 (invalid bytes surrogate-escaped)
blob                     ``Blob`` prefix 4   BLOB (4)
hll                      ``Blob`` prefix 18  HLL (18)
geojson                  ``Geo``             GEOJSON (23): 1 flag byte, 2-byte cell count, cells, JSON
list / map               ``CdtList``/``CdtMap``  LIST (20) / MAP (19), msgpack
other msgpack literal    ``Ext``, WILDCARD, INF
=======================  ==================  ===================================================

``UNK`` is the third truth value: the expression could not be evaluated (missing bin, wrong type,
failed CDT call, integer division by zero, ...). It propagates through almost every operator.
"""

from __future__ import annotations

import struct

from ..binops.cdt import values as V
from ..wire import ParticleType

Blob = V.Blob
Geo = V.Geo
CdtList = V.CdtList
CdtMap = V.CdtMap


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNK"

    def __bool__(self) -> bool:
        raise TypeError("UNK has no truth value")


UNK = _Unknown()


class _RemoveResult:
    __slots__ = ()

    def __repr__(self) -> str:
        return "REMOVE_RESULT"


#: The value of ``result_remove`` inside a path apply: the element is to be removed.
REMOVE_RESULT = _RemoveResult()

# result types (exp.c result_type)
T_NIL, T_BOOL, T_INT, T_STR, T_LIST, T_MAP, T_BLOB, T_FLOAT, T_GEO, T_HLL = range(10)
T_INPUT_END = 10
T_REMOVE = 11
T_END = 12  # a msgpack literal of no expression type (wildcard, ext)

TYPE_NAMES = {T_NIL: "nil", T_BOOL: "bool", T_INT: "int", T_STR: "str", T_LIST: "list", T_MAP: "map",
              T_BLOB: "blob", T_FLOAT: "float", T_GEO: "geojson", T_HLL: "hll", T_REMOVE: "remove",
              T_END: "msgpack"}

#: The particle type a bin must have to be read as each expression type.
PARTICLE_OF_TYPE = {T_NIL: ParticleType.NULL, T_BOOL: ParticleType.BOOL, T_INT: ParticleType.INTEGER,
                    T_STR: ParticleType.STRING, T_LIST: ParticleType.LIST, T_MAP: ParticleType.MAP,
                    T_BLOB: ParticleType.BLOB, T_FLOAT: ParticleType.FLOAT, T_GEO: ParticleType.GEOJSON,
                    T_HLL: ParticleType.HLL}

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_M64 = (1 << 64) - 1
_I64 = struct.Struct(">q")
_F64 = struct.Struct(">d")


def wrap64(value: int) -> int:
    """C int64 arithmetic: wrap around."""
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return ((value + (1 << 63)) & _M64) - (1 << 63)


def geo_json(data: bytes) -> str:
    """The JSON text of a GEOJSON particle (skipping its flags, cell count and cells)."""
    if len(data) < 3:
        return data.decode("utf-8", "surrogateescape")
    ncells = int.from_bytes(data[1:3], "big")
    return data[3 + 8 * ncells:].decode("utf-8", "surrogateescape")


def from_particle(ptype: int, data: bytes):
    """The runtime value of a bin / op result (UNK when it cannot be decoded)."""
    try:
        if ptype == ParticleType.INTEGER:
            return _I64.unpack(data)[0] if len(data) == 8 else int.from_bytes(data, "big", signed=True)
        if ptype == ParticleType.FLOAT:
            return _F64.unpack(data)[0]
        if ptype == ParticleType.STRING:
            return data.decode("utf-8", "surrogateescape")
        if ptype == ParticleType.BOOL:
            return any(data)
        if ptype == ParticleType.LIST or ptype == ParticleType.MAP:
            return V.unpack(data)
        if ptype == ParticleType.GEOJSON:
            return Geo(geo_json(data))
        if ptype == ParticleType.NULL:
            return None
        return Blob(data, ptype)
    except (V.CdtError, struct.error):
        return UNK


def to_particle(value) -> tuple[int, bytes] | None:
    """(particle type, bytes) of a result for the client or a bin; None for nil. ValueError when
    the value cannot become a bin (a wildcard or other msgpack of no bin type, bytes that are not a
    blob or HLL); otherwise the CDT code's to_particle."""
    if isinstance(value, Blob):
        if value.prefix not in (ParticleType.BLOB, ParticleType.HLL):
            raise ValueError("bytes of particle type %r" % value.prefix)
    elif not (value is None or isinstance(value, (int, float, str, list))):
        raise ValueError("msgpack value %r cannot be a bin" % (value,))
    return V.to_particle(value)


def to_msgpack(value) -> bytes:
    """msgpack of a value as an argument of a CDT/bit/HLL call (strings with their prefixes)."""
    if isinstance(value, float) and not isinstance(value, V.F32):
        return b"\xcb" + _F64.pack(value)
    return V.pack(value)


def type_of_value(value) -> int:
    """The expression type of a runtime value."""
    if value is None:
        return T_NIL
    if value is True or value is False:
        return T_BOOL
    if isinstance(value, int):
        return T_INT
    if isinstance(value, float):
        return T_FLOAT
    if isinstance(value, Geo):
        return T_GEO
    if isinstance(value, str):
        return T_STR
    if isinstance(value, Blob):
        return T_HLL if value.prefix == ParticleType.HLL else T_BLOB
    if isinstance(value, CdtMap):
        return T_MAP
    if isinstance(value, list):
        return T_LIST
    return T_END


# -- comparison of msgpack values (lists, maps, other msgpack) ----------------------------------


class _Wild(Exception):
    pass


def _unordered(value) -> bool:
    return isinstance(value, CdtMap) and len(value) > 0 and not value.flags & V.MAP_K_ORDERED


def _cmp(a, b, seen: list) -> int:
    # both elements are "parsed" before they are compared, as msgpack_cmp does: a non-empty map
    # without key order met on either side makes the comparison unusable
    if _unordered(a) or _unordered(b):
        seen[0] = True
    if a is V.WILDCARD or b is V.WILDCARD:
        raise _Wild
    ra, rb = V.type_rank(a), V.type_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if isinstance(a, CdtMap):
        if len(a) != len(b):
            return -1 if len(a) < len(b) else 1
        for (ka, va), (kb, vb) in zip(a, b):
            c = _cmp(ka, kb, seen) or _cmp(va, vb, seen)
            if c:
                return c
        return 0
    if isinstance(a, list):
        for x, y in zip(a, b):
            c = _cmp(x, y, seen)
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    return V.compare(a, b)


def msgpack_compare(a, b):
    """-1/0/1 in the server's msgpack order, or UNK when an unordered map took part."""
    seen = [False]
    try:
        result = _cmp(a, b, seen)
    except _Wild:
        result = 0
    return UNK if seen[0] else result
