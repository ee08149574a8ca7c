"""List expressions: read a list bin (or list expression), or modify a local copy of it.

``ctx`` (a list of ``aerospike_helpers.cdt_ctx`` contexts or None) points at a nested list;
``bin`` is a bin name or an expression yielding a list.
"""

from typing import Any, Dict, List, Union

import aerospike
from aerospike_helpers import cdt_ctx
from aerospike_helpers.expressions import _cdt
from aerospike_helpers.expressions.base import ListBin
from aerospike_helpers.expressions.resources import ReturnType, _BaseExpr, _ExprOp, _Keys

TypeBinName = Union[_BaseExpr, str]
TypeListValue = Union[_BaseExpr, List[Any]]
TypeIndex = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCTX = Union[None, List[cdt_ctx._cdt_ctx]]
TypeRank = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCount = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeValue = Union[_BaseExpr, Any]
TypePolicy = Union[Dict[str, Any], None]

_NONE = aerospike.LIST_RETURN_NONE
_CRMOD = _ExprOp._AS_EXP_CODE_CDT_LIST_CRMOD
_MOD = _ExprOp._AS_EXP_CODE_CDT_LIST_MOD
_POLICY = _Keys.LIST_POLICY_KEY


def _list_bin(bin):  # noqa: A002
    return bin if isinstance(bin, _BaseExpr) else ListBin(bin)


# -- modify -------------------------------------------------------------------------------------

class ListAppend(_BaseExpr):
    """Append ``value``."""

    _op = aerospike.OP_LIST_APPEND

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", value: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (value,), _list_bin(bin))


class ListAppendItems(_BaseExpr):
    """Append the items of ``value``."""

    _op = aerospike.OP_LIST_APPEND_ITEMS

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", value: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (value,), _list_bin(bin))


class ListInsert(_BaseExpr):
    """Insert ``value`` at ``index``."""

    _op = aerospike.OP_LIST_INSERT

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", index: "TypeIndex", value: "TypeValue",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _MOD, (index, value), _list_bin(bin))


class ListInsertItems(_BaseExpr):
    """Insert the items of ``values`` at ``index``."""

    _op = aerospike.OP_LIST_INSERT_ITEMS

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", index: "TypeIndex", values: "TypeListValue",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _MOD, (index, values), _list_bin(bin))


class ListIncrement(_BaseExpr):
    """Add ``value`` to the item at ``index``."""

    _op = aerospike.OP_LIST_INCREMENT

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", index: "TypeIndex", value: "TypeValue",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _CRMOD, (index, value), _list_bin(bin))


class ListSet(_BaseExpr):
    """Set the item at ``index`` to ``value``."""

    _op = aerospike.OP_LIST_SET

    def __init__(self, ctx: "TypeCTX", policy: "TypePolicy", index: "TypeIndex", value: "TypeValue",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.modify(self, ctx, _POLICY, policy, _MOD, (index, value), _list_bin(bin))


class ListClear(_BaseExpr):
    """Remove every item."""

    _op = aerospike.OP_LIST_CLEAR

    def __init__(self, ctx: "TypeCTX", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (), _list_bin(bin))


class ListSort(_BaseExpr):
    """Sort the list (``aerospike.LIST_SORT_*`` flags)."""

    _op = aerospike.OP_LIST_SORT

    def __init__(self, ctx: "TypeCTX", order: int, bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (), _list_bin(bin), {_Keys.LIST_ORDER_KEY: order})


class ListRemoveByValue(_BaseExpr):
    """Remove the items equal to ``value``."""

    _op = aerospike.OP_LIST_REMOVE_BY_VALUE

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (value,), _list_bin(bin), _NONE)


