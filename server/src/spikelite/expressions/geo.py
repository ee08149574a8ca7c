"""GeoJSON for the expression geo compare (`cmp_geo`, op 8).

The server parses GeoJSON into an S2 point (a level-30 cell) or an S2 region (polygon, multi
polygon, or `AeroCircle` cap) and matches the way a geo query does (`as_geojson_match`):

- the query (right side) is a point: true when the candidate (left side) is a region containing it;
- the query is a region: true when the candidate is a point inside it;
- anything else (point vs point, region vs region): false.

Accepted documents, as the server's parser: a top-level object whose "type" is Point, Polygon,
MultiPolygon or AeroCircle, or a Feature whose "geometry" is one of those. Loops need at least
4 points (after removing consecutive duplicates) and must be closed.

Containment here is computed on the sphere for circles (great-circle distance against the radius
over an Earth radius of 6,371,000 m, the server's default `earth-radius-meters`) and with planar
even-odd ray casting over longitude/latitude for polygons: S2 uses geodesic edges, so points within
a few metres of a long polygon edge can be classified differently from a real node.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

EARTH_RADIUS_METERS = 6371000.0


class GeoError(ValueError):
    pass


class Point:
    __slots__ = ("lng", "lat")
    is_region = False

    def __init__(self, lng: float, lat: float):
        self.lng = lng
        self.lat = lat


class Region:
    """A union of polygons (each: shell and holes as [(lng, lat), ...]) or a circle."""

    __slots__ = ("polygons", "circle")
    is_region = True

    def __init__(self, polygons=None, circle=None):
        self.polygons = polygons or []
        self.circle = circle  # (lng, lat, radius in metres)

    def contains(self, point: Point) -> bool:
        if self.circle is not None:
            lng, lat, radius = self.circle
            return _angle(lng, lat, point.lng, point.lat) <= radius / EARTH_RADIUS_METERS
        for loops in self.polygons:
            inside = False
            for loop in loops:
                if _in_loop(loop, point.lng, point.lat):
                    inside = not inside
            if inside:
                return True
        return False


def _angle(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Central angle between two points (haversine), radians."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(h)))


def _in_loop(loop: list, x: float, y: float) -> bool:
    inside = False
    n = len(loop)
    j = n - 1
    for i in range(n):
        xi, yi = loop[i]
        xj, yj = loop[j]
        if (yi > y) != (yj > y):
            cross = (xj - xi) * (y - yi) / (yj - yi) + xi
            if x < cross:
                inside = not inside
        j = i
    return inside


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GeoError("coordinate is not numeric")
    return float(value)


def _point(coord) -> tuple[float, float]:
    if not isinstance(coord, list) or len(coord) != 2:
        raise GeoError("expected 2 coordinates")
    lng, lat = _number(coord[0]), _number(coord[1])
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lng <= 180.0):  # S2LatLng::is_valid
        raise GeoError("invalid latitude-longitude")
    return lng, lat


def _loop(vertices) -> list:
    if not isinstance(vertices, list):
        raise GeoError("vertices are not an array")
    points = [_point(v) for v in vertices]
    deduped = []
    for p in points:
        if not deduped or deduped[-1] != p:
            deduped.append(p)
    if len(deduped) < 4:
        raise GeoError("loop contains less than 4 points")
    if deduped[0] != deduped[-1]:
        raise GeoError("loop not closed")
    return deduped[:-1]


def _polygon(body) -> list:
    if not isinstance(body, list) or not body:
        raise GeoError("polygon body is not an array")
    return [_loop(loop) for loop in body]


def _geometry(obj):
    if not isinstance(obj, dict):
        raise GeoError("geometry is not an object")
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise GeoError("missing geometry type")
    coords = obj.get("coordinates")
    if coords is None:
        raise GeoError("missing coordinates")
    if kind == "Point":
        return Point(*_point(coords))
    if kind == "Polygon":
        return Region(polygons=[_polygon(coords)])
    if kind == "MultiPolygon":
        if not isinstance(coords, list):
            raise GeoError("coordinates are not an array")
        return Region(polygons=[_polygon(p) for p in coords])
    if kind == "AeroCircle":
        if not isinstance(coords, list) or len(coords) != 2:
            raise GeoError("malformed circle coordinate array")
        lng, lat = _point(coords[0])
        return Region(circle=(lng, lat, _number(coords[1])))
    raise GeoError("unknown geometry type %r" % kind)


@lru_cache(maxsize=4096)
def parse(text: str):
    """A Point or Region; GeoError when the server would reject the document."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise GeoError("not JSON") from None
    if not isinstance(doc, dict):
        raise GeoError("top level geojson element is not an object")
    kind = doc.get("type")
    if not isinstance(kind, str):
        raise GeoError("missing top-level type")
    if kind == "Feature":
        return _geometry(doc.get("geometry"))
    return _geometry(doc)


def match(candidate, query) -> bool:
    """as_geojson_match(candidate, query) in strict mode."""
    if not query.is_region:
        return candidate.is_region and candidate.contains(query)
    return not candidate.is_region and query.contains(candidate)
