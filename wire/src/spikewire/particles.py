"""Particle types and the byte encoding of bin values (op values and the KEY field)."""

from __future__ import annotations

import struct
from enum import IntEnum

from .results import AerospikeWireError, MalformedMessage, ResultCode


class ParticleType(IntEnum):
    NULL = 0
    INTEGER = 1
    FLOAT = 2
    STRING = 3
    BLOB = 4
    JAVA_BLOB = 7
    CSHARP_BLOB = 8
    PYTHON_BLOB = 9
    RUBY_BLOB = 10
    PHP_BLOB = 11
    ERLANG_BLOB = 12
    VECTOR = 16
    BOOL = 17
    HLL = 18
    MAP = 19
    LIST = 20
    GEOJSON = 23


#: Raw-byte particle types whose value is opaque bytes (language blobs included).
BLOB_TYPES = frozenset({ParticleType.BLOB, ParticleType.JAVA_BLOB, ParticleType.CSHARP_BLOB,
                        ParticleType.PYTHON_BLOB, ParticleType.RUBY_BLOB, ParticleType.PHP_BLOB,
                        ParticleType.ERLANG_BLOB})
#: Every particle type a stored bin may have.
STORABLE_TYPES = frozenset({ParticleType.INTEGER, ParticleType.FLOAT, ParticleType.STRING,
                            ParticleType.BOOL, ParticleType.HLL, ParticleType.MAP,
                            ParticleType.LIST, ParticleType.GEOJSON}) | BLOB_TYPES

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_I64 = struct.Struct(">q")
_U64 = struct.Struct(">Q")
_F64 = struct.Struct(">d")
_GEO_HEADER = struct.Struct(">BH")


def encode_int(value: int) -> bytes:
    if not INT64_MIN <= value <= INT64_MAX:
        raise AerospikeWireError(ResultCode.PARAMETER, "integer %d is outside the signed 64-bit range" % value)
    return _I64.pack(value)


def decode_int(data: bytes) -> int:
    """An INTEGER particle: 8 bytes BE signed; 1, 2 or 4 bytes are zero-extended (as the server does)."""
    size = len(data)
    if size == 8:
        return _I64.unpack(data)[0]
    if size in (1, 2, 4):
        return int.from_bytes(data, "big", signed=False)
    raise MalformedMessage("integer particle of %d bytes" % size)


def encode_float(value: float) -> bytes:
    return _F64.pack(value)


def decode_float(data: bytes) -> float:
    if len(data) != 8:
        raise MalformedMessage("float particle of %d bytes" % len(data))
    return _F64.unpack(data)[0]


def decode_bool(data: bytes) -> bool:
    if len(data) != 1 or data[0] > 1:
        raise MalformedMessage("bool particle must be one byte 0 or 1")
    return bool(data[0])


def encode_geojson(text: str) -> bytes:
    """GEOJSON particle as clients send it: flags 0, no cells, then the JSON text."""
    return _GEO_HEADER.pack(0, 0) + text.encode()


def geojson_text(data: bytes) -> str:
    """The JSON text of a GEOJSON particle, skipping the flags byte and any cell ids."""
    if len(data) < 3:
        raise MalformedMessage("geojson particle shorter than its header")
    _flags, ncells = _GEO_HEADER.unpack_from(data)
    start = 3 + 8 * ncells
    if start > len(data):
        raise MalformedMessage("geojson particle cell list overruns the value")
    try:
        return data[start:].decode()
    except UnicodeDecodeError:
        raise MalformedMessage("geojson text is not UTF-8") from None
