"""Path expressions of server 8.1.1+: select and apply by path (CDT payload ``[0xfe, ctx, flags]``
or ``[0xfe, ctx, flags | 4, modify_expression]``), as cdt.c ``cdt_process_state_select`` does.

The ctx is a list of ``ctx_type, value`` pairs, one level per pair: list index / rank / value, map
index / rank / key / value, ``4`` (all children, value ``true`` or a filter expression), ``42``
(map keys in a list) and ``0x204`` (an AND filter folded into the level before it; not after an
expression level). Each level keeps the children of the containers the level before selected.

Flags (low nibble is the kind): 0 the matching tree (the bin's shape, only what matched; order
flags of non-empty containers dropped), 1 the leaf values, 2 the leaf map keys, 3 keys and values
flattened, 4 apply (a CDT_MODIFY only): each selected leaf is replaced by the modify expression's
value, or removed when it returns ``RemoveResult``; ordered lists on the way are sorted again. 0x10
(NO_FAIL) skips what would fail (an unknown filter result, a leaf list under a map-key selection).

Expressions in the ctx and the modify expression see the loop variables of the element in hand
(map: key and value; list: index and value) and no record.
"""

from __future__ import annotations

from typing import Any

from ...expressions import Context, compile_expression
from ...expressions.runtime import REMOVE_RESULT, UNK
from ...wire import AerospikeWireError, Op, ParticleType, ResultCode
from . import values as V

_UNSET = UNK  # a loop variable the element does not have (a list's key, a map's index)

SELECT_TREE, SELECT_LEAF_LIST, SELECT_LEAF_MAP_KEY, SELECT_LEAF_MAP_KEY_VALUE, SELECT_APPLY = range(5)
NO_FAIL = 0x10
CTX_AND = 0x200
CTX_KEY_LIST = 10
MAX_LEVELS = 64


def incompatible(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.BIN_TYPE, message)


class _Level:
    __slots__ = ("ctx_type", "base", "value", "exp", "and_exp", "has_and", "keys")

    def __init__(self, ctx_type: int):
        self.ctx_type = ctx_type
        self.base = ctx_type & V.CTX_BASE_MASK
        self.value: Any = None
        self.exp = None
        self.and_exp = None
        self.has_and = False
        self.keys: list | None = None  # CTX_KEY_LIST keys, sorted (built when first used)


