"""Aerospike result codes (server `proto.h`; clients agree on every non-negative code)."""

from enum import IntEnum


class ResultCode(IntEnum):
    OK = 0
    SERVER_ERROR = 1
    KEY_NOT_FOUND = 2
    GENERATION = 3
    PARAMETER = 4
    KEY_EXISTS = 5
    BIN_EXISTS = 6
    CLUSTER_KEY_MISMATCH = 7
    OUT_OF_SPACE = 8
    TIMEOUT = 9
    ALWAYS_FORBIDDEN = 10
    PARTITION_UNAVAILABLE = 11
    BIN_TYPE = 12
    RECORD_TOO_BIG = 13
    KEY_BUSY = 14
    QUERY_ABORTED = 15
    UNSUPPORTED_FEATURE = 16
    BIN_NOT_FOUND = 17
    DEVICE_OVERLOAD = 18
    KEY_MISMATCH = 19
    NAMESPACE_NOT_FOUND = 20
    BIN_NAME = 21
    FORBIDDEN = 22
    ELEMENT_NOT_FOUND = 23
    ELEMENT_EXISTS = 24
    ENTERPRISE_ONLY = 25
    OP_NOT_APPLICABLE = 26
    FILTERED_OUT = 27
    LOST_CONFLICT = 28
    XDR_KEY_BUSY = 32
    QUERY_END = 50
    SECURITY_NOT_SUPPORTED = 51
    SECURITY_NOT_ENABLED = 52
    SECURITY_SCHEME_NOT_SUPPORTED = 53
    INVALID_COMMAND = 54
    INVALID_FIELD = 55
    ILLEGAL_STATE = 56
    INVALID_USER = 60
    USER_ALREADY_EXISTS = 61
    INVALID_PASSWORD = 62
    EXPIRED_PASSWORD = 63
    FORBIDDEN_PASSWORD = 64
    INVALID_CREDENTIAL = 65
    EXPIRED_SESSION = 66
    INVALID_ROLE = 70
    ROLE_ALREADY_EXISTS = 71
    INVALID_PRIVILEGE = 72
    INVALID_WHITELIST = 73
    QUOTAS_NOT_ENABLED = 74
    INVALID_QUOTA = 75
    NOT_AUTHENTICATED = 80
    ROLE_VIOLATION = 81
    NOT_WHITELISTED = 82
    QUOTA_EXCEEDED = 83
    UDF_EXECUTION = 100
    MRT_BLOCKED = 120
    MRT_VERSION_MISMATCH = 121
    MRT_EXPIRED = 122
    MRT_TOO_MANY_WRITES = 123
    MRT_COMMITTED = 124
    MRT_ABORTED = 125
    MRT_ALREADY_LOCKED = 126
    MRT_MONITOR_EXISTS = 127
    BATCH_DISABLED = 150
    BATCH_MAX_REQUESTS = 151
    BATCH_QUEUES_FULL = 152
    GEO_INVALID_GEOJSON = 160
    INDEX_FOUND = 200
    INDEX_NOT_FOUND = 201
    INDEX_OOM = 202
    INDEX_NOT_READABLE = 203
    INDEX_GENERIC = 204
    INDEX_NAME_MAXLEN = 205
    INDEX_MAXCOUNT = 206


class AerospikeWireError(Exception):
    """A request could not be served; carries the result code to answer with."""

    def __init__(self, code: int, message: str = ""):
        super().__init__(message or ResultCode(code).name)
        self.code = int(code)
        self.message = message


class MalformedMessage(AerospikeWireError):
    """Bytes that do not form a valid message (answered with PARAMETER, or the connection closes)."""

    def __init__(self, message: str):
        super().__init__(ResultCode.PARAMETER, message)
