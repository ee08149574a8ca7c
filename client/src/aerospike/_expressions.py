"""Compiled expressions (``aerospike_helpers.expressions ... .compile()``) → wire msgpack bytes.

A compiled expression is the pre-order list of ``(op, result_type, fixed, child_count)`` tuples
that the helper classes produce. The official client hands that list to its C extension, which
builds the C client's ``as_exp`` entries and packs them; this module produces the same bytes:

    expression_bytes(compiled) -> bytes          # field 43 (filter) / op 7-8 payloads
    expression_base64(compiled) -> str           # Client.get_expression_base64
    ctx_items(ctx) -> list                       # a cdt_ctx list checked: [id, value, ...] (also
                                                 # for operations: filters in contexts are expressions)
    ctx_bytes(ctx) -> bytes                      # a cdt_ctx list: [id, value, id, value, ...]
    ctx_base64(ctx) -> str                       # Client.get_cdtctx_base64

Python op codes of the compiled form that differ from the wire op codes (metadata, loop
variables, bin-exists, the list/map/bit/HLL calls) are translated here.
"""

from __future__ import annotations

import base64
from typing import Any

from . import _constants as C
from . import exception
from ._cdt_encoding import INT64_MAX, INT64_MIN, Packer, Raw, check_create_order, entry_int
from ._cdt_encoding import list_create_flag as _list_create_flag, map_create_flag as _map_create_flag
from ._errors import client_error, param_error

# -- wire items -----------------------------------------------------------------------------------
#
# The emitter builds a tree of wire items, packed by _pack_item: a list is an array, bytes a str
# item as they are (names, no particle type), Raw is copied (Python values already packed by
# value_item, nested expressions); None, bools, ints and floats stand for themselves.


def _pack_item(item: Any, p: Packer) -> None:
    if item is None:
        p.nil()
    elif item is True or item is False:
        p.bool(item)
    elif isinstance(item, int):
        p.int(item)
    elif isinstance(item, float):
        p.float(item)
    elif isinstance(item, Raw):
        p.raw(item)
    elif isinstance(item, (bytes, bytearray)):
        p.plain_str(item)
    elif isinstance(item, list):
        p.array_header(len(item))
        for entry in item:
            _pack_item(entry, p)
    else:  # pragma: no cover - converted values only
        raise TypeError(type(item))


def _pack_items(items: list, header: int | None = None) -> bytes:
    """The items one after the other, after an array header counting ``header`` when given."""
    p = Packer()
    if header is not None:
        p.array_header(header)
    for item in items:
        _pack_item(item, p)
    return p.bytes()


def value_item(value: Any) -> Raw:
    """A Python value inside an expression or a context, packed (see Packer's expression mode:
    dicts go out key-sorted, KeyOrderedDict with the ordered-map flag)."""
    p = Packer(expression=True)
    p.value(value)
    return Raw(p.bytes())


def _literal(value: Any) -> Any:
    """A literal operand of an expression: a list literal is quoted ``[126, list]``."""
    if isinstance(value, list):
        return [126, value_item(value)]
    return value_item(value)


# -- contexts -------------------------------------------------------------------------------------

_CTX_EXP = C._AS_CDT_CTX_EXP


_CTX_LIST_INDEX, _CTX_MAP_KEY = 0x10, 0x22
_CTX_AND_EXP, _CTX_MAP_KEYS_IN = C._AS_CDT_CTX_AND | C._AS_CDT_CTX_EXP, C._AS_CDT_CTX_MAP_KEYS_IN
_CTX_INT_KINDS = {C.CDT_CTX_LIST_INDEX, C.CDT_CTX_LIST_RANK, C.CDT_CTX_MAP_INDEX, C.CDT_CTX_MAP_RANK}
_CTX_VALUE_KINDS = {C.CDT_CTX_LIST_VALUE, C.CDT_CTX_MAP_KEY, C.CDT_CTX_MAP_VALUE}


def _check_ctx_value(value) -> None:
    """A context value the client cannot serialize fails as the official conversion to as_val does."""
    try:
        Packer().value(value)
    except exception.AerospikeError as exc:  # in the conversion's own words (too large an int, no serializer)
        raise param_error("Failed to convert ctx, value to as_val -> %s" % exc.msg) from None


