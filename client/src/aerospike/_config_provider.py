"""``aerospike.ConfigProvider``: where the dynamic configuration file is and how often to look at it."""

from __future__ import annotations

from ._arguments import MISSING, parse_keywords

#: The official default (aerospike 19.3.0): look for changes every 5 s.
DEFAULT_INTERVAL_MS = 5000
_UINT32_MAX = (1 << 32) - 1


def _interval(value) -> int:
    """An unsigned 32-bit int, with the official client's errors."""
    if not isinstance(value, int):
        raise TypeError("%s must be an integer" % (value,))
    if value < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if value > _UINT32_MAX:
        raise ValueError("%d exceeds %d" % (value, _UINT32_MAX))
    return int(value)


def _bind(args: tuple, kwargs: dict):
    """(path, interval or MISSING) bound as CPython binds a C type's ``"s|O"`` arguments with no
    function name (its messages say "function")."""
    try:
        values = parse_keywords("s|O:" + _MARK, ("path", "interval"), args, kwargs)
    except TypeError as exc:
        text = str(exc).replace("is an invalid keyword argument for %s()" % _MARK,
                                "is an invalid keyword argument for this function")
        text = text.replace(_MARK + "() argument", "argument")
        raise TypeError(text.replace(_MARK + "()", "function")) from None
    return values[0], values[1]


_MARK = "__config_provider__"


class ConfigProvider:
    """Dynamic configuration: the YAML file at `path` is read when the client is created and again,
    when it changed, every `interval` ms (at least the tend interval). Its fields override the
    client's policies and the policies of every call. Read-only."""

    __slots__ = ("_path", "_interval")

    def __init__(self, *args, **kwargs) -> None:
        path, interval = _bind(args, kwargs)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_interval", DEFAULT_INTERVAL_MS if interval is MISSING else _interval(interval))

    @property
    def path(self) -> str:
        return self._path

    @property
    def interval(self) -> int:
        return self._interval

    def __setattr__(self, name: str, value) -> None:
        if name in ("path", "interval"):
            raise AttributeError("attribute '%s' of 'aerospike.ConfigProvider' objects is not writable" % name)
        raise AttributeError("'aerospike.ConfigProvider' object has no attribute '%s'" % name)

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)
