"""Bitwise operations on integer expressions."""

from typing import Union

from aerospike_helpers.expressions.resources import _BaseExpr, _end_marker, _ExprOp

TypeInteger = Union[_BaseExpr, int]
TypeBool = Union[_BaseExpr, bool]


class _Variadic(_BaseExpr):
    def __init__(self, *exprs: "TypeInteger"):
        self._children = exprs + (_end_marker(),)


class _Shift(_BaseExpr):
    def __init__(self, value: "TypeInteger", shift: "TypeInteger"):
        self._children = (value, shift)


class _Scan(_BaseExpr):
    def __init__(self, value: "TypeInteger", search: "TypeBool"):
        self._children = (value, search)


class IntAnd(_Variadic):
    """Bitwise and of the arguments."""

    _op = _ExprOp.INT_AND


class IntOr(_Variadic):
    """Bitwise or of the arguments."""

    _op = _ExprOp.INT_OR


class IntXOr(_Variadic):
    """Bitwise xor of the arguments."""

    _op = _ExprOp.INT_XOR


class IntNot(_BaseExpr):
    """Bitwise not."""

    _op = _ExprOp.INT_NOT

    def __init__(self, expr: "TypeInteger"):
        self._children = (expr,)


class IntLeftShift(_Shift):
    """value << shift"""

    _op = _ExprOp.INT_LSHIFT


class IntRightShift(_Shift):
    """Logical right shift."""

    _op = _ExprOp.INT_RSHIFT


class IntArithmeticRightShift(_Shift):
    """Arithmetic (sign-extending) right shift."""

    _op = _ExprOp.INT_ARSHIFT


class IntCount(_BaseExpr):
    """Number of bits set."""

    _op = _ExprOp.INT_COUNT

    def __init__(self, value: "TypeInteger"):
        self._children = (value,)


class IntLeftScan(_Scan):
    """Index of the first bit equal to ``search`` from the most significant bit (-1 if none)."""

    _op = _ExprOp.INT_LSCAN


class IntRightScan(_Scan):
    """Index of the first bit equal to ``search`` from the least significant bit (-1 if none)."""

    _op = _ExprOp.INT_RSCAN
