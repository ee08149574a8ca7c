"""Map operations (aerospike_helpers.operations.map_operations) with every selector, policy and
return type, as a real server answers them.

Maps are seeded with map_put_items, which stores even an unordered map sorted by key, so the
order of results is deterministic (a dict written with client.put() is packed in the client's
hash order). KEY_VALUE results come back as a flat [key, value, ...] list.
"""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers import cdt_ctx
from aerospike_helpers.operations import map_operations as mo

R_NONE = aerospike.MAP_RETURN_NONE
R_INDEX = aerospike.MAP_RETURN_INDEX
R_REVINDEX = aerospike.MAP_RETURN_REVERSE_INDEX
R_RANK = aerospike.MAP_RETURN_RANK
R_REVRANK = aerospike.MAP_RETURN_REVERSE_RANK
R_COUNT = aerospike.MAP_RETURN_COUNT
R_KEY = aerospike.MAP_RETURN_KEY
R_VALUE = aerospike.MAP_RETURN_VALUE
R_KV = aerospike.MAP_RETURN_KEY_VALUE
R_EXISTS = aerospike.MAP_RETURN_EXISTS
R_UMAP = aerospike.MAP_RETURN_UNORDERED_MAP
R_OMAP = aerospike.MAP_RETURN_ORDERED_MAP

# values: a=1 b=2 c=3 d=0 -> key order a b c d, rank order d a b c
ABCD = {"a": 1, "b": 2, "c": 3, "d": 0}
INF = aerospike.CDTInfinite()


def one(client, k, operation):
    return client.operate(k, [operation])[2].get(operation["bin"])


def results(client, k, ops):
    return [value for _, value in client.operate_ordered(k, ops)[2]]


def bin_of(client, k, name="m"):
    return client.get(k)[2].get(name)


@pytest.fixture(params=[aerospike.MAP_UNORDERED, aerospike.MAP_KEY_ORDERED, aerospike.MAP_KEY_VALUE_ORDERED],
                ids=["unordered", "k_ordered", "kv_ordered"])
def seeded(request, client, key):
    """(key, order) of a record whose bin "m" holds ABCD in the given map order."""
    k = key("seeded")
    client.operate(k, [mo.map_put_items("m", ABCD, {"map_order": request.param})])
    return k, request.param


def test_put_creates_map_and_returns_size(client, key):
    k = key("put")
    assert one(client, k, mo.map_put("m", "b", 1)) == 1
    assert one(client, k, mo.map_put("m", "a", 2)) == 2
    assert one(client, k, mo.map_put("m", "a", 3)) == 2
    assert bin_of(client, k) == {"a": 3, "b": 1}
    assert list(bin_of(client, k)) == ["a", "b"]


def test_key_ordered_map_comes_back_ordered(client, key):
    k = key("ordered")
    client.operate(k, [mo.map_put("m", "z", 1, {"map_order": aerospike.MAP_KEY_ORDERED}),
                       mo.map_put("m", "c", 2), mo.map_put("m", 5, 3)])
    m = bin_of(client, k)
    assert isinstance(m, aerospike.KeyOrderedDict)
    assert list(m.items()) == [(5, 3), ("c", 2), ("z", 1)]
    # an existing map keeps its order whatever the policy says
    client.operate(k, [mo.map_put("m", "a", 0, {"map_order": aerospike.MAP_UNORDERED})])
    assert list(bin_of(client, k)) == [5, "a", "c", "z"]


def test_set_policy_and_create(client, key):
    k = key("policy")
    client.put(k, {"m": {"b": 2, "a": 1}})
    client.operate(k, [mo.map_set_policy("m", {"map_order": aerospike.MAP_KEY_ORDERED})])
    m = bin_of(client, k)
    assert isinstance(m, aerospike.KeyOrderedDict) and list(m) == ["a", "b"]
    client.operate(k, [mo.map_set_policy("m", {"map_order": aerospike.MAP_UNORDERED})])
    m = bin_of(client, k)
    assert not isinstance(m, aerospike.KeyOrderedDict) and m == {"a": 1, "b": 2}
    client.operate(k, [mo.map_create("n", aerospike.MAP_KEY_VALUE_ORDERED, True)])
    assert bin_of(client, k, "n") == {}  # (the official client reads KEY_VALUE_ORDERED maps as plain dicts)
    assert one(client, k, mo.map_put("n", "x", 1)) == 1
    client.operate(k, [mo.map_create("m", aerospike.MAP_KEY_ORDERED, False)])
    assert list(bin_of(client, k)) == ["a", "b"]


