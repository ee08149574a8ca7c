"""Encoding of the operation dicts that carry a msgpack payload (list, map, bit, HLL, expression
operations built by aerospike_helpers, and the old OP_LIST_* / OP_MAP_* dict forms) into wire ops.

    encode_operation(operation: dict, encoder: Encoder) -> tuple[Op, bool]

returns the wire Op and whether it writes. It raises ParamError for an operation it does not know.
``respond_all_ops(operation)`` says whether the request must ask for one result per op
(info2 RESPOND_ALL_OPS): the official client asks for it when an operate holds a map, bit, HLL or
expression operation, not for list operations or path selections.

Every payload is byte for byte what aerospike 19.3.0 sends (recorded with a proxy; see
tests/client/test_operations_encoding.py):

- op code CDT_READ 3 / CDT_MODIFY 4 (lists, maps, path select/modify), BIT_READ 12 / BIT_MODIFY
  13, HLL_READ 15 / HLL_MODIFY 16, EXP_READ 7 / EXP_MODIFY 8; particle type BLOB;
- value ``[op_code, args...]``; with a ``ctx`` list ``[0xff, [ctx_id, ctx_value, ...], [op_code,
  args...]]`` (a ctx key holding an empty list still gives the wrapper); path select/modify
  ``[0xfe, [ctx...], flags(, expression)]``;
- ``inverted`` ORs 0x10000 into the return type; counts are unsigned 64-bit.
"""

from spikewire import Op, OpType, ParticleType

from . import _constants as C
from ._cdt_encoding import Packer, Raw, entry_int, list_create_flag as _list_create_flag, map_create_flag as _map_create_flag
from ._expressions import ctx_items, expression_bytes
from ._errors import bin_name_error, client_error, param_error

MAX_BIN_NAME = 15
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_INVERTED = 0x10000
_CTX_EVAL = 0xFF
_PATH_SELECT = 0xFE
_PATH_APPLY = 4
_PATH_CODES = (C._AS_OPERATOR_CDT_READ, C._AS_OPERATOR_CDT_MODIFY)

# Wire context ids and the create flags OR'ed into the last context of a create.


_NAMES = {}


def _op_name(code) -> str:
    if not _NAMES:
        for name, value in vars(C).items():
            if name.startswith(("OP_LIST_", "OP_MAP_", "OP_BIT_", "OP_HLL_")) and isinstance(value, int):
                _NAMES.setdefault(value, name[3:])
    return _NAMES.get(code, str(code))


class _Count(int):
    """A uint64_t count: packed modulo 2**64."""


def _pack_items(items: list) -> bytes:
    p = Packer()
    p.array_header(len(items))
    for item in items:
        if isinstance(item, _Count):
            p.count(int(item))
        else:
            p.value(item)
    return p.bytes()


# -- reading the operation dict, with the official client's checks and messages --------------------

class _Args:
    def __init__(self, operation: dict):
        self.d = operation

    def has(self, key: str) -> bool:
        return key in self.d

    def int(self, key: str, required: bool = True):
        return entry_int(self.d, key, required)

    def uint32(self, key: str) -> int:
        value = self.int(key)
        if not 0 <= value <= 0xFFFFFFFF:
            raise param_error("%s is not a valid uint32" % key)
        return value

    def boolean(self, key: str) -> bool:
        if key not in self.d:
            raise param_error("Failed to convert %s" % key)
        value = self.d[key]
        if not isinstance(value, bool):
            raise param_error("key %s does not point to a boolean in the dict" % key)
        return value

    def value(self, key: str):
        if key not in self.d:
            raise param_error('Operation must contain a "%s" entry' % key)
        return self.d[key]

    def value_list(self, key: str) -> list:
        if key not in self.d:
            raise param_error('Operation must contain a "values" entry')
        value = self.d[key]
        if not isinstance(value, list):
            raise param_error("Value must be a list")
        return value

    def blob(self, key: str) -> bytes:
        if key not in self.d:
            raise param_error("Failed to convert %s" % key)
        value = self.d[key]
        if not isinstance(value, (bytes, bytearray)):
            raise param_error("%s must be bytes or byte array" % key)
        return bytes(value)

    def return_type(self) -> int:
        rt = self.int("return_type")
        return _inverted(self.d, rt)


def _inverted(d: dict, return_type: int) -> int:
    if "inverted" in d:
        try:
            inverted = bool(d["inverted"])
        except Exception:
            raise param_error("Invalid inverted option") from None
        if inverted:
            return_type |= _INVERTED
    return return_type


def _bin_of(d: dict, code) -> str:
    """The bin of a list / map-relative / bit / HLL op (the C extension's get_bin)."""
    if d.get("bin") is None:  # a None bin counts as none given, as in the official client
        raise param_error('Operation must contain a "bin" entry')
    name = d["bin"]
    if not isinstance(name, str):
        raise param_error("String value required")
    if len(name.encode()) > MAX_BIN_NAME:
        raise client_error("Failed to add %s operation" % _op_name(code))
    return name


