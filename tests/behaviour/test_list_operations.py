"""List operations (aerospike_helpers.operations.list_operations) and list contexts.

Expected values follow the Aerospike server's list semantics (server `as/src/base/particle_list.c`
and `cdt.c`; /work/shared/protocol/cdt_and_expressions.md §3, §5): negative indexes count from the
end, ranges are clipped to the list while a single out-of-range index or rank is
OP_NOT_APPLICABLE, INVERTED selects the complement, ORDERED lists keep their elements sorted in
the server's value order (nil < bool < int < string < list < map < bytes < double). Rank ranges of
an unordered list come in the order the node's selection heap leaves them (highest rank first when
the range is nearer the low end; ties as the heap breaks them), as a real 8.1.2 node answers.
"""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers import cdt_ctx
from aerospike_helpers.operations import list_operations as lo
from aerospike_helpers.operations import operations as op

R_VALUE = aerospike.LIST_RETURN_VALUE
R_INDEX = aerospike.LIST_RETURN_INDEX
R_RINDEX = aerospike.LIST_RETURN_REVERSE_INDEX
R_RANK = aerospike.LIST_RETURN_RANK
R_RRANK = aerospike.LIST_RETURN_REVERSE_RANK
R_COUNT = aerospike.LIST_RETURN_COUNT
R_EXISTS = aerospike.LIST_RETURN_EXISTS
R_NONE = aerospike.LIST_RETURN_NONE

ITEMS = [5, 7, 1, 9, 5]


@pytest.fixture
def rec(client, key):
    k = key("lists")
    client.put(k, {"l": list(ITEMS), "i": 3, "m": {"a": 1}})
    return k


def result(client, k, operation, bin_="l"):
    return client.operate(k, [operation])[2].get(bin_)


def stored(client, k, bin_="l"):
    return client.get(k)[2].get(bin_)


# -- reads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation,expected", [
    (lo.list_size("l"), 5),
    (lo.list_get("l", 0), 5),
    (lo.list_get("l", -1), 5),
    (lo.list_get_range("l", 1, 2), [7, 1]),
    (lo.list_get_range("l", 3, 10), [9, 5]),
    (lo.list_get_range("l", 10, 2), []),
    (lo.list_get_range("l", -7, 3), [5]),
    (lo.list_get_by_index("l", 3, R_VALUE), 9),
    (lo.list_get_by_index("l", -2, R_INDEX), 3),
    (lo.list_get_by_index("l", 1, R_RINDEX), 3),
    (lo.list_get_by_index("l", 1, R_RANK), 3),
    (lo.list_get_by_index("l", 1, R_RRANK), 1),
    (lo.list_get_by_index("l", 1, R_COUNT), 1),
    (lo.list_get_by_index("l", 1, R_EXISTS), True),
    (lo.list_get_by_index_range("l", 1, R_VALUE, 2), [7, 1]),
    (lo.list_get_by_index_range("l", 1, R_INDEX, 2), [1, 2]),
    (lo.list_get_by_index_range("l", 1, R_RINDEX, 2), [2, 3]),  # a reversed run counts upwards
    (lo.list_get_by_index_range("l", 1, R_RANK, 2), [3, 0]),
    (lo.list_get_by_index_range("l", 1, R_VALUE, 2, inverted=True), [5, 9, 5]),
    (lo.list_get_by_index_range("l", 2, R_VALUE), [1, 9, 5]),
    (lo.list_get_by_index_range("l", -2, R_COUNT, 5), 2),
    (lo.list_get_by_rank("l", 0, R_VALUE), 1),
    (lo.list_get_by_rank("l", -1, R_INDEX), 3),
    (lo.list_get_by_rank_range("l", 1, R_VALUE, 3), [7, 5, 5]),  # the node's heap order
    (lo.list_get_by_rank_range("l", 1, R_INDEX, 3), [0, 1, 4]),
    (lo.list_get_by_rank_range("l", 1, R_VALUE, 3, inverted=True), [1, 9]),
    (lo.list_get_by_rank_range("l", -2, R_VALUE), [7, 9]),
    (lo.list_get_by_value("l", 5, R_INDEX), [0, 4]),
    (lo.list_get_by_value("l", 5, R_COUNT), 2),
    (lo.list_get_by_value("l", 5, R_VALUE, inverted=True), [7, 1, 9]),
    (lo.list_get_by_value("l", 4, R_INDEX), []),
    (lo.list_get_by_value("l", 5, R_EXISTS), True),
    (lo.list_get_by_value_list("l", [9, 5], R_INDEX), [0, 3, 4]),
    (lo.list_get_by_value_list("l", [9, 5], R_VALUE, inverted=True), [7, 1]),
    (lo.list_get_by_value_list("l", [9, 5, 6], R_COUNT), 3),
    (lo.list_get_by_value_range("l", R_VALUE, 5, 9), [5, 7, 5]),
    (lo.list_get_by_value_range("l", R_INDEX, 5, 9), [0, 1, 4]),
    (lo.list_get_by_value_range("l", R_RANK, 5, 9), [1, 2, 3]),
    (lo.list_get_by_value_range("l", R_VALUE, 5, 9, inverted=True), [1, 9]),
    (lo.list_get_by_value_range("l", R_COUNT, 9, 5), 0),
    (lo.list_get_by_value_range("l", R_VALUE, 6, aerospike.CDTInfinite()), [7, 9]),
    (lo.list_get_by_value_rank_range_relative("l", 5, 0, R_VALUE), [5, 5, 7, 9]),
    (lo.list_get_by_value_rank_range_relative("l", 6, -1, R_VALUE, 2), [5, 7]),
    (lo.list_get_by_value_rank_range_relative("l", 2, -2, R_VALUE, 3), [5, 1]),
    (lo.list_get_by_value_rank_range_relative("l", 7, 0, R_VALUE, 2, inverted=True), [5, 1, 5]),
])
def test_read_ops(client, rec, operation, expected):
    assert result(client, rec, operation) == expected
    assert stored(client, rec) == ITEMS