def test_write_flags(client, key):
    k = key("flags")
    client.operate(k, [mo.map_put_items("m", {"a": 1, "b": 2})])
    create_only = {"map_write_flags": aerospike.MAP_WRITE_FLAGS_CREATE_ONLY}
    update_only = {"map_write_flags": aerospike.MAP_WRITE_FLAGS_UPDATE_ONLY}
    no_fail = aerospike.MAP_WRITE_FLAGS_NO_FAIL
    partial = aerospike.MAP_WRITE_FLAGS_PARTIAL
    with pytest.raises(ex.ElementExistsError):
        client.operate(k, [mo.map_put("m", "a", 9, create_only)])
    with pytest.raises(ex.ElementNotFoundError):
        client.operate(k, [mo.map_put("m", "z", 9, update_only)])
    with pytest.raises(ex.ElementExistsError):
        client.operate(k, [mo.map_put_items("m", {"a": 0, "c": 3}, create_only)])
    with pytest.raises(ex.ElementNotFoundError):
        client.operate(k, [mo.map_put_items("m", {"a": 0, "z": 3}, update_only)])
    assert bin_of(client, k) == {"a": 1, "b": 2}
    flags = aerospike.MAP_WRITE_FLAGS_CREATE_ONLY | no_fail
    assert one(client, k, mo.map_put("m", "a", 9, {"map_write_flags": flags})) == 2
    assert one(client, k, mo.map_put_items("m", {"a": 0, "c": 3}, {"map_write_flags": flags})) == 2
    assert bin_of(client, k) == {"a": 1, "b": 2}
    assert one(client, k, mo.map_put_items("m", {"a": 0, "c": 3}, {"map_write_flags": flags | partial})) == 3
    flags = aerospike.MAP_WRITE_FLAGS_UPDATE_ONLY | no_fail | partial
    assert one(client, k, mo.map_put_items("m", {"a": 5, "z": 3}, {"map_write_flags": flags})) == 3
    assert one(client, k, mo.map_put("m", "b", 7, update_only)) == 3
    assert bin_of(client, k) == {"a": 5, "b": 7, "c": 3}
    # a no-op NO_FAIL put on a missing bin leaves an empty map
    flags = aerospike.MAP_WRITE_FLAGS_UPDATE_ONLY | no_fail
    assert one(client, k, mo.map_put("e", "a", 1, {"map_write_flags": flags})) == 0
    assert bin_of(client, k, "e") == {}


def test_increment_decrement(client, key):
    k = key("incr")
    assert one(client, k, mo.map_increment("m", "n", 5, {"map_order": aerospike.MAP_KEY_ORDERED})) == 5
    assert one(client, k, mo.map_increment("m", "n", 2)) == 7
    assert one(client, k, mo.map_decrement("m", "n", 10)) == -3
    assert one(client, k, mo.map_increment("m", "f", 1.5)) == 1.5
    assert one(client, k, mo.map_increment("m", "f", 2)) == 3.5
    assert one(client, k, mo.map_decrement("m", "f", 0.5)) == 3.0
    assert one(client, k, mo.map_increment("m", "n", 2.7)) == -1
    assert bin_of(client, k) == {"f": 3.0, "n": -1}
    assert isinstance(bin_of(client, k), aerospike.KeyOrderedDict)
    client.operate(k, [mo.map_put("m", "s", "text")])
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [mo.map_increment("m", "s", 1)])


