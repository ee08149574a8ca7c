"""List operation dicts for Client.operate() / operate_ordered() and batch writes.

Every helper returns a fresh plain dict shaped like the official helper's: ``"op"`` (an
``aerospike.OP_LIST_*`` code), ``"bin"``, then the operation's own keys in the official order.
Optional entries are left out when not given:

- ``policy`` (a list policy dict: ``list_order``, ``write_flags``) is stored under
  ``"list_policy"`` only when truthy;
- ``ctx`` (a list of :mod:`aerospike_helpers.cdt_ctx` objects) is stored only when non-empty,
  except for :func:`list_create`, which keeps any ctx that is not None;
- ``count`` of the range helpers only when not None (no count = to the end of the list);
- ``value_begin`` / ``value_end`` of value-range helpers only when not None.

Return types are ``aerospike.LIST_RETURN_*``; ``inverted=True`` selects the complement.
"""

from typing import Optional

from aerospike import _constants as _c

OP_KEY = "op"
BIN_KEY = "bin"
VALUE_KEY = "val"
INDEX_KEY = "index"
LIST_POLICY_KEY = "list_policy"
INVERTED_KEY = "inverted"
RETURN_TYPE_KEY = "return_type"
COUNT_KEY = "count"
RANK_KEY = "rank"
VALUE_BEGIN_KEY = "value_begin"
VALUE_END_KEY = "value_end"
VALUE_LIST_KEY = "value_list"
LIST_ORDER_KEY = "list_order"
SORT_FLAGS_KEY = "sort_flags"
CTX_KEY = "ctx"
PAD_KEY = "pad"
PERSIST_INDEX_KEY = "persist_index"


def _op(code: int, bin_name, *pairs, policy=None, ctx=None, count=None) -> dict:
    """{op, bin, *pairs} + list_policy (if truthy) + count (if not None) + ctx (if truthy)."""
    op = {OP_KEY: code, BIN_KEY: bin_name}
    op.update(pairs)
    if policy:
        op[LIST_POLICY_KEY] = policy
    if count is not None:
        op[COUNT_KEY] = count
    if ctx:
        op[CTX_KEY] = ctx
    return op


# -- modify operations ---------------------------------------------------------------------------

def list_create(bin_name: str, list_order: int, pad: bool, persist_index: bool,
                ctx: Optional[list] = None):
    """Create a list with ``list_order`` (``aerospike.LIST_*ORDERED``) at the bin, or at the
    place ``ctx`` designates when no list is there yet. ``pad`` pads an out-of-range index
    context with None; ``persist_index`` keeps an index of a top-level ordered list."""
    op = {OP_KEY: _c.OP_LIST_CREATE, BIN_KEY: bin_name, LIST_ORDER_KEY: list_order, PAD_KEY: pad,
          PERSIST_INDEX_KEY: persist_index}
    if ctx is not None:
        op[CTX_KEY] = ctx
    return op


def list_append(bin_name: str, value, policy: Optional[dict] = None, ctx: Optional[list] = None):
    """Append ``value``; the server returns the new size of the list."""
    return _op(_c.OP_LIST_APPEND, bin_name, (VALUE_KEY, value), policy=policy, ctx=ctx)


def list_append_items(bin_name: str, values, policy: Optional[dict] = None,
                      ctx: Optional[list] = None):
    """Append every item of the list ``values``; returns the new size."""
    return _op(_c.OP_LIST_APPEND_ITEMS, bin_name, (VALUE_KEY, values), policy=policy, ctx=ctx)


def list_insert(bin_name: str, index, value, policy: Optional[dict] = None,
                ctx: Optional[list] = None):
    """Insert ``value`` at ``index``; returns the new size."""
    return _op(_c.OP_LIST_INSERT, bin_name, (INDEX_KEY, index), (VALUE_KEY, value), policy=policy,
               ctx=ctx)


def list_insert_items(bin_name: str, index, values, policy: Optional[dict] = None,
                      ctx: Optional[list] = None):
    """Insert the items of the list ``values`` at ``index``; returns the new size."""
    return _op(_c.OP_LIST_INSERT_ITEMS, bin_name, (INDEX_KEY, index), (VALUE_KEY, values),
               policy=policy, ctx=ctx)


def list_increment(bin_name: str, index, value, policy: Optional[dict] = None,
                   ctx: Optional[list] = None):
    """Add ``value`` to the number at ``index``; returns the new number."""
    return _op(_c.OP_LIST_INCREMENT, bin_name, (INDEX_KEY, index), (VALUE_KEY, value),
               policy=policy, ctx=ctx)


def list_pop(bin_name: str, index, ctx: Optional[list] = None):
    """Remove and return the item at ``index``."""
    return _op(_c.OP_LIST_POP, bin_name, (INDEX_KEY, index), ctx=ctx)


def list_pop_range(bin_name: str, index, count, ctx: Optional[list] = None):
    """Remove and return ``count`` items from ``index``."""
    return _op(_c.OP_LIST_POP_RANGE, bin_name, (INDEX_KEY, index), (VALUE_KEY, count), ctx=ctx)


