"""Multi-record transactions in strong-consistency namespaces, as an Enterprise node serves them.

What the client sends (the official clients' protocol):

- a **monitor record** per transaction: namespace of the transaction, set ``<ERO~MRT``, integer key
  the transaction id (as a signed 64-bit value). The client's first write creates it with an
  operate (bin ``id`` and a list append of the written digests to bin ``keyds``) whose TTL is the
  transaction's timeout (0: the namespace's ``mrt-duration``); the reply carries the deadline (field
  6, 4 bytes little-endian, server seconds). Later writes append their digests. Commit marks it
  with a ``fwd`` bin (true) before rolling forward, and deletes it at the end;
- the commands of the transaction carry its id (field 5, 8 bytes little-endian) — writes also the
  deadline, and reads/writes of a record the transaction has read the record version (field 3,
  7 bytes little-endian);
- at commit, a verify (info4 bit 0) of every record read, with the version read: a record that
  changed since answers MRT_VERSION_MISMATCH (121);
- then a roll forward (info4 bit 1) or roll back (info4 bit 2) of every record written.

How this server keeps it: a transaction's write does not change the committed record; it is held
as a *provisional* write beside it (`Namespace.put_provisional`, on disk too for a persistent
namespace). Others read the committed record and get MRT_BLOCKED (120) when they write it; the
transaction reads its own writes. Rolling forward makes the provisional write the record (one
atomic disk transaction per record); rolling back forgets it. A transaction whose monitor passes its
deadline unmarked is rolled back; one whose monitor is marked ``fwd`` is rolled forward whenever one
of its records is touched, and by the periodic sweep — also after a restart, so a crash between two
roll-forward steps never leaves half a transaction visible.

A namespace without ``strong-consistency true`` answers any command carrying a transaction id, a
verify or a roll with ENTERPRISE_ONLY (25), as the Community Edition node does (its monitor writes
are ordinary writes there).
"""

from __future__ import annotations

import os
import signal
import struct

import msgpack

from ..store.provisional import MONITOR_SET, Provisional
from ..store.record import Record
from ..wire import (CITRUSLEAF_EPOCH, AerospikeWireError, FieldType, Info2, Message, OpType, ParticleType,
                    ResultCode)
from ..wire.keys import compute_digest
from ..wire.message import Info4

#: The TTL a write sends to leave the void time alone (the monitor's deadline never moves).
_TTL_DONT_UPDATE = 0xFFFFFFFE
_SPECIAL_TTLS = frozenset({0, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD})
#: A transaction lasts at most this long, whatever the client asks (mrt-duration's maximum).
MAX_DURATION = 120
#: Records one transaction may write (more: MRT_TOO_MANY_WRITES, 123).
MAX_WRITES = 4096
_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")
_VERSION_MASK = (1 << 56) - 1
#: Test hook: a server started with this environment variable set to N kills itself (SIGKILL)
#: right after its N-th roll-forward step, to test recovery between roll-forward steps.
CRASH_ENV = "SPIKELITE_CRASH_AFTER_ROLL_FORWARDS"


def record_version(record: Record) -> int:
    """A record's version: changes with every write (last-update millisecond and generation)."""
    millis = record.last_update_ns // 1_000_000 - CITRUSLEAF_EPOCH * 1000
    return ((millis << 16) | record.generation) & _VERSION_MASK


def version_field(record: Record) -> tuple[int, bytes]:
    return FieldType.RECORD_VERSION, _U64.pack(record_version(record))[:7]


def monitor_digest(txn_id: int) -> bytes:
    signed = txn_id - (1 << 64) if txn_id >= 1 << 63 else txn_id
    return compute_digest(MONITOR_SET, signed)


def _txn_id(data: bytes) -> int:
    if len(data) != 8:
        raise AerospikeWireError(ResultCode.PARAMETER, "transaction id field of %d bytes" % len(data))
    return _U64.unpack(data)[0]


def _int_bin(record: Record, name: str) -> int | None:
    value = record.bins.get(name)
    if value is None or not value[1]:
        return None
    if value[0] == ParticleType.INTEGER and len(value[1]) == 8:
        return struct.unpack(">q", value[1])[0]
    return int.from_bytes(value[1], "big")  # a bool (1 byte) or another number


def _written_keys(monitor: Record) -> int:
    """How many record digests a monitor's ``keyds`` list holds."""
    value = monitor.bins.get("keyds")
    if value is None or value[0] != ParticleType.LIST:
        return 0
    unpacker = msgpack.Unpacker()
    unpacker.feed(value[1])
    try:
        count = unpacker.read_array_header()
        if count and isinstance(unpacker.unpack(), msgpack.ExtType):
            count -= 1  # an ordered list's flags element
        return count
    except (ValueError, msgpack.exceptions.UnpackException):
        return 0


