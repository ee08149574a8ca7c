"""Contexts (cdt_ctx) that point an operation at a list or map nested inside a bin.

An operation's ``ctx`` is a list of these, outermost first: ``[cdt_ctx_list_index(2),
cdt_ctx_map_key("ratings")]`` designates ``bin[2]["ratings"]``. Each object carries ``id`` (an
``aerospike.CDT_CTX_*`` code), ``value`` (index, rank, key or value) and ``extra_args`` (a dict
or None: the create order and pad flag of the ``*_create`` contexts, the filter expression of
path-expression contexts).
"""

from typing import Any

from aerospike import _constants as _c

CDT_CTX_ORDER_KEY = "order_key"
CDT_CTX_PAD_KEY = "pad_key"


def index_type_string(index_type):
    """The info-protocol name of an ``aerospike.INDEX_TYPE_*`` value (``"invalid"`` if none)."""
    names = {_c.INDEX_TYPE_DEFAULT: "default", _c.INDEX_TYPE_LIST: "list",
             _c.INDEX_TYPE_MAPKEYS: "mapkeys", _c.INDEX_TYPE_MAPVALUES: "mapvalues"}
    for code, name in names.items():
        if index_type == code:
            return name
    return "invalid"


def index_datatype_string(index_datatype):
    """The info-protocol name of an ``aerospike.INDEX_*`` data type (``"invalid"`` if none)."""
    names = {_c.INDEX_NUMERIC: "numeric", _c.INDEX_STRING: "string",
             _c.INDEX_GEO2DSPHERE: "geo2dsphere"}
    for code, name in names.items():
        if index_datatype == code:
            return name
    return "invalid"


class _cdt_ctx:
    """One step of a context path."""

    def __init__(self, *, id=None, value=None, extra_args=None):
        self.id = id
        self.value = value
        self.extra_args = extra_args


def cdt_ctx_list_index(index):
    """The list item at ``index`` (negative: from the end)."""
    return _cdt_ctx(id=_c.CDT_CTX_LIST_INDEX, value=index)


def cdt_ctx_list_rank(rank):
    """The list item of rank ``rank`` (negative: from the largest)."""
    return _cdt_ctx(id=_c.CDT_CTX_LIST_RANK, value=rank)


def cdt_ctx_list_value(value):
    """The list item equal to ``value``."""
    return _cdt_ctx(id=_c.CDT_CTX_LIST_VALUE, value=value)


def cdt_ctx_list_index_create(index: int, order: int = 0, pad: bool = False) -> _cdt_ctx:
    """The list item at ``index``, created as a list with ``order`` when missing (``pad``: fill
    the gap up to an out-of-range index with None; unordered lists only)."""
    return _cdt_ctx(id=_c.CDT_CTX_LIST_INDEX_CREATE, value=index,
                    extra_args={CDT_CTX_ORDER_KEY: order, CDT_CTX_PAD_KEY: pad})


def cdt_ctx_map_index(index):
    """The map entry at ``index`` (key order; negative: from the end)."""
    return _cdt_ctx(id=_c.CDT_CTX_MAP_INDEX, value=index)


def cdt_ctx_map_rank(rank):
    """The map entry whose value has rank ``rank``."""
    return _cdt_ctx(id=_c.CDT_CTX_MAP_RANK, value=rank)


def cdt_ctx_map_key(key):
    """The map entry of ``key``."""
    return _cdt_ctx(id=_c.CDT_CTX_MAP_KEY, value=key)


def cdt_ctx_map_value(value):
    """The map entry whose value equals ``value``."""
    return _cdt_ctx(id=_c.CDT_CTX_MAP_VALUE, value=value)


def cdt_ctx_map_key_create(key: Any, order: int = 0) -> _cdt_ctx:
    """The map entry of ``key``, created as a map with ``order`` when missing."""
    return _cdt_ctx(id=_c.CDT_CTX_MAP_KEY_CREATE, value=key, extra_args={CDT_CTX_ORDER_KEY: order})


# -- path-expression contexts (used with operations.select_by_path / modify_by_path) ---------------

def cdt_ctx_all_children() -> _cdt_ctx:
    """Every child of the current level."""
    return _cdt_ctx(id=_c._AS_CDT_CTX_EXP)


def cdt_ctx_all_children_with_filter(expression: "TypeExpression") -> _cdt_ctx:
    """The children of the current level for which the compiled boolean ``expression`` holds."""
    return _cdt_ctx(id=_c._AS_CDT_CTX_EXP, extra_args={_c._CDT_CTX_FILTER_EXPR_KEY: expression})


def cdt_ctx_and_filter(expression: "TypeExpression") -> _cdt_ctx:
    """A boolean ``expression`` AND-ed with the previous :func:`cdt_ctx_map_keys_in` step."""
    return _cdt_ctx(id=_c._AS_CDT_CTX_AND | _c._AS_CDT_CTX_EXP,
                    extra_args={_c._CDT_CTX_FILTER_EXPR_KEY: expression})


def cdt_ctx_map_keys_in(keys: list):
    """The entries of the map whose keys are in ``keys`` (path expressions only)."""
    return _cdt_ctx(id=_c._AS_CDT_CTX_MAP_KEYS_IN, value=keys)
