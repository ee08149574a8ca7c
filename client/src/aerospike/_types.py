"""Value types of the `aerospike` module: GeoJSON, null, CDTWildcard, CDTInfinite, KeyOrderedDict.

Also HyperLogLog, which the official client exposes as `aerospike_helpers.HyperLogLog`.

Pure value classes: no network or client logic lives here, so the encoder can rely on
plain ``isinstance`` checks. Names, module names and error messages follow the official
C extension (19.x), e.g. ``aerospike.GeoJSON`` is really a class named ``Geospatial``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["GeoJSON", "geodata", "geojson", "null", "CDTWildcard", "CDTInfinite",
           "KeyOrderedDict", "HyperLogLog"]

from ._arguments import MISSING as _MISSING, parse_keywords


# -- argument parsing in the style of the C extension ------------------------------------------

def _parse_args(fname: str, args: tuple, kwargs: dict, names: tuple, required: int) -> list:
    """Bind ``args``/``kwargs`` to ``names`` as the C functions do (the one binder of
    ``_arguments``); optional parameters not given come back as ``_MISSING``."""
    fmt = "O" * required + "|" + "O" * (len(names) - required) + ":" + fname
    return parse_keywords(fmt, tuple(names), args, kwargs)


def _param_error(msg: str) -> Exception:
    from ._errors import param_error
    return param_error(msg)


def _client_error(msg: str) -> Exception:
    from ._errors import client_error
    return client_error(msg)


def _no_subclassing(type_name: str):
    """An ``__init_subclass__`` refusing subclasses, like a C type without Py_TPFLAGS_BASETYPE."""

    def __init_subclass__(cls, **kwargs):
        raise TypeError(f"type '{type_name}' is not an acceptable base type")

    return classmethod(__init_subclass__)


# -- GeoJSON --------------------------------------------------------------------------------------

_NOT_GEO = "Geospatial data should be a dictionary or raw GeoJSON string"
_NOT_GEO_JSON = "String is not GeoJSON serializable -> Unable to load GeoJSON"
_NO_STR = "Unable to call get data in str format"


def _parse_geojson_text(text: str) -> dict:
    """The dict a raw GeoJSON string holds; ClientError if it isn't JSON, ParamError if not an object."""
    try:
        value = json.loads(text)
    except ValueError:
        raise _client_error(_NOT_GEO_JSON) from None
    if not isinstance(value, dict):
        raise _param_error(_NOT_GEO)
    return value


