"""Unit and property tests of spikelite.binops.cdt.values: the msgpack reader/writer, the server's
value order (msgpack_in.c msgpack_cmp) with wildcard/infinity, and context navigation."""

from __future__ import annotations

import functools

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikelite.binops.cdt import values as V
from spikelite.wire import AerospikeWireError, ResultCode

# -- decoding / encoding ------------------------------------------------------------------------


def test_scalars_decode_with_aerospike_prefixes():
    data = msgpack.packb([None, True, False, 7, -3, 300, -300, 1.5, b"\x03h\xc3\xa9", b"\x04\x00\x01",
                          b"\x17{}", b""], use_bin_type=False)
    value = V.unpack(data)
    assert value[:8] == [None, True, False, 7, -3, 300, -300, 1.5]
    assert value[8] == "hé" and type(value[8]) is str
    assert isinstance(value[9], V.Blob) and bytes(value[9]) == b"\x00\x01" and value[9].prefix == 4
    assert isinstance(value[10], V.Geo) and value[10] == "{}"
    assert isinstance(value[11], V.Blob) and value[11].prefix is None
    assert V.pack(value) == data


def test_bin_family_is_rewritten_as_str_family():
    # c4 (bin 8) holding a string: the server stores str-family headers
    assert V.pack(V.unpack(b"\xc4\x02\x03a")) == b"\xa2\x03a"


