"""Map expressions: read a map bin (or map expression), or modify a local copy of it.

``ctx`` (a list of ``aerospike_helpers.cdt_ctx`` contexts or None) points at a nested map;
``bin`` is a bin name or an expression yielding a map.
"""

from typing import Any, Dict, List, Union

import aerospike
from aerospike_helpers import cdt_ctx
from aerospike_helpers.expressions import _cdt
from aerospike_helpers.expressions.base import MapBin
from aerospike_helpers.expressions.resources import ReturnType, _BaseExpr, _ExprOp, _Keys

TypeKey = Union[_BaseExpr, Any]
TypeKeyList = Union[_BaseExpr, List[Any]]
TypeBinName = Union[_BaseExpr, str]
TypeListValue = Union[_BaseExpr, List[Any]]
TypeIndex = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCTX = Union[None, List[cdt_ctx._cdt_ctx]]
TypeRank = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCount = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeValue = Union[_BaseExpr, Any]
TypePolicy = Union[Dict[str, Any], None]

_NONE = aerospike.MAP_RETURN_NONE
_CRMOD = _ExprOp._AS_EXP_CODE_CDT_MAP_CRMOD
_POLICY = _Keys.MAP_POLICY_KEY


def _map_bin(bin):  # noqa: A002
    return bin if isinstance(bin, _BaseExpr) else MapBin(bin)


class MapPut(_BaseExpr):
    """Put ``key``: ``value``."""

    _op = aerospike.OP_MAP_PUT

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", key: "TypeKey", value: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (key, value), _map_bin(bin))


class MapPutItems(_BaseExpr):
    """Put every entry of ``map``."""

    _op = aerospike.OP_MAP_PUT_ITEMS

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", map: map, bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (map,), _map_bin(bin))


class MapIncrement(_BaseExpr):
    """Add ``value`` to the value of ``key``."""

    _op = aerospike.OP_MAP_INCREMENT

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", key: "TypeKey", value: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (key, value), _map_bin(bin))


class MapClear(_BaseExpr):
    """Remove every entry."""

    _op = aerospike.OP_MAP_CLEAR

    def __init__(self, ctx: "TypeCTX", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (), _map_bin(bin))


class MapRemoveByKey(_BaseExpr):
    """Remove the entry of ``key``."""

    _op = aerospike.OP_MAP_REMOVE_BY_KEY

    def __init__(self, ctx: "TypeCTX", key: "TypeKey", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (key,), _map_bin(bin))


class MapRemoveByKeyList(_BaseExpr):
    """Remove the entries of ``keys``."""

    _op = aerospike.OP_MAP_REMOVE_BY_KEY_LIST

    def __init__(self, ctx: "TypeCTX", keys: List[TypeKey], bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (keys,), _map_bin(bin), _NONE)


class MapRemoveByKeyRange(_BaseExpr):
    """Remove the entries with keys in [begin, end) (end None: to the largest)."""

    _op = aerospike.OP_MAP_REMOVE_BY_KEY_RANGE

    def __init__(self, ctx: "TypeCTX", begin: "TypeValue", end: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        if end is None:
            end = aerospike.CDTInfinite()
        _cdt.remove(self, ctx, inverted, (begin, end), _map_bin(bin), _NONE)


class MapRemoveByKeyRelIndexRangeToEnd(_BaseExpr):
    """Remove the entries from the index ``key`` would have plus ``index``, to the end."""

    _op = aerospike.OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", key: "TypeKey", index: "TypeIndex", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (key, index), _map_bin(bin), _NONE)


class MapRemoveByKeyRelIndexRange(_BaseExpr):
    """Remove ``count`` entries from the index ``key`` would have plus ``index``."""

    _op = aerospike.OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", key: "TypeKey", index: "TypeIndex", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (key, index, count), _map_bin(bin), _NONE)


class MapRemoveByValue(_BaseExpr):
    """Remove the entries whose value is ``value``."""

    _op = aerospike.OP_MAP_REMOVE_BY_VALUE

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (value,), _map_bin(bin), _NONE)


