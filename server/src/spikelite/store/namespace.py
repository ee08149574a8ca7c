"""A namespace: its records by digest, per-set counts, TTL defaults, expiry and truncation.

A `memory` namespace lives in this process only. A `device` namespace (see `store.device`) also
writes every change to its data file, committed before the change is made in memory (so before any
reply), and loads the file back at start: records, truncation times and index definitions.
A namespace with a size limit (device `filesize`, memory `data-size` / `memory-size`) counts the
bytes its records take and refuses writes past its stop-writes point with OUT_OF_SPACE (8).
"""

from __future__ import annotations

import logging
import sqlite3

from ..config import NamespaceConfig
from ..wire import AerospikeWireError, ResultCode
from .clock import Clock
from .provisional import MONITOR_SET, Provisional
from .record import Record, expired, void_time_of
from .sindex import ITYPE_SET, IndexDefinition, SecondaryIndex

log = logging.getLogger("spikelite")



def truncated(last_update_ns: int, lut_ns: int) -> bool:
    """Whether a truncate at `lut_ns` removes a record last updated at `last_update_ns`: a node
    keeps both in milliseconds and removes records strictly before the truncate's millisecond (a
    write in the same millisecond survives). No truncate is lut -1."""
    return lut_ns >= 0 and last_update_ns // 1_000_000 < lut_ns // 1_000_000

