"""Secondary indexes: bin values (or list elements, map keys, map values) → digests.

Numeric indexes keep `(value, digest)` pairs in a sorted list, so a range costs O(log n + matches);
string and blob indexes map each value to its digests (equality only, as on a real server);
geo2dsphere indexes keep each record's parsed GeoJSON shapes (`spikelite.geo`) and answer a query
by testing them on the sphere (points within a region, regions containing a point).
Every write and delete of a record in the index's set updates it, so a query touches only matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from sortedcontainers import SortedList

from ..wire import ParticleType
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

    def same_target(self, other: "IndexDefinition") -> bool:
        return (self.set_name, self.bin_name, self.ktype, self.itype, self.context, self.expression) == (
            other.set_name, other.bin_name, other.ktype, other.itype, other.context, other.expression)


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

    # -- maintenance ----------------------------------------------------------------------------

    def values_of(self, record) -> list:
        d = self.definition
        if d.set_name is not None and record.set_name != d.set_name:
            return []
        if d.bin_name is None or d.bin_name not in record.bins:
            return []
        ptype, data = record.bins[d.bin_name]
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

    def add(self, digest: bytes, record) -> None:
        keys = self.values_of(record)
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