def list_remove(bin_name: str, index, ctx: Optional[list] = None):
    """Remove the item at ``index``; returns how many were removed."""
    return _op(_c.OP_LIST_REMOVE, bin_name, (INDEX_KEY, index), ctx=ctx)


def list_remove_range(bin_name: str, index, count, ctx: Optional[list] = None):
    """Remove ``count`` items from ``index``; returns how many were removed."""
    return _op(_c.OP_LIST_REMOVE_RANGE, bin_name, (INDEX_KEY, index), (VALUE_KEY, count), ctx=ctx)


def list_clear(bin_name: str, ctx: Optional[list] = None):
    """Remove every item of the list."""
    return _op(_c.OP_LIST_CLEAR, bin_name, ctx=ctx)


def list_set(bin_name: str, index, value, policy: Optional[dict] = None, ctx: Optional[list] = None):
    """Replace the item at ``index`` by ``value`` (padding with None past the end)."""
    return _op(_c.OP_LIST_SET, bin_name, (INDEX_KEY, index), (VALUE_KEY, value), policy=policy,
               ctx=ctx)


def list_trim(bin_name: str, index, count, ctx: Optional[list] = None):
    """Keep only the ``count`` items from ``index``."""
    return _op(_c.OP_LIST_TRIM, bin_name, (INDEX_KEY, index), (VALUE_KEY, count), ctx=ctx)


def list_set_order(bin_name: str, list_order, ctx: Optional[list] = None):
    """Make the list ordered or unordered (``aerospike.LIST_ORDERED`` / ``LIST_UNORDERED``)."""
    return _op(_c.OP_LIST_SET_ORDER, bin_name, (LIST_ORDER_KEY, list_order), ctx=ctx)


def list_sort(bin_name: str, sort_flags: int = 0, ctx: Optional[list] = None):
    """Sort the list (``aerospike.LIST_SORT_*`` flags)."""
    return _op(_c.OP_LIST_SORT, bin_name, (SORT_FLAGS_KEY, sort_flags), ctx=ctx)


# -- read operations -----------------------------------------------------------------------------

def list_get(bin_name: str, index, ctx: Optional[list] = None):
    """The item at ``index``."""
    return _op(_c.OP_LIST_GET, bin_name, (INDEX_KEY, index), ctx=ctx)


def list_get_range(bin_name: str, index, count, ctx: Optional[list] = None):
    """The ``count`` items from ``index``."""
    return _op(_c.OP_LIST_GET_RANGE, bin_name, (INDEX_KEY, index), (VALUE_KEY, count), ctx=ctx)


def list_size(bin_name: str, ctx: Optional[list] = None):
    """The number of items."""
    return _op(_c.OP_LIST_SIZE, bin_name, ctx=ctx)


def list_join(bin_name: str, separator: str | None = None, ctx: Optional[list] = None):
    """The string items of the list joined with ``separator`` (server 8.2 or later)."""
    return _op(_c._OP_LIST_JOIN, bin_name, ("separator", separator), ctx=ctx)


# -- selections by index, rank and value (read: get_*, modify: remove_*) --------------------------

def _by_index(code, bin_name, index, return_type, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (INDEX_KEY, index), ctx=ctx)


def _by_index_range(code, bin_name, index, return_type, count, inverted, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (INDEX_KEY, index),
               (INVERTED_KEY, inverted), count=count, ctx=ctx)


def _by_rank(code, bin_name, rank, return_type, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (RANK_KEY, rank), ctx=ctx)


def _by_rank_range(code, bin_name, rank, return_type, count, inverted, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (RANK_KEY, rank),
               (INVERTED_KEY, inverted), count=count, ctx=ctx)


def _by_value(code, bin_name, value, return_type, inverted, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (VALUE_KEY, value),
               (INVERTED_KEY, inverted), ctx=ctx)


def _by_value_list(code, bin_name, value_list, return_type, inverted, ctx):
    return _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (VALUE_LIST_KEY, value_list),
               (INVERTED_KEY, inverted), ctx=ctx)


def _by_value_range(code, bin_name, return_type, value_begin, value_end, inverted, ctx):
    op = _op(code, bin_name, (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted))
    if value_begin is not None:
        op[VALUE_BEGIN_KEY] = value_begin
    if value_end is not None:
        op[VALUE_END_KEY] = value_end
    if ctx:
        op[CTX_KEY] = ctx
    return op


def _by_value_rel_rank_range(code, bin_name, value, offset, return_type, count, inverted, ctx):
    return _op(code, bin_name, (VALUE_KEY, value), (RANK_KEY, offset),
               (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), count=count, ctx=ctx)


def list_get_by_index(bin_name: str, index, return_type, ctx: Optional[list] = None):
    """The item at ``index``, as ``return_type`` says."""
    return _by_index(_c.OP_LIST_GET_BY_INDEX, bin_name, index, return_type, ctx)


