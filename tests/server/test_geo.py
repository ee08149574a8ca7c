"""Spherical geometry of spikelite.geo: GeoJSON parsing rules, cell centres, loops, polygons, caps."""

import json
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spikelite import geo
from spikelite.wire import AerospikeWireError, ParticleType, ResultCode
from spikelite.storable import validate_particle
from spikelite.wire.particles import encode_geojson

R = geo.EARTH_RADIUS_METERS


def poly(*loops):
    return geo.parse(json.dumps({"type": "Polygon", "coordinates": [list(loop) for loop in loops]}))


def at(lng, lat):
    return geo.Point(lng, lat)


# Level-30 cell centres as S2CellId(S2LatLng::FromDegrees(lat, lng).ToPoint()).ToPoint() gives them.
S2_LEAF_CENTRES = [
    ((0, 0), (1.0, 6.20881716410319e-10, 6.20881716410319e-10)),
    ((-122.0841, 37.4219), (-0.42184068767458954, -0.6728864164769712, 0.6076794424225732)),
    ((179.9999999, -1e-07), (-1.0, 1.862645149230957e-09, -1.862645149230957e-09)),
    ((-180, 90), (-6.20881716410319e-10, -6.20881716410319e-10, 1.0)),
    ((45, -89.999), (1.2341380105315056e-05, 1.2341380105315056e-05, -0.9999999998476905)),
    ((12.5, -33.25), (0.8164628346326495, 0.1810054523215194, -0.5482932298446708)),
]


@pytest.mark.parametrize("lng_lat, expected", S2_LEAF_CENTRES)
def test_leaf_cell_centres_match_s2(lng_lat, expected):
    assert geo.Point(*lng_lat).xyz == pytest.approx(expected, abs=1e-16)


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_leaf_cell_centre_is_within_a_centimetre(lat, lng):
    p = geo.Point(lng, lat)
    assert geo.distance_meters(p.xyz, geo.lat_lng_to_xyz(lat, lng)) < 0.01
    assert math.isclose(sum(c * c for c in p.xyz), 1.0, rel_tol=1e-14)


def test_parse_kinds():
    assert isinstance(geo.parse('{"type": "Point", "coordinates": [1, 2]}'), geo.Point)
    assert geo.parse(b'{"type": "Polygon", "coordinates": []}').is_region
    assert geo.parse('{"type": "Feature", "geometry": {"type": "AeroCircle", "coordinates": [[1, 2], 3.5]}}').is_region
    multi = geo.parse('{"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]], []]}')
    assert len(multi.parts) == 2


@pytest.mark.parametrize("text", [
    "", "nope", "[1, 2]", '"Point"', "{}", '{"type": null}', '{"type": "Point", "coordinates": [NaN, 0]}',
    '{"type": "Point", "coordinates": [1e999, 0]}', '{"type": "Point", "coordinates": [1, 0]} x',
    '{"type": "Point", "coordinates": [99999999999999999999, 0]}',
    '{"type": "Point", "coordinates": [180.0000001, 0]}', '{"type": "Point", "coordinates": [0, -90.0000001]}',
    '{"type": "Point", "coordinates": [0, false]}', '{"type": "Point", "coordinates": {"a": 1}}',
    '{"type": "MultiPoint", "coordinates": [[0, 0]]}', '{"type": "GeometryCollection", "geometries": []}',
    '{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}',
    '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,1],[0,0]]]}',
    '{"type": "Polygon", "coordinates": [5]}', '{"type": "MultiPolygon", "coordinates": [[5]]}',
    '{"type": "AeroCircle", "coordinates": [[0, 0], 1, 2]}', '{"type": "AeroCircle", "coordinates": [[0, 0], null]}',
    '{"type": "Feature", "geometry": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}}',
    b'{"type": "Point", "coordinates": [0, 0], "x": "\xff"}',
])
def test_parse_refuses_what_the_server_refuses(text):
    with pytest.raises(geo.GeoError):
        geo.parse(text)