def parse_levels(reader: V.Reader) -> list[_Level]:
    """The select stack of a ctx array (select_stack_init); PARAMETER when malformed."""
    if not reader.data[reader.pos:reader.pos + 1] or not _is_array(reader.data[reader.pos]):
        raise V.param_error("path ctx is not a list")
    count = reader.array_header()
    if count == 0 or count % 2:
        raise V.param_error("path ctx needs ctx type/value pairs")
    if count // 2 > MAX_LEVELS:
        raise V.param_error("path ctx has more than %d levels" % MAX_LEVELS)
    levels: list[_Level] = []
    for _ in range(count // 2):
        ctx_type = reader.value()
        if isinstance(ctx_type, bool) or not isinstance(ctx_type, int) or ctx_type < 0:
            raise V.param_error("path ctx type must be an unsigned integer")
        is_and = bool(ctx_type & CTX_AND)
        if is_and:
            if ctx_type != CTX_AND | V.CTX_EXP:
                raise V.param_error("invalid AND ctx type 0x%x" % ctx_type)
            if not levels:
                raise V.param_error("AND ctx has no preceding level")
            level = levels[-1]
            if level.and_exp is not None or level.has_and:
                raise V.param_error("duplicate AND ctx")
            if level.base == V.CTX_EXP:
                raise V.param_error("AND ctx after an expression level")
            level.has_and = True
        else:
            level = _Level(ctx_type)
            levels.append(level)
        start = reader.pos
        value = reader.value()
        base = ctx_type & V.CTX_BASE_MASK
        if base in (V.CTX_INDEX, V.CTX_RANK):
            if isinstance(value, bool) or not isinstance(value, int) or value >= 1 << 63:
                raise V.param_error("path ctx index must be an integer")
            level.value = value
        elif base in (V.CTX_KEY, V.CTX_VALUE, CTX_KEY_LIST):
            level.value = value
        elif base == V.CTX_EXP:
            raw = reader.data[start:reader.pos]
            if _is_array(raw[0]):
                try:
                    exp = compile_expression(raw)
                except AerospikeWireError:
                    raise V.param_error("invalid path ctx expression") from None
                if is_and:
                    level.and_exp = exp
                else:
                    level.exp = exp
            elif value is not True:
                raise V.param_error("path ctx expression must be a list or true")
        else:
            raise V.param_error("invalid path ctx type 0x%x" % ctx_type)
    return levels


def _is_array(b: int) -> bool:
    return 0x90 <= b <= 0x9f or b in (0xdc, 0xdd)


class _Removed:
    pass


REMOVED = _Removed()


class _Select:
    """One select/apply run over a decoded bin value."""

    def __init__(self, levels: list[_Level], kind: int, flags: int, modify=None):
        self.levels = levels
        self.n = len(levels)
        self.kind = kind
        self.no_fail = bool(flags & NO_FAIL)
        self.modify = modify
        self.out: list = []
        # The node's quirk: once a list rank, map index or map rank level has found its element,
        # its reader stands at the end of the whole bin, so a level that then reads further
        # elements fails (cdt_select_list/_map set the offset to the buffer's end).
        self.at_end = False
        self.exp_ctx = Context(None, has_meta=False)  # no record: bins and metadata unknown

    # -- expressions with loop variables ----------------------------------------------------

    def _eval(self, exp, key: Any, value: Any, index: Any):
        ctx = self.exp_ctx
        ctx.loop = (key, value, index)
        try:
            return exp.evaluate(ctx)
        except AerospikeWireError:
            return UNK
        finally:
            ctx.loop = None

    def _test(self, exp, key: Any, value: Any, index: Any):
        """True / False / None (unknown) of a filter expression (a value that is not a bool is
        false, as exp.c match_internal has it)."""
        result = self._eval(exp, key, value, index)
        if result is UNK:
            return None
        return result is True

    def _modified(self, key: Any, value: Any, index: Any):
        """The new leaf value, REMOVED, or None to keep the leaf (NO_FAIL on an unknown)."""
        result = self._eval(self.modify, key, value, index)
        if result is REMOVE_RESULT:
            return REMOVED
        if result is UNK:
            if self.no_fail:
                return None
            raise AerospikeWireError(ResultCode.SERVER_ERROR, "path modify expression is unknown")
        if V.has_nonstorage(result) or not _storable(result):
            raise incompatible("path modify result cannot be stored")
        return (result,)

    # -- walking ------------------------------------------------------------------------------

    def level(self, value: Any, level: int):
        if isinstance(value, V.CdtMap):
            return self._map(value, level)
        if isinstance(value, list):
            return self._list(value, level)
        raise incompatible("path select on a value that is not a list or map")

    def _list(self, lst: list, level: int):
        is_leaf = level + 1 == self.n
        kind = self.kind
        flags = getattr(lst, "flags", 0)
        if not lst and not flags:
            return V.CdtList() if kind == SELECT_TREE else None
        if is_leaf and kind & SELECT_LEAF_MAP_KEY:
            if not self.no_fail:
                raise incompatible("map keys selected from a list")
            return None
        if not lst:
            return V.CdtList((), flags) if kind == SELECT_TREE else None
        lv = self.levels[level]
        if lv.ctx_type & 0x30 not in (0, V.CTX_LIST):
            raise V.param_error("path ctx type 0x%x on a list" % lv.ctx_type)
        size = len(lst)
        out = V.CdtList() if kind == SELECT_TREE else None
        changes: dict[int, Any] = {}
        if lv.base in (V.CTX_INDEX, V.CTX_RANK):
            found = V.index_count_single(lv.value, 1, size)
            if found is not None:
                idx = found[0]
                if lv.base == V.CTX_RANK and not (flags & V.LIST_ORDERED):
                    idx = quickselect([V.sort_key(item) for item in lst], idx)
                if lv.and_exp is None or self._test(lv.and_exp, _UNSET, lst[idx], idx) is True:
                    self._list_entry(lst, idx, level, is_leaf, out, changes)
                    if self.at_end and lv.base == V.CTX_INDEX and idx < size - 1:
                        raise _past_end()
                if lv.base == V.CTX_RANK:
                    self.at_end = True
        else:
            for i, item in enumerate(lst):
                if self.at_end:
                    self._fail_past_end(lv, i)
                if lv.base == V.CTX_EXP:
                    tri = True if lv.exp is None else self._test(lv.exp, _UNSET, item, i)
                elif lv.base == V.CTX_VALUE:
                    tri = V.compare(item, lv.value) == 0
                else:
                    tri = None
                if tri is True and lv.and_exp is not None:
                    tri = self._test(lv.and_exp, _UNSET, item, i)
                if tri is None:
                    if not self.no_fail:
                        raise V.param_error("path ctx filter is unknown")
                    tri = False
                if tri:
                    self._list_entry(lst, i, level, is_leaf, out, changes)
        if kind == SELECT_APPLY:
            if changes:
                kept = [changes.get(i, (item,)) for i, item in enumerate(lst)]
                lst[:] = [c[0] for c in kept if c is not REMOVED]
            if flags & V.LIST_ORDERED:
                lst[:] = V.sort_values(lst)
        return out

    def _fail_past_end(self, lv: _Level, index: int) -> None:
        """The error of a list loop reading an element past the bin's end (see at_end)."""
        if lv.base == V.CTX_EXP and lv.exp is not None:
            tri = self._test(lv.exp, _UNSET, _UNSET, index)
        elif lv.base in (V.CTX_EXP, V.CTX_VALUE):
            tri = True
        else:
            tri = None
        if tri is None and not self.no_fail:
            raise V.param_error("path ctx filter is unknown")
        raise _past_end()

    def _list_entry(self, lst: list, idx: int, level: int, is_leaf: bool, out, changes) -> None:
        item = lst[idx]
        kind = self.kind
        if not is_leaf and isinstance(item, list):
            result = self.level(item, level + 1)
            if kind == SELECT_TREE:
                out.append(result)
            return
        if kind == SELECT_TREE:
            out.append(item)
        elif is_leaf:
            if kind == SELECT_APPLY:
                new = self._modified(_UNSET, item, idx)
                if new is not None:
                    changes[idx] = new
            else:
                self.out.append(item)

    def _map(self, m: V.CdtMap, level: int):
        is_leaf = level + 1 == self.n
        kind = self.kind
        if not m and not m.flags:
            return V.CdtMap() if kind == SELECT_TREE else None
        if not m:
            return V.CdtMap((), m.flags) if kind == SELECT_TREE else None
        lv = self.levels[level]
        if lv.ctx_type & 0xf0 not in (0, V.CTX_MAP):
            raise V.param_error("path ctx type 0x%x on a map" % lv.ctx_type)
        out = V.CdtMap() if kind == SELECT_TREE else None
        changes: dict[int, Any] = {}
        size = len(m)
        if lv.base in (V.CTX_INDEX, V.CTX_RANK):
            found = V.index_count_single(lv.value, 1, size)
            if found is not None:
                if lv.base == V.CTX_INDEX and m.key_ordered:
                    pos = found[0]
                else:
                    part = 0 if lv.base == V.CTX_INDEX else 1
                    pos = quickselect([V.sort_key(entry[part]) for entry in m], found[0])
                key, value = m[pos]
                if lv.and_exp is None or self._test(lv.and_exp, key, value, _UNSET) is True:
                    self._map_entry(m, pos, level, is_leaf, out, changes)
                self.at_end = True
        else:
            found_key = False
            keys = self._key_list(lv) if lv.base == CTX_KEY_LIST else None
            for pos, (key, value) in enumerate(m):
                if self.at_end:
                    raise _past_end()
                if found_key:
                    tri = False
                elif lv.base == V.CTX_EXP:
                    tri = True if lv.exp is None else self._test(lv.exp, key, value, _UNSET)
                elif lv.base == V.CTX_KEY:
                    tri = V.compare(key, lv.value) == 0
                    found_key = tri
                elif lv.base == V.CTX_VALUE:
                    tri = V.compare(value, lv.value) == 0
                elif keys is not None:
                    at = V.bisect_value(keys, key)
                    tri = at < len(keys) and V.compare(keys[at], key) == 0
                else:
                    tri = None
                if tri is True and lv.and_exp is not None:
                    tri = self._test(lv.and_exp, key, value, _UNSET)
                if tri is None:
                    if not self.no_fail:
                        raise V.param_error("path ctx filter is unknown")
                    tri = False
                if tri:
                    self._map_entry(m, pos, level, is_leaf, out, changes)
        if kind == SELECT_APPLY and changes:
            kept = [(k, changes[i][0] if i in changes else v) for i, (k, v) in enumerate(m)
                    if changes.get(i) is not REMOVED]
            m[:] = kept
        return out

    def _key_list(self, lv: _Level) -> list:
        if lv.keys is None:
            keys = lv.value
            if not isinstance(keys, list) or isinstance(keys, V.CdtMap):
                raise V.param_error("map keys ctx value is not a list")
            if getattr(keys, "flags", 0) & V.LIST_ORDERED:
                if any(V.compare(a, b) > 0 for a, b in zip(keys, keys[1:])):
                    raise V.param_error("ordered map keys ctx list is not sorted")
            lv.keys = V.sort_values(list(keys))
        return lv.keys

    def _map_entry(self, m: V.CdtMap, pos: int, level: int, is_leaf: bool, out, changes) -> None:
        key, value = m[pos]
        kind = self.kind
        if not is_leaf and isinstance(value, list):
            result = self.level(value, level + 1)
            if kind == SELECT_TREE:
                out.append((key, result))
            return
        if is_leaf and kind & SELECT_LEAF_MAP_KEY:
            self.out.append(key)
        if is_leaf and kind & SELECT_LEAF_LIST:
            self.out.append(value)
        if kind == SELECT_APPLY and is_leaf:
            new = self._modified(key, value, _UNSET)
            if new is not None:
                changes[pos] = new
        elif kind == SELECT_TREE:
            out.append((key, value))


def quickselect(keys: list, rank: int) -> int:
    """The position of the element of the given rank as the node's partition select finds it
    (cdt.c order_index_qselect): among equal elements the one it lands on, not the first."""
    order = list(range(len(keys)))
    if len(order) < 2:
        return 0
    lb, ub = 0, len(order) - 1
    while True:
        mid = lb + (ub - lb) // 2
        pivot_idx = order[mid]
        pivot = keys[pivot_idx]
        order[lb], order[mid] = order[mid], order[lb]
        lo, hi = lb + 1, ub
        while True:
            while lo < hi and keys[order[lo]] < pivot:
                lo += 1
            while lo <= hi and hi != lb and pivot < keys[order[hi]]:
                hi -= 1
            if lo >= hi:
                break
            order[lo], order[hi] = order[hi], order[lo]
            lo += 1
            hi -= 1
        order[lb], order[hi] = order[hi], order[lb]
        if hi == rank:
            return pivot_idx
        if hi < rank:
            lb = hi + 1
        else:
            ub = hi - 1
        if lb >= ub:
            return order[lb]


def _past_end() -> AerospikeWireError:
    return AerospikeWireError(ResultCode.SERVER_ERROR, "path select read past the bin's end")


def _storable(value: Any) -> bool:
    if value is UNK:
        return False
    if isinstance(value, V.CdtMap):
        return all(_storable(k) and _storable(v) for k, v in value)
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str, bytes, V.Ext))


