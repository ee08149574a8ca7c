"""List operations (CDT op codes 0-40) with the server's semantics (`particle_list.c`).

Every op works on a decoded list (values.CdtList). Notes on behaviour taken from the server:

- Selections go through four paths, as in the server: index range (also used for everything on
  ORDERED lists, where rank == index), rank range, value interval (single value, all-by-value and
  value ranges) and value list. Each path orders its results in its own way: e.g. VALUE results
  of a rank range come in rank order, those of a value interval in index order, and RANK results
  of a value list in the order of the values asked for.
- A single-result op (get/remove by index, rank or value) with INVERTED fails with
  OP_NOT_APPLICABLE, as does an out-of-range single index or rank; ranges are clipped.
- Return types a list cannot produce (KEY, KEY_VALUE, the map types) answer OP_NOT_APPLICABLE.
- remove/pop/trim/clear on a missing bin are no-ops that create nothing; the other modify ops
  create the list (append, increment with the order given in the op; insert, set unordered).
- TRIM answers the number of elements it removed (server: COUNT with INVERTED over the range).
- SORT with DESCENDING and DROP_DUPLICATES fails with PARAMETER as soon as the list holds two
  distinct values (the server's duplicate scan expects ascending order).
"""

from __future__ import annotations

from typing import Any

from . import values as V
from .values import CdtList, compare, param_error, not_applicable, sort_key

# -- codes --------------------------------------------------------------------------------------

SET_TYPE, APPEND, APPEND_ITEMS, INSERT, INSERT_ITEMS, POP, POP_RANGE, REMOVE, REMOVE_RANGE, SET, \
    TRIM, CLEAR, INCREMENT, SORT = range(14)
SIZE, GET, GET_RANGE, GET_BY_INDEX, GET_BY_VALUE, GET_BY_RANK, GET_ALL_BY_VALUE, \
    GET_ALL_BY_VALUE_LIST, GET_BY_INDEX_RANGE, GET_BY_VALUE_INTERVAL, GET_BY_RANK_RANGE, \
    GET_BY_VALUE_REL_RANK_RANGE = range(16, 28)
REMOVE_BY_INDEX, REMOVE_BY_VALUE, REMOVE_BY_RANK, REMOVE_ALL_BY_VALUE, REMOVE_ALL_BY_VALUE_LIST, \
    REMOVE_BY_INDEX_RANGE, REMOVE_BY_VALUE_INTERVAL, REMOVE_BY_RANK_RANGE, \
    REMOVE_BY_VALUE_REL_RANK_RANGE = range(32, 41)

# return types
RT_NONE, RT_INDEX, RT_REVINDEX, RT_RANK, RT_REVRANK, RT_COUNT, RT_KEY, RT_VALUE, RT_KEY_VALUE, \
    RT_INDEX_RANGE, RT_REVINDEX_RANGE, RT_RANK_RANGE, RT_REVRANK_RANGE, RT_EXISTS = range(14)
RESULT_MASK = 0xffff
INVERTED = 0x10000

# write flags
ADD_UNIQUE, INSERT_BOUNDED, NO_FAIL, DO_PARTIAL = 0x01, 0x02, 0x04, 0x08
# sort flags
SORT_DESCENDING, SORT_DROP_DUPLICATES = 0x01, 0x02

INT64_MIN = -(1 << 63)
INT32_MAX = (1 << 31) - 1
UINT32_MAX = 0xFFFFFFFF

# parameter kinds (cdt.c cdt_op_table)
P_PAYLOAD, P_STORAGE, P_FLAGS, P_COUNT, P_INDEX = range(5)


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


# -- parameters ---------------------------------------------------------------------------------

def _params(args: list, kinds: tuple, optional: int) -> list:
    """Arguments checked like cdt_process_state_get_params (PARAMETER on any mismatch);
    missing optional arguments are ABSENT."""
    if len(args) < len(kinds) - optional or len(args) > len(kinds):
        raise param_error("wrong number of list op arguments")
    out = []
    for kind, arg in zip(kinds, args):
        if kind in (P_FLAGS, P_COUNT, P_INDEX):
            if isinstance(arg, bool) or not isinstance(arg, int):
                raise param_error("integer argument expected")
            out.append(V.as_uint64(arg) if kind != P_INDEX else arg)
        else:
            if kind == P_STORAGE and V.has_nonstorage(arg):
                raise param_error("wildcard/infinity cannot be stored")
            out.append(arg)
    out.extend([ABSENT] * (len(kinds) - len(out)))
    return out


def _opt(value: Any, default: Any) -> Any:
    return default if value is ABSENT else value