@pytest.mark.parametrize("operation", [
    lo.list_get("l", 5),
    lo.list_get("l", -6),
    lo.list_get_by_index("l", 5, R_VALUE),
    lo.list_get_by_rank("l", 5, R_VALUE),
    lo.list_pop("l", 9),
    lo.list_remove("l", -9),
    lo.list_insert("l", -9, 0),
    lo.list_set("l", -9, 0),
    lo.list_increment("l", -9, 1),
])
def test_single_index_out_of_bounds(client, rec, operation):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [operation])
    assert stored(client, rec) == ITEMS


def test_wildcard_value(client, key):
    k = key("wild")
    client.put(k, {"l": [[1, "a"], [1, "b"], [2, "a"]]})
    assert result(client, k, lo.list_get_by_value("l", [1, aerospike.CDTWildcard()], R_VALUE)) == [
        [1, "a"], [1, "b"]]
    assert result(client, k, lo.list_get_by_value_range(
        "l", R_COUNT, [1, aerospike.CDTWildcard()], [2, aerospike.CDTWildcard()])) == 2


def test_value_order_across_types(client, key):
    k = key("order")
    client.put(k, {"l": [b"b", 1.5, {"k": 1}, [1], "s", 10, True, None]})
    client.operate(k, [lo.list_sort("l")])
    assert stored(client, k) == [None, True, 10, "s", [1], {"k": 1}, b"b", 1.5]


# -- writes -------------------------------------------------------------------------------------


def test_append_insert_set(client, rec):
    assert result(client, rec, lo.list_append("l", "x")) == 6
    assert result(client, rec, lo.list_append_items("l", [8, 8])) == 8
    assert result(client, rec, lo.list_insert("l", 1, "y")) == 9
    assert result(client, rec, lo.list_insert_items("l", -1, [0, 0])) == 11
    assert result(client, rec, lo.list_insert("l", 13, "z")) == 14
    client.operate(rec, [lo.list_set("l", 0, "first")])
    assert stored(client, rec) == ["first", "y", 7, 1, 9, 5, "x", 8, 0, 0, 8, None, None, "z"]


def test_append_to_missing_bin_creates_the_list(client, rec):
    assert result(client, rec, lo.list_append("new", 3, policy={"list_order": aerospike.LIST_ORDERED}),
                  "new") == 1
    client.operate(rec, [lo.list_append_items("new", [9, 1])])
    assert stored(client, rec, "new") == [1, 3, 9]


def test_ordered_list(client, rec):
    client.operate(rec, [lo.list_set_order("l", aerospike.LIST_ORDERED)])
    assert stored(client, rec) == [1, 5, 5, 7, 9]
    client.operate(rec, [lo.list_append("l", 6), lo.list_append_items("l", [0, 10])])
    assert stored(client, rec) == [0, 1, 5, 5, 6, 7, 9, 10]
    assert result(client, rec, lo.list_get_by_value_list("l", [9, 5], R_INDEX)) == [6, 2, 3]
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [lo.list_insert("l", 0, 3)])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [lo.list_set("l", 0, 3)])
    assert result(client, rec, lo.list_increment("l", 0, 8)) == 8
    assert stored(client, rec) == [1, 5, 5, 6, 7, 8, 9, 10]
    client.operate(rec, [lo.list_set_order("l", aerospike.LIST_UNORDERED), lo.list_append("l", 0)])
    assert stored(client, rec) == [1, 5, 5, 6, 7, 8, 9, 10, 0]


