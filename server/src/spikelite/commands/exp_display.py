"""The text a real node shows for an index expression in `sindex-list` (without `b64=true`):
`add(bin_int("a"), 5)`, `cond(eq(bin_str("s"), <string#2>), 1, 2)`. Covers bins, literals,
comparisons, logic, arithmetic, integer bit operations, min/max, cond, let/var (a node names the
variables var_<n>, n counting the variables in scope), bin_type, digest_modulo, and the read calls
and modify calls of list, map, bit and HLL operations (`list_size(NULL, bin_list("l"))`,
`map_get_by_key([list_index(0)], 7, <string#1>, bin_map("m"))`, `list_append(NULL, 5, bin_list("l"))`),
quoted lists (`<list#2>`), map and extension values (`<msgpack/8>`, `<msgpack/12>`); an expression
using anything else is None (the caller then shows its base64 form)."""

from __future__ import annotations

import base64
import binascii

import msgpack

_NAMES = {1: "eq", 2: "ne", 3: "gt", 4: "ge", 5: "lt", 6: "le", 16: "and", 17: "or", 18: "not",
          19: "exclusive", 20: "add", 21: "sub", 22: "mul", 23: "div", 24: "pow", 25: "log", 26: "mod",
          27: "abs", 28: "floor", 29: "ceil", 30: "to_int", 31: "to_float", 32: "int_and", 33: "int_or",
          34: "int_xor", 35: "int_not", 36: "int_lshift", 37: "int_rshift", 38: "int_arshift",
          39: "int_count", 40: "int_lscan", 41: "int_rscan", 50: "min", 51: "max", 123: "cond"}
_BIN_TYPES = {0: "nil", 1: "bool", 2: "int", 3: "str", 4: "list", 5: "map", 6: "blob", 7: "float",
              8: "geojson", 9: "hll"}
_STRING, _BLOB = 3, 4
REGEX, DIGEST_MODULO, BIN, BIN_TYPE, VAR, LET, CALL = 7, 64, 81, 82, 124, 125, 127
CDT_CONTEXT = 0xFF
#: Operations a call may run, as a node names them: CDT ones by op code alone (reads and modify
#: calls, list and map codes in one table; another code is INVALID_CDT_OP), bit and HLL ones by
#: system (1/2 reads, 0x41/0x42 modify calls) and op code.
_CDT_NAMES = {
    1: "list_append", 2: "list_append_items", 3: "list_insert", 4: "list_insert_items", 9: "list_set",
    11: "list_clear", 12: "list_increment", 13: "list_sort", 16: "list_size", 19: "list_get_by_index",
    20: "list_get_by_value", 21: "list_get_by_rank", 23: "list_get_by_value_list",
    24: "list_get_by_index_range", 25: "list_get_by_value_range", 26: "list_get_by_rank_range",
    27: "list_get_by_rel_rank_range", 32: "list_remove_by_index", 34: "list_remove_by_rank",
    35: "list_remove_by_value", 36: "list_remove_by_value_list", 37: "list_remove_by_index_range",
    38: "list_remove_by_value_range", 39: "list_remove_by_rank_range", 40: "list_remove_by_rel_rank_range",
    67: "map_put", 68: "map_put_items", 73: "map_increment", 75: "map_clear", 76: "map_remove_by_key",
    77: "map_remove_by_index", 78: "map_remove_by_value", 79: "map_remove_by_rank",
    81: "map_remove_by_key_list", 83: "map_remove_by_value_list", 84: "map_remove_by_key_range",
    85: "map_remove_by_index_range", 86: "map_remove_by_value_range", 87: "map_remove_by_rank_range",
    88: "map_remove_by_rel_index_range", 89: "map_remove_by_rel_rank_range", 96: "map_size",
    97: "map_get_by_key", 98: "map_get_by_index", 100: "map_get_by_rank", 102: "map_get_by_value",
    103: "map_get_by_key_range", 104: "map_get_by_index_range", 105: "map_get_by_value_range",
    106: "map_get_by_rank_range", 107: "map_get_by_key_list", 108: "map_get_by_value_list",
    109: "map_get_by_rel_index_range", 110: "map_get_by_rel_rank_range"}
_CDT_SYSTEMS, _MODIFY = (0, 0x40), 0x40
_CALL_NAMES = {
    1: {50: "bit_get", 51: "bit_count", 52: "bit_lscan", 53: "bit_rscan", 54: "bit_get_int"},
    0x41: {0: "bit_resize", 1: "bit_insert", 2: "bit_remove", 3: "bit_set", 4: "bit_or", 5: "bit_xor",
           6: "bit_and", 7: "bit_not", 8: "bit_lshift", 9: "bit_rshift", 10: "bit_add", 11: "bit_subtract",
           12: "bit_set_int"},
    2: {50: "hll_get_count", 51: "hll_get_union", 52: "hll_get_union_count", 53: "hll_get_intersect_count",
        54: "hll_get_similarity", 55: "hll_describe", 56: "hll_may_contain"},
    0x42: {0: "hll_init", 1: "hll_add", 2: "hll_set_union", 3: "hll_refresh_count", 4: "hll_fold"},
}
#: A quoted list argument ([126, [...]]) is shown by its element count.
QUOTED = 126
#: Values a node shows by their msgpack type number only.
_MSGPACK_MAP, _MSGPACK_EXT = 8, 12


