"""Geospatial data: GeoJSON bins, geo2dsphere indexes (bin and list) and the four geo predicates.

A real server evaluates geo queries on the sphere (S2): polygon edges are great-circle arcs, a
polygon is the smaller of the two regions its loop bounds whatever the vertex order, AeroCircle
radii are metres over a 6,371 km Earth. The expected sets below differ from what planar
longitude/latitude math would give (antimeridian, poles, long edges, rims of circles).
"""

import json
import warnings

import pytest

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p


def point(lng, lat):
    return aerospike.GeoJSON({"type": "Point", "coordinates": [lng, lat]})


def polygon(*loops):
    return {"type": "Polygon", "coordinates": [list(loop) for loop in loops]}


# Indexed points (bin "loc") by key.
POINTS = {
    "origin": (0, 0),
    "half": (0.5, 0.5),                  # 78.6 km from the origin
    "north_89": (0, 0.89),               # 98.96 km from the origin
    "north_90": (0, 0.9),                # 100.08 km from the origin
    "east_dateline": (179.9, 0),
    "west_dateline": (-179.9, 0),
    "pole_a": (0, 89.9),
    "pole_b": (90, 89.85),               # 16.7 km from the North Pole
    "pole_c": (-90, 89.8),               # 22.2 km from the North Pole
    "arc_south": (0, 55),                # south of the great circle (-60,50)-(60,50)
    "arc_north": (0, 70),
    "far": (-122.08, 37.42),
}

# Indexed regions (bin "area") by key.
SQUARE_WITH_HOLE = polygon([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                           [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]])
REGIONS = {
    "holed": SQUARE_WITH_HOLE,
    "circle": {"type": "AeroCircle", "coordinates": [[0, 0], 1000000]},
    "multi": {"type": "MultiPolygon", "coordinates": [
        [[[20, 20], [21, 20], [21, 21], [20, 21], [20, 20]]],
        [[[30, 30], [31, 30], [31, 31], [30, 31], [30, 30]]]]},
    "dateline": polygon([[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]]),
    "clockwise": polygon([[40, 40], [40, 41], [41, 41], [41, 40], [40, 40]]),
    "feature": {"type": "Feature", "properties": {"name": "f"},
                "geometry": polygon([[50, 50], [51, 50], [51, 51], [50, 51], [50, 50]])},
    "polar": polygon([[0, 85], [90, 85], [180, 85], [-90, 85], [0, 85]]),
}