@pytest.mark.parametrize("flags,outcome,after", [
    (aerospike.LIST_WRITE_ADD_UNIQUE, ex.ElementExistsError, ITEMS),
    (aerospike.LIST_WRITE_ADD_UNIQUE | aerospike.LIST_WRITE_NO_FAIL, 5, ITEMS),
    (aerospike.LIST_WRITE_ADD_UNIQUE | aerospike.LIST_WRITE_NO_FAIL | aerospike.LIST_WRITE_PARTIAL, 6,
     ITEMS + [3]),
    (aerospike.LIST_WRITE_DEFAULT, 7, ITEMS + [3, 5]),
])
def test_append_items_write_flags(client, rec, flags, outcome, after):
    operation = lo.list_append_items("l", [3, 5], policy={"write_flags": flags})
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            client.operate(rec, [operation])
    else:
        assert result(client, rec, operation) == outcome
    assert stored(client, rec) == after


def test_add_unique_duplicates_within_the_items(client, rec):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [lo.list_append_items("l", [3, 3], policy={
            "write_flags": aerospike.LIST_WRITE_ADD_UNIQUE})])


def test_insert_bounded(client, rec):
    bounded = {"write_flags": aerospike.LIST_WRITE_INSERT_BOUNDED}
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [lo.list_insert("l", 6, 0, policy=bounded)])
    no_fail = {"write_flags": aerospike.LIST_WRITE_INSERT_BOUNDED | aerospike.LIST_WRITE_NO_FAIL}
    assert result(client, rec, lo.list_insert("l", 6, 0, policy=no_fail)) == 5
    assert result(client, rec, lo.list_insert("l", 5, 0, policy=bounded)) == 6
    assert stored(client, rec) == ITEMS + [0]


def test_increment(client, key):
    k = key("incr")
    client.put(k, {"l": [1, 2.5, "s"]})
    assert result(client, k, lo.list_increment("l", 0, 5)) == 6
    assert result(client, k, lo.list_increment("l", 1, 1)) == 3.5
    assert result(client, k, lo.list_increment("l", 4, 2)) == 2
    assert stored(client, k) == [6, 3.5, "s", None, 2]
    with pytest.raises(ex.AerospikeError) as info:  # a string element: PARAMETER (4)
        client.operate(k, [lo.list_increment("l", 2, 1)])
    assert info.value.code == 4


def test_sort_and_clear(client, rec):
    client.operate(rec, [lo.list_sort("l", aerospike.LIST_SORT_DROP_DUPLICATES)])
    assert stored(client, rec) == [1, 5, 7, 9]
    client.operate(rec, [lo.list_clear("l")])
    assert stored(client, rec) == []


# -- removes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation,expected,after", [
    (lo.list_pop("l", 1), 7, [5, 1, 9, 5]),
    (lo.list_pop_range("l", -2, 5), [9, 5], [5, 7, 1]),
    (lo.list_remove("l", 0), 1, [7, 1, 9, 5]),
    (lo.list_remove_range("l", 1, 2), 2, [5, 9, 5]),
    (lo.list_trim("l", 1, 3), 2, [7, 1, 9]),
    (lo.list_remove_by_index("l", 0, R_VALUE), 5, [7, 1, 9, 5]),
    (lo.list_remove_by_index_range("l", 1, R_INDEX, 2), [1, 2], [5, 9, 5]),
    (lo.list_remove_by_index_range("l", 1, R_VALUE, 2, inverted=True), [5, 9, 5], [7, 1]),
    (lo.list_remove_by_rank("l", 0, R_INDEX), 2, [5, 7, 9, 5]),
    (lo.list_remove_by_rank_range("l", -2, R_VALUE), [7, 9], [5, 1, 5]),
    (lo.list_remove_by_rank_range("l", 0, R_COUNT, 1, inverted=True), 4, [1]),
    (lo.list_remove_by_value("l", 5, R_COUNT), 2, [7, 1, 9]),
    (lo.list_remove_by_value("l", 5, R_INDEX, inverted=True), [1, 2, 3], [5, 5]),
    (lo.list_remove_by_value_list("l", [1, 9], R_NONE), None, [5, 7, 5]),
    (lo.list_remove_by_value_range("l", R_VALUE, 5, 8), [5, 7, 5], [1, 9]),
    (lo.list_remove_by_value_range("l", R_COUNT, 5, 8, inverted=True), 2, [5, 7, 5]),
    (lo.list_remove_by_value_rank_range_relative("l", 6, 0, R_VALUE), [7, 9], [5, 1, 5]),
    (lo.list_remove_by_value_rank_range_relative("l", 6, -1, R_COUNT, 1), 1, [7, 1, 9, 5]),  # tie: heap picks index 0
])
def test_remove_ops(client, rec, operation, expected, after):
    assert result(client, rec, operation) == expected
    assert stored(client, rec) == after