def _marked_forward(monitor: Record) -> bool:
    return bool(_int_bin(monitor, "fwd"))


def _set_name(msg: Message) -> str | None:
    data = msg.field(FieldType.SET)
    return data.decode("utf-8", "replace") if data else None


def _error(code: int) -> Message:
    return Message(result_code=code)


class TransactionView:
    """A namespace as one transaction sees it: its own provisional writes over the committed
    records; what it writes becomes provisional. Everything else is the namespace's."""

    def __init__(self, ns, txn_id: int):
        self._ns = ns
        self._txn_id = txn_id

    def __getattr__(self, name):
        return getattr(self._ns, name)

    def get(self, digest: bytes) -> Record | None:
        pending = self._ns.provisional.get(digest)
        if pending is not None and pending.txn_id == self._txn_id:
            record = pending.record
            if record is not None and record.expired(self._ns.clock.now_cl()):
                return None
            return record
        return self._ns.get(digest)

    def put(self, digest: bytes, record: Record) -> None:
        if record.size() > self._ns.config.max_record_size:
            raise AerospikeWireError(ResultCode.RECORD_TOO_BIG, "record too big")
        self._ns.put_provisional(digest, self._txn_id, record, record.set_name)

    def delete(self, digest: bytes) -> bool:
        record = self.get(digest)
        if record is None:
            return False
        self._ns.put_provisional(digest, self._txn_id, None, record.set_name)
        return True


