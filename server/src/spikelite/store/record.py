"""One stored record, packed into a single bytes object.

A Python object per bin (a tuple, a bytes value, a name) costs far more memory than the data, so a
record keeps its metadata and bins in one `bytes`: a 16-byte header (generation, void time,
last-update time, bin count) followed by the bins encoded exactly as READ ops of an AS_MSG
reply. A read of all bins sends those bytes as they are; `bins` decodes them into a dict for
everything else. Records are immutable: a write builds a new one.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Mapping

#: Generation counts 1..65535 and then wraps to 1 (the server keeps 16 bits).
MAX_GENERATION = 0xFFFF

_HEADER = struct.Struct(">HIQH")  # generation, void time, last-update ns, bin count
_HEADER_SIZE = _HEADER.size
_OP = struct.Struct(">IBBBB")  # op size, op (READ), particle type, flags, name length
_U32 = struct.Struct(">I")
_VOID_TIME_AT = 2  # offset of the void time in the header
_READ = 1


def encode_bin_ops(bins: dict[str, tuple[int, bytes]]) -> bytes:
    parts = []
    for name, (ptype, value) in bins.items():
        raw_name = name.encode()
        parts.append(_OP.pack(4 + len(raw_name) + len(value), _READ, ptype, 0, len(raw_name)))
        parts.append(raw_name)
        parts.append(value)
    return b"".join(parts)


def decode_bin_ops(data: bytes, offset: int = 0) -> dict[str, tuple[int, bytes]]:
    bins = {}
    pos, end = offset, len(data)
    while pos < end:
        size, _op, ptype, _flags, name_len = _OP.unpack_from(data, pos)
        name_end = pos + 8 + name_len
        bins[sys.intern(data[pos + 8:name_end].decode())] = (ptype, data[name_end:pos + 4 + size])
        pos += 4 + size
    return bins


def find_bin(data: bytes, offset: int, raw_name: bytes) -> tuple[int, bytes] | None:
    """(particle type, raw bytes) of the bin named `raw_name` in encoded bin ops, without decoding
    the other bins; None when there is no such bin."""
    return _find(data, offset, bytes((len(raw_name),)) + raw_name) if len(raw_name) < 256 else None


def _find(data: bytes, offset: int, key: bytes) -> tuple[int, bytes] | None:
    # key: the name-length byte then the name, as they stand at +7 in an op
    pos, end, n = offset, len(data), len(key)
    unpack = _U32.unpack_from
    while pos < end:
        (size,) = unpack(data, pos)
        if data[pos + 7:pos + 7 + n] == key:
            return data[pos + 5], data[pos + 7 + n:pos + 4 + size]
        pos += 4 + size
    return None


#: find keys of bin names (bounded): name -> name-length byte + UTF-8 name, or None for no valid name
_KEYS: dict = {}
_KEYS_MAX = 4096


def _key_of(name):
    key = _KEYS.get(name, _MISSING)
    if key is _MISSING:
        raw = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else b""
        key = bytes((len(raw),)) + raw if 0 < len(raw) < 256 else None
        if len(_KEYS) < _KEYS_MAX:
            _KEYS[name] = key
    return key


_MISSING = object()


class LazyBins(Mapping):
    """A read-only view of a record's bins that decodes a bin only when it is asked for (a filter
    expression reading one bin of a large record decodes that bin alone). `get` answers the same
    tuple object for the same name every time."""

    __slots__ = ("_blob", "_name", "_hit", "_more")

    def __init__(self, record: "Record"):
        self._blob = record._blob
        self._name = _MISSING  # the first bin asked for and its answer; the others in _more
        self._hit = None
        self._more = None

    def get(self, name, default=None):
        if name == self._name:
            hit = self._hit
        else:
            more = self._more
            hit = more.get(name, _MISSING) if more is not None else _MISSING
            if hit is _MISSING:
                key = _key_of(name)
                hit = _find(self._blob, _HEADER_SIZE, key) if key is not None else None
                if self._name is _MISSING:
                    self._name, self._hit = name, hit
                else:
                    if more is None:
                        more = self._more = {}
                    more[name] = hit
        return default if hit is None else hit

    def __getitem__(self, name):
        hit = self.get(name)
        if hit is None:
            raise KeyError(name)
        return hit

    def __contains__(self, name) -> bool:
        return self.get(name) is not None

    def __iter__(self):
        return iter(decode_bin_ops(self._blob, _HEADER_SIZE))

    def __len__(self) -> int:
        return _HEADER.unpack_from(self._blob)[3]


class Record:
    """Bins (name → (particle type, raw bytes), in write order) plus metadata."""

    __slots__ = ("_blob", "key", "set_name")

    def __init__(self, bins: dict[str, tuple[int, bytes]], generation: int, void_time: int,
                 last_update_ns: int, key: bytes | None, set_name: str | None):
        self._blob = _HEADER.pack(generation, void_time, last_update_ns, len(bins)) + encode_bin_ops(bins)
        self.key = key  # KEY field data (type byte + key bytes) when the client sent it
        self.set_name = sys.intern(set_name) if set_name else set_name

    @classmethod
    def from_ops(cls, ops: bytes, count: int, generation: int, void_time: int, last_update_ns: int,
                 key: bytes | None, set_name: str | None) -> "Record":
        """A record whose `count` bins are `ops`, already encoded as READ ops (distinct names)."""
        self = cls.__new__(cls)
        self._blob = _HEADER.pack(generation, void_time, last_update_ns, count) + ops
        self.key = key
        self.set_name = sys.intern(set_name) if set_name else set_name
        return self

    @property
    def bins(self) -> dict[str, tuple[int, bytes]]:
        """A fresh dict of the bins (changing it does not change the record)."""
        return decode_bin_ops(self._blob, _HEADER_SIZE)

    def bin_names(self) -> list[str]:
        """The bin names, in order."""
        data = self._blob
        names = []
        pos, end = _HEADER_SIZE, len(data)
        while pos < end:
            size, _op, _ptype, _flags, name_len = _OP.unpack_from(data, pos)
            names.append(data[pos + 8:pos + 8 + name_len].decode())
            pos += 4 + size
        return names

    @property
    def generation(self) -> int:
        return _HEADER.unpack_from(self._blob)[0]

    @property
    def void_time(self) -> int:
        return _HEADER.unpack_from(self._blob)[1]

    @property
    def last_update_ns(self) -> int:
        return _HEADER.unpack_from(self._blob)[2]

    @property
    def bin_count(self) -> int:
        return _HEADER.unpack_from(self._blob)[3]

    def lazy_bins(self) -> LazyBins:
        """The bins as a view decoding each bin on first use (see LazyBins)."""
        return LazyBins(self)

    def reply_parts(self) -> tuple[int, int, int, bytes]:
        """(generation, void time, bin count, encoded bins): what a reply carrying every bin needs,
        from one read of the header."""
        generation, void_time, _lut, count = _HEADER.unpack_from(self._blob)
        return generation, void_time, count, self._blob[_HEADER_SIZE:]

    def encoded_bins(self) -> tuple[int, bytes]:
        """(bin count, the bins as encoded READ ops) — ready to send as a reply's ops."""
        return _HEADER.unpack_from(self._blob)[3], self._blob[_HEADER_SIZE:]

    def expired(self, now_cl: int) -> bool:
        """A record lives through the whole second of its void time (as the server compares)."""
        (void_time,) = _U32.unpack_from(self._blob, _VOID_TIME_AT)
        return void_time != 0 and void_time < now_cl

    def size(self) -> int:
        """Approximate stored size in bytes (used for the record-size limit)."""
        return 48 + len(self._blob) + len(self.key or b"")


def next_generation(generation: int) -> int:
    return generation + 1 if generation < MAX_GENERATION else 1
