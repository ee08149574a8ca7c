"""Map operation dicts for Client.operate() / operate_ordered() and batch writes.

Every helper returns a fresh plain dict shaped like the official helper's: ``"op"`` (an
``aerospike.OP_MAP_*`` code), ``"bin"``, then the operation's own keys in the official order.

- ``map_policy`` (a dict: ``map_order``, ``map_write_flags``, ``persist_index``) is stored under
  ``"map_policy"`` when not None.
- ``ctx`` (a list of :mod:`aerospike_helpers.cdt_ctx` objects) is stored when not None for the
  helpers that change the map, and only when non-empty for the ``map_get_*`` helpers.
- The relative-range helpers store ``count`` only when not None and ``inverted`` only when true.

Return types are ``aerospike.MAP_RETURN_*``; ``inverted=True`` selects the complement.
"""

from typing import Optional

from aerospike import _constants as _c

OP_KEY = "op"
BIN_KEY = "bin"
POLICY_KEY = "map_policy"
VALUE_KEY = "val"
KEY_KEY = "key"
INDEX_KEY = "index"
RETURN_TYPE_KEY = "return_type"
INVERTED_KEY = "inverted"
RANGE_KEY = "range"
COUNT_KEY = "count"
RANK_KEY = "rank"
CTX_KEY = "ctx"
MAP_ORDER_KEY = "map_order"
PERSIST_INDEX_KEY = "persist_index"


def _modify(code: int, bin_name, *pairs, ctx=None) -> dict:
    """A map-changing op: ctx kept whenever it is not None."""
    op = {OP_KEY: code, BIN_KEY: bin_name}
    op.update(pairs)
    if ctx is not None:
        op[CTX_KEY] = ctx
    return op


def _read(code: int, bin_name, *pairs, ctx=None) -> dict:
    """A map-reading op: ctx kept only when non-empty."""
    op = {OP_KEY: code, BIN_KEY: bin_name}
    op.update(pairs)
    if ctx:
        op[CTX_KEY] = ctx
    return op


def _relative(code: int, bin_name, anchor: tuple, offset: tuple, return_type, count, inverted,
              ctx) -> dict:
    op = {OP_KEY: code, BIN_KEY: bin_name}
    op.update((anchor, offset, (RETURN_TYPE_KEY, return_type)))
    if count is not None:
        op[COUNT_KEY] = count
    if inverted:
        op[INVERTED_KEY] = True
    if ctx:
        op[CTX_KEY] = ctx
    return op


def _with_policy(op: dict, map_policy, ctx) -> dict:
    if map_policy is not None:
        op[POLICY_KEY] = map_policy
    if ctx is not None:
        op[CTX_KEY] = ctx
    return op


def _key_sorted(items):
    """The official helper sends map_put_items' dict with its keys sorted when they compare
    (a plain dict then); anything else goes unchanged."""
    try:
        return dict(sorted(items.items()))
    except Exception:
        return items


# -- whole map -----------------------------------------------------------------------------------

def map_set_policy(bin_name: str, policy, ctx: Optional[list] = None):
    """Set the map's order (``policy["map_order"]``) and persist-index flag."""
    return _modify(_c.OP_MAP_SET_POLICY, bin_name, (POLICY_KEY, policy), ctx=ctx)


def map_create(bin_name: str, map_order: int, persist_index: bool, ctx: Optional[list] = None):
    """Create a map with ``map_order`` at the bin, or where ``ctx`` points if nothing is there."""
    return _modify(_c.OP_MAP_CREATE, bin_name, (MAP_ORDER_KEY, map_order),
                   (PERSIST_INDEX_KEY, persist_index), ctx=ctx)


def map_put(bin_name: str, key, value, map_policy: Optional[dict] = None, ctx: Optional[list] = None):
    """Put ``key: value``; the server returns the map's size."""
    op = {OP_KEY: _c.OP_MAP_PUT, BIN_KEY: bin_name, KEY_KEY: key, VALUE_KEY: value}
    return _with_policy(op, map_policy, ctx)


def map_put_items(bin_name: str, item_dict, map_policy: Optional[dict] = None,
                  ctx: Optional[list] = None):
    """Put every pair of ``item_dict``; returns the map's size."""
    op = {OP_KEY: _c.OP_MAP_PUT_ITEMS, BIN_KEY: bin_name}
    if map_policy is not None:
        op[POLICY_KEY] = map_policy
    op[VALUE_KEY] = _key_sorted(item_dict)
    if ctx is not None:
        op[CTX_KEY] = ctx
    return op


def map_increment(bin_name: str, key, amount, map_policy: Optional[dict] = None,
                  ctx: Optional[list] = None):
    """Add ``amount`` to the number under ``key``; returns the new number."""
    op = {OP_KEY: _c.OP_MAP_INCREMENT, BIN_KEY: bin_name, KEY_KEY: key, VALUE_KEY: amount}
    return _with_policy(op, map_policy, ctx)