class _Ret:
    """A return type: base type, INVERTED flag and whether the op selects many elements."""

    __slots__ = ("type", "inverted", "multi")

    def __init__(self, result_type: int, multi: bool):
        self.type = result_type & RESULT_MASK
        self.inverted = bool(result_type & ~RESULT_MASK & INVERTED)
        self.multi = multi


# -- result helpers (cdt.c result_data_*) ------------------------------------------------------

def _int_list(values) -> CdtList:
    return CdtList(list(values))


def _not_found(ret: _Ret, index: int) -> Any:
    t = ret.type
    if t == RT_NONE:
        return None
    if t in (RT_INDEX_RANGE, RT_REVINDEX_RANGE, RT_RANK_RANGE, RT_REVRANK_RANGE):
        return _int_list([index, 0])
    if t in (RT_INDEX, RT_REVINDEX, RT_RANK, RT_REVRANK):
        return CdtList() if ret.multi else -1
    if t == RT_COUNT:
        return 0
    if t == RT_EXISTS:
        return False
    if t == RT_VALUE:
        return CdtList() if ret.multi else None
    raise not_applicable("return type %d not supported for lists" % t)


def _index_rank_count(ret: _Ret, start: int, count: int, size: int) -> Any:
    """result_data_set_index_rank_count: a contiguous run of indexes or ranks."""
    t = ret.type
    inverted = ret.inverted
    if t == RT_NONE:
        return None
    if t == RT_COUNT:
        return size - count if inverted else count
    if t == RT_EXISTS:
        return count == 0 if inverted else count != 0
    if t in (RT_INDEX, RT_RANK, RT_REVINDEX, RT_REVRANK):
        rev = t in (RT_REVINDEX, RT_REVRANK)
        if not ret.multi:
            if count == 0:
                return -1
            return size - start - 1 if rev else start
        runs = [(0, start), (start + count, size - start - count)] if inverted else [(start, count)]
        return _int_list(_int_runs(runs, size, rev))
    raise not_applicable("return type %d not supported" % t)


def _int_runs(runs, size: int, rev: bool) -> list[int]:
    """cdt_container_builder_add_int_range per (start, count) run: a reversed run still counts
    upwards (indexes 1-2 of 5 reversed are [2, 3], not [3, 2])."""
    out: list[int] = []
    for start, count in runs:
        if rev:
            start = size - start - count
        out.extend(range(start, start + count))
    return out


def _range_result(ret: _Ret, start: int, count: int, size: int) -> Any:
    """result_data_set_range."""
    t = ret.type
    if t in (RT_NONE, RT_COUNT, RT_EXISTS, RT_INDEX, RT_REVINDEX, RT_RANK, RT_REVRANK):
        return _index_rank_count(ret, start, count, size)
    if t in (RT_INDEX_RANGE, RT_RANK_RANGE, RT_REVINDEX_RANGE, RT_REVRANK_RANGE):
        if ret.inverted:
            raise not_applicable("range return types do not support INVERTED")
        if t in (RT_REVINDEX_RANGE, RT_REVRANK_RANGE):
            start = size - start - count
        return _int_list([start, count])
    raise not_applicable("return type %d not supported" % t)


def _indexes_result(ret: _Ret, indexes: list[int], size: int) -> Any:
    """result_data_set_int_list_by_mask: indexes in ascending order (reversed if REV*)."""
    rev = ret.type in (RT_REVINDEX, RT_REVRANK)
    if not ret.multi:
        idx = indexes[0] if indexes else size
        return size - idx - 1 if rev else idx
    return _int_list(size - i - 1 if rev else i for i in indexes)


def _rank_of(lst: list, value: Any) -> int:
    """Number of elements less than `value` (the server's rank of a value in an unordered list)."""
    return sum(1 for item in lst if compare(item, value) < 0)


# -- list state ---------------------------------------------------------------------------------

class _Op:
    """One op against the target list: the list (a working copy), whether it is a modify op."""

    def __init__(self, target: V.Target, is_modify: bool):
        self.target = target
        self.is_modify = is_modify
        value = target.value
        self.missing = value is V.MISSING
        self.lst: CdtList = CdtList() if self.missing else value

    @property
    def ordered(self) -> bool:
        return self.lst.ordered

    def create(self, flags: int) -> None:
        """cdt_context_use_static_list_if_notinuse: the list a modify op creates."""
        if self.missing:
            if flags & ~(V.LIST_ORDERED | V.PERSIST_INDEX):
                flags = 0
            self.lst = CdtList((), flags & V.LIST_ORDERED)

    def store(self, items: list | None = None) -> None:
        """Write the (changed) list back."""
        if items is not None:
            new = CdtList(items, self.lst.flags)
            if self.missing or self.target.created:
                self.lst = new
            else:
                self.lst[:] = new
        if self.missing or self.target.created:
            self.target.set(self.lst)
            self.missing = False
        else:
            self.target.unwind()

    def remove_indexes(self, indexes) -> None:
        if not self.is_modify:
            return
        drop = set(indexes)
        if drop:
            self.store([item for i, item in enumerate(self.lst) if i not in drop])


