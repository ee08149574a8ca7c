"""How `sindex-list` shows an expression index (without `b64=true`: a node's display text, e.g.
`add(bin_int("a"), 5)`), against the real node: bins of every type, literals, comparisons, logic,
arithmetic, integer bit operations, min/max, cond, let/var (nested and side by side), bin_type,
digest_modulo, regex, list/map/bit/HLL read and modify calls (with and without a context; every
CDT op code, unknown ones too), quoted-list, map and extension arguments; and with `b64=true` the
base64 the index was created with."""

from __future__ import annotations

import base64

import msgpack
import pytest

from spikelite.wire import pack_value

from .harness import RUN

I, F, S = [81, 2, "a"], [81, 7, "f"], [81, 3, "s"]


def _cond(expression):
    return [123, expression, 1, 2]


#: name -> (key type, expression)
CASES = {
    "cmp": ("numeric", _cond([17, [1, I, 1], [16, [3, I, -5], [6, I, 12345678901]]])),
    "ne_lt_ge": ("numeric", _cond([16, [2, I, 1], [5, I, 2], [4, I, 0]])),
    "not_excl": ("numeric", _cond([19, [18, [1, I, 1]], [2, I, 2]])),
    "arith": ("numeric", [21, [22, [20, I, 1], 3], [23, I, 2]]),
    "mod_abs": ("numeric", [26, [27, I], 3]),
    "floats": ("numeric", [30, [24, [25, F, 2.0], 1.5]]),
    "floor_ceil": ("numeric", [20, [30, [28, F]], [30, [29, [31, I]]]]),
    "bits": ("numeric", [32, [33, I, 1], [34, [35, I], [36, [37, [38, I, 1], 2], 3]]]),
    "scans": ("numeric", [20, [39, I], [40, I, True], [41, I, False]]),
    "min_max": ("numeric", [50, [51, I, 1], 2, 3]),
    "strings": ("string", [123, [1, S, "ab"], S, "xyz"]),
    "blob": ("blob", [123, True, [81, 6, "b"], b"\x01\x02"]),
    "bins": ("numeric", _cond([16, [1, [81, 5, "m"], [81, 5, "m"]], [1, [81, 4, "l"], [81, 4, "l"]],
                               [1, [81, 1, "t"], True], [1, [81, 0, "n"], None]])),
    "geo": ("geo2dsphere", [123, True, [81, 8, "g"], [81, 8, "g"]]),
    "meta": ("numeric", [20, [64, 3], [82, "a"]]),
    "regex": ("numeric", _cond([7, 2, "a.*", S])),
}
LET, VAR = 125, 124
#: Expressions packed as the official client packs them (names as plain msgpack strings).
RAW_CASES = {
    "let": ("numeric", [LET, "x", I, "y", [20, [VAR, "x"], 1], [22, [VAR, "y"], 2]]),
    "let_nested": ("numeric", [LET, "x", I, [LET, "y", [20, [VAR, "x"], 1], [22, [VAR, "y"], [VAR, "x"]]]]),
    "let_siblings": ("numeric", [20, [LET, "p", I, [VAR, "p"]], [LET, "q", 3, [VAR, "q"]]]),
    "cdt_reads": ("numeric", [20, [127, 2, 0, [16], [81, 4, "l"]], [127, 2, 0, [19, 7, 1], [81, 4, "l"]],
                              [127, 2, 0, [0xFF, [0x10, 0], [16]], [81, 4, "l"]],
                              [127, 2, 0, [98, 7, 0], [81, 5, "m"]], [127, 2, 0, [106, 5, 0, 2], [81, 5, "m"]],
                              [127, 2, 0, [0xFF, [0x22, "\x03k", 0x20, 1], [96]], [81, 5, "m"]]]),
    "value_list": ("numeric", [127, 2, 0, [23, 5, [1, 2, 3]], [81, 4, "l"]]),
    "bits_hll": ("numeric", [20, [127, 2, 1, [51, 0, 8], [81, 6, "b"]], [127, 2, 1, [54, 0, 8, True], [81, 6, "b"]],
                             [127, 2, 2, [50], [81, 9, "h"]]]),
}


@pytest.fixture(scope="module")
def expression_indexes(pair):
    names = {}
    packed = {case: (ktype, pack_value(expression)) for case, (ktype, expression) in CASES.items()}
    packed.update({case: (ktype, msgpack.packb(expression)) for case, (ktype, expression) in RAW_CASES.items()})
    for case, (ktype, raw) in packed.items():
        name = "xd%s%s" % (RUN, case)
        exp64 = base64.b64encode(raw).decode()
        command = "sindex-create:namespace=test;set=xd%s;indexname=%s;type=%s;exp=%s" % (RUN, name, ktype, exp64)
        real, lite = pair.real.info(command)[command], pair.lite.info(command)[command]
        assert real == lite == "ok", (case, real, lite)
        names[case] = name
    yield names
    for conn in (pair.real, pair.lite):
        for name in names.values():
            conn.info("sindex-delete:namespace=test;indexname=%s" % name)


