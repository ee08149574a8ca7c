# Type stub of aerospike.exception (purespike). Raised exceptions carry code, msg, file, line,
# in_doubt and subcode; the RecordError, IndexError and UDFError families carry more.
from typing import Any


__all__ = ['AerospikeError', 'TimeoutError', 'ClientError', 'ParamError', 'InvalidHostError', 'ClientAbortError', 'AsyncConnectionError', 'NoMoreConnectionsError', 'InvalidNodeError', 'TLSError', 'ConnectionError', 'MaxRetriesExceeded', 'MaxErrorRateExceeded', 'NoResponse', 'BatchFailed', 'TransactionFailed', 'TransactionAlreadyCommitted', 'TransactionAlreadyAborted', 'ServerError', 'InvalidRequest', 'ServerFull', 'AlwaysForbidden', 'ScanAbortedError', 'UnsupportedFeature', 'DeviceOverload', 'NamespaceNotFound', 'ForbiddenError', 'ElementNotFoundError', 'ElementExistsError', 'OpNotApplicable', 'FilteredOut', 'LostConflict', 'BatchDisabledError', 'BatchMaxRequestError', 'BatchQueueFullError', 'InvalidGeoJSON', 'QueryAbortedError', 'ClusterError', 'ClusterChangeError', 'RecordError', 'RecordNotFound', 'RecordGenerationError', 'RecordExistsError', 'BinExistsError', 'BinIncompatibleType', 'RecordTooBig', 'RecordBusy', 'BinNotFound', 'RecordKeyMismatch', 'BinNameError', 'IndexError', 'IndexFoundError', 'IndexNotFound', 'IndexOOM', 'IndexNotReadable', 'IndexNameMaxLen', 'IndexNameMaxCount', 'QueryError', 'QueryQueueFull', 'QueryTimeout', 'UDFError', 'UDFNotFound', 'LuaFileNotFound', 'AdminError', 'SecurityNotSupported', 'SecurityNotEnabled', 'SecuritySchemeNotSupported', 'InvalidCommand', 'InvalidField', 'IllegalState', 'InvalidUser', 'UserExistsError', 'InvalidPassword', 'ExpiredPassword', 'ForbiddenPassword', 'InvalidCredential', 'InvalidRole', 'RoleExistsError', 'InvalidPrivilege', 'InvalidWhitelist', 'QuotasNotEnabled', 'InvalidQuota', 'NotAuthenticated', 'RoleViolation', 'NotWhitelisted', 'QuotaExceeded']

class AerospikeError(Exception):
    code: int | None
    msg: str | None
    file: str | None
    line: int | None
    in_doubt: bool | None
    subcode: int | None

class TimeoutError(AerospikeError):
    code: int

class ClientError(AerospikeError):
    code: int

class ParamError(ClientError):
    code: int

class InvalidHostError(ClientError):
    code: int

class ClientAbortError(ClientError):
    code: int

class AsyncConnectionError(ClientError):
    code: int

class NoMoreConnectionsError(ClientError):
    code: int

class InvalidNodeError(ClientError):
    code: int

class TLSError(ClientError):
    code: int

class ConnectionError(ClientError):
    code: int

class MaxRetriesExceeded(ClientError):
    code: int

class MaxErrorRateExceeded(ClientError):
    code: int

class NoResponse(ClientError):
    code: int

class BatchFailed(ClientError):
    code: int

class TransactionFailed(ClientError):
    code: int

class TransactionAlreadyCommitted(ClientError):
    code: int

class TransactionAlreadyAborted(ClientError):
    code: int

class ServerError(AerospikeError):
    code: int

class InvalidRequest(ServerError):
    code: int

class ServerFull(ServerError):
    code: int

class AlwaysForbidden(ServerError):
    code: int

class ScanAbortedError(ServerError):
    code: int

class UnsupportedFeature(ServerError):
    code: int

class DeviceOverload(ServerError):
    code: int

class NamespaceNotFound(ServerError):
    code: int

class ForbiddenError(ServerError):
    code: int

class ElementNotFoundError(ServerError):
    code: int

class ElementExistsError(ServerError):
    code: int

class OpNotApplicable(ServerError):
    code: int

class FilteredOut(ServerError):
    code: int

class LostConflict(ServerError):
    code: int

class BatchDisabledError(ServerError):
    code: int

class BatchMaxRequestError(ServerError):
    code: int

class BatchQueueFullError(ServerError):
    code: int

class InvalidGeoJSON(ServerError):
    code: int

class QueryAbortedError(ServerError):
    code: int

class ClusterError(ServerError):
    code: int

class ClusterChangeError(ClusterError):
    code: int

class RecordError(ServerError):
    key: tuple[Any, ...] | None
    bin: Any

class RecordNotFound(RecordError):
    code: int

class RecordGenerationError(RecordError):
    code: int

class RecordExistsError(RecordError):
    code: int

class BinExistsError(RecordError):
    code: int

class BinIncompatibleType(RecordError):
    code: int

class RecordTooBig(RecordError):
    code: int

class RecordBusy(RecordError):
    code: int

class BinNotFound(RecordError):
    code: int

class RecordKeyMismatch(RecordError):
    code: int

class BinNameError(RecordError):
    code: int

class IndexError(ServerError):
    code: int
    name: str | None

class IndexFoundError(IndexError):
    code: int

class IndexNotFound(IndexError):
    code: int

class IndexOOM(IndexError):
    code: int

class IndexNotReadable(IndexError):
    code: int

class IndexNameMaxLen(IndexError):
    code: int

class IndexNameMaxCount(IndexError):
    code: int

class QueryError(ServerError):
    code: int

class QueryQueueFull(QueryError):
    code: int

class QueryTimeout(QueryError):
    code: int

class UDFError(ServerError):
    code: int
    module: str | None
    func: str | None

class UDFNotFound(UDFError):
    code: int

class LuaFileNotFound(UDFError):
    code: int

class AdminError(ServerError): ...

class SecurityNotSupported(AdminError):
    code: int

class SecurityNotEnabled(AdminError):
    code: int

class SecuritySchemeNotSupported(AdminError):
    code: int

class InvalidCommand(AdminError):
    code: int

class InvalidField(AdminError):
    code: int

class IllegalState(AdminError):
    code: int

class InvalidUser(AdminError):
    code: int

class UserExistsError(AdminError):
    code: int

class InvalidPassword(AdminError):
    code: int

class ExpiredPassword(AdminError):
    code: int

class ForbiddenPassword(AdminError):
    code: int

class InvalidCredential(AdminError):
    code: int

class InvalidRole(AdminError):
    code: int

class RoleExistsError(AdminError):
    code: int

class InvalidPrivilege(AdminError):
    code: int

class InvalidWhitelist(AdminError):
    code: int

class QuotasNotEnabled(AdminError):
    code: int

class InvalidQuota(AdminError):
    code: int

class NotAuthenticated(AdminError):
    code: int

class RoleViolation(AdminError):
    code: int

class NotWhitelisted(AdminError):
    code: int

class QuotaExceeded(AdminError):
    code: int

# purespike's own helpers (not in the official module, nor in __all__)
CODE_TO_CLASS: dict[int, type[AerospikeError]]

def exception_for(code: int, msg: str = "", in_doubt: bool = False, file: str | None = None,
                  line: int | None = None, *, subcode: int = 0, key: Any = ..., bin: Any = ...,
                  name: Any = ..., module: Any = ..., func: Any = ...) -> AerospikeError: ...
