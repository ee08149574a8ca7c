"""Raising the official client's exceptions from purespike code."""

from __future__ import annotations

import sys


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


#: The C client's name of each status it names (as_error_string of the C client 7.x that the
#: official client 19.x bundles), without the "AEROSPIKE_" prefix. A status it does not list is
#: named ERR_SERVER when positive (160, 1301, ... too) and ERR_CLIENT when negative.
_C_STATUS_NAMES = {
    -20: "METRICS_CONFLICT", -19: "TXN_ALREADY_ABORTED", -18: "TXN_ALREADY_COMMITTED", -17: "TXN_FAILED",
    -16: "BATCH_FAILED", -15: "NO_RESPONSE", -14: "MAX_ERROR_RATE", -13: "USE_NORMAL_RETRY",
    -12: "ERR_MAX_RETRIES_EXCEEDED", -11: "ERR_ASYNC_QUEUE_FULL", -10: "ERR_CONNECTION", -9: "ERR_TLS_ERROR",
    -8: "ERR_INVALID_NODE", -7: "ERR_NO_MORE_CONNECTIONS", -6: "ERR_ASYNC_CONNECTION", -5: "ERR_CLIENT_ABORT",
    -4: "ERR_INVALID_HOST", -3: "NO_MORE_RECORDS", -2: "ERR_PARAM", -1: "ERR_CLIENT", 0: "OK",
    1: "ERR_SERVER", 2: "ERR_RECORD_NOT_FOUND", 3: "ERR_RECORD_GENERATION", 4: "ERR_REQUEST_INVALID",
    5: "ERR_RECORD_EXISTS", 6: "ERR_BIN_EXISTS", 7: "ERR_CLUSTER_CHANGE", 8: "ERR_SERVER_FULL",
    9: "ERR_TIMEOUT", 10: "ERR_ALWAYS_FORBIDDEN", 11: "ERR_CLUSTER", 12: "ERR_BIN_INCOMPATIBLE_TYPE",
    13: "ERR_RECORD_TOO_BIG", 14: "ERR_RECORD_BUSY", 15: "ERR_SCAN_ABORTED", 16: "ERR_UNSUPPORTED_FEATURE",
    17: "ERR_BIN_NOT_FOUND", 18: "ERR_DEVICE_OVERLOAD", 19: "ERR_RECORD_KEY_MISMATCH",
    20: "ERR_NAMESPACE_NOT_FOUND", 21: "ERR_BIN_NAME", 22: "ERR_FAIL_FORBIDDEN",
    23: "ERR_FAIL_ELEMENT_NOT_FOUND", 24: "ERR_FAIL_ELEMENT_EXISTS", 25: "ERR_ENTERPRISE_ONLY",
    26: "ERR_OP_NOT_APPLICABLE", 27: "FILTERED_OUT", 28: "LOST_CONFLICT", 29: "INVALID_ENCODING",
    32: "XDR_KEY_BUSY", 50: "QUERY_END",
    51: "SECURITY_NOT_SUPPORTED", 52: "SECURITY_NOT_ENABLED", 53: "SECURITY_SCHEME_NOT_SUPPORTED",
    54: "INVALID_COMMAND", 55: "INVALID_FIELD", 56: "ILLEGAL_STATE", 60: "INVALID_USER",
    61: "USER_ALREADY_EXISTS", 62: "INVALID_PASSWORD", 63: "EXPIRED_PASSWORD", 64: "FORBIDDEN_PASSWORD",
    65: "INVALID_CREDENTIAL", 66: "EXPIRED_SESSION", 70: "INVALID_ROLE", 71: "ROLE_ALREADY_EXISTS",
    72: "INVALID_PRIVILEGE", 73: "INVALID_WHITELIST", 74: "QUOTAS_NOT_ENABLED", 75: "INVALID_QUOTA",
    80: "NOT_AUTHENTICATED", 81: "ROLE_VIOLATION", 82: "NOT_WHITELISTED", 83: "QUOTA_EXCEEDED",
    100: "ERR_UDF", 120: "MRT_BLOCKED", 121: "MRT_VERSION_MISMATCH", 122: "MRT_EXPIRED",
    123: "MRT_TOO_MANY_WRITES", 124: "MRT_COMMITTED", 125: "MRT_ABORTED", 126: "MRT_ALREADY_LOCKED",
    127: "MRT_MONITOR_EXISTS", 150: "ERR_BATCH_DISABLED", 151: "ERR_BATCH_MAX_REQUESTS_EXCEEDED",
    152: "ERR_BATCH_QUEUES_FULL", 200: "ERR_INDEX_FOUND", 201: "ERR_INDEX_NOT_FOUND", 202: "ERR_INDEX_OOM",
    203: "ERR_INDEX_NOT_READABLE", 204: "ERR_INDEX", 205: "ERR_INDEX_NAME_MAXLEN", 206: "ERR_INDEX_MAXCOUNT",
    210: "ERR_QUERY_ABORTED", 211: "ERR_QUERY_QUEUE_FULL", 212: "ERR_QUERY_TIMEOUT", 213: "ERR_QUERY",
}


def error_name(code: int) -> str:
    """The C client's name of a status code (AEROSPIKE_...), as the messages of the exceptions for
    server answers carry it."""
    fallback = "ERR_SERVER" if code > 0 else "ERR_CLIENT"
    return "AEROSPIKE_" + _C_STATUS_NAMES.get(code, fallback)
