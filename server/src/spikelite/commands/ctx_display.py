"""A CDT context as a real node displays it in `sindex-list` (cdt.c cdt_msgpack_ctx_to_dynbuf):
``[list_index(0), map_key(<string#4>)]``; scalars as numbers, containers and strings by size."""

from __future__ import annotations

import base64
from typing import Any

from ..binops.cdt import values as V

_NAMES = ("index", "rank", "key", "value", "exp", "index_list", "rank_list", "key_list", "value_list")
_LIST, _MAP, _BASE_MASK = 0x10, 0x20, 0x0F


def _value(value: Any) -> str:
    """msgpack_display of one context value."""
    if value is None:
        return "nil"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return "%d" % value
    if isinstance(value, float):
        return "%f" % value
    if isinstance(value, V.Geo):
        return "<geojson#%d>" % len(value.encode("utf-8", "surrogateescape"))
    if isinstance(value, str):
        return "<string#%d>" % len(value.encode("utf-8", "surrogateescape"))
    if isinstance(value, V.Blob):
        if value.prefix is None:
            return "<blob#_>"
        if value.prefix != 4:
            return "<blob%d#%d>" % (value.prefix, len(value))
        return "<blob#%d>" % len(value)
    if isinstance(value, V.CdtMap):
        return "<map#%d>" % (len(value) + (1 if value.flags else 0))
    if isinstance(value, list):
        return "<list#%d>" % (len(value) + (1 if getattr(value, "flags", 0) else 0))
    if value is V.WILDCARD:
        return "*"
    if value is V.INF:
        return "inf"
    if isinstance(value, V.Ext):
        return "<ext#%d>" % len(value.data)
    return "?"


def display_context(context_b64: str) -> str:
    """The node's text for a context given as sindex-create's base64 `context=`."""
    reader = V.Reader(base64.b64decode(context_b64))
    count = reader.array_header()
    parts = []
    for _ in range(count // 2):
        ctx_type = reader.value()
        value = reader.value()
        prefix = "list_" if ctx_type & _LIST else "map_" if ctx_type & _MAP else ""
        parts.append("%s%s(%s)" % (prefix, _NAMES[ctx_type & _BASE_MASK], _value(value)))
    return "[%s]" % ", ".join(parts)
