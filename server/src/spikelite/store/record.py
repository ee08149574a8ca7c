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

#: Generation counts 1..65535 and then wraps to 1 (the server keeps 16 bits).
MAX_GENERATION = 0xFFFF

_HEADER = struct.Struct(">HIQH")  # generation, void time, last-update ns, bin count
_HEADER_SIZE = _HEADER.size
_OP = struct.Struct(">IBBBB")  # op size, op (READ), particle type, flags, name length
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


class Record:
    """Bins (name → (particle type, raw bytes), in write order) plus metadata."""

    __slots__ = ("_blob", "key", "set_name")

    def __init__(self, bins: dict[str, tuple[int, bytes]], generation: int, void_time: int,
                 last_update_ns: int, key: bytes | None, set_name: str | None):
        self._blob = _HEADER.pack(generation, void_time, last_update_ns, len(bins)) + encode_bin_ops(bins)
        self.key = key  # KEY field data (type byte + key bytes) when the client sent it
        self.set_name = sys.intern(set_name) if set_name else set_name

    @property
    def bins(self) -> dict[str, tuple[int, bytes]]:
        """A fresh dict of the bins (changing it does not change the record)."""
        return decode_bin_ops(self._blob, _HEADER_SIZE)

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

    def encoded_bins(self) -> tuple[int, bytes]:
        """(bin count, the bins as encoded READ ops) — ready to send as a reply's ops."""
        return _HEADER.unpack_from(self._blob)[3], self._blob[_HEADER_SIZE:]

    def expired(self, now_cl: int) -> bool:
        """A record lives through the whole second of its void time (as the server compares)."""
        void_time = _HEADER.unpack_from(self._blob)[1]
        return void_time != 0 and void_time < now_cl

    def size(self) -> int:
        """Approximate stored size in bytes (used for the record-size limit)."""
        return 48 + len(self._blob) + len(self.key or b"")


def next_generation(generation: int) -> int:
    return generation + 1 if generation < MAX_GENERATION else 1