def ctx_items(ctx_list) -> list:
    """[wire id, value, ...] of a list of cdt_ctx objects (values as Python/Raw items), checked as the
    official client converts contexts (its messages), for operations and expressions alike."""
    if not isinstance(ctx_list, list):
        raise param_error("Failed to convert ctx")
    items = []
    for ctx in ctx_list:
        try:
            kind, value, extra = ctx.id, ctx.value, ctx.extra_args
        except AttributeError:
            raise param_error("Failed to convert ctx, id") from None
        if not isinstance(kind, int) or kind < 0:
            raise param_error("Failed to convert ctx, id to uint64_t")
        if kind in _CTX_INT_KINDS or kind == C.CDT_CTX_LIST_INDEX_CREATE:
            if not isinstance(value, int) or not INT64_MIN <= value <= INT64_MAX:
                raise param_error("Failed to convert ctx, value to long")
            if kind == C.CDT_CTX_LIST_INDEX_CREATE:
                extra_args = extra if isinstance(extra, dict) else {}
                order = entry_int(extra_args, "order_key")
                check_create_order(order, 1)
                pad = entry_int(extra_args, "pad_key")
                kind = _CTX_LIST_INDEX | _list_create_flag(order, bool(pad))
            items += [kind, int(value)]
        elif kind == _CTX_EXP or kind == _CTX_AND_EXP:
            if extra is None and kind == _CTX_EXP:
                items += [kind, True]
            else:
                if not isinstance(extra, dict) or C._CDT_CTX_FILTER_EXPR_KEY not in extra:
                    raise param_error("Invalid cdt_ctx_exp")
                items += [kind, Raw(expression_bytes(extra[C._CDT_CTX_FILTER_EXPR_KEY]))]
        elif kind in _CTX_VALUE_KINDS or kind == C.CDT_CTX_MAP_KEY_CREATE or kind == _CTX_MAP_KEYS_IN:
            if kind == C.CDT_CTX_MAP_KEY_CREATE:
                order = entry_int(extra if isinstance(extra, dict) else {}, "order_key")
                check_create_order(order, 3)
                kind = _CTX_MAP_KEY | _map_create_flag(order)
            if kind == _CTX_MAP_KEYS_IN and not isinstance(value, (list, tuple)):
                raise param_error("map_keys_in must take in a list of keys")
            _check_ctx_value(value)
            items += [kind, value]
        else:
            raise param_error("Failed to convert, unknown ctx operation ctx")
    return items


def ctx_item(ctx_list: Any) -> list:
    """The packed form of a context list: ``[id1, value1, id2, value2, ...]``. The contexts are
    checked as the official client converts them (its messages: ``_operations.ctx_items``, shared
    with operations); values are then packed as inside expressions."""
    items = ctx_items(ctx_list)
    for i in range(1, len(items), 2):
        value = items[i]
        if not isinstance(value, Raw) and not (value is True and items[i - 1] & 0x0F == _CTX_EXP):
            items[i] = value_item(value)
    return items


def ctx_bytes(ctx_list: Any) -> bytes:
    return _pack_items([ctx_item(ctx_list)])


def ctx_base64(ctx_list: Any) -> str:
    if not isinstance(ctx_list, list):
        raise param_error("parameter is not list type")
    if not ctx_list:
        raise param_error("cdt ctx list entries are empty")
    return base64.b64encode(ctx_bytes(ctx_list)).decode()


# -- the compiled form ----------------------------------------------------------------------------

class _Node:
    __slots__ = ("op", "rt", "fixed", "children")

    def __init__(self, op: int, rt: Any, fixed: Any, children: list):
        self.op = op
        self.rt = rt
        self.fixed = fixed if isinstance(fixed, dict) else {}
        self.children = children


_NOT_AN_EXPRESSION = "Expressions must be a non empty list of 4 element tuples, generated by a compiled aerospike expression"


def _parse(compiled: Any) -> _Node:
    if not isinstance(compiled, list) or not compiled:
        raise param_error(_NOT_AN_EXPRESSION + ". For Query.where_with_expr(), it can also be a base64 string.")
    pos = 0

    def take() -> _Node:
        nonlocal pos
        if pos >= len(compiled):
            raise param_error("expressions: a compiled expression ends too early")
        entry = compiled[pos]
        pos += 1
        if not isinstance(entry, tuple) or len(entry) != 4:
            raise param_error(_NOT_AN_EXPRESSION)
        op, rt, fixed, count = entry
        if not isinstance(op, int) or not isinstance(count, int) or count < 0:
            raise param_error("expressions: malformed compiled entry")
        children = [take() for _ in range(count)]
        return _Node(op, rt, fixed, children)

    root = take()
    return root