# -- contexts -------------------------------------------------------------------------------------

def _expression_raw(compiled) -> Raw:
    return Raw(expression_bytes(compiled))


def _payload(d: dict, inner: list, create_flag: int = 0, ctx_key: str = "ctx", items: list | None = None) -> bytes:
    """The op value: inner, wrapped in a context evaluation when the dict has a ctx list (`items`:
    that ctx already converted)."""
    if ctx_key not in d or (create_flag is None and d[ctx_key] is None):
        return _pack_items(inner)
    if items is None:
        items = ctx_items(d[ctx_key])
    if create_flag:
        if not items:
            raise param_error("A create operation needs a non-empty ctx")
        items[-2] |= create_flag
    p = Packer()
    p.array_header(3)
    p.uint(_CTX_EVAL)
    p.raw(_pack_items(items))
    p.raw(_pack_items(inner))
    return p.bytes()


# -- lists ----------------------------------------------------------------------------------------

def _list_policy(a: _Args):
    """(order, flags) of the op's list_policy, or None when it has none."""
    if not a.has("list_policy"):
        return None
    policy = a.d["list_policy"]
    if policy is None:
        return 0, 0
    if not isinstance(policy, dict):
        raise param_error("List policy must be a dictionary.")
    order = policy.get("list_order")
    flags = policy.get("write_flags")
    if order is not None and not isinstance(order, int):
        raise param_error("list_order must be an integer")
    if flags is not None and not isinstance(flags, int):
        raise param_error("write_flags must be an integer")
    return order or 0, flags or 0


def _list_op(code, a: _Args):
    """(wire op type, inner items, create flag) of a list op."""
    L = C
    d = a.d
    if code == L.OP_LIST_CREATE:
        order = a.int("list_order")
        pad = a.boolean("pad")
        persist = a.boolean("persist_index")
        if "ctx" in d:
            return OpType.CDT_MODIFY, [0, order], _list_create_flag(order, pad)
        return OpType.CDT_MODIFY, [0, order | (0x10 if persist else 0)], 0
    if code in (L.OP_LIST_APPEND, L.OP_LIST_APPEND_ITEMS):
        policy = _list_policy(a)
        value = a.value("val") if code == L.OP_LIST_APPEND else a.value_list("val")
        inner = [1 if code == L.OP_LIST_APPEND else 2, value]
        if policy is not None:
            inner += list(policy)
        return OpType.CDT_MODIFY, inner, 0
    if code in (L.OP_LIST_INSERT, L.OP_LIST_INSERT_ITEMS, L.OP_LIST_SET):
        index = a.int("index")
        policy = _list_policy(a)
        if code == L.OP_LIST_INSERT_ITEMS:
            value = a.value_list("val")
        else:
            value = a.value("val")
        wire = {L.OP_LIST_INSERT: 3, L.OP_LIST_INSERT_ITEMS: 4, L.OP_LIST_SET: 9}[code]
        inner = [wire, index, value]
        if policy is not None:
            inner.append(policy[1])
        return OpType.CDT_MODIFY, inner, 0
    if code == L.OP_LIST_INCREMENT:
        policy = _list_policy(a)
        index = a.int("index")
        inner = [12, index, a.value("val")]
        if policy is not None:
            inner += list(policy)
        return OpType.CDT_MODIFY, inner, 0
    simple = {L.OP_LIST_POP: (5, True), L.OP_LIST_REMOVE: (7, True), L.OP_LIST_GET: (17, False)}
    if code in simple:
        wire, writes = simple[code]
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), [wire, a.int("index")], 0
    ranged = {L.OP_LIST_POP_RANGE: (6, True), L.OP_LIST_REMOVE_RANGE: (8, True),
              L.OP_LIST_GET_RANGE: (18, False), L.OP_LIST_TRIM: (10, True)}
    if code in ranged:
        wire, writes = ranged[code]
        index = a.int("index")
        count = a.int("val")
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), [wire, index, _Count(count)], 0
    if code == L.OP_LIST_CLEAR:
        return OpType.CDT_MODIFY, [11], 0
    if code == L.OP_LIST_SIZE:
        return OpType.CDT_READ, [16], 0
    if code == L.OP_LIST_SET_ORDER:
        return OpType.CDT_MODIFY, [0, a.int("list_order")], 0
    if code == L.OP_LIST_SORT:
        return OpType.CDT_MODIFY, [13, a.int("sort_flags")], 0
    if code == C._OP_LIST_JOIN:
        separator = d.get("separator")
        return OpType.CDT_READ, [28] if separator is None else [28, separator], 0
    by_position = {
        L.OP_LIST_GET_BY_INDEX: (19, "index", False, False), L.OP_LIST_REMOVE_BY_INDEX: (32, "index", True, False),
        L.OP_LIST_GET_BY_RANK: (21, "rank", False, False), L.OP_LIST_REMOVE_BY_RANK: (34, "rank", True, False),
        L.OP_LIST_GET_BY_INDEX_RANGE: (24, "index", False, True),
        L.OP_LIST_REMOVE_BY_INDEX_RANGE: (37, "index", True, True),
        L.OP_LIST_GET_BY_RANK_RANGE: (26, "rank", False, True),
        L.OP_LIST_REMOVE_BY_RANK_RANGE: (39, "rank", True, True),
    }
    if code in by_position:
        wire, key, writes, ranged_op = by_position[code]
        position = a.int(key)
        count = a.int("count", required=False) if ranged_op else None
        return_type = a.return_type()
        inner = [wire, return_type, position]
        if count is not None:
            inner.append(_Count(count))
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), inner, 0
    if code in (L.OP_LIST_GET_BY_VALUE, L.OP_LIST_REMOVE_BY_VALUE):
        return_type = a.return_type()
        value = a.value("val")
        writes = code == L.OP_LIST_REMOVE_BY_VALUE
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), [35 if writes else 22, return_type, value], 0
    if code in (L.OP_LIST_GET_BY_VALUE_LIST, L.OP_LIST_REMOVE_BY_VALUE_LIST):
        return_type = a.return_type()
        values = a.value_list("value_list")
        writes = code == L.OP_LIST_REMOVE_BY_VALUE_LIST
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), [36 if writes else 23, return_type, values], 0
    if code in (L.OP_LIST_GET_BY_VALUE_RANGE, L.OP_LIST_REMOVE_BY_VALUE_RANGE):
        return_type = a.return_type()
        begin, end = d.get("value_begin"), d.get("value_end")
        writes = code == L.OP_LIST_REMOVE_BY_VALUE_RANGE
        inner = [38 if writes else 25, return_type, begin]
        if end is not None:
            inner.append(end)
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), inner, 0
    if code in (L.OP_LIST_GET_BY_VALUE_RANK_RANGE_REL, L.OP_LIST_REMOVE_BY_VALUE_RANK_RANGE_REL):
        return_type = a.return_type()
        rank = a.int("rank")
        count = a.int("count", required=False)
        value = a.value("val")
        writes = code == L.OP_LIST_REMOVE_BY_VALUE_RANK_RANGE_REL
        inner = [40 if writes else 27, return_type, value, rank]
        if count is not None:
            inner.append(_Count(count))
        return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), inner, 0
    return None