class MapRemoveByValueList(_BaseExpr):
    """Remove the entries whose value is in ``values``."""

    _op = aerospike.OP_MAP_REMOVE_BY_VALUE_LIST

    def __init__(self, ctx: "TypeCTX", values: "TypeListValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (values,), _map_bin(bin), _NONE)


class MapRemoveByValueRange(_BaseExpr):
    """Remove the entries with values in [begin, end)."""

    _op = aerospike.OP_MAP_REMOVE_BY_VALUE_RANGE

    def __init__(self, ctx: "TypeCTX", begin: "TypeValue", end: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (begin, end), _map_bin(bin), _NONE)


class MapRemoveByValueRelRankRangeToEnd(_BaseExpr):
    """Remove the entries from the rank ``value`` would have plus ``rank``, to the end."""

    _op = aerospike.OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", rank: "TypeRank", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (value, rank), _map_bin(bin), _NONE)


class MapRemoveByValueRelRankRange(_BaseExpr):
    """Remove ``count`` entries from the rank ``value`` would have plus ``rank``."""

    _op = aerospike.OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", rank: "TypeRank", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (value, rank, count), _map_bin(bin), _NONE)


class MapRemoveByIndex(_BaseExpr):
    """Remove the entry at ``index``."""

    _op = aerospike.OP_MAP_REMOVE_BY_INDEX

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (index,), _map_bin(bin))


class MapRemoveByIndexRangeToEnd(_BaseExpr):
    """Remove the entries from ``index`` to the end."""

    _op = aerospike.OP_MAP_REMOVE_BY_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (index,), _map_bin(bin), _NONE)


class MapRemoveByIndexRange(_BaseExpr):
    """Remove ``count`` entries from ``index``."""

    _op = aerospike.OP_MAP_REMOVE_BY_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (index, count), _map_bin(bin), _NONE)


class MapRemoveByRank(_BaseExpr):
    """Remove the entry of rank ``rank``."""

    _op = aerospike.OP_MAP_REMOVE_BY_RANK

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (rank,), _map_bin(bin))


class MapRemoveByRankRangeToEnd(_BaseExpr):
    """Remove the entries from rank ``rank`` to the largest."""

    _op = aerospike.OP_MAP_REMOVE_BY_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (rank,), _map_bin(bin), _NONE)


class MapRemoveByRankRange(_BaseExpr):
    """Remove ``count`` entries from rank ``rank``."""

    _op = aerospike.OP_MAP_REMOVE_BY_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (rank, count), _map_bin(bin), _NONE)


class MapSize(_BaseExpr):
    """Number of entries."""

    _op = aerospike.OP_MAP_SIZE

    def __init__(self, ctx: "TypeCTX", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (), _map_bin(bin))


class MapGetByKey(_BaseExpr):
    """The entry of ``key`` (value of type ``value_type``)."""

    _op = aerospike.OP_MAP_GET_BY_KEY

    def __init__(self, ctx: "TypeCTX", return_type: int, value_type: int, key: "TypeKey", bin: "TypeBinName"):  # noqa: A002
        _cdt.get_single(self, ctx, return_type, value_type, (key,), _map_bin(bin))


class MapGetByKeyRange(_BaseExpr):
    """The entries with keys in [begin, end)."""

    _op = aerospike.OP_MAP_GET_BY_KEY_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, begin: "TypeValue", end: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (begin, end), _map_bin(bin))


class MapGetByKeyList(_BaseExpr):
    """The entries of ``keys``."""

    _op = aerospike.OP_MAP_GET_BY_KEY_LIST

    def __init__(self, ctx: "TypeCTX", return_type: int, keys: List[TypeKey], bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (keys,), _map_bin(bin))


class MapGetByKeyRelIndexRangeToEnd(_BaseExpr):
    """The entries from the index ``key`` would have plus ``index``, to the end."""

    _op = aerospike.OP_MAP_GET_BY_KEY_REL_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, key: "TypeKey", index: "TypeIndex", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (key, index), _map_bin(bin))


