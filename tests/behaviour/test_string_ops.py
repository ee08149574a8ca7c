"""String operations and expressions (server 8.2) executed by spikelite, against a small Python
model of the documented semantics written here (codepoint indexes, negative from the end and
clamped; canonical matching; write flags; the error codes). The real node of the suite is 8.1.2
and refuses them (spikelite_only.py); test_string_builders.py checks that refusal on the node.
"""

from __future__ import annotations

import base64
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aerospike
from aerospike import exception
from aerospike_helpers.expressions import base as exp
from aerospike_helpers.expressions import string as sexp
from aerospike_helpers.operations import expression_operations as eops
from aerospike_helpers.operations import operations as ops
from aerospike_helpers.operations import string_operations as so
from aerospike_helpers.string_helpers import NumericType, RegexFlags, StringPolicy, WriteFlags

ALPHABET = "aAbBzZ éÉüß\u0301e\u00e9\t\n 0123456789.+-,xX😀İ"
TEXT = st.text(alphabet=ALPHABET, max_size=12)
SHORT = st.text(alphabet="ab é\u0301e,0", max_size=3)
INDEX = st.integers(-15, 15)


@pytest.fixture
def skey(ns, set_name):
    return (ns, set_name, "string-ops")


class Err:
    def __init__(self, cls):
        self.cls = cls


def clamp(i, n):
    if i < 0:
        i += n
    return min(max(i, 0), n)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def model_read(name, s, a):
    n = len(s)
    if name == "strlen":
        return n
    if name == "byte_length":
        return len(s.encode())
    if name == "substr":
        return s[clamp(a[0], n):]
    if name == "substr_range":
        b, e = clamp(a[0], n), clamp(a[1], n)
        return s[b:e] if e > b else ""
    if name == "char_at":
        i = a[0] + n if a[0] < 0 else a[0]
        return s[i] if 0 <= i < n else Err(exception.InvalidRequest)
    if name == "find":
        if a[1] < 1:
            return Err(exception.InvalidRequest)
        hay, needle = nfc(s), nfc(a[0])
        pos = -1
        for _ in range(a[1]):
            pos = hay.find(needle, pos + 1)
            if pos < 0:
                return -1
        return pos
    if name == "contains":
        return nfc(a[0]) in nfc(s)
    if name == "starts_with":
        return nfc(s).startswith(nfc(a[0]))
    if name == "ends_with":
        return nfc(s).endswith(nfc(a[0]))
    if name == "to_integer":
        if not re.fullmatch(r"[+-]?\d+", s, re.ASCII) or not -2**63 <= int(s) < 2**63:
            return Err(exception.OpNotApplicable)
        return int(s)
    if name == "to_double":
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s, re.ASCII):
            return Err(exception.OpNotApplicable)
        return float(s)
    if name == "is_numeric":
        is_int = re.fullmatch(r"[+-]?\d+", s, re.ASCII) is not None
        is_float = re.fullmatch(r"[+-]?\d*\.\d+([eE][+-]?\d+)?", s, re.ASCII) is not None
        return {0: is_int or is_float, 1: is_int, 2: is_float}[a[0]]
    if name == "is_upper":
        return not any(c.islower() for c in s)
    if name == "is_lower":
        return not any(c.isupper() for c in s)
    if name == "to_blob":
        return s.encode()
    if name == "split":
        return list(s)
    if name == "split_separator":
        return s.split(a[0]) if a[0] else Err(exception.InvalidRequest)
    if name == "base64_decode":
        try:
            return base64.b64decode(s.encode("ascii"), validate=True)
        except Exception:
            return Err(exception.OpNotApplicable)
    if name == "regex_compare":
        return re.search(a[0], s, re.I if a[1] & 1 else 0) is not None
    raise AssertionError(name)