_LIST_CODES = {v for k, v in vars(C).items() if k.startswith("OP_LIST_") and isinstance(v, int)
               and not k.endswith(("_TO_END", "REMOVE_BY_REL_RANK_RANGE"))} | {C._OP_LIST_JOIN}


# -- maps -----------------------------------------------------------------------------------------

_MAP_REL = {C.OP_MAP_REMOVE_BY_VALUE_RANK_RANGE_REL: (89, "val", "rank", True),
            C.OP_MAP_GET_BY_VALUE_RANK_RANGE_REL: (110, "val", "rank", False),
            C.OP_MAP_REMOVE_BY_KEY_INDEX_RANGE_REL: (88, "key", "index", True),
            C.OP_MAP_GET_BY_KEY_INDEX_RANGE_REL: (109, "key", "index", False)}

_MAP_CODES = {v for k, v in vars(C).items() if k.startswith("OP_MAP_") and isinstance(v, int)}

# What the generic (old dict) path of the C extension asks of each op.
_NO_VALUE = {C.OP_MAP_GET_BY_KEY, C.OP_MAP_SET_POLICY, C.OP_MAP_SIZE, C.OP_MAP_CLEAR, C.OP_MAP_REMOVE_BY_KEY,
             C.OP_MAP_REMOVE_BY_INDEX, C.OP_MAP_REMOVE_BY_RANK, C.OP_MAP_GET_BY_INDEX, C.OP_MAP_GET_BY_KEY_RANGE,
             C.OP_MAP_GET_BY_RANK, C.OP_MAP_CREATE, C._AS_OPERATOR_CDT_READ, C._AS_OPERATOR_CDT_MODIFY}
_NEEDS_INDEX = {C.OP_MAP_REMOVE_BY_INDEX, C.OP_MAP_REMOVE_BY_RANK, C.OP_MAP_REMOVE_BY_RANK_RANGE,
                C.OP_MAP_GET_BY_INDEX, C.OP_MAP_GET_BY_INDEX_RANGE, C.OP_MAP_GET_BY_RANK,
                C.OP_MAP_GET_BY_RANK_RANGE, C.OP_MAP_REMOVE_BY_INDEX_RANGE}
_NEEDS_KEY = {C.OP_MAP_PUT, C.OP_MAP_INCREMENT, C.OP_MAP_DECREMENT, C.OP_MAP_REMOVE_BY_KEY,
              C.OP_MAP_REMOVE_BY_KEY_RANGE, C.OP_MAP_GET_BY_KEY, C.OP_MAP_GET_BY_KEY_RANGE}