def test_size_clear_and_missing_bin(client, key):
    k = key("size")
    client.put(k, {"x": 1})
    assert results(client, k, [mo.map_size("m"), mo.map_get_by_key("m", "a", R_VALUE),
                               mo.map_get_by_index_range("m", 0, 5, R_KEY)]) == [None, None, None]
    assert results(client, k, [mo.map_remove_by_key("m", "a", R_VALUE), mo.map_clear("m")]) == [None, None]
    assert "m" not in client.get(k)[2]
    client.operate(k, [mo.map_put_items("m", ABCD, {"map_order": aerospike.MAP_KEY_ORDERED})])
    assert results(client, k, [mo.map_size("m"), mo.map_clear("m"), mo.map_size("m")]) == [4, None, 0]
    assert bin_of(client, k) == {}
    assert isinstance(bin_of(client, k), aerospike.KeyOrderedDict)


def test_errors(client, key):
    k = key("errors")
    client.put(k, {"l": [1, 2], "i": 5})
    client.operate(k, [mo.map_put_items("m", ABCD)])
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(k, [mo.map_put("l", "a", 1)])
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(k, [mo.map_size("i")])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [mo.map_get_by_index("m", 4, R_VALUE)])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [mo.map_remove_by_rank("m", -5, R_VALUE)])
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [mo.map_put("m", 1.5, 1)])
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [mo.map_get_by_key_list("m", ["a"], R_RANK)])
    assert bin_of(client, k) == ABCD


def test_get_by_key_every_return_type(client, seeded):
    k, _ = seeded
    ops = [mo.map_get_by_key("m", "b", rt) for rt in
           (R_NONE, R_INDEX, R_REVINDEX, R_RANK, R_REVRANK, R_COUNT, R_KEY, R_VALUE, R_KV, R_EXISTS, R_UMAP,
            R_OMAP)]
    assert results(client, k, ops) == [None, 1, 2, 2, 1, 1, "b", 2, ["b", 2], True, {"b": 2}, {"b": 2}]
    ops = [mo.map_get_by_key("m", "zz", rt) for rt in
           (R_INDEX, R_RANK, R_COUNT, R_KEY, R_VALUE, R_KV, R_EXISTS, R_UMAP)]
    assert results(client, k, ops) == [-1, -1, 0, None, None, [], False, {}]


def test_get_by_index_and_rank(client, seeded):
    k, _ = seeded
    assert results(client, k, [
        mo.map_get_by_index("m", 0, R_KEY),
        mo.map_get_by_index("m", -1, R_KV),
        mo.map_get_by_index("m", 1, R_RANK),
        mo.map_get_by_rank("m", 0, R_KEY),
        mo.map_get_by_rank("m", -1, R_INDEX),
        mo.map_get_by_rank("m", 0, R_REVINDEX),
        mo.map_get_by_rank("m", 1, R_REVRANK),
    ]) == ["a", ["d", 0], 2, "d", 2, 0, 2]


def test_index_range(client, seeded):
    k, _ = seeded
    assert results(client, k, [
        mo.map_get_by_index_range("m", 1, 2, R_KEY),
        mo.map_get_by_index_range("m", 1, 2, R_VALUE, inverted=True),
        mo.map_get_by_index_range("m", -2, 10, R_KV),
        mo.map_get_by_index_range("m", 0, 2, R_INDEX),
        mo.map_get_by_index_range("m", 0, 2, R_REVINDEX),
        mo.map_get_by_index_range("m", 1, 2, R_RANK),
        mo.map_get_by_index_range("m", 1, 2, R_COUNT, inverted=True),
        mo.map_get_by_index_range("m", 5, 2, R_KEY),
        mo.map_get_by_index_range("m", 3, 9, R_EXISTS),
        mo.map_get_by_index_range("m", 1, 1, R_OMAP, inverted=True),
    ]) == [["b", "c"], [1, 0], ["c", 3, "d", 0], [0, 1], [2, 3], [2, 3], 2, [], True,
           {"a": 1, "c": 3, "d": 0}]


