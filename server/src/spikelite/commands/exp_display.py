"""The text a real node shows for an index expression in `sindex-list` (without `b64=true`):
`add(bin_int("a"), 5)`, `cond(eq(bin_str("s"), <string#2>), 1, 2)`. Covers bins, literals,
comparisons, logic, arithmetic, integer bit operations, min/max, cond, let/var (a node names the
variables var_<n>, n counting the variables in scope), bin_type and digest_modulo; an expression
using anything else (CDT/bit/HLL calls, ...) is None (the caller then shows its base64 form)."""

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
REGEX, DIGEST_MODULO, BIN, BIN_TYPE, VAR, LET = 7, 64, 81, 82, 124, 125


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
    if isinstance(node, bytes):
        if node and node[0] == _STRING:
            return "<string#%d>" % (len(node) - 1)
        if node and node[0] == _BLOB:
            return "<blob#%d>" % (len(node) - 1)
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
    name = _NAMES.get(code)
    if name is None:
        raise _Unshown
    return "%s(%s)" % (name, ", ".join(_show(arg, scope) for arg in args))


def display_expression(b64: str) -> str | None:
    """A node's text for a base64 index expression, or None when it is not shown here."""
    try:
        tree = msgpack.unpackb(base64.b64decode(b64, validate=True), raw=True, strict_map_key=False)
        return _show(tree, [])
    except (_Unshown, binascii.Error, ValueError, msgpack.ExtraData, msgpack.FormatError,
            msgpack.StackError, TypeError):
        return None
