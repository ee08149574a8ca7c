"""Expressions for values, bins, record metadata, comparisons, logic, variables and control flow.

Build an expression from these classes and pass ``expr.compile()`` as the ``expressions`` entry of
a policy (a filter) or to ``expression_operations`` (read/write expression operations).
"""

from typing import Any, Union

import aerospike
from aerospike_helpers.cdt_ctx import _cdt_ctx
from aerospike_helpers.expressions.resources import ResultType, _BaseExpr, _end_marker, _ExprOp, _GenericExpr, _Keys

TypeComparisonArg = Union[_BaseExpr, Any]
TypeGeo = Union[_BaseExpr, aerospike.GeoJSON]


class Val(_BaseExpr):
    """A literal value (any value the client can send)."""

    _op = _ExprOp._AS_EXP_CODE_AS_VAL

    def __init__(self, value: Any):
        self._fixed = {_Keys.VALUE_KEY: value}


class Unknown(_BaseExpr):
    """The 'unknown' value: aborts an operation expression (error 26 unless EVAL_NO_FAIL)."""

    _op = _ExprOp.UNKNOWN

    def __init__(self):
        pass


# -- record key and bins ------------------------------------------------------------------------

class _Key(_BaseExpr):
    _op = _ExprOp.REC_KEY


class KeyInt(_Key):
    """The record's stored key as an integer."""

    _rt = ResultType.INTEGER

    def __init__(self):
        pass


class KeyStr(_Key):
    """The record's stored key as a string."""

    _rt = ResultType.STRING

    def __init__(self):
        pass


class KeyBlob(_Key):
    """The record's stored key as a blob."""

    _rt = ResultType.BLOB

    def __init__(self):
        pass


class KeyExists(_BaseExpr):
    """True if the record stores its key (written with POLICY_KEY_SEND)."""

    _op = _ExprOp.META_KEY_EXISTS
    _rt = ResultType.BOOLEAN

    def __init__(self):
        pass


class _Bin(_BaseExpr):
    _op = _ExprOp.BIN

    def __init__(self, bin: str):  # noqa: A002 - official parameter name
        self._fixed = {_Keys.BIN_KEY: bin}


class BoolBin(_Bin):
    """A bin's value as a boolean."""

    _rt = ResultType.BOOLEAN


class IntBin(_Bin):
    """A bin's value as an integer."""

    _rt = ResultType.INTEGER


class StrBin(_Bin):
    """A bin's value as a string."""

    _rt = ResultType.STRING


class FloatBin(_Bin):
    """A bin's value as a float."""

    _rt = ResultType.FLOAT


class BlobBin(_Bin):
    """A bin's value as a blob."""

    _rt = ResultType.BLOB


class GeoBin(_Bin):
    """A bin's value as GeoJSON."""

    _rt = ResultType.GEOJSON


class ListBin(_Bin):
    """A bin's value as a list."""

    _rt = ResultType.LIST


class MapBin(_Bin):
    """A bin's value as a map."""

    _rt = ResultType.MAP


class HLLBin(_Bin):
    """A bin's value as a HyperLogLog."""

    _rt = ResultType.HLL


class BinExists(_Bin):
    """True if the bin exists."""

    _op = _ExprOp.BIN_EXISTS
    _rt = ResultType.BOOLEAN


class BinType(_Bin):
    """The bin's particle type (``aerospike.AS_BYTES_*``), 0 if it does not exist."""

    _op = _ExprOp.BIN_TYPE
    _rt = ResultType.INTEGER


# -- record metadata ----------------------------------------------------------------------------

class _Meta(_BaseExpr):
    _rt = ResultType.INTEGER

    def __init__(self):
        pass


class SetName(_Meta):
    """The record's set name."""

    _op = _ExprOp.META_SET_NAME
    _rt = ResultType.STRING


class DeviceSize(_Meta):
    """Record size on disk (deprecated: use RecordSize)."""

    _op = _ExprOp.META_DEVICE_SIZE


class MemorySize(_Meta):
    """Record size in memory (deprecated: use RecordSize)."""

    _op = _ExprOp.META_MEMORY_SIZE


class RecordSize(_Meta):
    """Record size in bytes (server 7.0+)."""

    _op = _ExprOp.META_RECORD_SIZE


class LastUpdateTime(_Meta):
    """Last update time, nanoseconds since the Unix epoch."""

    _op = _ExprOp.META_LAST_UPDATE_TIME


class SinceUpdateTime(_Meta):
    """Milliseconds since the last update."""

    _op = _ExprOp.META_SINCE_UPDATE_TIME


class VoidTime(_Meta):
    """Expiration time, nanoseconds since the Unix epoch (-1: never)."""

    _op = _ExprOp.META_VOID_TIME


class TTL(_Meta):
    """Seconds until expiration (-1: never)."""

    _op = _ExprOp.META_TTL


class IsTombstone(_Meta):
    """True if the record is a tombstone."""

    _op = _ExprOp.META_IS_TOMBSTONE
    _rt = ResultType.BOOLEAN


class DigestMod(_BaseExpr):
    """The record digest modulo ``mod``."""

    _op = _ExprOp.META_DIGEST_MOD
    _rt = ResultType.INTEGER

    def __init__(self, mod: int):
        self._fixed = {_Keys.VALUE_KEY: mod}


