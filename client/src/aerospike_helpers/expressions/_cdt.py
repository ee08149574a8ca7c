"""Shared construction of list and map expressions (private)."""

from aerospike_helpers.expressions.resources import ReturnType, _GenericExpr, _Keys

_INVERTED = ReturnType.LIST_RETURN_INVERTED  # same bit for maps


def with_ctx(fixed: dict, ctx) -> dict:
    if ctx is not None:
        fixed[_Keys.CTX_KEY] = ctx
    return fixed


def modify(expr, ctx, policy_key: str, policy, virtual_op: int, args: tuple, bin_expr) -> None:
    """A modify expression taking a list/map policy: the policy rides in a virtual child too."""
    policy_entry = _GenericExpr(virtual_op, 0, {policy_key: policy} if policy is not None else {})
    expr._children = args + (policy_entry, bin_expr)
    expr._fixed = with_ctx({}, ctx)
    if policy is not None:
        expr._fixed[policy_key] = policy


def plain(expr, ctx, args: tuple, bin_expr, fixed: dict = None) -> None:
    """An expression whose fixed part is only (optional extras and) the context."""
    expr._children = args + (bin_expr,)
    expr._fixed = with_ctx({} if fixed is None else fixed, ctx)


def remove(expr, ctx, inverted: bool, args: tuple, bin_expr, none_code: int) -> None:
    """A remove-by expression (returns nothing, optionally inverted)."""
    expr._children = args + (bin_expr,)
    expr._fixed = with_ctx({_Keys.RETURN_TYPE_KEY: _INVERTED if inverted else none_code}, ctx)


def get(expr, ctx, return_type: int, inverted: bool, args: tuple, bin_expr) -> None:
    """A get-by expression returning ``return_type`` (optionally inverted)."""
    expr._children = args + (bin_expr,)
    expr._fixed = {_Keys.RETURN_TYPE_KEY: return_type}
    if inverted:
        # In place, as the official helpers: a wrong-typed return_type fails with |='s TypeError.
        expr._fixed[_Keys.RETURN_TYPE_KEY] |= _INVERTED
    with_ctx(expr._fixed, ctx)


def get_single(expr, ctx, return_type: int, value_type: int, args: tuple, bin_expr) -> None:
    """A get-by expression selecting one element, whose value type is given."""
    expr._children = args + (bin_expr,)
    expr._fixed = with_ctx({_Keys.VALUE_TYPE_KEY: value_type, _Keys.RETURN_TYPE_KEY: return_type}, ctx)