# -- selection paths ----------------------------------------------------------------------------

def _by_index_range(op: _Op, ret: _Ret, index: int, count: int) -> Any:
    lst = op.lst
    size = len(lst)
    if ret.multi:
        uindex, ucount = V.index_count_multi(index, count, size)
    else:
        found = V.index_count_single(index, count, size)
        if found is None:
            raise not_applicable("index %d out of bounds for %d elements" % (index, size))
        uindex, ucount = found
    if ret.inverted:
        if not ret.multi:
            raise not_applicable("INVERTED is not supported for single results")
        if ret.type in (RT_INDEX_RANGE, RT_REVINDEX_RANGE, RT_RANK_RANGE, RT_REVRANK_RANGE):
            raise not_applicable("range return types do not support INVERTED")
        ret = _Ret(ret.type, True)
        if ucount == 0:
            uindex, ucount = 0, size
        elif uindex == 0:
            uindex, ucount = ucount, size - ucount
        elif uindex + ucount >= size:
            uindex, ucount = 0, uindex
        else:
            return _trim(op, ret, uindex, ucount)
    if ucount == 0:
        return _not_found(ret, uindex)
    removed = list(range(uindex, uindex + ucount))
    picked_values = lst[uindex:uindex + ucount]
    t = ret.type
    # the result is computed on the list before the removal
    if t == RT_NONE:
        result = None
    elif t in (RT_INDEX, RT_REVINDEX):
        result = _index_rank_count(ret, uindex, ucount, size)
    elif t in (RT_RANK, RT_REVRANK):
        rev = t == RT_REVRANK
        if size - ucount == 0:
            result = _index_rank_count(ret, 0, ucount, size)
        elif not ret.multi:
            rank = uindex if op.ordered else _rank_of(lst, lst[uindex])
            result = size - rank - 1 if rev else rank
        elif op.ordered:
            result = _int_list(_int_runs([(uindex, ucount)], size, rev))
        else:
            ranks = [_rank_of(lst, item) for item in picked_values]
            result = _int_list(size - r - 1 if rev else r for r in ranks)
    elif t == RT_COUNT:
        result = ucount
    elif t == RT_EXISTS:
        result = True
    elif t == RT_VALUE:
        result = CdtList(picked_values) if ret.multi else picked_values[0]
    elif t in (RT_INDEX_RANGE, RT_REVINDEX_RANGE):
        start = size - uindex - ucount if t == RT_REVINDEX_RANGE else uindex
        result = _int_list([start, ucount])
    elif t in (RT_RANK_RANGE, RT_REVRANK_RANGE) and op.ordered:
        result = _range_result(ret, uindex, ucount, size)
    else:
        raise not_applicable("return type %d not supported" % t)
    op.remove_indexes(removed)
    return result


def _trim(op: _Op, ret: _Ret, index: int, count: int) -> Any:
    """packed_list_trim: keep [index, index + count), remove the rest."""
    lst = op.lst
    size = len(lst)
    end = index + count
    removed = list(range(0, index)) + list(range(end, size))
    t = ret.type
    if t == RT_NONE:
        result = None
    elif t == RT_COUNT:
        result = len(removed)
    elif t == RT_EXISTS:
        result = bool(removed)
    elif t in (RT_INDEX, RT_REVINDEX) or (t in (RT_RANK, RT_REVRANK) and op.ordered):
        result = _int_list(_int_runs([(0, index), (end, size - end)], size, t in (RT_REVINDEX, RT_REVRANK)))
    elif t in (RT_RANK, RT_REVRANK):
        rev = t == RT_REVRANK
        if op.ordered:
            ranks = removed
        else:
            ranks = [_rank_of(lst, lst[i]) for i in removed]
        result = _int_list(size - r - 1 if rev else r for r in ranks)
    elif t == RT_VALUE:
        result = CdtList(lst[i] for i in removed)
    else:
        raise not_applicable("return type %d not supported" % t)
    op.remove_indexes(removed)
    return result


