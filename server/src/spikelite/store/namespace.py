"""A namespace: its records by digest, per-set counts, TTL defaults, expiry and truncation."""

from __future__ import annotations

from ..config import NamespaceConfig
from .clock import Clock
from .record import Record


class Namespace:
    def __init__(self, config: NamespaceConfig, clock: Clock):
        self.config = config
        self.name = config.name
        self.clock = clock
        self.records: dict[bytes, Record] = {}
        self.set_counts: dict[str, int] = {}
        self.truncate_lut: dict[str | None, int] = {}  # set (None = namespace) → last truncate, ns
        self.expired_count = 0
        self.evicted_count = 0
        self.indexes: dict[str, "SecondaryIndex"] = {}

    # -- records --------------------------------------------------------------------------------

    def get(self, digest: bytes) -> Record | None:
        """The live record of a digest, or None; an expired record is removed on sight."""
        record = self.records.get(digest)
        if record is not None and record.expired(self.clock.now_cl()):
            self._drop(digest, record)
            self.expired_count += 1
            return None
        return record

    def put(self, digest: bytes, record: Record) -> None:
        old = self.records.get(digest)
        if old is None:
            if record.set_name:
                self.set_counts[record.set_name] = self.set_counts.get(record.set_name, 0) + 1
        self.records[digest] = record
        for index in self.indexes.values():
            if old is not None:
                index.remove(digest)
            index.add(digest, record)

    def delete(self, digest: bytes) -> bool:
        record = self.records.get(digest)
        if record is None:
            return False
        self._drop(digest, record)
        return True

    def _drop(self, digest: bytes, record: Record) -> None:
        del self.records[digest]
        if record.set_name:
            self.set_counts[record.set_name] -= 1
        for index in self.indexes.values():
            index.remove(digest)

    # -- secondary indexes ------------------------------------------------------------------------

    def create_index(self, definition) -> "SecondaryIndex":
        from .sindex import SecondaryIndex
        index = SecondaryIndex(definition)
        now = self.clock.now_cl()
        for digest, record in self.records.items():
            if not record.expired(now):
                index.add(digest, record)
        self.indexes[definition.name] = index
        return index

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
        dead = [(d, r) for d, r in self.records.items() if r.expired(now)]
        for digest, record in dead:
            self._drop(digest, record)
        self.expired_count += len(dead)
        return len(dead)

    # -- truncation -------------------------------------------------------------------------------

    def truncate(self, set_name: str | None, lut_ns: int) -> int:
        """Delete records (of one set, or all) last updated at or before `lut_ns`."""
        doomed = [(d, r) for d, r in self.records.items()
                  if (set_name is None or r.set_name == set_name) and r.last_update_ns <= lut_ns]
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
