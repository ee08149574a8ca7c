"""A list or map bin value as a real node stores it (cdt.c cdt_untrusted_rewrite).

A node rewrites every LIST/MAP value a client writes whole: unordered maps at every depth are
sorted by key (a client's insertion order is not kept), integers and headers are packed in their
shortest form, container flags below the top level lose PERSIST_INDEX, and a value it cannot
store is refused with SERVER_ERROR (1): malformed or trailing msgpack, duplicate map keys, map keys
that are not integer/string/blob, an ORDERED list or K-ordered map out of order, wildcard or
other extension values inside."""

from __future__ import annotations

from typing import Any

from ...wire import AerospikeWireError, ResultCode
from . import values as V

_MAP_FLAGS = V.MAP_KV_ORDERED | V.PERSIST_INDEX
_LIST_FLAGS = V.LIST_ORDERED | V.PERSIST_INDEX


def _refuse(why: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.SERVER_ERROR, "invalid list/map value: %s" % why)


def _is_key(key: Any) -> bool:
    if isinstance(key, bool):
        return False
    if isinstance(key, int):
        return True
    if isinstance(key, str):
        return not isinstance(key, V.Geo)
    if isinstance(key, V.Blob):
        return key.prefix == 4
    return isinstance(key, (bytes, bytearray))


def _rewrite(value: Any, top: bool) -> Any:
    if isinstance(value, V.CdtMap):
        flags = value.flags & _MAP_FLAGS
        if not top:
            flags &= ~V.PERSIST_INDEX
        keys = [V.sort_key(k) for k, _ in value]
        for k, _ in value:
            if not _is_key(k):
                raise _refuse("map key %r" % (k,))
        pairs = [(k, _rewrite(v, False)) for k, v in value]
        if any(a >= b for a, b in zip(keys, keys[1:])):
            if flags & V.MAP_K_ORDERED:
                raise _refuse("K-ordered map out of order")
            order = sorted(range(len(pairs)), key=keys.__getitem__)
            if any(keys[a] == keys[b] for a, b in zip(order, order[1:])):
                raise _refuse("duplicate map keys")
            pairs = [pairs[i] for i in order]
        return V.CdtMap(pairs, flags)
    if isinstance(value, list):
        flags = getattr(value, "flags", 0) & _LIST_FLAGS
        if not top:
            flags &= ~V.PERSIST_INDEX
        items = [_rewrite(item, False) for item in value]
        if flags & V.LIST_ORDERED:
            keys = [V.sort_key(item) for item in items]
            if any(a > b for a, b in zip(keys, keys[1:])):
                raise _refuse("ORDERED list out of order")
        return V.CdtList(items, flags)
    if value is V.WILDCARD or value is V.INF or isinstance(value, V.Ext):
        raise _refuse("extension value inside")
    return value


def rewrite(data: bytes) -> bytes:
    """The bytes a node stores for a LIST/MAP bin written with `data` (SERVER_ERROR when refused)."""
    try:
        value = V.unpack(data)
    except V.CdtError as exc:
        raise _refuse(str(exc)) from None
    if not isinstance(value, list):
        raise _refuse("not a list or map")
    return V.pack(_rewrite(value, True))