class ListRemoveByValueList(_BaseExpr):
    """Remove the items equal to any of ``values``."""

    _op = aerospike.OP_LIST_REMOVE_BY_VALUE_LIST

    def __init__(self, ctx: "TypeCTX", values: "TypeListValue", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.remove(self, ctx, inverted, (values,), _list_bin(bin), _NONE)


class ListRemoveByValueRange(_BaseExpr):
    """Remove the items in [begin, end) (end None: to the largest)."""

    _op = aerospike.OP_LIST_REMOVE_BY_VALUE_RANGE

    def __init__(self, ctx: "TypeCTX", begin: "TypeValue", end: "TypeValue", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        if end is None:
            end = aerospike.CDTInfinite()
        _cdt.remove(self, ctx, inverted, (begin, end), _list_bin(bin), _NONE)


class ListRemoveByValueRelRankToEnd(_BaseExpr):
    """Remove the items from the rank ``value`` would have plus ``rank``, to the end."""

    _op = aerospike.OP_LIST_REMOVE_BY_REL_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", rank: "TypeRank", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.remove(self, ctx, inverted, (value, rank), _list_bin(bin), _NONE)


class ListRemoveByValueRelRankRange(_BaseExpr):
    """Remove ``count`` items from the rank ``value`` would have plus ``rank``."""

    _op = aerospike.OP_LIST_REMOVE_BY_REL_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", value: "TypeValue", rank: "TypeRank", count: "TypeCount",
                 bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (value, rank, count), _list_bin(bin), _NONE)


class ListRemoveByIndex(_BaseExpr):
    """Remove the item at ``index``."""

    _op = aerospike.OP_LIST_REMOVE_BY_INDEX

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (index,), _list_bin(bin))


class ListRemoveByIndexRangeToEnd(_BaseExpr):
    """Remove the items from ``index`` to the end."""

    _op = aerospike.OP_LIST_REMOVE_BY_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (index,), _list_bin(bin), _NONE)


class ListRemoveByIndexRange(_BaseExpr):
    """Remove ``count`` items from ``index``."""

    _op = aerospike.OP_LIST_REMOVE_BY_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", index: "TypeIndex", count: "TypeCount", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.remove(self, ctx, inverted, (index, count), _list_bin(bin), _NONE)


class ListRemoveByRank(_BaseExpr):
    """Remove the item of rank ``rank``."""

    _op = aerospike.OP_LIST_REMOVE_BY_RANK

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (rank,), _list_bin(bin))


class ListRemoveByRankRangeToEnd(_BaseExpr):
    """Remove the items from rank ``rank`` to the largest."""

    _op = aerospike.OP_LIST_REMOVE_BY_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.remove(self, ctx, inverted, (rank,), _list_bin(bin), _NONE)


class ListRemoveByRankRange(_BaseExpr):
    """Remove ``count`` items from rank ``rank``."""

    _op = aerospike.OP_LIST_REMOVE_BY_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", rank: "TypeRank", count: "TypeCount", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.remove(self, ctx, inverted, (rank, count), _list_bin(bin), _NONE)


# -- read ---------------------------------------------------------------------------------------

class ListSize(_BaseExpr):
    """Number of items."""

    _op = aerospike.OP_LIST_SIZE

    def __init__(self, ctx: "TypeCTX", bin: "TypeBinName"):  # noqa: A002
        _cdt.plain(self, ctx, (), _list_bin(bin))


class ListGetByValue(_BaseExpr):
    """The items equal to ``value``."""

    _op = aerospike.OP_LIST_GET_BY_VALUE

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.get(self, ctx, return_type, inverted, (value,), _list_bin(bin))


class ListGetByValueRange(_BaseExpr):
    """The items in [value_begin, value_end)."""

    _op = aerospike.OP_LIST_GET_BY_VALUE_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, value_begin: "TypeValue", value_end: "TypeValue",
                 bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value_begin, value_end), _list_bin(bin))


class ListGetByValueList(_BaseExpr):
    """The items equal to any of ``value`` (a list)."""

    _op = aerospike.OP_LIST_GET_BY_VALUE_LIST

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeListValue", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.get(self, ctx, return_type, inverted, (value,), _list_bin(bin))