def _by_rank_range(op: _Op, ret: _Ret, rank: int, count: int) -> Any:
    if ret.inverted and not ret.multi:
        raise not_applicable("INVERTED is not supported for single results")
    if op.ordered:
        return _by_index_range(op, ret, rank, count)
    lst = op.lst
    size = len(lst)
    if ret.multi:
        urank, ucount = V.index_count_multi(rank, count, size)
    else:
        found = V.index_count_single(rank, count, size)
        if found is None:
            raise not_applicable("rank %d out of bounds for %d elements" % (rank, size))
        urank, ucount = found
    in_range, _ = V.heap_rank_range(lst, urank, ucount)  # in the node's heap order
    if ret.inverted:
        chosen = set(in_range)
        picked = [i for i in range(size) if i not in chosen]
    else:
        picked = in_range
    if not picked:
        return _not_found(ret, urank)
    if ret.inverted and ret.type in (RT_RANK_RANGE, RT_REVRANK_RANGE):
        raise not_applicable("range return types do not support INVERTED")
    t = ret.type
    if t in (RT_NONE, RT_COUNT, RT_EXISTS, RT_RANK, RT_REVRANK, RT_RANK_RANGE, RT_REVRANK_RANGE):
        result = _range_result(ret, urank, ucount, size)
    elif t in (RT_INDEX, RT_REVINDEX):
        result = _indexes_result(ret, sorted(picked), size)
    elif t == RT_VALUE:
        if ret.inverted:
            result = CdtList(lst[i] for i in sorted(picked))
        elif ret.multi:
            result = CdtList(lst[i] for i in picked)
        else:
            result = lst[picked[0]]
    else:
        raise not_applicable("return type %d not supported" % t)
    op.remove_indexes(picked)
    return result


def _ordered_interval(lst: list, start: Any, end: Any, single_value: bool, multi: bool) -> tuple[int, int]:
    """packed_list_find_rank_range_by_value_interval_ordered: (rank, count)."""
    rank = V.bisect_value(lst, start)
    if single_value:
        if rank >= len(lst) or compare(lst[rank], start) != 0:
            return rank, 0
        if not multi:
            return rank, 1
        stop = rank
        while stop < len(lst) and compare(lst[stop], start) == 0:
            stop += 1
        return rank, stop - rank
    if end is ABSENT:
        return rank, len(lst) - rank
    if compare(start, end) >= 0:
        return rank, 0
    return rank, V.bisect_value(lst, end, lo=rank) - rank


def _by_value_interval(op: _Op, ret: _Ret, start: Any, end: Any, single_value: bool) -> Any:
    if ret.inverted and not ret.multi:
        raise not_applicable("INVERTED is not supported for single results")
    lst = op.lst
    size = len(lst)
    if op.ordered:
        rank, count = _ordered_interval(lst, start, end, single_value, ret.multi)
        if count == 0 and not ret.multi:
            return _not_found(ret, 0)
        return _by_index_range(op, ret, rank, count)
    rank = 0
    picked: list[int] = []
    matched = 0
    for i, item in enumerate(lst):
        c = compare(item, start)
        if c < 0:
            rank += 1
            hit = False
        elif not single_value:
            hit = end is ABSENT or compare(item, end) < 0
        else:
            hit = c == 0
        if hit:
            matched += 1
        if single_value and not ret.multi:
            if hit and not picked:
                picked.append(i)
        elif hit != ret.inverted:
            picked.append(i)
    t = ret.type
    if t in (RT_NONE, RT_COUNT, RT_EXISTS, RT_RANK, RT_REVRANK, RT_RANK_RANGE, RT_REVRANK_RANGE):
        count = len(picked) if not ret.inverted else size - len(picked)
        result = _range_result(ret, rank, count, size)
    elif t in (RT_INDEX, RT_REVINDEX):
        if ret.multi:
            result = _indexes_result(ret, picked, size)
        else:
            result = _index_rank_count(ret, picked[0] if picked else 0, len(picked), size)
    elif t == RT_VALUE:
        if ret.multi:
            result = CdtList(lst[i] for i in picked)
        else:
            result = lst[picked[0]] if picked else None
    else:
        raise not_applicable("return type %d not supported" % t)
    op.remove_indexes(picked)
    return result