class MapGetByKeyRelIndexRange(_BaseExpr):
    """``count`` entries from the index ``key`` would have plus ``index``."""

    _op = aerospike.OP_MAP_GET_BY_KEY_REL_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, key: "TypeKey", index: "TypeIndex", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (key, index, count), _map_bin(bin))


class MapGetByValue(_BaseExpr):
    """The entries whose value is ``value``."""

    _op = aerospike.OP_MAP_GET_BY_VALUE

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value,), _map_bin(bin))


class MapGetByValueRange(_BaseExpr):
    """The entries with values in [value_begin, value_end) (end None: to the largest)."""

    _op = aerospike.OP_MAP_GET_BY_VALUE_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, value_begin: "TypeValue", value_end: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        if value_end is None:
            value_end = aerospike.CDTInfinite()
        _cdt.get(self, ctx, return_type, inverted, (value_begin, value_end), _map_bin(bin))


class MapGetByValueList(_BaseExpr):
    """The entries whose value is in ``value`` (a list)."""

    _op = aerospike.OP_MAP_GET_BY_VALUE_LIST

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value,), _map_bin(bin))


class MapGetByValueRelRankRangeToEnd(_BaseExpr):
    """The entries from the rank ``value`` would have plus ``rank``, to the end."""

    _op = aerospike.OP_MAP_GET_BY_VALUE_RANK_RANGE_REL_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", rank: "TypeRank", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value, rank), _map_bin(bin))


class MapGetByValueRelRankRange(_BaseExpr):
    """``count`` entries from the rank ``value`` would have plus ``rank``."""

    _op = aerospike.OP_MAP_GET_BY_VALUE_RANK_RANGE_REL

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", rank: "TypeRank", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value, rank, count), _map_bin(bin))


class MapGetByIndex(_BaseExpr):
    """The entry at ``index`` (value of type ``value_type``)."""

    _op = aerospike.OP_MAP_GET_BY_INDEX

    def __init__(self, ctx: "TypeCTX", return_type: int, value_type: int, index: "TypeIndex", bin: "TypeBinName"):  # noqa: A002
        _cdt.get_single(self, ctx, return_type, value_type, (index,), _map_bin(bin))


class MapGetByIndexRangeToEnd(_BaseExpr):
    """The entries from ``index`` to the end."""

    _op = aerospike.OP_MAP_GET_BY_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, index: "TypeIndex", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (index,), _map_bin(bin))


class MapGetByIndexRange(_BaseExpr):
    """``count`` entries from ``index``."""

    _op = aerospike.OP_MAP_GET_BY_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, index: "TypeIndex", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (index, count), _map_bin(bin))


class MapGetByRank(_BaseExpr):
    """The entry of rank ``rank`` (value of type ``value_type``)."""

    _op = aerospike.OP_MAP_GET_BY_RANK

    def __init__(self, ctx: "TypeCTX", return_type: int, value_type: int, rank: "TypeRank", bin: "TypeBinName"):  # noqa: A002
        _cdt.get_single(self, ctx, return_type, value_type, (rank,), _map_bin(bin))


class MapGetByRankRangeToEnd(_BaseExpr):
    """The entries from rank ``rank`` to the largest."""

    _op = aerospike.OP_MAP_GET_BY_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, rank: "TypeRank", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (rank,), _map_bin(bin))


class MapGetByRankRange(_BaseExpr):
    """``count`` entries from rank ``rank``."""

    _op = aerospike.OP_MAP_GET_BY_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, rank: "TypeRank", count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (rank, count), _map_bin(bin))


class MapGetKeys(_BaseExpr):
    """The map's keys as a list (server 8.1+)."""

    _op = aerospike._AS_EXP_CODE_MAP_KEYS_IN

    def __init__(self, map_value):
        self._children = (map_value if isinstance(map_value, _BaseExpr) else MapBin(map_value),)


class MapGetValues(_BaseExpr):
    """The map's values as a list (server 8.1+)."""

    _op = aerospike._AS_EXP_CODE_MAP_VALUES_IN

    def __init__(self, map_value):
        self._children = (map_value if isinstance(map_value, _BaseExpr) else MapBin(map_value),)
