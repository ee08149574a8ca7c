"""Python values ⇄ Aerospike particles, as the official client converts them."""

from __future__ import annotations

import struct
from typing import Any, Callable

import msgpack

from spikewire import ParticleType
from spikewire.particles import BLOB_TYPES, decode_bool, decode_float, decode_int, geojson_text

from ._errors import client_error, param_error
from ._types import CDTInfinite, CDTWildcard, GeoJSON, KeyOrderedDict

_I64 = struct.Struct(">q")
_F64 = struct.Struct(">d")
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_GEO_HEADER = b"\x00\x00\x00"

SEND_BOOL_AS_INTEGER = 0
SEND_BOOL_AS_BOOL = 1
SERIALIZER_NONE = 0
SERIALIZER_PYTHON = 1  # gone from the official module, still refused with its message
SERIALIZER_JSON = 2
SERIALIZER_USER = 3


_null_type: type | None = None


def _is_null(value: Any) -> bool:
    """Is this the `aerospike.null()` sentinel (which removes a bin)?"""
    global _null_type
    if _null_type is None:
        from ._types import null
        _null_type = type(null())
    return isinstance(value, _null_type)


class Encoder:
    """Converts bin values for one client (its bool mode and serializer)."""

    def __init__(self, send_bool_as: int = SEND_BOOL_AS_BOOL, serializer: Callable | None = None,
                 strict_types: bool = True):
        self.send_bool_as = send_bool_as
        self.serializer = serializer
        #: False (config strict_types=False): value types and bin-name lengths are left to the server.
        self.strict_types = strict_types

    # -- top-level bin values -----------------------------------------------------------------

    def particle(self, value: Any, serializer_mode: int | None = None, record: bool = False) -> tuple[int, bytes]:
        """(particle type, bytes) of a bin value; NULL for None / aerospike.null(). `record`: a
        put's bins, where a value of no known type inside a list or map meets the serializer
        setting as a top-level one does (an operation's says "Unable to serialize ...")."""
        if value is None or _is_null(value):
            return ParticleType.NULL, b""
        if isinstance(value, bool):
            if self.send_bool_as == SEND_BOOL_AS_INTEGER:
                return ParticleType.INTEGER, _I64.pack(int(value))
            return ParticleType.BOOL, b"\x01" if value else b"\x00"
        if isinstance(value, int):
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise param_error("integer value exceeds sys.maxsize")
            return ParticleType.INTEGER, _I64.pack(value)
        if isinstance(value, float):
            return ParticleType.FLOAT, _F64.pack(value)
        if isinstance(value, str):
            return ParticleType.STRING, value.encode()
        if isinstance(value, GeoJSON):
            return ParticleType.GEOJSON, _GEO_HEADER + value.dumps().encode()
        if _is_hll(value):
            return ParticleType.HLL, bytes(value)
        if isinstance(value, (bytes, bytearray)):
            return ParticleType.BLOB, bytes(value)
        if isinstance(value, list):
            return ParticleType.LIST, self.pack(value, serializer_mode, record)
        if isinstance(value, dict):
            return ParticleType.MAP, self.pack(value, serializer_mode, record)
        # The wildcard/infinite markers are values only inside a list or map.
        if isinstance(value, (CDTWildcard, CDTInfinite)):
            raise client_error("Invalid value type: %d" % (13 if isinstance(value, CDTWildcard) else 14))
        return self._serialize(value, serializer_mode)

    def _mode(self, serializer_mode: int | None) -> int:
        """A call without a serializer argument uses the client's own serializer, if any."""
        if serializer_mode is None:
            return SERIALIZER_USER if self.serializer is not None else SERIALIZER_NONE
        return serializer_mode

    def _serialize(self, value: Any, serializer_mode: int | None) -> tuple[int, bytes]:
        """A value of no Aerospike type, through the user serializer: it must return a str,
        stored as a blob (as the official client does)."""
        mode = self._mode(serializer_mode)
        if mode == SERIALIZER_NONE:
            raise param_error("Cannot serialize: SERIALIZER_NONE selected")
        if mode == SERIALIZER_JSON:
            raise client_error("Unable to serialize using standard json serializer")
        if mode == SERIALIZER_PYTHON:
            raise client_error("Unable to serialize unknown Python native type.")
        if mode != SERIALIZER_USER:
            raise client_error("Unsupported serializer")
        from ._serializers import global_serializer
        fn = self.serializer or global_serializer()
        if fn is None:
            raise client_error("No serializer callback registered")
        try:
            data = fn(value)
        except Exception:  # noqa: BLE001 - the official client reports any failure the same way
            raise client_error("Unable to call user's registered serializer callback") from None
        if not isinstance(data, str):
            raise client_error("Unable to set as_bytes")
        try:
            return ParticleType.BLOB, data.encode()
        except UnicodeEncodeError:
            raise client_error("Unable to set as_bytes") from None

    # -- msgpack (collection values) ----------------------------------------------------------

    def pack(self, value: Any, serializer_mode: int | None = None, record: bool = False) -> bytes:
        """A list or map bin value packed exactly as the official client packs it (dict keys in
        int/str/bytes order, bool/float/None keys dropped, HLLs inside with particle type 18; values
        of no known type through the user serializer when one applies)."""
        from ._cdt_encoding import pack_value
        fallback = None
        mode = self._mode(serializer_mode)
        if mode == SERIALIZER_USER or (record and mode == SERIALIZER_NONE):
            fallback = lambda item: self._serialize(item, mode)  # noqa: E731
        return pack_value(value, fallback)


