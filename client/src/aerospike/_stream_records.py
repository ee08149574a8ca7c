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
_names: dict[bytes, str] = {}
#: A big-endian u32 field value (socket timeout, records per second) of a stream request.
U32 = struct.Struct(">I")


class Stop(Exception):
    """A foreach callback returned False: the stream ends early (scan, query, aggregation)."""


class StreamRecord:
    """One decoded message of a record stream."""

    __slots__ = ("info1", "info3", "result_code", "generation", "void_time", "index", "digest",
                 "set_name", "key", "bval", "bins")


def read_record(body: bytes, pos: int, end: int, decoder, op_value) -> tuple[StreamRecord, int]:
    """Decode the message at `pos` (bins with `decoder`; map results through `op_value(ptype, data, decoder)`)."""
    if end - pos < 22:
        raise MalformedMessage("record message shorter than its header")
    (_size, info1, _i2, info3, _i4, result, generation, void_time, index, n_fields,
     n_ops) = _HEADER.unpack_from(body, pos)
    record = StreamRecord()
    record.info1, record.info3, record.result_code = info1, info3, result
    record.generation, record.void_time, record.index = generation, void_time, index
    record.digest = record.set_name = record.key = None
    record.bval = 0
    pos += 22
    for _ in range(n_fields):
        size, ftype = _FIELD.unpack_from(body, pos)
        if ftype == FieldType.DIGEST:
            record.digest = body[pos + 5:pos + 4 + size]
        elif ftype == FieldType.SET:
            record.set_name = body[pos + 5:pos + 4 + size].decode()
        elif ftype == FieldType.KEY:
            record.key = body[pos + 5:pos + 4 + size]
        elif ftype == _BVAL and size >= 9:  # a secondary-index query's resume value, little-endian
            record.bval = int.from_bytes(body[pos + 5:pos + 13], "little")
        pos += 4 + size
    bins = {}
    for _ in range(n_ops):
        size, _op, ptype, _flags, name_len = _OP.unpack_from(body, pos)
        name_end = pos + 8 + name_len
        raw_name = body[pos + 8:name_end]
        name = _names.get(raw_name)
        if name is None:
            name = _names[raw_name] = raw_name.decode()
        value_end = pos + 4 + size
        if ptype == _INTEGER and value_end - name_end == 8:
            bins[name] = _I64.unpack_from(body, name_end)[0]
        elif ptype == _STRING:
            bins[name] = body[name_end:value_end].decode("utf-8", "surrogateescape")
        elif ptype == _MAP:
            bins[name] = op_value(ptype, body[name_end:value_end], decoder)
        else:
            bins[name] = decoder.particle(ptype, body[name_end:value_end])
        pos = value_end
    if pos > end:
        raise MalformedMessage("record message overruns its proto")
    record.bins = bins
    return record, pos