def model_modify(name, s, a):
    n = len(s)
    if name == "insert":
        i = clamp(a[0], n)
        return s[:i] + a[1] + s[i:]
    if name == "overwrite":
        i = clamp(a[0], n)
        return s[:i] + a[1] + s[i + len(a[1]):]
    if name == "snip":
        b, e = clamp(a[0], n), clamp(a[1], n)
        return s[:b] + s[e:] if e > b else s
    if name in ("replace", "replace_all"):
        if not a[0]:
            return Err(exception.InvalidRequest)
        if nfc(a[0]) not in nfc(s):
            return s
        return nfc(s).replace(nfc(a[0]), a[1], -1 if name == "replace_all" else 1)
    if name == "concat":
        return s + "".join(a[0])
    if name in ("pad_start", "pad_end"):
        missing = a[0] - n
        if missing <= 0:
            return s
        if not a[1]:
            return Err(exception.InvalidRequest)
        fill = (a[1] * missing)[:missing]
        return fill + s if name == "pad_start" else s + fill
    if name == "repeat":
        return s * a[0]
    simple = {"upper": str.upper, "lower": str.lower, "casefold": str.casefold, "trim": str.strip,
              "trim_start": str.lstrip, "trim_end": str.rstrip, "normalize_nfc": nfc,
              "append": lambda t: t + a[0], "prepend": lambda t: a[0] + t}
    return simple[name](s)


READS = st.one_of(
    st.tuples(st.sampled_from(["strlen", "byte_length", "to_integer", "to_double", "is_upper", "is_lower",
                               "to_blob", "split", "base64_decode"]), st.just(())),
    st.tuples(st.sampled_from(["substr", "char_at"]), st.tuples(INDEX)),
    st.tuples(st.just("substr_range"), st.tuples(INDEX, INDEX)),
    st.tuples(st.just("find"), st.tuples(SHORT, st.integers(0, 3))),
    st.tuples(st.sampled_from(["contains", "starts_with", "ends_with", "split_separator"]), st.tuples(SHORT)),
    st.tuples(st.just("is_numeric"), st.tuples(st.sampled_from([0, 1, 2]))),
    st.tuples(st.just("regex_compare"), st.tuples(st.sampled_from(["^a", "b+$", "[0-9]{2}", "é", "\\s"]),
                                                  st.sampled_from([0, 1]))),
)
MODIFIES = st.one_of(
    st.tuples(st.sampled_from(["upper", "lower", "casefold", "trim", "trim_start", "trim_end",
                               "normalize_nfc"]), st.just(())),
    st.tuples(st.sampled_from(["insert", "overwrite"]), st.tuples(INDEX, SHORT)),
    st.tuples(st.just("snip"), st.tuples(INDEX, INDEX)),
    st.tuples(st.sampled_from(["replace", "replace_all"]), st.tuples(SHORT, SHORT)),
    st.tuples(st.just("concat"), st.tuples(st.lists(SHORT, max_size=3))),
    st.tuples(st.sampled_from(["pad_start", "pad_end"]), st.tuples(st.integers(0, 20), SHORT)),
    st.tuples(st.just("repeat"), st.tuples(st.integers(0, 4))),
    st.tuples(st.sampled_from(["append", "prepend"]), st.tuples(SHORT)),
)


def _build(name, a):
    if name == "is_numeric":
        return so.is_numeric("s", NumericType(a[0]))
    if name == "regex_compare":
        return so.regex_compare("s", a[0], RegexFlags(a[1]))
    if name in ("replace", "replace_all"):
        return getattr(so, name)("s", a[0], a[1])
    return getattr(so, name)("s", *a)


def _outcome(client, key, operations, bin_name="s"):
    try:
        _, _, bins = client.operate(key, operations)
    except exception.AerospikeError as exc:
        return exc
    return bins.get(bin_name)


def _same(got, want):
    if isinstance(want, Err):
        return isinstance(got, want.cls)
    if isinstance(want, bytes):
        return isinstance(got, (bytes, bytearray)) and bytes(got) == want
    if isinstance(want, float):
        return isinstance(got, float) and got == want
    return type(got) is type(want) and got == want


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, op=READS)
def test_string_reads_follow_the_model(client, skey, text, op):
    name, args = op
    client.put(skey, {"s": text})
    want = model_read(name, text, args)
    got = _outcome(client, skey, [_build(name, args)])
    assert _same(got, want), (name, text, args, got, want)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, op=MODIFIES)
