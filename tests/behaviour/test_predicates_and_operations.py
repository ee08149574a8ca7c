"""The plain values built by aerospike.predicates and aerospike_helpers.operations.operations.

No server needed. Expected values are written out literally; every one was checked against
the official 19.x client.

Predicate tuples: (kind, datatype, bin, value(s)..., [None, index_type]) with kind 0 for
equality and 1 for range, datatype 0 string, 4 numeric (INDEX_NUMERIC), 2 geo, 3 blob.
"""

import re
import warnings

import aerospike
import aerospike_helpers
import pytest
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers.operations import operations as op


class StrSub(str):
    pass


class IntSub(int):
    def __repr__(self):
        return "not-used"


class FloatSub(float):
    def __repr__(self):
        return "not-used"


def test_constants_used_in_the_tuples():
    assert (aerospike.INDEX_STRING, aerospike.INDEX_NUMERIC, aerospike.INDEX_GEO2DSPHERE,
            aerospike.INDEX_BLOB) == (0, 4, 2, 3)
    assert (aerospike.INDEX_TYPE_DEFAULT, aerospike.INDEX_TYPE_LIST, aerospike.INDEX_TYPE_MAPKEYS,
            aerospike.INDEX_TYPE_MAPVALUES) == (0, 1, 2, 3)


def test_module_contents():
    assert sorted(n for n in dir(p) if not n.startswith("_")) == [
        "between", "contains", "equals", "geo_contains_geojson_point", "geo_contains_point",
        "geo_within_geojson_region", "geo_within_radius", "range"]


# -- equals / between --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("b", 1), (0, 4, "b", 1)),
    (("b", -5), (0, 4, "b", -5)),
    (("b", True), (0, 4, "b", True)),
    (("b", 2**70), (0, 4, "b", 2**70)),          # no range check
    (("b", -2**63 - 1), (0, 4, "b", -2**63 - 1)),
    (("b", "x"), (0, 0, "b", "x")),
    (("b", ""), (0, 0, "b", "")),
    (("b", b"x"), (0, 3, "b", b"x")),
    (("b", bytearray(b"ab")), (0, 3, "b", bytearray(b"ab"))),
    ((None, 1), (0, 4, None, 1)),                 # the bin is not checked at all
    ((1, "x"), (0, 0, 1, "x")),
    ((("t",), 1), (0, 4, ("t",), 1)),
])
def test_equals(args, expected):
    result = p.equals(*args)
    assert type(result) is tuple
    assert result == expected
    assert [type(x) for x in result] == [type(x) for x in expected]


def test_equals_keeps_subclass_values():
    bin_name = StrSub("b")
    result = p.equals(bin_name, StrSub("v"))
    assert result == (0, 0, "b", "v")
    assert type(result[2]) is StrSub and type(result[3]) is StrSub
    assert p.equals("b", aerospike_helpers.HyperLogLog(b"h")) == (0, 3, "b", b"h")


@pytest.mark.parametrize("val", [1.5, None, [1], {"a": 1}, (1,), memoryview(b"x")])
def test_equals_unusable_value_gives_none(val):
    assert p.equals("b", val) is None


def test_equals_geojson_value_gives_none():
    assert p.equals("b", aerospike.GeoJSON({"type": "Point"})) is None


@pytest.mark.parametrize("args, expected", [
    (("b", 1, 5), (1, 4, "b", 1, 5)),
    (("b", 5, 1), (1, 4, "b", 5, 1)),
    (("b", True, 2), (1, 4, "b", True, 2)),
    (("b", -2**70, 2**70), (1, 4, "b", -2**70, 2**70)),
    ((None, 1, 2), (1, 4, None, 1, 2)),
])
def test_between(args, expected):
    assert p.between(*args) == expected


@pytest.mark.parametrize("low, high", [("a", "z"), (1.0, 2), (1, 2.0), (b"a", b"b"), (1, "z"), (None, 1)])
def test_between_non_integers_give_none(low, high):
    assert p.between("b", low, high) is None


