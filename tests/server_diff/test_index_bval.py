"""BVAL (field 15) of string, blob and geo index-query records, against the real node: a node
sends the 64-bit wyhash of a string or blob (values of every length class of the hash are
generated: empty, 1-3, 4-16, 17-48, over 48 bytes) and the S2 leaf cell id of a geo point
(random points anywhere on the sphere, found by a circle around them); circles and polygons found
by a point inside them (their BVAL, a covering cell on the node, is an open item: allowlisted)."""

from __future__ import annotations

import json
import os
import struct
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.wire import FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType

from spikelite.geo import leaf_cell_id

from .allowlist import explain
from .harness import EXAMPLES, RUN, fresh_key, key_fields

SET = "diffbval%s" % RUN
ALL_PIDS = b"".join(bytes((p & 0xFF, p >> 8)) for p in range(4096))
INDEXES = [("s", "string"), ("b", "blob"), ("g", "geo2dsphere")]


@pytest.fixture(scope="module")
def indexed(pair):
    for conn in (pair.real, pair.lite):
        for bin_name, ktype in INDEXES:
            command = ("sindex-create:namespace=test;set=%s;indexname=bv%s%s;bin=%s;type=%s"
                       % (SET, RUN, bin_name, bin_name, ktype))
            assert conn.info(command)[command] == "ok"
    deadline = time.monotonic() + 10
    for bin_name, _ in INDEXES:
        command = "sindex-stat:namespace=test;indexname=bv%s%s" % (RUN, bin_name)
        while "load_pct=100" not in pair.real.info(command)[command] and time.monotonic() < deadline:
            time.sleep(0.05)
    yield
    for conn in (pair.real, pair.lite):
        for bin_name, _ in INDEXES:
            conn.info("sindex-delete:namespace=test;indexname=bv%s%s" % (RUN, bin_name))


def _query(conn, bin_name: str, ptype: int, value: bytes) -> list:
    rng = (bytes((1, len(bin_name))) + bin_name.encode() + bytes((ptype,))
           + struct.pack(">I", len(value)) + value + struct.pack(">I", len(value)) + value)
    msg = Message(info1=Info1.READ, info3=Info3.PARTITION_DONE, record_ttl=0xFFFFFFFF,
                  fields=[(FieldType.NAMESPACE, b"test"), (FieldType.SET, SET.encode()),
                          (FieldType.TRID, os.urandom(8)), (FieldType.PID_ARRAY, ALL_PIDS),
                          (FieldType.INDEX_RANGE, rng)])
    replies = conn.stream(msg)
    assert replies[-1].result_code == 0, replies[-1]
    return sorted((m.field(FieldType.DIGEST), m.field(FieldType.BVAL_ARRAY))
                  for m in replies if not m.info3 & (Info3.PARTITION_DONE | Info3.LAST))


values = st.one_of(st.binary(max_size=3), st.binary(min_size=4, max_size=16),
                   st.binary(min_size=17, max_size=48), st.binary(min_size=49, max_size=200))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=values)
def test_string_and_blob_records_carry_the_nodes_bval(pair, indexed, value):
    text = value.decode("latin-1").encode()  # any bytes as a valid UTF-8 string
    key = fresh_key("bv")
    for conn in (pair.real, pair.lite):
        msg = Message(info2=Info2.WRITE, fields=key_fields(SET, key),
                      ops=[Op(OpType.WRITE, ParticleType.STRING, "s", text),
                           Op(OpType.WRITE, ParticleType.BLOB, "b", value)])
        assert conn.request(msg).result_code == 0
    for bin_name, ptype, queried in (("s", ParticleType.STRING, text), ("b", ParticleType.BLOB, value)):
        real, lite = _query(pair.real, bin_name, ptype, queried), _query(pair.lite, bin_name, ptype, queried)
        assert real == lite
        assert real and all(bval is not None for _, bval in real)


@settings(max_examples=max(30, EXAMPLES // 20), deadline=None, suppress_health_check=list(HealthCheck))
@given(lng=st.floats(-179.9, 179.9), lat=st.floats(-89.9, 89.9))
def test_geo_point_records_carry_the_nodes_cell_id(pair, indexed, lng, lat):
    key = fresh_key("g")
    point = json.dumps({"type": "Point", "coordinates": [lng, lat]}).encode()
    for conn in (pair.real, pair.lite):
        msg = Message(info2=Info2.WRITE, fields=key_fields(SET, key),
                      ops=[Op(OpType.WRITE, ParticleType.GEOJSON, "g", b"\x00\x00\x00" + point)])
        assert conn.request(msg).result_code == 0
    region = json.dumps({"type": "AeroCircle", "coordinates": [[lng, lat], 10]}).encode()
    real, lite = (_query(conn, "g", ParticleType.GEOJSON, region) for conn in (pair.real, pair.lite))
    assert real == lite
    assert real and all(bval is not None for _, bval in real)


def _rounded(x: float) -> float:
    return round(x, 6)


@settings(max_examples=max(20, EXAMPLES // 40), deadline=None, suppress_health_check=list(HealthCheck))
@given(lng=st.floats(-170, 170).map(_rounded), lat=st.floats(-80, 80).map(_rounded),
       radius=st.floats(10, 200000).map(_rounded), side=st.floats(0.001, 5).map(_rounded),
       dx=st.floats(0.05, 0.95), dy=st.floats(0.05, 0.95))
def test_geo_region_records_found_by_a_point(pair, indexed, lng, lat, radius, side, dx, dy):
    """Circles and polygons stored in the index, queried by a point inside them: the same records
    on both (a region query, which a node answers with points only, finds none of them); the BVAL
    is compared through the allowlist (`geo-region-bval`)."""
    circle = {"type": "AeroCircle", "coordinates": [[lng, lat], radius]}
    square = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    polygon = {"type": "Polygon", "coordinates": [square]}
    for region, (px, py) in ((circle, (lng, lat)), (polygon, (lng + dx * side, lat + dy * side))):
        key = fresh_key("r")
        for conn in (pair.real, pair.lite):
            msg = Message(info2=Info2.WRITE, fields=key_fields(SET, key),
                          ops=[Op(OpType.WRITE, ParticleType.GEOJSON, "g", b"\x00\x00\x00" + json.dumps(region).encode())])
            assert conn.request(msg).result_code == 0
        point = json.dumps({"type": "Point", "coordinates": [px, py]}).encode()
        real, lite = (_query(conn, "g", ParticleType.GEOJSON, point) for conn in (pair.real, pair.lite))
        assert real, region
        what = "geo region records at leaf %d" % leaf_cell_id(px, py)
        assert real == lite or explain(what, real, lite) is not None, (region, real, lite)
        around = json.dumps({"type": "AeroCircle", "coordinates": [[px, py], 1.0]}).encode()
        real, lite = (_query(conn, "g", ParticleType.GEOJSON, around) for conn in (pair.real, pair.lite))
        assert real == lite
