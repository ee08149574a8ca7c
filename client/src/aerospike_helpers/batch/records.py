"""The records of a batch call: what to do per key, and the result of doing it.

A BatchRecord carries `key`, then after the call `result` (a result code), `record`
(`(key, meta, bins)`, or None), `in_doubt`, `message` and `subcode`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple, Union

_READ, _WRITE, _APPLY, _REMOVE = 0, 1, 2, 3

#: The official module's type aliases of its arguments.
TypeOps = List[Dict]
TypeBatchPolicyWrite = Union[Dict, None]
TypeBatchPolicyRemove = Union[Dict, None]
TypeBatchPolicyApply = Union[Dict, None]
TypeBatchPolicyRead = Union[Dict, None]
TypeRecord = Union[Tuple, None]
TypeUDFArgs = List[Any]


class BatchRecord:
    """The result of one key of a batch call."""

    def __init__(self, key: tuple) -> None:
        self.key = key
        self.record = None
        self.result = 0
        self.message = None
        self.subcode = 0
        self.in_doubt = False


class Read(BatchRecord):
    """Read `ops` (or all bins with `read_all_bins`, or the header when neither) of one key."""

    def __init__(self, key: tuple, ops, read_all_bins: bool = False, meta: dict | None = None,
                 policy: dict | None = None) -> None:
        super().__init__(key)
        self.ops = ops
        self.read_all_bins = read_all_bins
        self._type = _READ
        self._has_write = False
        self.meta = meta
        self.policy = policy


class Write(BatchRecord):
    """Apply write (and read) `ops` to one key."""

    def __init__(self, key: tuple, ops, meta: dict | None = None, policy: dict | None = None) -> None:
        super().__init__(key)
        self.ops = ops
        self._type = _WRITE
        self._has_write = True
        self.meta = meta
        self.policy = policy


class Apply(BatchRecord):
    """Apply the record UDF `module.function(*args)` to one key."""

    def __init__(self, key: tuple, module: str, function: str, args, policy: dict | None = None) -> None:
        super().__init__(key)
        self._type = _APPLY
        self._has_write = True
        self.module = module
        self.function = function
        self.args = args
        self.policy = policy


class Remove(BatchRecord):
    """Delete one key."""

    def __init__(self, key: tuple, policy: dict | None = None) -> None:
        super().__init__(key)
        self._type = _REMOVE
        self._has_write = True
        self.policy = policy


class BatchRecords:
    """The list of batch records of one call, and the call's overall `result`."""

    def __init__(self, batch_records: list | None = None) -> None:
        self.batch_records = batch_records if batch_records is not None else []
        self.result = 0


TypeBatchRecordList = List[BatchRecord]