# -- contains / range --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("b", aerospike.INDEX_TYPE_LIST, 1), (0, 4, "b", 1, None, 1)),
    (("b", aerospike.INDEX_TYPE_LIST, "x"), (0, 0, "b", "x", None, 1)),
    (("b", aerospike.INDEX_TYPE_MAPKEYS, "x"), (0, 0, "b", "x", None, 2)),
    (("b", aerospike.INDEX_TYPE_MAPVALUES, 5), (0, 4, "b", 5, None, 3)),
    (("b", aerospike.INDEX_TYPE_DEFAULT, 5), (0, 4, "b", 5, None, 0)),
    (("b", aerospike.INDEX_TYPE_LIST, b"x"), (0, 3, "b", b"x", None, 1)),
    (("b", 1, True), (0, 4, "b", True, None, 1)),
    ((None, 1, 1), (0, 4, None, 1, None, 1)),
    # the index type is not validated, only squeezed into a 32-bit C int
    (("b", 99, 5), (0, 4, "b", 5, None, 99)),
    (("b", -1, 5), (0, 4, "b", 5, None, -1)),
    (("b", True, 5), (0, 4, "b", 5, None, 1)),
    (("b", 2**31, 5), (0, 4, "b", 5, None, -2**31)),
    (("b", 2**32 + 3, 5), (0, 4, "b", 5, None, 3)),
    (("b", 2**40, 5), (0, 4, "b", 5, None, 0)),
    (("b", 2**63 - 1, 5), (0, 4, "b", 5, None, -1)),
    (("b", -2**31 - 1, 5), (0, 4, "b", 5, None, 2**31 - 1)),
])
def test_contains(args, expected):
    result = p.contains(*args)
    assert result == expected
    assert type(result[5]) is int


@pytest.mark.parametrize("index_type, val", [(1, 1.5), (1, None), (1, [1]), ("x", 1), (None, 1), (1.0, 1)])
def test_contains_unusable_arguments_give_none(index_type, val):
    assert p.contains("b", index_type, val) is None


@pytest.mark.parametrize("args, expected", [
    (("b", aerospike.INDEX_TYPE_LIST, 1, 5), (1, 4, "b", 1, 5, 1)),
    (("b", aerospike.INDEX_TYPE_MAPKEYS, 1, 5), (1, 4, "b", 1, 5, 2)),
    (("b", aerospike.INDEX_TYPE_MAPVALUES, -5, 5), (1, 4, "b", -5, 5, 3)),
    ((None, 0, True, 2), (1, 4, None, True, 2, 0)),
    (("b", False, 1, 2), (1, 4, "b", 1, 2, 0)),
    (("b", 2**40 + 5, 1, 2), (1, 4, "b", 1, 2, 5)),
    (("b", -2**31 - 1, 1, 2), (1, 4, "b", 1, 2, 2**31 - 1)),
])
def test_range(args, expected):
    assert p.range(*args) == expected


@pytest.mark.parametrize("index_type, low, high", [(1, "a", "b"), (1, 1, 2.0), (1, b"a", b"b"), ("x", 1, 2), (None, 1, 2)])
def test_range_unusable_arguments_give_none(index_type, low, high):
    assert p.range("b", index_type, low, high) is None


@pytest.mark.parametrize("call, name", [
    (lambda: p.contains("b", 2**63, 1), "contains"),
    (lambda: p.contains("b", -2**63 - 1, 1.5), "contains"),
    (lambda: p.range("b", 2**64, 1, 2), "range"),
    (lambda: p.range("b", 2**70, 1, "x"), "range"),
])
def test_index_type_beyond_int64_is_a_system_error(call, name):
    with pytest.raises(SystemError, match=re.escape(f"<built-in function {name}> returned a result with an exception set")):
        call()


# -- geo predicates ----------------------------------------------------------------------------------

