"""Fast decoding of the record messages that scans, queries and batches stream back.

A 10,000-record query reply is 10,000 AS_MSGs; decoding each through `parse_message` builds a
Message, Op objects and a field list that are thrown away at once. This reads just what a result
needs — header values, the digest/set/key fields, the bins straight into a dict — with fast paths
for the common integer and string bins.
"""

from __future__ import annotations

import struct

from spikewire import FieldType, ParticleType
from spikewire.results import MalformedMessage

_HEADER = struct.Struct(">BBBBBBIIIHH")
_FIELD = struct.Struct(">IB")
_OP = struct.Struct(">IBBBB")
_I64 = struct.Struct(">q")
_INTEGER = ParticleType.INTEGER
_STRING = ParticleType.STRING
_MAP = ParticleType.MAP
_BVAL = FieldType.BVAL_ARRAY
_VERSION = FieldType.RECORD_VERSION
_names: dict[bytes, str] = {}
#: A big-endian u32 field value (socket timeout, records per second) of a stream request.
U32 = struct.Struct(">I")


class Stop(Exception):
    """A foreach callback returned False: the stream ends early (scan, query, aggregation)."""


_DIGEST, _SET, _KEY = FieldType.DIGEST, FieldType.SET, FieldType.KEY
_ABSENT = object()


class Layout:
    """The exact shape of one record message — the sizes, types and set name of its fields, the
    sizes, particle types and names of its bins — so that a record of the same shape is read
    with one `unpack_from` of just its values. Before any value is used the record's bytes outside
    the values (`mask`) are compared with the shape's (`expected`): sizes decide where every item
    lies, so equal bytes there mean the values were read from their true places."""

    __slots__ = ("unpack", "size", "mask", "expected", "digest", "set_name", "key", "bval", "version",
                 "bins_at", "names", "strings", "others")

    def __init__(self, body: bytes, pos: int, end: int):
        """The layout of the record message at `pos` (a message that overruns `end`, has sizes
        that contradict each other or names a bin twice raises MalformedMessage: such messages
        are read field by field)."""
        fmt = [">3xBxBIII4x"]  # info3, result, generation, void_time, index (transaction_ttl)
        values = [(0, 1), (1, 1), (6, 4), (10, 4), (14, 4)]  # (offset, length) of each value item
        n_fields, n_ops = _HEADER.unpack_from(body, pos)[9:]
        item = 5
        at = pos + 22
        self.digest = self.key = self.bval = self.version = -1
        self.set_name: str | None = None
        for _ in range(n_fields):
            if at + 5 > end:
                raise MalformedMessage("record message overruns its proto")
            size, ftype = _FIELD.unpack_from(body, at)
            if size < 1:
                raise MalformedMessage("record field of size 0")
            if ftype == _DIGEST or ftype == _KEY or ftype == _VERSION or (ftype == _BVAL and size >= 9):
                fmt.append("5x%ds" % (size - 1))
                values.append((at + 5 - pos, size - 1))
                if ftype == _DIGEST:
                    self.digest = item
                elif ftype == _KEY:
                    self.key = item
                elif ftype == _VERSION:
                    self.version = item
                else:
                    self.bval = item
                item += 1
            else:
                fmt.append("%dx" % (4 + size))
                if ftype == _SET:
                    self.set_name = _name(bytes(body[at + 5:at + 4 + size]))
            at += 4 + size
        self.bins_at = item
        names = []
        strings = []
        others = []
        for _ in range(n_ops):
            if at + 8 > end:
                raise MalformedMessage("record message overruns its proto")
            size, _op, ptype, _flags, name_len = _OP.unpack_from(body, at)
            value_len = size - 4 - name_len
            if value_len < 0:
                raise MalformedMessage("bin name overruns its op")
            name = _name(bytes(body[at + 8:at + 8 + name_len]))
            if name in names:
                raise MalformedMessage("a bin named twice")  # (not wrong, but not for a layout)
            names.append(name)
            values.append((at + 8 + name_len - pos, value_len))
            if ptype == _INTEGER and value_len == 8:
                fmt.append("%dxq" % (8 + name_len))
            else:
                fmt.append("%dx%ds" % (8 + name_len, value_len))
                if ptype == _STRING:
                    strings.append(name)
                else:
                    others.append((name, ptype))
            at += 4 + size
        if at > end:
            raise MalformedMessage("record message overruns its proto")
        compiled = struct.Struct("".join(fmt))
        if compiled.size != at - pos:
            raise MalformedMessage("record layout of the wrong size")
        self.unpack = compiled.unpack_from
        self.size = compiled.size
        mask = bytearray(b"\xff") * self.size
        for offset, length in values:
            mask[offset:offset + length] = bytes(length)
        self.mask = int.from_bytes(mask, "big")
        self.expected = int.from_bytes(body[pos:at], "big") & self.mask
        self.names = tuple(names)
        self.strings = tuple(strings)
        self.others = tuple(others)