def _entries(conn, b64: bool) -> dict:
    command = "sindex-list:namespace=test" + (";b64=true" if b64 else "")
    return {entry.split(":indexname=")[1].split(":")[0]: entry.split(":exp=")[1].rsplit(":state=", 1)[0]
            for entry in conn.info(command)[command].split(";") if ":indexname=xd%s" % RUN in entry}


@pytest.mark.parametrize("b64", [False, True], ids=["text", "base64"])
def test_expression_indexes_are_listed_as_the_node_lists_them(pair, expression_indexes, b64):
    real, lite = _entries(pair.real, b64), _entries(pair.lite, b64)
    assert set(real) == set(expression_indexes.values())
    assert real == lite


L, M, B, H = [81, 4, "l"], [81, 5, "m"], [81, 6, "b"], [81, 9, "h"]
#: Calls with modify operations and with quoted-list, map and extension arguments.
CALL_CASES = {
    "lappend_ctx": [127, 2, 0x40, [0xFF, [0x10, 0], [1, 5, 1, 1]], L],
    "lappend_items": [127, 2, 0x40, [2, [126, [1, [2, 3], {"a": 1}]]], L],
    "lappend_empty": [127, 2, 0x40, [2, [126, []]], L],
    "mput_items": [127, 2, 0x40, [68, {"a": 1, "b": [2]}, 0], M],
    "map_value": [20, [127, 2, 0, [102, 1, {}], M], [127, 2, 0, [102, 1, {i: i for i in range(20)}], M]],
    "key_list": [127, 2, 0, [107, 5, [126, ["a", "b"]]], M],
    "ext_bound": [127, 2, 0, [25, 1, 1, msgpack.ExtType(1, b"")], L],
    "bits_modify": [20, [127, 2, 0x41, [0, 8, 0], B], [127, 2, 0x41, [12, 0, 8, 5, 0], B],
                    [127, 2, 1, [50, {1: 2}], B]],
    "hll_modify": [20, [127, 2, 0x42, [0, 8, 0], H], [127, 2, 0x42, [1, [126, [1, "a"]], 8, 0], H]],
}


def _create_all(pair, expressions: dict, prefix: str) -> list:
    names = []
    for case, expression in expressions.items():
        name = "%s%s%s" % (prefix, RUN, case)
        exp64 = base64.b64encode(msgpack.packb(expression)).decode()
        command = "sindex-create:namespace=test;set=xc%s;indexname=%s;type=numeric;exp=%s" % (RUN, name, exp64)
        real, lite = pair.real.info(command)[command], pair.lite.info(command)[command]
        assert real == lite == "ok", (case, real, lite)
        names.append(name)
    return names


def _listed(conn, names: list) -> dict:
    command = "sindex-list:namespace=test"
    wanted = set(names)
    return {entry.split(":indexname=")[1].split(":")[0]: entry.split(":exp=")[1].rsplit(":state=", 1)[0]
            for entry in conn.info(command)[command].split(";")
            if ":indexname=" in entry and entry.split(":indexname=")[1].split(":")[0] in wanted}


def _compare_listings(pair, expressions: dict, prefix: str) -> dict:
    names = _create_all(pair, expressions, prefix)
    try:
        real, lite = _listed(pair.real, names), _listed(pair.lite, names)
    finally:
        for conn in (pair.real, pair.lite):
            for name in names:
                conn.info("sindex-delete:namespace=test;indexname=%s" % name)
    assert set(real) == set(names)
    assert real == lite
    return real


def test_modify_calls_and_map_arguments_are_shown_as_the_node_shows_them(pair):
    listed = _compare_listings(pair, CALL_CASES, "xm")
    assert not any(text.endswith("=") or "(" not in text for text in listed.values()), listed


@pytest.mark.parametrize("system", [0, 0x40], ids=["read", "modify"])
def test_every_cdt_op_code_is_named_as_the_node_names_it(pair, system):
    """Every op code a CDT call may carry, valid or not (a node names unknown ones INVALID_CDT_OP),
    read and modify calls, with a context and a map argument."""
    expressions = {"c%d" % code: [127, 2, system, [0xFF, [0x10, 0], [code, 1, {"k": 2}]], L]
                   for code in range(128)}
    listed = _compare_listings(pair, expressions, "xo%d" % system)
    assert all("(" in text for text in listed.values())