class Namespace:
    def __init__(self, config: NamespaceConfig, clock: Clock):
        self.config = config
        self.name = config.name
        self.clock = clock
        #: digest → the record's stored bytes (`Record.blob`; `Record.of` views them)
        self.records: dict[bytes, bytes] = {}
        self.set_counts: dict[str, int] = {}
        self.truncate_lut: dict[str | None, int] = {}  # set (None = namespace) → last truncate, ns
        self.expired_count = 0
        self.evicted_count = 0
        self.indexes: dict[str, SecondaryIndex] = {}
        self.set_indexes: dict[str, IndexDefinition] = {}  # set indexes by name (in creation order)
        self.storage = None  # the DeviceStore of a persistent namespace
        self.limit = config.stop_writes_bytes()  # 0: no size limit, no accounting
        self.used_bytes = 0  # sum of Record.size() (kept only when there is a limit)
        #: digest → the write of an open transaction on that record, not yet visible to others
        self.provisional: dict[bytes, Provisional] = {}
        if config.storage_file:
            self._open_storage()

    # -- records --------------------------------------------------------------------------------

    def _open_storage(self) -> None:
        from .device import DeviceStore
        store = DeviceStore(self.config.storage_file, self.name)
        try:
            if self.config.cold_start_empty:
                store.wipe()
            self.truncate_lut = store.load_truncations()
            now = self.clock.now_cl()
            cut_all = self.truncate_lut.get(None, -1)
            dead = []
            for digest, record in store.load_records():
                cut = max(cut_all, self.truncate_lut.get(record.set_name, -1))
                if (record.expired(now) and self._mortal(record)) or truncated(record.last_update_ns, cut):
                    dead.append(digest)
                    continue
                self.records[digest] = record.blob
                if record.set_name:
                    self.set_counts[record.set_name] = self.set_counts.get(record.set_name, 0) + 1
                if self.limit:
                    self.used_bytes += record.size()
            store.delete_many(dead)
            for digest, txn_id, record, set_name in store.load_provisional():
                self.provisional[digest] = Provisional(txn_id, record, set_name)
            for definition in store.load_index_definitions():
                if definition.itype == ITYPE_SET:
                    self.set_indexes[definition.name] = definition
                    continue
                index = SecondaryIndex(definition)
                for digest, record in self.items():
                    index.add(digest, record)
                self.indexes[definition.name] = index
        except BaseException:
            store.close()
            raise
        self.storage = store
        log.info("namespace %s: loaded %d records from %s", self.name, len(self.records),
                 self.config.storage_file)

    def close(self) -> None:
        if self.storage is not None:
            self.storage.close()
            self.storage = None

    def _persist(self, fn, *args) -> None:
        """Run one storage write; a failure answers the request instead of changing memory."""
        try:
            fn(*args)
        except sqlite3.Error as exc:
            log.error("namespace %s: writing %s failed: %s", self.name, self.config.storage_file, exc)
            full = isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
            raise AerospikeWireError(ResultCode.OUT_OF_SPACE if full else ResultCode.SERVER_ERROR,
                                     "storage write failed: %s" % exc) from None

    def stop_writes(self) -> bool:
        return bool(self.limit) and self.used_bytes >= self.limit

    def get(self, digest: bytes) -> Record | None:
        """The live record of a digest, or None; an expired record is removed on sight."""
        blob = self.records.get(digest)
        if blob is None:
            return None
        record = Record.of(blob)
        if void_time_of(blob) and expired(blob, self.clock.now_cl()) and self._mortal(record):
            if self.storage is not None:
                try:
                    self.storage.delete(digest)
                except sqlite3.Error as exc:  # dropped again at the next load, being expired
                    log.warning("namespace %s: removing an expired record failed: %s", self.name, exc)
            self._drop(digest, record)
            self.expired_count += 1
            return None
        return record

    def peek(self, digest: bytes) -> Record | None:
        """The record of a digest as stored, expired or not (None: no record)."""
        blob = self.records.get(digest)
        return Record.of(blob) if blob is not None else None

    def items(self):
        """(digest, Record) of every stored record, expired or not, over a copy of the digests
        taken at the start (the namespace may change meanwhile: records gone are skipped)."""
        records = self.records
        of = Record.of
        for digest in list(records):
            blob = records.get(digest)
            if blob is not None:
                yield digest, of(blob)

    def _mortal(self, record: Record) -> bool:
        """Whether expiry removes this record: not a transaction monitor of a strong-consistency
        namespace (past its deadline, its transaction is finished first: commands.transaction)."""
        return not (self.config.strong_consistency and record.set_name == MONITOR_SET)

    def put(self, digest: bytes, record: Record) -> None:
        old = self.peek(digest)
        if self.limit:
            delta = record.size() - (old.size() if old is not None else 0)
            # as a real node: no writes while at stop-writes, and never past the configured size
            if self.used_bytes >= self.limit or self.used_bytes + delta > self.config.capacity_bytes():
                raise AerospikeWireError(ResultCode.OUT_OF_SPACE, "namespace %s is at stop-writes" % self.name)
            self.used_bytes += delta  # undone below if the write fails
            try:
                if self.storage is not None:
                    self._persist(self.storage.put, digest, record)
            except BaseException:
                self.used_bytes -= delta
                raise
        elif self.storage is not None:
            self._persist(self.storage.put, digest, record)
        self._keep(digest, old, record)

    def _keep(self, digest: bytes, old: Record | None, record: Record) -> None:
        """Hold a written record in memory (the caller has stored it and counted its bytes)."""
        if old is None:
            if record.set_name:
                self.set_counts[record.set_name] = self.set_counts.get(record.set_name, 0) + 1
        self.records[digest] = record.blob
        for index in self.indexes.values():
            if old is not None:
                index.remove(digest)
            index.add(digest, record)

    def delete(self, digest: bytes) -> bool:
        record = self.peek(digest)
        if record is None:
            return False
        if self.storage is not None:
            self._persist(self.storage.delete, digest)
        self._drop(digest, record)
        return True

    def _drop(self, digest: bytes, record: Record) -> None:
        """Forget a record in memory (the caller has removed it from storage)."""
        del self.records[digest]
        if self.limit:
            self.used_bytes -= record.size()
        if record.set_name:
            self.set_counts[record.set_name] -= 1
        for index in self.indexes.values():
            index.remove(digest)

    # -- transactions: provisional writes -------------------------------------------------------

    def put_provisional(self, digest: bytes, txn_id: int, record: Record | None, set_name) -> None:
        """Hold the write of open transaction `txn_id` (None: a delete) beside the committed record."""
        if self.storage is not None:
            self._persist(self.storage.put_provisional, digest, txn_id, record, set_name)
        self.provisional[digest] = Provisional(txn_id, record, set_name)

    def drop_provisional(self, digest: bytes) -> None:
        """Roll a provisional write back: the committed record stays as it was."""
        if digest not in self.provisional:
            return
        if self.storage is not None:
            self._persist(self.storage.drop_provisional, digest)
        del self.provisional[digest]

    def apply_provisional(self, digest: bytes) -> None:
        """Roll a provisional write forward: it becomes the committed record (atomically on disk)."""
        pending = self.provisional.get(digest)
        if pending is None:
            return
        old = self.peek(digest)
        if self.storage is not None:
            self._persist(self.storage.apply_provisional, digest, pending.record)
        del self.provisional[digest]
        if pending.record is None:
            if old is not None:
                self._drop(digest, old)
            return
        if self.limit:
            self.used_bytes += pending.record.size() - (old.size() if old is not None else 0)
        self._keep(digest, old, pending.record)

    # -- secondary indexes ------------------------------------------------------------------------

    def create_index(self, definition) -> SecondaryIndex:
        index = SecondaryIndex(definition)
        now = self.clock.now_cl()
        for digest, record in self.items():
            if not record.expired(now):
                index.add(digest, record)
        if self.storage is not None:
            self._persist(self.storage.save_index, definition)
        self.indexes[definition.name] = index
        return index

    def drop_index(self, name: str) -> None:
        if (name in self.indexes or name in self.set_indexes) and self.storage is not None:
            self._persist(self.storage.drop_index, name)
        self.indexes.pop(name, None)
        self.set_indexes.pop(name, None)

    def create_set_index(self, definition: IndexDefinition) -> None:
        """A set index (`indextype=set`): one per set; it only changes what the node reports."""
        if self.storage is not None:
            self._persist(self.storage.save_index, definition)
        self.set_indexes[definition.name] = definition

    def set_index_of(self, set_name: str) -> IndexDefinition | None:
        return next((d for d in self.set_indexes.values() if d.set_name == set_name), None)

    # -- TTL --------------------------------------------------------------------------------------

    def default_ttl(self, set_name: str | None) -> int:
        set_config = self.config.sets.get(set_name) if set_name else None
        if set_config is not None and set_config.default_ttl is not None:
            return set_config.default_ttl
        return self.config.default_ttl

    def ttl_allowed(self) -> bool:
        """Real servers refuse expiring records when nothing would ever expire them."""
        return self.config.nsup_period > 0 or self.config.allow_ttl_without_nsup

    def expire(self) -> int:
        """Remove every expired record (the nsup sweep); returns how many."""
        now = self.clock.now_cl()
        of = Record.of
        dead = [(d, r) for d, r in ((d, of(b)) for d, b in self.records.items() if expired(b, now))
                if self._mortal(r)]
        if dead and self.storage is not None:
            self._persist(self.storage.delete_many, [d for d, _ in dead])
        for digest, record in dead:
            self._drop(digest, record)
        self.expired_count += len(dead)
        return len(dead)

    # -- truncation -------------------------------------------------------------------------------

    def truncate(self, set_name: str | None, lut_ns: int) -> int:
        """Delete records (of one set, or all) last updated before `lut_ns`'s millisecond."""
        doomed = [(d, r) for d, r in self.items()
                  if (set_name is None or r.set_name == set_name) and truncated(r.last_update_ns, lut_ns)]
        if self.storage is not None:
            self._persist(self.storage.truncate, set_name, lut_ns, [d for d, _ in doomed])
        for digest, record in doomed:
            self._drop(digest, record)
        self.truncate_lut[set_name] = lut_ns
        return len(doomed)

    # -- statistics -------------------------------------------------------------------------------

    def set_names(self) -> list[str]:
        names = set(self.set_counts) | set(self.config.sets)
        return sorted(names)

    def objects(self) -> int:
        return len(self.records)