_NEEDS_RANGE = {C.OP_MAP_REMOVE_BY_VALUE_RANGE, C.OP_MAP_GET_BY_VALUE_RANGE, C.OP_MAP_GET_BY_KEY_RANGE}
_GENERIC_KEYS = {"op", "bin", "index", "val", "key", "range", "map_policy", "return_type", "inverted", "ctx",
                 "map_order", "persist_index", C._CDT_APPLY_MOD_EXP_KEY, C._CDT_FLAGS_KEY}


def _map_policy(policy) -> tuple:
    """(attributes, write flags) of a map policy dict."""
    if not isinstance(policy, dict):
        raise param_error("policy must be a dict")
    order = policy.get("map_order", C.MAP_UNORDERED)
    flags = policy.get("map_write_flags", C.MAP_WRITE_FLAGS_DEFAULT)
    for name, value in (("map_order", order), ("map_write_flags", flags)):
        if not isinstance(value, int):
            raise param_error("%s is invalid" % name)
    persist = policy.get("persist_index", False)
    if not isinstance(persist, bool):
        raise param_error("persist_index is not a boolean")
    return order | (0x10 if persist else 0), flags


def _generic(code, d: dict):
    """The old dict forms (OP_MAP_* but the relative ranges, path select/modify): (wire op type,
    bin, payload bytes)."""
    for name in d:
        if not isinstance(name, str):
            raise client_error("An operation key must be a string.")
        if name not in _GENERIC_KEYS:
            raise param_error("Operation can contain only op, bin, index, key, val, return_type and map_policy keys")
    checked = None  # the ctx, converted (and checked) once, while reading the dict
    if "ctx" in d and not (code in _PATH_CODES and d["ctx"] is None):
        checked = ctx_items(d["ctx"])
    name = d.get("bin")
    if "bin" in d:
        if not isinstance(name, (str, bytearray)):
            raise param_error("Bin name should be of type string")
        if isinstance(name, bytearray):
            name = name.decode()
        if len(name.encode()) > MAX_BIN_NAME:
            raise bin_name_error("A bin name should not exceed 15 characters limit")
    else:
        raise param_error("Bin is not given")
    if "val" not in d and code not in _NO_VALUE:
        raise param_error("Value should be given")
    if "key" not in d and code in _NEEDS_KEY:
        raise param_error("Operation requires key parameter")
    attributes, flags = 0, 0
    if "map_policy" in d:
        attributes, flags = _map_policy(d["map_policy"])
    elif code == C.OP_MAP_SET_POLICY:
        raise param_error("Operation requires map_policy parameter")
    if "range" not in d and code in _NEEDS_RANGE:
        raise param_error("Range should be given")
    return_type = 0
    if "return_type" in d:
        if not isinstance(d["return_type"], int):
            raise param_error("Return type should be an integer")
        return_type = d["return_type"]
    if "inverted" in d:
        try:
            inverted = bool(d["inverted"])
        except Exception:
            raise param_error("Invalid inverted value") from None
        if inverted:
            return_type |= _INVERTED
    index = 0
    if "index" in d:
        if code not in _NEEDS_INDEX:
            raise param_error("Operation does not need an index value")
        if not isinstance(d["index"], int):
            raise param_error("Index should be an integer")
        index = d["index"]
    elif code in _NEEDS_INDEX:
        raise param_error("Operation needs an index value")

    def count():
        value = d["val"]
        if not isinstance(value, int):
            raise param_error("Offset should be of int or long type")
        return _Count(value)

    key, val, rng = d.get("key"), d.get("val"), d.get("range")
    M, R, W = C, OpType.CDT_READ, OpType.CDT_MODIFY
    if code in (C._AS_OPERATOR_CDT_READ, C._AS_OPERATOR_CDT_MODIFY):
        return _path(code, d, name, checked)
    create_flag = 0
    if code == M.OP_MAP_SET_POLICY:
        inner, op_type = [64, attributes & ~0x10 if "ctx" in d else attributes], W
    elif code == M.OP_MAP_CREATE:
        order = d.get("map_order")
        if not isinstance(order, int):
            raise param_error("map_order must be an integer")
        if "persist_index" not in d:
            raise param_error("Operation missing required entry persist_index")
        if "ctx" in d:
            inner, create_flag = [64, order], _map_create_flag(order)
        else:
            inner = [64, order | (0x10 if d["persist_index"] else 0)]
        op_type = W
    elif code in (M.OP_MAP_PUT, M.OP_MAP_PUT_ITEMS):
        inner = [67, key, val, attributes] if code == M.OP_MAP_PUT else [68, val, attributes]
        if flags:
            inner.append(flags)
        op_type = W
    elif code in (M.OP_MAP_INCREMENT, M.OP_MAP_DECREMENT):
        inner, op_type = [73 if code == M.OP_MAP_INCREMENT else 74, key, val, attributes], W
    elif code == M.OP_MAP_SIZE:
        inner, op_type = [96], R
    elif code == M.OP_MAP_CLEAR:
        inner, op_type = [75], W
    else:
        table = {
            M.OP_MAP_REMOVE_BY_KEY: (76, W, [key]), M.OP_MAP_REMOVE_BY_KEY_LIST: (81, W, [val]),
            M.OP_MAP_REMOVE_BY_KEY_RANGE: (84, W, [key, val]), M.OP_MAP_REMOVE_BY_VALUE: (82, W, [val]),
            M.OP_MAP_REMOVE_BY_VALUE_LIST: (83, W, [val]), M.OP_MAP_REMOVE_BY_VALUE_RANGE: (86, W, [val, rng]),
            M.OP_MAP_REMOVE_BY_INDEX: (77, W, [index]), M.OP_MAP_REMOVE_BY_RANK: (79, W, [index]),
            M.OP_MAP_GET_BY_KEY: (97, R, [key]), M.OP_MAP_GET_BY_KEY_RANGE: (103, R, [key, rng]),
            M.OP_MAP_GET_BY_KEY_LIST: (107, R, [val]), M.OP_MAP_GET_BY_VALUE: (102, R, [val]),
            M.OP_MAP_GET_BY_VALUE_RANGE: (105, R, [val, rng]), M.OP_MAP_GET_BY_VALUE_LIST: (108, R, [val]),
            M.OP_MAP_GET_BY_INDEX: (98, R, [index]), M.OP_MAP_GET_BY_RANK: (100, R, [index]),
        }
        ranges = {M.OP_MAP_REMOVE_BY_INDEX_RANGE: (85, W), M.OP_MAP_REMOVE_BY_RANK_RANGE: (87, W),
                  M.OP_MAP_GET_BY_INDEX_RANGE: (104, R), M.OP_MAP_GET_BY_RANK_RANGE: (106, R)}
        if code in table:
            wire, op_type, args = table[code]
        elif code in ranges:
            (wire, op_type), args = ranges[code], [index, count()]
        else:
            raise param_error("Invalid operation given")
        inner = [wire, return_type] + args
    return op_type, name, _payload(d, inner, create_flag, items=checked)


