"""msgpack of collection (list/map), bit and HLL operation payloads, byte for byte as the
official client's C library writes them.

What differs from packing with the ``msgpack`` package, as recorded from aerospike 19.3.0:

- strings, bytes, GeoJSON and HyperLogLog values are str-family items whose first byte is the
  particle type (3, 4, 23, 18);
- a plain dict is sent with its entries sorted by key (integers, then strings, then bytes;
  integers numerically, the others bytewise) and entries whose key is not an integer, string or
  bytes are left out; an ``aerospike.KeyOrderedDict`` is sorted the same way behind the
  key-ordered header (ext 0 with the flag 1, then nil);
- ``aerospike.CDTWildcard()`` / ``CDTInfinite()`` are the ext items ``d4 ff 00`` / ``d4 ff 01``;
- counts are unsigned 64-bit (-1 goes out as 2**64 - 1).

The same packer writes the values inside expressions and contexts (``_expressions``), with
``Packer(expression=True)``; see the class for the differences.
"""

import struct
import sys
import warnings
from typing import Any

from . import _constants as C
from ._errors import client_error, param_error

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_U64 = (1 << 64) - 1
_F64 = struct.Struct(">d")

# Particle types used as the first byte of str-family items.
_PT_STRING, _PT_BLOB, _PT_HLL, _PT_GEOJSON = 3, 4, 18, 23

WILDCARD = b"\xd4\xff\x00"
INFINITE = b"\xd4\xff\x01"
_KEY_ORDERED_HEADER = b"\xc7\x00\x01\xc0"   # ext8 (no data, type = flags K_ORDERED), then nil


class Raw(bytes):
    """Bytes already packed (an embedded expression, say): copied as they are."""


_sentinels = None


def _sentinel_types():
    global _sentinels
    if _sentinels is None:
        from ._types import CDTInfinite, CDTWildcard, GeoJSON, KeyOrderedDict, null
        _sentinels = (CDTWildcard, CDTInfinite, GeoJSON, KeyOrderedDict, null)
    return _sentinels


def unknown_type_error():
    return client_error("Unable to serialize unknown Python native type.")


