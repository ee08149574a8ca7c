"""GeoJSON on the sphere, as a real server reads and matches it (geo2dsphere indexes, geo queries).

Parsing follows the server's rules (as/src/geospatial/geojson.cc):

- the text must be JSON (jansson: no NaN/Infinity, integers within int64, reals finite) whose top
  level is an object with a string "type": ``Point``, ``Polygon``, ``MultiPolygon``,
  ``AeroCircle``, or ``Feature`` with such a "geometry" object (no nested Feature);
- a position is exactly ``[lng, lat]`` of numbers (not booleans) with |lat| <= 90, |lng| <= 180;
- a loop drops consecutive duplicate vertices, then needs at least 4 positions, first == last;
  its interior is the side on the left of the traversal unless that side is more than a
  hemisphere, in which case the loop is turned over (S2Loop::Normalize): orientation does not
  matter, a loop always means the smaller of the two regions it bounds;
- a Polygon is its loops combined even-odd (points inside an odd number of loops: holes work by
  nesting); ``[]`` is a valid empty polygon; a MultiPolygon is the union of its polygons;
- an AeroCircle ``[[lng, lat], radius]`` is a spherical cap of angle radius / 6,371,000 m (the
  namespace default of ``geo2dsphere-within-earth-radius-meters``); a negative radius contains
  nothing, one past half the circumference everything.

A point is stored by the server as its level-30 S2 cell, and every containment test uses that
cell's centre: `Point.xyz` is that centre (within a centimetre of the given position), so points
on a polygon's edge or a circle's rim fall on the same side as on a real node.

Matching (as_geojson_match, strict): a point query matches regions containing the point; a region
query matches points inside the region; points never match points, regions never match regions.
Geometry is done here on 3D unit vectors: edge crossings by triple products, loop orientation by
the sum of turning angles (Gauss-Bonnet), circle distance by chord length like S1ChordAngle.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

EARTH_RADIUS_METERS = 6371000.0
_RADIANS_PER_DEGREE = math.pi / 180
_INT64 = (-(1 << 63), (1 << 63) - 1)


class GeoError(ValueError):
    """The server would refuse this GeoJSON (160 GEO_INVALID_GEOJSON on a write)."""


# -- vectors ----------------------------------------------------------------------------------------

def _cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _normalize(a):
    n = math.sqrt(_dot(a, a))
    if n == 0.0:
        return a
    return (a[0] / n, a[1] / n, a[2] / n)


def _angle_between(a, b) -> float:
    """Angle in radians between two (not necessarily unit) vectors, accurate at all angles."""
    return math.atan2(math.sqrt(_dot(c := _cross(a, b), c)), _dot(a, b))


def lat_lng_to_xyz(lat_deg: float, lng_deg: float) -> tuple[float, float, float]:
    """The unit vector of a latitude/longitude in degrees (S2LatLng::ToPoint)."""
    phi = _RADIANS_PER_DEGREE * lat_deg
    theta = _RADIANS_PER_DEGREE * lng_deg
    cos_phi = math.cos(phi)
    return (math.cos(theta) * cos_phi, math.sin(theta) * cos_phi, math.sin(phi))


def xyz_to_lat_lng(p) -> tuple[float, float]:
    return (math.degrees(math.atan2(p[2], math.hypot(p[0], p[1]))), math.degrees(math.atan2(p[1], p[0])))


def distance_meters(a, b, earth_radius: float = EARTH_RADIUS_METERS) -> float:
    """Great-circle distance between two unit vectors."""
    return _angle_between(a, b) * earth_radius


# -- level-30 cell centre (the quadratic cube projection of S2) --------------------------------------

_MAX_IJ = 1 << 30


def _face_uv(p) -> tuple[int, float, float]:
    x, y, z = p
    ax, ay, az = abs(x), abs(y), abs(z)
    axis = (0 if ax > az else 2) if ax > ay else (1 if ay > az else 2)
    face = axis + 3 if p[axis] < 0 else axis
    if face == 0:
        return face, y / x, z / x
    if face == 1:
        return face, -x / y, z / y
    if face == 2:
        return face, -x / z, -y / z
    if face == 3:
        return face, z / x, y / x
    if face == 4:
        return face, z / y, -x / y
    return face, -y / z, -x / z


def _uv_to_st(u: float) -> float:
    return 0.5 * math.sqrt(1 + 3 * u) if u >= 0 else 1 - 0.5 * math.sqrt(1 - 3 * u)


def _st_to_uv(s: float) -> float:
    return (4 * s * s - 1) / 3 if s >= 0.5 else (1 - 4 * (1 - s) * (1 - s)) / 3


def _face_uv_to_xyz(face: int, u: float, v: float):
    if face == 0:
        return (1.0, u, v)
    if face == 1:
        return (-u, 1.0, v)
    if face == 2:
        return (-u, -v, 1.0)
    if face == 3:
        return (-1.0, -v, -u)
    if face == 4:
        return (v, -1.0, -u)
    return (v, u, -1.0)


def _leaf_ij(p) -> tuple[int, int, int]:
    face, u, v = _face_uv(p)
    i = min(_MAX_IJ - 1, max(0, math.floor(_MAX_IJ * _uv_to_st(u))))
    j = min(_MAX_IJ - 1, max(0, math.floor(_MAX_IJ * _uv_to_st(v))))
    return face, i, j


def leaf_cell_id(lng: float, lat: float) -> int:
    """The S2 id of the level-30 cell holding a position (a node's BVAL of a geo point)."""
    from .s2cell import from_face_ij
    return from_face_ij(*_leaf_ij(lat_lng_to_xyz(lat, lng)))


def leaf_cell_center(p):
    """The centre of the level-30 cell holding unit vector p (S2CellId(p).ToPoint())."""
    face, i, j = _leaf_ij(p)
    cu = _st_to_uv((2 * i + 1) / (2 * _MAX_IJ))
    cv = _st_to_uv((2 * j + 1) / (2 * _MAX_IJ))
    return _normalize(_face_uv_to_xyz(face, cu, cv))


# -- shapes ------------------------------------------------------------------------------------------

class Point:
    """A GeoJSON Point: `xyz` is the centre of its level-30 cell, as the server stores it."""

    __slots__ = ("lng", "lat", "xyz")
    is_region = False

    def __init__(self, lng: float, lat: float):
        self.lng, self.lat = lng, lat
        self.xyz = leaf_cell_center(lat_lng_to_xyz(lat, lng))

    def __repr__(self) -> str:
        return "Point(%r, %r)" % (self.lng, self.lat)


def _sign(x: float) -> int:
    return 1 if x >= 0 else -1  # a zero counts as positive, consistently for a shared vertex


class Loop:
    """A closed chain of unit vectors bounding the smaller of its two sides."""

    __slots__ = ("vertices", "normals", "inverted", "_reference")

    def __init__(self, vertices: list):
        self.vertices = vertices
        n = len(vertices)
        self.normals = [_cross(vertices[k], vertices[(k + 1) % n]) for k in range(n)]
        self.inverted = self.curvature() < -1e-15 * n  # left side larger than a hemisphere
        self._reference = self._left_reference()

    def curvature(self) -> float:
        """Sum of the turning angles (positive to the left): 2π minus the left side's area."""
        n = len(self.vertices)
        total = 0.0
        for k in range(n):
            before, here = self.normals[k - 1], self.normals[k]
            turn = _angle_between(before, here)
            total += turn if _dot(before, self.vertices[(k + 1) % n]) >= 0 else -turn
        return total

    def left_area(self) -> float:
        return 2 * math.pi - self.curvature()

    def area(self) -> float:
        """Steradians of the loop's region (after the hemisphere normalisation)."""
        a = self.left_area()
        return 4 * math.pi - a if self.inverted else a

    def _left_reference(self):
        """A point just left of the first non-degenerate edge: inside the left side."""
        n = len(self.vertices)
        for k in range(n):
            a, b = self.vertices[k], self.vertices[(k + 1) % n]
            normal = self.normals[k]
            length = math.sqrt(_dot(normal, normal))
            if length > 1e-14:
                mid = _normalize((a[0] + b[0], a[1] + b[1], a[2] + b[2]))
                step = min(1e-7, 1e-3 * _angle_between(a, b))
                left = (normal[0] / length, normal[1] / length, normal[2] / length)
                return _normalize((mid[0] + step * left[0], mid[1] + step * left[1], mid[2] + step * left[2]))
        return None

    def contains(self, p) -> bool:
        if self._reference is None:
            return False
        return self._left_contains(p) != self.inverted

    def _left_contains(self, p) -> bool:
        """Even-odd count of the loop edges the arc reference→p crosses."""
        c = self._reference
        cd = _cross(c, p)
        vertices, normals = self.vertices, self.normals
        n = len(vertices)
        side = [_sign(_dot(cd, v)) for v in vertices]
        inside = True
        for k in range(n):
            sa, sb = side[k], side[(k + 1) % n]
            if sa == sb:
                continue  # both ends on one side of the great circle through c and p
            nab = normals[k]
            abd = _sign(_dot(nab, p))
            if abd != -_sign(_dot(nab, c)):
                continue
            # The great circles cross: the arcs do when the crossing is on both (not antipodal).
            if sa == abd:
                inside = not inside
        return inside


class Polygon:
    """Loops combined even-odd (shells and nested holes)."""

    __slots__ = ("loops",)

    def __init__(self, loops: list):
        self.loops = loops

    def contains(self, p) -> bool:
        inside = False
        for loop in self.loops:
            if loop.contains(p):
                inside = not inside
        return inside


class Cap:
    """A spherical cap: points whose chord to the centre is at most the radius's chord."""

    __slots__ = ("center", "length2")

    def __init__(self, center, angle: float):
        self.center = center
        if angle < 0:
            self.length2 = -1.0
        else:
            chord = 2 * math.sin(0.5 * min(math.pi, angle))
            self.length2 = chord * chord

    def contains(self, p) -> bool:
        c = self.center
        d2 = (c[0] - p[0]) ** 2 + (c[1] - p[1]) ** 2 + (c[2] - p[2]) ** 2
        return min(4.0, d2) <= self.length2


class Region:
    """A Polygon, MultiPolygon (union) or AeroCircle."""

    __slots__ = ("parts",)
    is_region = True

    def __init__(self, parts: list):
        self.parts = parts

    def contains(self, point) -> bool:
        xyz = point.xyz if isinstance(point, Point) else point
        return any(part.contains(xyz) for part in self.parts)

    def __repr__(self) -> str:
        return "Region(%d parts)" % len(self.parts)


# -- parsing -----------------------------------------------------------------------------------------

def _int(text: str) -> int:
    value = int(text)
    if not _INT64[0] <= value <= _INT64[1]:
        raise GeoError("too big integer")
    return value


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise GeoError("real number overflow")
    return value


def _constant(name: str):
    raise GeoError("invalid token %s" % name)


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GeoError("%s not numeric value" % what)
    return float(value)


def _position(coord) -> tuple[float, float]:
    if coord is None:
        raise GeoError("missing coordinates")
    if not isinstance(coord, list):
        raise GeoError("coordinates are not array")
    if len(coord) != 2:
        raise GeoError("expected 2 coordinates, saw %d" % len(coord))
    lng = _number(coord[0], "longitude")
    lat = _number(coord[1], "latitude")
    if not (abs(_RADIANS_PER_DEGREE * lat) <= math.pi / 2 and abs(_RADIANS_PER_DEGREE * lng) <= math.pi):
        raise GeoError("invalid latitude-longitude")
    return lng, lat


def _loop(vertices) -> Loop:
    if vertices is None:
        raise GeoError("missing vertices")
    if not isinstance(vertices, list):
        raise GeoError("vertices are not array")
    points = []
    for coord in vertices:
        lng, lat = _position(coord)
        xyz = lat_lng_to_xyz(lat, lng)
        if not points or points[-1] != xyz:
            points.append(xyz)
    if len(points) < 4:
        raise GeoError("loop contains less than 4 points")
    if points[0] != points[-1]:
        raise GeoError("loop not closed")
    return Loop(points[:-1])


def _polygon(body) -> Polygon:
    if body is None:
        raise GeoError("missing polygon body")
    if not isinstance(body, list):
        raise GeoError("polygon body is not array")
    return Polygon([_loop(loop) for loop in body])


def _coordinates(obj) -> list:
    coords = obj.get("coordinates")
    if coords is None:
        raise GeoError("missing coordinates")
    if not isinstance(coords, list):
        raise GeoError("coordinates are not array")
    return coords


def _geometry(obj, earth_radius: float, top: bool):
    if obj is None:
        raise GeoError("missing geometry element")
    if not isinstance(obj, dict):
        raise GeoError("geometry is not object")
    kind = obj.get("type")
    if kind is None:
        raise GeoError("missing geometry type")
    if not isinstance(kind, str):
        raise GeoError("geometry type is not string")
    if kind == "Feature" and top:
        return _geometry(obj.get("geometry"), earth_radius, False)
    if kind == "Point":
        return Point(*_position(obj.get("coordinates")))
    if kind == "Polygon":
        return Region([_polygon(_coordinates(obj))])
    if kind == "MultiPolygon":
        return Region([_polygon(body) for body in _coordinates(obj)])
    if kind == "AeroCircle":
        coords = _coordinates(obj)
        if len(coords) != 2:
            raise GeoError("malformed circle coordinate array")
        lng, lat = _position(coords[0])
        radius = _number(coords[1], "radius")
        return Region([Cap(lat_lng_to_xyz(lat, lng), radius / earth_radius)])
    raise GeoError("unknown geometry type: %s" % kind)


def parse(text, earth_radius: float = EARTH_RADIUS_METERS):
    """The Point or Region of a GeoJSON document (str or bytes); GeoError when the server refuses it."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise GeoError("invalid UTF-8") from None
    return _parse_text(text, earth_radius)


@lru_cache(maxsize=4096)
def _parse_text(text: str, earth_radius: float):
    try:
        doc = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except GeoError:
        raise
    except (ValueError, RecursionError) as exc:
        raise GeoError("failed to parse geojson: %s" % exc) from None
    if not isinstance(doc, dict):
        raise GeoError("top level geojson element not object")
    if "type" not in doc:
        raise GeoError("missing top-level type in geojson element")
    if not isinstance(doc["type"], str):
        raise GeoError("top-level type is not string")
    return _geometry(doc, earth_radius, True)


def validate(text) -> None:
    parse(text)


def match(candidate, query) -> bool:
    """as_geojson_match in strict mode: a point query finds regions containing it, a region query
    finds points inside it; nothing else matches."""
    if not query.is_region:
        return candidate.is_region and candidate.contains(query)
    return not candidate.is_region and query.contains(candidate)
