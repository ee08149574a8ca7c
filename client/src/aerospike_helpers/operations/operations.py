"""Operation dicts for single bins and whole records, for Client.operate() / operate_ordered()
and batch writes.

Each helper returns a fresh plain dict with the keys in the same order as the official
helpers: ``"op"`` (an aerospike.OPERATOR_* code), then ``"bin"``, then ``"val"`` or the
path-expression keys.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

__all__ = ["read", "write", "delete", "append", "prepend", "increment", "touch",
           "select_by_path", "modify_by_path"]


def _const(name: str) -> Any:
    """A constant of the aerospike module, looked up when first needed."""
    from aerospike import _constants
    return getattr(_constants, name)


def read(bin_name):
    """Read the bin ``bin_name``."""
    return {"op": _const("OPERATOR_READ"), "bin": bin_name}


def write(bin_name, write_item):
    """Write ``write_item`` into the bin ``bin_name``."""
    return {"op": _const("OPERATOR_WRITE"), "bin": bin_name, "val": write_item}


def delete():
    """Delete the whole record (all of its bins)."""
    return {"op": _const("OPERATOR_DELETE")}


def append(bin_name, append_item):
    """Append ``append_item`` to the string or bytes in ``bin_name`` (plain byte concatenation)."""
    return {"op": _const("OPERATOR_APPEND"), "bin": bin_name, "val": append_item}


def prepend(bin_name, prepend_item):
    """Prepend ``prepend_item`` to the string or bytes in ``bin_name`` (plain byte concatenation)."""
    return {"op": _const("OPERATOR_PREPEND"), "bin": bin_name, "val": prepend_item}


def increment(bin_name, amount):
    """Add ``amount`` (int or float) to the number in ``bin_name``."""
    return {"op": _const("OPERATOR_INCR"), "bin": bin_name, "val": amount}


def touch(ttl: Optional[int] = None):
    """Reset the record's time to live.

    Passing ``ttl`` is deprecated (give it in the operate policy instead): a truthy ``ttl``
    is stored under ``"val"`` and a DeprecationWarning is issued; a falsy one is left out.
    """
    op = {"op": _const("OPERATOR_TOUCH")}
    if ttl:
        warnings.warn("TTL should be specified in the policy parameter for operate",
                      DeprecationWarning)
        op["val"] = ttl
    return op


def select_by_path(bin_name: str, ctx: list, flags: int):
    """Path-expression select: read the elements of ``bin_name`` that ``ctx`` selects.

    ``ctx`` is a non-empty list of cdt_ctx objects; ``flags`` a set of select flags.
    """
    return {"op": _const("_AS_OPERATOR_CDT_READ"), "bin": bin_name, "ctx": ctx,
            _const("_CDT_FLAGS_KEY"): flags}


def modify_by_path(bin_name: str, ctx: list, expr, flags: int):
    """Path-expression modify: replace the elements ``ctx`` selects in ``bin_name`` by the
    result of the compiled modify expression ``expr``."""
    return {"op": _const("_AS_OPERATOR_CDT_MODIFY"), "bin": bin_name, "ctx": ctx,
            _const("_CDT_APPLY_MOD_EXP_KEY"): expr, _const("_CDT_FLAGS_KEY"): flags}
