"""Filter expressions and expression operations, written with the official expression helpers.

A filter (policy "expressions") that is not true for an existing record makes get/put/remove/
operate/exists/touch fail with FilteredOut (27) and change nothing; batch rows answer 27 per row;
scans and queries skip such records. Expression operations read a computed value or write it
into a bin, with their flags.
"""

from __future__ import annotations

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers import expressions as exp
from aerospike_helpers.batch import records as br
from aerospike_helpers.operations import expression_operations as eo
from aerospike_helpers.operations import operations as op

BINS = {"i": 5, "f": 2.5, "s": "hello", "b": bytearray(b"\x01\x02"), "l": [1, 2, 3],
        "m": {"x": 1, "y": 2}, "t": True}


@pytest.fixture
def rec(client, key):
    k = key("k1")
    client.put(k, dict(BINS), policy={"key": aerospike.POLICY_KEY_SEND})
    return k


def _passes(client, k, expression) -> bool:
    try:
        client.get(k, policy={"expressions": expression.compile()})
        return True
    except ex.FilteredOut:
        return False


def _read(client, k, expression, flags=aerospike.EXP_READ_DEFAULT):
    return client.operate(k, [eo.expression_read("r", expression.compile(), flags)])[2]["r"]


@pytest.mark.parametrize("expression, expected", [
    (exp.Eq(exp.IntBin("i"), 5), True),
    (exp.NE(exp.IntBin("i"), 5), False),
    (exp.GT(exp.FloatBin("f"), 2.0), True),
    (exp.LE(exp.StrBin("s"), "hellp"), True),
    (exp.LT(exp.StrBin("s"), "hell"), False),
    (exp.Eq(exp.BlobBin("b"), bytearray(b"\x01\x02")), True),
    (exp.Eq(exp.BoolBin("t"), True), True),
    (exp.Eq(exp.ListBin("l"), [1, 2, 3]), True),
    (exp.GT(exp.ListBin("l"), [1, 2]), True),
    (exp.Eq(exp.IntBin("missing"), 5), False),          # unknown is not true
    (exp.Not(exp.Eq(exp.IntBin("missing"), 5)), False),  # not(unknown) is unknown
    (exp.Or(exp.Eq(exp.IntBin("missing"), 5), exp.Eq(exp.IntBin("i"), 5)), True),
    (exp.And(exp.Eq(exp.IntBin("i"), 5), exp.Eq(exp.StrBin("s"), "hello")), True),
    (exp.And(exp.Eq(exp.IntBin("i"), 5), exp.Eq(exp.StrBin("s"), "x")), False),
    (exp.Exclusive(exp.Eq(exp.IntBin("i"), 5), exp.Eq(exp.StrBin("s"), "hello")), False),
    (exp.Exclusive(exp.Eq(exp.IntBin("i"), 5), exp.Eq(exp.StrBin("s"), "x")), True),
    (exp.Eq(exp.IntBin("s"), 5), False),                 # bin of another type: unknown
    (exp.CmpRegex(aerospike.REGEX_ICASE, "^HEL*O$", exp.StrBin("s")), True),
    (exp.CmpRegex(aerospike.REGEX_ICASE, "^HEL+O$", exp.StrBin("s")), False),  # + is literal in a basic RE
    (exp.CmpRegex(aerospike.REGEX_NONE, "^HEL", exp.StrBin("s")), False),
    (exp.CmpRegex(aerospike.REGEX_EXTENDED, "l{2}o", exp.StrBin("s")), True),
    (exp.BinExists("i"), True),
    (exp.BinExists("nope"), False),
    (exp.Eq(exp.BinType("l"), aerospike.AS_BYTES_LIST), True),
    (exp.Eq(exp.KeyStr(), "k1"), True),
    (exp.KeyExists(), True),
    (exp.Eq(exp.TTL(), -1), True),
    (exp.Eq(exp.VoidTime(), -1), True),
    (exp.GT(exp.LastUpdateTime(), 1_600_000_000_000_000_000), True),
    (exp.GE(exp.SinceUpdateTime(), 0), True),
    (exp.IsTombstone(), False),
    (exp.GT(exp.RecordSize(), 0), True),
    (exp.LT(exp.DigestMod(3), 3), True),
    (exp.Eq(exp.Cond(exp.GT(exp.IntBin("i"), 10), 1, exp.GT(exp.IntBin("i"), 4), 2, 3), 2), True),
    (exp.Eq(exp.Let(exp.Def("x", exp.IntBin("i")), exp.Add(exp.Var("x"), exp.Var("x"))), 10), True),
    (exp.Eq(exp.ListSize(None, exp.ListBin("l")), 3), True),
    (exp.Eq(exp.ListGetByIndex(None, aerospike.LIST_RETURN_VALUE, exp.ResultType.INTEGER, -1,
                               exp.ListBin("l")), 3), True),
    (exp.Eq(exp.MapGetByKey(None, aerospike.MAP_RETURN_VALUE, exp.ResultType.INTEGER, "y",
                            exp.MapBin("m")), 2), True),
    (exp.Eq(exp.MapSize(None, exp.MapBin("m")), 2), True),
])
def test_filter_on_get(client, rec, expression, expected):
    assert _passes(client, rec, expression) is expected