class ListGetByValueRelRankRangeToEnd(_BaseExpr):
    """The items from the rank ``value`` would have plus ``rank``, to the end."""

    _op = aerospike.OP_LIST_GET_BY_VALUE_RANK_RANGE_REL_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", rank: "TypeRank",
                 bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value, rank), _list_bin(bin))


class InList(_BaseExpr):
    """True if ``value`` is an item of the list (server 8.1+)."""

    _op = aerospike._AS_EXP_CODE_IN_LIST

    def __init__(self, value: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        self._children = (value, _list_bin(bin))


class ListGetByValueRelRankRange(_BaseExpr):
    """``count`` items from the rank ``value`` would have plus ``rank``."""

    _op = aerospike.OP_LIST_GET_BY_VALUE_RANK_RANGE_REL

    def __init__(self, ctx: "TypeCTX", return_type: int, value: "TypeValue", rank: "TypeRank",
                 count: "TypeCount", bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (value, rank, count), _list_bin(bin))


class ListGetByIndex(_BaseExpr):
    """The item at ``index`` (of type ``value_type``)."""

    _op = aerospike.OP_LIST_GET_BY_INDEX

    def __init__(self, ctx: "TypeCTX", return_type: int, value_type: int, index: "TypeIndex",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.get_single(self, ctx, return_type, value_type, (index,), _list_bin(bin))


class ListGetByIndexRangeToEnd(_BaseExpr):
    """The items from ``index`` to the end."""

    _op = aerospike.OP_LIST_GET_BY_INDEX_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, index: "TypeIndex", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.get(self, ctx, return_type, inverted, (index,), _list_bin(bin))


class ListGetByIndexRange(_BaseExpr):
    """``count`` items from ``index``."""

    _op = aerospike.OP_LIST_GET_BY_INDEX_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, index: "TypeIndex", count: "TypeCount",
                 bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (index, count), _list_bin(bin))


class ListGetByRank(_BaseExpr):
    """The item of rank ``rank`` (of type ``value_type``)."""

    _op = aerospike.OP_LIST_GET_BY_RANK

    def __init__(self, ctx: "TypeCTX", return_type: int, value_type: int, rank: "TypeRank",
                 bin: "TypeBinName"):  # noqa: A002
        _cdt.get_single(self, ctx, return_type, value_type, (rank,), _list_bin(bin))


class ListGetByRankRangeToEnd(_BaseExpr):
    """The items from rank ``rank`` to the largest."""

    _op = aerospike.OP_LIST_GET_BY_RANK_RANGE_TO_END

    def __init__(self, ctx: "TypeCTX", return_type: int, rank: "TypeRank", bin: "TypeBinName",  # noqa: A002
                 inverted: bool = False):
        _cdt.get(self, ctx, return_type, inverted, (rank,), _list_bin(bin))


class ListGetByRankRange(_BaseExpr):
    """``count`` items from rank ``rank``."""

    _op = aerospike.OP_LIST_GET_BY_RANK_RANGE

    def __init__(self, ctx: "TypeCTX", return_type: int, rank: "TypeRank", count: "TypeCount",
                 bin: "TypeBinName", inverted: bool = False):  # noqa: A002
        _cdt.get(self, ctx, return_type, inverted, (rank, count), _list_bin(bin))


class ListJoin(_BaseExpr):
    """The string items joined (with ``separator`` if given; server 8.1+)."""

    def __init__(self, ctx: "TypeCTX", separator: "str | None", bin: "TypeBinName"):  # noqa: A002
        if separator:
            self._op = aerospike._OP_LIST_JOIN_SEPARATOR
            fixed = {aerospike._STR_EXP_SEPARATOR_KEY: separator}
        else:
            self._op = aerospike._OP_LIST_JOIN
            fixed = {}
        _cdt.plain(self, ctx, (), _list_bin(bin), fixed)