def _map_relative(code, d: dict):
    name = _bin_of(d, code)
    a = _Args(d)
    wire, anchor_key, offset_key, writes = _MAP_REL[code]
    return_type = a.return_type()
    offset = a.int(offset_key)
    count = a.int("count", required=False)
    anchor = a.value(anchor_key)
    inner = [wire, return_type, anchor, offset]
    if count is not None:
        inner.append(_Count(count))
    return (OpType.CDT_MODIFY if writes else OpType.CDT_READ), name, _payload(d, inner)


def _path(code, d: dict, name: str, items: list | None):
    """select_by_path / modify_by_path: [0xfe, [ctx...], flags(, expression)]; `items` is the
    converted ctx (None: no ctx)."""
    items = items or []
    if not items:
        raise param_error("Context is empty")
    if C._CDT_FLAGS_KEY not in d:
        raise param_error("CDT operation is missing a flags argument")
    flags = d[C._CDT_FLAGS_KEY]
    if not isinstance(flags, int) or not 0 <= flags <= 0xFFFFFFFF:
        raise param_error("CDT operation's flags argument is invalid")
    # select clears the apply bit (it has no expression), modify sets it (as the C client does)
    inner = [_PATH_SELECT, Raw(_pack_items(items)), flags & ~_PATH_APPLY]
    op_type = OpType.CDT_READ
    if code == C._AS_OPERATOR_CDT_MODIFY:
        if C._CDT_APPLY_MOD_EXP_KEY not in d:
            raise param_error("CDT operation is missing a flags argument")
        inner[2] = flags | _PATH_APPLY
        inner.append(_expression_raw(d[C._CDT_APPLY_MOD_EXP_KEY]))
        op_type = OpType.CDT_MODIFY
    return op_type, name, _pack_items(inner)


# -- bits -----------------------------------------------------------------------------------------

_BIT_CODES = set(range(C.OP_BIT_RESIZE, C.OP_BIT_RSCAN + 1)) | {C._OP_BIT_B64_ENCODE}
_BIT_READS = {C.OP_BIT_GET, C.OP_BIT_COUNT, C.OP_BIT_LSCAN, C.OP_BIT_RSCAN, C.OP_BIT_GET_INT, C._OP_BIT_B64_ENCODE}


def _bit_flags(d: dict) -> int:
    policy = d.get("policy")
    if policy is None:
        return 0
    if not isinstance(policy, dict):
        raise param_error("policy must be a dict")
    flags = policy.get("bit_write_flags", 0)
    return flags if isinstance(flags, int) else 0


