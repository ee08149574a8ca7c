"""Bitwise operation dicts (on bytes bins) for Client.operate() / operate_ordered().

Every helper returns a fresh plain dict shaped like the official helper's, with ``"op"`` (an
``aerospike.OP_BIT_*`` code) and ``"bin"`` first. ``policy`` is a bit policy dict
(``{"bit_write_flags": aerospike.BIT_WRITE_*}``) or None, always stored under ``"policy"``.
Offsets and sizes are in bits (``bit_*``) or bytes (``byte_*``); negative offsets count from the
end. ``value_byte_size`` (how many bytes of ``value`` to use) is deprecated, as in the official
helpers, and using it warns.
"""

import warnings

from aerospike import _constants as _c

BIN_KEY = "bin"
BYTE_SIZE_KEY = "byte_size"
BYTE_OFFSET_KEY = "byte_offset"
BIT_OFFSET_KEY = "bit_offset"
BIT_SIZE_KEY = "bit_size"
VALUE_BYTE_SIZE_KEY = "value_byte_size"
VALUE_KEY = "value"
COUNT_KEY = "count"
INDEX_KEY = "index"
KEY_KEY = "key"
OFFSET_KEY = "offset"
OP_KEY = "op"
POLICY_KEY = "policy"
RESIZE_FLAGS_KEY = "resize_flags"
SIGN_KEY = "sign"
ACTION_KEY = "action"

_value_byte_size_deprecated = "value_byte_size is deprecated and will be removed in the next major client release"


def _warn_value_byte_size(message: str = _value_byte_size_deprecated) -> None:
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def _bitwise(code, bin_name, bit_offset, bit_size, value_byte_size, value, policy):
    """The layout shared by bit_set / bit_and / bit_or / bit_xor."""
    return {OP_KEY: code, BIN_KEY: bin_name, POLICY_KEY: policy, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size, VALUE_BYTE_SIZE_KEY: value_byte_size, VALUE_KEY: value}


def _arithmetic(code, bin_name, bit_offset, bit_size, value, sign, action, policy):
    """The layout shared by bit_add / bit_subtract."""
    return {OP_KEY: code, BIN_KEY: bin_name, POLICY_KEY: policy, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size, VALUE_KEY: value, SIGN_KEY: sign, ACTION_KEY: action}


def _shift(code, bin_name, bit_offset, bit_size, shift, policy):
    return {OP_KEY: code, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset, BIT_SIZE_KEY: bit_size,
            VALUE_KEY: shift, POLICY_KEY: policy}


def _scan(code, bin_name, bit_offset, bit_size, value):
    return {OP_KEY: code, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset, BIT_SIZE_KEY: bit_size,
            VALUE_KEY: value}


# -- modify operations ---------------------------------------------------------------------------

def bit_resize(bin_name: str, byte_size, policy=None, resize_flags: int = 0):
    """Resize the bytes to ``byte_size`` (``aerospike.BIT_RESIZE_*`` flags)."""
    return {OP_KEY: _c.OP_BIT_RESIZE, BIN_KEY: bin_name, POLICY_KEY: policy,
            RESIZE_FLAGS_KEY: resize_flags, BYTE_SIZE_KEY: byte_size}


def bit_remove(bin_name: str, byte_offset, byte_size, policy=None):
    """Remove ``byte_size`` bytes from ``byte_offset``."""
    return {OP_KEY: _c.OP_BIT_REMOVE, BIN_KEY: bin_name, POLICY_KEY: policy,
            BYTE_OFFSET_KEY: byte_offset, BYTE_SIZE_KEY: byte_size}


def bit_insert(bin_name: str, byte_offset, value_byte_size, value, policy=None):
    """Insert the first ``value_byte_size`` bytes of ``value`` at ``byte_offset``."""
    _warn_value_byte_size()
    return {OP_KEY: _c.OP_BIT_INSERT, BIN_KEY: bin_name, BYTE_OFFSET_KEY: byte_offset,
            VALUE_BYTE_SIZE_KEY: value_byte_size, VALUE_KEY: value, POLICY_KEY: policy}


def bit_set(bin_name: str, bit_offset, bit_size, value_byte_size, value, policy=None):
    """Overwrite ``bit_size`` bits from ``bit_offset`` with the bits of ``value``."""
    _warn_value_byte_size()
    return _bitwise(_c.OP_BIT_SET, bin_name, bit_offset, bit_size, value_byte_size, value, policy)


def bit_set_int(bin_name: str, bit_offset: int, bit_size: int, value: int, policy: dict = None):
    """Overwrite ``bit_size`` bits (at most 64) from ``bit_offset`` with the integer ``value``."""
    return {OP_KEY: _c.OP_BIT_SET_INT, BIN_KEY: bin_name, POLICY_KEY: policy,
            BIT_OFFSET_KEY: bit_offset, BIT_SIZE_KEY: bit_size, VALUE_KEY: value}


