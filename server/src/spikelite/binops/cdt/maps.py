"""Map operations (CDT op codes 64-110) with the server's semantics (`particle_map.c`).

A map is a values.CdtMap: ``(key, value)`` pairs in *storage* order plus flags. Storage order is
visible to clients (an unordered map comes back in that order), so it follows the server:

- key-ordered maps (any non-zero flags) keep their pairs sorted by key;
- ``put`` of a new key into an unordered map goes in front of the first greater key of the
  map's leading run of ascending keys, else at the end; a replaced key keeps its place;
- ``put_items`` into an unordered map rewrites it sorted by key (the server converts it to its
  "implicit key order" before merging the new items);
- ``set_type`` to an ordered type sorts an unordered map; going back to unordered keeps the order.

Selections follow the server's paths, and each path orders its results in its own way:

- index range: key order (storage order when it takes everything, or when INVERTED);
- rank range: rank order (storage order when INVERTED or for ORDERED_MAP results);
- key interval / value interval / key list / value list: storage order of the selected pairs,
  except the INDEX results of a key list and the RANK results of a value list, which come in the
  order of the items asked for (and the contiguous index/rank ranges of intervals).

Key-ordered maps run key selections through the index-range path. Persisted indexes change
nothing visible except the (server-internal) order index of KEY_VALUE_ORDERED maps, which
spikelite does not keep: PERSIST_INDEX is accepted and dropped when the map is stored.

Return values that a selector cannot produce answer OP_NOT_APPLICABLE, as do INVERTED with a
single-result op, an out-of-range single index or rank, and bad map flags in set_type. Malformed
arguments (bad counts, wrong types, wildcards in stored keys/values, keys that are not int,
string or blob) answer PARAMETER.
"""

from __future__ import annotations

from typing import Any, Callable

from . import values as V
from .values import CdtError, CdtMap, compare, not_applicable, param_error, sort_key
from ...wire import ResultCode

# -- codes --------------------------------------------------------------------------------------

SET_TYPE, ADD, ADD_ITEMS, PUT, PUT_ITEMS, REPLACE, REPLACE_ITEMS = range(64, 71)
INCREMENT, DECREMENT, CLEAR = 73, 74, 75
REMOVE_BY_KEY, REMOVE_BY_INDEX, REMOVE_BY_VALUE, REMOVE_BY_RANK = 76, 77, 78, 79
REMOVE_BY_KEY_LIST, REMOVE_ALL_BY_VALUE, REMOVE_BY_VALUE_LIST, REMOVE_BY_KEY_INTERVAL, \
    REMOVE_BY_INDEX_RANGE, REMOVE_BY_VALUE_INTERVAL, REMOVE_BY_RANK_RANGE, \
    REMOVE_BY_KEY_REL_INDEX_RANGE, REMOVE_BY_VALUE_REL_RANK_RANGE = range(81, 90)
SIZE, GET_BY_KEY, GET_BY_INDEX, GET_BY_VALUE, GET_BY_RANK = range(96, 101)
GET_ALL_BY_VALUE, GET_BY_KEY_INTERVAL, GET_BY_INDEX_RANGE, GET_BY_VALUE_INTERVAL, \
    GET_BY_RANK_RANGE, GET_BY_KEY_LIST, GET_BY_VALUE_LIST, GET_BY_KEY_REL_INDEX_RANGE, \
    GET_BY_VALUE_REL_RANK_RANGE = range(102, 111)

# return types (the low 16 bits of the return-type argument) and the INVERTED flag
RT_NONE, RT_INDEX, RT_REVINDEX, RT_RANK, RT_REVRANK, RT_COUNT, RT_KEY, RT_VALUE, RT_KEY_VALUE = range(9)
RT_INDEX_RANGE, RT_REVINDEX_RANGE, RT_RANK_RANGE, RT_REVRANK_RANGE, RT_EXISTS = range(9, 14)
RT_UNORDERED_MAP, RT_ORDERED_MAP = 16, 17
RESULT_MASK = 0xffff
INVERTED = 0x10000

_INDEX_TYPES = (RT_INDEX, RT_REVINDEX)
_RANK_TYPES = (RT_RANK, RT_REVRANK)
_INDEX_RANGE_TYPES = (RT_INDEX_RANGE, RT_REVINDEX_RANGE)
_RANK_RANGE_TYPES = (RT_RANK_RANGE, RT_REVRANK_RANGE)
_MAP_TYPES = (RT_KEY_VALUE, RT_UNORDERED_MAP, RT_ORDERED_MAP)
_ELEMENT_TYPES = (RT_KEY, RT_VALUE) + _MAP_TYPES
_REVERSED = (RT_REVINDEX, RT_REVRANK, RT_REVINDEX_RANGE, RT_REVRANK_RANGE)

# map write flags (server: NO_OVERWRITE, NO_CREATE, NO_FAIL, DO_PARTIAL)
CREATE_ONLY, UPDATE_ONLY, NO_FAIL, PARTIAL = 0x01, 0x02, 0x04, 0x08

PRESERVE_ORDER = V.MAP_PRESERVE_ORDER
_VALID_FLAGS = V.MAP_KV_ORDERED | V.PERSIST_INDEX
UINT32_MAX = 0xFFFFFFFF

# -- parameters (cdt.c cdt_op_table) ------------------------------------------------------------

