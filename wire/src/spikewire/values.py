"""Aerospike's msgpack conventions for values inside lists, maps, UDF arguments and expressions.

Strings travel as msgpack str objects whose first byte is the particle type 3, blobs likewise with
4 (or a language-blob type), GeoJSON with 23, all with the str-family headers (fixstr, str8, str16,
str32) that Aerospike clients emit. The `msgpack` library packs a Python str with exactly those
headers; a blob's arbitrary bytes ride inside a str decoded with `surrogateescape`, which msgpack
encodes back to the same bytes.
"""

from __future__ import annotations

from typing import Any, Callable

import msgpack

from .particles import ParticleType
from .results import MalformedMessage



class GeoJSONText(str):
    """A GeoJSON document inside a collection value (packed with prefix 23)."""


def raw_str(prefix: int, data: bytes) -> str:
    """A str that msgpack (unicode_errors='surrogateescape') packs as a str-family object holding
    exactly `prefix` + `data`."""
    return (bytes((prefix,)) + data).decode("utf-8", "surrogateescape")


def _to_wire(value: Any, default: Callable[[Any], Any] | None) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, GeoJSONText):
        return "\x17" + value
    if isinstance(value, str):
        return "\x03" + value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return raw_str(ParticleType.BLOB, bytes(value))
    if isinstance(value, msgpack.ExtType):
        return value
    if isinstance(value, (list, tuple)):
        return [_to_wire(item, default) for item in value]
    if isinstance(value, dict):
        return {_to_wire(k, default): _to_wire(v, default) for k, v in value.items()}
    if default is not None:
        return _to_wire(default(value), None)
    raise TypeError("cannot pack %s into an Aerospike collection" % type(value).__name__)


def pack_value(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """msgpack bytes of a Python value with Aerospike's string/blob prefixes.

    `default` converts objects of other types into packable ones (e.g. a client's GeoJSON class).
    """
    return msgpack.packb(_to_wire(value, default), use_bin_type=True, unicode_errors="surrogateescape")


def _from_wire(item: Any) -> Any:
    if isinstance(item, bytes):
        if not item:
            return b""
        prefix = item[0]
        if prefix == ParticleType.STRING:
            return item[1:].decode("utf-8", "surrogateescape")
        if prefix == ParticleType.GEOJSON:
            return GeoJSONText(item[1:].decode("utf-8", "surrogateescape"))
        return item[1:]
    if isinstance(item, list):
        if item and isinstance(item[0], msgpack.ExtType) and not item[0].data:
            item = item[1:]  # ordered-list flag header
        return [_from_wire(x) for x in item]
    if isinstance(item, dict):
        return {_from_wire(k): _from_wire(v) for k, v in item.items()
                if not (isinstance(k, msgpack.ExtType) and not k.data)}
    return item


def unpack_value(data: bytes) -> Any:
    """Python value of Aerospike msgpack bytes (ordered-collection headers dropped)."""
    try:
        raw = msgpack.unpackb(data, raw=True, strict_map_key=False, use_list=True)
    except (ValueError, msgpack.UnpackException, TypeError) as exc:
        raise MalformedMessage("bad msgpack value: %s" % exc) from None
    return _from_wire(raw)
