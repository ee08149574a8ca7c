"""Which bin values the server agrees to store: the checks a real node makes before a write.

Kept out of the codec (`spikewire`) because the GeoJSON check needs the server's geometry
(`spikelite.geo`)."""

from __future__ import annotations

from spikewire import AerospikeWireError, ParticleType, ResultCode
from spikewire.particles import STORABLE_TYPES, decode_bool, decode_float, decode_int

from .geo import GeoError, parse


def _validate_geojson(data: bytes) -> None:
    """A server parses every GeoJSON bin it stores and answers GEO_INVALID_GEOJSON (160) for a short
    particle, text that is not JSON, or JSON that is not a geometry it knows (`spikelite.geo`)."""
    if len(data) < 3 or len(data) < 3 + 8 * int.from_bytes(data[1:3], "big"):
        raise AerospikeWireError(ResultCode.GEO_INVALID_GEOJSON, "geojson particle shorter than its cells")
    try:
        parse(data[3 + 8 * int.from_bytes(data[1:3], "big"):])
    except GeoError as exc:
        raise AerospikeWireError(ResultCode.GEO_INVALID_GEOJSON, "invalid GeoJSON: %s" % exc) from None


def validate_particle(ptype: int, data: bytes) -> None:
    """Reject a bin value a server would refuse to store (PARAMETER)."""
    if ptype == ParticleType.INTEGER:
        decode_int(data)
    elif ptype == ParticleType.FLOAT:
        decode_float(data)
    elif ptype == ParticleType.BOOL:
        decode_bool(data)
    elif ptype == ParticleType.GEOJSON:
        _validate_geojson(data)
    elif ptype not in STORABLE_TYPES:
        raise AerospikeWireError(ResultCode.PARAMETER, "unknown particle type %d" % ptype)