P_PAYLOAD, P_STORAGE, P_FLAGS, P_COUNT, P_INDEX = range(5)


class _AbsentArg:
    """An optional argument the client left out (distinct from an explicit nil)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _AbsentArg()

#: code -> (is_modify, parameter kinds, how many of the last ones are optional)
_TABLE: dict[int, tuple[bool, tuple, int]] = {
    SET_TYPE: (True, (P_FLAGS,), 0),
    ADD: (True, (P_STORAGE, P_STORAGE, P_FLAGS), 1),
    ADD_ITEMS: (True, (P_STORAGE, P_FLAGS), 1),
    PUT: (True, (P_STORAGE, P_STORAGE, P_FLAGS, P_FLAGS), 2),
    PUT_ITEMS: (True, (P_STORAGE, P_FLAGS, P_FLAGS), 2),
    REPLACE: (True, (P_STORAGE, P_STORAGE), 0),
    REPLACE_ITEMS: (True, (P_STORAGE,), 0),
    INCREMENT: (True, (P_PAYLOAD, P_PAYLOAD, P_FLAGS), 2),
    DECREMENT: (True, (P_PAYLOAD, P_PAYLOAD, P_FLAGS), 2),
    CLEAR: (True, (), 0),
    REMOVE_BY_KEY: (True, (P_INDEX, P_PAYLOAD), 0),
    REMOVE_BY_VALUE: (True, (P_INDEX, P_PAYLOAD), 0),
    REMOVE_BY_INDEX: (True, (P_INDEX, P_INDEX), 0),
    REMOVE_BY_RANK: (True, (P_INDEX, P_INDEX), 0),
    REMOVE_BY_KEY_LIST: (True, (P_INDEX, P_PAYLOAD), 0),
    REMOVE_ALL_BY_VALUE: (True, (P_INDEX, P_PAYLOAD), 0),
    REMOVE_BY_VALUE_LIST: (True, (P_INDEX, P_PAYLOAD), 0),
    REMOVE_BY_KEY_INTERVAL: (True, (P_INDEX, P_PAYLOAD, P_PAYLOAD), 1),
    REMOVE_BY_INDEX_RANGE: (True, (P_INDEX, P_INDEX, P_COUNT), 1),
    REMOVE_BY_VALUE_INTERVAL: (True, (P_INDEX, P_PAYLOAD, P_PAYLOAD), 1),
    REMOVE_BY_RANK_RANGE: (True, (P_INDEX, P_INDEX, P_COUNT), 1),
    REMOVE_BY_KEY_REL_INDEX_RANGE: (True, (P_INDEX, P_PAYLOAD, P_INDEX, P_COUNT), 1),
    REMOVE_BY_VALUE_REL_RANK_RANGE: (True, (P_INDEX, P_PAYLOAD, P_INDEX, P_COUNT), 1),
    SIZE: (False, (), 0),
    GET_BY_KEY: (False, (P_INDEX, P_PAYLOAD), 0),
    GET_BY_INDEX: (False, (P_INDEX, P_INDEX), 0),
    GET_BY_VALUE: (False, (P_INDEX, P_PAYLOAD), 0),
    GET_BY_RANK: (False, (P_INDEX, P_INDEX), 0),
    GET_ALL_BY_VALUE: (False, (P_INDEX, P_PAYLOAD), 0),
    GET_BY_KEY_INTERVAL: (False, (P_INDEX, P_PAYLOAD, P_PAYLOAD), 1),
    GET_BY_INDEX_RANGE: (False, (P_INDEX, P_INDEX, P_COUNT), 1),
    GET_BY_VALUE_INTERVAL: (False, (P_INDEX, P_PAYLOAD, P_PAYLOAD), 1),
    GET_BY_RANK_RANGE: (False, (P_INDEX, P_INDEX, P_COUNT), 1),
    GET_BY_KEY_LIST: (False, (P_INDEX, P_PAYLOAD), 0),
    GET_BY_VALUE_LIST: (False, (P_INDEX, P_PAYLOAD), 0),
    GET_BY_KEY_REL_INDEX_RANGE: (False, (P_INDEX, P_PAYLOAD, P_INDEX, P_COUNT), 1),
    GET_BY_VALUE_REL_RANK_RANGE: (False, (P_INDEX, P_PAYLOAD, P_INDEX, P_COUNT), 1),
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _params(args: list, kinds: tuple, optional: int) -> list:
    """The op's arguments checked like cdt_process_state_get_params (ABSENT for omitted ones)."""
    if not kinds:
        return []  # ops without parameters ignore whatever follows
    if len(args) < len(kinds) - optional or len(args) > len(kinds):
        raise param_error("map op takes %d..%d arguments, got %d"
                          % (len(kinds) - optional, len(kinds), len(args)))
    out = []
    for kind, arg in zip(kinds, args):
        if kind == P_STORAGE:
            if V.has_nonstorage(arg):
                raise param_error("wildcard/infinity cannot be stored")
        elif kind in (P_FLAGS, P_COUNT):
            if not _is_int(arg):
                raise param_error("expected an unsigned integer")
            arg = V.as_uint64(arg)
        elif kind == P_INDEX:
            if not _is_int(arg):
                raise param_error("expected an integer")
        out.append(arg)
    out.extend([ABSENT] * (len(kinds) - len(out)))
    return out