class GeoJSON:
    """Geospatial data (a GeoJSON object) stored in or compared against a GeoJSON bin.

    Built from a dict (kept as is, not copied) or from a raw GeoJSON string (parsed into a
    dict). ``geo_data`` holds the dict; ``str()``/``dumps()`` give its JSON text. Instances
    compare by identity, as in the official client.
    """

    __slots__ = ("_geo_data",)

    def __init__(self, *args, **kwargs):
        if len(args) + len(kwargs) != 1 or (kwargs and "geo_data" not in kwargs):
            raise _param_error("GeoJSON() expects exactly 1 parameter")
        data = args[0] if args else kwargs["geo_data"]
        if isinstance(data, dict):
            self._geo_data = data
        elif isinstance(data, str):
            self._geo_data = _parse_geojson_text(data)
        else:
            raise _param_error(_NOT_GEO)

    # ``geo_data`` behaves like a C member of type T_OBJECT: None while unset, freely assignable.
    @property
    def geo_data(self) -> Any:
        """The geospatial data (normally a dict)."""
        try:
            return self._geo_data
        except AttributeError:
            return None

    @geo_data.setter
    def geo_data(self, value: Any) -> None:
        self._geo_data = value

    @geo_data.deleter
    def geo_data(self) -> None:
        try:
            del self._geo_data
        except AttributeError:
            pass

    def _json(self, error_msg: str) -> str:
        try:
            data = self._geo_data
        except AttributeError:
            raise _client_error(error_msg) from None
        try:
            return json.dumps(data)
        except (TypeError, ValueError, RecursionError):
            raise _client_error(error_msg) from None

    def wrap(self, *args, **kwargs) -> int:
        """Replace the geospatial data with a dict. Returns 0."""
        (data,) = _parse_args("wrap", args, kwargs, ("geodata",), 1)
        if not isinstance(data, dict):
            raise _param_error(_NOT_GEO)
        self._geo_data = data
        return 0

    def unwrap(self, *args, **kwargs) -> Any:
        """The geospatial data held by this object."""
        _parse_args("unwrap", args, kwargs, (), 0)
        return self.geo_data

    def loads(self, *args, **kwargs) -> int:
        """Replace the geospatial data with the object a raw GeoJSON string holds. Returns 0."""
        (text,) = _parse_args("loads", args, kwargs, ("geodata",), 1)
        if not isinstance(text, str):
            raise _param_error("Argument should be a GeoJSON string")
        self._geo_data = _parse_geojson_text(text)
        return 0

    def dumps(self, *args, **kwargs) -> str:
        """The geospatial data as a GeoJSON string (extra arguments are ignored)."""
        return self._json("Unable to call dumps function")

    def __str__(self) -> str:
        return self._json(_NO_STR)

    def __repr__(self) -> str:
        return repr(self._json(_NO_STR))

    def __reduce_ex__(self, protocol):
        raise TypeError(f"cannot pickle '{type(self).__module__}.{type(self).__name__}' object")


GeoJSON.__name__ = GeoJSON.__qualname__ = "Geospatial"
GeoJSON.__module__ = "aerospike"


def geodata(*args, **kwargs) -> GeoJSON:
    """A GeoJSON object holding a dict of geospatial data."""
    (data,) = _parse_args("geodata", args, kwargs, ("geo_data",), 1)
    if not isinstance(data, dict):
        raise _param_error("The geospatial data should be a dictionary")
    return GeoJSON(*args, **kwargs)


def geojson(*args, **kwargs) -> GeoJSON:
    """A GeoJSON object parsed from a raw GeoJSON string."""
    (text,) = _parse_args("geojson", args, kwargs, ("geojson_str",), 1)
    if not isinstance(text, str):
        raise _param_error("The geospatial data should be a GeoJSON string")
    # The official function hands its arguments on unchanged, so geojson(geojson_str=...)
    # ends in GeoJSON()'s "expects exactly 1 parameter" error.
    return GeoJSON(*args, **kwargs)


geodata.__module__ = geojson.__module__ = "aerospike"


# -- sentinels ------------------------------------------------------------------------------------

class null:
    """The value that removes a bin when written with put() (as does None)."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)


class CDTWildcard:
    """Matches any value when used inside a list or map value compared by a CDT operation."""

    __slots__ = ()
    __init_subclass__ = _no_subclassing("aerospike.CDTWildcard")

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)


class CDTInfinite:
    """Compares greater than any other value when used in a CDT range (value or rank bounds)."""

    __slots__ = ()
    __init_subclass__ = _no_subclassing("aerospike.CDTInfinite")

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)


# -- containers ------------------------------------------------------------------------------------

class KeyOrderedDict(dict):
    """A dict written to the server as a key-ordered map (and returned for key-ordered maps)."""

    __slots__ = ()


for _cls in (null, CDTWildcard, CDTInfinite, KeyOrderedDict):
    _cls.__module__ = "aerospike"
del _cls


class HyperLogLog(bytes):
    """A HyperLogLog bin value (the raw bytes of the server's HLL particle).

    Exposed by the official client as ``aerospike_helpers.HyperLogLog``; printed as
    ``HyperLogLog(b'...')`` so it can be told apart from plain bytes.
    """

    def __new__(cls, o):
        return super().__new__(cls, o)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({bytes.__repr__(self)})"

    __str__ = __repr__


HyperLogLog.__module__ = "aerospike_helpers"
