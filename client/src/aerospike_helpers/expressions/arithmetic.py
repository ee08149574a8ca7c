"""Arithmetic expressions on integers and floats (operands must all be of one type)."""

from typing import Union

from aerospike_helpers.expressions.resources import _BaseExpr, _end_marker, _ExprOp

TypeNumber = Union[_BaseExpr, int, float]
TypeFloat = Union[_BaseExpr, float]
TypeInteger = Union[_BaseExpr, int]


class _Variadic(_BaseExpr):
    def __init__(self, *args: "TypeNumber"):
        self._children = args + (_end_marker(),)


class _Unary(_BaseExpr):
    def __init__(self, value: "TypeNumber"):
        self._children = (value,)


class Add(_Variadic):
    """Sum of the arguments."""

    _op = _ExprOp.ADD


class Sub(_Variadic):
    """First argument minus the others (negation with one argument)."""

    _op = _ExprOp.SUB


class Mul(_Variadic):
    """Product of the arguments."""

    _op = _ExprOp.MUL


class Div(_Variadic):
    """First argument divided by the others (reciprocal with one argument)."""

    _op = _ExprOp.DIV


class Pow(_BaseExpr):
    """base ** exponent (floats)."""

    _op = _ExprOp.POW

    def __init__(self, base: "TypeFloat", exponent: "TypeFloat"):
        self._children = (base, exponent)


class Log(_BaseExpr):
    """Logarithm of num in base (floats)."""

    _op = _ExprOp.LOG

    def __init__(self, num: "TypeFloat", base: "TypeFloat"):
        self._children = (num, base)


class Mod(_BaseExpr):
    """numerator % denominator (integers)."""

    _op = _ExprOp.MOD

    def __init__(self, numerator: "TypeInteger", denominator: "TypeInteger"):
        self._children = (numerator, denominator)


class Abs(_Unary):
    """Absolute value."""

    _op = _ExprOp.ABS


class Floor(_Unary):
    """Float rounded down."""

    _op = _ExprOp.FLOOR


class Ceil(_Unary):
    """Float rounded up."""

    _op = _ExprOp.CEIL


class ToInt(_Unary):
    """Float converted to an integer."""

    _op = _ExprOp.TO_INT


class ToFloat(_Unary):
    """Integer converted to a float."""

    _op = _ExprOp.TO_FLOAT


class Min(_Variadic):
    """Smallest argument."""

    _op = _ExprOp.MIN


class Max(_Variadic):
    """Largest argument."""

    _op = _ExprOp.MAX
