"""The batch-index command: many single-record sub-commands in one request, answered as a stream.

Parent message: info1 BATCH, field BATCH_INDEX (41, or the older 42) holding
`[n_rows:4][parent flags:1]` then rows `[index:4][digest:20][row flags:1]...`; a REPEAT row reuses the
previous row's namespace, set, flags and ops. Each row runs as the single-record command it
describes; its reply is an AS_MSG carrying the row index in `transaction_ttl`. Replies are packed
into proto messages and the stream ends with a LAST marker.
"""

from __future__ import annotations

import struct

from ..wire import DIGEST_SIZE, AerospikeWireError, FieldType, Info1, Info3, MalformedMessage, Message, ResultCode
from ..wire.message import parse_fields, parse_ops
from ..wire.framing import ProtoType, frame

# parent flags
INLINE_IN_MEMORY = 0x01
INLINE_ON_DEVICE = 0x02
REPORT_ALL_ERRORS = 0x04
REPORT_ERROR_RECORD = 0x08
# row flags
ROW_REPEAT = 0x01
ROW_EXTRA_INFO = 0x02
ROW_GENERATION = 0x04
ROW_TTL = 0x08
ROW_INFO4 = 0x10

_U32 = struct.Struct(">I")
_U16 = struct.Struct(">H")
#: Row results that never stop a batch.
_BENIGN = frozenset({ResultCode.OK, ResultCode.KEY_NOT_FOUND, ResultCode.FILTERED_OUT})
#: Reply protos are cut at about this size.
_CHUNK = 128 * 1024


class _Row:
    __slots__ = ("index", "digest", "info1", "info2", "info3", "info4", "generation", "ttl", "fields", "ops")


def parse_rows(payload: bytes, parent: Message) -> tuple[int, list[_Row]]:
    """(parent flags, rows) of a BATCH_INDEX field."""
    if len(payload) < 5:
        raise AerospikeWireError(ResultCode.PARAMETER, "batch field shorter than its header")
    (count,) = _U32.unpack_from(payload)
    flags = payload[4]
    pos, end = 5, len(payload)
    rows: list[_Row] = []
    previous: _Row | None = None
    previous_has_key = False
    for _ in range(count):
        if end - pos < 25:
            raise AerospikeWireError(ResultCode.PARAMETER, "truncated batch row")
        row = _Row()
        (row.index,) = _U32.unpack_from(payload, pos)
        row.digest = bytes(payload[pos + 4:pos + 4 + DIGEST_SIZE])
        row_flags = payload[pos + 24]
        pos += 25
        if row_flags & ROW_REPEAT:
            if previous is None:
                raise AerospikeWireError(ResultCode.PARAMETER, "first batch row cannot repeat")
            if previous_has_key:
                raise AerospikeWireError(ResultCode.PARAMETER, "batch must not repeat key")
            row.info1, row.info2, row.info3, row.info4 = previous.info1, previous.info2, previous.info3, previous.info4
            row.generation, row.ttl, row.fields, row.ops = previous.generation, previous.ttl, previous.fields, previous.ops
            rows.append(row)
            continue
        need = 1 + (2 if row_flags & ROW_EXTRA_INFO else 0) + (1 if row_flags & ROW_INFO4 else 0) \
            + (2 if row_flags & ROW_GENERATION else 0) + (4 if row_flags & ROW_TTL else 0) + 4
        if end - pos < need:
            raise AerospikeWireError(ResultCode.PARAMETER, "truncated batch row header")
        row.info1 = payload[pos]
        pos += 1
        row.info2, row.info3, row.info4 = 0, parent.info3 & (Info3.SC_READ_TYPE | Info3.SC_READ_RELAX), 0
        if row_flags & ROW_EXTRA_INFO:
            row.info2, row.info3 = payload[pos], payload[pos + 1]
            pos += 2
        if row_flags & ROW_INFO4:
            row.info4 = payload[pos]
            pos += 1
        row.generation = 0
        if row_flags & ROW_GENERATION:
            (row.generation,) = _U16.unpack_from(payload, pos)
            pos += 2
        row.ttl = 0
        if row_flags & ROW_TTL:
            (row.ttl,) = _U32.unpack_from(payload, pos)
            pos += 4
        n_fields, n_ops = _U16.unpack_from(payload, pos)[0], _U16.unpack_from(payload, pos + 2)[0]
        pos += 4
        try:
            row.fields, pos = parse_fields(payload, pos, end, n_fields or 1)  # very old clients send 0
            row.ops, pos = parse_ops(payload, pos, end, n_ops)
        except MalformedMessage as exc:
            raise AerospikeWireError(ResultCode.PARAMETER, "batch row: %s" % exc) from None
        rows.append(row)
        previous = row
        previous_has_key = any(ftype == FieldType.KEY for ftype, _ in row.fields)
    return flags, rows


