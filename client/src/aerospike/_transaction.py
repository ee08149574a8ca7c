"""Multi-record transactions: `aerospike.Transaction` and what commit/abort send.

A transaction is client-side state: its id (random, non-zero, 64 bits), the namespace of its first
command, the records it read with the version each had, the records it wrote, and the deadline
the server gave its monitor record. Commands given ``policy={"txn": t}`` carry the id (and the
version read, and for writes the deadline); before a record's first write the key is added to the
transaction's monitor record. `commit` verifies the reads, marks the monitor for roll forward,
rolls every written record forward and removes the monitor; `abort` rolls them back. The steps,
statuses, states and messages are the official client's (its C client's aerospike_txn.c).
"""

from __future__ import annotations

import secrets
import struct
import threading

from spikewire import FieldType

from ._errors import param_error

STATE_OPEN, STATE_VERIFIED, STATE_COMMITTED, STATE_ABORTED, STATE_COMMIT_FAILED = 0, 1, 2, 3, 4
COMMIT_OK, COMMIT_ALREADY_COMMITTED, COMMIT_ROLL_FORWARD_ABANDONED, COMMIT_CLOSE_ABANDONED = 0, 1, 5, 6
ABORT_OK, ABORT_ALREADY_ABORTED, ABORT_ROLL_BACK_ABANDONED, ABORT_CLOSE_ABANDONED = 0, 1, 3, 4
MONITOR_SET = "<ERO~MRT"
_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")
_READ_ONLY = frozenset({"id", "in_doubt", "state"})
_FORBIDDEN = {
    STATE_VERIFIED: "it is currently being committed.",
    STATE_COMMITTED: "it has been committed.",
    STATE_ABORTED: "it has been aborted.",
    STATE_COMMIT_FAILED: "a commit failed on it with an in-doubt outcome.",
}


def _uint32(value) -> int:
    """An unsigned 32-bit argument, refused in the words of the C extension."""
    if not isinstance(value, int):
        raise TypeError("%s must be an integer" % (value,))
    if value < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if value >= 1 << 64:
        raise OverflowError("int too big to convert")
    if value > 0xFFFFFFFF:
        raise ValueError("%d exceeds 4294967295" % value)
    return int(value)


