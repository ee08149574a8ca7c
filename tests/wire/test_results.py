"""Result codes, checked against the official client's exception classes."""

from __future__ import annotations

import aerospike
import aerospike.exception as official
import pytest

from spikewire import AerospikeWireError, MalformedMessage, ResultCode

#: ResultCode member -> official exception class name (looked up in dir(aerospike.exception)).
OFFICIAL_NAMES = {
    "SERVER_ERROR": "ServerError",
    "KEY_NOT_FOUND": "RecordNotFound",
    "GENERATION": "RecordGenerationError",
    "PARAMETER": "InvalidRequest",
    "KEY_EXISTS": "RecordExistsError",
    "BIN_EXISTS": "BinExistsError",
    "CLUSTER_KEY_MISMATCH": "ClusterChangeError",
    "OUT_OF_SPACE": "ServerFull",
    "TIMEOUT": "TimeoutError",
    "ALWAYS_FORBIDDEN": "AlwaysForbidden",
    "PARTITION_UNAVAILABLE": "ClusterError",
    "BIN_TYPE": "BinIncompatibleType",
    "RECORD_TOO_BIG": "RecordTooBig",
    "KEY_BUSY": "RecordBusy",
    "QUERY_ABORTED": "ScanAbortedError",
    "UNSUPPORTED_FEATURE": "UnsupportedFeature",
    "BIN_NOT_FOUND": "BinNotFound",
    "DEVICE_OVERLOAD": "DeviceOverload",
    "KEY_MISMATCH": "RecordKeyMismatch",
    "NAMESPACE_NOT_FOUND": "NamespaceNotFound",
    "BIN_NAME": "BinNameError",
    "FORBIDDEN": "ForbiddenError",
    "ELEMENT_NOT_FOUND": "ElementNotFoundError",
    "ELEMENT_EXISTS": "ElementExistsError",
    "OP_NOT_APPLICABLE": "OpNotApplicable",
    "FILTERED_OUT": "FilteredOut",
    "LOST_CONFLICT": "LostConflict",
    "SECURITY_NOT_SUPPORTED": "SecurityNotSupported",
    "SECURITY_NOT_ENABLED": "SecurityNotEnabled",
    "SECURITY_SCHEME_NOT_SUPPORTED": "SecuritySchemeNotSupported",
    "INVALID_COMMAND": "InvalidCommand",
    "INVALID_FIELD": "InvalidField",
    "ILLEGAL_STATE": "IllegalState",
    "INVALID_USER": "InvalidUser",
    "USER_ALREADY_EXISTS": "UserExistsError",
    "INVALID_PASSWORD": "InvalidPassword",
    "EXPIRED_PASSWORD": "ExpiredPassword",
    "FORBIDDEN_PASSWORD": "ForbiddenPassword",
    "INVALID_CREDENTIAL": "InvalidCredential",
    "INVALID_ROLE": "InvalidRole",
    "ROLE_ALREADY_EXISTS": "RoleExistsError",
    "INVALID_PRIVILEGE": "InvalidPrivilege",
    "INVALID_WHITELIST": "InvalidWhitelist",
    "QUOTAS_NOT_ENABLED": "QuotasNotEnabled",
    "INVALID_QUOTA": "InvalidQuota",
    "NOT_AUTHENTICATED": "NotAuthenticated",
    "ROLE_VIOLATION": "RoleViolation",
    "NOT_WHITELISTED": "NotWhitelisted",
    "QUOTA_EXCEEDED": "QuotaExceeded",
    "UDF_EXECUTION": "UDFError",
    "BATCH_DISABLED": "BatchDisabledError",
    "BATCH_MAX_REQUESTS": "BatchMaxRequestError",
    "BATCH_QUEUES_FULL": "BatchQueueFullError",
    "GEO_INVALID_GEOJSON": "InvalidGeoJSON",
    "INDEX_FOUND": "IndexFoundError",
    "INDEX_NOT_FOUND": "IndexNotFound",
    "INDEX_OOM": "IndexOOM",
    "INDEX_NOT_READABLE": "IndexNotReadable",
    "INDEX_GENERIC": "IndexError",
    "INDEX_NAME_MAXLEN": "IndexNameMaxLen",
    "INDEX_MAXCOUNT": "IndexNameMaxCount",
}

