"""Secondary-index query predicates (`aerospike.predicates`).

Each function returns the plain tuple the official client builds (and `Query.where()`
reads), or None when the value types are not usable, exactly as the official C functions:

    equals(bin, val)                     -> (0, dtype, bin, val)
    between(bin, min, max)               -> (1, INDEX_NUMERIC, bin, min, max)
    contains(bin, index_type, val)       -> (0, dtype, bin, val, None, index_type)
    range(bin, index_type, min, max)     -> (1, INDEX_NUMERIC, bin, min, max, index_type)
    geo_*(bin, ..., index_type=0)        -> (1, INDEX_GEO2DSPHERE, bin, geojson_text, None, index_type)

The first element is the predicate kind (0 equality, 1 range); ``dtype`` is INDEX_STRING for
str, INDEX_NUMERIC for int (bool included) and INDEX_BLOB for bytes/bytearray values.
"""

import json as _json

__all__ = ["equals", "between", "contains", "range", "geo_within_geojson_region",
           "geo_within_radius", "geo_contains_geojson_point", "geo_contains_point"]

_EQUALITY = 0   # as_predicate_type AS_PREDICATE_EQUAL
_RANGE = 1      # as_predicate_type AS_PREDICATE_RANGE

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _datatypes():
    from . import _constants as c
    return c.INDEX_STRING, c.INDEX_NUMERIC, c.INDEX_GEO2DSPHERE, c.INDEX_BLOB


def _check_args(fname: str, args: tuple, kwargs: dict, least: int, most: int,
                shown_name=None) -> None:
    """METH_VARARGS-style argument checks with the official TypeError wording."""
    if kwargs:
        raise TypeError(f"{fname}() takes no keyword arguments")
    n = len(args)
    name = shown_name or fname
    if least == most and n != least:
        raise TypeError(f"{name}() takes exactly {least} argument{'' if least == 1 else 's'} "
                        f"({n} given)")
    if n < least:
        raise TypeError(f"{name}() takes at least {least} argument{'' if least == 1 else 's'} "
                        f"({n} given)")
    if n > most:
        raise TypeError(f"{name}() takes at most {most} argument{'' if most == 1 else 's'} "
                        f"({n} given)")


def _value_datatype(val):
    """The index datatype an equality value is matched with, or None if it can't be."""
    string, numeric, _geo, blob = _datatypes()
    if isinstance(val, str):
        return string
    if isinstance(val, int):
        return numeric
    if isinstance(val, (bytes, bytearray)):
        return blob
    return None


def _c_int_index_type(index_type, fname: str):
    """contains()/range() store the index type in a C int: truncate like the official does."""
    if not isinstance(index_type, int):
        return None
    value = int(index_type)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise SystemError(f"<built-in function {fname}> returned a result with an exception set") \
            from OverflowError("Python int too large to convert to C long")
    return ((value + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def _is_number(value) -> bool:
    return isinstance(value, (int, float))


# -- equality / range on plain bins --------------------------------------------------------------

def equals(*args, **kwargs):
    """Records whose bin (or indexed element) equals ``val`` (str, int or bytes)."""
    _check_args("equals", args, kwargs, 2, 2)
    bin_name, val = args
    dtype = _value_datatype(val)
    if dtype is None:
        return None
    return (_EQUALITY, dtype, bin_name, val)


def between(*args, **kwargs):
    """Records whose integer bin value lies in [min, max]."""
    _check_args("between", args, kwargs, 3, 3)
    bin_name, low, high = args
    if not (isinstance(low, int) and isinstance(high, int)):
        return None
    return (_RANGE, _datatypes()[1], bin_name, low, high)


# -- list / map element predicates ---------------------------------------------------------------

def contains(*args, **kwargs):
    """Records whose list/map bin holds ``val`` (per ``index_type``: INDEX_TYPE_LIST, ...)."""
    _check_args("contains", args, kwargs, 3, 3, shown_name="equals")
    bin_name, index_type, val = args
    itype = _c_int_index_type(index_type, "contains")
    if itype is None:
        return None
    dtype = _value_datatype(val)
    if dtype is None:
        return None
    return (_EQUALITY, dtype, bin_name, val, None, itype)


def range(*args, **kwargs):  # noqa: A001  (the official name shadows the builtin)
    """Records whose list/map bin holds an integer in [min, max] (per ``index_type``)."""
    _check_args("range", args, kwargs, 4, 4, shown_name="equals")
    bin_name, index_type, low, high = args
    itype = _c_int_index_type(index_type, "range")
    if itype is None:
        return None
    if not (isinstance(low, int) and isinstance(high, int)):
        return None
    return (_RANGE, _datatypes()[1], bin_name, low, high, itype)


# -- geospatial ----------------------------------------------------------------------------------

def _geo_tuple(bin_name, text, index_type):
    return (_RANGE, _datatypes()[2], bin_name, text, None, index_type)


def geo_within_geojson_region(*args, **kwargs):
    """Records whose GeoJSON bin lies within the region given as a GeoJSON string."""
    _check_args("geo_within_geojson_region", args, kwargs, 2, 3)
    bin_name, shape, index_type = (args + (0,))[:3]
    if not isinstance(shape, str):
        return None
    return _geo_tuple(bin_name, shape, index_type)


def geo_within_radius(*args, **kwargs):
    """Records whose GeoJSON bin lies within ``radius_meters`` of the point (long, lat)."""
    _check_args("geo_within_radius", args, kwargs, 4, 5)
    bin_name, longitude, latitude, radius, index_type = (args + (0,))[:5]
    if not ((bin_name is None or isinstance(bin_name, str)) and _is_number(longitude)
            and _is_number(latitude) and _is_number(radius)):
        from ._errors import param_error
        raise param_error("Latitude, longitude and radius should be integer or double type, "
                          "bin of string type")
    text = _json.dumps({"type": "AeroCircle", "coordinates": [[longitude, latitude], radius]})
    return _geo_tuple(bin_name, text, index_type)


def geo_contains_geojson_point(*args, **kwargs):
    """Records whose GeoJSON region bin contains the point given as a GeoJSON string."""
    _check_args("geo_contains_geojson_point", args, kwargs, 2, 3)
    bin_name, point, index_type = (args + (0,))[:3]
    if not isinstance(point, str):
        return None
    return _geo_tuple(bin_name, point, index_type)


def geo_contains_point(*args, **kwargs):
    """Records whose GeoJSON region bin contains the point (long, lat)."""
    _check_args("geo_contains_point", args, kwargs, 3, 4)
    bin_name, longitude, latitude, index_type = (args + (0,))[:4]
    if not ((bin_name is None or isinstance(bin_name, str)) and _is_number(longitude)
            and _is_number(latitude)):
        from ._errors import param_error
        raise param_error("Latitude and longitude should be integer or double type, "
                          "bin of string type")
    text = _json.dumps({"type": "Point", "coordinates": [longitude, latitude]})
    return _geo_tuple(bin_name, text, index_type)