def test_rank_range(client, seeded):
    k, _ = seeded
    assert results(client, k, [
        mo.map_get_by_rank_range("m", 0, 2, R_KEY),
        mo.map_get_by_rank_range("m", -2, 2, R_VALUE),
        mo.map_get_by_rank_range("m", 0, 2, R_INDEX),
        mo.map_get_by_rank_range("m", 0, 2, R_RANK),
        mo.map_get_by_rank_range("m", 0, 2, R_REVRANK),
        mo.map_get_by_rank_range("m", 1, 2, R_KEY, inverted=True),
        mo.map_get_by_rank_range("m", 1, 2, R_UMAP),
        mo.map_get_by_rank_range("m", 9, 1, R_COUNT),
    ]) == [["d", "a"], [2, 3], [3, 0], [0, 1], [2, 3], ["c", "d"], {"a": 1, "b": 2}, 0]


def test_value_selections(client, key):
    k = key("values")
    client.operate(k, [mo.map_put_items("m", {"a": 1, "b": 1, "c": 3, "d": 0})])
    assert results(client, k, [
        mo.map_get_by_value("m", 1, R_KEY),
        mo.map_get_by_value("m", 1, R_KEY, inverted=True),
        mo.map_get_by_value("m", 1, R_RANK),
        mo.map_get_by_value("m", 7, R_COUNT),
        mo.map_get_by_value_list("m", [3, 0, 9], R_KEY),
        mo.map_get_by_value_list("m", [3, 1], R_RANK),
        mo.map_get_by_value_list("m", [1], R_INDEX, inverted=True),
        mo.map_get_by_value_range("m", 1, 3, R_KEY),
        mo.map_get_by_value_range("m", 1, INF, R_VALUE),
        mo.map_get_by_value_range("m", None, 1, R_KV),
        mo.map_get_by_value_range("m", 1, 3, R_COUNT, inverted=True),
        mo.map_get_by_value_rank_range_relative("m", 1, 1, R_KEY),
        mo.map_get_by_value_rank_range_relative("m", 2, -1, R_KEY, count=2),
    ]) == [["a", "b"], ["c", "d"], [1, 2], 0, ["c", "d"], [3, 1, 2], [2, 3], ["a", "b"], [1, 1, 3], ["d", 0], 2,
           ["b", "c"], ["b", "c"]]


def test_key_selections(client, seeded):
    k, _ = seeded
    assert results(client, k, [
        mo.map_get_by_key_list("m", ["d", "a", "q"], R_KEY),
        mo.map_get_by_key_list("m", ["d", "a"], R_VALUE, inverted=True),
        mo.map_get_by_key_list("m", ["d", "a", "q"], R_COUNT),
        mo.map_get_by_key_range("m", "b", "d", R_KEY),
        mo.map_get_by_key_range("m", "b", INF, R_INDEX),
        mo.map_get_by_key_range("m", None, "c", R_VALUE),
        mo.map_get_by_key_range("m", "b", "d", R_KEY, inverted=True),
        mo.map_get_by_key_index_range_relative("m", "b", 0, R_KEY, count=2),
        mo.map_get_by_key_index_range_relative("m", "bb", -1, R_KEY),
        mo.map_get_by_key_index_range_relative("m", "a", -1, R_KEY, count=2),
    ]) == [["a", "d"], [2, 3], 2, ["b", "c"], [1, 2, 3], [1, 2], ["a", "d"], ["b", "c"], ["b", "c", "d"], ["a"]]