def test_non_minimal_ints_are_compacted():
    assert V.pack(V.unpack(b"\xcd\x00\x05")) == b"\x05"
    assert V.pack(V.unpack(b"\xd3\xff\xff\xff\xff\xff\xff\xff\xff")) == b"\xff"
    assert V.pack(V.unpack(b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff")) == b"\xff"  # read as int64 -1


def test_float32_keeps_its_width():
    value = V.unpack(b"\xca\x3f\xc0\x00\x00")
    assert isinstance(value, V.F32) and value == 1.5
    assert V.pack(value) == b"\xca\x3f\xc0\x00\x00"


def test_ordered_list_and_map_headers():
    lst = V.unpack(b"\x93\xc7\x00\x01\x01\x02")
    assert isinstance(lst, V.CdtList) and lst.flags == 1 and lst == [1, 2]
    assert V.pack(lst) == b"\x93\xc7\x00\x01\x01\x02"
    m = V.unpack(b"\x82\xc7\x00\x01\xc0\xa2\x03a\x01")
    assert isinstance(m, V.CdtMap) and m.flags == 1 and list(m) == [("a", 1)]
    assert V.pack(m) == b"\x82\xc7\x00\x01\xc0\xa2\x03a\x01"
    assert V.pack(V.CdtList([1], flags=V.PERSIST_INDEX)) == b"\x91\x01"  # persist flag not sent


def test_wildcard_and_infinity():
    assert V.unpack(b"\xd4\xff\x00") is V.WILDCARD
    assert V.unpack(b"\xd4\xff\x01") is V.INF
    assert V.unpack(b"\xc7\x01\xff\x00") is V.WILDCARD
    assert V.pack(V.WILDCARD) == b"\xd4\xff\x00"
    assert V.has_nonstorage(V.unpack(b"\x92\x01\xd4\xff\x00"))
    assert not V.has_nonstorage([1, [2, {"a": 3}]])


def test_map_keys_that_collide_in_python_dicts_stay_apart():
    data = b"\x83\x01\xa2\x03i\xc3\xa2\x03b\xcb" + b"?\xf0" + b"\x00" * 6 + b"\xa2\x03f"
    m = V.unpack(data)
    assert [k for k, _ in m] == [1, True, 1.0]
    assert V.pack(m) == data


@pytest.mark.parametrize("data", [b"", b"\x92\x01", b"\xa5\x03ab", b"\xc1", b"\xdc\xff\xff\x01"])
def test_malformed_msgpack_is_a_parameter_error(data):
    with pytest.raises(AerospikeWireError) as info:
        V.unpack(data)
    assert info.value.code == ResultCode.PARAMETER


def test_to_particle():
    assert V.to_particle(None) is None
    assert V.to_particle(True) == (17, b"\x01")
    assert V.to_particle(5) == (1, b"\x00" * 7 + b"\x05")
    assert V.to_particle("ab") == (3, b"ab")
    assert V.to_particle(V.Blob(b"xy", 4)) == (4, b"xy")
    assert V.to_particle(V.Geo("{}")) == (23, b"\x00\x00\x00{}")
    assert V.to_particle(V.CdtList([1])) == (20, b"\x91\x01")
    assert V.to_particle(V.CdtMap([(1, 2)])) == (19, b"\x81\x01\x02")


# -- order ------------------------------------------------------------------------------------


def test_type_order():
    ordered = [None, False, True, -(1 << 63), -1, 0, 1 << 62, "", "a", "b", [], [1], [1, 2], [2],
               V.CdtMap(), V.CdtMap([(9, 9)]), V.CdtMap([(1, 1), (1, 2)]), V.Blob(b"", None),
               V.Blob(b"", 4), V.Blob(b"\x00", 4), V.Blob(b"", 7), -1e300, 0.5, V.Geo("{}"),
               V.Ext(5, b"\x00"), V.INF]
    for i, a in enumerate(ordered):
        for j, b in enumerate(ordered):
            assert V.compare(a, b) == (i > j) - (i < j), (a, b)


def test_ints_and_doubles_are_never_compared_numerically():
    assert V.compare(1000, 0.5) < 0
    assert V.compare(True, 1) < 0
    assert V.compare(1, 1.0) != 0


def test_wildcard_stops_the_comparison():
    assert V.compare(V.WILDCARD, [1, 2]) == 0
    assert V.compare([1, V.WILDCARD], [1, 2, 3]) == 0
    assert V.compare([1, V.WILDCARD], [2, 0]) < 0
    # the rest after a wildcard is not looked at
    assert V.compare([[1, V.WILDCARD], 5], [[1, 2], 7]) == 0
    assert V.compare([1, V.INF], [1, 2, 3]) > 0


def test_maps_compare_by_size_first():
    assert V.compare(V.CdtMap([("z", 1)]), V.CdtMap([("a", 1), ("b", 2)])) < 0


storage = st.recursive(
    st.none() | st.booleans() | st.integers(-(1 << 63), (1 << 63) - 1)
    | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.binary(max_size=5).map(lambda b: V.Blob(b, 4)),
    lambda children: st.lists(children, max_size=4).map(V.CdtList)
    | st.lists(st.tuples(children, children), max_size=3).map(V.CdtMap),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(storage)
def test_pack_unpack_round_trip(value):
    data = V.pack(value)
    again = V.unpack(data)
    assert V.compare(again, value) == 0
    assert V.pack(again) == data


@settings(max_examples=200, deadline=None)
@given(st.lists(storage, max_size=8))
def test_sort_key_agrees_with_compare(items):
    by_key = sorted(items, key=V.sort_key)
    by_cmp = sorted(items, key=functools.cmp_to_key(V.compare))
    assert [V.pack(x) for x in by_key] == [V.pack(x) for x in by_cmp]
    for a, b in zip(by_key, by_key[1:]):
        assert V.compare(a, b) <= 0


@settings(max_examples=100, deadline=None)
@given(st.lists(storage, max_size=8), storage)
def test_bisect_value(items, value):
    items = sorted(items, key=V.sort_key)
    pos = V.bisect_value(items, value)
    assert all(V.compare(x, value) < 0 for x in items[:pos])
    assert all(V.compare(x, value) >= 0 for x in items[pos:])


# -- index arithmetic ---------------------------------------------------------------------------


def test_index_count():
    assert V.index_count_single(-1, 1, 3) == (2, 1)
    assert V.index_count_single(3, 1, 3) is None
    assert V.index_count_single(-4, 1, 3) is None
    assert V.index_count_multi(-5, 3, 4) == (0, 2)
    assert V.index_count_multi(-5, 1, 4) == (0, 0)
    assert V.index_count_multi(7, 3, 4) == (4, 0)
    assert V.index_count_multi(1, 100, 4) == (1, 3)
    assert V.rel_index_count(-2, 5, 1) == (0, 4)


# -- contexts -----------------------------------------------------------------------------------


def test_dig_list_and_map():
    root = V.unpack(V.pack(V.CdtList([1, V.CdtMap([("a", V.CdtList([7, 8]))]), 3])))
    t = V.dig(root, [(0x10, 1), (0x22, "a"), (0x10, -1)], False)
    assert t.value == 8
    t = V.dig(root, [(0x10, 1), (0x20, 0)], False)  # map index
    assert t.value == [7, 8]
    t = V.dig(root, [(0x11, 0)], False)  # list rank 0 = lowest value (1)
    assert t.value == 1
    t = V.dig(root, [(0x13, 3)], False)
    assert t.value == 3


@pytest.mark.parametrize("ctx", [[(0x10, 5)], [(0x22, "a")], [(0x13, 99)], [(0x11, -4)], [(0x14, 0)]])
def test_dig_errors_are_op_not_applicable(ctx):
    with pytest.raises(AerospikeWireError) as info:
        V.dig(V.CdtList([1, 2, 3]), ctx, False)
    assert info.value.code == ResultCode.OP_NOT_APPLICABLE


def test_create_on_missing_bin_builds_the_path():
    t = V.dig(V.MISSING, [(0x22 | 0x80, "a"), (0x10 | 0x80, 2)], True)
    assert t.value is V.MISSING
    root = t.set(V.CdtList([5]))
    assert V.pack(root) == V.pack(V.CdtMap([("a", V.CdtList([None, None, V.CdtList([5])]))], 1))


def test_create_key_in_existing_ordered_map():
    root = V.CdtMap([("a", 1), ("c", 2)], flags=1)
    t = V.dig(root, [(0x22 | 0x40, "b")], True)
    t.set(V.CdtList([1]))
    assert [k for k, _ in root] == ["a", "b", "c"]


def test_create_needs_a_modify_op():
    with pytest.raises(AerospikeWireError) as info:
        V.dig(V.CdtMap(), [(0x22 | 0x40, "b")], False)
    assert info.value.code == ResultCode.OP_NOT_APPLICABLE


def test_element_changed_inside_ordered_list_is_resorted():
    root = V.CdtList([V.CdtList([1]), V.CdtList([5])], flags=1)
    t = V.dig(root, [(0x10, 0)], True)
    t.value.insert(0, 7)
    t.unwind()
    assert root == [[5], [7, 1]]