def list_get_by_index_range(bin_name: str, index, return_type, count=None, inverted=False,
                            ctx: Optional[list] = None):
    """``count`` items (all when None) from ``index``."""
    return _by_index_range(_c.OP_LIST_GET_BY_INDEX_RANGE, bin_name, index, return_type, count,
                           inverted, ctx)


def list_get_by_rank(bin_name: str, rank, return_type, ctx: Optional[list] = None):
    """The item of rank ``rank`` (-1 = largest)."""
    return _by_rank(_c.OP_LIST_GET_BY_RANK, bin_name, rank, return_type, ctx)


def list_get_by_rank_range(bin_name: str, rank, return_type, count=None, inverted=False,
                           ctx: Optional[list] = None):
    """``count`` items (all when None) from rank ``rank``."""
    return _by_rank_range(_c.OP_LIST_GET_BY_RANK_RANGE, bin_name, rank, return_type, count,
                          inverted, ctx)


def list_get_by_value(bin_name: str, value, return_type, inverted=False, ctx: Optional[list] = None):
    """The items equal to ``value``."""
    return _by_value(_c.OP_LIST_GET_BY_VALUE, bin_name, value, return_type, inverted, ctx)


def list_get_by_value_list(bin_name: str, value_list, return_type, inverted=False,
                           ctx: Optional[list] = None):
    """The items equal to any of ``value_list``."""
    return _by_value_list(_c.OP_LIST_GET_BY_VALUE_LIST, bin_name, value_list, return_type,
                          inverted, ctx)


def list_get_by_value_range(bin_name: str, return_type, value_begin, value_end, inverted=False,
                            ctx: Optional[list] = None):
    """The items with ``value_begin <= item < value_end`` (None: unbounded)."""
    return _by_value_range(_c.OP_LIST_GET_BY_VALUE_RANGE, bin_name, return_type, value_begin,
                           value_end, inverted, ctx)


def list_get_by_value_rank_range_relative(bin_name: str, value, offset, return_type, count=None,
                                          inverted=False, ctx: Optional[list] = None):
    """``count`` items (all when None) from the rank ``value`` would have, plus ``offset``."""
    return _by_value_rel_rank_range(_c.OP_LIST_GET_BY_VALUE_RANK_RANGE_REL, bin_name, value,
                                    offset, return_type, count, inverted, ctx)


def list_remove_by_index(bin_name: str, index, return_type, ctx: Optional[list] = None):
    """Remove the item at ``index``."""
    return _by_index(_c.OP_LIST_REMOVE_BY_INDEX, bin_name, index, return_type, ctx)


def list_remove_by_index_range(bin_name: str, index, return_type, count=None, inverted=False,
                               ctx: Optional[list] = None):
    """Remove ``count`` items (all when None) from ``index``."""
    return _by_index_range(_c.OP_LIST_REMOVE_BY_INDEX_RANGE, bin_name, index, return_type, count,
                           inverted, ctx)


def list_remove_by_rank(bin_name: str, rank, return_type, ctx: Optional[list] = None):
    """Remove the item of rank ``rank``."""
    return _by_rank(_c.OP_LIST_REMOVE_BY_RANK, bin_name, rank, return_type, ctx)


def list_remove_by_rank_range(bin_name: str, rank, return_type, count=None, inverted=False,
                              ctx: Optional[list] = None):
    """Remove ``count`` items (all when None) from rank ``rank``."""
    return _by_rank_range(_c.OP_LIST_REMOVE_BY_RANK_RANGE, bin_name, rank, return_type, count,
                          inverted, ctx)


def list_remove_by_value(bin_name: str, value, return_type, inverted=False,
                         ctx: Optional[list] = None):
    """Remove the items equal to ``value``."""
    return _by_value(_c.OP_LIST_REMOVE_BY_VALUE, bin_name, value, return_type, inverted, ctx)


def list_remove_by_value_list(bin_name: str, value_list, return_type, inverted=False,
                              ctx: Optional[list] = None):
    """Remove the items equal to any of ``value_list``."""
    return _by_value_list(_c.OP_LIST_REMOVE_BY_VALUE_LIST, bin_name, value_list, return_type,
                          inverted, ctx)


def list_remove_by_value_range(bin_name: str, return_type, value_begin=None, value_end=None,
                               inverted=False, ctx: Optional[list] = None):
    """Remove the items with ``value_begin <= item < value_end`` (None: unbounded)."""
    return _by_value_range(_c.OP_LIST_REMOVE_BY_VALUE_RANGE, bin_name, return_type, value_begin,
                           value_end, inverted, ctx)


def list_remove_by_value_rank_range_relative(bin_name: str, value, offset, return_type,
                                             count=None, inverted=False,
                                             ctx: Optional[list] = None):
    """Remove ``count`` items (all when None) from the rank ``value`` would have, plus
    ``offset``."""
    return _by_value_rel_rank_range(_c.OP_LIST_REMOVE_BY_VALUE_RANK_RANGE_REL, bin_name, value,
                                    offset, return_type, count, inverted, ctx)