# Python op codes (aerospike_helpers.expressions.resources._ExprOp)
_VAL, _AS_VAL, _END = 200, 128, 150
_UNKNOWN = 0
_CMP_REGEX = 7
_DEF, _VAR = 126, 124
_REC_KEY, _BIN, _BIN_TYPE, _BIN_EXISTS = 80, 81, 82, 83
_DIGEST_MOD = 64
_LIST_CRMOD, _LIST_MOD, _MAP_CRMOD, _MAP_CR, _MAP_MOD = 140, 141, 142, 143, 144
_BIT_FLAGS = 153
_MAP_INCREMENT = 1104
_TRUE, _FALSE = 151, 152

# compiled metadata op → wire op
_META = {65: 65, 66: 66, 67: 68, 68: 69, 69: 70, 70: 71, 71: 67, 72: 72, 73: 73, 74: 74}

# ops whose wire code equals the compiled code and whose children are all operands
_PLAIN = set(range(1, 7)) | {8, 9, 18, 24, 25, 26, 27, 28, 29, 30, 31, 35, 36, 37, 38, 39, 40, 41, 101, 102}
_VARIADIC = {16, 17, 19, 20, 21, 22, 23, 32, 33, 34, 50, 51, 123, 125}

# loop variables (aerospike._AS_EXP_LOOPVAR_*) → expression value type
_LOOPVARS = {3000: 7, 3001: 2, 3002: 4, 3003: 5, 3004: 3, 3005: 6, 3006: 1, 3007: 0, 3008: 8, 3009: 9}
_REMOVE_RESULT = 100
_CALL_SELECT, _CALL_APPLY = 3010, 3011

# result (value) types
_T_NIL, _T_BOOL, _T_INT, _T_STR, _T_LIST, _T_MAP, _T_BLOB, _T_FLOAT, _T_GEO, _T_HLL = range(10)
_T_AUTO, _T_ERROR = -1, -2

# CALL system types
_SYS_CDT, _SYS_BITS, _SYS_HLL, _SYS_STRING = 0, 1, 2, 3
_MODIFY_LOCAL = 0x40

