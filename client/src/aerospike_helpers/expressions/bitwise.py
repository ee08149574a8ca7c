"""Bit expressions on blob bins (read, and modify a local copy)."""

from typing import Any, Dict, Union

import aerospike
from aerospike_helpers.expressions.base import BlobBin
from aerospike_helpers.expressions.resources import _BaseExpr, _ExprOp, _GenericExpr, _Keys

TypeBitValue = Union[bytes, bytearray]
TypeBinName = Union[_BaseExpr, str]
TypePolicy = Union[Dict[str, Any], None]


def _blob_bin(bin):  # noqa: A002
    return bin if isinstance(bin, _BaseExpr) else BlobBin(bin)


def _flag_entry(value) -> _GenericExpr:
    return _GenericExpr(_ExprOp._AS_EXP_BIT_FLAGS, 0, {_Keys.VALUE_KEY: 0 if value is None else value})


def _write_flags(policy) -> _GenericExpr:
    if policy is not None and "bit_write_flags" in policy:
        return _flag_entry(policy["bit_write_flags"])
    return _flag_entry(0)


class BitResize(_BaseExpr):
    """Resize the blob to ``byte_size`` (``aerospike.BIT_RESIZE_*`` flags)."""

    _op = aerospike.OP_BIT_RESIZE

    def __init__(self, policy: "TypePolicy", byte_size: int, flags: int, bin: "TypeBinName"):  # noqa: A002
        self._children = (byte_size, _write_flags(policy), _flag_entry(flags), _blob_bin(bin))


class BitInsert(_BaseExpr):
    """Insert bytes at ``byte_offset``."""

    _op = aerospike.OP_BIT_INSERT

    def __init__(self, policy: "TypePolicy", byte_offset: int, value: "TypeBitValue", bin: "TypeBinName"):  # noqa: A002
        self._children = (byte_offset, value, _write_flags(policy), _blob_bin(bin))


class BitRemove(_BaseExpr):
    """Remove ``byte_size`` bytes at ``byte_offset``."""

    _op = aerospike.OP_BIT_REMOVE

    def __init__(self, policy: "TypePolicy", byte_offset: int, byte_size: int, bin: "TypeBinName"):  # noqa: A002
        self._children = (byte_offset, byte_size, _write_flags(policy), _blob_bin(bin))


class _BitsWithValue(_BaseExpr):
    def __init__(self, policy: "TypePolicy", bit_offset: int, bit_size: int, value: "TypeBitValue",
                 bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, value, _write_flags(policy), _blob_bin(bin))


class BitSet(_BitsWithValue):
    """Overwrite bits with ``value``."""

    _op = aerospike.OP_BIT_SET


class BitOr(_BitsWithValue):
    """Bitwise or with ``value``."""

    _op = aerospike.OP_BIT_OR


class BitXor(_BitsWithValue):
    """Bitwise xor with ``value``."""

    _op = aerospike.OP_BIT_XOR


class BitAnd(_BitsWithValue):
    """Bitwise and with ``value``."""

    _op = aerospike.OP_BIT_AND


class BitNot(_BaseExpr):
    """Negate the bits."""

    _op = aerospike.OP_BIT_NOT

    def __init__(self, policy: "TypePolicy", bit_offset: int, bit_size: int, bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, _write_flags(policy), _blob_bin(bin))


class _Shift(_BaseExpr):
    def __init__(self, policy: "TypePolicy", bit_offset: int, bit_size: int, shift: int,
                 bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, shift, _write_flags(policy), _blob_bin(bin))


class BitLeftShift(_Shift):
    """Shift the bits left."""

    _op = aerospike.OP_BIT_LSHIFT


class BitRightShift(_Shift):
    """Shift the bits right."""

    _op = aerospike.OP_BIT_RSHIFT


class _IntMath(_BaseExpr):
    def __init__(self, policy: "TypePolicy", bit_offset: int, bit_size: int, value: int, action: int,
                 bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, value, _write_flags(policy), _flag_entry(action), _blob_bin(bin))


class BitAdd(_IntMath):
    """Add ``value`` to the integer the bits hold (``aerospike.BIT_OVERFLOW_*`` action)."""

    _op = aerospike.OP_BIT_ADD


class BitSubtract(_IntMath):
    """Subtract ``value`` from the integer the bits hold."""

    _op = aerospike.OP_BIT_SUBTRACT


class BitSetInt(_BaseExpr):
    """Store the integer ``value`` in the bits."""

    _op = aerospike.OP_BIT_SET_INT

    def __init__(self, policy: "TypePolicy", bit_offset: int, bit_size: int, value: int,
                 bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, value, _write_flags(policy), _blob_bin(bin))


class BitGet(_BaseExpr):
    """The bits as a blob."""

    _op = aerospike.OP_BIT_GET

    def __init__(self, bit_offset: int, bit_size: int, bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, _blob_bin(bin))


class BitCount(_BaseExpr):
    """Number of bits set."""

    _op = aerospike.OP_BIT_COUNT

    def __init__(self, bit_offset: int, bit_size: int, bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, _blob_bin(bin))


class _Scan(_BaseExpr):
    def __init__(self, bit_offset: int, bit_size: int, value: bool, bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, value, _blob_bin(bin))


class BitLeftScan(_Scan):
    """Index of the first bit equal to ``value`` from the left (-1 if none)."""

    _op = aerospike.OP_BIT_LSCAN


class BitRightScan(_Scan):
    """Index of the first bit equal to ``value`` from the right (-1 if none)."""

    _op = aerospike.OP_BIT_RSCAN


class BitGetInt(_BaseExpr):
    """The bits as an integer (signed if ``sign``)."""

    _op = aerospike.OP_BIT_GET_INT

    def __init__(self, bit_offset: int, bit_size: int, sign: bool, bin: "TypeBinName"):  # noqa: A002
        self._children = (bit_offset, bit_size, 1 if sign else 0, _blob_bin(bin))


class BitB64Encode(_BaseExpr):
    """Base64 text of the blob, or of ``byte_size`` bytes at ``byte_offset`` (server 8.1+)."""

    def __init__(self, byte_offset: int, byte_size: "int | None", invert_size: bool, bin: "TypeBinName"):  # noqa: A002
        bin = _blob_bin(bin)  # noqa: A001
        if byte_size is None:
            self._op = aerospike._OP_BIT_B64_ENCODE
            self._children = (bin,)
        else:
            self._op = aerospike._OP_BIT_B64_ENCODE_RANGE
            self._children = (byte_offset, byte_size, 1 if invert_size else 0, bin)
