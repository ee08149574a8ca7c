"""Builders of the string operations (server 8.2+) for ``Client.operate``.

Indexes count Unicode code points from the start, negative ones from the end. With a non-empty
``ctx`` an operation works on a string inside a list or map. Every builder returns the operation
dict the official client builds (the same keys, in the same order).
"""

import aerospike

from ..string_helpers import NumericType, RegexFlags, StringPolicy

TypeCTX = list | None


def _read(code: int, bin_name: str, ctx, **fields) -> dict:
    return {"op": code, "bin": bin_name, **fields, "ctx": ctx}


def _modify(code: int, bin_name: str, policy, ctx, **fields) -> dict:
    return {"op": code, "bin": bin_name, **fields, "policy": policy, "ctx": ctx}


def strlen(bin_name: str, ctx: TypeCTX = None):
    """The length of the string in code points."""
    return _read(aerospike._OP_STRING_STRLEN, bin_name, ctx)


def substr(bin_name: str, start: int, ctx: TypeCTX = None):
    """The string from code point `start` to its end."""
    return _read(aerospike._OP_STRING_SUBSTR, bin_name, ctx, start=start)


def substr_range(bin_name: str, start: int, end: int, ctx: TypeCTX = None):
    """The code points ``[start, end)``."""
    return _read(aerospike._OP_STRING_SUBSTR_RANGE, bin_name, ctx, start=start, end=end)


def char_at(bin_name: str, index: int, ctx: TypeCTX = None):
    """The code point at `index`, as a one-character string."""
    return _read(aerospike._OP_STRING_CHAR_AT, bin_name, ctx, index=index)


def find(bin_name: str, needle: str, occurrence: int = 1, ctx: TypeCTX = None):
    """The index of the `occurrence`-th `needle`, or -1."""
    return _read(aerospike._OP_STRING_FIND, bin_name, ctx, needle=needle, occurrence=occurrence)


def contains(bin_name: str, needle: str, ctx: TypeCTX = None):
    """Whether the string contains `needle`."""
    return _read(aerospike._OP_STRING_CONTAINS, bin_name, ctx, needle=needle)


def starts_with(bin_name: str, prefix: str, ctx: TypeCTX = None):
    """Whether the string starts with `prefix`."""
    return _read(aerospike._OP_STRING_STARTS_WITH, bin_name, ctx, prefix=prefix)


def ends_with(bin_name: str, suffix: str, ctx: TypeCTX = None):
    """Whether the string ends with `suffix`."""
    return _read(aerospike._OP_STRING_ENDS_WITH, bin_name, ctx, suffix=suffix)


def to_integer(bin_name: str, ctx: TypeCTX = None):
    """The string parsed as an integer."""
    return _read(aerospike._OP_STRING_TO_INTEGER, bin_name, ctx)


def to_double(bin_name: str, ctx: TypeCTX = None):
    """The string parsed as a float."""
    return _read(aerospike._OP_STRING_TO_DOUBLE, bin_name, ctx)


def byte_length(bin_name: str, ctx: TypeCTX = None):
    """The length of the string in UTF-8 bytes."""
    return _read(aerospike._OP_STRING_BYTE_LENGTH, bin_name, ctx)


def is_numeric(bin_name: str, numeric_type: NumericType = NumericType.ANY, ctx: TypeCTX = None):
    """Whether the string is a number of `numeric_type`."""
    return {"op": aerospike._OP_STRING_IS_NUMERIC, "numeric_type": numeric_type, "bin": bin_name, "ctx": ctx}


def is_upper(bin_name: str, ctx: TypeCTX = None):
    """Whether the string has no lower-case letter."""
    return _read(aerospike._OP_STRING_IS_UPPER, bin_name, ctx)


def is_lower(bin_name: str, ctx: TypeCTX = None):
    """Whether the string has no upper-case letter."""
    return _read(aerospike._OP_STRING_IS_LOWER, bin_name, ctx)


def to_blob(bin_name: str, ctx: TypeCTX = None):
    """The string's UTF-8 bytes."""
    return _read(aerospike._OP_STRING_TO_BLOB, bin_name, ctx)


def split(bin_name: str, ctx: TypeCTX = None):
    """The string split at white space."""
    return _read(aerospike._OP_STRING_SPLIT, bin_name, ctx)


def split_separator(bin_name: str, separator: str, ctx: TypeCTX = None):
    """The string split at `separator`."""
    return _read(aerospike._OP_STRING_SPLIT_SEPARATOR, bin_name, ctx, separator=separator)


def base64_decode(bin_name: str, ctx: TypeCTX = None):
    """The string decoded from base64."""
    return _read(aerospike._OP_STRING_B64_DECODE, bin_name, ctx)


