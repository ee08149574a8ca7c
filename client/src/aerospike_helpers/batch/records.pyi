# Type stub of aerospike_helpers.batch.records: what a batch call does per key, and its result.
from typing import Any, TypeAlias

_Key: TypeAlias = tuple[Any, ...]
_Operation: TypeAlias = dict[str, Any]

class BatchRecord:
    key: _Key
    #: After the call: `(key, meta, bins)`, `(key, meta)` for a header-only read, or None when the
    #: key failed (see `result`).
    record: tuple[Any, ...] | None
    result: int
    message: str | None
    subcode: int
    in_doubt: bool
    def __init__(self, key: _Key) -> None: ...

class Read(BatchRecord):
    ops: list[_Operation] | None
    read_all_bins: bool
    meta: dict[str, Any] | None
    policy: dict[str, Any] | None
    def __init__(self, key: _Key, ops: list[_Operation] | None, read_all_bins: bool = False,
                 meta: dict[str, Any] | None = None, policy: dict[str, Any] | None = None) -> None: ...

class Write(BatchRecord):
    ops: list[_Operation]
    meta: dict[str, Any] | None
    policy: dict[str, Any] | None
    def __init__(self, key: _Key, ops: list[_Operation], meta: dict[str, Any] | None = None,
                 policy: dict[str, Any] | None = None) -> None: ...

class Apply(BatchRecord):
    module: str
    function: str
    args: list[Any]
    policy: dict[str, Any] | None
    def __init__(self, key: _Key, module: str, function: str, args: list[Any],
                 policy: dict[str, Any] | None = None) -> None: ...

class Remove(BatchRecord):
    policy: dict[str, Any] | None
    def __init__(self, key: _Key, policy: dict[str, Any] | None = None) -> None: ...

class BatchRecords:
    batch_records: list[BatchRecord]
    result: int
    def __init__(self, batch_records: list[BatchRecord] | None = None) -> None: ...

# The official module's type aliases of its arguments.
TypeOps: TypeAlias = list[dict[Any, Any]]
TypeBatchPolicyWrite: TypeAlias = dict[Any, Any] | None
TypeBatchPolicyRemove: TypeAlias = dict[Any, Any] | None
TypeBatchPolicyApply: TypeAlias = dict[Any, Any] | None
TypeBatchPolicyRead: TypeAlias = dict[Any, Any] | None
TypeRecord: TypeAlias = tuple[Any, ...] | None
TypeUDFArgs: TypeAlias = list[Any]
TypeBatchRecordList: TypeAlias = list[BatchRecord]
