"""Secondary indexes: bin values (or list elements, map keys, map values) → digests.

Numeric indexes keep `(value, digest)` pairs in a sorted list, so a range costs O(log n + matches);
string and blob indexes map each value to its digests (equality only, as on a real server);
geo2dsphere indexes keep each record's parsed GeoJSON shapes (`spikelite.geo`) and answer a query
by testing them on the sphere (points within a region, regions containing a point).
Every write and delete of a record in the index's set updates it, so a query touches only matches.

A context index (`context`: base64 msgpack ctx) indexes the element found by following that context
path inside a list/map bin (`binops.cdt.values.dig`); an expression index (`expression`: base64
msgpack expression, no bin) indexes the value the expression evaluates to for each record. The
collection index types then look into that element or value as they do into a bin.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from sortedcontainers import SortedList

from ..wire import AerospikeWireError, ParticleType, ResultCode
from ..wire.particles import decode_int
from ..wire.values import GeoJSONText, unpack_value
from ..wire.results import MalformedMessage

KTYPE_NUMERIC = "numeric"
KTYPE_STRING = "string"
KTYPE_BLOB = "blob"
KTYPE_GEO = "geo2dsphere"
ITYPE_DEFAULT = "default"
ITYPE_LIST = "list"
ITYPE_MAPKEYS = "mapkeys"
ITYPE_MAPVALUES = "mapvalues"
#: A set index (`indextype=set`): no bin, no key type; it lists a set's records.
ITYPE_SET = "set"
#: Wire codes of the collection type (INDEX_TYPE field) and of the key type (INDEX_RANGE particle).
ITYPE_BY_CODE = {0: ITYPE_DEFAULT, 1: ITYPE_LIST, 2: ITYPE_MAPKEYS, 3: ITYPE_MAPVALUES}
KTYPE_BY_PARTICLE = {ParticleType.INTEGER: KTYPE_NUMERIC, ParticleType.STRING: KTYPE_STRING,
                     ParticleType.BLOB: KTYPE_BLOB, ParticleType.GEOJSON: KTYPE_GEO}


@dataclass
class IndexDefinition:
    name: str
    set_name: str | None
    bin_name: str | None
    ktype: str
    itype: str = ITYPE_DEFAULT
    context: str | None = None  # base64 msgpack ctx, as given
    expression: str | None = None  # base64 msgpack expression, as given

    def context_bytes(self) -> bytes | None:
        return _b64(self.context) if self.context else None

    def expression_bytes(self) -> bytes | None:
        return _b64(self.expression) if self.expression else None

    def same_target(self, other: "IndexDefinition") -> bool:
        return (self.set_name, self.bin_name, self.ktype, self.itype, self.context, self.expression) == (
            other.set_name, other.bin_name, other.ktype, other.itype, other.context, other.expression)


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise AerospikeWireError(ResultCode.PARAMETER, "invalid base64") from None


def parse_context(text: str) -> list:
    """The [(ctx_type, ctx_value)] items of a sindex-create `context=`; PARAMETER when malformed."""
    from ..binops.cdt import values as V
    reader = V.Reader(_b64(text))
    items = V.parse_ctx(reader)
    if reader.pos != reader.end:
        raise AerospikeWireError(ResultCode.PARAMETER, "trailing bytes after the context")
    return items


def parse_expression(text: str):
    """The built expression of a sindex-create `exp=`; PARAMETER when the server would refuse it."""
    from ..expressions import compile_expression
    return compile_expression(_b64(text))


def _cdt_scalar(ktype: str, value):
    """The index key of one element of a decoded collection or expression value, or None."""
    from ..binops.cdt.values import Blob
    if ktype == KTYPE_NUMERIC:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if ktype == KTYPE_GEO:
        return _geo_shape(value) if isinstance(value, GeoJSONText) else None
    if ktype == KTYPE_STRING:
        if isinstance(value, str) and not isinstance(value, GeoJSONText):
            return value.encode("utf-8", "surrogateescape")
        return None
    if ktype == KTYPE_BLOB:
        return bytes(value) if isinstance(value, Blob) and value.prefix == ParticleType.BLOB else None
    return None


def _cdt_keys(d: "IndexDefinition", value) -> list:
    """The index keys of a decoded value (the element a context leads to, or an expression's
    value): the value itself, or its elements / map keys / map values for collection indexes."""
    from ..binops.cdt.values import CdtList, CdtMap
    if d.itype == ITYPE_DEFAULT:
        elements = [value]
    elif d.itype == ITYPE_LIST and isinstance(value, CdtList):
        elements = value
    elif d.itype == ITYPE_MAPKEYS and isinstance(value, CdtMap):
        elements = value.keys()
    elif d.itype == ITYPE_MAPVALUES and isinstance(value, CdtMap):
        elements = value.values()
    else:
        return []
    keys = []
    for element in elements:
        key = _cdt_scalar(d.ktype, element)
        if key is not None and key not in keys:
            keys.append(key)
    return keys


def _scalar(ktype: str, value):
    """The index key of one element, or None when the element has another type."""
    if ktype == KTYPE_NUMERIC:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if ktype == KTYPE_STRING:
        return value.encode() if isinstance(value, str) else None
    if ktype == KTYPE_BLOB:
        return bytes(value) if isinstance(value, (bytes, bytearray)) else None
    if ktype == KTYPE_GEO:
        return _geo_shape(value) if isinstance(value, GeoJSONText) else None
    return None


def _geo_shape(text):
    """The parsed Point/Region of a GeoJSON value, or None when it does not parse."""
    from .. import geo
    try:
        return geo.parse(text)
    except geo.GeoError:
        return None


def _geojson_bytes(data: bytes) -> bytes:
    """The JSON text of a GEOJSON particle: after its flags, cell count and cell ids."""
    if len(data) < 3:
        return b""
    return bytes(data[3 + 8 * int.from_bytes(data[1:3], "big"):])


class SecondaryIndex:
    def __init__(self, definition: IndexDefinition):
        self.definition = definition
        self.sorted = SortedList() if definition.ktype == KTYPE_NUMERIC else None
        self.buckets: dict[object, set[bytes]] = {}
        self.keys_of: dict[bytes, list] = {}  # digest → the keys it is indexed under
        self.context = parse_context(definition.context) if definition.context else None
        self.expression = parse_expression(definition.expression) if definition.expression else None

    # -- maintenance ----------------------------------------------------------------------------

    def values_of(self, record, digest: bytes | None = None) -> list:
        d = self.definition
        if d.set_name is not None and record.set_name != d.set_name:
            return []
        if self.expression is not None:
            return self._expression_keys(record, digest)
        found = record.lazy_bins().get(d.bin_name) if d.bin_name is not None else None
        if found is None:
            return []
        ptype, data = found
        if self.context is not None:
            return self._context_keys(ptype, data)
        if d.itype == ITYPE_DEFAULT:
            if d.ktype == KTYPE_NUMERIC and ptype == ParticleType.INTEGER:
                return [decode_int(data)]
            if d.ktype == KTYPE_STRING and ptype == ParticleType.STRING:
                return [bytes(data)]
            if d.ktype == KTYPE_BLOB and ptype == ParticleType.BLOB:
                return [bytes(data)]
            if d.ktype == KTYPE_GEO and ptype == ParticleType.GEOJSON:
                shape = _geo_shape(_geojson_bytes(data))
                return [shape] if shape is not None else []
            return []
        if ptype not in (ParticleType.LIST, ParticleType.MAP):
            return []
        try:
            value = unpack_value(data)
        except MalformedMessage:
            return []
        if d.itype == ITYPE_LIST and isinstance(value, list):
            elements = value
        elif d.itype == ITYPE_MAPKEYS and isinstance(value, dict):
            elements = list(value.keys())
        elif d.itype == ITYPE_MAPVALUES and isinstance(value, dict):
            elements = list(value.values())
        else:
            return []
        keys = []
        for element in elements:
            key = _scalar(d.ktype, element)
            if key is not None and key not in keys:
                keys.append(key)
        return keys

    def _context_keys(self, ptype: int, data: bytes) -> list:
        from ..binops.cdt import values as V
        if ptype not in (ParticleType.LIST, ParticleType.MAP):
            return []
        try:
            target = V.dig(V.unpack(data), self.context, False)
        except AerospikeWireError:  # not a collection, element not found, bad path for this value
            return []
        return _cdt_keys(self.definition, target.value)

    def _expression_keys(self, record, digest: bytes | None) -> list:
        from ..expressions import UNK, Context
        try:
            value = self.expression.evaluate(Context.of_record(record, digest, None))
        except Exception:  # noqa: BLE001 - a value the index cannot take must never fail the write
            return []
        if value is UNK or value is None:
            return []
        return _cdt_keys(self.definition, value)

    def add(self, digest: bytes, record) -> None:
        keys = self.values_of(record, digest)
        if not keys:
            return
        self.keys_of[digest] = keys
        if self.definition.ktype == KTYPE_GEO:
            return  # geo shapes live in keys_of only
        for key in keys:
            if self.sorted is not None:
                self.sorted.add((key, digest))
            else:
                self.buckets.setdefault(key, set()).add(digest)

    def remove(self, digest: bytes) -> None:
        keys = self.keys_of.pop(digest, None)
        if not keys or self.definition.ktype == KTYPE_GEO:
            return
        for key in keys:
            if self.sorted is not None:
                self.sorted.discard((key, digest))
            else:
                bucket = self.buckets.get(key)
                if bucket is not None:
                    bucket.discard(digest)
                    if not bucket:
                        del self.buckets[key]

    # -- lookups ----------------------------------------------------------------------------------

    def lookup_range(self, begin: int, end: int) -> list[tuple[bytes, int]]:
        """(digest, value) of entries with begin <= value <= end."""
        return [(digest, key) for key, digest in self.sorted.irange((begin, b""), (end, b"\xff" * 21))]

    def lookup_equal(self, key) -> list[tuple[bytes, object]]:
        return [(digest, key) for digest in self.buckets.get(key, ())]

    def lookup_geo(self, query) -> list[tuple[bytes, object]]:
        """(digest, shape) of the indexed shapes a geo query matches: points inside a query region,
        or regions containing a query point (`spikelite.geo.match`)."""
        from ..geo import match
        return [(digest, shape) for digest, shapes in self.keys_of.items()
                for shape in shapes if match(shape, query)]

    def entries(self) -> int:
        if self.definition.ktype == KTYPE_GEO:
            return sum(len(shapes) for shapes in self.keys_of.values())
        return len(self.sorted) if self.sorted is not None else sum(len(b) for b in self.buckets.values())
