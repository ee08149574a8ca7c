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


def iter_records(body: bytes, decoder, op_value, versions: bool = False):
    """Every message of a reply body, in one pass and without an object per message: tuples
    (info3, result_code, generation, void_time, index, digest, set_name, key, bval, bins), and
    with `versions` an 11th item: the record-version field of a transaction's read, or None."""
    header = _HEADER.unpack_from
    field = _FIELD.unpack_from
    op = _OP.unpack_from
    i64 = _I64.unpack_from
    names = _names
    particle = decoder.particle
    pos, end = 0, len(body)
    while pos < end:
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
        if versions:
            yield info3, result, generation, void_time, index, digest, set_name, key, bval, bins, version
        else:
            yield info3, result, generation, void_time, index, digest, set_name, key, bval, bins