def test_string_modifies_follow_the_model(client, skey, text, op):
    name, args = op
    client.put(skey, {"s": text})
    want = model_modify(name, text, args)
    got = _outcome(client, skey, [_build(name, args), ops.read("s")])
    assert _same(got, want), (name, text, args, got, want)
    if isinstance(want, Err):
        assert client.get(skey)[2] == {"s": text}


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, op=READS)
def test_string_read_expressions_agree_with_the_operations(client, skey, text, op):
    """A read expression on the bin gives what the operation gives; where the operation fails
    the expression is unknown (an error in an expression read, OpNotApplicable or the like)."""
    name, args = op
    client.put(skey, {"s": text})
    want = model_read(name, text, args)
    bin_expr = exp.StrBin("s")
    builders = {
        "strlen": lambda: sexp.StrLen(bin_expr), "byte_length": lambda: sexp.ByteLength(bin_expr),
        "to_integer": lambda: sexp.ToInteger(bin_expr), "to_double": lambda: sexp.ToDouble(bin_expr),
        "is_upper": lambda: sexp.IsUpper(bin_expr), "is_lower": lambda: sexp.IsLower(bin_expr),
        "to_blob": lambda: sexp.ToBlob(bin_expr), "split": lambda: sexp.Split(bin_expr),
        "base64_decode": lambda: sexp.Base64Decode(bin_expr),
        "substr": lambda: sexp.SubStr(args[0], bin_expr), "char_at": lambda: sexp.CharAt(args[0], bin_expr),
        "substr_range": lambda: sexp.SubStrRange(args[0], args[1], bin_expr),
        "find": lambda: sexp.Find(args[0], args[1], bin_expr),
        "contains": lambda: sexp.Contains(args[0], bin_expr), "starts_with": lambda: sexp.StartsWith(args[0], bin_expr),
        "ends_with": lambda: sexp.EndsWith(args[0], bin_expr),
        "split_separator": lambda: sexp.SplitSeparator(args[0], bin_expr),
        "is_numeric": lambda: sexp.IsNumeric(NumericType(args[0]), bin_expr),
        "regex_compare": lambda: sexp.RegexCompare(args[0], bin_expr, RegexFlags(args[1])),
    }
    expr = builders[name]().compile()
    got = _outcome(client, skey, [eops.expression_read("r", expr)], "r")
    if isinstance(want, Err):
        assert isinstance(got, exception.AerospikeError)
    else:
        assert _same(got, want), (name, text, args, got, want)


def test_a_filter_on_a_string_expression(client, ns, set_name):
    keys = [(ns, set_name, i) for i in range(4)]
    for k, value in zip(keys, ["Alpha", "beta", "ALPHABET", "gamma"]):
        client.put(k, {"s": value})
    upper_alpha = exp.Eq(sexp.StartsWith("alpha", sexp.Lower(StringPolicy(), exp.StrBin("s"))), True).compile()
    found = {k[2] for k in keys if _filtered_in(client, k, upper_alpha)}
    assert found == {0, 2}
    client.put((ns, set_name, 9), {"s": 5})  # not a string: unknown, the record is filtered out
    assert not _filtered_in(client, (ns, set_name, 9), upper_alpha)


def _filtered_in(client, key, expression):
    try:
        client.get(key, policy={"expressions": expression})
    except exception.FilteredOut:
        return False
    return True


def test_modify_expression_writes_its_result(client, skey):
    client.put(skey, {"s": "  Hello  "})
    expr = sexp.Upper(StringPolicy(), sexp.Trim(StringPolicy(), exp.StrBin("s"))).compile()
    client.operate(skey, [eops.expression_write("t", expr)])
    assert client.get(skey)[2] == {"s": "  Hello  ", "t": "HELLO"}


def test_to_string_expression(client, skey):
    client.put(skey, {"i": -42, "f": 1.5, "b": False})
    for bin_expr, want in [(exp.IntBin("i"), "-42"), (exp.FloatBin("f"), "1.5"), (exp.BoolBin("b"), "false")]:
        expr = sexp.ToString(bin_expr).compile()
        assert client.operate(skey, [eops.expression_read("r", expr)])[2] == {"r": want}