class Transaction:
    """A multi-record transaction (``aerospike.Transaction(reads_capacity=128, writes_capacity=128)``).

    ``id``, ``in_doubt`` and ``state`` are read-only; ``timeout`` (seconds, 0: the server's
    ``mrt-duration``) may be set before the first write. The capacities only size the official
    client's hash tables; they are checked the same way and otherwise unused.
    """

    __slots__ = ("_id", "_timeout", "_state", "_in_doubt", "_ns", "_deadline", "_reads", "_writes",
                 "_write_in_doubt", "_lock")

    def __init_subclass__(cls, **kwargs):
        raise TypeError("type 'aerospike.Transaction' is not an acceptable base type")

    def __init__(self, *args, **kwargs):
        names = ("reads_capacity", "writes_capacity")
        if len(args) + len(kwargs) > 2:
            raise TypeError("function takes at most 2 arguments (%d given)" % (len(args) + len(kwargs)))
        values = list(args)
        for i, name in enumerate(names):
            if name in kwargs:
                if i < len(args):
                    raise TypeError("argument for function given by name ('%s') and position (%d)" % (name, i + 1))
                values.append(kwargs[name])
        for key in kwargs:
            if key not in names:
                raise TypeError("'%s' is an invalid keyword argument for this function" % key)
        for value in values:
            _uint32(value)
        txn_id = 0
        while txn_id == 0:
            txn_id = secrets.randbits(64)
        self._id = txn_id
        self._timeout = 0
        self._lock = threading.Lock()
        self._state = STATE_OPEN
        self._in_doubt = False
        self._write_in_doubt = False
        self._clear()

    def _clear(self) -> None:
        self._ns: str | None = None
        self._deadline = 0
        self._reads: dict[bytes, tuple[str | None, int]] = {}  # digest → (set, version read)
        self._writes: dict[bytes, str | None] = {}  # digest → set

    # Attribute errors in the C type's words ('aerospike.Transaction' is its type name).
    def __getattr__(self, name):
        raise AttributeError("'aerospike.Transaction' object has no attribute '%s'" % name)

    def __setattr__(self, name, value):
        if name in _READ_ONLY:
            raise AttributeError("attribute '%s' of 'aerospike.Transaction' objects is not writable" % name)
        if name != "timeout" and name not in Transaction.__slots__:
            raise AttributeError("'aerospike.Transaction' object has no attribute '%s'" % name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if name in _READ_ONLY:
            raise AttributeError("attribute '%s' of 'aerospike.Transaction' objects is not writable" % name)
        if name == "timeout":
            raise TypeError("cannot delete attribute 'timeout'")
        raise AttributeError("'aerospike.Transaction' object has no attribute '%s'" % name)

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle 'aerospike.Transaction' object")

    @property
    def id(self) -> int:
        return self._id

    @property
    def in_doubt(self) -> bool:
        return self._in_doubt

    @property
    def state(self) -> int:
        return self._state

    @property
    def timeout(self) -> int:
        return self._timeout

    @timeout.setter
    def timeout(self, value) -> None:
        self._timeout = _uint32(value)


    # -- what the command path asks of a transaction ---------------------------------------------

    def _check_command(self, namespace: str) -> None:
        """Before a command of this transaction: it must be open and keep to one namespace."""
        reason = _FORBIDDEN.get(self._state)
        if reason is not None:
            raise param_error("Issuing commands to this transaction is forbidden because " + reason)
        if self._ns is None:
            self._ns = namespace
        elif self._ns != namespace:
            raise param_error("Namespace must be the same for all commands in the transaction. orig: %s new: %s"
                              % (self._ns, namespace))

    def _monitor_exists(self) -> bool:
        return self._deadline != 0

    def _writes_contain(self, digest: bytes) -> bool:
        return digest in self._writes

    def _fields(self, digest: bytes, is_write: bool) -> list[tuple[int, bytes]]:
        """The transaction fields of a command on `digest`: id, version read, deadline."""
        fields = [(FieldType.MRT_ID, _U64.pack(self._id))]
        version = self._reads.get(digest)
        if version is not None:
            fields.append((FieldType.RECORD_VERSION, _U64.pack(version[1] & ((1 << 56) - 1))[:7]))
        if is_write and self._deadline:
            fields.append((FieldType.MRT_DEADLINE, _U32.pack(self._deadline)))
        return fields

    def _on_reply(self, digest: bytes, set_name: str | None, version_data, result_code: int,
                 is_write: bool) -> None:
        """Track a reply: a version answered means the record was read, none after a write that
        succeeded means it was written."""
        version = 0
        if version_data is not None and len(version_data) == 7:
            version = int.from_bytes(version_data, "little") | (1 << 63)
        with self._lock:
            if version:
                self._reads[digest] = (set_name, version)
            elif is_write and result_code == 0:
                self._reads.pop(digest, None)
                self._writes[digest] = set_name

    def _on_write_in_doubt(self, digest: bytes, set_name: str | None) -> None:
        with self._lock:
            self._write_in_doubt = True
            self._reads.pop(digest, None)
            self._writes[digest] = set_name

    def _on_deadline(self, reply) -> None:
        data = reply.field(FieldType.MRT_DEADLINE)
        if data is not None and len(data) == 4:
            self._deadline = _U32.unpack(data)[0]

    def _monitor_user_key(self) -> int:
        """The monitor record's integer key: the id as a signed 64-bit value."""
        return self._id - (1 << 64) if self._id >= 1 << 63 else self._id

Transaction.__module__ = "aerospike"
