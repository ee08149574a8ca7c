"""AS_MSG: the 22-byte header, fields and operations of data commands (proto type 3)."""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import Iterator

from .framing import ProtoType, frame
from .results import MalformedMessage

MSG_HEADER_SIZE = 22
FIELD_HEADER_SIZE = 5
OP_HEADER_SIZE = 8
#: Longest bin name in bytes (server AS_BIN_NAME_MAX_SZ is 16 including the NUL).
MAX_BIN_NAME = 15

# header_sz, info1, info2, info3, info4, result, generation, record_ttl, transaction_ttl, n_fields, n_ops
_MSG_HEADER = struct.Struct(">BBBBBBIIIHH")
_FIELD_HEADER = struct.Struct(">IB")
_OP_HEADER = struct.Struct(">IBBBB")


# Header flag bits are plain ints (not IntFlag): they are tested on every request, and enum
# arithmetic costs more than the rest of the header handling.
class Info1:
    READ = 0x01
    GET_ALL = 0x02
    SHORT_QUERY = 0x04
    BATCH = 0x08
    XDR = 0x10
    GET_NO_BINS = 0x20
    READ_MODE_AP_ALL = 0x40
    COMPRESS_RESPONSE = 0x80


class Info2:
    WRITE = 0x01
    DELETE = 0x02
    GENERATION = 0x04
    GENERATION_GT = 0x08
    DURABLE_DELETE = 0x10
    CREATE_ONLY = 0x20
    RELAX_AP_LONG_QUERY = 0x40
    RESPOND_ALL_OPS = 0x80


class Info3:
    LAST = 0x01
    COMMIT_MASTER = 0x02
    PARTITION_DONE = 0x04
    UPDATE_ONLY = 0x08
    CREATE_OR_REPLACE = 0x10
    REPLACE_ONLY = 0x20
    SC_READ_TYPE = 0x40
    SC_READ_RELAX = 0x80


class Info4:
    MRT_VERIFY_READ = 0x01
    MRT_ROLL_FORWARD = 0x02
    MRT_ROLL_BACK = 0x04
    MRT_ON_LOCKING_ONLY = 0x10


class FieldType(IntEnum):
    NAMESPACE = 0
    SET = 1
    KEY = 2
    RECORD_VERSION = 3
    DIGEST = 4
    MRT_ID = 5
    MRT_DEADLINE = 6
    TRID = 7
    SOCKET_TIMEOUT = 9
    RECS_PER_SEC = 10
    PID_ARRAY = 11
    DIGEST_ARRAY = 12
    MAX_RECORDS = 13
    LUT = 14
    BVAL_ARRAY = 15
    INDEX_NAME = 21
    INDEX_RANGE = 22
    INDEX_CONTEXT = 23
    INDEX_EXPRESSION = 24
    INDEX_TYPE = 26
    UDF_FILENAME = 30
    UDF_FUNCTION = 31
    UDF_ARGLIST = 32
    UDF_OP = 33
    QUERY_BINLIST = 40
    BATCH_INDEX = 41
    BATCH_INDEX_WITH_SET = 42
    FILTER_EXPRESSION = 43


class OpType(IntEnum):
    READ = 1
    WRITE = 2
    CDT_READ = 3
    CDT_MODIFY = 4
    INCR = 5
    EXP_READ = 7
    EXP_MODIFY = 8
    APPEND = 9
    PREPEND = 10
    TOUCH = 11
    BIT_READ = 12
    BIT_MODIFY = 13
    DELETE = 14
    HLL_READ = 15
    HLL_MODIFY = 16
    # server 8.2+: string operations and the value-to-string conversion
    STRING_READ = 17
    STRING_MODIFY = 18
    TO_STRING = 19


#: Op codes the server treats as reads (everything else writes).
READ_OPS = frozenset({OpType.READ, OpType.CDT_READ, OpType.EXP_READ, OpType.BIT_READ, OpType.HLL_READ})


class Op:
    """One operation: op code, particle type, bin name and raw value bytes."""

    __slots__ = ("op", "particle_type", "name", "value")

    def __init__(self, op: int, particle_type: int = 0, name: str = "", value: bytes = b""):
        self.op = op
        self.particle_type = particle_type
        self.name = name
        self.value = value

    def __repr__(self) -> str:
        return "Op(%r, %r, %r, %r)" % (self.op, self.particle_type, self.name, self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Op) and (self.op, self.particle_type, self.name, self.value) == (
            other.op, other.particle_type, other.name, other.value)

    def encoded_size(self) -> int:
        return OP_HEADER_SIZE + len(self.name.encode("utf-8", "surrogateescape")) + len(self.value)