def regex_compare(bin_name: str, pattern: str, regex_flags: RegexFlags = RegexFlags.DEFAULT, ctx: TypeCTX = None):
    """Whether `pattern` matches the string."""
    return _read(aerospike._OP_STRING_REGEX_COMPARE, bin_name, ctx, pattern=pattern, regex_flags=regex_flags)


def insert(bin_name: str, index: int, value: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Insert `value` before code point `index`."""
    return _modify(aerospike._OP_STRING_INSERT, bin_name, policy, ctx, index=index, value=value)


def overwrite(bin_name: str, index: int, value: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Write `value` over the string from code point `index`."""
    return _modify(aerospike._OP_STRING_OVERWRITE, bin_name, policy, ctx, index=index, value=value)


def concat(bin_name: str, value_list: list[str], policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Append every string of `value_list`."""
    return _modify(aerospike._OP_STRING_CONCAT, bin_name, policy, ctx, value_list=value_list)


def snip(bin_name: str, start: int, end: int | None = None, policy: StringPolicy | None = None,
         ctx: TypeCTX = None):
    """Remove the code points ``[start, end)`` (to the end when `end` is None)."""
    return _modify(aerospike._OP_STRING_SNIP, bin_name, policy, ctx, start=start, end=end)


def replace(bin_name: str, needle: str, replacement: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Replace the first `needle` by `replacement`."""
    return _modify(aerospike._OP_STRING_REPLACE, bin_name, policy, ctx, needle=needle, replacement=replacement)


def replace_all(bin_name: str, needle: str, replacement: str, policy: StringPolicy | None = None,
                ctx: TypeCTX = None):
    """Replace every `needle` by `replacement`."""
    return _modify(aerospike._OP_STRING_REPLACE_ALL, bin_name, policy, ctx, needle=needle, replacement=replacement)


def upper(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Upper-case the string."""
    return _modify(aerospike._OP_STRING_UPPER, bin_name, policy, ctx)


def lower(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Lower-case the string."""
    return _modify(aerospike._OP_STRING_LOWER, bin_name, policy, ctx)


def casefold(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Case-fold the string (for caseless comparison)."""
    return _modify(aerospike._OP_STRING_CASE_FOLD, bin_name, policy, ctx)


def normalize_nfc(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Normalize the string to Unicode NFC."""
    return _modify(aerospike._OP_STRING_NORMALIZE_NFC, bin_name, policy, ctx)


def trim_start(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Remove leading white space."""
    return _modify(aerospike._OP_STRING_TRIM_START, bin_name, policy, ctx)


def trim_end(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Remove trailing white space."""
    return _modify(aerospike._OP_STRING_TRIM_END, bin_name, policy, ctx)


def trim(bin_name: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Remove leading and trailing white space."""
    return _modify(aerospike._OP_STRING_TRIM, bin_name, policy, ctx)


def pad_start(bin_name: str, target_length: int, pad_string: str, policy: StringPolicy | None = None,
              ctx: TypeCTX = None):
    """Pad the start with `pad_string` up to `target_length` code points."""
    return {"op": aerospike._OP_STRING_PAD_START, "target_length": target_length, "pad_string": pad_string,
            "bin": bin_name, "policy": policy, "ctx": ctx}


def pad_end(bin_name: str, target_length: int, pad_string: str, policy: StringPolicy | None = None,
            ctx: TypeCTX = None):
    """Pad the end with `pad_string` up to `target_length` code points."""
    return {"op": aerospike._OP_STRING_PAD_END, "target_length": target_length, "pad_string": pad_string,
            "bin": bin_name, "policy": policy, "ctx": ctx}


def repeat(bin_name: str, count: int, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Repeat the string `count` times."""
    return _modify(aerospike._OP_STRING_REPEAT, bin_name, policy, ctx, count=count)


def regex_replace(bin_name: str, pattern: str, replacement: str, regex_flags: RegexFlags = RegexFlags.DEFAULT,
                  policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Replace the first match of `pattern` (every match with RegexFlags.GLOBAL)."""
    return _modify(aerospike._OP_STRING_REGEX_REPLACE, bin_name, policy, ctx, pattern=pattern,
                   replacement=replacement, regex_flags=regex_flags)


def append(bin_name: str, value: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Append `value`."""
    return _modify(aerospike._OP_STRING_APPEND, bin_name, policy, ctx, value=value)


def prepend(bin_name: str, value: str, policy: StringPolicy | None = None, ctx: TypeCTX = None):
    """Prepend `value`."""
    return _modify(aerospike._OP_STRING_PREPEND, bin_name, policy, ctx, value=value)


def to_string(bin_name: str):
    """Convert the bin's value (integer, float, boolean, blob or string) to a string (a top-level
    operation of its own: no ``ctx``)."""
    return {"op": aerospike._OP_STRING_TO_STRING, "bin": bin_name}