def test_filter_on_set_name(client, rec, set_name):
    assert _passes(client, rec, exp.Eq(exp.SetName(), set_name))
    assert not _passes(client, rec, exp.Eq(exp.SetName(), "other"))


def test_filter_type_errors_are_invalid_requests(client, rec):
    for bad in (exp.Eq(exp.IntBin("i"), "5"), exp.Add(exp.IntBin("i"), 1.0), exp.IntBin("i"),
                exp.And(exp.IntBin("i"), exp.BoolBin("t"))):
        with pytest.raises(ex.InvalidRequest) as info:
            client.get(rec, policy={"expressions": bad.compile()})
        assert info.value.code == 4


def test_filtered_out_commands_change_nothing(client, rec):
    no = {"expressions": exp.Eq(exp.IntBin("i"), 0).compile()}
    yes = {"expressions": exp.Eq(exp.IntBin("i"), 5).compile()}
    for call in (lambda p: client.put(rec, {"i": 6}, policy=p),
                 lambda p: client.operate(rec, [op.increment("i", 1)], policy=p),
                 lambda p: client.exists(rec, policy=p),
                 lambda p: client.touch(rec, 100, policy=p),
                 lambda p: client.remove(rec, policy=p)):
        with pytest.raises(ex.FilteredOut) as info:
            call(no)
        assert info.value.code == 27
    _, meta, bins = client.get(rec)
    assert meta["gen"] == 1 and bins == BINS
    client.put(rec, {"i": 6}, policy=yes)
    assert client.get(rec)[2]["i"] == 6
    client.remove(rec, policy={"expressions": exp.Eq(exp.IntBin("i"), 6).compile()})
    with pytest.raises(ex.RecordNotFound):
        client.get(rec)


def test_filter_does_not_apply_to_missing_records(client, key):
    k = key("new")
    client.put(k, {"a": 1}, policy={"expressions": exp.Eq(exp.IntBin("a"), 99).compile()})
    assert client.get(k)[2] == {"a": 1}
    with pytest.raises(ex.RecordNotFound):
        client.get(key("absent"), policy={"expressions": exp.Eq(exp.IntBin("a"), 1).compile()})


def test_batch_rows_filtered_out(client, key):
    keys = [key(i) for i in range(4)]
    for i, k in enumerate(keys):
        client.put(k, {"n": i})
    result = client.batch_read(keys + [key("absent")],
                               policy={"expressions": exp.GE(exp.IntBin("n"), 2).compile()})
    assert [r.result for r in result.batch_records] == [27, 27, 0, 0, 2]
    assert [r.record[2] for r in result.batch_records[2:4]] == [{"n": 2}, {"n": 3}]
    # a row's own filter replaces the batch's
    rows = [br.Read(keys[0], None, policy={"expressions": exp.Eq(exp.IntBin("n"), 0).compile()}),
            br.Read(keys[1], None)]
    out = client.batch_write(br.BatchRecords(rows),
                             {"expressions": exp.Eq(exp.IntBin("n"), 99).compile()})
    assert [r.result for r in out.batch_records] == [0, 27]


def test_query_and_scan_filters(client, ns, set_name, key):
    for i in range(10):
        client.put(key(i), {"n": i, "even": i % 2 == 0})
    policy = {"expressions": exp.And(exp.Eq(exp.BoolBin("even"), True),
                                     exp.GT(exp.IntBin("n"), 3)).compile()}
    found = sorted(bins["n"] for _, _, bins in client.query(ns, set_name).results(policy))
    assert found == [4, 6, 8]
    found = sorted(bins["n"] for _, _, bins in client.scan(ns, set_name).results(policy))
    assert found == [4, 6, 8]
    with pytest.raises(ex.InvalidRequest):
        client.query(ns, set_name).results({"expressions": exp.IntBin("n").compile()})