def bit_or(bin_name: str, bit_offset, bit_size, value_byte_size, value, policy=None):
    """OR ``value`` into ``bit_size`` bits from ``bit_offset``."""
    _warn_value_byte_size()
    return _bitwise(_c.OP_BIT_OR, bin_name, bit_offset, bit_size, value_byte_size, value, policy)


def bit_xor(bin_name: str, bit_offset, bit_size, value_byte_size, value, policy=None):
    """XOR ``value`` into ``bit_size`` bits from ``bit_offset``."""
    _warn_value_byte_size(_value_byte_size_deprecated + ".")
    return _bitwise(_c.OP_BIT_XOR, bin_name, bit_offset, bit_size, value_byte_size, value, policy)


def bit_and(bin_name: str, bit_offset, bit_size, value_byte_size, value, policy=None):
    """AND ``value`` into ``bit_size`` bits from ``bit_offset``."""
    _warn_value_byte_size()
    return _bitwise(_c.OP_BIT_AND, bin_name, bit_offset, bit_size, value_byte_size, value, policy)


def bit_not(bin_name: str, bit_offset, bit_size, policy=None):
    """Invert ``bit_size`` bits from ``bit_offset``."""
    return {OP_KEY: _c.OP_BIT_NOT, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size, POLICY_KEY: policy}


def bit_lshift(bin_name: str, bit_offset, bit_size, shift, policy=None):
    """Shift ``bit_size`` bits from ``bit_offset`` left by ``shift``."""
    return _shift(_c.OP_BIT_LSHIFT, bin_name, bit_offset, bit_size, shift, policy)


def bit_rshift(bin_name: str, bit_offset, bit_size, shift, policy=None):
    """Shift ``bit_size`` bits from ``bit_offset`` right by ``shift``."""
    return _shift(_c.OP_BIT_RSHIFT, bin_name, bit_offset, bit_size, shift, policy)


def bit_add(bin_name: str, bit_offset, bit_size, value, sign, action, policy=None):
    """Add ``value`` to the ``bit_size``-bit integer at ``bit_offset`` (``sign``: signed;
    ``action``: ``aerospike.BIT_OVERFLOW_*``)."""
    return _arithmetic(_c.OP_BIT_ADD, bin_name, bit_offset, bit_size, value, sign, action, policy)


def bit_subtract(bin_name: str, bit_offset, bit_size, value, sign, action, policy=None):
    """Subtract ``value`` from the ``bit_size``-bit integer at ``bit_offset``."""
    return _arithmetic(_c.OP_BIT_SUBTRACT, bin_name, bit_offset, bit_size, value, sign, action,
                       policy)


# -- read operations -----------------------------------------------------------------------------

def bit_get(bin_name: str, bit_offset, bit_size):
    """The ``bit_size`` bits from ``bit_offset``, as bytes."""
    return {OP_KEY: _c.OP_BIT_GET, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size}


def bit_get_int(bin_name: str, bit_offset, bit_size, sign):
    """The ``bit_size``-bit integer at ``bit_offset`` (``sign``: read as signed)."""
    return {OP_KEY: _c.OP_BIT_GET_INT, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size, SIGN_KEY: sign}


def bit_count(bin_name: str, bit_offset, bit_size):
    """How many of the ``bit_size`` bits from ``bit_offset`` are set."""
    return {OP_KEY: _c.OP_BIT_COUNT, BIN_KEY: bin_name, BIT_OFFSET_KEY: bit_offset,
            BIT_SIZE_KEY: bit_size}


def bit_lscan(bin_name: str, bit_offset, bit_size, value):
    """Position of the first bit equal to ``value`` (a bool) from the left, or -1."""
    return _scan(_c.OP_BIT_LSCAN, bin_name, bit_offset, bit_size, value)


def bit_rscan(bin_name: str, bit_offset, bit_size, value):
    """Position of the first bit equal to ``value`` (a bool) from the right, or -1."""
    return _scan(_c.OP_BIT_RSCAN, bin_name, bit_offset, bit_size, value)


def bit_b64_encode(bin_name: str, byte_offset: int = 0, byte_size: int | None = None,
                   invert_size: bool = False, ctx: list | None = None):
    """The base64 text of ``byte_size`` bytes from ``byte_offset`` (server 8.2 or later)."""
    return {OP_KEY: _c._OP_BIT_B64_ENCODE, BIN_KEY: bin_name, BYTE_OFFSET_KEY: byte_offset,
            BYTE_SIZE_KEY: byte_size, "invert_size": invert_size, "ctx": ctx}