class Message:
    """An AS_MSG with its header values, fields ({type: bytes}, in order) and ops."""

    __slots__ = ("info1", "info2", "info3", "info4", "result_code", "generation", "record_ttl",
                 "transaction_ttl", "fields", "ops", "encoded_ops")

    def __init__(self, info1: int = 0, info2: int = 0, info3: int = 0, info4: int = 0,
                 result_code: int = 0, generation: int = 0, record_ttl: int = 0,
                 transaction_ttl: int = 0, fields: list[tuple[int, bytes]] | None = None,
                 ops: list[Op] | None = None):
        self.info1 = info1
        self.info2 = info2
        self.info3 = info3
        self.info4 = info4
        self.result_code = result_code
        self.generation = generation
        self.record_ttl = record_ttl
        self.transaction_ttl = transaction_ttl
        self.fields = fields if fields is not None else []
        self.ops = ops if ops is not None else []
        #: (count, bytes) of ops already in wire form, sent after `ops` (e.g. a stored record's bins)
        self.encoded_ops: tuple[int, bytes] | None = None

    def __repr__(self) -> str:
        return ("Message(info=%02x/%02x/%02x/%02x, result=%d, gen=%d, ttl=%d, tx_ttl=%d, fields=%r, ops=%r)"
                % (self.info1, self.info2, self.info3, self.info4, self.result_code, self.generation,
                   self.record_ttl, self.transaction_ttl, self.fields, self.ops))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.encode() == other.encode()

    def field(self, field_type: int) -> bytes | None:
        """Data of the first field of this type, or None."""
        for ftype, data in self.fields:
            if ftype == field_type:
                return data
        return None

    def encode(self) -> bytes:
        """The AS_MSG bytes (without proto header)."""
        extra_count, extra = self.encoded_ops or (0, b"")
        parts = [_MSG_HEADER.pack(MSG_HEADER_SIZE, self.info1, self.info2, self.info3, self.info4,
                                  self.result_code, self.generation & 0xFFFFFFFF,
                                  self.record_ttl & 0xFFFFFFFF, self.transaction_ttl & 0xFFFFFFFF,
                                  len(self.fields), len(self.ops) + extra_count)]
        for ftype, data in self.fields:
            parts.append(_FIELD_HEADER.pack(len(data) + 1, ftype))
            parts.append(data)
        parts.append(encode_ops(self.ops))
        parts.append(extra)
        return b"".join(parts)

    def to_proto(self) -> bytes:
        """The message framed as a complete proto type-3 message."""
        return frame(ProtoType.AS_MSG, self.encode())


def signed32(value: int) -> int:
    """Read an unsigned 32-bit header value as signed (TTL -1 / -2)."""
    return value - (1 << 32) if value & 0x80000000 else value


def parse_fields(buf: bytes | memoryview, pos: int, end: int, count: int) -> tuple[list[tuple[int, bytes]], int]:
    """`count` fields starting at `pos`: ([(type, data)], offset after them)."""
    fields = []
    unpack = _FIELD_HEADER.unpack_from
    copy = type(buf) is not bytes  # slices of bytes are bytes already
    for _ in range(count):
        if end - pos < FIELD_HEADER_SIZE:
            raise MalformedMessage("truncated field header")
        size, ftype = unpack(buf, pos)
        if size < 1 or pos + 4 + size > end:
            raise MalformedMessage("field of type %d overruns the message" % ftype)
        data = buf[pos + FIELD_HEADER_SIZE:pos + 4 + size]
        fields.append((ftype, bytes(data) if copy else data))
        pos += 4 + size
    return fields, pos


#: Decoded bin names by their bytes (bounded): a scan reply repeats the same few names per record.
_NAMES: dict[bytes, str] = {}
_NAMES_MAX = 4096


def parse_ops(buf: bytes | memoryview, pos: int, end: int, count: int) -> tuple[list[Op], int]:
    """`count` ops starting at `pos`: ([Op], offset after them)."""
    ops = []
    unpack = _OP_HEADER.unpack_from
    copy = type(buf) is not bytes  # slices of bytes are bytes already
    names = _NAMES
    for _ in range(count):
        if end - pos < OP_HEADER_SIZE:
            raise MalformedMessage("truncated op header")
        size, opcode, ptype, _flags, name_len = unpack(buf, pos)
        if size < 4 + name_len or pos + 4 + size > end:
            raise MalformedMessage("op %d overruns the message" % opcode)
        name_start = pos + OP_HEADER_SIZE
        value_start = name_start + name_len
        raw = buf[name_start:value_start]
        if copy:
            raw = bytes(raw)
        name = names.get(raw)
        if name is None:
            try:
                name = raw.decode()
            except UnicodeDecodeError:
                raise MalformedMessage("bin name is not UTF-8") from None
            if len(names) < _NAMES_MAX:
                names[raw] = name
        value = buf[value_start:pos + 4 + size]
        ops.append(Op(opcode, ptype, name, bytes(value) if copy else value))
        pos += 4 + size
    return ops, pos


def encode_ops(ops: list[Op]) -> bytes:
    """The wire bytes of a list of ops (as they follow the fields of an AS_MSG or a batch row)."""
    parts = []
    for op in ops:
        # A bin name given as bytes that are not UTF-8 rides as a str with surrogates: its own bytes.
        name = op.name.encode("utf-8", "surrogateescape")
        parts.append(_OP_HEADER.pack(4 + len(name) + len(op.value), op.op, op.particle_type, 0, len(name)))
        parts.append(name)
        parts.append(op.value)
    return b"".join(parts)


def parse_message(buf: bytes | memoryview, offset: int = 0, end: int | None = None) -> tuple[Message, int]:
    """Parse one AS_MSG starting at `offset`; return it and the offset just past it.

    Raises MalformedMessage on any truncation or inconsistency.
    """
    if end is None:
        end = len(buf)
    if end - offset < MSG_HEADER_SIZE:
        raise MalformedMessage("message shorter than the 22-byte header")
    (header_sz, info1, info2, info3, info4, result, generation, record_ttl, transaction_ttl,
     n_fields, n_ops) = _MSG_HEADER.unpack_from(buf, offset)
    if header_sz != MSG_HEADER_SIZE:
        raise MalformedMessage("header size %d, expected 22" % header_sz)
    fields, pos = parse_fields(buf, offset + MSG_HEADER_SIZE, end, n_fields)
    ops, pos = parse_ops(buf, pos, end, n_ops)
    return Message(info1, info2, info3, info4, result, generation, record_ttl, transaction_ttl,
                   fields, ops), pos


def iter_messages(buf: bytes | memoryview) -> Iterator[Message]:
    """Parse back-to-back AS_MSGs filling `buf` (batch and scan replies)."""
    pos, end = 0, len(buf)
    while pos < end:
        msg, pos = parse_message(buf, pos, end)
        yield msg