def test_geo_within_geojson_region():
    region = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}'
    assert p.geo_within_geojson_region("g", region) == (1, 2, "g", region, None, 0)
    assert p.geo_within_geojson_region("g", region, aerospike.INDEX_TYPE_LIST) == (1, 2, "g", region, None, 1)
    # neither the text nor the bin nor the index type is validated
    assert p.geo_within_geojson_region(None, "junk") == (1, 2, None, "junk", None, 0)
    assert p.geo_within_geojson_region(1, "{}", "x") == (1, 2, 1, "{}", None, "x")
    assert p.geo_within_geojson_region("g", "{}", None) == (1, 2, "g", "{}", None, None)
    assert p.geo_within_geojson_region("g", "{}", 2**70) == (1, 2, "g", "{}", None, 2**70)
    assert type(p.geo_within_geojson_region("g", StrSub("{}"))[3]) is StrSub


def test_geo_contains_geojson_point():
    point = '{"type":"Point","coordinates":[1,2]}'
    assert p.geo_contains_geojson_point("g", point) == (1, 2, "g", point, None, 0)
    assert p.geo_contains_geojson_point("g", point, 3) == (1, 2, "g", point, None, 3)
    assert p.geo_contains_geojson_point(None, "{}", 1.0) == (1, 2, None, "{}", None, 1.0)


@pytest.mark.parametrize("shape", [b"{}", {"type": "Point"}, None, 1])
def test_geojson_text_predicates_need_a_string(shape):
    assert p.geo_within_geojson_region("g", shape) is None
    assert p.geo_contains_geojson_point("g", shape) is None
    assert p.geo_within_geojson_region("g", aerospike.GeoJSON({"type": "Point"})) is None


@pytest.mark.parametrize("args, expected", [
    (("g", 1.5, 2.5, 100), (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[1.5, 2.5], 100]}', None, 0)),
    (("g", 1, 2, 100.0, aerospike.INDEX_TYPE_MAPVALUES),
     (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[1, 2], 100.0]}', None, 3)),
    ((None, -122.12345678901234, 37.0, 1e-7),
     (1, 2, None, '{"type": "AeroCircle", "coordinates": [[-122.12345678901234, 37.0], 1e-07]}', None, 0)),
    (("g", True, False, 3), (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[true, false], 3]}', None, 0)),
    (("g", 2**70, 1e20, -0.0),
     (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[1180591620717411303424, 1e+20], -0.0]}', None, 0)),
    (("g", float("nan"), float("inf"), float("-inf")),
     (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[NaN, Infinity], -Infinity]}', None, 0)),
    (("g", IntSub(1), FloatSub(2.5), 3, "x"),
     (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[1, 2.5], 3]}', None, "x")),
    ((StrSub("g"), 1, 2, 3, None), (1, 2, "g", '{"type": "AeroCircle", "coordinates": [[1, 2], 3]}', None, None)),
])
def test_geo_within_radius(args, expected):
    assert p.geo_within_radius(*args) == expected


@pytest.mark.parametrize("args, expected", [
    (("g", 1.5, 2.5), (1, 2, "g", '{"type": "Point", "coordinates": [1.5, 2.5]}', None, 0)),
    (("g", -122, 37, aerospike.INDEX_TYPE_LIST), (1, 2, "g", '{"type": "Point", "coordinates": [-122, 37]}', None, 1)),
    ((None, True, 0.1), (1, 2, None, '{"type": "Point", "coordinates": [true, 0.1]}', None, 0)),
    (("g", 1 / 3, 2**70, "x"),
     (1, 2, "g", '{"type": "Point", "coordinates": [0.3333333333333333, 1180591620717411303424]}', None, "x")),
])
def test_geo_contains_point(args, expected):
    assert p.geo_contains_point(*args) == expected


@pytest.mark.parametrize("args", [
    ("g", "1", 2, 3), ("g", 1, None, 3), ("g", 1, 2, "3"), ("g", 1, 2, b"3"), ("g", [1], 2, 3),
    (1, 1, 2, 3), (b"g", 1, 2, 3), (("g",), 1, 2, 3),
])
def test_geo_within_radius_bad_arguments(args):
    with pytest.raises(ex.ParamError) as info:
        p.geo_within_radius(*args)
    assert (info.value.code, info.value.msg) == (
        -2, "Latitude, longitude and radius should be integer or double type, bin of string type")