# compiled CDT op → (wire code, kind)
#   lmod/mmod: modify (result: the list/map, or the type of the first context)
#   lrem/mrem: remove-by (return type first), lremx/mremx: remove-by without return type (NONE sent)
#   lget/mget: read, several elements; lone/mone: read, one element (value type given)
#   size: INT; sort: [13, order]; join: STRING
_LIST_OPS = {
    1001: (1, "lmod"), 1002: (2, "lmod"), 1003: (3, "lmod"), 1004: (4, "lmod"), 1010: (9, "lmod"),
    1015: (12, "lmod"), 1009: (11, "lmod"), 1031: (13, "sort"),
    1027: (35, "lrem"), 1028: (36, "lrem"), 1029: (38, "lrem"), 1037: (40, "lrem"), 1038: (40, "lrem"),
    1023: (32, "lremx"), 1039: (37, "lrem"), 1024: (37, "lrem"), 1025: (34, "lremx"), 1040: (39, "lrem"),
    1026: (39, "lrem"),
    1014: (16, "size"),
    1020: (22, "lget"), 1022: (25, "lget"), 1021: (23, "lget"), 1034: (27, "lget"), 1033: (27, "lget"),
    1016: (19, "lone"), 1035: (24, "lget"), 1017: (24, "lget"), 1018: (21, "lone"), 1036: (26, "lget"),
    1019: (26, "lget"),
    1042: (28, "join"), 1043: (28, "join"),
}
_MAP_OPS = {
    1102: (67, "mmod"), 1103: (68, "mmod"), 1104: (73, "mmod"), 1107: (75, "mmod"),
    1108: (76, "mremx"), 1109: (81, "mrem"), 1110: (84, "mrem"), 1132: (88, "mrem"), 1137: (88, "mrem"),
    1111: (82, "mrem"), 1112: (83, "mrem"), 1113: (86, "mrem"), 1133: (89, "mrem"), 1139: (89, "mrem"),
    1114: (77, "mremx"), 1134: (85, "mrem"), 1115: (85, "mrem"), 1116: (79, "mremx"), 1135: (87, "mrem"),
    1117: (87, "mrem"),
    1106: (96, "size"),
    1118: (97, "mone"), 1119: (103, "mget"), 1127: (107, "mget"), 1136: (109, "mget"), 1140: (109, "mget"),
    1120: (102, "mget"), 1121: (105, "mget"), 1126: (108, "mget"), 1141: (110, "mget"), 1130: (110, "mget"),
    1122: (98, "mone"), 1142: (104, "mget"), 1123: (104, "mget"), 1124: (100, "mone"), 1143: (106, "mget"),
    1125: (106, "mget"),
}
# compiled bit/HLL op → (wire code, result type, modifies)
_BIT_OPS = {
    2000: (0, _T_BLOB, True), 2001: (1, _T_BLOB, True), 2002: (2, _T_BLOB, True), 2003: (3, _T_BLOB, True),
    2004: (4, _T_BLOB, True), 2005: (5, _T_BLOB, True), 2006: (6, _T_BLOB, True), 2007: (7, _T_BLOB, True),
    2008: (8, _T_BLOB, True), 2009: (9, _T_BLOB, True), 2010: (10, _T_BLOB, True), 2011: (11, _T_BLOB, True),
    2013: (12, _T_BLOB, True),
    2014: (50, _T_BLOB, False), 2015: (51, _T_INT, False), 2016: (52, _T_INT, False), 2017: (53, _T_INT, False),
    2012: (54, _T_INT, False), 2018: (55, _T_STR, False), 2019: (55, _T_STR, False),
}
_HLL_OPS = {
    2108: (0, _T_HLL, True), 2100: (1, _T_HLL, True),
    2103: (50, _T_INT, False), 2106: (51, _T_HLL, False), 2107: (52, _T_INT, False), 2104: (53, _T_INT, False),
    2105: (54, _T_FLOAT, False), 2101: (55, _T_LIST, False), 2111: (56, _T_INT, False),
}

_LIST_RETURN = {1: "pos", 2: "pos", 3: "pos", 4: "pos", 5: "count", 7: "value", 13: "exists"}
_MAP_RETURN = {1: "pos", 2: "pos", 3: "pos", 4: "pos", 5: "count", 6: "value", 7: "value", 8: "map", 16: "map",
               17: "map", 13: "exists"}
_INVERTED = 0x10000


# compiled string op (server 8.2) -> (wire command, result type, modifies, fixed keys in wire order);
# a tuple of keys is a pair of strings sent as a quoted list, "val" of Concat a quoted list too.
_STRING_OPS = {
    1200: (0, _T_INT, False, ()), 1201: (1, _T_STR, False, ("start",)), 1202: (1, _T_STR, False, ("start", "end")),
    1203: (2, _T_STR, False, ("index",)), 1204: (3, _T_INT, False, ("needle", "occurrence")),
    1205: (4, _T_BOOL, False, ("needle",)), 1206: (5, _T_BOOL, False, ("prefix",)),
    1207: (6, _T_BOOL, False, ("suffix",)), 1208: (7, _T_INT, False, ()), 1209: (8, _T_FLOAT, False, ()),
    1210: (9, _T_INT, False, ()), 1211: (10, _T_BOOL, False, ("numeric_type",)), 1212: (11, _T_BOOL, False, ()),
    1213: (12, _T_BOOL, False, ()), 1214: (13, _T_BLOB, False, ()), 1215: (14, _T_LIST, False, ()),
    1216: (14, _T_LIST, False, ("separator",)), 1217: (15, _T_BLOB, False, ()),
    1218: (16, _T_BOOL, False, ("pattern", "regex_flags")),
    1219: (50, _T_STR, True, ("index", "val")), 1220: (51, _T_STR, True, ("index", "val")),
    1221: (52, _T_STR, True, ("val",)), 1222: (53, _T_STR, True, ("start", "end")), 1223: (53, _T_STR, True, ("start",)),
    1224: (54, _T_STR, True, (("needle", "replacement"),)), 1225: (55, _T_STR, True, (("needle", "replacement"),)),
    1226: (56, _T_STR, True, ()), 1227: (57, _T_STR, True, ()), 1228: (58, _T_STR, True, ()),
    1229: (59, _T_STR, True, ()), 1230: (60, _T_STR, True, ()), 1231: (61, _T_STR, True, ()),
    1232: (62, _T_STR, True, ()), 1233: (63, _T_STR, True, ("target_length", "pad_string")),
    1234: (64, _T_STR, True, ("target_length", "pad_string")), 1235: (65, _T_STR, True, ("count",)),
    1236: (66, _T_STR, True, (("pattern", "replacement"), "regex_flags")),
    1237: (67, _T_STR, True, ("val",)), 1238: (68, _T_STR, True, ("val",)),
}
_STRING_TO_STRING = 1239
_QUOTE = 126