class Packer:
    """Appends msgpack items to a bytearray.

    ``expression=True`` packs Python values as the official client converts them inside
    expressions and contexts (``_expressions``), which differs on purpose from collection
    operation values (the recorded bytes and errors of each path):

    - map keys: only bool and float keys are dropped; None keys are kept (sorted first) and keys
      of other types too (sorted last, by repr). Otherwise bool, float and None keys are dropped
      and keys of other types packed too (so refused unless a serializer takes them);
    - str values and keys are encoded as strict UTF-8 (a lone surrogate raises
      UnicodeEncodeError) instead of with surrogateescape;
    - a value of an unsupported type raises ParamError "Unsupported value type in expression:
      <type name>" instead of ClientError "Unable to serialize unknown Python native type.".
    """

    __slots__ = ("out", "expression", "fallback")

    def __init__(self, expression: bool = False, fallback=None):
        self.out = bytearray()
        self.expression = expression
        #: For a value of no known type: a function giving its (particle type, bytes), or None.
        self.fallback = fallback

    def bytes(self) -> bytes:
        return bytes(self.out)

    # -- headers and scalars ----------------------------------------------------------------------

    def array_header(self, n: int) -> None:
        if n < 16:
            self.out.append(0x90 | n)
        elif n < 0x10000:
            self.out += b"\xdc" + n.to_bytes(2, "big")
        else:
            self.out += b"\xdd" + n.to_bytes(4, "big")

    def map_header(self, n: int) -> None:
        if n < 16:
            self.out.append(0x80 | n)
        elif n < 0x10000:
            self.out += b"\xde" + n.to_bytes(2, "big")
        else:
            self.out += b"\xdf" + n.to_bytes(4, "big")

    def _str_header(self, n: int) -> None:
        if n < 32:
            self.out.append(0xA0 | n)
        elif n < 0x100:
            self.out += b"\xd9" + bytes((n,))
        elif n < 0x10000:
            self.out += b"\xda" + n.to_bytes(2, "big")
        else:
            self.out += b"\xdb" + n.to_bytes(4, "big")

    def typed_bytes(self, particle_type: int, data: bytes) -> None:
        self._str_header(len(data) + 1)
        self.out.append(particle_type)
        self.out += data

    def plain_str(self, data: bytes) -> None:
        """A str item of encoded text without particle-type prefix (expression names, regexes)."""
        self._str_header(len(data))
        self.out += data

    def uint(self, value: int) -> None:
        """A non-negative integer (at most 64 bits) in its smallest form."""
        if value < 0x80:
            self.out.append(value)
        elif value < 0x100:
            self.out += b"\xcc" + bytes((value,))
        elif value < 0x10000:
            self.out += b"\xcd" + value.to_bytes(2, "big")
        elif value < 0x100000000:
            self.out += b"\xce" + value.to_bytes(4, "big")
        elif value <= _U64:
            self.out += b"\xcf" + value.to_bytes(8, "big")
        else:
            raise _int_range_error()

    def int(self, value: int) -> None:
        """A signed 64-bit integer in its smallest form (non-negative ones as unsigned)."""
        if value >= 0:
            self.uint(value)
        elif value >= -32:
            self.out.append(value & 0xFF)
        elif value >= -0x80:
            self.out += b"\xd0" + value.to_bytes(1, "big", signed=True)
        elif value >= -0x8000:
            self.out += b"\xd1" + value.to_bytes(2, "big", signed=True)
        elif value >= -0x80000000:
            self.out += b"\xd2" + value.to_bytes(4, "big", signed=True)
        elif value >= _INT64_MIN:
            self.out += b"\xd3" + value.to_bytes(8, "big", signed=True)
        else:
            raise _int_range_error()

    def count(self, value: int) -> None:
        """A count the C client keeps as uint64_t: negative values wrap around."""
        self.uint(value & _U64)

    def float(self, value: float) -> None:
        self.out += b"\xcb" + _F64.pack(value)

    def bool(self, value: bool) -> None:
        self.out.append(0xC3 if value else 0xC2)

    def nil(self) -> None:
        self.out.append(0xC0)

    def raw(self, data: bytes) -> None:
        self.out += data

    # -- Python values ----------------------------------------------------------------------------

    def value(self, value: Any) -> None:
        """A bin-level value: what ``as_val_new_from_pyobject`` makes of it, packed."""
        if value is None:
            self.nil()
        elif isinstance(value, bool):
            self.bool(value)
        elif isinstance(value, int):
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise _int_range_error()
            self.int(value)
        elif isinstance(value, float):
            self.float(value)
        elif isinstance(value, str):
            errors = "strict" if self.expression else "surrogateescape"
            self.typed_bytes(_PT_STRING, value.encode("utf-8", errors))
        elif isinstance(value, Raw):
            self.raw(value)
        elif isinstance(value, (bytes, bytearray)):
            ptype = _PT_HLL if type(value).__name__ == "HyperLogLog" else _PT_BLOB
            self.typed_bytes(ptype, bytes(value))
        elif isinstance(value, list):
            self.array_header(len(value))
            for item in value:
                self.value(item)
        elif isinstance(value, dict):
            self._dict(value)
        else:
            self._special(value)

    def _special(self, value: Any) -> None:
        wildcard, infinite, geojson, _, null = _sentinel_types()
        if isinstance(value, wildcard):
            self.raw(WILDCARD)
        elif isinstance(value, infinite):
            self.raw(INFINITE)
        elif isinstance(value, geojson):
            self.typed_bytes(_PT_GEOJSON, value.dumps().encode())
        elif isinstance(value, null):
            self.nil()
        elif self.expression:
            raise param_error("Unsupported value type in expression: %s" % type(value).__name__)
        elif self.fallback is not None:
            self.typed_bytes(*self.fallback(value))
        else:
            raise unknown_type_error()

    def _dict(self, value: dict) -> None:
        key_ordered = isinstance(value, _sentinel_types()[3])
        items = sorted_map_items(value, self.expression)
        if key_ordered:
            self.map_header(len(items) + 1)
            self.raw(_KEY_ORDERED_HEADER)
        else:
            self.map_header(len(items))
        for k, v in items:
            self.value(k)
            self.value(v)