class Transactions:
    """Routes the data commands of strong-consistency namespaces through transaction rules."""

    def __init__(self) -> None:
        crash_after = os.environ.get(CRASH_ENV, "").strip()
        self._crash_after = int(crash_after) if crash_after.isdigit() else 0
        self._roll_forwards = 0

    def execute(self, ns, digest: bytes, msg: Message, run) -> Message:
        """The reply to one single-record command; `run(namespace_or_view)` runs it as usual."""
        txn_field = msg.field(FieldType.MRT_ID)
        rolling = msg.info4 & (Info4.MRT_ROLL_FORWARD | Info4.MRT_ROLL_BACK)
        verifying = msg.info4 & Info4.MRT_VERIFY_READ
        if not ns.config.strong_consistency:
            if txn_field is not None or rolling or verifying:
                return _error(ResultCode.ENTERPRISE_ONLY)
            return run(ns)
        if rolling:
            if txn_field is None:
                raise AerospikeWireError(ResultCode.PARAMETER, "roll without a transaction id")
            return self._roll(ns, digest, _txn_id(txn_field), bool(msg.info4 & Info4.MRT_ROLL_FORWARD))
        if verifying:
            return self._verify(ns, digest, msg)
        if _set_name(msg) == MONITOR_SET and txn_field is None:
            return self._monitor_command(ns, digest, msg, run)
        self.settle_record(ns, digest)
        pending = ns.provisional.get(digest)
        is_write = bool(msg.info2 & Info2.WRITE)
        if txn_field is None:
            if pending is not None and is_write:
                return _error(ResultCode.MRT_BLOCKED)
            return run(ns)
        txn_id = _txn_id(txn_field)
        own = pending is not None and pending.txn_id == txn_id
        if not is_write:
            reply = run(TransactionView(ns, txn_id))
            if reply.result_code == ResultCode.OK and not own:
                record = ns.get(digest)
                if record is not None:
                    reply.fields.append(version_field(record))
            return reply
        if pending is not None and not own:
            return _error(ResultCode.MRT_BLOCKED)
        if own and msg.info4 & Info4.MRT_ON_LOCKING_ONLY:
            return _error(ResultCode.MRT_ALREADY_LOCKED)
        monitor = ns.peek(monitor_digest(txn_id))
        if monitor is None or monitor.expired(ns.clock.now_cl()):
            return _error(ResultCode.MRT_EXPIRED)
        if _marked_forward(monitor):
            return _error(ResultCode.MRT_COMMITTED)
        return run(TransactionView(ns, txn_id))

    # -- commit and abort steps -------------------------------------------------------------------

    def _verify(self, ns, digest: bytes, msg: Message) -> Message:
        data = msg.field(FieldType.RECORD_VERSION)
        if data is None or len(data) != 7:
            raise AerospikeWireError(ResultCode.PARAMETER, "verify without a 7-byte record version")
        self.settle_record(ns, digest)
        if digest in ns.provisional:
            return _error(ResultCode.MRT_BLOCKED)  # another transaction is changing what was read
        record = ns.get(digest)
        if record is None or record_version(record) != int.from_bytes(data, "little"):
            return _error(ResultCode.MRT_VERSION_MISMATCH)
        return Message()

    def _roll(self, ns, digest: bytes, txn_id: int, forward: bool) -> Message:
        pending = ns.provisional.get(digest)
        if pending is None or pending.txn_id != txn_id:
            return Message()  # rolled already (by the sweep, or a retried roll)
        if forward:
            ns.apply_provisional(digest)
            self._roll_forwards += 1
            if self._crash_after and self._roll_forwards >= self._crash_after:
                os.kill(os.getpid(), signal.SIGKILL)
        else:
            ns.drop_provisional(digest)
        return Message()

    # -- the monitor record -----------------------------------------------------------------------

    def _monitor_command(self, ns, digest: bytes, msg: Message, run) -> Message:
        if not msg.info2 & Info2.WRITE or msg.info2 & Info2.DELETE:
            return run(ns)  # reads, and the close at the end of a commit or abort
        names = {op.name for op in msg.ops if op.op == OpType.WRITE}
        marking = "fwd" in names
        creating = "id" in names
        now = ns.clock.now_cl()
        monitor = ns.peek(digest)
        if monitor is not None and monitor.expired(now) and not _marked_forward(monitor):
            txn_id = _int_bin(monitor, "id")
            if txn_id is not None:
                self.settle(ns, txn_id & ((1 << 64) - 1))
            ns.delete(digest)
            return _error(ResultCode.MRT_ABORTED if marking else ResultCode.MRT_EXPIRED)
        if monitor is None:
            if marking or not creating:
                return _error(ResultCode.MRT_ABORTED)  # rolled back (deadline passed) and gone
            ttl = msg.record_ttl
            msg.record_ttl = ns.config.mrt_duration if ttl in _SPECIAL_TTLS else min(ttl, MAX_DURATION)
        else:
            if _marked_forward(monitor):
                return _error(ResultCode.MRT_COMMITTED)
            if creating:
                return _error(ResultCode.MRT_MONITOR_EXISTS)
            msg.record_ttl = _TTL_DONT_UPDATE
        reply = run(ns)
        if reply.result_code == ResultCode.OK:
            written = ns.peek(digest)
            if written is not None and _written_keys(written) > MAX_WRITES:
                if monitor is None:  # the write that would pass the limit does not happen
                    ns.delete(digest)
                else:
                    ns.put(digest, monitor)
                return _error(ResultCode.MRT_TOO_MANY_WRITES)
            if written is not None:
                reply.fields.append((FieldType.MRT_DEADLINE, _U32.pack(written.void_time)))
        return reply

    # -- settling decided or expired transactions -------------------------------------------------

    def settle_record(self, ns, digest: bytes) -> None:
        pending = ns.provisional.get(digest)
        if pending is not None:
            self.settle(ns, pending.txn_id)

    def settle(self, ns, txn_id: int) -> bool:
        """Roll a decided transaction's provisional writes forward (monitor marked ``fwd``) or back
        (monitor gone or past its deadline); False while it is still open."""
        monitor = ns.peek(monitor_digest(txn_id))
        if monitor is not None and _marked_forward(monitor):
            forward = True
        elif monitor is None or monitor.expired(ns.clock.now_cl()):
            forward = False
        else:
            return False
        for digest in [d for d, p in ns.provisional.items() if p.txn_id == txn_id]:
            if forward:
                ns.apply_provisional(digest)
            else:
                ns.drop_provisional(digest)
        return True

    def sweep(self, ns) -> None:
        """The periodic pass (with nsup): finish transactions whose monitors passed their deadline,
        remove those monitors, and settle provisional writes of decided transactions."""
        if not ns.config.strong_consistency:
            return
        now = ns.clock.now_cl()
        if ns.set_counts.get(MONITOR_SET):
            for digest, record in list(ns.items()):
                if record.set_name == MONITOR_SET and record.expired(now):
                    txn_id = _int_bin(record, "id")
                    if txn_id is not None:
                        self.settle(ns, txn_id & ((1 << 64) - 1))
                    ns.delete(digest)
        for txn_id in {p.txn_id for p in ns.provisional.values()}:
            self.settle(ns, txn_id)


__all__ = ["MONITOR_SET", "Provisional", "TransactionView", "Transactions", "monitor_digest",
           "record_version"]
