"""One stored record, packed into a single bytes object.

A Python object per bin (a tuple, a bytes value, a name) costs far more memory than the data, so a
record keeps its metadata and bins in one `bytes`, and a namespace holds nothing else per record
but that and its digest: a 16-byte header (generation, void time, last-update time, bin count),
the set (an id), the key, then the bins encoded exactly as READ ops of an AS_MSG reply. A read of
all bins sends those bytes as they are; `bins` decodes them into a dict for everything else.
`Record` is a view of such bytes. Records are immutable: a write builds a new one.
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
        self._blob = record.blob
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
                hit = _find(self._blob, bins_at(self._blob), key) if key is not None else None
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
        return iter(decode_bin_ops(self._blob, bins_at(self._blob)))

    def __len__(self) -> int:
        return _HEADER.unpack_from(self._blob)[3]


#: Set names by id (id 0: no set). A record stores its set's id (2 bytes), not the name; past
#: _SET_IDS_MAX distinct names a record carries its set's name itself (id _INLINE_SET).
_SET_NAMES: list = [None]
_SET_IDS: dict = {}
_SET_IDS_MAX = 0xFFF0
_INLINE_SET = 0xFFFF
_U16 = struct.Struct(">H")
_SET_AT = _HEADER_SIZE  # the set id follows the header
_NO_KEY, _HAS_KEY = 0, 1


def _meta(generation: int, void_time: int, last_update_ns: int, count: int, key: bytes | None,
          set_name: str | None) -> bytes:
    """A stored record's bytes before its bins: header, set id, key."""
    if set_name is None:
        set_part = b"\0\0"
    else:
        set_id = _SET_IDS.get(set_name)
        if set_id is None:
            if len(_SET_NAMES) < _SET_IDS_MAX:
                set_id = _SET_IDS[set_name] = len(_SET_NAMES)
                _SET_NAMES.append(sys.intern(set_name))
            else:
                raw = set_name.encode("utf-8", "surrogatepass")
                set_id = _INLINE_SET
        set_part = _U16.pack(set_id) if set_id != _INLINE_SET else _U16.pack(_INLINE_SET) + _U16.pack(len(raw)) + raw
    key_part = b"\0" if key is None else b"\1" + _U32.pack(len(key)) + key
    return _HEADER.pack(generation, void_time, last_update_ns, count) + set_part + key_part


def bins_at(blob: bytes) -> int:
    """Offset of the bins (encoded READ ops) in a stored record's bytes."""
    pos = _key_flag_at(blob)
    if blob[pos] == _NO_KEY:
        return pos + 1
    return pos + 5 + _U32.unpack_from(blob, pos + 1)[0]


class Record:
    """Bins (name → (particle type, raw bytes), in write order) plus metadata: a view of the stored
    bytes (`blob`). A namespace keeps only the bytes (`Record.of` views them again): one `bytes`
    object per record, which the garbage collector does not track. The bytes: a 16-byte header
    (generation, void time, last-update ns, bin count), the set's id (2 bytes; see _SET_NAMES),
    the key (a 0 byte, or 1, a 4-byte length and the KEY field data), then the bins as READ ops."""

    __slots__ = ("blob",)

    def __init__(self, bins: dict[str, tuple[int, bytes]], generation: int, void_time: int,
                 last_update_ns: int, key: bytes | None, set_name: str | None):
        # key: KEY field data (type byte + key bytes) when the client sent it
        self.blob = _meta(generation, void_time, last_update_ns, len(bins), key, set_name) + encode_bin_ops(bins)

    @classmethod
    def from_ops(cls, ops: bytes, count: int, generation: int, void_time: int, last_update_ns: int,
                 key: bytes | None, set_name: str | None) -> "Record":
        """A record whose `count` bins are `ops`, already encoded as READ ops (distinct names)."""
        self = cls.__new__(cls)
        self.blob = _meta(generation, void_time, last_update_ns, count, key, set_name) + ops
        return self

    @staticmethod
    def of(blob: bytes) -> "Record":
        """The record stored as `blob`."""
        self = _new_record(Record)
        self.blob = blob
        return self

    @property
    def set_name(self) -> str | None:
        blob = self.blob
        set_id = blob[_SET_AT] << 8 | blob[_SET_AT + 1]
        if set_id != _INLINE_SET:
            return _SET_NAMES[set_id]
        size = _U16.unpack_from(blob, _SET_AT + 2)[0]
        return blob[_SET_AT + 4:_SET_AT + 4 + size].decode("utf-8", "surrogatepass")

    @property
    def key(self) -> bytes | None:
        blob = self.blob
        pos = _key_flag_at(blob)
        if blob[pos] == _NO_KEY:
            return None
        return blob[pos + 5:pos + 5 + _U32.unpack_from(blob, pos + 1)[0]]

    def bin_names(self) -> list[str]:
        """The bin names, in order."""
        data = self.blob
        names = []
        pos, end = bins_at(data), len(data)
        while pos < end:
            size, _op, _ptype, _flags, name_len = _OP.unpack_from(data, pos)
            names.append(data[pos + 8:pos + 8 + name_len].decode())
            pos += 4 + size
        return names

    @property
    def bins(self) -> dict[str, tuple[int, bytes]]:
        """A fresh dict of the bins (changing it does not change the record)."""
        return decode_bin_ops(self.blob, bins_at(self.blob))

    @property
    def generation(self) -> int:
        return _HEADER.unpack_from(self.blob)[0]

    @property
    def void_time(self) -> int:
        return _HEADER.unpack_from(self.blob)[1]

    @property
    def last_update_ns(self) -> int:
        return _HEADER.unpack_from(self.blob)[2]

    @property
    def bin_count(self) -> int:
        return _HEADER.unpack_from(self.blob)[3]

    def lazy_bins(self) -> LazyBins:
        """The bins as a view decoding each bin on first use (see LazyBins)."""
        return LazyBins(self)

    def reply_parts(self) -> tuple[int, int, int, bytes]:
        """(generation, void time, bin count, encoded bins): what a reply carrying every bin needs,
        from one read of the header."""
        blob = self.blob
        generation, void_time, _lut, count = _HEADER.unpack_from(blob)
        return generation, void_time, count, blob[bins_at(blob):]

    def encoded_bins(self) -> tuple[int, bytes]:
        """(bin count, the bins as encoded READ ops) — ready to send as a reply's ops."""
        blob = self.blob
        return _HEADER.unpack_from(blob)[3], blob[bins_at(blob):]

    def expired(self, now_cl: int) -> bool:
        """A record lives through the whole second of its void time (as the server compares)."""
        return expired(self.blob, now_cl)

    def size(self) -> int:
        """Approximate stored size in bytes (used for the record-size limit): 64 bytes, the bins
        and the key."""
        blob = self.blob
        pos = _key_flag_at(blob)
        return 64 + len(blob) - pos - (1 if blob[pos] == _NO_KEY else 5)