def test_removes(client, key):
    k = key("removes")
    seed = mo.map_put_items("m", ABCD, {"map_order": aerospike.MAP_KEY_ORDERED})
    cases = [
        (mo.map_remove_by_key("m", "b", R_VALUE), 2, {"a": 1, "c": 3, "d": 0}),
        (mo.map_remove_by_key("m", "zz", R_VALUE), None, ABCD),
        (mo.map_remove_by_key_list("m", ["a", "d"], R_KV), ["a", 1, "d", 0], {"b": 2, "c": 3}),
        (mo.map_remove_by_key_range("m", "b", "d", R_COUNT), 2, {"a": 1, "d": 0}),
        (mo.map_remove_by_key_range("m", "b", "d", R_KEY, inverted=True), ["a", "d"], {"b": 2, "c": 3}),
        (mo.map_remove_by_key_index_range_relative("m", "b", 1, R_KEY), ["c", "d"], {"a": 1, "b": 2}),
        (mo.map_remove_by_value("m", 3, R_KEY), ["c"], {"a": 1, "b": 2, "d": 0}),
        (mo.map_remove_by_value_list("m", [0, 1], R_INDEX), [0, 3], {"b": 2, "c": 3}),
        (mo.map_remove_by_value_range("m", 1, 3, R_REVRANK), [1, 2], {"c": 3, "d": 0}),
        (mo.map_remove_by_value_rank_range_relative("m", 2, 0, R_VALUE), [2, 3], {"a": 1, "d": 0}),
        (mo.map_remove_by_index("m", 0, R_KV), ["a", 1], {"b": 2, "c": 3, "d": 0}),
        (mo.map_remove_by_index_range("m", 1, 2, R_EXISTS), True, {"a": 1, "d": 0}),
        (mo.map_remove_by_index_range("m", 1, 2, R_NONE, inverted=True), None, {"b": 2, "c": 3}),
        (mo.map_remove_by_rank("m", -1, R_KEY), "c", {"a": 1, "b": 2, "d": 0}),
        (mo.map_remove_by_rank_range("m", 0, 3, R_REVINDEX), [0, 3, 2], {"c": 3}),
        (mo.map_remove_by_rank_range("m", 1, 2, R_KEY, inverted=True), ["c", "d"], {"a": 1, "b": 2}),
    ]
    for operation, want, remaining in cases:
        client.operate(k, [mo.map_clear("m"), seed])
        assert one(client, k, operation) == want, operation
        assert bin_of(client, k) == remaining, operation


def test_nested_contexts(client, key):
    k = key("ctx")
    client.put(k, {"m": {"p": {"x": 1}, "q": [{"y": 2}]}})
    assert one(client, k, mo.map_put("m", "z", 3, ctx=[cdt_ctx.cdt_ctx_map_key("p")])) == 2
    assert one(client, k, mo.map_get_by_key("m", "y", R_VALUE,
                                            ctx=[cdt_ctx.cdt_ctx_map_key("q"), cdt_ctx.cdt_ctx_list_index(0)])) == 2
    assert one(client, k, mo.map_get_by_rank("m", 0, R_KEY, ctx=[cdt_ctx.cdt_ctx_map_index(0)])) == "x"
    assert one(client, k, mo.map_size("m", ctx=[cdt_ctx.cdt_ctx_map_rank(-1)])) == 2
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [mo.map_get_by_key("m", "y", R_VALUE, ctx=[cdt_ctx.cdt_ctx_map_key("nope")])])
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(k, [mo.map_put("m", "a", 1, ctx=[cdt_ctx.cdt_ctx_map_key("q")])])
    # map key create: new nested maps (the created level takes the create order, the target the op's)
    ctx = [cdt_ctx.cdt_ctx_map_key_create("n", aerospike.MAP_KEY_ORDERED)]
    assert one(client, k, mo.map_increment("m", "c", 4, ctx=ctx)) == 4
    assert bin_of(client, k)["n"] == {"c": 4}
    assert one(client, k, mo.map_remove_by_key("m", "c", R_VALUE,
                                               ctx=[cdt_ctx.cdt_ctx_map_key_create("other", 0)])) is None
    assert "other" not in bin_of(client, k)
    k2 = key("ctx2")
    ctx = [cdt_ctx.cdt_ctx_map_key_create("outer", aerospike.MAP_KEY_ORDERED)]
    assert one(client, k2, mo.map_put("m", "b", 1, ctx=ctx)) == 1
    m = bin_of(client, k2)
    assert m == {"outer": {"b": 1}} and isinstance(m, aerospike.KeyOrderedDict)
