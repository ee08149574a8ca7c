"""String expressions (server 8.2+): the string operations as expressions.

They take no ``ctx``: to work on a string inside a list or map, read it with a list or map
expression and pass that as ``bin``. A ``bin`` given as a str is read with ``StrBin``. Each class
compiles to the same intermediate form as the official client's.
"""

import aerospike

from aerospike_helpers.expressions.base import StrBin
from aerospike_helpers.expressions.resources import _BaseExpr, _Keys
from ..string_helpers import NumericType, RegexFlags, StringPolicy

TypeBinName = _BaseExpr | str

_POLICY_KEY = "str_policy"


def _operand(bin: "TypeBinName") -> _BaseExpr:  # noqa: A002 - the official parameter name
    return bin if isinstance(bin, _BaseExpr) else StrBin(bin)


class _StrRead(_BaseExpr):
    """A read: `fields` (None when there are none) and the string operand."""

    def _set(self, bin: "TypeBinName", fields: dict | None = None) -> None:  # noqa: A002
        self._fixed = fields
        self._children = (_operand(bin),)


class _WriteOp(_BaseExpr):
    """A modify: the policy first in the fixed arguments."""

    def __init__(self, policy: StringPolicy):
        self._fixed = {_POLICY_KEY: policy}

    def _set(self, bin: "TypeBinName", fields: dict | None = None) -> None:  # noqa: A002
        if fields:
            self._fixed |= fields
        self._children = (_operand(bin),)


class StrLen(_StrRead):
    """The length in code points."""
    _op = aerospike._OP_STRING_STRLEN

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class SubStr(_StrRead):
    """From code point `start` to the end."""
    _op = aerospike._OP_STRING_SUBSTR

    def __init__(self, start: int, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"start": start})


class SubStrRange(_StrRead):
    """The code points ``[start, end)``."""
    _op = aerospike._OP_STRING_SUBSTR_RANGE

    def __init__(self, start: int, end: int, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"start": start, "end": end})


class CharAt(_StrRead):
    """The code point at `index`."""
    _op = aerospike._OP_STRING_CHAR_AT

    def __init__(self, index: int, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"index": index})


class Find(_StrRead):
    """The index of the `occurrence`-th `needle`, or -1."""
    _op = aerospike._OP_STRING_FIND

    def __init__(self, needle: str, occurrence: int, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"needle": needle, "occurrence": occurrence})


class Contains(_StrRead):
    """Whether `needle` is in the string."""
    _op = aerospike._OP_STRING_CONTAINS

    def __init__(self, needle: str, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"needle": needle})


class StartsWith(_StrRead):
    """Whether the string starts with `prefix`."""
    _op = aerospike._OP_STRING_STARTS_WITH

    def __init__(self, prefix: str, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"prefix": prefix})


class EndsWith(_StrRead):
    """Whether the string ends with `suffix`."""
    _op = aerospike._OP_STRING_ENDS_WITH

    def __init__(self, suffix: str, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"suffix": suffix})


class ToInteger(_StrRead):
    """The string as an integer."""
    _op = aerospike._OP_STRING_TO_INTEGER

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class ToDouble(_StrRead):
    """The string as a float."""
    _op = aerospike._OP_STRING_TO_DOUBLE

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class ByteLength(_StrRead):
    """The length in UTF-8 bytes."""
    _op = aerospike._OP_STRING_BYTE_LENGTH

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class IsNumeric(_StrRead):
    """Whether the string is a number of `numeric_type`."""
    _op = aerospike._OP_STRING_IS_NUMERIC

    def __init__(self, numeric_type: NumericType, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"numeric_type": numeric_type})


class IsUpper(_StrRead):
    """Whether the string has no lower-case letter."""
    _op = aerospike._OP_STRING_IS_UPPER

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class IsLower(_StrRead):
    """Whether the string has no upper-case letter."""
    _op = aerospike._OP_STRING_IS_LOWER

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class ToBlob(_StrRead):
    """The UTF-8 bytes."""
    _op = aerospike._OP_STRING_TO_BLOB

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class Split(_StrRead):
    """The string split at white space."""
    _op = aerospike._OP_STRING_SPLIT

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class SplitSeparator(_StrRead):
    """The string split at `separator`."""
    _op = aerospike._OP_STRING_SPLIT_SEPARATOR

    def __init__(self, separator: str, bin: "TypeBinName"):  # noqa: A002
        self._set(bin, {"separator": separator})


class Base64Decode(_StrRead):
    """The string decoded from base64."""
    _op = aerospike._OP_STRING_B64_DECODE

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class RegexCompare(_StrRead):
    """Whether `pattern` matches."""
    _op = aerospike._OP_STRING_REGEX_COMPARE

    def __init__(self, pattern: str, bin: "TypeBinName", regex_flags: RegexFlags = RegexFlags.DEFAULT):  # noqa: A002
        self._set(bin, {"pattern": pattern, "regex_flags": regex_flags})