@pytest.fixture(scope="module")
def geo(client):
    ns, set_name = "test", "geo_shared"
    for name, (lng, lat) in POINTS.items():
        client.put((ns, set_name, "p_" + name), {"name": name, "loc": point(lng, lat)})
    for name, region in REGIONS.items():
        client.put((ns, set_name, "r_" + name), {"name": name, "area": aerospike.GeoJSON(region)})
    client.put((ns, set_name, "list"), {"name": "list", "locs": [point(179.5, 0.5), point(-10, -10)]})
    client.put((ns, set_name, "plain"), {"name": "plain", "loc": "not geo", "area": 7})
    names = ["geo_shared_loc", "geo_shared_area", "geo_shared_locs"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert client.index_geo2dsphere_create(ns, set_name, "loc", names[0]) == 0
        assert client.index_single_value_create(ns, set_name, "area", aerospike.INDEX_GEO2DSPHERE, names[1]) == 0
        assert client.index_list_create(ns, set_name, "locs", aerospike.INDEX_GEO2DSPHERE, names[2]) == 0
    yield ns, set_name
    for name in names:
        client.index_remove(ns, name)


def run(client, ns, set_name, predicate):
    q = client.query(ns, set_name)
    q.where(predicate)
    return sorted(r[2]["name"] for r in q.results())


def text(geometry):
    return json.dumps(geometry)


@pytest.mark.parametrize("region, expected", [
    # Crosses the antimeridian: the short way round, not the band through longitude 0.
    (polygon([[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]]), ["east_dateline", "west_dateline"]),
    # Around the North Pole: the loop at latitude 85 bounds the polar cap.
    (polygon([[0, 85], [90, 85], [180, 85], [-90, 85], [0, 85]]), ["pole_a", "pole_b", "pole_c"]),
    # The edge (-60,50)-(60,50) is a great circle arc that passes latitude 67 at longitude 0.
    (polygon([[-60, 50], [60, 50], [0, 80], [-60, 50]]), ["arc_north"]),
    # Clockwise vertex order still means the small square.
    (polygon([[-1, -1], [-1, 1], [1, 1], [1, -1], [-1, -1]]), ["half", "north_89", "north_90", "origin"]),
    # A hole excludes the origin.
    (polygon([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], [[-0.1, -0.1], [0.1, -0.1], [0.1, 0.1], [-0.1, 0.1],
                                                              [-0.1, -0.1]]), ["half", "north_89", "north_90"]),
    ({"type": "MultiPolygon", "coordinates": [
        [[[-1, -1], [0.2, -1], [0.2, 0.2], [-1, 0.2], [-1, -1]]],
        [[[-123, 37], [-122, 37], [-122, 38], [-123, 38], [-123, 37]]]]}, ["far", "origin"]),
    ({"type": "AeroCircle", "coordinates": [[0, 0], 100000]}, ["half", "north_89", "origin"]),
    ({"type": "Feature", "geometry": {"type": "AeroCircle", "coordinates": [[0, 90], 20000]}}, ["pole_a", "pole_b"]),
    (polygon([[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]), []),
])
def test_points_within_region(client, geo, region, expected):
    ns, set_name = geo
    assert run(client, ns, set_name, p.geo_within_geojson_region("loc", text(region))) == expected


@pytest.mark.parametrize("lng, lat, radius, expected", [
    (0, 0, 100000, ["half", "north_89", "origin"]),
    (0, 0, 100100, ["half", "north_89", "north_90", "origin"]),
    (0, 0, 0, []),                         # a stored point is its level-30 cell's centre, 5.6 mm off
    (0, 0, 0.01, ["origin"]),
    (0, 90, 20000, ["pole_a", "pole_b"]),
    (0, 90, 23000, ["pole_a", "pole_b", "pole_c"]),
    (180, 0, 12000, ["east_dateline", "west_dateline"]),
    (-180, 0, 11200, ["east_dateline", "west_dateline"]),
    (-180, 0, 11000, []),                  # both are 11.12 km away
    (0, -90, 1000000, []),
])
def test_points_within_radius(client, geo, lng, lat, radius, expected):
    ns, set_name = geo
    assert run(client, ns, set_name, p.geo_within_radius("loc", lng, lat, radius)) == expected


@pytest.mark.parametrize("lng, lat, expected", [
    (1, 1, ["circle", "holed"]),
    (5, 5, ["circle"]),                     # in the hole, 786 km from the circle's centre
    (9.5, 9.5, ["holed"]),                  # 1,490 km from the circle's centre
    (20.5, 20.5, ["multi"]),
    (30.5, 30.5, ["multi"]),
    (25, 25, []),
    (180, 0, ["dateline"]),
    (-179.5, 0.5, ["dateline"]),
    (-0.5, 0.5, ["circle"]),
    (40.5, 40.5, ["clockwise"]),
    (50.5, 50.5, ["feature"]),
    (-45, 89, ["polar"]),
    (0, -89, []),
])
def test_regions_containing_point(client, geo, lng, lat, expected):
    ns, set_name = geo
    assert run(client, ns, set_name, p.geo_contains_point("area", lng, lat)) == expected
    point_text = text({"type": "Point", "coordinates": [lng, lat]})
    assert run(client, ns, set_name, p.geo_contains_geojson_point("area", point_text)) == expected


def test_within_region_given_a_point_finds_regions_and_points_never_match_points(client, geo):
    ns, set_name = geo
    # The server decides by the GeoJSON type: a point asks for regions containing it.
    assert run(client, ns, set_name, p.geo_within_geojson_region("area", text({"type": "Point", "coordinates": [1, 1]}))) \
        == ["circle", "holed"]
    assert run(client, ns, set_name, p.geo_contains_point("loc", 0, 0)) == []
    assert run(client, ns, set_name, p.geo_within_radius("area", 0, 0, 10000000)) == []


def test_list_index_of_geojson(client, geo):
    ns, set_name = geo
    region = polygon([[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]])
    assert run(client, ns, set_name, p.geo_within_geojson_region("locs", text(region), aerospike.INDEX_TYPE_LIST)) \
        == ["list"]
    assert run(client, ns, set_name, p.geo_within_radius("locs", -10, -10, 10, aerospike.INDEX_TYPE_LIST)) == ["list"]
    assert run(client, ns, set_name, p.geo_within_radius("locs", 10, 10, 10, aerospike.INDEX_TYPE_LIST)) == []


def test_geojson_bins_read_back_as_geojson(client, geo):
    ns, set_name = geo
    _, _, bins = client.get((ns, set_name, "r_feature"))
    assert isinstance(bins["area"], aerospike.GeoJSON)
    assert bins["area"].unwrap() == REGIONS["feature"]
    assert json.loads(bins["area"].dumps()) == REGIONS["feature"]
    _, _, bins = client.get((ns, set_name, "list"))
    assert [type(v) for v in bins["locs"]] == [aerospike.GeoJSON, aerospike.GeoJSON]
    assert [v.unwrap() for v in bins["locs"]] == [{"type": "Point", "coordinates": [179.5, 0.5]},
                                                 {"type": "Point", "coordinates": [-10, -10]}]
    for make in (aerospike.geodata, aerospike.geojson):
        value = make({"type": "Point", "coordinates": [1.5, -2.25]}) if make is aerospike.geodata \
            else make('{"type": "Point", "coordinates": [1.5, -2.25]}')
        client.put((ns, set_name, "roundtrip"), {"g": value})
        _, _, bins = client.get((ns, set_name, "roundtrip"))
        assert isinstance(bins["g"], aerospike.GeoJSON)
        assert bins["g"].unwrap() == {"type": "Point", "coordinates": [1.5, -2.25]}
    client.remove((ns, set_name, "roundtrip"))


@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [181, 0]},
    {"type": "Point", "coordinates": [0, 90.5]},
    {"type": "Point", "coordinates": [1, 2, 3]},
    {"type": "Point", "coordinates": ["1", 2]},
    {"type": "Point", "coordinates": [True, 2]},
    {"type": "Point"},
    {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    {"type": "point", "coordinates": [0, 0]},
    {"coordinates": [0, 0]},
    {"type": 5, "coordinates": [0, 0]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},           # fewer than 4 points
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 0], [1, 0], [0, 0]]]},  # 3 after de-dup
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},   # not closed
    {"type": "Polygon", "coordinates": 5},
    {"type": "AeroCircle", "coordinates": [[0, 0]]},
    {"type": "AeroCircle", "coordinates": [[0, 0], "1"]},
    {"type": "Feature", "geometry": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}},
    {"type": "Feature"},
])
def test_invalid_geojson_write_is_refused(client, key, geometry):
    with pytest.raises(ex.InvalidGeoJSON) as info:
        client.put(key("bad"), {"g": aerospike.GeoJSON(geometry)})
    assert info.value.code == 160
    with pytest.raises(ex.RecordNotFound):
        client.get(key("bad"))


