"""Building blocks shared by every expression class.

An expression object is a tree: ``_op`` (an operation code of the Python client's intermediate
form), ``_rt`` (result type or None), ``_fixed`` (dict of non-expression arguments or None) and
``_children`` (sub-expressions and plain values). ``compile()`` flattens the tree, pre-order, into
the list of ``(op, result_type, fixed, child_count)`` tuples that the client API accepts; a plain
value child becomes a ``VAL`` entry.
"""

from __future__ import annotations

import types
from typing import Any, Dict, List, Optional, Tuple, Union


class _Keys:
    VALUE_TYPE_KEY = "value_type"
    BIN_KEY = "bin"
    RETURN_TYPE_KEY = "return_type"
    CTX_KEY = "ctx"
    VALUE_KEY = "val"
    LIST_POLICY_KEY = "list_policy"
    MAP_POLICY_KEY = "map_policy"
    LIST_ORDER_KEY = "list_order"
    REGEX_OPTIONS_KEY = "regex_options"


class _ExprOp:
    """Operation codes of the compiled (intermediate) form. Some differ from the wire codes."""

    UNKNOWN = 0
    EQ, NE, GT, GE, LT, LE, CMP_REGEX, CMP_GEO = 1, 2, 3, 4, 5, 6, 7, 8
    AND, OR, NOT, EXCLUSIVE = 16, 17, 18, 19
    ADD, SUB, MUL, DIV, POW, LOG, MOD, ABS, FLOOR, CEIL = 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
    TO_INT, TO_FLOAT = 30, 31
    INT_AND, INT_OR, INT_XOR, INT_NOT = 32, 33, 34, 35
    INT_LSHIFT, INT_RSHIFT, INT_ARSHIFT = 36, 37, 38
    INT_COUNT, INT_LSCAN, INT_RSCAN = 39, 40, 41
    MIN, MAX = 50, 51
    META_DIGEST_MOD = 64
    META_DEVICE_SIZE = 65
    META_LAST_UPDATE_TIME = 66
    META_VOID_TIME = 67
    META_TTL = 68
    META_SET_NAME = 69
    META_KEY_EXISTS = 70
    META_SINCE_UPDATE_TIME = 71
    META_IS_TOMBSTONE = 72
    META_MEMORY_SIZE = 73
    META_RECORD_SIZE = 74
    REC_KEY, BIN, BIN_TYPE, BIN_EXISTS = 80, 81, 82, 83
    COND, VAR, LET, DEF = 123, 124, 125, 126
    _AS_EXP_CODE_AS_VAL = 128
    _AS_EXP_CODE_CALL_VOP_START = 139
    _AS_EXP_CODE_CDT_LIST_CRMOD = 140
    _AS_EXP_CODE_CDT_LIST_MOD = 141
    _AS_EXP_CODE_CDT_MAP_CRMOD = 142
    _AS_EXP_CODE_CDT_MAP_CR = 143
    _AS_EXP_CODE_CDT_MAP_MOD = 144
    _AS_EXP_CODE_END_OF_VA_ARGS = 150
    _TRUE = 151
    _FALSE = 152
    _AS_EXP_BIT_FLAGS = 153
    VAL = 200


class ReturnType:
    """The INVERTED flag of list/map return types (not exported by the aerospike module)."""

    LIST_RETURN_INVERTED = 0x10000
    MAP_RETURN_INVERTED = 0x10000


class ResultType:
    """Value types of expressions (the C client's ``as_exp_type``)."""

    NIL = 0
    BOOLEAN = 1
    INTEGER = 2
    STRING = 3
    LIST = 4
    MAP = 5
    BLOB = 6
    FLOAT = 7
    GEOJSON = 8
    HLL = 9


class _AtomExpr:
    def _op(self):
        raise NotImplementedError

    def compile(self):
        raise NotImplementedError


TypeResultType = Optional[int]
TypeFixedEle = Union[int, float, str, bytes, dict]
TypeFixed = Optional[Dict[str, TypeFixedEle]]
TypeCompiledOp = Tuple[int, TypeResultType, TypeFixed, int]

#: Compiled expression that can be passed to the Python client API.
TypeExpression = List[TypeCompiledOp]

TypeChild = Union[int, float, str, bytes, _AtomExpr]
TypeChildren = Tuple[TypeChild, ...]

TypeAny = Union[_AtomExpr, Any]