def _by_value_list(op: _Op, ret: _Ret, items: Any) -> Any:
    if ret.type in (RT_INDEX_RANGE, RT_REVINDEX_RANGE, RT_RANK_RANGE, RT_REVRANK_RANGE):
        raise not_applicable("range return types are not supported by value list")
    if not isinstance(items, list) or isinstance(items, V.CdtMap):
        raise param_error("value list expected")
    lst = op.lst
    size = len(lst)
    if not items:
        if not ret.inverted:
            return _not_found(ret, 0)
        return _by_index_range(op, _Ret(ret.type, True), 0, size)
    t = ret.type
    if op.ordered:
        runs = []  # (rank, count) per item, in the order given
        for item in items:
            runs.append(_ordered_interval(lst, item, item, True, True))
        matched = sorted({r for rank, count in runs for r in range(rank, rank + count)})
        if ret.inverted:
            matched_set = set(matched)
            picked = [i for i in range(size) if i not in matched_set]
        else:
            picked = matched
        if t == RT_NONE:
            result = None
        elif t == RT_COUNT:
            result = len(picked)
        elif t == RT_EXISTS:
            result = bool(picked)
        elif t in (RT_INDEX, RT_REVINDEX, RT_RANK, RT_REVRANK):
            rev = t in (RT_REVINDEX, RT_REVRANK)
            if ret.inverted:
                result = _indexes_result(ret, picked, size)
            else:  # result_data_set_by_irc: one run per asked value, repeats included
                result = _int_list(_int_runs(runs, size, rev))
        elif t == RT_VALUE:
            if ret.inverted:
                result = CdtList(lst[i] for i in picked)
            else:
                result = CdtList(lst[r] for rank, count in runs for r in range(rank, rank + count))
        else:
            raise not_applicable("return type %d not supported" % t)
        op.remove_indexes(picked)
        return result
    hits = [any(compare(item, v) == 0 for v in items) for item in lst]
    picked = [i for i, hit in enumerate(hits) if hit != ret.inverted]
    if t == RT_NONE:
        result = None
    elif t in (RT_INDEX, RT_REVINDEX):
        result = _indexes_result(ret, picked, size)
    elif t in (RT_RANK, RT_REVRANK):
        rev = t == RT_REVRANK
        if ret.inverted:
            # result_data_set_by_itemlist_irc: the rank gaps between the asked values' runs,
            # each gap a run (reversed runs still count upwards)
            runs, prev = [], 0
            for v in V.sort_values(items):
                first = _rank_of(lst, v)
                count = sum(1 for item in lst if compare(item, v) == 0)
                if count == 0 or first < prev:
                    continue
                runs.append((prev, first - prev))
                prev = first + count
            runs.append((prev, size - prev))
            result = _int_list(_int_runs(runs, size, rev))
            op.remove_indexes(picked)
            return result
        else:
            # offset_index_find_items: an element counts for the last of equal asked values
            ranks = []
            for n, v in enumerate(items):
                if any(compare(v, later) == 0 for later in items[n + 1:]):
                    continue
                first = sum(1 for item in lst if compare(item, v) < 0)
                count = sum(1 for item in lst if compare(item, v) == 0)
                ranks.extend(range(first, first + count))
        result = _int_list(size - r - 1 if rev else r for r in ranks)
    elif t == RT_COUNT:
        result = len(picked)
    elif t == RT_EXISTS:
        result = bool(picked)
    elif t == RT_VALUE:
        result = CdtList(lst[i] for i in picked)
    else:
        raise not_applicable("return type %d not supported" % t)
    op.remove_indexes(picked)
    return result


def _by_rel_rank_range(op: _Op, ret: _Ret, value: Any, rank: int, count: int) -> Any:
    lst = op.lst
    if op.ordered:
        rel = V.bisect_value(lst, value)
        start, ucount = V.rel_index_count(rank, count, rel)
        return _by_index_range(op, ret, start, ucount)
    rel = _rank_of(lst, value)
    start, ucount = V.rel_index_count(rank, count, rel)
    return _by_rank_range(op, ret, start, ucount)


# -- modify ops ---------------------------------------------------------------------------------

def _exists(flags: int, size: int) -> int:
    """mod_flags_return_exists: NO_FAIL turns a duplicate into a no-op."""
    if flags & NO_FAIL:
        return size
    raise V.CdtError(V.ResultCode.ELEMENT_EXISTS, "element exists")


def _insert(op: _Op, index: int, values: list, flags: int, is_items: bool, set_result: bool = True) -> Any:
    """packed_list_insert (unordered lists)."""
    lst = op.lst
    size = len(lst)
    if is_items and not values:
        op.store()
        return size
    if index > INT32_MAX:
        raise not_applicable("index %d out of bounds" % index)
    if index < 0:
        index += size
        if index < 0:
            raise not_applicable("index out of bounds")
    if flags & INSERT_BOUNDED and index > size:
        if flags & NO_FAIL:
            op.store()
            return size
        raise not_applicable("index %d beyond the end of the list" % index)
    partial = flags & (NO_FAIL | DO_PARTIAL) == NO_FAIL | DO_PARTIAL
    if flags & ADD_UNIQUE:
        if is_items:
            keep = []
            for i, v in enumerate(values):
                if any(compare(item, v) == 0 for item in lst):
                    if partial:
                        continue
                    result = _exists(flags, size)
                    op.store()
                    return result
                if any(compare(v, w) == 0 for w in values[:i]):
                    if not flags & NO_FAIL:
                        raise not_applicable("duplicate values in the items")
                    if not partial:
                        op.store()
                        return size
                    continue
                keep.append(v)
            if not keep:
                result = _exists(flags, size)
                op.store()
                return result
            values = keep
        elif any(compare(item, values[0]) == 0 for item in lst):
            result = _exists(flags, size)
            op.store()
            return result
    if index + len(values) >= INT32_MAX:
        raise param_error("index overflow")
    if index >= size:
        new = list(lst) + [None] * (index - size) + list(values)
    else:
        new = list(lst[:index]) + list(values) + list(lst[index:])
    op.store(new)
    return len(new) if set_result else None