def test_parse_accepts_boundaries_and_extra_members():
    geo.parse('{"type": "Point", "coordinates": [-180, 90], "bbox": [1], "crs": null}')
    geo.parse('{"type": "Point", "coordinates": [180.0, -90.0]}')
    geo.parse('{"type": "Polygon", "coordinates": [[[0,0],[0,0],[1,0],[1,1],[0,0]]]}')  # duplicates dropped


def test_write_validation_answers_geo_invalid_geojson():
    validate_particle(ParticleType.GEOJSON, encode_geojson('{"type": "Point", "coordinates": [1, 2]}'))
    # incoming cells are skipped, as the server ignores them
    validate_particle(ParticleType.GEOJSON, b"\x01\x00\x01" + b"\x00" * 8 + b'{"type": "Point", "coordinates": [1, 2]}')
    for bad in (b"", b"\x00", b"\x00\x00\x02" + b"\x00" * 8, encode_geojson("{}"), encode_geojson('{"type": "Line"}')):
        with pytest.raises(AerospikeWireError) as info:
            validate_particle(ParticleType.GEOJSON, bad)
        assert info.value.code == ResultCode.GEO_INVALID_GEOJSON


def test_orientation_does_not_matter_small_side_wins():
    ccw = poly([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])
    cw = poly([[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]])
    for region in (ccw, cw):
        assert region.contains(at(0.5, 0.5))
        assert not region.contains(at(1.5, 0.5))
        assert not region.contains(at(-179, -45))
    assert not ccw.parts[0].loops[0].inverted
    assert cw.parts[0].loops[0].inverted
    assert ccw.parts[0].loops[0].area() == pytest.approx(cw.parts[0].loops[0].area())


def test_antimeridian_polygon_is_the_short_way_round():
    region = poly([[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]])
    for lng in (179.5, 180, -180, -179.5):
        assert region.contains(at(lng, 0))
    for lng in (0, 90, -90, 178.9, -178.9):
        assert not region.contains(at(lng, 0))


def test_polar_loop_contains_the_pole():
    region = poly([[0, 80], [90, 80], [180, 80], [-90, 80], [0, 80]])
    assert region.contains(at(0, 90)) and region.contains(at(123, 89))
    assert not region.contains(at(45, 79)) and not region.contains(at(0, -90))
    # The loop's edges are great-circle arcs: between (0,80) and (90,80) it reaches 82.9 at longitude 45.
    top = math.degrees(math.atan(math.tan(math.radians(80)) / math.cos(math.radians(45))))
    assert not region.contains(at(45, 81.5)) and not region.contains(at(45, top - 0.01))
    assert region.contains(at(45, top + 0.01))


def test_long_edges_are_great_circles():
    triangle = poly([[-60, 50], [60, 50], [0, 80], [-60, 50]])
    top = math.degrees(math.atan(math.tan(math.radians(50)) / math.cos(math.radians(60))))  # 67.2
    assert not triangle.contains(at(0, 55))  # planar lon/lat would say inside
    assert not triangle.contains(at(0, top - 0.01))
    assert triangle.contains(at(0, top + 0.01))