def _name(raw: bytes) -> str:
    """A bin or set name, interned (one str per distinct name)."""
    name = _names.get(raw)
    if name is None:
        name = _names[raw] = raw.decode()
    return name


#: The layout of the last record read without one: the first guess for the next call's records
#: (every call of one workload usually reads records of one shape). A guess is always checked.
_last_layout: list = [None]
#: A call stops trying layouts after this many records that did not match (records of varying
#: shape, such as strings of many lengths, are read field by field).
_MAX_MISSES = 16


def iter_records(body: bytes, decoder, op_value, versions: bool = False, layouts: bool = True):
    """Every message of a reply body, in one pass and without an object per message: tuples
    (info3, result_code, generation, void_time, index, digest, set_name, key, bval, bins), and
    with `versions` an 11th item: the record-version field of a transaction's read, or None.

    A record of the same shape as the one before is read through its `Layout` (one unpack);
    any other field by field (every record with `layouts` False)."""
    header = _HEADER.unpack_from
    field = _FIELD.unpack_from
    op = _OP.unpack_from
    i64 = _I64.unpack_from
    names = _names
    particle = decoder.particle
    pos, end = 0, len(body)
    layout = _last_layout[0] if layouts else None
    misses = 0 if layouts else _MAX_MISSES
    previous_shape = None
    from_bytes = int.from_bytes
    while pos < end:
        if layout is not None:
            size = layout.size
            if pos + size <= end and from_bytes(body[pos:pos + size], "big") & layout.mask == layout.expected:
                items = layout.unpack(body, pos)
                pos += size
                bins = dict(zip(layout.names, items[layout.bins_at:]))
                for name in layout.strings:
                    bins[name] = bins[name].decode("utf-8", "surrogateescape")
                for name, ptype in layout.others:
                    bins[name] = op_value(ptype, bins[name], decoder) if ptype == _MAP else particle(ptype, bins[name])
                digest = items[layout.digest] if layout.digest >= 0 else None
                key = items[layout.key] if layout.key >= 0 else None
                bval = int.from_bytes(items[layout.bval][:8], "little") if layout.bval >= 0 else 0
                if versions:
                    yield (items[0], items[1], items[2], items[3], items[4], digest, layout.set_name, key, bval,
                           bins, items[layout.version] if layout.version >= 0 else None)
                else:
                    yield items[0], items[1], items[2], items[3], items[4], digest, layout.set_name, key, bval, bins
                continue
            misses += 1
            layout = None
        start = pos
        if end - pos < 22:
            raise MalformedMessage("record message shorter than its header")
        _size, _i1, _i2, info3, _i4, result, generation, void_time, index, n_fields, n_ops = header(body, pos)
        pos += 22
        digest = set_name = key = version = None
        bval = 0
        for _ in range(n_fields):
            size, ftype = field(body, pos)
            if ftype == _DIGEST:
                digest = body[pos + 5:pos + 4 + size]
            elif ftype == _SET:
                set_name = names.get(body[pos + 5:pos + 4 + size], _ABSENT)
                if set_name is _ABSENT:
                    raw = body[pos + 5:pos + 4 + size]
                    set_name = names[raw] = raw.decode()
            elif ftype == _KEY:
                key = body[pos + 5:pos + 4 + size]
            elif ftype == _VERSION:  # a transaction's read: the record version (7 bytes)
                version = body[pos + 5:pos + 4 + size]
            elif ftype == _BVAL and size >= 9:  # a secondary-index query's resume value, little-endian
                bval = int.from_bytes(body[pos + 5:pos + 13], "little")
            pos += 4 + size
        bins = {}
        for _ in range(n_ops):
            size, _op, ptype, _flags, name_len = op(body, pos)
            name_end = pos + 8 + name_len
            raw_name = body[pos + 8:name_end]
            name = names.get(raw_name)
            if name is None:
                name = names[raw_name] = raw_name.decode()
            value_end = pos + 4 + size
            if ptype == _INTEGER and value_end - name_end == 8:
                bins[name] = i64(body, name_end)[0]
            elif ptype == _STRING:
                bins[name] = body[name_end:value_end].decode("utf-8", "surrogateescape")
            elif ptype == _MAP:
                bins[name] = op_value(ptype, body[name_end:value_end], decoder)
            else:
                bins[name] = particle(ptype, body[name_end:value_end])
            pos = value_end
        if pos > end:
            raise MalformedMessage("record message overruns its proto")
        if n_ops and misses < _MAX_MISSES:
            # A record with bins of the same size as the one before: the shape likely repeats.
            shape = (n_fields, n_ops, pos - start)
            if shape == previous_shape:
                try:
                    layout = _last_layout[0] = Layout(body, start, end)
                except MalformedMessage:
                    misses = _MAX_MISSES
            previous_shape = shape
        if versions:
            yield info3, result, generation, void_time, index, digest, set_name, key, bval, bins, version
        else:
            yield info3, result, generation, void_time, index, digest, set_name, key, bval, bins
