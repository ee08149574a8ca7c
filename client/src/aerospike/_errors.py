"""Raising the official client's exceptions from purespike code."""

from __future__ import annotations

import sys

from spikewire import ResultCode

from . import exception


def _where() -> tuple[str | None, int | None]:
    frame = sys._getframe(2)
    return frame.f_code.co_filename, frame.f_lineno


def param_error(msg: str) -> Exception:
    """ParamError(-2, msg): a bad argument detected before anything is sent."""
    return exception.exception_for(-2, msg, False, *_where())


def client_error(msg: str) -> Exception:
    return exception.exception_for(-1, msg, False, *_where())


def bin_name_error(msg: str) -> Exception:
    return exception.exception_for(21, msg, False, *_where())


#: The C client's status names where they differ from the server's result code names.
_C_STATUS_NAMES = {1: "SERVER", 2: "RECORD_NOT_FOUND", 3: "RECORD_GENERATION", 4: "REQUEST_INVALID",
                   5: "RECORD_EXISTS", 12: "BIN_INCOMPATIBLE_TYPE", 13: "RECORD_TOO_BIG",
                   14: "RECORD_KEY_BUSY", 17: "BIN_NOT_FOUND", 19: "RECORD_KEY_MISMATCH",
                   20: "NAMESPACE_NOT_FOUND", 21: "BIN_NAME", 22: "FAIL_FORBIDDEN",
                   200: "INDEX_FOUND", 201: "INDEX_NOT_FOUND", 100: "UDF"}


def error_name(code: int) -> str:
    """The C client's name of a status code (AEROSPIKE_ERR_...), as the messages of the
    exceptions for server answers carry it."""
    if ResultCode.QUERY_END < code <= ResultCode.QUOTA_EXCEEDED and code in ResultCode._value2member_map_:
        return "AEROSPIKE_" + ResultCode(code).name  # security statuses have no ERR_ in the C client
    if ResultCode.MRT_BLOCKED <= code <= ResultCode.MRT_MONITOR_EXISTS:
        return "AEROSPIKE_" + ResultCode(code).name  # the transaction statuses have no ERR_ either
    if code in _C_STATUS_NAMES:
        return "AEROSPIKE_ERR_" + _C_STATUS_NAMES[code]
    try:
        return "AEROSPIKE_ERR_" + ResultCode(code).name
    except ValueError:
        return "AEROSPIKE_ERR_%d" % code