def _add_ordered(op: _Op, values: list, flags: int, is_items: bool) -> Any:
    """packed_list_add_ordered / packed_list_add_items_ordered."""
    lst = op.lst
    size = len(lst)
    unique = bool(flags & ADD_UNIQUE)
    partial = flags & (NO_FAIL | DO_PARTIAL) == NO_FAIL | DO_PARTIAL
    if not is_items:
        v = values[0]
        pos = V.bisect_value(lst, v)
        if unique and pos < size and compare(lst[pos], v) == 0:
            result = _exists(flags, size)
            op.store()
            return result
        new = list(lst)
        new.insert(pos, v)
        op.store(new)
        return len(new)
    if not values:
        op.store()
        return size
    incoming = sorted(values, key=sort_key)
    if unique:
        deduped = [incoming[0]]
        for v in incoming[1:]:
            if compare(deduped[-1], v) != 0:
                deduped.append(v)
        if len(deduped) != len(incoming):
            if not flags & NO_FAIL:
                raise not_applicable("duplicate values in the items")
            if not partial:
                op.store()
                return size
        incoming = deduped
    adds = []
    for v in incoming:
        pos = V.bisect_value(lst, v)
        found = pos < size and compare(lst[pos], v) == 0
        if unique and found:
            if partial:
                continue
            result = _exists(flags, size)
            op.store()
            return result
        adds.append(v)
    new = list(lst)
    for v in adds:
        new.insert(V.bisect_value(new, v, right=True), v)
    op.store(new)
    return len(new)


def _set(op: _Op, index: int, value: Any, flags: int) -> None:
    lst = op.lst
    if op.ordered:
        raise not_applicable("set on an ordered list")
    size = len(lst)
    if index >= size:
        _insert(op, index, [value], flags, False, set_result=False)
        return None
    if index < 0:
        index += size
        if index < 0:
            raise not_applicable("index out of bounds")
    if flags & ADD_UNIQUE:
        dups = [i for i, item in enumerate(lst) if compare(item, value) == 0]
        if dups and (dups[0] != index or len(dups) > 1):
            _exists(flags, size)
            op.store()
            return None
    new = list(lst)
    new[index] = value
    op.store(new)
    return None


def _increment(op: _Op, index: int, delta: Any, flags: int) -> Any:
    lst = op.lst
    size = len(lst)
    if index > INT32_MAX:
        raise not_applicable("index out of bounds")
    if index < 0:
        index += size
        if index < 0:
            raise not_applicable("index out of bounds")
    # cdt_calc_delta_init
    if delta is ABSENT or delta is None:
        delta_type, incr_int, incr_float = None, 1, 1.0
    elif isinstance(delta, bool):
        raise param_error("delta is not int/double")
    elif isinstance(delta, int):
        delta_type, incr_int, incr_float = int, delta, 1.0
    elif isinstance(delta, float):
        delta_type, incr_int, incr_float = float, 1, float(delta)
    else:
        raise param_error("delta is not int/double")
    if index < size:
        current = lst[index]
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise param_error("increment of a non-numeric element")
        if isinstance(current, int):
            step = int(incr_float) if delta_type is float else incr_int
            new_value = _wrap64(current + step)
        else:
            step = incr_float if delta_type is float else float(incr_int)
            new_value = float(current) + step
    elif delta_type is float:
        new_value = incr_float
    else:
        new_value = incr_int
    if op.ordered:
        _replace_ordered(op, index, new_value, flags)
    else:
        _set(op, index, new_value, flags)
    return new_value


def _wrap64(value: int) -> int:
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


def _replace_ordered(op: _Op, index: int, value: Any, flags: int) -> None:
    lst = op.lst
    size = len(lst)
    rank, count = _ordered_interval(lst, value, value, True, False)
    if index > size:
        raise not_applicable("index beyond an ordered list")
    if flags & ADD_UNIQUE and count:
        if rank == index:
            op.store()
            return
        _exists(flags, size)
        op.store()
        return
    new = list(lst)
    if index < size:
        del new[index]
    new.insert(V.bisect_value(new, value), value)
    op.store(new)


def _sort(op: _Op, flags: int) -> None:
    lst = op.lst
    if len(lst) <= 1:
        op.store()
        return
    if op.ordered:
        order = list(lst)
    else:
        order = sorted(lst, key=sort_key, reverse=bool(flags & SORT_DESCENDING))
    if flags & SORT_DROP_DUPLICATES:
        kept = [order[0]]
        for item in order[1:]:
            c = compare(kept[-1], item)
            if c == 0:
                continue
            if c > 0:
                raise param_error("duplicate scan needs ascending order")
            kept.append(item)
        order = kept
    op.store(order)


