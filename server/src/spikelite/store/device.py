"""The persistent storage engine of a `storage-engine device { file ... }` namespace.

Records live in one SQLite database (the configured `file`), written in WAL mode with
`synchronous=FULL`: every write, delete, truncate and index change is its own committed (fsynced)
transaction before the namespace changes in memory, so a reply is only sent for what is on disk.
Each record row carries a CRC32 of its content; a row that does not match, or a file SQLite cannot
read, stops the start with a `StorageError` instead of losing records silently.

The file is held with an exclusive lock while the namespace is open: a second server on the same
file fails to start. Why SQLite rather than LMDB: it is in the standard library (nothing to
install next to the official client), its WAL commit is a single fsync per write, and a torn
write after `kill -9` or a power cut is rolled back by its recovery, never half-applied.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import zlib
from dataclasses import asdict

from .record import Record

FORMAT_VERSION = 1
_BIN_HEAD = struct.Struct(">BBI")  # name length, particle type, value length

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    digest BLOB PRIMARY KEY, set_name TEXT, generation INTEGER NOT NULL, void_time INTEGER NOT NULL,
    last_update_ns INTEGER NOT NULL, key BLOB, bins BLOB NOT NULL, crc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS truncations (set_name TEXT PRIMARY KEY, lut_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sindexes (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS provisional (
    digest BLOB PRIMARY KEY, txn_id INTEGER NOT NULL, set_name TEXT, generation INTEGER,
    void_time INTEGER, last_update_ns INTEGER, key BLOB, bins BLOB, crc INTEGER
) WITHOUT ROWID;
"""


class StorageError(Exception):
    """The data file cannot be used (corrupt, foreign, locked, unwritable); the message says which."""


def encode_bins(bins: dict[str, tuple[int, bytes]]) -> bytes:
    parts = []
    for name, (ptype, value) in bins.items():
        raw = name.encode()
        parts.append(_BIN_HEAD.pack(len(raw), ptype, len(value)))
        parts.append(raw)
        parts.append(bytes(value))
    return b"".join(parts)


def decode_bins(data: bytes) -> dict[str, tuple[int, bytes]]:
    bins = {}
    pos, end = 0, len(data)
    while pos < end:
        if end - pos < _BIN_HEAD.size:
            raise ValueError("bin header cut short")
        name_len, ptype, value_len = _BIN_HEAD.unpack_from(data, pos)
        pos += _BIN_HEAD.size
        if end - pos < name_len + value_len:
            raise ValueError("bin cut short")
        name = data[pos:pos + name_len].decode()
        pos += name_len
        bins[name] = (ptype, data[pos:pos + value_len])
        pos += value_len
    return bins


def _crc(digest: bytes, set_name, generation: int, void_time: int, lut: int, key, bins: bytes) -> int:
    head = struct.pack(">IIq", generation, void_time, lut)
    crc = zlib.crc32(digest)
    crc = zlib.crc32((set_name or "").encode() + b"\0", crc)
    crc = zlib.crc32(head, crc)
    crc = zlib.crc32(b"\1" + key if key is not None else b"\0", crc)
    return zlib.crc32(bins, crc)