# -- map helpers --------------------------------------------------------------------------------


def _k_ordered(m: CdtMap) -> bool:
    """Storage sorted by key (server is_k_ordered: any flag, including persist alone)."""
    return m.flags != 0


def _key_order(m: CdtMap) -> list[int]:
    """Storage positions in key order."""
    if _k_ordered(m):
        return list(range(len(m)))
    keys = [sort_key(k) for k, _ in m]
    return sorted(range(len(m)), key=keys.__getitem__)


def _rank_order(m: CdtMap) -> list[int]:
    """Storage positions in value order (equal values by key order)."""
    korder = _key_order(m)
    keyrank = {pos: i for i, pos in enumerate(korder)}
    values = [sort_key(v) for _, v in m]
    return sorted(range(len(m)), key=lambda pos: (values[pos], keyrank[pos]))


def _positions_to(order: list[int]) -> dict[int, int]:
    return {pos: i for i, pos in enumerate(order)}


def _lower_bound_key(m: CdtMap, key: Any) -> int:
    """First storage position of a key-ordered map whose key is not below `key`."""
    lo, hi = 0, len(m)
    while lo < hi:
        mid = (lo + hi) // 2
        if compare(m[mid][0], key) < 0:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _find_key(m: CdtMap, key: Any) -> int:
    """Storage position of `key`, -1 when absent."""
    if _k_ordered(m):
        pos = _lower_bound_key(m, key)
        return pos if pos < len(m) and compare(m[pos][0], key) == 0 else -1
    for i, (k, _) in enumerate(m):
        if compare(k, key) == 0:
            return i
    return -1


def _count_less_keys(m: CdtMap, key: Any) -> int:
    return sum(1 for k, _ in m if compare(k, key) < 0)


def _count_less_values(m: CdtMap, value: Any) -> int:
    return sum(1 for _, v in m if compare(v, value) < 0)


def _sorted_by_key(pairs) -> list:
    return sorted(pairs, key=lambda kv: sort_key(kv[0]))


def _is_map_key(key: Any) -> bool:
    """particle_map.c map_is_key: integers, strings and (non-empty, prefix 4) blobs."""
    if _is_int(key):
        return True
    if isinstance(key, str):
        return not isinstance(key, V.Geo)
    if isinstance(key, V.Blob):
        return key.prefix == 4
    return isinstance(key, (bytes, bytearray))


