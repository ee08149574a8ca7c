"""Batch requests (read, write, delete and record-UDF rows, mixed, with and without a filter
expression), filter expressions with random values on single-record reads and writes, and
record UDF calls: the same raw requests to the real node and to spikelite.

Single-record replies are compared as the harness does (code, generation, TTL, bins byte for
byte); a batch reply row by row in row order, each with its row index."""

from __future__ import annotations

import base64
import struct
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spikelite.wire import (FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType,
                            compute_digest, iter_messages, pack_value)
from spikelite.wire.message import encode_ops

from . import allowlist
from .harness import EXAMPLES, RUN, fresh_key, key_fields, summary

SET = "diffbatch"
MODULE = "diffudf%s" % RUN
LUA = b"""
function get_a(rec) return rec['a'] end
function set_w(rec, v) rec['w'] = v; aerospike:update(rec); return v end
function remove_it(rec) aerospike:remove(rec); return 1 end
function exists(rec) return aerospike:exists(rec) end
function fail(rec) error('boom') end
function bins(rec) local names = record.bin_names(rec); table.sort(names); return list(names) end
function args(rec, a, b) return {a, b} end
"""
FUNCTIONS = ["get_a", "set_w", "remove_it", "exists", "fail", "bins", "args", "missing_fn"]

# -- expressions ------------------------------------------------------------------------------

EQ, NE, GT, GE, LT, LE = range(1, 7)
AND, OR, NOT, EXCLUSIVE = 16, 17, 18, 19
ADD = 20
DIGEST_MODULO, SET_NAME, KEY_EXISTS = 64, 70, 71
BIN, BIN_TYPE = 81, 82
COND = 123
T_INT, T_STR = 2, 3

small_int = st.integers(-3, 3)
text = st.sampled_from(["", "x", "yz", "x1"])
compare = st.sampled_from([EQ, NE, GT, GE, LT, LE])
leaf = st.one_of(
    st.builds(lambda c, v: [c, [BIN, T_INT, "a"], v], compare, small_int),
    st.builds(lambda c, v: [c, [BIN, T_STR, "s"], v], compare, text),
    st.builds(lambda c, v: [c, [BIN, T_INT, "s"], v], compare, small_int),          # wrong bin type
    st.builds(lambda c, v: [c, [BIN_TYPE, "a"], v], compare, st.sampled_from([0, 1, 3])),
    st.builds(lambda c, d, v: [c, [ADD, [BIN, T_INT, "a"], d], v], compare, small_int, small_int),
    st.builds(lambda v: [EQ, [DIGEST_MODULO, 3], v], st.integers(0, 2)),
    st.builds(lambda v: [EQ, [SET_NAME], v], st.sampled_from([SET, "other"])),
    st.just([KEY_EXISTS]),
    st.booleans(),
)
expression = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(lambda a, b: [AND, a, b], inner, inner),
    st.builds(lambda a, b: [OR, a, b], inner, inner),
    st.builds(lambda a: [NOT, a], inner),
    st.builds(lambda a, b: [EXCLUSIVE, a, b], inner, inner),
    st.builds(lambda a, x, y, v: [EQ, [COND, a, x, y], v], inner, small_int, small_int, small_int),
), max_leaves=5)

bin_a = st.one_of(st.none(), small_int, st.just("str"))
bin_s = st.one_of(st.none(), text)


def _particle(value) -> Op | None:
    if value is None:
        return None
    if isinstance(value, int):
        return Op(OpType.WRITE, ParticleType.INTEGER, "a", struct.pack(">q", value))
    return Op(OpType.WRITE, ParticleType.STRING, "a", value.encode())


def _write(key, a, s, send_key: bool) -> Message:
    ops = [op for op in (_particle(a),) if op is not None]
    if s is not None:
        ops.append(Op(OpType.WRITE, ParticleType.STRING, "s", s.encode()))
    ops.append(Op(OpType.WRITE, ParticleType.INTEGER, "n", struct.pack(">q", 1)))
    fields = key_fields(SET, key)
    if send_key:
        fields.append((FieldType.KEY, b"\x03" + key.encode()))
    return Message(info2=Info2.WRITE, fields=fields, ops=ops)


# -- batch rows -------------------------------------------------------------------------------

ROW_EXTRA_INFO = 0x02


def _fields_bytes(fields) -> bytes:
    return b"".join(struct.pack(">IB", len(data) + 1, ftype) + data for ftype, data in fields)


def _row(index: int, key, kind: str, arg=None) -> bytes:
    digest = compute_digest(SET, key)
    fields = [(FieldType.NAMESPACE, b"test"), (FieldType.SET, SET.encode())]
    ops: list[Op] = []
    info1, info2, info3 = Info1.READ | Info1.GET_ALL, 0, 0
    if kind == "read_a":
        info1, ops = Info1.READ, [Op(OpType.READ, 0, "a")]
    elif kind == "header":
        info1 = Info1.READ | Info1.GET_NO_BINS
    elif kind in ("write", "update"):
        info1, info2 = 0, Info2.WRITE
        info3 = Info3.UPDATE_ONLY if kind == "update" else 0
        ops = [Op(OpType.WRITE, ParticleType.INTEGER, "w", struct.pack(">q", arg or 0))]
    elif kind == "delete":
        info1, info2 = 0, Info2.WRITE | Info2.DELETE
    elif kind == "udf":
        info1, info2 = 0, Info2.WRITE
        fields += [(FieldType.UDF_FILENAME, MODULE.encode()), (FieldType.UDF_FUNCTION, arg.encode()),
                   (FieldType.UDF_ARGLIST, pack_value([7, "x"]))]
    head = struct.pack(">I", index) + digest + bytes([ROW_EXTRA_INFO, info1, info2, info3])
    return head + struct.pack(">HH", len(fields), len(ops)) + _fields_bytes(fields) + encode_ops(ops)