@pytest.mark.parametrize("geometry", [
    {"type": "Polygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": []},
    {"type": "AeroCircle", "coordinates": [[0, 0], -5]},
    {"type": "Point", "coordinates": [-180, -90], "extra": {"anything": [1]}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [180, 90]}},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 0]], [[5, 5], [6, 5], [6, 6], [5, 5]]]},
])
def test_edge_geojson_is_accepted(client, key, geometry):
    client.put(key("ok"), {"g": aerospike.GeoJSON(geometry)})
    _, _, bins = client.get(key("ok"))
    assert bins["g"].unwrap() == geometry


def test_invalid_query_geojson_is_an_invalid_request(client, geo):
    ns, set_name = geo
    for bad in ({"type": "Point", "coordinates": [0, 100]}, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}):
        with pytest.raises(ex.InvalidRequest):
            run(client, ns, set_name, p.geo_within_geojson_region("loc", text(bad)))


def test_geo_index_follows_writes_and_deletes(client, ns, set_name, key):
    name = "%s_g" % set_name[-40:]
    client.put(key(1), {"name": "one", "g": point(10, 10)})
    client.put(key(2), {"name": "two", "g": point(20, 20)})
    client.put(key(3), {"name": "three", "g": 5})
    assert client.index_single_value_create(ns, set_name, "g", aerospike.INDEX_GEO2DSPHERE, name) == 0
    try:
        near = p.geo_within_radius("g", 10, 10, 1000)
        assert run(client, ns, set_name, near) == ["one"]
        client.put(key(2), {"g": point(10.001, 10.001)})          # 156 m away now
        client.put(key(1), {"g": point(50, 50)})                  # moved out
        client.put(key(3), {"g": point(10, 10)})                  # an int became a point
        client.put(key(4), {"name": "four", "g": point(10, 10.005)})  # 556 m
        assert run(client, ns, set_name, near) == ["four", "three", "two"]
        client.remove(key(4))
        client.put(key(3), {"g": aerospike.null()})               # bin removed
        client.put(key(5), {"name": "five", "g": aerospike.GeoJSON({"type": "AeroCircle",
                                                                     "coordinates": [[10, 10], 10]})})
        assert run(client, ns, set_name, near) == ["two"]
        assert run(client, ns, set_name, p.geo_contains_point("g", 10, 10.00005)) == ["five"]   # 5.6 m
        assert run(client, ns, set_name, p.geo_contains_point("g", 10, 10.0001)) == []         # 11.1 m
    finally:
        client.index_remove(ns, name)