def test_expression_read_values(client, rec):
    assert _read(client, rec, exp.Add(exp.IntBin("i"), 10, -1)) == 14
    assert _read(client, rec, exp.Sub(exp.IntBin("i"))) == -5
    assert _read(client, rec, exp.Div(exp.IntBin("i"), 2)) == 2
    assert _read(client, rec, exp.Div(-7, 2)) == -3
    assert _read(client, rec, exp.Mod(-7, 3)) == -1
    assert _read(client, rec, exp.Pow(exp.FloatBin("f"), 2.0)) == 6.25
    assert _read(client, rec, exp.Log(8.0, 2.0)) == 3.0
    assert _read(client, rec, exp.Abs(-3)) == 3
    assert _read(client, rec, exp.Floor(2.7)) == 2.0
    assert _read(client, rec, exp.Ceil(2.1)) == 3.0
    assert _read(client, rec, exp.ToInt(exp.FloatBin("f"))) == 2
    assert _read(client, rec, exp.ToFloat(exp.IntBin("i"))) == 5.0
    assert _read(client, rec, exp.Min(3, exp.IntBin("i"), 9)) == 3
    assert _read(client, rec, exp.Max(3.0, 9.5)) == 9.5
    assert _read(client, rec, exp.IntAnd(12, 10)) == 8
    assert _read(client, rec, exp.IntOr(12, 10)) == 14
    assert _read(client, rec, exp.IntXOr(12, 10)) == 6
    assert _read(client, rec, exp.IntNot(0)) == -1
    assert _read(client, rec, exp.IntLeftShift(1, 4)) == 16
    assert _read(client, rec, exp.IntRightShift(-1, 60)) == 15
    assert _read(client, rec, exp.IntArithmeticRightShift(-16, 2)) == -4
    assert _read(client, rec, exp.IntCount(255)) == 8
    assert _read(client, rec, exp.IntLeftScan(1, True)) == 63
    assert _read(client, rec, exp.IntRightScan(1, True)) == 63
    assert _read(client, rec, exp.IntRightScan(6, True)) == 62
    assert _read(client, rec, exp.StrBin("s")) == "hello"
    assert _read(client, rec, exp.ListBin("l")) == [1, 2, 3]
    assert _read(client, rec, exp.MapBin("m")) == {"x": 1, "y": 2}
    assert _read(client, rec, exp.Eq(exp.IntBin("i"), 5)) is True
    assert _read(client, rec, exp.KeyStr()) == "k1"
    assert _read(client, rec, exp.Cond(exp.BinExists("zz"), 1, 2)) == 2
    assert _read(client, rec, exp.ListGetByRank(None, aerospike.LIST_RETURN_VALUE,
                                                exp.ResultType.INTEGER, 0, exp.ListBin("l"))) == 1
    assert _read(client, rec, exp.ListAppend(None, None, 4, exp.ListBin("l"))) == [1, 2, 3, 4]
    assert client.get(rec)[2]["l"] == [1, 2, 3]  # a modify inside an expression stays local


def test_expression_read_failures(client, rec):
    with pytest.raises(ex.OpNotApplicable) as info:
        _read(client, rec, exp.IntBin("missing"))
    assert info.value.code == 26
    with pytest.raises(ex.OpNotApplicable):
        _read(client, rec, exp.Div(exp.IntBin("i"), 0))
    assert _read(client, rec, exp.IntBin("missing"), aerospike.EXP_READ_EVAL_NO_FAIL) is None
    with pytest.raises(ex.InvalidRequest):
        _read(client, rec, exp.Add(exp.IntBin("i"), 1.5))


def test_expression_write(client, rec):
    def write(name, expression, flags=aerospike.EXP_WRITE_DEFAULT):
        client.operate(rec, [eo.expression_write(name, expression.compile(), flags)])
        return client.get(rec)[2]

    assert write("sum", exp.Add(exp.IntBin("i"), 1))["sum"] == 6
    assert write("sum", exp.Mul(exp.IntBin("sum"), 2))["sum"] == 12
    with pytest.raises(ex.BinExistsError):
        write("sum", exp.Val(1), aerospike.EXP_WRITE_CREATE_ONLY)
    assert write("sum", exp.Val(1), aerospike.EXP_WRITE_CREATE_ONLY | aerospike.EXP_WRITE_POLICY_NO_FAIL)["sum"] == 12
    with pytest.raises(ex.BinNotFound):
        write("new", exp.Val(1), aerospike.EXP_WRITE_UPDATE_ONLY)
    assert "new" not in write("new", exp.Val(1), aerospike.EXP_WRITE_UPDATE_ONLY | aerospike.EXP_WRITE_POLICY_NO_FAIL)
    with pytest.raises(ex.OpNotApplicable):
        write("x", exp.IntBin("missing"))
    assert "x" not in write("x", exp.IntBin("missing"), aerospike.EXP_WRITE_EVAL_NO_FAIL)
    with pytest.raises(ex.OpNotApplicable):
        write("sum", exp.Val(None))
    assert "sum" not in write("sum", exp.Val(None), aerospike.EXP_WRITE_ALLOW_DELETE)
    assert write("l", exp.ListAppend(None, None, 9, exp.ListBin("l")))["l"] == [1, 2, 3, 9]
    assert write("copy", exp.StrBin("s"))["copy"] == "hello"
    # the write sees the bins as changed by the ops before it
    client.operate(rec, [op.write("i", 100), eo.expression_write("j", exp.IntBin("i").compile())])
    assert client.get(rec)[2]["j"] == 100