def _bit_op(code, d: dict):
    if "bin" not in d:
        raise client_error("Failed to add %s operation" % _op_name(code))
    name = _bin_of(d, code)
    a = _Args(d)
    B = C
    if code == B.OP_BIT_RESIZE:
        flags = _bit_flags(d)
        size = a.uint32("byte_size")
        resize_flags = a.int("resize_flags", required=False) or 0
        inner = [0, size, flags, resize_flags]
    elif code == B.OP_BIT_INSERT:
        flags = _bit_flags(d)
        offset = a.int("byte_offset")
        a.uint32("value_byte_size")
        inner = [1, offset, a.blob("value"), flags]
    elif code == B.OP_BIT_REMOVE:
        flags = _bit_flags(d)
        inner = [2, a.int("byte_offset"), a.uint32("byte_size"), flags]
    elif code in (B.OP_BIT_SET, B.OP_BIT_OR, B.OP_BIT_XOR, B.OP_BIT_AND):
        flags = _bit_flags(d)
        offset, size = a.int("bit_offset"), a.uint32("bit_size")
        a.uint32("value_byte_size")
        wire = {B.OP_BIT_SET: 3, B.OP_BIT_OR: 4, B.OP_BIT_XOR: 5, B.OP_BIT_AND: 6}[code]
        inner = [wire, offset, size, a.blob("value"), flags]
    elif code == B.OP_BIT_SET_INT:
        flags = _bit_flags(d)
        offset, size = a.int("bit_offset"), a.uint32("bit_size")
        inner = [12, offset, size, a.int("value"), flags]
    elif code == B.OP_BIT_NOT:
        flags = _bit_flags(d)
        inner = [7, a.int("bit_offset"), a.uint32("bit_size"), flags]
    elif code in (B.OP_BIT_LSHIFT, B.OP_BIT_RSHIFT):
        flags = _bit_flags(d)
        offset, size, shift = a.int("bit_offset"), a.uint32("bit_size"), a.uint32("value")
        inner = [8 if code == B.OP_BIT_LSHIFT else 9, offset, size, shift, flags]
    elif code in (B.OP_BIT_ADD, B.OP_BIT_SUBTRACT):
        flags = _bit_flags(d)
        offset = a.int("bit_offset")
        value = a.int("value")
        if value < 0:
            raise param_error("value too large")
        signed = a.boolean("sign")
        action = a.int("action")
        size = a.uint32("bit_size")
        inner = [10 if code == B.OP_BIT_ADD else 11, offset, size, value, flags, action | (1 if signed else 0)]
    elif code in (B.OP_BIT_GET, B.OP_BIT_COUNT):
        inner = [50 if code == B.OP_BIT_GET else 51, a.int("bit_offset"), a.uint32("bit_size")]
    elif code == B.OP_BIT_GET_INT:
        signed = a.boolean("sign")
        inner = [54, a.int("bit_offset"), a.uint32("bit_size")]
        if signed:
            inner.append(1)
    elif code in (B.OP_BIT_LSCAN, B.OP_BIT_RSCAN):
        value = a.boolean("value")
        inner = [52 if code == B.OP_BIT_LSCAN else 53, a.int("bit_offset"), a.uint32("bit_size"), value]
    else:  # b64 encode (server 8.2)
        inner = [55, a.int("byte_offset")]
        if d.get("byte_size") is not None:
            inner.append(a.int("byte_size"))
            if d.get("invert_size"):
                inner.append(1)
        payload = _payload(d, inner, create_flag=None)
        return OpType.BIT_READ, name, payload
    op_type = OpType.BIT_READ if code in _BIT_READS else OpType.BIT_MODIFY
    return op_type, name, _pack_items(inner)


# -- HLL ------------------------------------------------------------------------------------------

_HLL_CODES = set(range(C.OP_HLL_ADD, C.OP_HLL_SET_UNION + 1))
_HLL_READS = {C.OP_HLL_GET_COUNT, C.OP_HLL_GET_UNION, C.OP_HLL_GET_UNION_COUNT, C.OP_HLL_GET_INTERSECT_COUNT,
              C.OP_HLL_GET_SIMILARITY, C.OP_HLL_DESCRIBE}


def _hll_flags(d: dict) -> int:
    policy = d.get("hll_policy")
    if policy is None:
        return 0
    if not isinstance(policy, dict):
        raise param_error("Hll policy must be a dictionary.")
    flags = policy.get("flags")
    if flags is None:
        return 0
    if not isinstance(flags, int):
        raise param_error("Invalid hll policy flags.")
    return flags