def map_decrement(bin_name: str, key, amount, map_policy: Optional[dict] = None,
                  ctx: Optional[list] = None):
    """Subtract ``amount`` from the number under ``key``; returns the new number."""
    op = {OP_KEY: _c.OP_MAP_DECREMENT, BIN_KEY: bin_name, KEY_KEY: key, VALUE_KEY: amount}
    return _with_policy(op, map_policy, ctx)


def map_size(bin_name: str, ctx: Optional[list] = None):
    """The number of entries."""
    return _modify(_c.OP_MAP_SIZE, bin_name, ctx=ctx)


def map_clear(bin_name: str, ctx: Optional[list] = None):
    """Remove every entry."""
    return _modify(_c.OP_MAP_CLEAR, bin_name, ctx=ctx)


# -- removals ------------------------------------------------------------------------------------

def map_remove_by_key(bin_name: str, key, return_type, ctx: Optional[list] = None):
    """Remove the entry of ``key``."""
    return _modify(_c.OP_MAP_REMOVE_BY_KEY, bin_name, (KEY_KEY, key), (RETURN_TYPE_KEY, return_type),
                   ctx=ctx)


def map_remove_by_key_list(bin_name: str, key_list, return_type, inverted=False,
                           ctx: Optional[list] = None):
    """Remove the entries of the keys in ``key_list``."""
    return _modify(_c.OP_MAP_REMOVE_BY_KEY_LIST, bin_name, (VALUE_KEY, key_list),
                   (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_key_range(bin_name: str, key_range_start, key_range_end, return_type,
                            inverted=False, ctx: Optional[list] = None):
    """Remove the entries with ``key_range_start <= key < key_range_end``."""
    return _modify(_c.OP_MAP_REMOVE_BY_KEY_RANGE, bin_name, (KEY_KEY, key_range_start),
                   (VALUE_KEY, key_range_end), (RETURN_TYPE_KEY, return_type),
                   (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_value(bin_name: str, value, return_type, inverted=False,
                        ctx: Optional[list] = None):
    """Remove the entries whose value equals ``value``."""
    return _modify(_c.OP_MAP_REMOVE_BY_VALUE, bin_name, (VALUE_KEY, value),
                   (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_value_list(bin_name: str, value_list, return_type, inverted=False,
                             ctx: Optional[list] = None):
    """Remove the entries whose value is in ``value_list``."""
    return _modify(_c.OP_MAP_REMOVE_BY_VALUE_LIST, bin_name, (VALUE_KEY, value_list),
                   (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_value_range(bin_name: str, value_start, value_end, return_type, inverted=False,
                              ctx: Optional[list] = None):
    """Remove the entries with ``value_start <= value < value_end``."""
    return _modify(_c.OP_MAP_REMOVE_BY_VALUE_RANGE, bin_name, (VALUE_KEY, value_start),
                   (RANGE_KEY, value_end), (RETURN_TYPE_KEY, return_type),
                   (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_index(bin_name: str, index, return_type, ctx: Optional[list] = None):
    """Remove the entry at ``index`` (key order)."""
    return _modify(_c.OP_MAP_REMOVE_BY_INDEX, bin_name, (INDEX_KEY, index),
                   (RETURN_TYPE_KEY, return_type), ctx=ctx)


def map_remove_by_index_range(bin_name: str, index_start, remove_amt, return_type, inverted=False,
                              ctx: Optional[list] = None):
    """Remove ``remove_amt`` entries from ``index_start``."""
    return _modify(_c.OP_MAP_REMOVE_BY_INDEX_RANGE, bin_name, (INDEX_KEY, index_start),
                   (VALUE_KEY, remove_amt), (RETURN_TYPE_KEY, return_type),
                   (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_rank(bin_name: str, rank, return_type, ctx: Optional[list] = None):
    """Remove the entry whose value has rank ``rank``."""
    return _modify(_c.OP_MAP_REMOVE_BY_RANK, bin_name, (INDEX_KEY, rank),
                   (RETURN_TYPE_KEY, return_type), ctx=ctx)


def map_remove_by_rank_range(bin_name: str, rank_start, remove_amt, return_type, inverted=False,
                             ctx: Optional[list] = None):
    """Remove ``remove_amt`` entries from value rank ``rank_start``."""
    return _modify(_c.OP_MAP_REMOVE_BY_RANK_RANGE, bin_name, (INDEX_KEY, rank_start),
                   (VALUE_KEY, remove_amt), (RETURN_TYPE_KEY, return_type),
                   (INVERTED_KEY, inverted), ctx=ctx)


def map_remove_by_value_rank_range_relative(bin_name: str, value, offset, return_type, count=None,
                                            inverted=False, ctx: Optional[list] = None):
    """Remove ``count`` entries (all when None) from the rank ``value`` would have, plus
    ``offset``."""
    return _relative(_c.OP_MAP_REMOVE_BY_VALUE_RANK_RANGE_REL, bin_name, (VALUE_KEY, value),
                     (RANK_KEY, offset), return_type, count, inverted, ctx)


def map_remove_by_key_index_range_relative(bin_name: str, key, offset, return_type, count=None,
                                           inverted=False, ctx: Optional[list] = None):
    """Remove ``count`` entries (all when None) from the index ``key`` would have, plus
    ``offset``."""
    return _relative(_c.OP_MAP_REMOVE_BY_KEY_INDEX_RANGE_REL, bin_name, (KEY_KEY, key),
                     (INDEX_KEY, offset), return_type, count, inverted, ctx)


# -- reads ---------------------------------------------------------------------------------------

def map_get_by_key(bin_name: str, key, return_type, ctx: Optional[list] = None):
    """The entry of ``key``."""
    return _read(_c.OP_MAP_GET_BY_KEY, bin_name, (KEY_KEY, key), (RETURN_TYPE_KEY, return_type),
                 ctx=ctx)


def map_get_by_key_range(bin_name: str, key_range_start, key_range_end, return_type, inverted=False,
                         ctx: Optional[list] = None):
    """The entries with ``key_range_start <= key < key_range_end``."""
    return _read(_c.OP_MAP_GET_BY_KEY_RANGE, bin_name, (KEY_KEY, key_range_start),
                 (RANGE_KEY, key_range_end), (RETURN_TYPE_KEY, return_type),
                 (INVERTED_KEY, inverted), ctx=ctx)


def map_get_by_key_list(bin_name: str, key_list, return_type, inverted=False,
                        ctx: Optional[list] = None):
    """The entries of the keys in ``key_list``."""
    return _read(_c.OP_MAP_GET_BY_KEY_LIST, bin_name, (VALUE_KEY, key_list),
                 (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_get_by_value(bin_name: str, value, return_type, inverted=False, ctx: Optional[list] = None):
    """The entries whose value equals ``value``."""
    return _read(_c.OP_MAP_GET_BY_VALUE, bin_name, (VALUE_KEY, value),
                 (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_get_by_value_range(bin_name: str, value_start, value_end, return_type, inverted=False,
                           ctx: Optional[list] = None):
    """The entries with ``value_start <= value < value_end``."""
    return _read(_c.OP_MAP_GET_BY_VALUE_RANGE, bin_name, (VALUE_KEY, value_start),
                 (RANGE_KEY, value_end), (RETURN_TYPE_KEY, return_type),
                 (INVERTED_KEY, inverted), ctx=ctx)


def map_get_by_value_list(bin_name: str, key_list, return_type, inverted=False,
                          ctx: Optional[list] = None):
    """The entries whose value is in ``key_list`` (a list of values)."""
    return _read(_c.OP_MAP_GET_BY_VALUE_LIST, bin_name, (VALUE_KEY, key_list),
                 (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted), ctx=ctx)


def map_get_by_index(bin_name: str, index, return_type, ctx: Optional[list] = None):
    """The entry at ``index`` (key order)."""
    return _read(_c.OP_MAP_GET_BY_INDEX, bin_name, (INDEX_KEY, index),
                 (RETURN_TYPE_KEY, return_type), ctx=ctx)


def map_get_by_index_range(bin_name: str, index_start, get_amt, return_type, inverted=False,
                           ctx: Optional[list] = None):
    """``get_amt`` entries from ``index_start``."""
    return _read(_c.OP_MAP_GET_BY_INDEX_RANGE, bin_name, (INDEX_KEY, index_start),
                 (VALUE_KEY, get_amt), (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted),
                 ctx=ctx)


def map_get_by_rank(bin_name: str, rank, return_type, ctx: Optional[list] = None):
    """The entry whose value has rank ``rank``."""
    return _read(_c.OP_MAP_GET_BY_RANK, bin_name, (INDEX_KEY, rank), (RETURN_TYPE_KEY, return_type),
                 ctx=ctx)


def map_get_by_rank_range(bin_name: str, rank_start, get_amt, return_type, inverted=False,
                          ctx: Optional[list] = None):
    """``get_amt`` entries from value rank ``rank_start``."""
    return _read(_c.OP_MAP_GET_BY_RANK_RANGE, bin_name, (INDEX_KEY, rank_start),
                 (VALUE_KEY, get_amt), (RETURN_TYPE_KEY, return_type), (INVERTED_KEY, inverted),
                 ctx=ctx)


def map_get_by_value_rank_range_relative(bin_name: str, value, offset, return_type, count=None,
                                         inverted=False, ctx: Optional[list] = None):
    """``count`` entries (all when None) from the rank ``value`` would have, plus ``offset``."""
    return _relative(_c.OP_MAP_GET_BY_VALUE_RANK_RANGE_REL, bin_name, (VALUE_KEY, value),
                     (RANK_KEY, offset), return_type, count, inverted, ctx)


def map_get_by_key_index_range_relative(bin_name: str, value, offset, return_type, count=None,
                                        inverted=False, ctx: Optional[list] = None):
    """``count`` entries (all when None) from the index the key ``value`` would have, plus
    ``offset``."""
    return _relative(_c.OP_MAP_GET_BY_KEY_INDEX_RANGE_REL, bin_name, (KEY_KEY, value),
                     (INDEX_KEY, offset), return_type, count, inverted, ctx)
