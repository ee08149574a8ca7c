"""Path expressions (server 8.1.1+): ``operations.select_by_path`` / ``modify_by_path``,
``expressions.SelectByPath`` / ``ModifyByPath``, the path contexts, loop variables and
``RemoveResult``, through the public API of both clients (also run against a real 8.1.2 node)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aerospike
from aerospike import exception as ex
from aerospike_helpers import cdt_ctx as C
from aerospike_helpers import expressions as E
from aerospike_helpers.expressions.resources import ResultType as RT
from aerospike_helpers.operations import expression_operations as XO
from aerospike_helpers.operations import list_operations as LO
from aerospike_helpers.operations import operations as O

A = aerospike
ALL = C.cdt_ctx_all_children
VALUE, KEY, INDEX = A.EXP_LOOPVAR_VALUE, A.EXP_LOOPVAR_KEY, A.EXP_LOOPVAR_INDEX
TREE, VALUES, KEYS, PAIRS = (A.EXP_PATH_SELECT_MATCHING_TREE, A.EXP_PATH_SELECT_VALUE,
                             A.EXP_PATH_SELECT_MAP_KEY, A.EXP_PATH_SELECT_MAP_KEY_VALUE)
NO_FAIL = A.EXP_PATH_SELECT_NO_FAIL

NESTED_LIST = [1, [2, 3], {"a": 1, "b": [4]}, "s"]
NESTED_MAP = {"x": 1, "y": [1, 2], "z": {"q": 5, "r": "t"}}


def inc():
    return E.Add(E.LoopVarInt(VALUE), 1).compile()


def value_above(n):
    return C.cdt_ctx_all_children_with_filter(E.GT(E.LoopVarInt(VALUE), n).compile())


# (id, bin value, ctx, flags, expected result)
SELECTIONS = [
    ("tree_list", NESTED_LIST, [ALL()], TREE, NESTED_LIST),
    ("tree_map_two_levels", NESTED_MAP, [ALL(), ALL()], TREE, NESTED_MAP),
    ("values_map", NESTED_MAP, [ALL()], VALUES, [1, [1, 2], {"q": 5, "r": "t"}]),
    ("values_two_levels_map", NESTED_MAP, [ALL(), ALL()], VALUES, [1, 2, 5, "t"]),
    ("values_two_levels_list", NESTED_LIST, [ALL(), ALL()], VALUES, [2, 3, 1, [4]]),
    ("keys_map", NESTED_MAP, [ALL()], KEYS, ["x", "y", "z"]),
    ("pairs_map", NESTED_MAP, [ALL()], PAIRS, ["x", 1, "y", [1, 2], "z", {"q": 5, "r": "t"}]),
    ("keys_skip_lists_no_fail", NESTED_MAP, [ALL(), ALL()], KEYS | NO_FAIL, ["q", "r"]),
    ("keys_of_list_no_fail", NESTED_LIST, [ALL()], KEYS | NO_FAIL, []),
    ("pairs_two_levels_no_fail", NESTED_LIST, [ALL(), ALL()], PAIRS | NO_FAIL, ["a", 1, "b", [4]]),
    ("map_keys_in", NESTED_MAP, [C.cdt_ctx_map_keys_in(["x", "z", "w"])], PAIRS,
     ["x", 1, "z", {"q": 5, "r": "t"}]),
    ("map_keys_in_and", NESTED_MAP,
     [C.cdt_ctx_map_keys_in(["z", "x"]), C.cdt_ctx_and_filter(E.Eq(E.LoopVarStr(KEY), "x").compile())],
     PAIRS, ["x", 1]),
    ("key_then_all", NESTED_MAP, [C.cdt_ctx_map_key("z"), ALL()], VALUES, [5, "t"]),
    ("missing_key_then_all", NESTED_MAP, [C.cdt_ctx_map_key("w"), ALL()], VALUES, []),
    ("list_index_negative", NESTED_LIST, [C.cdt_ctx_list_index(-1)], VALUES, ["s"]),
    ("list_index_beyond", NESTED_LIST, [C.cdt_ctx_list_index(9)], VALUES, []),
    ("list_rank", NESTED_LIST, [C.cdt_ctx_list_rank(0)], VALUES, [1]),
    ("filter_on_value", [5, 1, 7, 3], [value_above(2)], VALUES, [5, 7, 3]),
    ("filter_on_index", [5, 1, 7, 3],
     [C.cdt_ctx_all_children_with_filter(E.LT(E.LoopVarInt(INDEX), 2).compile())], VALUES, [5, 1]),
    ("filter_tree_nested", {"a": [1, 9], "b": [8, 2]}, [ALL(), value_above(5)], TREE,
     {"a": [9], "b": [8]}),
    ("filter_unknown_no_fail", [1, "x", 3], [value_above(0)], VALUES | NO_FAIL, [1, 3]),
]


@pytest.mark.parametrize("value, ctx, flags, expected", [s[1:] for s in SELECTIONS],
                         ids=[s[0] for s in SELECTIONS])
def test_select_by_path(client, key, value, ctx, flags, expected):
    k = key("sel")
    client.put(k, {"b": value})
    _, _, bins = client.operate(k, [O.select_by_path("b", ctx, flags)])
    assert bins == {"b": expected}
    assert client.get(k)[2] == {"b": value}  # a selection changes nothing


# (id, bin value, ctx, modify expression, flags, stored value after)
MODIFICATIONS = [
    ("increment_all", [1, 2, 3], [ALL()], inc(), 0, [2, 3, 4]),
    ("increment_ints_no_fail", NESTED_LIST, [ALL()], inc(), A.EXP_PATH_MODIFY_NO_FAIL,
     [2, [2, 3], {"a": 1, "b": [4]}, "s"]),
    ("increment_map_no_fail", NESTED_MAP, [ALL()], inc(), A.EXP_PATH_MODIFY_NO_FAIL,
     {"x": 2, "y": [1, 2], "z": {"q": 5, "r": "t"}}),
    ("remove_all_of_map", NESTED_MAP, [ALL()], E.RemoveResult().compile(), 0, {}),
    ("remove_above_one", [1, 2, 3], [value_above(1)], E.RemoveResult().compile(), 0, [1]),
    ("remove_unknown_no_fail", [1, "a", 3], [value_above(1)], E.RemoveResult().compile(),
     A.EXP_PATH_MODIFY_NO_FAIL, [1, "a"]),
    ("index_as_value", [3, 1, 2], [ALL()], E.LoopVarInt(INDEX).compile(), 0, [0, 1, 2]),
    ("key_as_value", NESTED_MAP, [ALL()], E.LoopVarStr(KEY).compile(), 0, {"x": "x", "y": "y", "z": "z"}),
    ("nested_level", {"a": [1, 9], "b": [8, 2]}, [ALL(), value_above(5)], E.RemoveResult().compile(), 0,
     {"a": [1], "b": [2]}),
]


@pytest.mark.parametrize("value, ctx, modify, flags, after", [m[1:] for m in MODIFICATIONS],
                         ids=[m[0] for m in MODIFICATIONS])
def test_modify_by_path(client, key, value, ctx, modify, flags, after):
    k = key("mod")
    client.put(k, {"b": value})
    _, _, bins = client.operate(k, [O.modify_by_path("b", ctx, modify, flags)])
    assert bins == {}  # a modification returns nothing
    assert client.get(k)[2] == {"b": after}


def test_modify_by_path_keeps_an_ordered_list_sorted(client, key):
    k = key("ordered")
    client.put(k, {"b": [3, 1, 2]})
    client.operate(k, [LO.list_set_order("b", A.LIST_ORDERED)])
    negate = E.Sub(0, E.LoopVarInt(VALUE)).compile()
    _, _, bins = client.operate_ordered(k, [O.modify_by_path("b", [ALL()], negate, 0), O.read("b")])
    assert bins == [("b", [-3, -2, -1])]


ERRORS = [
    ("map_keys_of_a_list", NESTED_LIST, lambda: O.select_by_path("b", [ALL()], KEYS), ex.BinIncompatibleType),
    ("list_ctx_on_a_map", NESTED_MAP, lambda: O.select_by_path("b", [C.cdt_ctx_list_index(0)], VALUES),
     ex.InvalidRequest),
    ("map_ctx_on_a_list", NESTED_LIST, lambda: O.select_by_path("b", [C.cdt_ctx_map_key("a")], VALUES),
     ex.InvalidRequest),
    ("unknown_filter", [1, "x"], lambda: O.select_by_path("b", [value_above(0)], VALUES), ex.InvalidRequest),
    ("unknown_modify", NESTED_LIST, lambda: O.modify_by_path("b", [ALL()], inc(), 0), ex.ServerError),
    ("not_a_collection", 5, lambda: O.select_by_path("b", [ALL()], VALUES), ex.BinIncompatibleType),
    ("modify_missing_bin", NESTED_MAP, lambda: O.modify_by_path("nobin", [ALL()], inc(), 0),
     ex.BinIncompatibleType),
    ("modify_with_a_select_kind", NESTED_MAP, lambda: O.modify_by_path("b", [ALL()], inc(), VALUES),
     ex.InvalidRequest),
]


@pytest.mark.parametrize("value, op, error", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_path_errors(client, key, value, op, error):
    k = key("err")
    client.put(k, {"b": value})
    with pytest.raises(error):
        client.operate(k, [op()])
    assert client.get(k)[2] == {"b": value}


def test_select_of_a_missing_bin_returns_nothing(client, key):
    k = key("missing")
    client.put(k, {"b": NESTED_MAP})
    assert client.operate(k, [O.select_by_path("nobin", [ALL()], VALUES)])[2] == {}


def test_select_ignores_the_apply_bit(client, key):
    """select_by_path clears bit 4 (apply) as the C client does: flags 5 select values."""
    k = key("bit4")
    client.put(k, {"b": NESTED_MAP})
    assert client.operate(k, [O.select_by_path("b", [ALL()], 5)])[2] == {"b": [1, [1, 2], {"q": 5, "r": "t"}]}


@pytest.mark.parametrize("op", [lambda: O.select_by_path("b", None, 0), lambda: O.select_by_path("b", [], 0),
                                lambda: O.modify_by_path("b", [], inc(), 0)])
def test_empty_context_is_a_param_error(client, key, op):
    k = key("empty")
    client.put(k, {"b": [1]})
    with pytest.raises(ex.ParamError):
        client.operate(k, [op()])


def test_select_by_path_expression_read(client, key):
    k = key("expread")
    client.put(k, {"b": NESTED_MAP})
    select = E.SelectByPath([ALL(), ALL()], RT.LIST, VALUES | NO_FAIL, E.MapBin("b")).compile()
    assert client.operate(k, [XO.expression_read("r", select)])[2] == {"r": [1, 2, 5, "t"]}


def test_modify_by_path_expression_write(client, key):
    k = key("expwrite")
    client.put(k, {"b": [1, 2, 3]})
    modify = E.ModifyByPath([ALL()], RT.LIST, inc(), 0, E.ListBin("b")).compile()
    client.operate(k, [XO.expression_write("b", modify)])
    assert client.get(k)[2] == {"b": [2, 3, 4]}


def test_select_by_path_in_a_filter_expression(client, key):
    k = key("filter")
    client.put(k, {"b": {"p": {"age": 30}, "q": {"age": 12}}})
    adults = E.SelectByPath([ALL(), C.cdt_ctx_map_key("age")], RT.LIST, VALUES, E.MapBin("b"))
    assert client.get(k, policy={"expressions": E.Eq(adults, [30, 12]).compile()})[2]["b"]["p"] == {"age": 30}
    with pytest.raises(ex.FilteredOut):
        client.get(k, policy={"expressions": E.Eq(adults, [30]).compile()})


# -- generated: invariants that hold for any nested value --------------------------------------

scalars = st.one_of(st.integers(-5, 5), st.sampled_from(["a", "b", "zz"]), st.booleans(), st.none())
nested = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(["a", "b", "c"]), inner,
                                                                       max_size=3)), max_leaves=10)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(value=st.lists(nested, max_size=5))
def test_generated_list_selections(client, key, value):
    k = key("gen_list")
    client.put(k, {"b": value})
    _, _, bins = client.operate_ordered(k, [O.select_by_path("b", [ALL()], TREE),
                                            O.select_by_path("b", [ALL()], VALUES),
                                            O.select_by_path("b", [C.cdt_ctx_list_index(-1)], VALUES)])
    assert bins == [("b", value), ("b", value), ("b", value[-1:])]


@SETTINGS
@given(value=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), nested, max_size=4))
def test_generated_map_selections(client, key, value):
    k = key("gen_map")
    client.put(k, {"b": value})
    _, _, bins = client.operate_ordered(k, [O.select_by_path("b", [ALL()], KEYS),
                                            O.select_by_path("b", [ALL()], PAIRS)])
    assert sorted(bins[0][1]) == sorted(value)
    pairs = bins[1][1]
    assert dict(zip(pairs[::2], pairs[1::2])) == value


@SETTINGS
@given(value=st.lists(st.integers(-1000, 1000), max_size=8), threshold=st.integers(-1000, 1000))
def test_generated_filtered_modification(client, key, value, threshold):
    k = key("gen_mod")
    client.put(k, {"b": value})
    client.operate(k, [O.modify_by_path("b", [value_above(threshold)], E.RemoveResult().compile(), 0)])
    client.operate(k, [O.modify_by_path("b", [ALL()], inc(), 0)])
    assert client.get(k)[2] == {"b": [v + 1 for v in value if v <= threshold]}


# -- loop variables and RemoveResult outside and inside a path ---------------------------------

def test_loop_variable_outside_a_path_is_unknown(client, key):
    k = key("outside")
    client.put(k, {"b": [1, 2]})
    with pytest.raises(ex.FilteredOut):
        client.get(k, policy={"expressions": E.Not(E.Eq(E.LoopVarInt(VALUE), 1)).compile()})
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [XO.expression_read("r", E.LoopVarInt(VALUE).compile())])
    assert client.operate(k, [XO.expression_read("r", E.LoopVarInt(VALUE).compile(),
                                                 A.EXP_READ_EVAL_NO_FAIL)])[2] == {"r": None}
    with pytest.raises(ex.OpNotApplicable):
        client.operate(k, [XO.expression_write("b", E.RemoveResult().compile(), A.EXP_WRITE_ALLOW_DELETE)])
    assert client.get(k)[2] == {"b": [1, 2]}


MODIFY_EXPRESSIONS = [
    ("cond_remove_else_unknown", E.Cond(E.GT(E.LoopVarInt(VALUE), 1), E.RemoveResult(), E.Unknown()),
     A.EXP_PATH_MODIFY_NO_FAIL, [1]),
    ("let_square", E.Let(E.Def("x", E.LoopVarInt(VALUE)), E.Mul(E.Var("x"), E.Var("x"))), 0, [1, 4]),
    ("bin_read_is_unknown_no_fail", E.Add(E.IntBin("i"), E.LoopVarInt(VALUE)), A.EXP_PATH_MODIFY_NO_FAIL,
     [1, 2]),
]


@pytest.mark.parametrize("expression, flags, after", [m[1:] for m in MODIFY_EXPRESSIONS],
                         ids=[m[0] for m in MODIFY_EXPRESSIONS])
def test_modify_expressions_see_only_the_element(client, key, expression, flags, after):
    k = key("element")
    client.put(k, {"b": [1, 2], "i": 5})
    client.operate(k, [O.modify_by_path("b", [ALL()], expression.compile(), flags)])
    assert client.get(k)[2] == {"b": after, "i": 5}


def test_remove_result_mixed_with_values_is_refused(client, key):
    k = key("mixed")
    client.put(k, {"b": [1, 2]})
    mixed = E.Cond(E.GT(E.LoopVarInt(VALUE), 1), E.RemoveResult(), E.LoopVarInt(VALUE)).compile()
    with pytest.raises(ex.InvalidRequest):
        client.operate(k, [O.modify_by_path("b", [ALL()], mixed, 0)])


POINT = A.GeoJSON({"type": "Point", "coordinates": [1.0, 1.0]})
FAR = A.GeoJSON({"type": "Point", "coordinates": [50.0, 50.0]})
SQUARE = A.GeoJSON({"type": "Polygon", "coordinates": [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]})


def keep(expression):
    return [C.cdt_ctx_all_children_with_filter(expression.compile())]


# (id, bin value, ctx, flags, expected): each loop variable type in a filter
TYPED_FILTERS = [
    ("geojson", [POINT, FAR, 5], keep(E.CmpGeo(E.LoopVarGeoJson(VALUE), SQUARE)), VALUES | NO_FAIL,
     ['{"type": "Point", "coordinates": [1.0, 1.0]}']),
    ("blob", [b"ab", b"x", 1], keep(E.Eq(E.LoopVarBlob(VALUE), b"ab")), VALUES | NO_FAIL, [b"ab"]),
    ("float", [1.5, 2.5, 1], keep(E.GT(E.LoopVarFloat(VALUE), 2.0)), VALUES | NO_FAIL, [2.5]),
    ("list", [[1], [2], 3], keep(E.Eq(E.LoopVarList(VALUE), [2])), VALUES | NO_FAIL, [[2]]),
    ("nil", [None, 1], keep(E.Eq(E.LoopVarNil(VALUE), None)), VALUES | NO_FAIL, [None]),
    ("bool", [True, False, 1], keep(E.Eq(E.LoopVarBool(VALUE), True)), VALUES | NO_FAIL, [True]),
    ("list_size", [[1, 2], [3], 4], keep(E.GT(E.ListSize(None, E.LoopVarList(VALUE)), 1)), VALUES | NO_FAIL,
     [[1, 2]]),
    ("map_size", {"a": {"x": 1, "y": 2}, "b": {}}, keep(E.GT(E.MapSize(None, E.LoopVarMap(VALUE)), 0)),
     PAIRS | NO_FAIL, ["a", {"x": 1, "y": 2}]),
    ("int_and", [1, 2, 3, 4], keep(E.Eq(E.IntAnd(E.LoopVarInt(VALUE), 1), 0)), VALUES, [2, 4]),
    ("list_get", [[1, 5], [2, 0]],
     keep(E.GT(E.ListGetByIndex(None, A.LIST_RETURN_VALUE, RT.INTEGER, 1, E.LoopVarList(VALUE)), 3)), VALUES,
     [[1, 5]]),
]


@pytest.mark.parametrize("value, ctx, flags, expected", [f[1:] for f in TYPED_FILTERS],
                         ids=[f[0] for f in TYPED_FILTERS])
def test_loop_variable_types(client, key, value, ctx, flags, expected):
    k = key("typed")
    client.put(k, {"b": value})
    selected = client.operate(k, [O.select_by_path("b", ctx, flags)])[2]["b"]
    assert [str(v) if isinstance(v, A.GeoJSON) else v for v in selected] == expected


def test_background_query_with_path_filter_and_modification(client, ns, set_name, eventually):
    keys = [(ns, set_name, i) for i in range(5)]
    for i, k in enumerate(keys):
        client.put(k, {"m": {"a": i, "b": [i, 10]}})
    first_of_b = E.SelectByPath([C.cdt_ctx_map_key("b"), C.cdt_ctx_list_index(0)], RT.LIST, VALUES, E.MapBin("m"))
    query = client.query(ns, set_name)
    query.add_ops([O.modify_by_path("m", [C.cdt_ctx_map_key("b"), ALL()],
                                    E.Add(E.LoopVarInt(VALUE), 100).compile(), 0)])
    job = query.execute_background(
        {"expressions": E.GT(E.ListGetByIndex(None, A.LIST_RETURN_VALUE, RT.INTEGER, 0, first_of_b), 1).compile()})
    eventually(lambda: client.job_info(job, A.JOB_QUERY)["status"] == A.JOB_STATUS_COMPLETED, timeout=30)
    assert [client.get(k)[2]["m"]["b"] for k in keys] == [[0, 10], [1, 10], [102, 110], [103, 110], [104, 110]]