def execute(op: Op, reader: V.Reader, count: int, bins: dict, is_modify: bool) -> Op | None:
    """Run a select/apply payload whose reader stands after the 0xfe code; `count` is the
    payload's element count."""
    current = bins.get(op.name)
    if current is None:
        if not is_modify:
            return None  # a read of a missing bin answers nothing
        raise incompatible("path apply on a missing bin")
    if current[0] not in (ParticleType.LIST, ParticleType.MAP):
        raise incompatible("path select on a bin that is not a list or map")
    levels = parse_levels(reader)
    flags = reader.value() if count > 2 else None
    if isinstance(flags, bool) or not isinstance(flags, int) or not -(1 << 63) <= flags < 1 << 63:
        raise V.param_error("path select flags must be an integer")
    kind = flags & 0x0f
    if kind > SELECT_APPLY:
        raise V.param_error("invalid path select type 0x%x" % kind)
    if count - 1 != (3 if kind == SELECT_APPLY else 2):
        raise V.param_error("path select param count")
    modify = None
    if kind == SELECT_APPLY:
        if not is_modify:
            raise V.param_error("path apply in a read op")
        start = reader.pos
        reader.value()
        try:
            modify = compile_expression(reader.data[start:reader.pos])
        except AerospikeWireError:
            raise V.param_error("invalid path apply expression") from None
    root = V.unpack(current[1])
    run = _Select(levels, kind, flags & 0xf0, modify)
    result = run.level(root, 0)
    if kind == SELECT_APPLY:
        bins[op.name] = V.to_bin(root)
        return None
    if kind != SELECT_TREE:
        result = V.CdtList(run.out)
    particle = V.to_particle(result)
    return Op(op.op, particle[0], op.name, particle[1])