def _is_hll(value: Any) -> bool:
    return type(value).__name__ == "HyperLogLog"


# -- decoding -------------------------------------------------------------------------------------

class Decoder:
    def __init__(self, deserializer: Callable | None = None):
        self.deserializer = deserializer

    def particle(self, ptype: int, data: bytes) -> Any:
        if ptype == ParticleType.INTEGER:
            return decode_int(data)
        if ptype == ParticleType.STRING:
            return data.decode("utf-8", "surrogateescape")
        if ptype == ParticleType.FLOAT:
            return decode_float(data)
        if ptype == ParticleType.BLOB:
            return self.blob(data)
        if ptype == ParticleType.LIST or ptype == ParticleType.MAP:
            return self.unpack(data)
        if ptype == ParticleType.BOOL:
            return decode_bool(data)
        if ptype == ParticleType.GEOJSON:
            return GeoJSON(geojson_text(data))
        if ptype == ParticleType.NULL:
            return None
        if ptype == ParticleType.HLL:
            from ._types import HyperLogLog
            return HyperLogLog(data)
        if ptype == ParticleType.PYTHON_BLOB:
            return self.blob(data)
        if ptype in BLOB_TYPES:
            return bytes(data)
        return bytes(data)

    def blob(self, data: bytes) -> Any:
        """A blob: through the client's (else the global) deserializer, which gets it as a str;
        the bytes themselves if there is none, or it fails, or the bytes are no UTF-8."""
        from ._serializers import global_deserializer
        fn = self.deserializer or global_deserializer()
        if fn is None:
            return bytes(data)
        try:
            return fn(bytes(data).decode("utf-8"))
        except Exception:  # noqa: BLE001 - as the official client: fall back to the bytes
            return bytes(data)

    def unpack(self, data: bytes) -> Any:
        return self._from_wire(msgpack.unpackb(data, raw=True, strict_map_key=False,
                                               ext_hook=_ext_hook))

    def _from_wire(self, item: Any) -> Any:
        if isinstance(item, bytes):
            if not item:
                return b""
            prefix = item[0]
            if prefix == 3:
                return item[1:].decode("utf-8", "surrogateescape")
            if prefix == 23:
                return GeoJSON(item[1:].decode("utf-8", "surrogateescape"))
            if prefix == ParticleType.HLL:
                from ._types import HyperLogLog
                return HyperLogLog(item[1:])
            if prefix == ParticleType.BLOB:
                return self.blob(item[1:])
            return item[1:]
        if isinstance(item, list):
            if item and isinstance(item[0], _Flag):
                item = item[1:]
            return [self._from_wire(x) for x in item]
        if isinstance(item, dict):
            ordered = False
            result = {}
            for k, v in item.items():
                if isinstance(k, _Flag):
                    ordered = bool(k.flags & 1)
                    continue
                result[self._from_wire(k)] = self._from_wire(v)
            return KeyOrderedDict(result) if ordered else result
        return item


class _Flag:
    """An ordered-collection header (ext with no data; the ext type carries the flags)."""

    __slots__ = ("flags",)

    def __init__(self, flags: int):
        self.flags = flags

    def __hash__(self) -> int:
        return hash(("flag", self.flags))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Flag) and other.flags == self.flags


def _ext_hook(code: int, data: bytes):
    if not data:
        return _Flag(code & 0xFF)
    return msgpack.ExtType(code, data)
