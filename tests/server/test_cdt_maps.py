"""Unit and property tests of the map engine (spikelite.binops.cdt.maps), driven through the
op 3/4 dispatcher, against particle_map.c semantics and a simple Python model."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikelite.binops import cdt
from spikelite.binops.cdt import maps as M
from spikelite.binops.cdt import values as V
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode

B = "m"
INV = M.INVERTED
NONE, INDEX, REVINDEX, RANK, REVRANK, COUNT, KEY, VALUE, KV = range(9)
INDEX_RANGE, REVINDEX_RANGE, RANK_RANGE, REVRANK_RANGE, EXISTS = range(9, 14)
UMAP, OMAP = 16, 17
CREATE_ONLY, UPDATE_ONLY, NO_FAIL, PARTIAL = 1, 2, 4, 8
K_ORD, KV_ORD = 1, 3
READS = {code for code, entry in M._TABLE.items() if not entry[0]}


def cm(pairs, flags=0):
    """A CdtMap from a dict or a list of pairs."""
    if isinstance(pairs, dict):
        pairs = list(pairs.items())
    return V.CdtMap(pairs, flags)


def arg(value):
    """Python dicts in op arguments become CdtMaps, tuples lists."""
    if isinstance(value, dict):
        return cm({k: arg(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)) and not isinstance(value, V.CdtMap):
        return [arg(v) for v in value]
    return value


def plain(value):
    """Decoded results as plain Python: maps as lists of pairs (order kept), with flags."""
    if isinstance(value, V.CdtMap):
        return ("map", value.flags, [(plain(k), plain(v)) for k, v in value])
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def decode(op):
    if op is None:
        return None
    pt = op.particle_type
    if pt == ParticleType.INTEGER:
        return struct.unpack(">q", op.value)[0]
    if pt == ParticleType.BOOL:
        return op.value == b"\x01"
    if pt == ParticleType.FLOAT:
        return struct.unpack(">d", op.value)[0]
    if pt == ParticleType.STRING:
        return op.value.decode()
    if pt in (ParticleType.LIST, ParticleType.MAP):
        return V.unpack(op.value)
    return op.value


class Bin:
    def __init__(self, pairs=None, flags=0):
        self.bins = {}
        if pairs is not None:
            pairs = list(arg(pairs)) if isinstance(pairs, dict) else pairs
            if flags:  # a key-ordered map is stored sorted
                pairs = sorted(pairs, key=lambda kv: V.sort_key(kv[0]))
            self.bins[B] = (ParticleType.MAP, V.pack(cm(pairs, flags)))

    def op(self, code, *args, ctx=None):
        payload = [code, *[arg(a) for a in args]]
        if ctx is not None:
            payload = [0xff, [arg(x) for pair in ctx for x in pair], payload]
        opcode = OpType.CDT_READ if code in READS else OpType.CDT_MODIFY
        return decode(cdt.apply(Op(opcode, ParticleType.BLOB, B, V.pack(payload)), self.bins))

    def r(self, code, *args, ctx=None):
        return plain(self.op(code, *args, ctx=ctx))

    def err(self, code, *args, ctx=None) -> int:
        before = dict(self.bins)
        with pytest.raises(AerospikeWireError) as info:
            self.op(code, *args, ctx=ctx)
        assert self.bins == before, "a failed op must leave the bin unchanged"
        return info.value.code

    @property
    def raw(self):
        return self.bins.get(B)

    @property
    def map(self):
        stored = self.bins.get(B)
        return None if stored is None else V.unpack(stored[1])

    @property
    def pairs(self):
        m = self.map
        return None if m is None else [(k, plain(v)) for k, v in m]

    @property
    def flags(self):
        return self.map.flags


def unordered(d=None):
    """c:3, a:1, b:2, d:0 stored in that (non-key) order."""
    return Bin([("c", 3), ("a", 1), ("b", 2), ("d", 0)] if d is None else d)


# -- creation, put, policies --------------------------------------------------------------------


def test_put_creates_map_with_order_from_policy():
    b = Bin()
    assert b.op(M.PUT, "b", 1, K_ORD) == 1
    assert b.op(M.PUT, "a", 2, K_ORD) == 2
    assert b.flags == K_ORD and b.pairs == [("a", 2), ("b", 1)]
    # stored with the ordered header c7 00 01 c0
    assert b.raw == (ParticleType.MAP, bytes.fromhex("83c70001c0a2036102a2036201"))
    # the order of an existing map is not changed by a put's policy
    assert b.op(M.PUT, "c", 3, 0) == 3 and b.flags == K_ORD


def test_put_into_unordered_map_keeps_place_or_inserts_before_greater_key_of_ascending_run():
    b = Bin([("b", 1), ("d", 2)])
    b.op(M.PUT, "c", 0)
    assert b.pairs == [("b", 1), ("c", 0), ("d", 2)]
    b.op(M.PUT, "a", 0)
    assert b.pairs == [("a", 0), ("b", 1), ("c", 0), ("d", 2)]
    b = Bin([("c", 1), ("a", 2)])
    b.op(M.PUT, "b", 0)      # "c" starts the run and is greater
    assert b.pairs == [("b", 0), ("c", 1), ("a", 2)]
    b = Bin([("a", 1), ("c", 2), ("b", 3)])
    b.op(M.PUT, "d", 0)      # past the ascending run: at the end
    assert b.pairs == [("a", 1), ("c", 2), ("b", 3), ("d", 0)]
    b.op(M.PUT, "c", 9)      # replace in place
    assert b.pairs == [("a", 1), ("c", 9), ("b", 3), ("d", 0)]


def test_put_write_flags():
    b = Bin({"a": 1})
    assert b.err(M.PUT, "a", 2, 0, CREATE_ONLY) == ResultCode.ELEMENT_EXISTS
    assert b.err(M.PUT, "z", 2, 0, UPDATE_ONLY) == ResultCode.ELEMENT_NOT_FOUND
    assert b.op(M.PUT, "a", 2, 0, CREATE_ONLY | NO_FAIL) == 1
    assert b.op(M.PUT, "z", 2, 0, UPDATE_ONLY | NO_FAIL) == 1
    assert b.pairs == [("a", 1)]
    assert b.op(M.PUT, "a", 5, 0, UPDATE_ONLY) == 1
    assert b.op(M.PUT, "b", 6, 0, CREATE_ONLY) == 2
    assert b.pairs == [("a", 5), ("b", 6)]


def test_old_write_modes_add_replace():
    b = Bin({"a": 1})
    assert b.err(M.ADD, "a", 2) == ResultCode.ELEMENT_EXISTS
    assert b.op(M.ADD, "b", 2) == 2
    assert b.err(M.REPLACE, "z", 2) == ResultCode.ELEMENT_NOT_FOUND
    assert b.op(M.REPLACE, "a", 9) == 2
    assert b.err(M.ADD_ITEMS, {"c": 3, "a": 0}) == ResultCode.ELEMENT_EXISTS
    assert b.op(M.ADD_ITEMS, {"c": 3}) == 3
    assert b.err(M.REPLACE_ITEMS, {"a": 0, "q": 1}) == ResultCode.ELEMENT_NOT_FOUND
    assert b.op(M.REPLACE_ITEMS, {"a": 0}) == 3
    assert b.pairs == [("a", 0), ("b", 2), ("c", 3)]
    empty = Bin()
    assert empty.err(M.REPLACE, "a", 1) == ResultCode.ELEMENT_NOT_FOUND
    assert empty.err(M.REPLACE_ITEMS, {"a": 1}) == ResultCode.ELEMENT_NOT_FOUND
    assert empty.raw is None
    assert empty.op(M.ADD, "a", 1, KV_ORD) == 1 and empty.flags == KV_ORD


def test_put_items_sorts_unordered_map_and_merges():
    b = unordered()
    assert b.op(M.PUT_ITEMS, {"e": 4, "a": 9}) == 5
    assert b.flags == 0
    assert b.pairs == [("a", 9), ("b", 2), ("c", 3), ("d", 0), ("e", 4)]
    b = Bin()
    assert b.op(M.PUT_ITEMS, {"b": 1, "a": 2}, KV_ORD) == 2
    assert b.flags == KV_ORD and b.pairs == [("a", 2), ("b", 1)]


def test_put_items_flags():
    b = Bin({"a": 1, "b": 2})
    assert b.err(M.PUT_ITEMS, {"a": 0, "c": 3}, 0, CREATE_ONLY) == ResultCode.ELEMENT_EXISTS
    assert b.op(M.PUT_ITEMS, {"a": 0, "c": 3}, 0, CREATE_ONLY | NO_FAIL) == 2
    assert b.pairs == [("a", 1), ("b", 2)]
    assert b.op(M.PUT_ITEMS, {"a": 0, "c": 3}, 0, CREATE_ONLY | NO_FAIL | PARTIAL) == 3
    assert b.pairs == [("a", 1), ("b", 2), ("c", 3)]
    assert b.err(M.PUT_ITEMS, {"a": 7, "z": 3}, 0, UPDATE_ONLY) == ResultCode.ELEMENT_NOT_FOUND
    assert b.op(M.PUT_ITEMS, {"a": 7, "z": 3}, 0, UPDATE_ONLY | NO_FAIL) == 3
    assert b.op(M.PUT_ITEMS, {"a": 7, "z": 3}, 0, UPDATE_ONLY | NO_FAIL | PARTIAL) == 3
    assert b.pairs == [("a", 7), ("b", 2), ("c", 3)]
    # PARTIAL without NO_FAIL still fails
    assert b.err(M.PUT_ITEMS, {"a": 0, "y": 3}, 0, CREATE_ONLY | PARTIAL) == ResultCode.ELEMENT_EXISTS


def test_no_fail_noop_and_empty_items_on_missing_bin_leave_an_empty_map():
    b = Bin()
    assert b.op(M.PUT, "a", 1, K_ORD, UPDATE_ONLY | NO_FAIL) == 0
    assert b.pairs == [] and b.flags == K_ORD
    b = Bin()
    assert b.op(M.PUT_ITEMS, {}) == 0
    assert b.pairs == []


def test_map_keys_must_be_int_string_or_blob():
    b = Bin({"a": 1})
    for bad in (1.5, None, True, [1], {"x": 1}):
        assert b.err(M.PUT, bad, 1) == ResultCode.PARAMETER
    assert b.err(M.PUT, "k", V.WILDCARD) == ResultCode.PARAMETER
    assert b.op(M.PUT, b"bytes", 1) == 2
    assert b.op(M.PUT, -5, 1) == 3


# -- increment / decrement ----------------------------------------------------------------------


def test_increment_and_decrement():
    b = Bin()
    assert b.op(M.INCREMENT, "n", 5, K_ORD) == 5 and b.flags == K_ORD
    assert b.op(M.INCREMENT, "n", 2) == 7
    assert b.op(M.DECREMENT, "n", 10) == -3
    assert b.op(M.INCREMENT, "n") == -2            # no delta: 1
    assert b.op(M.INCREMENT, "n", 2.9) == 0        # int value + (int)2.9
    assert b.op(M.INCREMENT, "f", 1.5) == 1.5
    assert b.op(M.INCREMENT, "f", 2) == 3.5
    assert b.op(M.DECREMENT, "f", 0.5) == 3.0
    assert b.op(M.INCREMENT, "n", None) == 1
    assert b.pairs == [("f", 3.0), ("n", 1)]
    b.op(M.PUT, "s", "str")
    assert b.err(M.INCREMENT, "s", 1) == ResultCode.PARAMETER
    assert b.err(M.INCREMENT, "n", "x") == ResultCode.PARAMETER
    assert b.err(M.INCREMENT, 1.5, 1) == ResultCode.PARAMETER
    b.op(M.PUT, "big", (1 << 63) - 1)
    assert b.op(M.INCREMENT, "big", 1) == -(1 << 63)


# -- set_type, clear, size ----------------------------------------------------------------------


def test_set_type_sorts_and_keeps():
    b = unordered()
    assert b.op(M.SET_TYPE, K_ORD) is None
    assert b.flags == K_ORD and [k for k, _ in b.pairs] == ["a", "b", "c", "d"]
    b.op(M.SET_TYPE, 0)
    assert b.flags == 0 and [k for k, _ in b.pairs] == ["a", "b", "c", "d"]
    b.op(M.SET_TYPE, KV_ORD | 0x10)  # persist index accepted (not kept by spikelite)
    assert b.flags == KV_ORD
    assert b.err(M.SET_TYPE, 0x04) == ResultCode.OP_NOT_APPLICABLE
    assert b.err(M.SET_TYPE) == ResultCode.PARAMETER
    m = Bin()
    m.op(M.SET_TYPE, KV_ORD)
    assert m.pairs == [] and m.flags == KV_ORD


def test_clear_size_and_missing_bin():
    b = Bin({"a": 1}, K_ORD)
    assert b.op(M.SIZE) == 1
    assert b.op(M.CLEAR) is None
    assert b.pairs == [] and b.flags == K_ORD and b.op(M.SIZE) == 0
    m = Bin()
    assert m.op(M.SIZE) is None
    assert m.op(M.CLEAR) is None
    assert m.op(M.REMOVE_BY_KEY, VALUE, "a") is None
    assert m.op(M.REMOVE_BY_INDEX_RANGE, VALUE, 0) is None
    assert m.op(M.GET_BY_KEY, VALUE, "a") is None
    assert m.raw is None


def test_wrong_bin_type_and_op_kind():
    b = Bin()
    b.bins[B] = (ParticleType.LIST, V.pack([1]))
    assert b.err(M.PUT, "a", 1) == ResultCode.BIN_TYPE
    assert b.err(M.SIZE) == ResultCode.BIN_TYPE
    c = Bin({"a": 1})
    with pytest.raises(AerospikeWireError) as info:
        cdt.apply(Op(OpType.CDT_READ, ParticleType.BLOB, B, V.pack([M.PUT, "a", 1])), c.bins)
    assert info.value.code == ResultCode.PARAMETER
    assert c.err(71) == ResultCode.PARAMETER
    assert c.err(M.GET_BY_KEY, VALUE) == ResultCode.PARAMETER
    assert c.err(M.GET_BY_INDEX, VALUE, "x") == ResultCode.PARAMETER
    assert c.err(M.GET_BY_INDEX_RANGE, VALUE, 0, 1, 2) == ResultCode.PARAMETER


# -- selections ---------------------------------------------------------------------------------


def test_by_key_every_return_type_unordered():
    b = unordered()
    assert b.r(M.GET_BY_KEY, NONE, "b") is None
    assert b.r(M.GET_BY_KEY, INDEX, "b") == 1
    assert b.r(M.GET_BY_KEY, REVINDEX, "b") == 2
    assert b.r(M.GET_BY_KEY, RANK, "c") == 3
    assert b.r(M.GET_BY_KEY, REVRANK, "c") == 0
    assert b.r(M.GET_BY_KEY, COUNT, "b") == 1
    assert b.r(M.GET_BY_KEY, KEY, "b") == "b"
    assert b.r(M.GET_BY_KEY, VALUE, "b") == 2
    assert b.r(M.GET_BY_KEY, KV, "b") == ("map", 8, [("b", 2)])
    assert b.r(M.GET_BY_KEY, UMAP, "b") == ("map", 0, [("b", 2)])
    assert b.r(M.GET_BY_KEY, OMAP, "b") == ("map", 1, [("b", 2)])
    assert b.r(M.GET_BY_KEY, EXISTS, "b") is True
    assert b.r(M.GET_BY_KEY, INDEX_RANGE, "b") == [1, 1]
    # not found
    assert b.r(M.GET_BY_KEY, INDEX, "z") == -1
    assert b.r(M.GET_BY_KEY, RANK, "z") == -1
    assert b.r(M.GET_BY_KEY, COUNT, "z") == 0
    assert b.r(M.GET_BY_KEY, VALUE, "z") is None
    assert b.r(M.GET_BY_KEY, EXISTS, "z") is False
    assert b.r(M.GET_BY_KEY, KV, "z") == ("map", 8, [])
    assert b.err(M.GET_BY_KEY, VALUE | INV, "b") == ResultCode.OP_NOT_APPLICABLE
    assert b.err(M.GET_BY_KEY, RANK_RANGE, "b") == ResultCode.OP_NOT_APPLICABLE
    assert b.err(M.GET_BY_KEY, 14, "b") == ResultCode.OP_NOT_APPLICABLE


def test_by_key_ordered_and_remove():
    b = Bin({"a": 1, "b": 2, "c": 3}, K_ORD)
    assert b.r(M.GET_BY_KEY, REVINDEX, "a") == 2
    assert b.r(M.REMOVE_BY_KEY, KV, "b") == ("map", 8, [("b", 2)])
    assert b.pairs == [("a", 1), ("c", 3)] and b.flags == K_ORD
    assert b.r(M.REMOVE_BY_KEY, VALUE, "zz") is None
    assert b.err(M.REMOVE_BY_KEY, VALUE | INV, "a") == ResultCode.OP_NOT_APPLICABLE


def test_by_index_and_rank_single():
    b = unordered()  # key order a b c d; value order d(0) a(1) b(2) c(3)
    assert b.r(M.GET_BY_INDEX, KEY, 0) == "a"
    assert b.r(M.GET_BY_INDEX, KEY, -1) == "d"
    assert b.r(M.GET_BY_INDEX, RANK, 2) == 3
    assert b.r(M.GET_BY_RANK, KEY, 0) == "d"
    assert b.r(M.GET_BY_RANK, INDEX, -1) == 2
    assert b.r(M.GET_BY_RANK, REVINDEX, -1) == 1
    assert b.r(M.GET_BY_RANK, REVRANK, 0) == 3
    for code in (M.GET_BY_INDEX, M.GET_BY_RANK):
        assert b.err(code, KEY, 4) == ResultCode.OP_NOT_APPLICABLE
        assert b.err(code, KEY, -5) == ResultCode.OP_NOT_APPLICABLE
        assert b.err(code, KEY | INV, 0) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.REMOVE_BY_RANK, KV, 0) == ("map", 8, [("d", 0)])
    assert b.r(M.REMOVE_BY_INDEX, VALUE, 0) == 1
    assert b.pairs == [("c", 3), ("b", 2)]


def test_index_range_orders_and_inversion():
    b = unordered()
    assert b.r(M.GET_BY_INDEX_RANGE, KEY, 1, 2) == ["b", "c"]
    assert b.r(M.GET_BY_INDEX_RANGE, KEY, 0) == ["c", "a", "b", "d"]      # all: storage order
    assert b.r(M.GET_BY_INDEX_RANGE, KEY | INV, 1, 2) == ["a", "d"]
    assert b.r(M.GET_BY_INDEX_RANGE, KEY | INV, 1, 1) == ["c", "a", "d"]  # mask: storage order
    assert b.r(M.GET_BY_INDEX_RANGE, INDEX, 1, 2) == [1, 2]
    assert b.r(M.GET_BY_INDEX_RANGE, REVINDEX, 1, 2) == [1, 2]
    assert b.r(M.GET_BY_INDEX_RANGE, REVINDEX, 0, 1) == [3]
    assert b.r(M.GET_BY_INDEX_RANGE, INDEX | INV, 1, 2) == [0, 3]
    assert b.r(M.GET_BY_INDEX_RANGE, RANK, 1, 2) == [2, 3]
    assert b.r(M.GET_BY_INDEX_RANGE, COUNT | INV, 1, 1) == 3
    assert b.r(M.GET_BY_INDEX_RANGE, INDEX_RANGE, 1, 2) == [1, 2]
    assert b.r(M.GET_BY_INDEX_RANGE, REVINDEX_RANGE, 1, 1) == [2, 1]
    assert b.r(M.GET_BY_INDEX_RANGE, KEY, -2) == ["c", "d"]
    assert b.r(M.GET_BY_INDEX_RANGE, KEY, -9, 7) == ["a", "b"]  # starts 5 before the map
    assert b.r(M.GET_BY_INDEX_RANGE, KEY, 9) == []
    assert b.r(M.GET_BY_INDEX_RANGE, INDEX_RANGE, 9) == [4, 0]
    assert b.r(M.GET_BY_INDEX_RANGE, KV, 0, 2) == ("map", 8, [("a", 1), ("b", 2)])
    assert b.r(M.GET_BY_INDEX_RANGE, OMAP | INV, 1, 1) == ("map", 1, [("a", 1), ("c", 3), ("d", 0)])
    assert b.err(M.GET_BY_INDEX_RANGE, RANK_RANGE, 0) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.REMOVE_BY_INDEX_RANGE, KEY | INV, 1, 2) == ["a", "d"]
    assert b.pairs == [("c", 3), ("b", 2)]


def test_index_range_inverted_middle_of_key_ordered_map():
    b = Bin({k: v for k, v in zip("abcde", [5, 4, 3, 2, 1])}, K_ORD)
    assert b.r(M.GET_BY_INDEX_RANGE, INDEX | INV, 1, 2) == [0, 3, 4]
    assert b.r(M.GET_BY_INDEX_RANGE, REVINDEX | INV, 1, 2) == [4, 0, 1]
    assert b.r(M.GET_BY_INDEX_RANGE, RANK | INV, 1, 2) == [4, 1, 0]
    assert b.r(M.GET_BY_INDEX_RANGE, COUNT | INV, 1, 2) == 3
    assert b.err(M.GET_BY_INDEX_RANGE, INDEX_RANGE | INV, 1, 2) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.REMOVE_BY_INDEX_RANGE, KEY | INV, 1, 2) == ["a", "d", "e"]
    assert b.pairs == [("b", 4), ("c", 3)]


def test_rank_range():
    b = unordered()  # ranks: d a b c
    assert b.r(M.GET_BY_RANK_RANGE, KEY, 1, 2) == ["a", "b"]
    assert b.r(M.GET_BY_RANK_RANGE, KEY, -2) == ["b", "c"]
    assert b.r(M.GET_BY_RANK_RANGE, KEY | INV, 1, 2) == ["c", "d"]   # storage order
    assert b.r(M.GET_BY_RANK_RANGE, OMAP, 1, 2) == ("map", 1, [("a", 1), ("b", 2)])
    assert b.r(M.GET_BY_RANK_RANGE, INDEX, 0, 2) == [3, 0]
    assert b.r(M.GET_BY_RANK_RANGE, RANK, 0, 2) == [0, 1]
    assert b.r(M.GET_BY_RANK_RANGE, REVRANK, 0, 2) == [2, 3]
    assert b.r(M.GET_BY_RANK_RANGE, RANK | INV, 1, 2) == [0, 3]
    assert b.r(M.GET_BY_RANK_RANGE, RANK_RANGE, 1, 2) == [1, 2]
    assert b.r(M.GET_BY_RANK_RANGE, EXISTS | INV, 1, 2) is False  # (server quirk)
    assert b.err(M.GET_BY_RANK_RANGE, INDEX_RANGE, 0) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.GET_BY_RANK_RANGE, VALUE, 5) == []
    assert b.r(M.REMOVE_BY_RANK_RANGE, COUNT, -2) == 2
    assert b.pairs == [("a", 1), ("d", 0)]


def test_value_selections():
    b = Bin([("c", 3), ("a", 1), ("b", 1), ("d", 0)])
    assert b.r(M.GET_BY_VALUE, KEY, 1) == "a"
    assert b.r(M.GET_ALL_BY_VALUE, KEY, 1) == ["a", "b"]
    assert b.r(M.GET_ALL_BY_VALUE, KEY | INV, 1) == ["c", "d"]
    assert b.r(M.GET_ALL_BY_VALUE, RANK, 1) == [1, 2]
    assert b.r(M.GET_ALL_BY_VALUE, INDEX, 1) == [0, 1]
    assert b.r(M.GET_ALL_BY_VALUE, RANK_RANGE, 9) == [4, 0]
    assert b.r(M.GET_ALL_BY_VALUE, KEY | INV, 9) == ["c", "a", "b", "d"]
    assert b.err(M.GET_ALL_BY_VALUE, INDEX_RANGE, 1) == ResultCode.OP_NOT_APPLICABLE
    assert b.err(M.GET_BY_VALUE, KEY | INV, 1) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.GET_BY_VALUE_INTERVAL, KEY, 1, 3) == ["a", "b"]
    assert b.r(M.GET_BY_VALUE_INTERVAL, KEY, 1, V.INF) == ["c", "a", "b"]
    assert b.r(M.GET_BY_VALUE_INTERVAL, KEY, 1) == ["c", "a", "b"]
    assert b.r(M.GET_BY_VALUE_INTERVAL, KEY, None, 1) == ["d"]
    assert b.r(M.GET_BY_VALUE_INTERVAL, KEY, 1, None) == []   # an explicit nil end is a value
    assert b.r(M.GET_BY_VALUE_INTERVAL, COUNT | INV, 1, 3) == 2
    assert b.r(M.GET_BY_VALUE_LIST, KEY, [3, 0, 7]) == ["c", "d"]
    assert b.r(M.GET_BY_VALUE_LIST, RANK, [3, 1]) == [3, 1, 2]
    assert b.r(M.GET_BY_VALUE_LIST, RANK | INV, [1]) == [0, 3]
    assert b.r(M.GET_BY_VALUE_LIST, INDEX, [3, 0]) == [2, 3]
    assert b.r(M.GET_BY_VALUE_LIST, VALUE, []) == []
    assert b.err(M.GET_BY_VALUE_LIST, VALUE, 1) == ResultCode.PARAMETER
    assert b.r(M.REMOVE_ALL_BY_VALUE, COUNT, 1) == 2
    assert b.pairs == [("c", 3), ("d", 0)]
    b = Bin({"x": [1, 2], "y": [1, 3], "z": [2, 1]})
    assert b.r(M.GET_ALL_BY_VALUE, KEY, [1, V.WILDCARD]) == ["x", "y"]


def test_key_intervals_lists_and_relative():
    b = unordered()
    assert b.r(M.GET_BY_KEY_INTERVAL, KEY, "b", "d") == ["c", "b"]   # storage order
    assert b.r(M.GET_BY_KEY_INTERVAL, INDEX, "b", "d") == [1, 2]
    assert b.r(M.GET_BY_KEY_INTERVAL, KEY, "b") == ["c", "b", "d"]
    assert b.r(M.GET_BY_KEY_INTERVAL, KEY, "b", None) == []
    assert b.r(M.GET_BY_KEY_INTERVAL, KEY, None, "b") == ["a"]
    assert b.r(M.GET_BY_KEY_INTERVAL, KEY | INV, "b", "d") == ["a", "d"]
    assert b.r(M.GET_BY_KEY_INTERVAL, RANK, "b", "d") == [3, 2]
    assert b.r(M.GET_BY_KEY_LIST, KEY, ["d", "a", "q"]) == ["a", "d"]
    assert b.r(M.GET_BY_KEY_LIST, INDEX, ["d", "a", "q"]) == [3, 0]
    assert b.r(M.GET_BY_KEY_LIST, INDEX | INV, ["d", "a"]) == [1, 2]
    assert b.err(M.GET_BY_KEY_LIST, RANK, ["a"]) == ResultCode.OP_NOT_APPLICABLE
    assert b.r(M.GET_BY_KEY_REL_INDEX_RANGE, KEY, "b", 0, 2) == ["b", "c"]
    assert b.r(M.GET_BY_KEY_REL_INDEX_RANGE, KEY, "bb", -1) == ["a", "b", "c", "d"][1:]
    assert b.r(M.GET_BY_KEY_REL_INDEX_RANGE, KEY, "a", -1, 2) == ["a"]
    assert b.r(M.GET_BY_VALUE_REL_RANK_RANGE, KEY, 2, 0) == ["b", "c"]
    assert b.r(M.GET_BY_VALUE_REL_RANK_RANGE, KEY, 2, -1, 2) == ["a", "b"]
    o = Bin({"a": 1, "b": 2, "c": 3, "d": 4}, K_ORD)
    assert o.r(M.GET_BY_KEY_LIST, INDEX, ["d", "a", "d"]) == [3, 0, 3]
    assert o.r(M.GET_BY_KEY_INTERVAL, KEY, "b", "d") == ["b", "c"]
    assert o.r(M.REMOVE_BY_KEY_INTERVAL, KEY | INV, "b", "d") == ["a", "d"]
    assert o.pairs == [("b", 2), ("c", 3)]


# -- contexts -----------------------------------------------------------------------------------

MAP_KEY, MAP_INDEX, MAP_RANK, MAP_VALUE, LIST_INDEX = 0x22, 0x20, 0x21, 0x23, 0x10


def test_nested_contexts_and_create():
    b = Bin({"p": {"x": 1}, "q": [{"y": 2}]})
    assert b.op(M.PUT, "z", 3, ctx=[(MAP_KEY, "p")]) == 2
    assert b.op(M.GET_BY_KEY, VALUE, "y", ctx=[(MAP_KEY, "q"), (LIST_INDEX, 0)]) == 2
    assert b.op(M.SIZE, ctx=[(MAP_INDEX, 0)]) == 2
    assert b.op(M.GET_BY_RANK, KEY, 0, ctx=[(MAP_VALUE, {"x": 1, "z": 3})]) == "x"
    assert b.err(M.GET_BY_KEY, VALUE, "y", ctx=[(MAP_KEY, "nope")]) == ResultCode.OP_NOT_APPLICABLE
    assert b.err(M.PUT, "k", 1, ctx=[(MAP_KEY, "q")]) == ResultCode.BIN_TYPE
    # create flags: new path, the target map takes the op's order
    assert b.op(M.PUT, "k", 1, K_ORD, ctx=[(MAP_KEY | 0x40, "n"), (MAP_KEY | 0xc0, "inner")]) == 1
    assert b.err(M.PUT, "k", 1, ctx=[(MAP_KEY, "n2"), (MAP_KEY, "inner")]) == ResultCode.OP_NOT_APPLICABLE
    new = {k: v for k, v in b.map}["n"]
    assert plain(new) == ("map", 3, [("inner", ("map", 1, [("k", 1)]))])
    # removes through a create context create nothing
    before = b.raw
    assert b.op(M.REMOVE_BY_KEY, VALUE, "k", ctx=[(MAP_KEY | 0x40, "other")]) is None
    assert b.raw == before
    m = Bin()
    assert m.op(M.INCREMENT, "c", 1, ctx=[(MAP_KEY | 0x80, "k")]) == 1
    assert plain(m.map) == ("map", 1, [("k", ("map", 0, [("c", 1)]))])


# -- property tests against a model --------------------------------------------------------------

keys = st.integers(-5, 12)
vals = st.integers(-3, 6)
maps = st.dictionaries(keys, vals, max_size=8)


def model_key_order(d):
    return sorted(d)


def model_rank_order(d):
    return sorted(d, key=lambda k: (d[k], k))


@settings(max_examples=150, deadline=None)
@given(maps, st.integers(-10, 10), st.integers(0, 10), st.booleans(), st.booleans())
def test_index_and_rank_ranges_match_model(d, index, count, ordered, inverted):
    b = Bin(d, K_ORD if ordered else 0)
    n = len(d)
    start = index + n if index < 0 else index
    lo = max(0, min(start, n))
    hi = max(0, min(start + count, n))
    if start < 0:
        hi = max(0, min(start + count, n))
    flag = INV if inverted else 0
    for code, order in ((M.GET_BY_INDEX_RANGE, model_key_order(d)), (M.GET_BY_RANK_RANGE, model_rank_order(d))):
        picked = order[lo:hi]
        want = [k for k in order if k not in picked] if inverted else picked
        assert sorted(b.r(code, KEY | flag, index, count)) == sorted(want)
        assert b.r(code, COUNT | flag, index, count) == len(want)
        got = b.r(code, UMAP | flag, index, count)
        assert sorted(got[2]) == sorted((k, d[k]) for k in want)
        if not inverted:
            everything = code == M.GET_BY_INDEX_RANGE and len(picked) == n and not ordered
            # a range covering a whole unordered map comes back in storage order
            assert b.r(code, KEY, index, count) == (list(d) if everything else picked)


@settings(max_examples=150, deadline=None)
@given(maps, vals, vals, keys, keys, st.booleans())
def test_value_and_key_intervals_match_model(d, v1, v2, k1, k2, ordered):
    b = Bin(d, K_ORD if ordered else 0)
    korder = model_key_order(d)
    want_v = [k for k in korder if v1 <= d[k] < v2]
    assert sorted(b.r(M.GET_BY_VALUE_INTERVAL, KEY, v1, v2)) == want_v
    want_k = [k for k in korder if k1 <= k < k2]
    assert sorted(b.r(M.GET_BY_KEY_INTERVAL, KEY, k1, k2)) == want_k
    assert sorted(b.r(M.GET_BY_KEY_INTERVAL, KEY | INV, k1, k2)) == [k for k in korder if k not in want_k]
    assert b.r(M.GET_ALL_BY_VALUE, COUNT, v1) == sum(1 for k in d if d[k] == v1)
    ranks = b.r(M.GET_ALL_BY_VALUE, RANK, v1)
    rorder = model_rank_order(d)
    assert ranks == [rorder.index(k) for k in rorder if d[k] == v1]
    if ordered:
        assert b.r(M.GET_BY_KEY_INTERVAL, KEY, k1, k2) == want_k


ops = st.lists(st.one_of(
    st.tuples(st.just("put"), keys, vals),
    st.tuples(st.just("items"), st.dictionaries(keys, vals, max_size=3)),
    st.tuples(st.just("incr"), keys, vals),
    st.tuples(st.just("rmkey"), keys),
    st.tuples(st.just("rmval"), vals),
    st.tuples(st.just("rmidx"), st.integers(-6, 6), st.integers(0, 3)),
    st.tuples(st.just("rmrank"), st.integers(-6, 6), st.integers(0, 3)),
), max_size=12)


@settings(max_examples=150, deadline=None)
@given(ops, st.sampled_from([0, K_ORD, KV_ORD]))
def test_modify_sequences_match_dict_model(seq, flags):
    b = Bin()
    model: dict = {}
    for step in seq:
        kind = step[0]
        if kind == "put":
            assert b.op(M.PUT, step[1], step[2], flags) == len(model | {step[1]: 0})
            model[step[1]] = step[2]
        elif kind == "items":
            model.update(step[1])
            assert b.op(M.PUT_ITEMS, step[1], flags) == (len(model) if step[1] or b.raw else 0)
        elif kind == "incr":
            model[step[1]] = model.get(step[1], 0) + step[2]
            assert b.op(M.INCREMENT, step[1], step[2], flags) == model[step[1]]
        elif kind == "rmkey":
            got = b.op(M.REMOVE_BY_KEY, VALUE, step[1])
            assert got == model.pop(step[1], None)
        elif kind == "rmval":
            gone = sorted(k for k in model if model[k] == step[1])
            got = b.op(M.REMOVE_ALL_BY_VALUE, KEY, step[1])
            assert sorted(got or []) == gone
            for k in gone:
                del model[k]
        else:
            order = model_key_order(model) if kind == "rmidx" else model_rank_order(model)
            n = len(order)
            start = step[1] + n if step[1] < 0 else step[1]
            picked = order[max(0, start):max(0, min(start + step[2], n))] if start + step[2] > 0 else []
            code = M.REMOVE_BY_INDEX_RANGE if kind == "rmidx" else M.REMOVE_BY_RANK_RANGE
            got = b.op(code, KEY, step[1], step[2])
            assert sorted(got or []) == sorted(picked)
            for k in picked:
                del model[k]
        if b.raw is not None:
            m = b.map
            assert {k: v for k, v in m} == model
            if flags:
                assert m.flags == flags and [k for k, _ in m] == sorted(model)