@pytest.mark.parametrize("args", [("g", "1", 2), ("g", 1, None), ("g", b"1", 2), (7, 1, 2), (b"g", 1, 2)])
def test_geo_contains_point_bad_arguments(args):
    with pytest.raises(ex.ParamError) as info:
        p.geo_contains_point(*args)
    assert (info.value.code, info.value.msg) == (
        -2, "Latitude and longitude should be integer or double type, bin of string type")


# -- predicate argument errors -----------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: p.equals(), "equals() takes exactly 2 arguments (0 given)"),
    (lambda: p.equals("b"), "equals() takes exactly 2 arguments (1 given)"),
    (lambda: p.equals("b", 1, []), "equals() takes exactly 2 arguments (3 given)"),
    (lambda: p.equals(bin="b", val=1), "equals() takes no keyword arguments"),
    (lambda: p.between("b", 1), "between() takes exactly 3 arguments (2 given)"),
    (lambda: p.between("b", 1, 2, []), "between() takes exactly 3 arguments (4 given)"),
    (lambda: p.between("b", 1, max=2), "between() takes no keyword arguments"),
    # contains() and range() call themselves equals() in these messages
    (lambda: p.contains("b", 1), "equals() takes exactly 3 arguments (2 given)"),
    (lambda: p.contains("b", 1, 1, []), "equals() takes exactly 3 arguments (4 given)"),
    (lambda: p.contains("b", 1, val=1), "contains() takes no keyword arguments"),
    (lambda: p.range("b", 1, 2), "equals() takes exactly 4 arguments (3 given)"),
    (lambda: p.range("b", 1, 1, 2, []), "equals() takes exactly 4 arguments (5 given)"),
    (lambda: p.range("b", 1, 1, max=2), "range() takes no keyword arguments"),
    (lambda: p.geo_within_geojson_region("g"), "geo_within_geojson_region() takes at least 2 arguments (1 given)"),
    (lambda: p.geo_within_geojson_region("g", "{}", 0, []),
     "geo_within_geojson_region() takes at most 3 arguments (4 given)"),
    (lambda: p.geo_within_geojson_region("g", "{}", index_type=1), "geo_within_geojson_region() takes no keyword arguments"),
    (lambda: p.geo_within_radius("g", 1, 2), "geo_within_radius() takes at least 4 arguments (3 given)"),
    (lambda: p.geo_within_radius("g", 1, 2, 3, 0, []), "geo_within_radius() takes at most 5 arguments (6 given)"),
    (lambda: p.geo_contains_geojson_point("g"), "geo_contains_geojson_point() takes at least 2 arguments (1 given)"),
    (lambda: p.geo_contains_geojson_point("g", "{}", 0, []),
     "geo_contains_geojson_point() takes at most 3 arguments (4 given)"),
    (lambda: p.geo_contains_point("g", 1), "geo_contains_point() takes at least 3 arguments (2 given)"),
    (lambda: p.geo_contains_point("g", 1, 2, 0, []), "geo_contains_point() takes at most 4 arguments (5 given)"),
])
def test_predicate_argument_errors(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == message


# -- operations ----------------------------------------------------------------------------------------

def test_operator_constants():
    assert (aerospike.OPERATOR_READ, aerospike.OPERATOR_WRITE, aerospike.OPERATOR_INCR,
            aerospike.OPERATOR_APPEND, aerospike.OPERATOR_PREPEND, aerospike.OPERATOR_TOUCH,
            aerospike.OPERATOR_DELETE) == (0, 1, 6, 9, 10, 11, 14)


def test_operations_module_functions():
    names = sorted(n for n in dir(op) if not n.startswith("_") and callable(getattr(op, n))
                   and getattr(getattr(op, n), "__module__", None) == op.__name__)
    assert names == ["append", "delete", "increment", "modify_by_path", "prepend", "read",
                     "select_by_path", "touch", "write"]


@pytest.mark.parametrize("value", [1, "s", b"b", None, [1, 2], {"k": "v"}, 1.5, True])
@pytest.mark.parametrize("bin_name", ["bin", None, 1, ""])
def test_bin_operations(bin_name, value):
    assert op.read(bin_name) == {"op": 0, "bin": bin_name}
    assert op.write(bin_name, value) == {"op": 1, "bin": bin_name, "val": value}
    assert op.append(bin_name, value) == {"op": 9, "bin": bin_name, "val": value}
    assert op.prepend(bin_name, value) == {"op": 10, "bin": bin_name, "val": value}
    assert op.increment(bin_name, value) == {"op": 6, "bin": bin_name, "val": value}


def test_operation_dicts_are_plain_fresh_dicts_in_key_order():
    w = op.write("b", 1)
    assert type(w) is dict and list(w) == ["op", "bin", "val"]
    assert list(op.read("b")) == ["op", "bin"]
    assert op.write("b", 1) is not w
    value = [1, 2]
    assert op.write("b", value)["val"] is value


def test_operation_keywords():
    assert op.read(bin_name="x") == {"op": 0, "bin": "x"}
    assert op.write(bin_name="x", write_item=3) == {"op": 1, "bin": "x", "val": 3}
    assert op.append(bin_name="x", append_item="y") == {"op": 9, "bin": "x", "val": "y"}
    assert op.prepend(bin_name="x", prepend_item="y") == {"op": 10, "bin": "x", "val": "y"}
    assert op.increment(bin_name="x", amount=2) == {"op": 6, "bin": "x", "val": 2}


def test_null_and_geojson_values_pass_through():
    n = aerospike.null()
    assert op.write("b", n)["val"] is n
    g = aerospike.GeoJSON({"type": "Point", "coordinates": [0, 0]})
    assert op.write("b", g)["val"] is g


def test_delete():
    assert op.delete() == {"op": 14}
    with pytest.raises(TypeError):
        op.delete(1)


@pytest.mark.parametrize("ttl", [None, 0, "", False, []])
def test_touch_without_ttl(ttl):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert op.touch(ttl) == {"op": 11}
        assert op.touch() == {"op": 11}


@pytest.mark.parametrize("ttl", [5, -1, True, "x", [1], 1.5])
def test_touch_with_truthy_ttl_warns(ttl):
    with pytest.warns(DeprecationWarning, match="^TTL should be specified in the policy parameter for operate$"):
        result = op.touch(ttl)
    assert result == {"op": 11, "val": ttl}
    assert list(result) == ["op", "val"]
    with pytest.warns(DeprecationWarning):
        assert op.touch(ttl=3) == {"op": 11, "val": 3}


def test_select_by_path():
    ctx = [object()]
    result = op.select_by_path("b", ctx, 5)
    assert result == {"op": 2, "bin": "b", "ctx": ctx, "cdt_flags": 5}
    assert list(result) == ["op", "bin", "ctx", "cdt_flags"]
    assert result["ctx"] is ctx
    assert op.select_by_path(bin_name="b", ctx=None, flags=0) == {"op": 2, "bin": "b", "ctx": None, "cdt_flags": 0}


def test_modify_by_path():
    ctx, expr = [object()], [(1, 2)]
    result = op.modify_by_path("b", ctx, expr, 4)
    assert result == {"op": 3, "bin": "b", "ctx": ctx, "mod_exp": expr, "cdt_flags": 4}
    assert list(result) == ["op", "bin", "ctx", "mod_exp", "cdt_flags"]
    assert result["mod_exp"] is expr


@pytest.mark.parametrize("call", [
    lambda: op.read(),
    lambda: op.write("x"),
    lambda: op.increment("x", 1, 2),
    lambda: op.modify_by_path("b", [1], "e"),
    lambda: op.select_by_path("b", [1]),
])
def test_operation_argument_errors(call):
    with pytest.raises(TypeError):
        call()
