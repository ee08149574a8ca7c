"""The bin values spikelite agrees to store (`spikelite.storable.validate_particle`), as a real node."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikelite.storable import validate_particle
from spikewire import AerospikeWireError, ParticleType, ResultCode
from spikewire.particles import STORABLE_TYPES, encode_float, encode_geojson, encode_int

POINT = '{"type": "Point", "coordinates": [-122.0, 37.5]}'


@pytest.mark.parametrize("ptype, data", [
    (ParticleType.INTEGER, encode_int(-5)),
    (ParticleType.INTEGER, b"\x05"),
    (ParticleType.INTEGER, b"\x00\x05"),
    (ParticleType.INTEGER, b"\x00\x00\x00\x05"),
    (ParticleType.FLOAT, encode_float(2.5)),
    (ParticleType.STRING, b""),
    (ParticleType.STRING, "héllo".encode()),
    (ParticleType.BLOB, b"\x00\xff"),
    (ParticleType.JAVA_BLOB, b"x"),
    (ParticleType.CSHARP_BLOB, b"x"),
    (ParticleType.PYTHON_BLOB, b"x"),
    (ParticleType.RUBY_BLOB, b"x"),
    (ParticleType.PHP_BLOB, b"x"),
    (ParticleType.ERLANG_BLOB, b"x"),
    (ParticleType.BOOL, b"\x00"),
    (ParticleType.BOOL, b"\x01"),
    (ParticleType.HLL, b"\x00" * 11),
    (ParticleType.MAP, b"\x80"),
    (ParticleType.LIST, b"\x90"),
    (ParticleType.GEOJSON, encode_geojson(POINT)),
])
def test_validate_particle_accepts(ptype, data):
    assert validate_particle(ptype, data) is None


@pytest.mark.parametrize("ptype, data", [
    (ParticleType.INTEGER, b""),
    (ParticleType.INTEGER, b"\0" * 3),
    (ParticleType.INTEGER, b"\0" * 9),
    (ParticleType.FLOAT, b"\0" * 4),
    (ParticleType.FLOAT, b""),
    (ParticleType.BOOL, b"\x02"),
    (ParticleType.BOOL, b""),
    (ParticleType.BOOL, b"\x00\x01"),
    (ParticleType.NULL, b""),
    (ParticleType.VECTOR, b"\0" * 8),
    (5, b"x"), (6, b"x"), (13, b"x"), (21, b"x"), (22, b"x"), (24, b"x"), (255, b"x"),
])
def test_validate_particle_rejects(ptype, data):
    with pytest.raises(AerospikeWireError) as info:
        validate_particle(ptype, data)
    assert info.value.code == ResultCode.PARAMETER


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x00\x05{}", b"\x00\x00\x00not json", b'\x00\x00\x00{"type": "Nope"}'])
def test_validate_particle_rejects_invalid_geojson_like_the_server(data):
    # A server parses every GeoJSON bin it stores and answers GEO_INVALID_GEOJSON (160).
    with pytest.raises(AerospikeWireError) as info:
        validate_particle(ParticleType.GEOJSON, data)
    assert info.value.code == ResultCode.GEO_INVALID_GEOJSON


def test_validate_particle_rejects_geojson_with_invalid_utf8():
    # Must be refused like any other malformed value, not escape as a UnicodeDecodeError.
    with pytest.raises(AerospikeWireError):
        validate_particle(ParticleType.GEOJSON, b"\x00\x00\x00\xff")


@settings(max_examples=300, deadline=None)
@given(ptype=st.integers(0, 255).filter(lambda t: t != ParticleType.GEOJSON),
       data=st.binary(max_size=24))
def test_validate_particle_raises_only_wire_errors(ptype, data):
    # GEOJSON (text must be UTF-8) has its own tests above; every other type is checked here.
    try:
        validate_particle(ptype, data)
    except AerospikeWireError as exc:
        assert exc.code == ResultCode.PARAMETER
    else:
        assert ptype in STORABLE_TYPES