def _string_text(fixed: dict, key: str) -> Raw:
    value = fixed.get(key)
    if not isinstance(value, str):
        raise param_error("String value required")
    return value_item(value)


def _string_args(op: int, fixed: dict, keys: tuple) -> list:
    args: list = []
    for key in keys:
        if isinstance(key, tuple):
            args.append([_QUOTE, [_string_text(fixed, k) for k in key]])
        elif key == "val" and op == 1221:  # Concat: the list of strings, quoted
            values = fixed.get(key)
            if not isinstance(values, list):
                raise param_error("Value must be a list")
            args.append([_QUOTE, [value_item(v) for v in values]])
        elif key in ("val", "needle", "prefix", "suffix", "separator", "pattern", "pad_string"):
            args.append(_string_text(fixed, key))
        else:
            args.append(_entry_int(fixed, key))
    return args


def _string_flags(fixed: dict) -> int:
    policy = fixed.get("str_policy")
    if policy is None:
        return 0
    flags = getattr(policy, "write_flags", None)
    if not isinstance(flags, int):
        raise param_error("Unable to get write flags from string policy")
    return int(flags)


def _result_type(table: dict, value_type: int, return_type: Any, multi: bool) -> int:
    """The C client's as_exp_get_list_type / as_exp_get_map_type."""
    if not isinstance(return_type, int):
        return _T_ERROR
    kind = table.get(return_type & ~_INVERTED)
    if kind is None:
        return _T_ERROR
    if kind == "pos":
        expected = _T_LIST if multi else _T_INT
    elif kind == "count":
        expected = _T_INT
    elif kind == "value":
        expected = _T_LIST if multi else value_type
    elif kind == "map":
        expected = _T_MAP
    else:
        expected = _T_BOOL
    if value_type == _T_AUTO or value_type == expected:
        return expected
    return _T_ERROR


def _ctx_type(ctx: Any, default: int) -> int:
    if not ctx:
        return default
    first = ctx[0]
    ctx_id = getattr(first, "id", 0)
    if isinstance(ctx_id, int) and ctx_id & 0x10:
        return _T_LIST
    return _T_MAP


def _compile_failed() -> Exception:
    return client_error("as_exp_compile failed.")