class _Unshown(Exception):
    pass


def _name(raw) -> str:
    if not isinstance(raw, bytes):
        raise _Unshown
    return raw.decode("utf-8", "surrogateescape")


def _show(node, scope: list) -> str:
    """`scope`: the names of the variables defined around `node`, outermost first."""
    if node is True or node is False:
        return "true" if node else "false"
    if node is None:
        return "nil"
    if isinstance(node, int):
        return str(node)
    if isinstance(node, float):
        return "%f" % node
    if isinstance(node, dict):
        return "<msgpack/%d>" % _MSGPACK_MAP
    if isinstance(node, msgpack.ExtType):
        return "<msgpack/%d>" % _MSGPACK_EXT
    if isinstance(node, bytes):
        if node and node[0] == _STRING:
            return "<string#%d>" % (len(node) - 1)
        if node and node[0] == _BLOB:
            return "<blob#%d>" % (len(node) - 1)
        if node:
            return "<blob%d#%d>" % (node[0], len(node) - 1)
        raise _Unshown
    if not isinstance(node, list) or not node or isinstance(node[0], bool) or not isinstance(node[0], int):
        raise _Unshown
    code, args = node[0], node[1:]
    if code == BIN and len(args) == 2 and args[0] in _BIN_TYPES:
        return 'bin_%s("%s")' % (_BIN_TYPES[args[0]], _name(args[1]))
    if code == BIN_TYPE and len(args) == 1:
        return 'bin_type("%s")' % _name(args[0])
    if code == DIGEST_MODULO and len(args) == 1:
        return "digest_modulo(%s)" % _show(args[0], scope)
    if code == REGEX and len(args) == 3 and isinstance(args[1], bytes):
        return "cmp_regex(<string#%d>, %s, %s)" % (len(args[1]), _show(args[0], scope), _show(args[2], scope))
    if code == VAR and len(args) == 1 and args[0] in scope:
        return 'var("var_%d")' % (len(scope) - 1 - scope[::-1].index(args[0]))
    if code == LET and len(args) >= 3 and len(args) % 2:
        inner, parts = list(scope), []
        for name, value in zip(args[:-1:2], args[1:-1:2]):
            if not isinstance(name, bytes):
                raise _Unshown
            parts.append("def(var_%d, %s)" % (len(inner), _show(value, inner)))
            inner.append(name)
        return "let(%s)" % ", ".join(parts + [_show(args[-1], inner)])
    if code == QUOTED and len(args) == 1 and isinstance(args[0], list):
        return "<list#%d>" % len(args[0])
    if code == CALL and len(args) == 4:
        return _call(args[1], args[2], args[3], scope)
    name = _NAMES.get(code)
    if name is None:
        raise _Unshown
    return "%s(%s)" % (name, ", ".join(_show(arg, scope) for arg in args))


def _call(system, payload, bin_expr, scope: list) -> str:
    """A call: name(context or NULL, the op's arguments..., the bin) for CDT operations (reads and
    modify calls alike), name(arguments..., the bin) for bit and HLL ones."""
    if isinstance(system, bool) or not isinstance(payload, list) or not payload:
        raise _Unshown
    if system in _CDT_SYSTEMS:
        context = None
        if payload[0] == CDT_CONTEXT and len(payload) == 3 and isinstance(payload[2], list):
            from .ctx_display import display_context
            context = display_context(base64.b64encode(msgpack.packb(payload[1], use_bin_type=False)).decode())
            payload = payload[2]
        if not payload or isinstance(payload[0], bool) or not isinstance(payload[0], int):
            raise _Unshown
        name = _CDT_NAMES.get(payload[0], "INVALID_CDT_OP")
        parts = [context or "NULL"]
    else:
        names = _CALL_NAMES.get(system) if isinstance(system, int) else None
        if names is None or payload[0] not in names:
            raise _Unshown
        name, parts = names[payload[0]], []
    parts += [_show(arg, scope) for arg in payload[1:]] + [_show(bin_expr, scope)]
    return "%s(%s)" % (name, ", ".join(parts))


def display_expression(b64: str) -> str | None:
    """A node's text for a base64 index expression, or None when it is not shown here."""
    try:
        tree = msgpack.unpackb(base64.b64decode(b64, validate=True), raw=True, strict_map_key=False)
        return _show(tree, [])
    except (_Unshown, binascii.Error, ValueError, IndexError, msgpack.ExtraData, msgpack.FormatError,
            msgpack.StackError, TypeError):
        return None