_new_record = object.__new__


def _key_flag_at(blob: bytes) -> int:
    """Offset of the key's flag byte in a stored record's bytes (after the set id)."""
    if blob[_SET_AT] == 0xFF and blob[_SET_AT + 1] == 0xFF:
        return _SET_AT + 4 + _U16.unpack_from(blob, _SET_AT + 2)[0]
    return _SET_AT + 2


def select_ops(blob: bytes, start: int, names: list[bytes]) -> tuple[int, bytes]:
    """(count, encoded READ ops) of the bins named `names` (UTF-8, in that order, a name asked
    twice answered twice, missing ones left out) of the record stored as `blob`, its bins at
    `start`: the stored ops themselves, nothing decoded."""
    found = {}
    pos, end = start, len(blob)
    unpack = _OP.unpack_from
    while pos < end:
        size, _op, _ptype, _flags, name_len = unpack(blob, pos)
        stop = pos + 4 + size
        found[blob[pos + 8:pos + 8 + name_len]] = blob[pos:stop]
        pos = stop
    parts = [found[name] for name in names if name in found]
    return len(parts), b"".join(parts)


def set_name_of(blob: bytes) -> str | None:
    """The set name of the record stored as `blob` (Record.set_name without a view)."""
    set_id = blob[_SET_AT] << 8 | blob[_SET_AT + 1]
    return _SET_NAMES[set_id] if set_id != _INLINE_SET else Record.of(blob).set_name


def reply_meta(blob: bytes) -> tuple[int, int, int, str | None, bytes | None, int]:
    """(generation, void time, bin count, set name, key, offset of the bins) of the record stored
    as `blob`: what a scan's reply needs, in one call."""
    generation, void_time, _lut, count = _HEADER.unpack_from(blob)
    set_id = blob[_SET_AT] << 8 | blob[_SET_AT + 1]
    if set_id == _INLINE_SET:
        record = Record.of(blob)
        return generation, void_time, count, record.set_name, record.key, bins_at(blob)
    if blob[_SET_AT + 2] == _NO_KEY:
        return generation, void_time, count, _SET_NAMES[set_id], None, _SET_AT + 3
    end = _SET_AT + 7 + _U32.unpack_from(blob, _SET_AT + 3)[0]
    return generation, void_time, count, _SET_NAMES[set_id], blob[_SET_AT + 7:end], end


def void_time_of(blob: bytes) -> int:
    """The void time of the record stored as `blob` (0: it never expires)."""
    return _U32.unpack_from(blob, _VOID_TIME_AT)[0]


def expired(blob: bytes, now_cl: int) -> bool:
    """Whether the record stored as `blob` has expired (see Record.expired)."""
    (void_time,) = _U32.unpack_from(blob, _VOID_TIME_AT)
    return void_time != 0 and void_time < now_cl


def next_generation(generation: int) -> int:
    return generation + 1 if generation < MAX_GENERATION else 1