class _Emitter:
    def emit(self, node: _Node) -> list:
        """The wire items of one compiled node (most nodes yield one item; Def yields two,
        policy entries zero to two)."""
        op = node.op
        if op == _VAL:
            return [_literal(node.fixed.get("val"))]
        if op == _AS_VAL:
            return [_literal(node.fixed.get("val"))]
        if op in _PLAIN:
            return [[op] + self.operands(node.children)]
        if op in _VARIADIC:
            return [[op] + self.operands(c for c in node.children if c.op != _END)]
        if op == _UNKNOWN:
            return [[0]]
        if op == _DEF:
            return [_raw_str(node.fixed.get("val"))] + self.operands(node.children)
        if op == _VAR:
            return [[124, _raw_str(node.fixed.get("val"))]]
        if op in _META:
            return [[_META[op]]]
        if op == _DIGEST_MOD:
            return [[64, _int_arg(node.fixed.get("val"))]]
        if op == _REC_KEY:
            return [[80, node.rt]]
        if op == _BIN:
            return [[81, node.rt, _raw_str(node.fixed.get("bin"))]]
        if op == _BIN_TYPE:
            return [[82, _raw_str(node.fixed.get("bin"))]]
        if op == _BIN_EXISTS:
            return [[2, [82, _raw_str(node.fixed.get("bin"))], 0]]
        if op == _CMP_REGEX:
            return [[7, _int_arg(node.fixed.get("regex_options")), _raw_str(node.fixed.get("val"))]
                    + self.operands(node.children)]
        if op == _TRUE:
            return [True]
        if op == _FALSE:
            return [False]
        if op in _LOOPVARS:
            return [[122, _LOOPVARS[op], _entry_int(node.fixed, "val")]]
        if op == _REMOVE_RESULT:
            return [[100]]
        if op in (_CALL_SELECT, _CALL_APPLY):
            return [self.path_call(node)]
        if op in _LIST_OPS or op in _MAP_OPS:
            return [self.cdt_call(node)]
        if op in _BIT_OPS:
            return [self.bit_hll_call(node, _BIT_OPS[op], _SYS_BITS)]
        if op in _HLL_OPS:
            return [self.bit_hll_call(node, _HLL_OPS[op], _SYS_HLL)]
        if op in _STRING_OPS:
            return [self.string_call(node)]
        if op == _STRING_TO_STRING:
            return [[99] + self.operands(node.children)]
        if op in (_LIST_CRMOD, _LIST_MOD, _MAP_CRMOD, _MAP_CR, _MAP_MOD, _BIT_FLAGS):
            return self.policy_items(node)
        if op == _END:
            return []
        raise param_error("Unsupported expression operation %r" % (op,))

    def operands(self, children) -> list:
        items: list = []
        for child in children:
            items.extend(self.emit(child))
        return items

    def policy_items(self, node: _Node) -> list:
        fixed = node.fixed
        if node.op == _BIT_FLAGS:
            return [_uint_arg(fixed.get("val", 0))]
        if node.op in (_LIST_CRMOD, _LIST_MOD):
            policy = fixed.get("list_policy")
            if not policy:
                return []
            order, flags = _list_policy(policy)
            return [order, flags] if node.op == _LIST_CRMOD else [flags]
        policy = fixed.get("map_policy")
        if not policy:
            return []
        attributes, flags = _map_policy(policy)
        if node.op == _MAP_CRMOD:
            return [attributes, flags]
        if node.op == _MAP_CR:
            return [attributes]
        return [flags]

    def cdt_call(self, node: _Node) -> list:
        is_list = node.op in _LIST_OPS
        code, kind = (_LIST_OPS if is_list else _MAP_OPS)[node.op]
        fixed = node.fixed
        ctx = fixed.get("ctx")
        if not node.children:
            raise _compile_failed()
        *args, bin_node = node.children
        payload: list = [code]
        modify = False
        if kind in ("lmod", "mmod"):
            modify = True
            rtype = _ctx_type(ctx, _T_LIST if is_list else _T_MAP)
        elif kind == "sort":
            modify = True
            rtype = _ctx_type(ctx, _T_LIST)
            payload.append(_int_arg(fixed.get("list_order", 0)))
        elif kind in ("lrem", "mrem", "lremx", "mremx"):
            modify = True
            rtype = _ctx_type(ctx, _T_LIST if is_list else _T_MAP)
            payload.append(_int_arg(fixed.get("return_type", 0)))
        elif kind == "size":
            rtype = _T_INT
        elif kind == "join":
            rtype = _T_STR
            if "separator" in fixed:
                payload.append(value_item(fixed["separator"]))
        else:
            multi = kind in ("lget", "mget")
            value_type = _T_AUTO if multi else fixed.get("value_type")
            return_type = fixed.get("return_type")
            rtype = _result_type(_LIST_RETURN if is_list else _MAP_RETURN, value_type, return_type, multi)
            if rtype == _T_ERROR:
                raise _compile_failed()
            payload.append(return_type)
        payload.extend(self.operands(args))
        if node.op == _MAP_INCREMENT and fixed.get("map_policy"):
            # The official client builds map increment with the C client's attributes-only
            # policy slot but fills it with attributes and flags: the array header counts one
            # item fewer than follow. Reproduced for identical bytes.
            payload = Raw(_pack_items(payload, header=len(payload) - 1))
        if ctx is not None and not (isinstance(ctx, list) and not ctx):
            payload = [0xFF, ctx_item(ctx), payload]
        elif ctx is not None:
            raise _compile_failed()  # an empty ctx list
        system = _SYS_CDT | (_MODIFY_LOCAL if modify else 0)
        return [127, rtype, system] + [payload] + self.emit(bin_node)

    def bit_hll_call(self, node: _Node, spec: tuple, system: int) -> list:
        code, rtype, modify = spec
        if not node.children:
            raise _compile_failed()
        *args, bin_node = node.children
        payload = [code] + self.operands(args)
        return [127, rtype, system | (_MODIFY_LOCAL if modify else 0), payload] + self.emit(bin_node)

    def string_call(self, node: _Node) -> list:
        """A string call (server 8.2): [CALL, result type, STRING (| modify), [command, args...
        (, write flags)], the string operand]."""
        command, rtype, modify, keys = _STRING_OPS[node.op]
        if not node.children:
            raise _compile_failed()
        payload = [command] + _string_args(node.op, node.fixed, keys)
        if modify and node.op != 1223:  # (a Snip to the end goes without the flags, as official)
            payload.append(_string_flags(node.fixed))
        return [127, rtype, _SYS_STRING | (_MODIFY_LOCAL if modify else 0), payload] + self.emit(node.children[-1])

    def path_call(self, node: _Node) -> list:
        fixed = node.fixed
        ctx = fixed.get("ctx")
        if ctx is None:
            ctx = []  # (the official client crashes here)
        flags = _entry_int(fixed, "cdt_flags")
        payload: list = [0xFE, ctx_item(ctx)]
        if node.op == _CALL_APPLY:
            payload.append(flags | 4)
            payload.append(Raw(expression_bytes(fixed.get("mod_exp"))))
            system = _SYS_CDT | _MODIFY_LOCAL
        else:
            payload.append(flags)
            system = _SYS_CDT
        return [127, _int_arg(fixed.get("value_type")), system, payload] + self.operands(node.children)