def _set_type(op: _Op, flags: int) -> None:
    if flags & ~(V.LIST_ORDERED | V.PERSIST_INDEX):
        raise not_applicable("invalid list flags 0x%x" % flags)
    flags &= V.LIST_ORDERED
    lst = op.lst
    if flags == lst.flags:
        op.store()
        return
    items = sorted(lst, key=sort_key) if flags & V.LIST_ORDERED and not lst.ordered else list(lst)
    lst.flags = flags
    op.store(items)


# -- dispatch -----------------------------------------------------------------------------------

_READ_SPECS = {
    SIZE: ((), 0),
    GET: ((P_INDEX,), 0),
    GET_RANGE: ((P_INDEX, P_COUNT), 1),
    GET_BY_INDEX: ((P_FLAGS, P_INDEX), 0),
    GET_BY_VALUE: ((P_FLAGS, P_PAYLOAD), 0),
    GET_BY_RANK: ((P_FLAGS, P_INDEX), 0),
    GET_ALL_BY_VALUE: ((P_FLAGS, P_PAYLOAD), 0),
    GET_ALL_BY_VALUE_LIST: ((P_FLAGS, P_PAYLOAD), 0),
    GET_BY_INDEX_RANGE: ((P_FLAGS, P_INDEX, P_COUNT), 1),
    GET_BY_VALUE_INTERVAL: ((P_FLAGS, P_PAYLOAD, P_PAYLOAD), 1),
    GET_BY_RANK_RANGE: ((P_FLAGS, P_INDEX, P_COUNT), 1),
    GET_BY_VALUE_REL_RANK_RANGE: ((P_FLAGS, P_PAYLOAD, P_INDEX, P_COUNT), 1),
}

_MODIFY_SPECS = {
    SET_TYPE: ((P_FLAGS,), 0),
    APPEND: ((P_STORAGE, P_FLAGS, P_FLAGS), 2),
    APPEND_ITEMS: ((P_STORAGE, P_FLAGS, P_FLAGS), 2),
    INSERT: ((P_INDEX, P_STORAGE, P_FLAGS), 1),
    INSERT_ITEMS: ((P_INDEX, P_STORAGE, P_FLAGS), 1),
    POP: ((P_INDEX,), 0),
    POP_RANGE: ((P_INDEX, P_COUNT), 1),
    REMOVE: ((P_INDEX,), 0),
    REMOVE_RANGE: ((P_INDEX, P_COUNT), 1),
    SET: ((P_INDEX, P_STORAGE, P_FLAGS), 1),
    TRIM: ((P_INDEX, P_COUNT), 0),
    CLEAR: ((), 0),
    INCREMENT: ((P_INDEX, P_PAYLOAD, P_FLAGS, P_FLAGS), 3),
    SORT: ((P_FLAGS,), 1),
    REMOVE_BY_INDEX: ((P_FLAGS, P_INDEX), 0),
    REMOVE_BY_VALUE: ((P_FLAGS, P_PAYLOAD), 0),
    REMOVE_BY_RANK: ((P_FLAGS, P_INDEX), 0),
    REMOVE_ALL_BY_VALUE: ((P_FLAGS, P_PAYLOAD), 0),
    REMOVE_ALL_BY_VALUE_LIST: ((P_FLAGS, P_PAYLOAD), 0),
    REMOVE_BY_INDEX_RANGE: ((P_FLAGS, P_INDEX, P_COUNT), 1),
    REMOVE_BY_VALUE_INTERVAL: ((P_FLAGS, P_PAYLOAD, P_PAYLOAD), 1),
    REMOVE_BY_RANK_RANGE: ((P_FLAGS, P_INDEX, P_COUNT), 1),
    REMOVE_BY_VALUE_REL_RANK_RANGE: ((P_FLAGS, P_PAYLOAD, P_INDEX, P_COUNT), 1),
}

#: Remove-style ops: a no-op (no result, nothing created) on a missing list.
_NOOP_WHEN_MISSING = frozenset({POP, POP_RANGE, REMOVE, REMOVE_RANGE, TRIM, CLEAR, REMOVE_BY_INDEX,
                                REMOVE_BY_VALUE, REMOVE_BY_RANK, REMOVE_ALL_BY_VALUE,
                                REMOVE_ALL_BY_VALUE_LIST, REMOVE_BY_INDEX_RANGE,
                                REMOVE_BY_VALUE_INTERVAL, REMOVE_BY_RANK_RANGE,
                                REMOVE_BY_VALUE_REL_RANK_RANGE})


