"""Path-expression helpers (select_by_path / modify_by_path, SelectByPath / ModifyByPath, the path
contexts, loop variables, RemoveResult) against the official client, on generated calls.

Hypothesis writes batches of helper calls as source text; ``_path_helpers_worker.py`` runs each
batch once in ``.venvs/official`` and once in ``.venvs/purespike`` against the same spikelite, and
the outcomes must be equal: the compiled expression and context bytes
(``get_expression_base64`` / ``get_cdtctx_base64``), the op bytes ``operate`` sends with the reply
it gets, and for bad arguments the exception class and message."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "_path_helpers_worker.py")
PYTHONS = {name: os.path.join(REPO, ".venvs", name, "bin", "python") for name in ("official", "purespike")}

LOOPVARS = ["LoopVarInt", "LoopVarStr", "LoopVarFloat", "LoopVarBool", "LoopVarList", "LoopVarMap",
            "LoopVarBlob", "LoopVarNil", "LoopVarGeoJson", "LoopVarHLL"]
LITERALS = {"LoopVarInt": ["0", "5", "-3", "2**40"], "LoopVarStr": ["'a'", "''", "'zz'"],
            "LoopVarFloat": ["1.5", "-0.25"], "LoopVarBool": ["True", "False"],
            "LoopVarList": ["[1, 'a']", "[]"], "LoopVarMap": ["{'k': 1}", "{}"],
            "LoopVarBlob": ["b'x'"], "LoopVarNil": ["None"]}
var_id = st.sampled_from(["aerospike.EXP_LOOPVAR_KEY", "aerospike.EXP_LOOPVAR_VALUE",
                          "aerospike.EXP_LOOPVAR_INDEX", "0", "1", "2"])
comparison = st.sampled_from(["Eq", "NE", "GT", "GE", "LT", "LE"])


@st.composite
def loop_filter(draw) -> str:
    var = draw(st.sampled_from(sorted(LITERALS)))
    test = "E.%s(E.%s(%s), %s)" % (draw(comparison), var, draw(var_id), draw(st.sampled_from(LITERALS[var])))
    if draw(st.integers(0, 4)) == 0:
        test = "E.And(%s, E.Not(E.Eq(E.LoopVarInt(aerospike.EXP_LOOPVAR_INDEX), 3)))" % test
    return test + ".compile()"


scalar_src = st.sampled_from(["1", "-7", "'a'", "2.5", "None", "True", "b'\\x01'", "[1, 2]", "{'k': 'v'}"])


@st.composite
def context(draw) -> str:
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return "C.cdt_ctx_all_children()"
    if kind in (1, 2):
        return "C.cdt_ctx_all_children_with_filter(%s)" % draw(loop_filter())
    if kind == 3:
        return "C.cdt_ctx_and_filter(%s)" % draw(loop_filter())
    if kind == 4:
        keys = draw(st.lists(st.sampled_from(["'a'", "'b'", "1", "2.5", "b'k'"]), max_size=3))
        return "C.cdt_ctx_map_keys_in([%s])" % ", ".join(keys)
    name = ["cdt_ctx_list_index", "cdt_ctx_list_rank", "cdt_ctx_map_index", "cdt_ctx_map_rank",
            "cdt_ctx_map_key", "cdt_ctx_map_value", "cdt_ctx_list_value"][kind - 5]
    if name.endswith(("index", "rank")):
        return "C.%s(%d)" % (name, draw(st.integers(-5, 5)))
    return "C.%s(%s)" % (name, draw(scalar_src))


contexts = st.lists(context(), min_size=1, max_size=3).map(lambda cs: "[%s]" % ", ".join(cs))
select_flags = st.sampled_from(["aerospike.EXP_PATH_SELECT_MATCHING_TREE", "aerospike.EXP_PATH_SELECT_VALUE",
                                "aerospike.EXP_PATH_SELECT_MAP_KEY", "aerospike.EXP_PATH_SELECT_MAP_KEY_VALUE",
                                "aerospike.EXP_PATH_SELECT_VALUE | aerospike.EXP_PATH_SELECT_NO_FAIL",
                                "aerospike.EXP_PATH_SELECT_MAP_KEY | aerospike.EXP_PATH_SELECT_NO_FAIL",
                                "4", "5", "0x20", "0x104"])
modify_flags = st.sampled_from(["aerospike.EXP_PATH_MODIFY_DEFAULT", "aerospike.EXP_PATH_MODIFY_NO_FAIL",
                                "1", "0x30"])
mod_exp = st.sampled_from([
    "E.Add(E.LoopVarInt(aerospike.EXP_LOOPVAR_VALUE), 1).compile()",
    "E.RemoveResult().compile()",
    "E.LoopVarStr(aerospike.EXP_LOOPVAR_KEY).compile()",
    "E.Mul(E.LoopVarFloat(aerospike.EXP_LOOPVAR_VALUE), 2.0).compile()",
    "E.LoopVarInt(aerospike.EXP_LOOPVAR_INDEX).compile()",
    "E.Cond(E.GT(E.LoopVarInt(aerospike.EXP_LOOPVAR_VALUE), 1), 10, 20).compile()",
])
exp_flags = st.sampled_from(["aerospike.EXP_READ_DEFAULT", "aerospike.EXP_READ_EVAL_NO_FAIL",
                             "aerospike.EXP_WRITE_DEFAULT", "aerospike.EXP_WRITE_EVAL_NO_FAIL"])
bin_exp = st.sampled_from(["E.MapBin('m')", "E.ListBin('l')"])
return_type = st.sampled_from(["RT.LIST", "RT.MAP", "RT.INTEGER", "4", "5"])

BAD_ARGS = [
    ("op", "O.select_by_path('m', None, 0)"), ("op", "O.select_by_path('m', [], 0)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], -1)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], 2**32)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], '1')"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], None)"),
    ("op", "O.select_by_path('m', 'x', 0)"), ("op", "O.select_by_path('m', [1], 0)"),
    ("op", "O.select_by_path(5, [C.cdt_ctx_all_children()], 0)"),
    ("op", "O.modify_by_path('m', None, E.RemoveResult().compile(), 0)"),
    ("op", "O.modify_by_path('m', [C.cdt_ctx_all_children()], None, 0)"),
    ("op", "O.modify_by_path('m', [C.cdt_ctx_all_children()], 5, 0)"),
    ("op", "O.modify_by_path('m', [C.cdt_ctx_all_children()], E.RemoveResult().compile(), -5)"),
    ("ctx", "[C.cdt_ctx_map_keys_in('ab')]"), ("ctx", "[C.cdt_ctx_and_filter(None)]"),
    ("ctx", "[C.cdt_ctx_all_children_with_filter(5)]"),
    ("expr", "E.SelectByPath([], RT.LIST, 0, E.MapBin('m')).compile()"),
    ("expr", "E.SelectByPath(None, RT.LIST, 0, E.MapBin('m')).compile()"),
    ("expr", "E.ModifyByPath([C.cdt_ctx_all_children()], RT.MAP, None, 0, E.MapBin('m')).compile()"),
    ("expr", "E.LoopVarInt('x').compile()"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], True)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children()], 1.5)"),
    ("op", "O.select_by_path(None, [C.cdt_ctx_all_children()], 0)"),
    ("op", "O.select_by_path('m', (C.cdt_ctx_all_children(),), 0)"),
    ("op", "O.select_by_path('m', {'a': 1}, 0)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_map_keys_in(None)], 0)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_list_index('x')], 0)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_all_children_with_filter(E.Eq(E.LoopVarInt(1), 1))], 0)"),
    ("op", "O.select_by_path('m', [C.cdt_ctx_map_key('a'), C.cdt_ctx_and_filter(E.Eq(E.LoopVarInt(1), 1))], 0)"),
    ("op", "O.modify_by_path('m', [C.cdt_ctx_all_children()], E.RemoveResult(), 0)"),
    ("op", "O.modify_by_path('m', [C.cdt_ctx_all_children()], E.RemoveResult().compile(), 'x')"),
    ("op", "O.select_by_path('averyveryverylongbinname', [C.cdt_ctx_all_children()], 0)"),
    ("expr", "E.LoopVarInt(True).compile()"), ("expr", "E.LoopVarInt(-1).compile()"),
    ("expr", "E.LoopVarInt(2**64).compile()"),
    ("expr", "E.SelectByPath([C.cdt_ctx_all_children()], 99, 0, E.MapBin('m')).compile()"),
    ("expr", "E.SelectByPath([C.cdt_ctx_all_children()], RT.LIST, 'x', E.MapBin('m')).compile()"),
    ("expr", "E.SelectByPath([C.cdt_ctx_all_children()], RT.LIST, -1, E.MapBin('m')).compile()"),
    ("expr", "E.SelectByPath([C.cdt_ctx_all_children()], RT.LIST, 0, 'm').compile()"),
    ("expr", "E.ModifyByPath([C.cdt_ctx_all_children()], RT.LIST, E.RemoveResult(), 0, E.ListBin('l')).compile()"),
    ("expr", "E.SelectByPath([1], RT.LIST, 0, E.MapBin('m')).compile()"),
    ("ctx", "[C.cdt_ctx_all_children_with_filter(E.Eq(E.LoopVarInt(1), 1))]"),
    ("ctx", "[C.cdt_ctx_map_keys_in([[1], {'a': 2}])]"),
]


#: Malformed contexts (none that crashes the official client): each is tried through
#: get_cdtctx_base64, a CDT expression, select_by_path and a list operation.
BAD_CONTEXTS = [
    "[1]", "[None]", "['a']", "(C.cdt_ctx_list_index(0),)", "'x'", "[C.cdt_ctx_list_index('x')]",
    "[C.cdt_ctx_list_index(2**63)]", "[C.cdt_ctx_list_rank(1.5)]", "[C.cdt_ctx_map_index(None)]",
    "[C.cdt_ctx_map_keys_in(None)]", "[C.cdt_ctx_map_keys_in(('a',))]", "[C.cdt_ctx_map_key(object())]",
    "[C.cdt_ctx_map_key((1, 2))]", "[Ctx(-1, 1)]", "[Ctx('x', 1)]", "[Ctx(99, 1)]", "[Ctx(4, None, {})]",
    "[Ctx(4, None, {'filter_expr': 5})]", "[Ctx(True, 1)]", "[Ctx(16, True)]", "[Ctx(20, 1, {'order_key': 'x'})]",
    "[Ctx(36, 'a', {'order_key': None})]", "[C.cdt_ctx_list_index_create(1, 5, True)]",
    "[C.cdt_ctx_map_key_create('a', 9)]", "[]",
]
BAD_ARGS += [case for ctx in BAD_CONTEXTS for case in (
    ("ctx", ctx),
    ("expr", "E.ListGetByIndex(%s, aerospike.LIST_RETURN_VALUE, RT.INTEGER, 0, E.ListBin('l')).compile()" % ctx),
    ("op", "O.select_by_path('m', %s, 0)" % ctx),
    ("op", "LO.list_get('l', 0, ctx=%s)" % ctx))]


@st.composite
def case(draw) -> dict:
    kind = draw(st.sampled_from(["op", "op", "op", "expr", "expr", "ctx"]))
    ctx = draw(contexts)
    bin_name = draw(st.sampled_from(["'m'", "'l'"]))
    if kind == "ctx":
        return {"kind": "ctx", "src": ctx}
    if kind == "op":
        if draw(st.booleans()):
            return {"kind": "op", "src": "O.select_by_path(%s, %s, %s)" % (bin_name, ctx, draw(select_flags))}
        return {"kind": "op", "src": "O.modify_by_path(%s, %s, %s, %s)" % (bin_name, ctx, draw(mod_exp),
                                                                           draw(modify_flags))}
    if draw(st.booleans()):
        src = "E.SelectByPath(%s, %s, %s, %s)" % (ctx, draw(return_type), draw(select_flags), draw(bin_exp))
        if draw(st.booleans()):  # sent in an expression read op
            return {"kind": "op", "src": "XO.expression_read('r', %s.compile(), %s)" % (src, draw(exp_flags))}
    else:
        src = "E.ModifyByPath(%s, %s, %s, %s, %s)" % (ctx, draw(return_type), draw(mod_exp),
                                                      draw(modify_flags), draw(bin_exp))
        if draw(st.booleans()):  # sent in an expression write op
            return {"kind": "op", "src": "XO.expression_write(%s, %s.compile(), %s)" % (
                draw(st.sampled_from(["'m'", "'l'"])), src, draw(exp_flags))}
    return {"kind": "expr", "src": src + ".compile()"}


def run_worker(venv: str, server, cases: list) -> list:
    """Each case's outcome in `venv`'s client. A case that kills the worker with a signal (the
    official C extension segfaults on some malformed path arguments) is recorded as
    ``{"crash": signal}`` and the worker is started again with the cases after it."""
    outcomes: list = []
    while len(outcomes) < len(cases):
        done = subprocess.run([PYTHONS[venv], WORKER, server.host, str(server.port)],
                              input=json.dumps(cases[len(outcomes):]), capture_output=True, text=True,
                              timeout=120)
        outcomes.extend(json.loads(line) for line in done.stdout.splitlines())
        if done.returncode < 0 and len(outcomes) < len(cases):
            outcomes.append({"crash": -done.returncode})
        else:
            assert done.returncode == 0, done.stderr[-2000:]
    return outcomes


@pytest.fixture(scope="module")
def both_clients():
    missing = [p for p in PYTHONS.values() if not os.path.exists(p)]
    if missing:
        pytest.fail("venv missing: %s (run ./dev setup)" % missing)


def compare(server, cases: list) -> None:
    official, purespike = run_worker("official", server, cases), run_worker("purespike", server, cases)
    for c, want, got in zip(cases, official, purespike):
        assert "crash" not in got, "purespike's worker died on %s %s" % (c["kind"], c["src"])
        if "crash" in want:  # the official client crashed: purespike answers, whatever it answers
            continue
        assert got == want, "%s %s\n  official:  %r\n  purespike: %r" % (c["kind"], c["src"], want, got)
    assert len(official) == len(purespike) == len(cases)


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(cases=st.lists(case(), min_size=60, max_size=60))
def test_generated_path_helpers_match_the_official_client(both_clients, spikelite_server, cases):
    compare(spikelite_server, cases)


def test_bad_path_arguments_match_the_official_client(both_clients, spikelite_server):
    compare(spikelite_server, [{"kind": k, "src": s} for k, s in BAD_ARGS])
