"""Flags and the policy shared by the string operations and the string expressions (server 8.2+)."""

from enum import IntEnum


class RegexFlags(IntEnum):
    """Flags of the regex string operations; combine them with ``|``."""

    DEFAULT = 0
    CASE_INSENSITIVE = 1
    #: ``^`` and ``$`` match at the start and end of every line.
    MULTILINE = 2
    #: ``.`` also matches line terminators.
    DOTALL = 4
    #: Only ``\\n`` ends a line.
    UNIX_LINES = 8
    #: regex_replace: replace every match, not only the first.
    GLOBAL = 16


class WriteFlags(IntEnum):
    """Write flags of a string modify operation; combine them with ``|``.

    CREATE_ONLY: only when the bin does not exist yet (valid on insert, overwrite, concat, append,
    prepend, pad_start, pad_end and repeat); UPDATE_ONLY: only on an existing bin (no bin is
    created); NO_FAIL: a modify that cannot be applied leaves the bin as it was, without an error.
    """

    DEFAULT = 0
    CREATE_ONLY = 1
    UPDATE_ONLY = 2
    NO_FAIL = 4


class NumericType(IntEnum):
    """What ``is_numeric`` accepts: any number, integers only, or floats only (a ``.`` and a
    digit after it)."""

    ANY = 0
    INT = 1
    FLOAT = 2


class StringPolicy:
    """The policy of a string modify operation: its ``write_flags`` (:class:`WriteFlags`)."""

    def __init__(self, write_flags: WriteFlags = WriteFlags.DEFAULT):
        self.write_flags = write_flags