class DeviceStore:
    """One namespace's data file."""

    def __init__(self, path: str, namespace: str):
        self.path = path
        self.namespace = namespace
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise StorageError("data file %s: directory %s does not exist" % (path, directory))
        fresh = not os.path.exists(path) or os.path.getsize(path) == 0
        self._lock_fd = _lock(path)
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            self._unlock()
            raise StorageError("cannot open data file %s: %s" % (path, exc)) from None
        try:
            self._setup(fresh)
        except sqlite3.OperationalError as exc:
            self.close()
            if "locked" in str(exc):
                raise StorageError("data file %s is in use by another process" % path) from None
            raise StorageError("data file %s cannot be used: %s" % (path, exc)) from None
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StorageError("data file %s is corrupt or not a spikelite data file (%s); refusing to "
                               "start rather than lose its records" % (path, exc)) from None
        except StorageError:
            self.close()
            raise
        if fresh:
            _fsync_dir(directory)

    def _setup(self, fresh: bool) -> None:
        db = self.db
        db.execute("PRAGMA locking_mode=EXCLUSIVE")
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StorageError("data file %s: cannot switch to WAL journal (%s)" % (self.path, mode))
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN EXCLUSIVE")  # takes the file lock, kept until close (locking_mode)
        db.execute("COMMIT")
        if not fresh:
            check = db.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise sqlite3.DatabaseError("; ".join(row[0] for row in check[:3]))
        db.executescript(_SCHEMA)
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if not meta:
            self._transaction([("INSERT INTO meta VALUES (?, ?)", ("format", str(FORMAT_VERSION))),
                               ("INSERT INTO meta VALUES (?, ?)", ("namespace", self.namespace))])
        else:
            if meta.get("format") != str(FORMAT_VERSION):
                raise StorageError("data file %s has format %s, this spikelite reads %d"
                                   % (self.path, meta.get("format"), FORMAT_VERSION))
            if meta.get("namespace") != self.namespace:
                raise StorageError("data file %s holds namespace '%s', not '%s'"
                                   % (self.path, meta.get("namespace"), self.namespace))

    # -- loading ----------------------------------------------------------------------------------

    def load_records(self):
        """Yield (digest, Record) of every stored row; a row failing its checksum is a StorageError."""
        try:
            rows = self.db.execute("SELECT digest, set_name, generation, void_time, last_update_ns, key, "
                                   "bins, crc FROM records")
            for digest, set_name, generation, void_time, lut, key, bins, crc in rows:
                if _crc(digest, set_name, generation, void_time, lut, key, bins) != crc:
                    raise StorageError("data file %s is corrupt: record %s fails its checksum"
                                       % (self.path, bytes(digest).hex()))
                try:
                    decoded = decode_bins(bins)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise StorageError("data file %s is corrupt: record %s: %s"
                                       % (self.path, bytes(digest).hex(), exc)) from None
                yield bytes(digest), Record(decoded, generation, void_time, lut,
                                            bytes(key) if key is not None else None, set_name)
        except sqlite3.DatabaseError as exc:
            raise StorageError("data file %s is corrupt (%s); refusing to start rather than lose its "
                               "records" % (self.path, exc)) from None

    def load_truncations(self) -> dict[str | None, int]:
        try:
            luts = {(name or None): lut for name, lut in
                    self.db.execute("SELECT set_name, lut_ns FROM truncations")}
        except sqlite3.Error as exc:
            raise StorageError("data file %s is corrupt: truncation times: %s" % (self.path, exc)) from None
        if not all(isinstance(lut, int) for lut in luts.values()):
            raise StorageError("data file %s is corrupt: a truncation time is not a number" % self.path)
        return luts

    def load_index_definitions(self) -> list:
        from .sindex import IndexDefinition
        try:
            return [IndexDefinition(**json.loads(text)) for _, text in
                    self.db.execute("SELECT name, definition FROM sindexes ORDER BY rowid")]
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise StorageError("data file %s is corrupt: index definitions: %s" % (self.path, exc)) from None

    # -- writing ----------------------------------------------------------------------------------

    def _transaction(self, statements) -> None:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                if params and isinstance(params, list):
                    db.executemany(sql, params)
                else:
                    db.execute(sql, params)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    @staticmethod
    def _row(digest: bytes, record: Record) -> tuple:
        bins = encode_bins(record.bins)
        return (digest, record.set_name, record.generation, record.void_time, record.last_update_ns,
                record.key, bins, _crc(digest, record.set_name, record.generation, record.void_time,
                                       record.last_update_ns, record.key, bins))

    def put(self, digest: bytes, record: Record) -> None:
        self.db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        self._row(digest, record))

    def delete(self, digest: bytes) -> None:
        self.db.execute("DELETE FROM records WHERE digest = ?", (digest,))

    def delete_many(self, digests: list[bytes]) -> None:
        if digests:
            self._transaction([("DELETE FROM records WHERE digest = ?", [(d,) for d in digests])])

    def truncate(self, set_name: str | None, lut_ns: int, digests: list[bytes]) -> None:
        statements = [("INSERT OR REPLACE INTO truncations VALUES (?, ?)", (set_name or "", lut_ns))]
        if digests:
            statements.append(("DELETE FROM records WHERE digest = ?", [(d,) for d in digests]))
        self._transaction(statements)

    # -- transactions (provisional writes: see store.provisional) ---------------------------------

    def load_provisional(self):
        """Yield (digest, txn id, Record or None for a provisional delete, set name)."""
        try:
            rows = self.db.execute("SELECT digest, txn_id, set_name, generation, void_time, last_update_ns, "
                                   "key, bins, crc FROM provisional")
            for digest, txn_id, set_name, generation, void_time, lut, key, bins, crc in rows:
                txn_id &= (1 << 64) - 1
                if bins is None:
                    yield bytes(digest), txn_id, None, set_name
                    continue
                if _crc(digest, set_name, generation, void_time, lut, key, bins) != crc:
                    raise StorageError("data file %s is corrupt: provisional record %s fails its checksum"
                                       % (self.path, bytes(digest).hex()))
                yield bytes(digest), txn_id, Record(decode_bins(bins), generation, void_time, lut,
                                                    bytes(key) if key is not None else None, set_name), set_name
        except (sqlite3.DatabaseError, ValueError, UnicodeDecodeError) as exc:
            raise StorageError("data file %s is corrupt (%s); refusing to start rather than lose its "
                               "records" % (self.path, exc)) from None

    def put_provisional(self, digest: bytes, txn_id: int, record: Record | None, set_name) -> None:
        txn_id = txn_id - (1 << 64) if txn_id >= 1 << 63 else txn_id  # SQLite integers are signed
        if record is None:
            row: tuple = (digest, txn_id, set_name, None, None, None, None, None, None)
        else:
            row = (digest, txn_id) + self._row(digest, record)[1:]
        self.db.execute("INSERT OR REPLACE INTO provisional VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def drop_provisional(self, digest: bytes) -> None:
        self.db.execute("DELETE FROM provisional WHERE digest = ?", (digest,))

    def apply_provisional(self, digest: bytes, record: Record | None) -> None:
        """Roll one provisional write forward: the record (or its removal) and the end of the
        provisional row in one committed transaction, so a crash leaves one or the other."""
        statements = [("DELETE FROM provisional WHERE digest = ?", (digest,))]
        if record is None:
            statements.append(("DELETE FROM records WHERE digest = ?", (digest,)))
        else:
            statements.append(("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               self._row(digest, record)))
        self._transaction(statements)

    def save_index(self, definition) -> None:
        self.db.execute("INSERT OR REPLACE INTO sindexes VALUES (?, ?)",
                        (definition.name, json.dumps(asdict(definition))))

    def drop_index(self, name: str) -> None:
        self.db.execute("DELETE FROM sindexes WHERE name = ?", (name,))

    def wipe(self) -> None:
        """`cold-start-empty true`: start with no records (truncations and indexes stay)."""
        self.db.execute("DELETE FROM records")
        self.db.execute("DELETE FROM provisional")

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass
            self.db = None
        self._unlock()

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # after SQLite let go of the file: closing drops the flock
            self._lock_fd = None


def _lock(path: str) -> int | None:
    """An exclusive flock on the data file, held while it is open: one server per file."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no guard
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StorageError("cannot open data file %s: %s" % (path, exc.strerror)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StorageError("data file %s is in use by another process" % path) from None
    return fd


def _fsync_dir(directory: str) -> None:
    """Make a newly created file's directory entry durable too."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
