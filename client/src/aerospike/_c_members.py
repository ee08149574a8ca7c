"""Unsigned integer attributes that behave like the C extension's struct members.

The official Query and Scan expose ``max_records`` (``unsigned long long``), ``records_per_second``
and ``ttl`` (``unsigned int``) as CPython struct members: ints and objects with ``__index__`` are
accepted, a negative value wraps around (RuntimeWarning "Writing negative value into unsigned
field"), a 32-bit member keeps the low 32 bits of a larger value (RuntimeWarning "Truncation of value
to unsigned int"), anything outside the C long / unsigned long range is an OverflowError (after which a 64-bit member holds
2**64 - 1, as CPython leaves it), and the attribute cannot be deleted.
"""

from __future__ import annotations

import operator
import os
import sys
import warnings

_U64 = (1 << 64) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _outside_stacklevel() -> int:
    """The warnings stacklevel of the first caller outside this package (the application's line,
    where CPython's own struct-member warning points)."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR:
        frame, level = frame.f_back, level + 1
    return level


def unsigned_member_value(value, bits: int) -> int:
    """What a ``bits``-wide unsigned struct member stores when assigned `value` (with the warnings)."""
    exact = isinstance(value, int)
    number = int(value) if exact else operator.index(value)
    if exact and 0 <= number <= _U64:
        wide = number
    else:
        # CPython's fallback for what does not convert to unsigned long directly: a signed C long.
        if not _LONG_MIN <= number <= _LONG_MAX:
            raise OverflowError("Python int too large to convert to C long")
        warnings.warn("Writing negative value into unsigned field", RuntimeWarning, stacklevel=_outside_stacklevel())
        wide = number & _U64
    if bits == 64:
        return wide
    mask = (1 << bits) - 1
    if wide > mask:
        warnings.warn("Truncation of value to unsigned int", RuntimeWarning, stacklevel=_outside_stacklevel())
    return wide & mask


def unsigned_member(name: str, bits: int, doc: str) -> property:
    """A property that keeps one unsigned member (default 0) in the instance's ``__dict__``."""
    slot = "_member_" + name

    def get(instance) -> int:
        return instance.__dict__.get(slot, 0)

    def put(instance, value) -> None:
        try:
            stored = unsigned_member_value(value, bits)
        except (TypeError, OverflowError):
            if bits == 64:  # CPython has written (unsigned long long)-1 before it gives up
                instance.__dict__[slot] = _U64
            raise
        instance.__dict__[slot] = stored

    def delete(instance) -> None:
        raise TypeError("can't delete numeric/char attribute")

    return property(get, put, delete, doc)