def _batch(rows: list[bytes], filter_expr=None) -> Message:
    # batch flags: allow inline (1) | respond all keys (4), as clients send them by default (without
    # the latter a node stops at a failing row and which rows were answered before is a race)
    fields = [(FieldType.BATCH_INDEX, struct.pack(">IB", len(rows), 0x05) + b"".join(rows))]
    if filter_expr is not None:
        fields.append((FieldType.FILTER_EXPRESSION, pack_value(filter_expr)))
    return Message(info1=Info1.READ | Info1.BATCH, info2=Info2.WRITE, fields=fields)


def _rows(replies: list[Message]) -> list:
    assert replies[-1].info3 & Info3.LAST
    rows = [(m.transaction_ttl,) + _without_module_path(summary(m)) for m in replies if not m.info3 & Info3.LAST]
    end = replies[-1].result_code
    return sorted(rows) + [("end", end)]


def _batch_stream(conn, msg: Message) -> list[Message]:
    """Every reply message of a batch up to LAST (rows answer errors without ending it)."""
    conn.sock.sendall(msg.to_proto())
    out: list[Message] = []
    while True:
        _, body = conn._read_proto()
        for reply in iter_messages(body):
            out.append(reply)
            if reply.info3 & Info3.LAST:
                return out


def _without_module_path(row: tuple) -> tuple:
    """The allowlisted udf-error-path difference: a FAILURE text's module directory is left out."""
    code, generation, ttl, ops = row
    return code, generation, ttl, tuple((op, ptype, name, allowlist.without_module_path(value)
                                         if name == "FAILURE" else value) for op, ptype, name, value in ops)


def _same_rows(pair, msg: Message, what: str) -> None:
    real, lite = _rows(_batch_stream(pair.real, msg)), _rows(_batch_stream(pair.lite, msg))
    assert real == lite, "%s\n  real node: %r\n  spikelite: %r" % (what, real, lite)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module(pair):
    content = base64.b64encode(LUA).decode()
    command = "udf-put:filename=%s.lua;content=%s;content-len=%d;udf-type=LUA;" % (MODULE, content, len(content))
    for conn in (pair.real, pair.lite):
        assert "error" not in conn.info(command)[command]
    time.sleep(0.5)  # a node hands the module to its Lua states
    yield MODULE
    for conn in (pair.real, pair.lite):
        conn.info("udf-remove:filename=%s.lua" % MODULE)


row_kind = st.sampled_from(["read", "read_a", "header", "write", "update", "delete", "udf"])


@settings(max_examples=max(40, EXAMPLES // 10), deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(st.tuples(bin_a, bin_s, st.booleans()), min_size=1, max_size=3),
       expr=st.one_of(st.none(), expression),
       kinds=st.lists(st.tuples(row_kind, st.integers(0, 3), st.sampled_from(FUNCTIONS), small_int),
                      min_size=1, max_size=6))
def test_batches_with_filters_match_the_node(pair, module, records, expr, kinds):
    keys = [fresh_key("b") for _ in records] + [fresh_key("missing")]
    # a node runs a batch's rows concurrently: a key a row writes is in no other row
    touched = [which % len(keys) for _, which, _, _ in kinds]
    written = {which % len(keys) for kind, which, _, _ in kinds if kind in ("write", "update", "delete", "udf")}
    assume(all(touched.count(key) == 1 for key in written))
    for key, (a, s, send_key) in zip(keys, records):
        pair.check(_write(key, a, s, send_key), "write %r %r" % (a, s))
    rows = []
    for i, (kind, which, function, value) in enumerate(kinds):
        rows.append(_row(i, keys[which % len(keys)], kind, function if kind == "udf" else value))
    _same_rows(pair, _batch(rows, expr), "batch %r filter %r on %r" % (kinds, expr, records))


@settings(max_examples=max(50, EXAMPLES // 5), deadline=None, suppress_health_check=list(HealthCheck))
@given(record=st.tuples(bin_a, bin_s, st.booleans()), expr=expression, write=st.booleans())
def test_filter_expressions_on_single_records_match_the_node(pair, record, expr, write):
    key = fresh_key("f")
    pair.check(_write(key, *record), "write %r" % (record,))
    if write:
        msg = Message(info2=Info2.WRITE, fields=key_fields(SET, key) + [
            (FieldType.FILTER_EXPRESSION, pack_value(expr))],
            ops=[Op(OpType.WRITE, ParticleType.INTEGER, "w", struct.pack(">q", 5))])
    else:
        msg = Message(info1=Info1.READ | Info1.GET_ALL, fields=key_fields(SET, key) + [
            (FieldType.FILTER_EXPRESSION, pack_value(expr))])
    pair.check(msg, "%s with filter %r on %r" % ("write" if write else "read", expr, record))


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("exists", [True, False], ids=["record", "no-record"])
def test_record_udf_calls_match_the_node(pair, module, function, exists):
    key = fresh_key("u")
    if exists:
        pair.check(_write(key, 2, "x", False), "write")
    msg = Message(info2=Info2.WRITE, fields=key_fields(SET, key) + [
        (FieldType.UDF_FILENAME, MODULE.encode()), (FieldType.UDF_FUNCTION, function.encode()),
        (FieldType.UDF_ARGLIST, pack_value([7, "x"]))])
    pair.check(msg, "udf %s" % function)
    read = Message(info1=Info1.READ | Info1.GET_ALL, fields=key_fields(SET, key))
    pair.check(read, "read after udf %s" % function)