def test_removes_on_missing_bin_do_nothing(client, rec):
    _, _, bins = client.operate(rec, [lo.list_remove_by_index("nope", 0, R_VALUE), lo.list_pop("nope", 0),
                                      op.read("i")])
    assert bins.get("nope") is None
    assert "nope" not in client.get(rec)[2]


def test_read_of_missing_bin_is_none(client, rec):
    assert result(client, rec, lo.list_size("nope"), "nope") is None


@pytest.mark.parametrize("bin_", ["i", "m"])
def test_list_op_on_other_bin_types(client, rec, bin_):
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(rec, [lo.list_append(bin_, 1)])
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(rec, [lo.list_size(bin_)])


def test_failed_op_leaves_the_record_unchanged(client, rec):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(rec, [lo.list_append("l", 0), lo.list_get("l", 99)])
    assert stored(client, rec) == ITEMS


# -- contexts -----------------------------------------------------------------------------------


@pytest.fixture
def nested(client, key):
    k = key("nested")
    client.put(k, {"l": [[3, 1], {"k": [7, 8]}, [9]]})
    return k


def test_context_index_rank_value(client, nested):
    assert result(client, nested, lo.list_get_by_rank("l", 0, R_VALUE, ctx=[cdt_ctx.cdt_ctx_list_index(0)])) == 1
    client.operate(nested, [lo.list_append("l", 9, ctx=[cdt_ctx.cdt_ctx_list_index(1),
                                                         cdt_ctx.cdt_ctx_map_key("k")])])
    client.operate(nested, [lo.list_append("l", 2, ctx=[cdt_ctx.cdt_ctx_list_value([9])])])
    client.operate(nested, [lo.list_append("l", 4, ctx=[cdt_ctx.cdt_ctx_list_rank(0)])])
    assert stored(client, nested) == [[3, 1, 4], {"k": [7, 8, 9]}, [9, 2]]


def test_context_errors(client, nested):
    with pytest.raises(ex.OpNotApplicable):
        client.operate(nested, [lo.list_append("l", 1, ctx=[cdt_ctx.cdt_ctx_list_index(5)])])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(nested, [lo.list_size("l", ctx=[cdt_ctx.cdt_ctx_list_index(1),
                                                      cdt_ctx.cdt_ctx_map_key("zz")])])
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(nested, [lo.list_size("l", ctx=[cdt_ctx.cdt_ctx_list_index(1)])])


def test_context_create(client, nested):
    client.operate(nested, [lo.list_append("l", 5, ctx=[cdt_ctx.cdt_ctx_list_index_create(
        5, aerospike.LIST_UNORDERED, True)])])
    assert stored(client, nested) == [[3, 1], {"k": [7, 8]}, [9], None, None, [5]]
    client.operate(nested, [lo.list_append("l", 1, ctx=[cdt_ctx.cdt_ctx_list_index(1),
                                                         cdt_ctx.cdt_ctx_map_key_create("new")])])
    assert stored(client, nested)[1] == {"k": [7, 8], "new": [1]}


def test_context_create_on_missing_bin(client, rec):
    client.operate(rec, [lo.list_append("fresh", "v", ctx=[cdt_ctx.cdt_ctx_list_index_create(
        0, aerospike.LIST_ORDERED)])])
    assert stored(client, rec, "fresh") == [["v"]]


def test_list_create(client, rec):
    client.operate(rec, [lo.list_create("m", aerospike.LIST_ORDERED, False, False,
                                        ctx=[cdt_ctx.cdt_ctx_map_key("b")])])
    client.operate(rec, [lo.list_append_items("m", [3, 1], ctx=[cdt_ctx.cdt_ctx_map_key("b")])])
    assert stored(client, rec, "m") == {"a": 1, "b": [1, 3]}