def _end_marker() -> "_GenericExpr":
    """The entry closing the argument list of a variadic expression."""
    return _GenericExpr(_ExprOp._AS_EXP_CODE_END_OF_VA_ARGS, 0, {})


class _BaseExpr(_AtomExpr):
    """Base class for all expressions."""

    _op: int = 0
    _rt: TypeResultType = None
    _fixed: TypeFixed = None
    _children: TypeChildren = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A public class inheriting __init__ from a private base gets its own copy named after
        # it, so argument errors read "BitOr.__init__() missing ..." as with the official
        # helpers (which have no such shared bases), not "_BitsWithValue.__init__() ...".
        inherited = cls.__init__
        if ("__init__" not in cls.__dict__ and not cls.__name__.startswith("_")
                and getattr(inherited, "__qualname__", "").startswith("_")
                and isinstance(inherited, types.FunctionType) and hasattr(inherited.__code__, "co_qualname")):
            own = types.FunctionType(inherited.__code__.replace(co_qualname=cls.__qualname__ + ".__init__"),
                                     inherited.__globals__, "__init__", inherited.__defaults__,
                                     inherited.__closure__)
            own.__kwdefaults__ = inherited.__kwdefaults__
            own.__doc__ = inherited.__doc__
            cls.__init__ = own

    def _get_op(self) -> TypeCompiledOp:
        return (self._op, self._rt, self._fixed, len(self._children))

    def _vop(self, v) -> TypeCompiledOp:
        return (_ExprOp.VAL, None, {_Keys.VALUE_KEY: v}, 0)

    def compile(self) -> TypeExpression:
        """The compiled form of this expression, to pass to the client API."""
        out = [self._get_op()]
        pending = list(reversed(self._children))
        while pending:
            item = pending.pop()
            if isinstance(item, _BaseExpr):
                out.append(item._get_op())
                pending.extend(reversed(item._children))
            else:
                out.append(self._vop(item))
        return out

    # -- Python operators build arithmetic expressions ------------------------------------------

    def _operands(self, op: int, variadic: bool) -> tuple:
        """This expression's operands when it is merged into a parent of the same op."""
        if self._op != op:
            return (self,)
        return self._children[:-1] if variadic else self._children

    def _overload_op_unary(self, op_type: int):
        return _create_operator_expression(self._operands(op_type, False), (), op_type)

    def _overload_op(self, right: "TypeAny", op_type: int):
        left = self._operands(op_type, False)
        if isinstance(right, _BaseExpr):
            right_ops = right._operands(op_type, False)
        else:
            right_ops = (right,)
        return _create_operator_expression(left, right_ops, op_type)

    def _overload_op_va_args(self, right: "TypeAny", op_type: int):
        end = _BaseExpr()
        end._op = _ExprOp._AS_EXP_CODE_END_OF_VA_ARGS
        left = self._operands(op_type, True)
        if isinstance(right, _BaseExpr):
            right_ops = right._operands(op_type, True)
        else:
            right_ops = (right,)
        return _create_operator_expression(left, right_ops + (end,), op_type)

    def __abs__(self):
        return self._overload_op_unary(_ExprOp.ABS)

    def __floor__(self):
        return self._overload_op_unary(_ExprOp.FLOOR)

    def __ceil__(self):
        return self._overload_op_unary(_ExprOp.CEIL)

    def __add__(self, right):
        return self._overload_op_va_args(right, _ExprOp.ADD)

    def __sub__(self, right: "TypeAny"):
        return self._overload_op_va_args(right, _ExprOp.SUB)

    def __mul__(self, right: "TypeAny"):
        return self._overload_op_va_args(right, _ExprOp.MUL)

    def __truediv__(self, right: "TypeAny"):
        return self._overload_op_va_args(right, _ExprOp.DIV)

    def __floordiv__(self, right: "TypeAny"):
        return self.__truediv__(right).__floor__()

    def __pow__(self, right: "TypeAny"):
        return self._overload_op(right, _ExprOp.POW)

    def __mod__(self, right: "TypeAny"):
        return self._overload_op(right, _ExprOp.MOD)


def _create_operator_expression(left_children: "TypeChildren", right_children: "TypeChildren", op_type: int):
    expr = _BaseExpr()
    expr._op = op_type
    expr._children = (*left_children, *right_children)
    return expr


class _GenericExpr(_BaseExpr):
    def __init__(self, op: int, rt: "TypeResultType", fixed: "TypeFixed"):
        self._op = op
        self._rt = rt
        self._fixed = fixed