def _hll_op(code, d: dict):
    name = _bin_of(d, code)
    a = _Args(d)
    H = C
    if code == H.OP_HLL_INIT:
        flags = _hll_flags(d)
        inner = [0, a.int("index_bit_count"), a.int("mh_bit_count"), flags]
    elif code == H.OP_HLL_ADD:
        flags = _hll_flags(d)
        values = a.value_list("value_list")
        inner = [1, values, a.int("index_bit_count"), a.int("mh_bit_count"), flags]
    elif code == H.OP_HLL_SET_UNION:
        flags = _hll_flags(d)
        inner = [2, a.value_list("value_list"), flags]
    elif code == H.OP_HLL_REFRESH_COUNT:
        inner = [3]
    elif code == H.OP_HLL_FOLD:
        inner = [4, a.int("index_bit_count")]
    elif code == H.OP_HLL_GET_COUNT:
        inner = [50]
    elif code == H.OP_HLL_DESCRIBE:
        inner = [55]
    else:
        wire = {H.OP_HLL_GET_UNION: 51, H.OP_HLL_GET_UNION_COUNT: 52, H.OP_HLL_GET_INTERSECT_COUNT: 53,
                H.OP_HLL_GET_SIMILARITY: 54}[code]
        inner = [wire, a.value_list("value_list")]
    op_type = OpType.HLL_READ if code in _HLL_READS else OpType.HLL_MODIFY
    return op_type, name, _pack_items(inner)


# -- expressions ----------------------------------------------------------------------------------

def _expression_op(code, d: dict):
    name = _bin_of(d, code)
    a = _Args(d)
    if "expr" not in d:
        raise param_error("Operation missing required entry expr")
    flags = a.int("expr_flags")
    inner = [_expression_raw(d["expr"]), flags]
    return (OpType.EXP_READ if code == C.OP_EXPR_READ else OpType.EXP_MODIFY), name, _pack_items(inner)


# -- strings (server 8.2+) -----------------------------------------------------------------------

#: operation code -> (string command, the dict keys of its arguments in wire order). A key in a
#: tuple is a pair of strings packed as one list. Reads are STRING_READ ops; modifies
#: STRING_MODIFY ops whose last argument is the policy's write flags.
_STRING_READS = {
    C._OP_STRING_STRLEN: (0, ()), C._OP_STRING_SUBSTR: (1, ("start",)),
    C._OP_STRING_SUBSTR_RANGE: (1, ("start", "end")), C._OP_STRING_CHAR_AT: (2, ("index",)),
    C._OP_STRING_FIND: (3, ("needle", "occurrence")), C._OP_STRING_CONTAINS: (4, ("needle",)),
    C._OP_STRING_STARTS_WITH: (5, ("prefix",)), C._OP_STRING_ENDS_WITH: (6, ("suffix",)),
    C._OP_STRING_TO_INTEGER: (7, ()), C._OP_STRING_TO_DOUBLE: (8, ()), C._OP_STRING_BYTE_LENGTH: (9, ()),
    C._OP_STRING_IS_NUMERIC: (10, ("numeric_type",)), C._OP_STRING_IS_UPPER: (11, ()),
    C._OP_STRING_IS_LOWER: (12, ()), C._OP_STRING_TO_BLOB: (13, ()), C._OP_STRING_SPLIT: (14, ()),
    C._OP_STRING_SPLIT_SEPARATOR: (14, ("separator",)), C._OP_STRING_B64_DECODE: (15, ()),
    C._OP_STRING_REGEX_COMPARE: (16, ("pattern", "regex_flags")),
}
_STRING_MODIFIES = {
    C._OP_STRING_INSERT: (50, ("index", "value")), C._OP_STRING_OVERWRITE: (51, ("index", "value")),
    C._OP_STRING_CONCAT: (52, ("value_list",)), C._OP_STRING_SNIP: (53, ("start", "end")),
    C._OP_STRING_REPLACE: (54, (("needle", "replacement"),)),
    C._OP_STRING_REPLACE_ALL: (55, (("needle", "replacement"),)),
    C._OP_STRING_UPPER: (56, ()), C._OP_STRING_LOWER: (57, ()), C._OP_STRING_CASE_FOLD: (58, ()),
    C._OP_STRING_NORMALIZE_NFC: (59, ()), C._OP_STRING_TRIM_START: (60, ()), C._OP_STRING_TRIM_END: (61, ()),
    C._OP_STRING_TRIM: (62, ()), C._OP_STRING_PAD_START: (63, ("target_length", "pad_string")),
    C._OP_STRING_PAD_END: (64, ("target_length", "pad_string")), C._OP_STRING_REPEAT: (65, ("count",)),
    C._OP_STRING_REGEX_REPLACE: (66, (("pattern", "replacement"), "regex_flags")),
    C._OP_STRING_APPEND: (67, ("value",)), C._OP_STRING_PREPEND: (68, ("value",)),
}
_STRING_CODES = set(_STRING_READS) | set(_STRING_MODIFIES) | {C._OP_STRING_TO_STRING}
_STRING_INT_KEYS = {"start", "end", "index", "occurrence", "count", "target_length", "numeric_type", "regex_flags"}


_C_INT_MIN, _C_INT_MAX = -(1 << 31), (1 << 31) - 1


