"""The 8-byte proto header shared by every Aerospike message, and type-4 compression."""

import struct
import zlib
from enum import IntEnum

from .results import MalformedMessage

PROTO_VERSION = 2
PROTO_HEADER_SIZE = 8
#: Largest body a server accepts (server `PROTO_SIZE_MAX`).
MAX_PROTO_BODY = 128 * 1024 * 1024
_SIZE_MASK = (1 << 48) - 1
_HEADER = struct.Struct(">Q")
_U64 = struct.Struct(">Q")


class ProtoType(IntEnum):
    INFO = 1
    ADMIN = 2
    AS_MSG = 3
    COMPRESSED = 4
    INTERNAL_XDR = 5


def pack_proto_header(proto_type: int, body_size: int, version: int = PROTO_VERSION) -> bytes:
    return _HEADER.pack((version << 56) | (proto_type << 48) | body_size)


def unpack_proto_header(header: bytes) -> tuple[int, int, int]:
    """Return (version, type, body size) of an 8-byte proto header."""
    if len(header) < PROTO_HEADER_SIZE:
        raise MalformedMessage("proto header shorter than 8 bytes")
    (value,) = _HEADER.unpack_from(header)
    return value >> 56, (value >> 48) & 0xFF, value & _SIZE_MASK


def frame(proto_type: int, body: bytes) -> bytes:
    """Prefix `body` with its proto header."""
    return pack_proto_header(proto_type, len(body)) + body


def compress(message: bytes, level: int = 1) -> bytes:
    """Wrap a complete message (header included) as a type-4 compressed message."""
    payload = _U64.pack(len(message)) + zlib.compress(message, level)
    return frame(ProtoType.COMPRESSED, payload)


def decompress(body: bytes, limit: int = MAX_PROTO_BODY + PROTO_HEADER_SIZE) -> bytes:
    """Inflate the body of a type-4 message; returns the original message with its own header."""
    if len(body) < 8:
        raise MalformedMessage("compressed message shorter than its length prefix")
    (expected,) = _U64.unpack_from(body)
    if expected > limit:
        raise MalformedMessage("compressed message declares %d bytes, over the limit" % expected)
    inflater = zlib.decompressobj()
    try:
        message = inflater.decompress(body[8:], expected + 1)
    except zlib.error as exc:
        raise MalformedMessage("bad zlib stream: %s" % exc) from None
    if len(message) != expected or inflater.unconsumed_tail or not inflater.eof:
        raise MalformedMessage("compressed message length does not match its prefix")
    return message