def _raw_str(value: Any) -> bytes:
    if not isinstance(value, str):
        raise param_error("String value required")
    return value.encode()


def _entry_int(fixed: dict, key: str) -> int:
    """An int64 entry of an expression's fixed arguments, with the official client's messages."""
    return entry_int(fixed, key)


def _int_arg(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise param_error("expressions: an integer argument is required")
    return value


def _uint_arg(value: Any) -> int:
    return _int_arg(value) & 0xFFFFFFFFFFFFFFFF


def _list_policy(policy: Any) -> tuple[int, int]:
    if not isinstance(policy, dict):
        raise param_error("Incorrect policy")
    return policy.get("list_order", 0) or 0, policy.get("write_flags", 0) or 0


def _map_policy(policy: Any) -> tuple[int, int]:
    if not isinstance(policy, dict):
        raise param_error("Incorrect policy")
    attributes = policy.get("map_order", 0) or 0
    if policy.get("persist_index"):
        attributes |= 0x10
    return attributes, policy.get("map_write_flags", 0) or 0


def check_expression(compiled: Any) -> None:
    """Refuse what is not a compiled expression (a policy's ``expressions``: bytes and base64
    text are refused there, as by the official policy conversion)."""
    _parse(compiled)


def expression_bytes(compiled: Any) -> bytes:
    """The wire bytes of a compiled expression."""
    if isinstance(compiled, (bytes, bytearray)):
        return bytes(compiled)
    root = _parse(compiled)
    return _pack_items(_Emitter().emit(root))


def expression_base64(compiled: Any) -> str:
    return base64.b64encode(expression_bytes(compiled)).decode()


# -- expression operations (aerospike_helpers.operations.expression_operations) -------------------

_OP_EXPR_READ = 2200


def expression_op(operation: dict):
    """The wire op of an expression_read / expression_write dict, and whether it writes:
    op 7 (read) or 8 (modify) on the named bin, value ``[<expression>, flags]`` (blob particle)."""
    from spikewire import Op, OpType, ParticleType

    name = operation.get("bin")
    if not isinstance(name, str):
        raise param_error("Bin name should be of type string")
    if len(name.encode()) > 15:
        from ._errors import bin_name_error
        raise bin_name_error("A bin name should not exceed 15 characters limit")
    compiled = operation.get("expr")
    flags = operation.get("expr_flags", 0)
    if flags is None:
        flags = 0
    if isinstance(flags, bool) or not isinstance(flags, int):
        raise param_error("expr_flags must be an integer")
    p = Packer()
    p.array_header(2)
    p.raw(expression_bytes(compiled))
    p.int(flags)
    is_read = operation.get("op") == _OP_EXPR_READ
    return Op(OpType.EXP_READ if is_read else OpType.EXP_MODIFY, ParticleType.BLOB, name, p.bytes()), not is_read