def _string_argument(a: _Args, key: str):
    """One argument, with the official client's checks and messages."""
    d = a.d
    if key == "target_length":  # an unsigned 64-bit length
        value = d.get(key)
        if isinstance(value, bool):
            return int(value)
        if not isinstance(value, int):
            raise param_error("%s must be an integer" % key)
        if not 0 <= value < (1 << 64):
            raise param_error("%s too large" % key)
        return _Count(value)
    if key in ("numeric_type", "regex_flags"):  # C ints
        value = a.int(key)
        if not _C_INT_MIN <= value <= _C_INT_MAX:
            raise param_error("%s too large for C int." % key)
        return value
    if key == "count":  # packed as an unsigned 64-bit count
        return _Count(a.int(key))
    if key in _STRING_INT_KEYS:
        return a.int(key)
    value = d.get(key)
    if key == "value_list":
        if not isinstance(value, list):
            raise param_error("Value must be a list")
        return value
    if value is None:
        raise param_error('Operation must contain a "%s" entry' % key)
    if not isinstance(value, str):
        raise param_error("String value required")
    return value


def _string_flags(policy) -> int:
    if policy is None:
        return 0
    flags = getattr(policy, "write_flags", None)
    if not isinstance(flags, int):
        raise param_error("Unable to get write flags from string policy")
    return int(flags)


def _string_op(code, d: dict):
    """(op type, bin, payload) of a string operation, as the official client packs it: the
    command and its arguments, inside [0xff, ctx, [...]] when the ctx list is not empty."""
    name = _bin_of(d, code)
    if code == C._OP_STRING_TO_STRING:
        return OpType.TO_STRING, name, b""
    a = _Args(d)
    reading = code in _STRING_READS
    command, keys = _STRING_READS[code] if reading else _STRING_MODIFIES[code]
    if code == C._OP_STRING_SNIP and d.get("end") is None:
        keys, reading = ("start",), True  # to the end: the official client sends the start only
        inner = [command, a.int("start")]
    else:
        inner = [command]
        for key in keys:
            if isinstance(key, tuple):
                inner.append([_string_argument(a, k) for k in key])
            else:
                inner.append(_string_argument(a, key))
        if not reading:
            inner.append(_string_flags(d.get("policy")))
    ctx = d.get("ctx")
    if not ctx:
        return (OpType.STRING_READ if code in _STRING_READS else OpType.STRING_MODIFY), name, _pack_items(inner)
    p = Packer()
    p.array_header(3)
    p.uint(_CTX_EVAL)
    p.raw(_pack_items(ctx_items(ctx)))
    p.raw(_pack_items(inner))
    return (OpType.STRING_READ if code in _STRING_READS else OpType.STRING_MODIFY), name, p.bytes()


# -- entry points ---------------------------------------------------------------------------------

_WRITE_TYPES = {OpType.CDT_MODIFY, OpType.BIT_MODIFY, OpType.HLL_MODIFY, OpType.EXP_MODIFY, OpType.STRING_MODIFY}
_RESPOND_ALL = _MAP_CODES | _BIT_CODES | _HLL_CODES | _STRING_CODES | {C.OP_EXPR_READ, C.OP_EXPR_WRITE}


def _code_of(operation: dict) -> int:
    code = operation.get("op")
    if not isinstance(code, int):
        raise param_error("Operation must be an integer")
    if not _INT64_MIN <= code <= _INT64_MAX:
        raise param_error("Operation code too large")
    return code


def respond_all_ops(operation: dict) -> bool:
    """Does this operation make the official client ask for one result per op?"""
    return isinstance(operation, dict) and isinstance(operation.get("op"), int) and operation["op"] in _RESPOND_ALL


def encode_operation(operation: dict, encoder):
    """(wire Op, writes?) of one payload-carrying operation dict."""
    code = _code_of(operation)
    if code in _LIST_CODES:
        name = _bin_of(operation, code)
        found = _list_op(code, _Args(operation))
        op_type, inner, create_flag = found
        payload = _payload(operation, inner, create_flag)
    elif code in _MAP_REL:
        op_type, name, payload = _map_relative(code, operation)
    elif code in _BIT_CODES:
        op_type, name, payload = _bit_op(code, operation)
    elif code in _HLL_CODES:
        op_type, name, payload = _hll_op(code, operation)
    elif code in (C.OP_EXPR_READ, C.OP_EXPR_WRITE):
        op_type, name, payload = _expression_op(code, operation)
    elif code in _STRING_CODES:
        op_type, name, payload = _string_op(code, operation)
        particle = ParticleType.NULL if op_type == OpType.TO_STRING else ParticleType.STRING
        return Op(op_type, particle, name, payload), op_type in _WRITE_TYPES
    else:
        op_type, name, payload = _generic(code, operation)
    return Op(op_type, ParticleType.BLOB, name, payload), op_type in _WRITE_TYPES