#: Official codes with no server result code: client-side query errors (210-213) and UDF
#: client errors (1301, 1302); negative codes are client-only too.
CLIENT_ONLY_CODES = {210, 211, 212, 213, 1301, 1302}


def _official_classes() -> dict[str, int]:
    classes = {}
    for name in dir(official):
        cls = getattr(official, name)
        if isinstance(cls, type) and isinstance(getattr(cls, "code", None), int):
            classes[name] = cls.code
    return classes


OFFICIAL = _official_classes()


def test_official_module_has_the_exception_classes():
    assert len(OFFICIAL) > 60
    assert aerospike.exception is official
    for name in OFFICIAL_NAMES.values():
        assert name in OFFICIAL, name


@pytest.mark.parametrize("member, class_name", sorted(OFFICIAL_NAMES.items()))
def test_result_code_equals_official_class_code(member, class_name):
    assert ResultCode[member] == getattr(official, class_name).code


@pytest.mark.parametrize("member, class_name, code", [
    ("KEY_NOT_FOUND", "RecordNotFound", 2),
    ("GENERATION", "RecordGenerationError", 3),
    ("KEY_EXISTS", "RecordExistsError", 5),
    ("NAMESPACE_NOT_FOUND", "NamespaceNotFound", 20),
    ("BIN_NAME", "BinNameError", 21),
    ("FILTERED_OUT", "FilteredOut", 27),
    ("INDEX_FOUND", "IndexFoundError", 200),
    ("INDEX_NOT_FOUND", "IndexNotFound", 201),
    ("UDF_EXECUTION", "UDFError", 100),
])
def test_required_codes(member, class_name, code):
    assert ResultCode[member] == code
    assert getattr(official, class_name).code == code


def test_every_official_server_code_is_a_result_code():
    values = {c.value for c in ResultCode}
    for name, code in OFFICIAL.items():
        if code < 0 or code in CLIENT_ONLY_CODES:
            continue
        assert code in values, (name, code)


def test_official_classes_agree_with_the_mapping_by_code():
    # Every official class whose code is a ResultCode is mapped to that very member (no class
    # left out of OFFICIAL_NAMES, no two names for one code).
    by_class = {cls: member for member, cls in OFFICIAL_NAMES.items()}
    for name, code in OFFICIAL.items():
        if code in {c.value for c in ResultCode} and code > 0:
            assert by_class.get(name) == ResultCode(code).name, (name, code)


def test_result_code_values_are_unique_and_in_a_byte():
    values = [c.value for c in ResultCode]
    assert len(values) == len(set(values))
    assert all(0 <= v <= 255 for v in values)
    assert ResultCode.OK == 0


def test_more_documented_codes():
    assert (ResultCode.ENTERPRISE_ONLY, ResultCode.XDR_KEY_BUSY, ResultCode.QUERY_END) == (25, 32, 50)
    assert [ResultCode[f"MRT_{n}"] for n in ("BLOCKED", "VERSION_MISMATCH", "EXPIRED", "TOO_MANY_WRITES",
                                             "COMMITTED", "ABORTED", "ALREADY_LOCKED",
                                             "MONITOR_EXISTS")] == list(range(120, 128))


def test_aerospike_wire_error():
    err = AerospikeWireError(ResultCode.KEY_NOT_FOUND)
    assert err.code == 2 and type(err.code) is int
    assert str(err) == "KEY_NOT_FOUND"
    assert err.message == ""
    err = AerospikeWireError(4, "bad")
    assert (err.code, err.message, str(err)) == (4, "bad", "bad")
    assert isinstance(err, Exception)


def test_malformed_message():
    err = MalformedMessage("truncated")
    assert isinstance(err, AerospikeWireError)
    assert err.code == ResultCode.PARAMETER
    assert str(err) == "truncated" and err.message == "truncated"