def test_holes_and_multipolygons():
    holed = poly([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]])
    assert holed.contains(at(1, 1)) and not holed.contains(at(5, 5)) and not holed.contains(at(11, 5))
    multi = geo.parse(json.dumps({"type": "MultiPolygon", "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]]}))
    assert multi.contains(at(0.5, 0.5)) and multi.contains(at(5.5, 5.5)) and not multi.contains(at(3, 3))
    assert not poly().contains(at(0, 0))


def test_circle_radius_in_metres_on_the_sphere():
    circle = geo.parse('{"type": "AeroCircle", "coordinates": [[0, 0], 100000]}')
    one_degree = R * math.pi / 180  # 111,195 m
    assert circle.contains(at(0, 100000 / one_degree - 1e-4))
    assert not circle.contains(at(0, 100000 / one_degree + 1e-4))
    polar = geo.parse('{"type": "AeroCircle", "coordinates": [[0, 90], 20000]}')
    assert polar.contains(at(90, 89.85)) and polar.contains(at(-90, 89.85)) and not polar.contains(at(-90, 89.8))
    assert not geo.parse('{"type": "AeroCircle", "coordinates": [[0, 0], -1]}').contains(at(0, 0))
    assert geo.parse('{"type": "AeroCircle", "coordinates": [[0, 0], 2.1e7]}').contains(at(180, 0))
    dateline = geo.parse('{"type": "AeroCircle", "coordinates": [[180, 0], 12000]}')
    assert dateline.contains(at(-179.9, 0)) and dateline.contains(at(179.9, 0))


def test_match_rules():
    region = geo.parse('{"type": "AeroCircle", "coordinates": [[0, 0], 1000]}')
    p = at(0, 0)
    assert geo.match(p, region) and geo.match(region, p)
    assert not geo.match(p, p) and not geo.match(region, region)


# -- properties ---------------------------------------------------------------------------------

lats = st.floats(-89.0, 89.0)
lngs = st.floats(-180.0, 180.0)


def _triangle(lat, lng, size, turn):
    """A CCW (seen from outside) triangle of vertices `size` degrees around (lat, lng)."""
    centre = geo.lat_lng_to_xyz(lat, lng)
    up = (0.0, 0.0, 1.0) if abs(lat) < 80 else (1.0, 0.0, 0.0)
    e1 = geo._normalize(geo._cross(up, centre))
    e2 = geo._cross(centre, e1)
    r = math.radians(size)
    vertices = []
    for k in range(3):
        a = turn + k * 2 * math.pi / 3
        vertices.append(tuple(math.cos(r) * centre[i] + math.sin(r) * (math.cos(a) * e1[i] + math.sin(a) * e2[i])
                              for i in range(3)))
    return vertices


@settings(max_examples=200, deadline=None)
@given(lats, lngs, st.floats(0.01, 60), st.floats(0, 2 * math.pi), lats, lngs, st.booleans())
def test_triangle_contains_iff_left_of_every_edge(lat, lng, size, turn, plat, plng, reverse):
    vertices = _triangle(lat, lng, size, turn)
    coords = [[v[1], v[0]] for v in map(geo.xyz_to_lat_lng, vertices)]
    ring = coords + [coords[0]]
    if reverse:
        ring.reverse()
    region = poly(ring)
    p = at(plng, plat).xyz
    sides = [geo._dot(geo._cross(vertices[k], vertices[(k + 1) % 3]), p) for k in range(3)]
    assume(all(abs(s) > 1e-9 for s in sides))
    assert region.contains(p) == all(s > 0 for s in sides)


@settings(max_examples=200, deadline=None)
@given(lats, lngs, st.floats(1, 5e6), lats, lngs)
def test_circle_agrees_with_haversine(lat, lng, radius, plat, plng):
    circle = geo.parse(json.dumps({"type": "AeroCircle", "coordinates": [[lng, lat], radius]}))
    p1, p2, dl = math.radians(lat), math.radians(plat), math.radians(plng - lng)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    d = 2 * R * math.asin(min(1.0, math.sqrt(h)))
    assume(abs(d - radius) > 0.05)
    assert circle.contains(at(plng, plat)) == (d < radius)


@settings(max_examples=150, deadline=None)
@given(st.floats(-60, 60), st.floats(0.1, 20), st.floats(-180, 180), lats, st.floats(-180, 180))
def test_rotating_longitudes_changes_nothing(lat, size, shift, plat, plng):
    """A square and a point turned together about the polar axis (wrapping across ±180) keep
    their relation: the antimeridian is not special."""
    def wrap(x):
        return (x + 180) % 360 - 180
    square = [[-size, lat], [size, lat], [size, lat + size], [-size, lat + size], [-size, lat]]
    base = poly(square).contains(at(plng, plat))
    moved = poly([[wrap(x + shift), y] for x, y in square]).contains(at(wrap(plng + shift), plat))
    # stay clear of the edges, where a centimetre of cell quantisation decides
    assume(all(abs(plat - y) > 1e-6 for y in (lat, lat + size)) and
           all(abs(wrap(plng - x)) > 1e-5 for x in (-size, size)))
    assert base == moved