def _wrap64(value: int) -> int:
    return ((value + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)


def _int_range(start: int, count: int, size: int, rev: bool) -> list[int]:
    """cdt_container_builder_add_int_range: a reversed range keeps ascending order."""
    if rev:
        start = size - start - count
    return list(range(start, start + count))


# -- results ------------------------------------------------------------------------------------


class _Op:
    """One selection: the map, the return type, flags and whether it changes the map."""

    def __init__(self, m: CdtMap, return_type: int, multi: bool, is_modify: bool,
                 target: V.Target | None):
        rt = V.as_uint64(return_type)
        self.m = m
        self.n = len(m)
        self.rt = rt & RESULT_MASK
        self.inverted = bool(rt & ~RESULT_MASK & INVERTED)
        self.multi = multi
        self.is_modify = is_modify
        self.target = target

    @property
    def rev(self) -> bool:
        return self.rt in _REVERSED

    def remove(self, positions) -> None:
        if not self.is_modify:
            return
        drop = set(positions)
        if not drop:
            return
        kept = CdtMap([pair for i, pair in enumerate(self.m) if i not in drop], self.m.flags)
        self.target.set(kept)

    def remove_range(self, start: int, count: int) -> None:
        self.remove(range(start, start + count))

    # result builders ------------------------------------------------------------------------

    def not_found(self, index: int) -> Any:
        """cdt.c result_data_set_not_found."""
        rt = self.rt
        if rt == RT_NONE:
            return None
        if rt in _INDEX_RANGE_TYPES or rt in _RANK_RANGE_TYPES:
            return [index, 0]
        if rt in _INDEX_TYPES or rt in _RANK_TYPES:
            return [] if self.multi else -1
        if rt == RT_COUNT:
            return 0
        if rt == RT_EXISTS:
            return False
        if rt in (RT_KEY, RT_VALUE):
            return [] if self.multi else None
        if rt in _MAP_TYPES:
            return CdtMap([], _result_map_flags(rt))
        raise not_applicable("invalid return type %d" % rt)

    def key_not_found(self, index: int) -> Any:
        if self.rt in _RANK_RANGE_TYPES:
            raise not_applicable("return type %d not supported here" % self.rt)
        return self.not_found(index)

    def value_not_found(self, rank: int) -> Any:
        if self.rt in _INDEX_RANGE_TYPES:
            raise not_applicable("return type %d not supported here" % self.rt)
        return self.not_found(rank)

    def index_rank_count(self, start: int, count: int, inverted: bool) -> Any:
        """cdt.c result_data_set_index_rank_count."""
        rt, n = self.rt, self.n
        if rt == RT_NONE:
            return None
        if rt == RT_COUNT:
            return n - count if inverted else count
        if rt == RT_EXISTS:
            return count == 0 if inverted else count != 0
        if rt in _INDEX_TYPES or rt in _RANK_TYPES:
            rev = self.rev
            if not self.multi:
                if count == 0:
                    return -1
                return n - start - 1 if rev else start
            if inverted:
                return _int_range(0, start, n, rev) + _int_range(start + count, n - start - count, n, rev)
            return _int_range(start, count, n, rev)
        raise not_applicable("invalid return type %d" % rt)

    def set_range(self, start: int, count: int, inverted: bool) -> Any:
        """cdt.c result_data_set_range."""
        rt = self.rt
        if rt == RT_NONE:
            return None
        if rt in (RT_COUNT, RT_EXISTS) or rt in _INDEX_TYPES or rt in _RANK_TYPES:
            return self.index_rank_count(start, count, inverted)
        if rt in _INDEX_RANGE_TYPES or rt in _RANK_RANGE_TYPES:
            if rt in _REVERSED:
                start = self.n - start - count
            if inverted:
                raise not_applicable("range return types cannot be INVERTED")
            return [start, count]
        raise not_applicable("invalid return type %d" % rt)

    def elements(self, positions: list[int]) -> Any:
        """KEY / VALUE / map results of the given storage positions, in that order."""
        m, rt = self.m, self.rt
        if rt in _MAP_TYPES:
            if not self.multi:
                positions = positions[:1]
            pairs = [m[i] for i in positions]
            if rt == RT_ORDERED_MAP and not _k_ordered(m):
                pairs = _sorted_by_key(pairs)
            return CdtMap(pairs, _result_map_flags(rt))
        part = 0 if rt == RT_KEY else 1
        if not self.multi:
            return m[positions[0]][part] if positions else None
        return [m[i][part] for i in positions]

    def _places(self, order: list[int], positions: list[int]) -> Any:
        """Places in `order` (key order or rank order) of storage positions, in the given order."""
        place = _positions_to(order)
        out = [place[p] for p in positions]
        if self.rev:
            out = [self.n - i - 1 for i in out]
        if not self.multi:
            return out[0] if out else -1
        return out

    def indexes(self, positions: list[int]) -> Any:
        """Key indexes of storage positions, in the given order."""
        return self._places(_key_order(self.m), positions)

    def ranks(self, positions: list[int]) -> Any:
        """Ranks of storage positions, in the given order."""
        return self._places(_rank_order(self.m), positions)

    def complement(self, positions) -> list[int]:
        chosen = set(positions)
        return [i for i in range(self.n) if i not in chosen]


def _result_map_flags(rt: int) -> int:
    if rt == RT_KEY_VALUE:
        return PRESERVE_ORDER
    if rt == RT_ORDERED_MAP:
        return V.MAP_K_ORDERED
    return 0


# -- selections ---------------------------------------------------------------------------------


def _calc_index_count(op: _Op, index: int, count: int) -> tuple[int, int]:
    if op.multi:
        return V.index_count_multi(index, count, op.n)
    found = V.index_count_single(index, count, op.n)
    if found is None:
        raise not_applicable("index/rank %d out of bounds for %d elements" % (index, op.n))
    return found


def _remove_all(op: _Op) -> Any:
    """packed_map_get_remove_all (never INVERTED)."""
    m, n, rt = op.m, op.n, op.rt
    if op.is_modify:
        op.target.set(CdtMap([], m.flags))
    if rt == RT_NONE:
        return None
    if rt in _INDEX_TYPES or rt in _RANK_TYPES:
        if not op.multi:
            return 0
        return _int_range(0, n, n, op.rev)
    if rt == RT_COUNT:
        return n
    if rt == RT_EXISTS:
        return n != 0
    if rt in _ELEMENT_TYPES:
        return op.elements(list(range(n)))
    if rt in _INDEX_RANGE_TYPES or rt in _RANK_RANGE_TYPES:
        return [0, n]
    raise not_applicable("invalid return type %d" % rt)


def _reduce_inverted(op: _Op, start: int, count: int) -> tuple[int, int, bool]:
    """An INVERTED range that is a head, tail or everything becomes a plain range."""
    n = op.n
    if count == 0:
        return 0, n, False
    if start == 0:
        return count, n - count, False
    if start + count >= n:
        return 0, start, False
    return start, count, True


def _by_index_range(op: _Op, index: int, count: int) -> Any:
    start, count = _calc_index_count(op, index, count)
    if op.rt in _RANK_RANGE_TYPES:
        raise not_applicable("rank range results for an index selection")
    inverted = False
    if op.inverted:
        if not op.multi:
            raise not_applicable("INVERTED on a single-result op")
        start, count, inverted = _reduce_inverted(op, start, count)
        if inverted and _k_ordered(op.m):
            return _trim_ordered(op, start, count)
    if count == 0:
        return op.key_not_found(start)
    if count == op.n:
        return _remove_all(op)
    m, rt = op.m, op.rt
    if _k_ordered(m):
        op.remove_range(start, count)
        chosen = list(range(start, start + count))
        if rt in _ELEMENT_TYPES:
            return op.elements(chosen)
        if rt in _RANK_TYPES:
            return op.ranks(chosen)
        return op.set_range(start, count, False)
    chosen = _key_order(m)[start:start + count]
    mask = op.complement(chosen) if inverted else chosen
    op.remove(mask)
    if rt in _RANK_TYPES:
        return op.ranks(sorted(mask) if inverted else chosen)
    if rt in _ELEMENT_TYPES:
        return op.elements(sorted(mask) if inverted else chosen)
    return op.set_range(start, count, inverted)


def _trim_ordered(op: _Op, start: int, count: int) -> Any:
    """INVERTED middle range of a key-ordered map: everything outside [start, start+count)."""
    n, rt = op.n, op.rt
    outside = list(range(0, start)) + list(range(start + count, n))
    removed = n - count
    op.remove(outside)
    if rt == RT_NONE:
        return None
    if rt == RT_COUNT:
        return removed
    if rt == RT_EXISTS:
        return removed != 0
    if rt in _INDEX_TYPES:
        rev = op.rev
        return _int_range(0, start, n, rev) + _int_range(start + count, n - start - count, n, rev)
    if rt in _RANK_TYPES:
        return op.ranks(outside)
    if rt in _ELEMENT_TYPES:
        return op.elements(outside)
    raise not_applicable("return type %d not supported with INVERTED" % rt)


def _by_rank_range(op: _Op, rank: int, count: int) -> Any:
    start, count = _calc_index_count(op, rank, count)
    if op.rt in _INDEX_RANGE_TYPES:
        raise not_applicable("index range results for a rank selection")
    inverted = False
    if op.inverted:
        if not op.multi:
            raise not_applicable("INVERTED on a single-result op")
        start, count, inverted = _reduce_inverted(op, start, count)
    if count == 0:
        return op.value_not_found(start)
    rt = op.rt
    chosen = _rank_order(op.m)[start:start + count]
    mask = op.complement(chosen) if inverted else chosen
    by_mask = inverted or rt == RT_ORDERED_MAP
    result: Any = None
    if rt in (RT_NONE, RT_COUNT, RT_EXISTS) or rt in _RANK_TYPES:
        result = op.index_rank_count(start, count, inverted)
    elif rt in _INDEX_TYPES:
        result = op.indexes(sorted(mask) if inverted else chosen)
    elif rt in _ELEMENT_TYPES:
        result = op.elements(sorted(mask) if by_mask else chosen)
    elif rt in _RANK_RANGE_TYPES:
        result = op.set_range(start, len(mask), inverted)
    else:
        raise not_applicable("invalid return type %d" % rt)
    op.remove(mask)
    return result


def _by_value_interval(op: _Op, start: Any, end: Any, single_value: bool) -> Any:
    """Values in [start, end) (end ABSENT: no upper bound), or equal to start (single_value)."""
    if op.rt in _INDEX_RANGE_TYPES:
        raise not_applicable("index range results for a value selection")
    if op.inverted and not op.multi:
        raise not_applicable("INVERTED on a single-result op")
    if op.n == 0:
        return op.value_not_found(-1)
    rank = 0
    matches = []
    for i, (_, value) in enumerate(op.m):
        c = compare(value, start)
        if c < 0:
            rank += 1
        elif single_value:
            if c == 0:
                matches.append(i)
        elif end is ABSENT or compare(value, end) < 0:
            matches.append(i)
    if not matches:
        if op.inverted:
            return _remove_all(op)
        return op.value_not_found(rank)
    if not op.multi:
        matches = matches[:1]
    count = len(matches)
    mask = op.complement(matches) if op.inverted else matches
    op.remove(mask)
    if op.rt in _ELEMENT_TYPES:
        return op.elements(mask)
    if op.rt in _INDEX_TYPES:
        return op.indexes(mask)
    return op.set_range(rank, count, op.inverted)


def _by_key_interval(op: _Op, start: Any, end: Any, single_key: bool) -> Any:
    """Keys in [start, end) (end ABSENT: no upper bound), or the key `start` (single_key)."""
    if op.rt in _RANK_RANGE_TYPES:
        raise not_applicable("rank range results for a key selection")
    m = op.m
    if _k_ordered(m):
        index = _lower_bound_key(m, start)
        if single_key:
            count = 1 if index < op.n and compare(m[index][0], start) == 0 else 0
        elif end is not ABSENT:
            count = max(0, _lower_bound_key(m, end) - index)
        else:
            count = op.n - index
        if count == 0 and not op.multi:
            return op.key_not_found(-1)
        return _by_index_range(op, index, count)
    if op.inverted and not op.multi:
        raise not_applicable("INVERTED on a single-result op")
    if single_key:
        pos = _find_key(m, start)
        if pos < 0:
            return op.key_not_found(-1)
        result = _result_by_key(op, pos)
        op.remove([pos])
        return result
    index = 0
    matches = []
    for i, (key, _) in enumerate(m):
        if compare(key, start) < 0:
            index += 1
        elif end is ABSENT or compare(key, end) < 0:
            matches.append(i)
    mask = op.complement(matches) if op.inverted else matches
    op.remove(mask)
    if op.rt in _ELEMENT_TYPES:
        return op.elements(mask)
    if op.rt in _RANK_TYPES:
        return op.ranks(mask)
    return op.set_range(index, len(matches), op.inverted)


def _result_by_key(op: _Op, pos: int) -> Any:
    """packed_map_build_result_by_key for one found key of an unordered map."""
    rt, n = op.rt, op.n
    if rt == RT_NONE:
        return None
    if rt in _INDEX_TYPES or rt in _INDEX_RANGE_TYPES:
        index = _count_less_keys(op.m, op.m[pos][0])
        if rt in _REVERSED:
            index = n - index - 1
        return [index, 1] if rt in _INDEX_RANGE_TYPES else index
    if rt in _RANK_TYPES:
        return op.ranks([pos])
    if rt == RT_COUNT:
        return 1
    if rt == RT_EXISTS:
        return True
    if rt in _ELEMENT_TYPES:
        return op.elements([pos])
    raise not_applicable("invalid return type %d" % rt)


def _item_list(items: Any) -> list:
    if not isinstance(items, list) or isinstance(items, CdtMap):
        raise param_error("expected a list of items")
    return items


def _inverted_ranges(selected: list[int], n: int, rev: bool) -> list[int]:
    """The numbers 0..n-1 outside `selected`, as a run of ranges (each reversed in place)."""
    out: list[int] = []
    prev = 0
    for start in sorted(set(selected)):
        if start > prev:
            out += _int_range(prev, start - prev, n, rev)
        prev = max(prev, start + 1)
    out += _int_range(prev, n - prev, n, rev)
    return out


def _last_occurrences(items: list) -> list[tuple[int, Any]]:
    """(position, item) of each distinct item, at its last position in the list."""
    out = []
    for i, item in enumerate(items):
        if any(compare(item, later) == 0 for later in items[i + 1:]):
            continue
        out.append((i, item))
    return out


def _by_item_list(op: _Op, items: Any, part: int, what: str, empty_invalid: tuple,
                  not_found: Callable[[int], Any], positional: tuple,
                  positional_result: Callable[[list, list, list], Any]) -> Any:
    """Select the pairs whose `part` (0 key, 1 value) equals one of `items`. Return types in
    `positional` get positional_result(items, found, mask); those in `empty_invalid` fail on
    an empty list."""
    items = _item_list(items)
    rt = op.rt
    if not items:
        if rt in empty_invalid:
            raise not_applicable("invalid return type %d for a %s list" % (rt, what))
        if not op.inverted:
            return not_found(0)
        return _remove_all(op)
    found = [i for i, pair in enumerate(op.m) if any(compare(pair[part], item) == 0 for item in items)]
    mask = op.complement(found) if op.inverted else found
    result: Any
    if rt == RT_NONE:
        result = None
    elif rt in positional:
        result = positional_result(items, found, mask)
    elif rt == RT_COUNT:
        result = len(mask)
    elif rt == RT_EXISTS:
        result = bool(mask)
    elif rt in _ELEMENT_TYPES:
        result = op.elements(sorted(mask))
    else:
        raise not_applicable("invalid return type %d for a %s list" % (rt, what))
    op.remove(mask)
    return result


def _by_key_list(op: _Op, items: Any) -> Any:
    m, n = op.m, op.n

    def indexes(items: list, found: list, mask: list) -> list:
        if op.inverted:
            keyindex = _positions_to(_key_order(m))
            if _k_ordered(m):
                return [n - i - 1 if op.rev else i for i in sorted(mask)]
            return _inverted_ranges([keyindex[p] for p in found], n, op.rev)
        result: list = []
        pairs = enumerate(items) if _k_ordered(m) else _last_occurrences(items)
        for _, item in pairs:
            count = sum(1 for key, _ in m if compare(key, item) == 0)
            if count:
                result += _int_range(_count_less_keys(m, item), count, n, op.rev)
        return result
    return _by_item_list(op, items, 0, "key", _RANK_TYPES + _INDEX_RANGE_TYPES + _RANK_RANGE_TYPES,
                         op.key_not_found, _INDEX_TYPES, indexes)


def _by_value_list(op: _Op, items: Any) -> Any:
    m, n = op.m, op.n

    def indexes_or_ranks(items: list, found: list, mask: list) -> Any:
        if op.rt in _INDEX_TYPES:
            return op.indexes(sorted(mask))
        if op.inverted:
            rank = _positions_to(_rank_order(m))
            return _inverted_ranges([rank[p] for p in found], n, op.rev)
        result: list = []
        for _, item in _last_occurrences(items):
            count = sum(1 for _, value in m if compare(value, item) == 0)
            if count:
                result += _int_range(_count_less_values(m, item), count, n, op.rev)
        return result
    return _by_item_list(op, items, 1, "value", _INDEX_RANGE_TYPES + _RANK_RANGE_TYPES,
                         op.not_found, _INDEX_TYPES + _RANK_TYPES, indexes_or_ranks)


def _by_rel_index_range(op: _Op, key: Any, index: int, count: int) -> Any:
    m = op.m
    anchor = _lower_bound_key(m, key) if _k_ordered(m) else _count_less_keys(m, key)
    index, count = V.rel_index_count(index, count, anchor)
    return _by_index_range(op, index, count)


def _by_rel_rank_range(op: _Op, value: Any, rank: int, count: int) -> Any:
    anchor = _count_less_values(op.m, value)
    rank, count = V.rel_index_count(rank, count, anchor)
    return _by_rank_range(op, rank, count)


# -- writes -------------------------------------------------------------------------------------


class _Writer:
    """The map a write op works on (an empty one with the op's flags when there is none yet)."""

    def __init__(self, target: V.Target, create_flags: int):
        self.target = target
        self.top = not target.steps and not target.create
        self.missing = target.value is V.MISSING
        flags = create_flags & 0xff
        if not self.top:
            flags &= ~V.PERSIST_INDEX
        if flags & ~_VALID_FLAGS:
            flags = 0
        self.m = CdtMap([], flags) if self.missing else target.value

    def store(self, m: CdtMap) -> None:
        self.target.set(m)

    def noop(self) -> None:
        """A successful op that changes nothing still leaves a new top-level bin as an empty map."""
        if self.missing and self.top:
            self.target.set(self.m)


_unordered_insert_position = V.unordered_insert_position


def _check_key(key: Any) -> None:
    if not _is_map_key(key):
        raise param_error("map keys must be integers, strings or blobs")


def _put(w: _Writer, key: Any, value: Any, overwrite: bool, create: bool, no_fail: bool,
         set_result: bool = True) -> Any:
    """particle_map.c map_add."""
    _check_key(key)
    m = w.m
    pos = _find_key(m, key)
    if pos >= 0 and not overwrite:
        if no_fail:
            w.noop()
            return len(m) if set_result else None
        raise CdtError(ResultCode.ELEMENT_EXISTS, "map key exists")
    if pos < 0 and not create:
        if no_fail:
            w.noop()
            return len(m) if set_result else None
        raise CdtError(ResultCode.ELEMENT_NOT_FOUND, "map key not found")
    new = CdtMap(m, m.flags)
    if pos >= 0:
        new[pos] = (new[pos][0], value)
    else:
        at = _lower_bound_key(new, key) if _k_ordered(new) else _unordered_insert_position(new, key)
        new.insert(at, (key, value))
    w.store(new)
    return len(new)


def _put_items(w: _Writer, items: Any, overwrite: bool, create: bool, no_fail: bool,
               partial: bool) -> Any:
    """particle_map.c map_add_items (the map is merged in key order)."""
    if not isinstance(items, CdtMap):
        raise param_error("put_items needs a map")
    m = w.m
    if not items:
        if w.missing and w.target.created:
            w.store(m)  # a node still makes the map the context path creates
        else:
            w.noop()
        return len(m)
    latest: list = []
    for key, value in items:  # a key given twice: the last value wins
        latest = [kv for kv in latest if compare(kv[0], key) != 0] + [(key, value)]
    todo = _sorted_by_key(latest)
    base = list(m) if _k_ordered(m) else _sorted_by_key(m)
    if not m:
        if not create:
            if not no_fail:
                raise CdtError(ResultCode.ELEMENT_NOT_FOUND, "map key not found")
            if not partial:
                w.noop()
                return 0
        # (with NO_FAIL|PARTIAL the server writes every item into an empty map, even UPDATE_ONLY)
        w.store(CdtMap(todo, m.flags))
        return len(todo)
    merged = list(base)
    for key, value in todo:
        pos = -1
        for i, (k, _) in enumerate(merged):
            if compare(k, key) == 0:
                pos = i
                break
        if pos >= 0 and not overwrite:
            if no_fail:
                if partial:
                    continue
                w.noop()
                return len(m)
            raise CdtError(ResultCode.ELEMENT_EXISTS, "map key exists")
        if pos < 0 and not create:
            if no_fail:
                if partial:
                    continue
                w.noop()
                return len(m)
            raise CdtError(ResultCode.ELEMENT_NOT_FOUND, "map key not found")
        if pos >= 0:
            merged[pos] = (merged[pos][0], value)
        else:
            merged.insert(_lower_bound_key(CdtMap(merged), key), (key, value))
    w.store(CdtMap(merged, m.flags))
    return len(merged)


def _increment(w: _Writer, key: Any, delta: Any, decrement: bool) -> Any:
    """particle_map.c map_increment (cdt.c cdt_calc_delta)."""
    m = w.m
    pos = _find_key(m, key)
    if delta is ABSENT or delta is None:
        kind, step = "int", 1
    elif _is_int(delta):
        kind, step = "int", delta
    elif isinstance(delta, float):
        kind, step = "float", float(delta)
    else:
        raise param_error("increment delta must be an integer or a float")
    if decrement:
        step = -step
    if pos >= 0:
        current = m[pos][1]
        if _is_int(current):
            new_value: Any = _wrap64(current + (int(step) if kind == "float" else step))
        elif isinstance(current, float):
            new_value = float(current) + float(step)
        else:
            raise param_error("map value to increment is not a number")
    else:
        new_value = float(step) if kind == "float" else _wrap64(step)
    _put(w, key, new_value, True, True, False, set_result=False)
    return new_value


def _set_type(target: V.Target, flags: int) -> None:
    """particle_map.c map_set_flags."""
    flags &= 0xff
    if flags & ~_VALID_FLAGS:
        raise not_applicable("invalid map flags 0x%x" % flags)
    top = not target.steps and not target.create
    if not top:
        flags &= ~V.PERSIST_INDEX
    m = CdtMap([], 0) if target.value is V.MISSING else target.value
    pairs = list(m)
    if len(pairs) > 1 and not _k_ordered(m) and flags:
        pairs = _sorted_by_key(pairs)
    target.set(CdtMap(pairs, flags))


# -- entry point --------------------------------------------------------------------------------

_SINGLE_KEY = {REMOVE_BY_KEY, GET_BY_KEY}
_KEY_INTERVAL = {REMOVE_BY_KEY_INTERVAL, GET_BY_KEY_INTERVAL}
_SINGLE_VALUE = {REMOVE_BY_VALUE, GET_BY_VALUE}
_ALL_BY_VALUE = {REMOVE_ALL_BY_VALUE, GET_ALL_BY_VALUE}
_VALUE_INTERVAL = {REMOVE_BY_VALUE_INTERVAL, GET_BY_VALUE_INTERVAL}
_SINGLE_INDEX = {REMOVE_BY_INDEX, GET_BY_INDEX}
_INDEX_RANGE = {REMOVE_BY_INDEX_RANGE, GET_BY_INDEX_RANGE}
_SINGLE_RANK = {REMOVE_BY_RANK, GET_BY_RANK}
_RANK_RANGE = {REMOVE_BY_RANK_RANGE, GET_BY_RANK_RANGE}
_KEY_LIST = {REMOVE_BY_KEY_LIST, GET_BY_KEY_LIST}
_VALUE_LIST = {REMOVE_BY_VALUE_LIST, GET_BY_VALUE_LIST}
_REL_INDEX = {REMOVE_BY_KEY_REL_INDEX_RANGE, GET_BY_KEY_REL_INDEX_RANGE}
_REL_RANK = {REMOVE_BY_VALUE_REL_RANK_RANGE, GET_BY_VALUE_REL_RANK_RANGE}
_MULTI = _KEY_INTERVAL | _ALL_BY_VALUE | _VALUE_INTERVAL | _INDEX_RANGE | _RANK_RANGE | _KEY_LIST \
    | _VALUE_LIST | _REL_INDEX | _REL_RANK


def execute(code: int, args: list, target: V.Target, is_modify: bool) -> Any:
    entry = _TABLE.get(code)
    if entry is None or entry[0] != is_modify:
        raise param_error("invalid map op %d for %s" % (code, "modify" if is_modify else "read"))
    _, kinds, optional = entry
    missing = target.value is V.MISSING

    if code == SET_TYPE:
        (flags,) = _params(args, kinds, optional)
        _set_type(target, flags)
        return None
    if code in (ADD, PUT, REPLACE):
        key, value, flags, modify = (_params(args, kinds, optional) + [ABSENT] * 2)[:4]
        w = _Writer(target, 0 if flags is ABSENT or code == REPLACE else flags)
        if code == ADD:
            return _put(w, key, value, False, True, False)
        if code == REPLACE:
            return _put(w, key, value, True, False, False)
        modify = 0 if modify is ABSENT else modify
        return _put(w, key, value, not modify & CREATE_ONLY, not modify & UPDATE_ONLY,
                    bool(modify & NO_FAIL))
    if code in (ADD_ITEMS, PUT_ITEMS):
        items, flags, modify = (_params(args, kinds, optional) + [ABSENT])[:3]
        w = _Writer(target, 0 if flags is ABSENT else flags)
        if code == ADD_ITEMS:
            return _put_items(w, items, False, True, False, False)
        modify = 0 if modify is ABSENT else modify
        return _put_items(w, items, not modify & CREATE_ONLY, not modify & UPDATE_ONLY,
                          bool(modify & NO_FAIL), bool(modify & PARTIAL))
    if code == REPLACE_ITEMS:
        if missing:
            raise CdtError(ResultCode.ELEMENT_NOT_FOUND, "no map to replace items in")
        (items,) = _params(args, kinds, optional)
        return _put_items(_Writer(target, 0), items, True, False, False, False)
    if code in (INCREMENT, DECREMENT):
        key, delta, flags = _params(args, kinds, optional)
        w = _Writer(target, 0 if flags is ABSENT else flags)
        return _increment(w, key, delta, code == DECREMENT)

    # clear and the selections: on a map that does not exist (yet) a modify is a no-op
    if is_modify and missing:
        return None
    if code == CLEAR:
        target.set(CdtMap([], target.value.flags))
        return None
    m = target.value
    if code == SIZE:
        return len(m)

    params = _params(args, kinds, optional)
    op = _Op(m, params[0], code in _MULTI, is_modify, target)
    rest = params[1:]
    if code in _SINGLE_KEY:
        return _by_key_interval(op, rest[0], rest[0], True)
    if code in _KEY_INTERVAL:
        return _by_key_interval(op, rest[0], rest[1], False)
    if code in _SINGLE_VALUE or code in _ALL_BY_VALUE:
        return _by_value_interval(op, rest[0], rest[0], True)
    if code in _VALUE_INTERVAL:
        return _by_value_interval(op, rest[0], rest[1], False)
    if code in _SINGLE_INDEX:
        return _by_index_range(op, rest[0], 1)
    if code in _INDEX_RANGE:
        return _by_index_range(op, rest[0], UINT32_MAX if rest[1] is ABSENT else rest[1])
    if code in _SINGLE_RANK:
        return _by_rank_range(op, rest[0], 1)
    if code in _RANK_RANGE:
        return _by_rank_range(op, rest[0], UINT32_MAX if rest[1] is ABSENT else rest[1])
    if code in _KEY_LIST:
        return _by_key_list(op, rest[0])
    if code in _VALUE_LIST:
        return _by_value_list(op, rest[0])
    if code in _REL_INDEX:
        return _by_rel_index_range(op, rest[0], rest[1], UINT32_MAX if rest[2] is ABSENT else rest[2])
    if code in _REL_RANK:
        return _by_rel_rank_range(op, rest[0], rest[1], UINT32_MAX if rest[2] is ABSENT else rest[2])
    raise param_error("invalid map op %d" % code)