def test_to_string_of_each_type(client, skey):
    client.put(skey, {"i": -42, "f": 1.5, "b": True, "s": "x", "bl": bytearray(b"ok"), "l": [1]})
    for bin_name, want in [("i", "-42"), ("f", "1.5"), ("b", "true"), ("s", "x"), ("bl", "ok")]:
        assert client.operate(skey, [so.to_string(bin_name)])[2] == {bin_name: want}
    with pytest.raises(exception.BinIncompatibleType):
        client.operate(skey, [so.to_string("l")])
    client.put(skey, {"bl": bytearray(b"\xff\xfe")})
    with pytest.raises(exception.OpNotApplicable):
        client.operate(skey, [so.to_string("bl")])


def test_errors_of_bins_and_arguments(client, skey):
    client.put(skey, {"i": 7, "s": "abc", "l": ["xy", 3]})
    with pytest.raises(exception.BinIncompatibleType):
        client.operate(skey, [so.strlen("i")])
    with pytest.raises(exception.InvalidRequest):
        client.operate(skey, [so.regex_compare("s", "(")])
    with pytest.raises(exception.InvalidRequest):
        client.operate(skey, [so.regex_replace("s", "(", "x")])
    with pytest.raises(exception.InvalidRequest):
        client.operate(skey, [so.find("s", "a", 0)])
    # a string inside a list, through the ctx
    from aerospike_helpers import cdt_ctx
    ctx = [cdt_ctx.cdt_ctx_list_index(0)]
    client.operate(skey, [so.upper("l", ctx=ctx)])
    assert client.get(skey)[2]["l"] == ["XY", 3]
    assert client.operate(skey, [so.strlen("l", ctx=ctx)])[2] == {"l": 2}
    with pytest.raises(exception.BinIncompatibleType):
        client.operate(skey, [so.strlen("l", ctx=[cdt_ctx.cdt_ctx_list_index(1)])])
    assert client.get(skey)[2] == {"i": 7, "s": "abc", "l": ["XY", 3]}


def test_write_flags_and_missing_bins(client, skey):
    client.put(skey, {"s": "abc"})
    with pytest.raises(exception.BinExistsError):
        client.operate(skey, [so.append("s", "d", policy=StringPolicy(WriteFlags.CREATE_ONLY))])
    client.operate(skey, [so.append("s", "d", policy=StringPolicy(WriteFlags.CREATE_ONLY | WriteFlags.NO_FAIL))])
    with pytest.raises(exception.BinNotFound):
        client.operate(skey, [so.append("n", "d", policy=StringPolicy(WriteFlags.UPDATE_ONLY))])
    client.operate(skey, [so.upper("n")])  # no bin: a no-op
    client.operate(skey, [so.pad_start("p", 3, "0")])  # creates the bin
    assert client.get(skey)[2] == {"s": "abc", "p": "000"}
    _, _, bins = client.operate(skey, [so.strlen("missing"), ops.read("s")])
    assert bins == {"missing": None, "s": "abc"} or bins == {"s": "abc"}


def test_regex_replace_groups_and_global(client, skey):
    client.put(skey, {"s": "a1b22c333"})
    client.operate(skey, [so.regex_replace("s", "([0-9]+)", "<$1>", RegexFlags.GLOBAL)])
    assert client.get(skey)[2] == {"s": "a<1>b<22>c<333>"}
    client.operate(skey, [so.regex_replace("s", "[A-Z]", "_", RegexFlags.CASE_INSENSITIVE)])
    assert client.get(skey)[2] == {"s": "_<1>b<22>c<333>"}


def test_string_ops_in_batch_operate_and_query_ops(client, ns, set_name):
    keys = [(ns, set_name, "b%d" % i) for i in range(3)]
    for k, value in zip(keys, [" a ", "Bb", "ccc"]):
        client.put(k, {"s": value})
    result = client.batch_operate(keys, [so.trim("s"), so.upper("s"), so.strlen("s")])
    assert [r.result for r in result.batch_records] == [0, 0, 0]
    assert [client.get(k)[2]["s"] for k in keys] == ["A", "BB", "CCC"]
    reads = client.batch_operate(keys, [so.char_at("s", -1)])
    assert [r.record[2] for r in reads.batch_records] == [{"s": "A"}, {"s": "B"}, {"s": "C"}]
    query = client.query(ns, set_name)
    query.add_ops([so.byte_length("s")])
    found = sorted(bins["s"] for _, _, bins in query.results())
    assert found == [1, 2, 3]
