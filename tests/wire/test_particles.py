"""Particle types and bin value bytes (framing.md §6)."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikewire import AerospikeWireError, MalformedMessage, ParticleType, ResultCode
from spikewire.particles import (BLOB_TYPES, INT64_MAX, INT64_MIN, STORABLE_TYPES, decode_bool,
                                 decode_float, decode_int, encode_float, encode_geojson, encode_int,
                                 geojson_text)

from .strategies import INT64


def test_particle_type_numbers():
    assert {p.name: p.value for p in ParticleType} == {
        "NULL": 0, "INTEGER": 1, "FLOAT": 2, "STRING": 3, "BLOB": 4, "JAVA_BLOB": 7,
        "CSHARP_BLOB": 8, "PYTHON_BLOB": 9, "RUBY_BLOB": 10, "PHP_BLOB": 11, "ERLANG_BLOB": 12,
        "VECTOR": 16, "BOOL": 17, "HLL": 18, "MAP": 19, "LIST": 20, "GEOJSON": 23}
    assert BLOB_TYPES == {4, 7, 8, 9, 10, 11, 12}
    assert STORABLE_TYPES == {1, 2, 3, 17, 18, 19, 20, 23} | BLOB_TYPES


# -- integers -----------------------------------------------------------------------------------

def test_int64_bounds():
    assert INT64_MIN == -(1 << 63) and INT64_MAX == (1 << 63) - 1
    assert encode_int(INT64_MIN) == b"\x80" + b"\0" * 7
    assert encode_int(INT64_MAX) == b"\x7f" + b"\xff" * 7
    assert encode_int(-1) == b"\xff" * 8
    assert encode_int(0) == b"\0" * 8
    assert encode_int(1000) == bytes.fromhex("00000000000003e8")
    assert decode_int(encode_int(INT64_MIN)) == INT64_MIN
    assert decode_int(encode_int(INT64_MAX)) == INT64_MAX


@settings(max_examples=300, deadline=None)
@given(value=INT64)
def test_int_round_trip(value):
    data = encode_int(value)
    assert data == struct.pack(">q", value)
    assert decode_int(data) == value


@pytest.mark.parametrize("value", [INT64_MAX + 1, INT64_MIN - 1, 1 << 64, -(1 << 64), 10 ** 30])
def test_encode_int_out_of_range(value):
    with pytest.raises(AerospikeWireError) as info:
        encode_int(value)
    assert info.value.code == ResultCode.PARAMETER


@settings(max_examples=100, deadline=None)
@given(value=st.one_of(st.integers(min_value=INT64_MAX + 1), st.integers(max_value=INT64_MIN - 1)))
def test_encode_int_out_of_range_random(value):
    with pytest.raises(AerospikeWireError) as info:
        encode_int(value)
    assert info.value.code == ResultCode.PARAMETER


@pytest.mark.parametrize("data, expected", [
    (b"\x00", 0), (b"\x7f", 127), (b"\x80", 128), (b"\xff", 255),
    (b"\x00\x01", 1), (b"\xff\xff", 65535), (b"\x80\x00", 32768),
    (b"\x00\x00\x00\x01", 1), (b"\xff\xff\xff\xff", 0xFFFFFFFF), (b"\x80\x00\x00\x00", 1 << 31),
])
def test_decode_int_short_sizes_zero_extend(data, expected):
    # The server zero-extends 1/2/4-byte integers: 0xff is 255, never -1.
    assert decode_int(data) == expected


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(st.binary(min_size=1, max_size=1), st.binary(min_size=2, max_size=2),
                      st.binary(min_size=4, max_size=4)))
def test_decode_int_short_sizes_random(data):
    value = decode_int(data)
    assert value >= 0
    assert value == int.from_bytes(data, "big")


@pytest.mark.parametrize("size", [0, 3, 5, 6, 7, 9, 16])
def test_decode_int_bad_size(size):
    with pytest.raises(MalformedMessage) as info:
        decode_int(b"\x01" * size)
    assert info.value.code == ResultCode.PARAMETER


# -- floats -------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_float_round_trip_by_bits(value):
    data = encode_float(value)
    assert len(data) == 8
    assert data == struct.pack(">d", value)
    assert decode_float(data) == value or math.isnan(value)
    assert struct.pack(">d", decode_float(data)) == data


@pytest.mark.parametrize("value, hex_bytes", [
    (1.5, "3ff8000000000000"), (-0.0, "8000000000000000"), (0.0, "0000000000000000"),
    (math.inf, "7ff0000000000000"), (-math.inf, "fff0000000000000"),
])
def test_float_exact_bytes(value, hex_bytes):
    assert encode_float(value).hex() == hex_bytes
    assert struct.pack(">d", decode_float(bytes.fromhex(hex_bytes))).hex() == hex_bytes


@pytest.mark.parametrize("bits", ["7ff8000000000000", "fff8000000000001", "7ff0000000000001",
                                  "7fffffffffffffff"])
def test_nan_payloads_survive_by_bits(bits):
    data = bytes.fromhex(bits)
    value = decode_float(data)
    assert math.isnan(value)
    assert encode_float(value) == data


def test_inf_round_trip():
    assert decode_float(encode_float(math.inf)) == math.inf
    assert decode_float(encode_float(-math.inf)) == -math.inf


@pytest.mark.parametrize("size", [0, 1, 4, 7, 9])
def test_decode_float_bad_size(size):
    with pytest.raises(MalformedMessage):
        decode_float(b"\0" * size)


# -- bools --------------------------------------------------------------------------------------

def test_decode_bool():
    assert decode_bool(b"\x00") is False
    assert decode_bool(b"\x01") is True


@pytest.mark.parametrize("data", [b"", b"\x02", b"\xff", b"\x00\x00", b"\x00\x01", b"\x01\x00"])
def test_decode_bool_rejects(data):
    with pytest.raises(MalformedMessage) as info:
        decode_bool(data)
    assert info.value.code == ResultCode.PARAMETER


# -- geojson ------------------------------------------------------------------------------------

POINT = '{"type": "Point", "coordinates": [-122.0, 37.5]}'


def test_encode_geojson_header():
    data = encode_geojson(POINT)
    assert data[:3] == b"\x00\x00\x00"
    assert data[3:] == POINT.encode()
    assert geojson_text(data) == POINT


def test_geojson_text_skips_cells():
    cells = b"".join(struct.pack(">Q", c) for c in (0x89C2590000000000, 1, 2))
    data = b"\x01" + struct.pack(">H", 3) + cells + POINT.encode()
    assert geojson_text(data) == POINT
    assert geojson_text(b"\x00\x00\x01" + b"\xab" * 8 + b"{}") == "{}"


@settings(max_examples=100, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
       cells=st.lists(st.integers(0, (1 << 64) - 1), max_size=5), flags=st.integers(0, 255))
def test_geojson_round_trip(text, cells, flags):
    assert geojson_text(encode_geojson(text)) == text
    data = bytes((flags,)) + struct.pack(">H", len(cells)) + b"".join(
        struct.pack(">Q", c) for c in cells) + text.encode()
    assert geojson_text(data) == text


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00",
                                  b"\x00\x00\x01" + b"\0" * 7,
                                  b"\x00\x00\x02" + b"\0" * 15,
                                  b"\x00\xff\xff{}"])
def test_geojson_text_rejects_short_values(data):
    with pytest.raises(MalformedMessage):
        geojson_text(data)


def test_geojson_text_rejects_invalid_utf8():
    with pytest.raises(MalformedMessage):
        geojson_text(b"\x00\x00\x00\xff\xfe")