def _int_range_error():
    return param_error("integer value exceeds sys.maxsize")


def _key_rank(key: Any, expression: bool = False):
    """Sort key of a map key in the client's map ordering (None < int < str < bytes < others),
    or None for keys it drops (see Packer for what ``expression`` keeps)."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return (1, key, b"")
    if isinstance(key, str):
        return (2, 0, key.encode("utf-8", "strict" if expression else "surrogateescape"))
    if isinstance(key, (bytes, bytearray)):
        return (3, 0, bytes(key))
    if isinstance(key, float) or (not expression and key is None):
        return None
    if key is None:
        return (0, 0, b"")
    # A key of another type: kept, so that packing it meets the serializer (or its error), as
    # in the official client.
    return (4, 0, repr(key).encode())


def sorted_map_items(value: dict, expression: bool = False) -> list:
    """The entries of a dict as the C client packs them: kept keys only, in key order."""
    ranked = []
    for k, v in value.items():
        rank = _key_rank(k, expression)
        if rank is not None:
            ranked.append((rank, k, v))
    ranked.sort(key=lambda entry: entry[0])
    return [(k, v) for _, k, v in ranked]


def pack_value(value: Any, fallback=None) -> bytes:
    p = Packer(fallback=fallback)
    p.value(value)
    return p.bytes()


INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def entry_int(d: dict, key: str, required: bool = True):
    """An int64 entry of an operation dict (or an expression's fixed arguments) with the official
    client's checks and messages: None counts as missing; bools are ints."""
    if d.get(key) is None:
        if required:
            raise param_error("Operation missing required entry %s" % key)
        return None
    value = d[key]
    if not isinstance(value, int):
        raise param_error("%s must be an integer" % key)
    if not INT64_MIN <= value <= INT64_MAX:
        raise param_error("%s too large" % key)
    return int(value)


# -- create flags of list and map contexts (shared by _operations and _expressions) ------------

def check_create_order(order: int, highest: int) -> None:
    """The official client's DeprecationWarning for a create context's order_key out of range
    (a warnings filter that turns it into an error makes it a ParamError, as the C extension
    reports an exception raised by its warning)."""
    if 0 <= order <= highest:
        return
    message = "order_key must be inclusively between 0 and %d, but received %d instead." % (highest, order)
    try:
        warnings.warn(message, DeprecationWarning, stacklevel=_caller_stacklevel())
    except DeprecationWarning:
        raise param_error(message) from None


def _caller_stacklevel() -> int:
    """The stacklevel the official C extension's warning gets: one frame above the first frame
    outside the client's packages (the frame that called the client)."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in _OWN_PACKAGES:
        frame, level = frame.f_back, level + 1
    return level + 1


_OWN_PACKAGES = ("aerospike", "aerospike_helpers")


def list_create_flag(order: int, pad: bool) -> int:
    """The create flag OR'ed into the last context of a list create (operations and expressions)."""
    if order == C.LIST_ORDERED:
        return 0xC0
    return 0x80 if pad else 0x40


def map_create_flag(order: int) -> int:
    """The create flag OR'ed into the last context of a map create (operations and expressions)."""
    if order == C.MAP_KEY_ORDERED:
        return 0x80
    if order == C.MAP_KEY_VALUE_ORDERED:
        return 0xC0
    return 0x40