_REPLY_HEADER = struct.Struct(">BBBBBBIIIHH")  # an AS_MSG header, as Message.encode writes it
_READ_ALL = Info1.READ | Info1.GET_ALL
_PLAIN_READ_FIELDS = frozenset({FieldType.NAMESPACE, FieldType.SET, FieldType.DIGEST})


def _plain_read(row: _Row) -> bytes | None:
    """The namespace of a row reading all bins of its record and nothing else (no ops, no
    filter, no key to compare), else None."""
    if row.info1 != _READ_ALL or row.info2 or row.info4 or row.ops:
        return None
    namespace = None
    for ftype, data in row.fields:
        if ftype not in _PLAIN_READ_FIELDS:
            return None
        if ftype == FieldType.NAMESPACE:
            namespace = data
    return namespace


def execute_batch(parent: Message, execute_single, read_all=None) -> list[bytes]:
    """Reply protos for a batch parent message; `execute_single(msg)` runs one sub-command.
    `read_all(namespace, digest, read touch percent)`, when given, answers a row that reads all bins
    of its record and nothing else: (generation, void time, bin count, encoded bins) of the record,
    a result code, or None to run the row through `execute_single` after all; its reply is encoded
    as `execute_single`'s would be."""
    payload = parent.field(FieldType.BATCH_INDEX)
    if payload is None:
        payload = parent.field(FieldType.BATCH_INDEX_WITH_SET)
    try:
        if payload is None:
            raise AerospikeWireError(ResultCode.PARAMETER, "batch without a batch field")
        flags, rows = parse_rows(payload, parent)
    except AerospikeWireError as exc:
        return [Message(info3=Info3.LAST, result_code=exc.code).to_proto()]
    parent_filter = parent.field(FieldType.FILTER_EXPRESSION)
    if parent_filter is not None:
        from ..expressions import compile_filter
        try:
            compile_filter(parent_filter)  # a bad batch filter fails the whole batch
        except AerospikeWireError as exc:
            return [Message(info3=Info3.LAST, result_code=exc.code).to_proto()]
    protos: list[bytes] = []
    chunk: list[bytes] = []
    size = 0
    final_code = ResultCode.OK
    plain_fields, plain_namespace = None, None
    for row in rows:
        if read_all is not None and parent_filter is None:
            if row.fields is not plain_fields:  # repeat rows share their fields: decided once
                plain_fields, plain_namespace = row.fields, _plain_read(row)
            found = read_all(plain_namespace, row.digest, row.ttl) if plain_namespace is not None else None
            if found is not None:
                if isinstance(found, int):  # not found (benign: every batch goes on past it)
                    encoded = _REPLY_HEADER.pack(22, 0, 0, 0, 0, found, 0, 0, row.index, 0, 0)
                else:
                    generation, void_time, count, ops = found
                    encoded = _REPLY_HEADER.pack(22, 0, 0, 0, 0, 0, generation, void_time, row.index, 0,
                                                 count) + ops
                chunk.append(encoded)
                size += len(encoded)
                if size >= _CHUNK:
                    protos.append(frame(ProtoType.AS_MSG, b"".join(chunk)))
                    chunk, size = [], 0
                continue
        fields = [(t, d) for t, d in row.fields if t != FieldType.DIGEST]
        fields.append((FieldType.DIGEST, row.digest))
        if parent_filter is not None and not any(t == FieldType.FILTER_EXPRESSION for t, _ in fields):
            fields.append((FieldType.FILTER_EXPRESSION, parent_filter))
        msg = Message(row.info1, row.info2, row.info3, row.info4, 0, row.generation, row.ttl,
                      parent.transaction_ttl, fields, row.ops)
        reply = execute_single(msg)
        reply.transaction_ttl = row.index
        reply.fields = [(t, d) for t, d in reply.fields if t == FieldType.RECORD_VERSION]
        stop = reply.result_code not in _BENIGN and not flags & REPORT_ALL_ERRORS
        if not stop or flags & REPORT_ERROR_RECORD:
            encoded = reply.encode()
            chunk.append(encoded)
            size += len(encoded)
        if stop:
            final_code = reply.result_code
            break
        if size >= _CHUNK:
            protos.append(frame(ProtoType.AS_MSG, b"".join(chunk)))
            chunk, size = [], 0
    chunk.append(Message(info3=Info3.LAST, result_code=final_code).encode())
    protos.append(frame(ProtoType.AS_MSG, b"".join(chunk)))
    return protos