def execute(code: int, args: list, target: V.Target, is_modify: bool) -> Any:
    specs = _MODIFY_SPECS if is_modify else _READ_SPECS
    spec = specs.get(code)
    if spec is None:
        raise param_error("invalid list op %d" % code)
    op = _Op(target, is_modify)
    if is_modify:
        if op.missing and code in _NOOP_WHEN_MISSING:
            return None
        if code == SORT and op.missing:
            if target.created:
                return None  # a node sorts nothing where a context path would create a list
            raise V.bin_type_error("sort of a missing list")
    if code in (SIZE, CLEAR):
        p = []
    else:
        p = _params(args, *spec)
    if code == SIZE:
        return len(op.lst)
    if code in (GET, GET_BY_INDEX, GET_RANGE, GET_BY_INDEX_RANGE, POP, POP_RANGE, REMOVE,
                REMOVE_RANGE, REMOVE_BY_INDEX, REMOVE_BY_INDEX_RANGE, TRIM):
        if code in (GET, POP):
            return _by_index_range(op, _Ret(RT_VALUE, False), p[0], 1)
        if code == REMOVE:
            return _by_index_range(op, _Ret(RT_COUNT, False), p[0], 1)
        if code in (GET_RANGE, POP_RANGE):
            return _by_index_range(op, _Ret(RT_VALUE, True), p[0], _opt(p[1], UINT32_MAX))
        if code == REMOVE_RANGE:
            return _by_index_range(op, _Ret(RT_COUNT, True), p[0], _opt(p[1], UINT32_MAX))
        if code == TRIM:
            return _by_index_range(op, _Ret(RT_COUNT | INVERTED, True), p[0], p[1])
        if code in (GET_BY_INDEX, REMOVE_BY_INDEX):
            return _by_index_range(op, _Ret(p[0], False), p[1], 1)
        return _by_index_range(op, _Ret(p[0], True), p[1], _opt(p[2], UINT32_MAX))
    if code in (GET_BY_RANK, REMOVE_BY_RANK):
        return _by_rank_range(op, _Ret(p[0], False), p[1], 1)
    if code in (GET_BY_RANK_RANGE, REMOVE_BY_RANK_RANGE):
        return _by_rank_range(op, _Ret(p[0], True), p[1], _opt(p[2], UINT32_MAX))
    if code in (GET_BY_VALUE, REMOVE_BY_VALUE, GET_ALL_BY_VALUE, REMOVE_ALL_BY_VALUE):
        multi = code in (GET_ALL_BY_VALUE, REMOVE_ALL_BY_VALUE)
        return _by_value_interval(op, _Ret(p[0], multi), p[1], p[1], True)
    if code in (GET_BY_VALUE_INTERVAL, REMOVE_BY_VALUE_INTERVAL):
        return _by_value_interval(op, _Ret(p[0], True), p[1], p[2], False)
    if code in (GET_ALL_BY_VALUE_LIST, REMOVE_ALL_BY_VALUE_LIST):
        return _by_value_list(op, _Ret(p[0], True), p[1])
    if code in (GET_BY_VALUE_REL_RANK_RANGE, REMOVE_BY_VALUE_REL_RANK_RANGE):
        return _by_rel_rank_range(op, _Ret(p[0], True), p[1], p[2], _opt(p[3], UINT32_MAX))
    # -- modify-only ops --
    if code == SET_TYPE:
        op.create(0)
        _set_type(op, p[0])
        return None
    if code in (APPEND, APPEND_ITEMS):
        is_items = code == APPEND_ITEMS
        value = p[0]
        if is_items and (not isinstance(value, list) or isinstance(value, V.CdtMap)):
            raise param_error("append_items needs a list")
        op.create(_opt(p[1], 0))
        flags = _opt(p[2], 0)
        values = list(value) if is_items else [value]
        if op.ordered:
            return _add_ordered(op, values, flags, is_items)
        return _insert(op, len(op.lst), values, flags, is_items)
    if code in (INSERT, INSERT_ITEMS):
        is_items = code == INSERT_ITEMS
        value = p[1]
        if is_items and (not isinstance(value, list) or isinstance(value, V.CdtMap)):
            raise param_error("insert_items needs a list")
        op.create(0)
        if op.ordered:
            raise not_applicable("insert on an ordered list")
        return _insert(op, p[0], list(value) if is_items else [value], _opt(p[2], 0), is_items)
    if code == SET:
        op.create(0)
        return _set(op, p[0], p[1], _opt(p[2], 0))
    if code == CLEAR:
        op.store([])
        return None
    if code == INCREMENT:
        op.create(_opt(p[2], 0))
        return _increment(op, p[0], p[1], _opt(p[3], 0))
    if code == SORT:
        _sort(op, _opt(p[0], 0))
        return None
    raise param_error("invalid list op %d" % code)