class ToString(_StrRead):
    """An integer, float, boolean, blob or string value as a string."""
    _op = aerospike._OP_STRING_TO_STRING

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._set(bin)


class Insert(_WriteOp):
    """`value` inserted before code point `index`."""
    _op = aerospike._OP_STRING_INSERT

    def __init__(self, policy: StringPolicy, index: int, value: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"index": index, _Keys.VALUE_KEY: value})


class Overwrite(_WriteOp):
    """`value` written over the string from code point `index`."""
    _op = aerospike._OP_STRING_OVERWRITE

    def __init__(self, policy: StringPolicy, index: int, value: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"index": index, _Keys.VALUE_KEY: value})


class Concat(_WriteOp):
    """The strings of `values` appended."""
    _op = aerospike._OP_STRING_CONCAT

    def __init__(self, policy: StringPolicy, values: list[str], bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {_Keys.VALUE_KEY: values})


class Snip(_WriteOp):
    """The code points ``[start, end)`` removed (to the end when `end` is None)."""

    def __init__(self, policy: StringPolicy, start: int, end: int | None, bin: "TypeBinName"):  # noqa: A002
        self._op = aerospike._OP_STRING_SNIP if end is not None else aerospike._OP_STRING_SNIP_START
        super().__init__(policy)
        self._set(bin, {"start": start, "end": end})


class Replace(_WriteOp):
    """The first `needle` replaced."""
    _op = aerospike._OP_STRING_REPLACE

    def __init__(self, policy: StringPolicy, needle: str, replacement: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"needle": needle, "replacement": replacement})


class ReplaceAll(_WriteOp):
    """Every `needle` replaced."""
    _op = aerospike._OP_STRING_REPLACE_ALL

    def __init__(self, policy: StringPolicy, needle: str, replacement: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"needle": needle, "replacement": replacement})


class Upper(_WriteOp):
    """Upper-cased."""
    _op = aerospike._OP_STRING_UPPER

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class Lower(_WriteOp):
    """Lower-cased."""
    _op = aerospike._OP_STRING_LOWER

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class CaseFold(_WriteOp):
    """Case-folded."""
    _op = aerospike._OP_STRING_CASE_FOLD

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class NormalizeNFC(_WriteOp):
    """Normalized to NFC."""
    _op = aerospike._OP_STRING_NORMALIZE_NFC

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class TrimStart(_WriteOp):
    """Without leading white space."""
    _op = aerospike._OP_STRING_TRIM_START

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class TrimEnd(_WriteOp):
    """Without trailing white space."""
    _op = aerospike._OP_STRING_TRIM_END

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class Trim(_WriteOp):
    """Without leading and trailing white space."""
    _op = aerospike._OP_STRING_TRIM

    def __init__(self, policy: StringPolicy, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin)


class PadStart(_WriteOp):
    """Padded at the start with `pad_string` to `target_length` code points."""
    _op = aerospike._OP_STRING_PAD_START

    def __init__(self, policy: StringPolicy, target_length: int, pad_string: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"target_length": target_length, "pad_string": pad_string})


class PadEnd(_WriteOp):
    """Padded at the end with `pad_string` to `target_length` code points."""
    _op = aerospike._OP_STRING_PAD_END

    def __init__(self, policy: StringPolicy, target_length: int, pad_string: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"target_length": target_length, "pad_string": pad_string})


class Repeat(_WriteOp):
    """Repeated `count` times."""
    _op = aerospike._OP_STRING_REPEAT

    def __init__(self, policy: StringPolicy, count: int, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"count": count})


class RegexReplace(_WriteOp):
    """The first match of `pattern` replaced (every match with RegexFlags.GLOBAL)."""
    _op = aerospike._OP_STRING_REGEX_REPLACE

    def __init__(self, policy: StringPolicy, pattern: str, replacement: str, regex_flags: RegexFlags,
                 bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {"pattern": pattern, "replacement": replacement, "regex_flags": regex_flags})


class Append(_WriteOp):
    """`value` appended."""
    _op = aerospike._OP_STRING_APPEND

    def __init__(self, policy: StringPolicy, value: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {_Keys.VALUE_KEY: value})


class Prepend(_WriteOp):
    """`value` prepended."""
    _op = aerospike._OP_STRING_PREPEND

    def __init__(self, policy: StringPolicy, value: str, bin: "TypeBinName"):  # noqa: A002
        super().__init__(policy)
        self._set(bin, {_Keys.VALUE_KEY: value})