# -- comparisons --------------------------------------------------------------------------------

class _Compare(_BaseExpr):
    def __init__(self, expr0: "TypeComparisonArg", expr1: "TypeComparisonArg"):
        self._children = (expr0, expr1)


class Eq(_Compare):
    """expr0 == expr1"""

    _op = _ExprOp.EQ


class NE(_Compare):
    """expr0 != expr1"""

    _op = _ExprOp.NE


class GT(_Compare):
    """expr0 > expr1"""

    _op = _ExprOp.GT


class GE(_Compare):
    """expr0 >= expr1"""

    _op = _ExprOp.GE


class LT(_Compare):
    """expr0 < expr1"""

    _op = _ExprOp.LT


class LE(_Compare):
    """expr0 <= expr1"""

    _op = _ExprOp.LE


class CmpRegex(_BaseExpr):
    """True if the string ``cmp_str`` matches ``regex_str`` (``aerospike.REGEX_*`` options)."""

    _op = _ExprOp.CMP_REGEX

    def __init__(self, options: int, regex_str: str, cmp_str: Union[_BaseExpr, str]):
        self._children = (cmp_str,)
        self._fixed = {_Keys.REGEX_OPTIONS_KEY: options, _Keys.VALUE_KEY: regex_str}


class CmpGeo(_BaseExpr):
    """True if the two GeoJSON values intersect / contain one another."""

    _op = _ExprOp.CMP_GEO

    def __init__(self, expr0: "TypeGeo", expr1: "TypeGeo"):
        self._children = (expr0, expr1)


# -- logic and control flow ---------------------------------------------------------------------

class Not(_BaseExpr):
    """Logical negation."""

    _op = _ExprOp.NOT

    def __init__(self, *exprs: _BaseExpr):
        self._children = exprs


class _Variadic(_BaseExpr):
    def __init__(self, *exprs: _BaseExpr):
        self._children = exprs + (_end_marker(),)


class And(_Variadic):
    """True if every argument is true."""

    _op = _ExprOp.AND


class Or(_Variadic):
    """True if any argument is true."""

    _op = _ExprOp.OR


class Exclusive(_Variadic):
    """True if exactly one argument is true."""

    _op = _ExprOp.EXCLUSIVE


class Cond(_Variadic):
    """``Cond(test1, value1, test2, value2, ..., default)``."""

    _op = _ExprOp.COND


class Let(_Variadic):
    """``Let(Def(name, expr), ..., scope_expr)``: define variables for scope_expr."""

    _op = _ExprOp.LET


class Def(_BaseExpr):
    """A variable definition inside Let."""

    _op = _ExprOp.DEF

    def __init__(self, var_name: str, expr: _BaseExpr):
        self._fixed = {_Keys.VALUE_KEY: var_name}
        self._children = (expr,)


class Var(_BaseExpr):
    """The value of a variable defined by Let/Def."""

    _op = _ExprOp.VAR

    def __init__(self, var_name: str):
        self._fixed = {_Keys.VALUE_KEY: var_name}


# -- path expressions (server 8.1) --------------------------------------------------------------

class LoopVar(_BaseExpr):
    """A loop variable of a path expression (``aerospike.EXP_LOOPVAR_*`` id)."""

    def __init__(self, var_id: int):
        self._fixed = {_Keys.VALUE_KEY: var_id}


class LoopVarMap(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_MAP


class LoopVarList(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_LIST


class LoopVarStr(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_STR


class LoopVarFloat(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_FLOAT


class LoopVarInt(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_INT


class LoopVarBlob(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_BLOB


class LoopVarBool(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_BOOL


class LoopVarNil(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_NIL


class LoopVarGeoJson(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_GEOJSON


class LoopVarHLL(LoopVar):
    _op = aerospike._AS_EXP_LOOPVAR_HLL


class RemoveResult(_BaseExpr):
    """Marks the element for removal in ModifyByPath."""

    _op = aerospike._AS_EXP_CODE_REMOVE_RESULT

    def __init__(self):
        pass


class SelectByPath(_BaseExpr):
    """Select the elements a context path designates."""

    _op = aerospike._AS_EXP_CODE_CALL_SELECT

    def __init__(self, ctx: "list[_cdt_ctx]", value_type: ResultType, flags: int, bin: _BaseExpr):  # noqa: A002
        self._fixed = {_Keys.VALUE_TYPE_KEY: value_type, _Keys.CTX_KEY: ctx, aerospike._CDT_FLAGS_KEY: flags}
        self._children = (bin,)


class ModifyByPath(_BaseExpr):
    """Apply ``mod_exp`` to the elements a context path designates."""

    _op = aerospike._AS_EXP_CODE_CALL_APPLY

    def __init__(self, ctx: "list[_cdt_ctx]", value_type: ResultType, mod_exp, flags: int, bin: _BaseExpr):  # noqa: A002
        self._fixed = {_Keys.VALUE_TYPE_KEY: value_type, _Keys.CTX_KEY: ctx, aerospike._CDT_FLAGS_KEY: flags,
                       aerospike._CDT_APPLY_MOD_EXP_KEY: mod_exp}
        self._children = (bin,)

