"""Proto header (8 bytes), `frame`, and type-4 compression (framing.md §1, §2)."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikewire import (MAX_PROTO_BODY, PROTO_HEADER_SIZE, PROTO_VERSION, MalformedMessage,
                            ProtoType, ResultCode, compress, decompress, frame,
                            pack_proto_header, unpack_proto_header)

SIZES = st.one_of(st.sampled_from([0, 1, 0xFF, 0x100, 0xFFFFFFFF, 1 << 32, (1 << 48) - 1]),
                  st.integers(min_value=0, max_value=(1 << 48) - 1))


def test_constants():
    assert PROTO_VERSION == 2
    assert PROTO_HEADER_SIZE == 8
    assert MAX_PROTO_BODY == 128 * 1024 * 1024
    assert [t.value for t in ProtoType] == [1, 2, 3, 4, 5]
    assert ProtoType.INFO == 1 and ProtoType.ADMIN == 2 and ProtoType.AS_MSG == 3
    assert ProtoType.COMPRESSED == 4 and ProtoType.INTERNAL_XDR == 5


@settings(max_examples=300, deadline=None)
@given(proto_type=st.sampled_from(list(ProtoType)), size=SIZES)
def test_header_round_trip_all_types_and_sizes(proto_type, size):
    header = pack_proto_header(proto_type, size)
    assert len(header) == PROTO_HEADER_SIZE
    assert header[0] == PROTO_VERSION
    assert header[1] == proto_type
    assert int.from_bytes(header[2:], "big") == size
    assert unpack_proto_header(header) == (PROTO_VERSION, proto_type, size)


@settings(max_examples=200, deadline=None)
@given(version=st.integers(0, 255), proto_type=st.integers(0, 255), size=SIZES)
def test_header_round_trip_any_version_and_type_byte(version, proto_type, size):
    header = pack_proto_header(proto_type, size, version=version)
    assert header == bytes((version, proto_type)) + size.to_bytes(6, "big")
    assert unpack_proto_header(header) == (version, proto_type, size)


def test_header_extraction_from_known_bytes():
    # The proto header of framing.md §10: version 2, type 3, size 0x41.
    assert unpack_proto_header(bytes.fromhex("0203000000000041")) == (2, 3, 65)
    assert unpack_proto_header(bytes.fromhex("02010000000000ff")) == (2, 1, 255)
    assert unpack_proto_header(bytes.fromhex("0004ffffffffffff")) == (0, 4, (1 << 48) - 1)
    assert unpack_proto_header(bytes.fromhex("0202010203040506")) == (2, 2, 0x010203040506)
    # Big-endian 48-bit size: byte 2 is the most significant.
    assert unpack_proto_header(bytes.fromhex("0203800000000000"))[2] == 1 << 47


def test_header_unpack_reads_only_the_first_eight_bytes():
    data = pack_proto_header(ProtoType.INFO, 5) + b"node\n"
    assert unpack_proto_header(data) == (2, 1, 5)


def test_header_as_one_big_endian_uint64():
    header = pack_proto_header(ProtoType.AS_MSG, 0x123456789ABC)
    (value,) = struct.unpack(">Q", header)
    assert value >> 56 == 2
    assert (value >> 48) & 0xFF == 3
    assert value & 0xFFFF_FFFF_FFFF == 0x123456789ABC


@settings(max_examples=100, deadline=None)
@given(proto_type=st.sampled_from(list(ProtoType)), body=st.binary(max_size=300))
def test_frame(proto_type, body):
    framed = frame(proto_type, body)
    assert framed[:PROTO_HEADER_SIZE] == pack_proto_header(proto_type, len(body))
    assert framed[PROTO_HEADER_SIZE:] == body
    assert unpack_proto_header(framed) == (PROTO_VERSION, proto_type, len(body))


def test_frame_empty_body():
    assert frame(ProtoType.INFO, b"") == bytes.fromhex("0201000000000000")


# -- type-4 compression ---------------------------------------------------------------------------

MESSAGES = st.builds(lambda body: frame(ProtoType.AS_MSG, body), st.binary(max_size=2000))
COMPRESSIBLE = st.builds(lambda chunk, n: frame(ProtoType.AS_MSG, chunk * n),
                         st.binary(min_size=1, max_size=30), st.integers(1, 200))


@settings(max_examples=150, deadline=None)
@given(message=st.one_of(MESSAGES, COMPRESSIBLE), level=st.sampled_from([1, 6, 9]))
def test_compress_round_trip(message, level):
    compressed = compress(message, level)
    version, proto_type, size = unpack_proto_header(compressed)
    assert (version, proto_type) == (PROTO_VERSION, ProtoType.COMPRESSED)
    assert size == len(compressed) - PROTO_HEADER_SIZE
    body = compressed[PROTO_HEADER_SIZE:]
    # Body: the uncompressed length of the whole original message, then a zlib stream.
    assert int.from_bytes(body[:8], "big") == len(message)
    assert zlib.decompress(body[8:]) == message
    assert decompress(body) == message


def test_compress_layout_level_one():
    message = frame(ProtoType.AS_MSG, b"x" * 300)
    compressed = compress(message)
    assert compressed[16:] == zlib.compress(message, 1)
    assert compressed[8:16] == (308).to_bytes(8, "big")


def test_decompress_accepts_a_zlib_stream_from_another_producer():
    message = frame(ProtoType.AS_MSG, bytes(range(256)) * 3)
    co = zlib.compressobj(9)
    stream = co.compress(message) + co.flush()
    assert decompress(len(message).to_bytes(8, "big") + stream) == message


def _valid_body(message: bytes = frame(ProtoType.AS_MSG, b"abcdefgh" * 40)) -> tuple[bytes, bytes]:
    return message, compress(message)[PROTO_HEADER_SIZE:]


@pytest.mark.parametrize("size", range(8))
def test_decompress_rejects_short_body(size):
    _, body = _valid_body()
    with pytest.raises(MalformedMessage) as info:
        decompress(body[:size])
    assert info.value.code == ResultCode.PARAMETER


@pytest.mark.parametrize("stream", [
    b"",                                   # nothing after the length prefix
    b"not a zlib stream at all",
    b"\x78\x9c\xff\xff\xff\xff",           # valid zlib header, garbage deflate data
    b"\x00" * 32,
])
def test_decompress_rejects_corrupt_zlib(stream):
    with pytest.raises(MalformedMessage):
        decompress((100).to_bytes(8, "big") + stream)


def test_decompress_rejects_flipped_bytes_in_the_stream():
    message, body = _valid_body()
    for index in (8, 9, 10, len(body) // 2, len(body) - 1):
        corrupt = bytearray(body)
        corrupt[index] ^= 0xFF
        with pytest.raises(MalformedMessage):
            decompress(bytes(corrupt))


def test_decompress_rejects_bad_adler32_checksum():
    _, body = _valid_body()
    corrupt = body[:-1] + bytes((body[-1] ^ 0x01,))
    with pytest.raises(MalformedMessage):
        decompress(corrupt)


@pytest.mark.parametrize("cut", [1, 2, 3, 4, 5])
def test_decompress_rejects_stream_truncated_at_its_end(cut):
    # All the output bytes are there but the zlib stream is cut short in its trailing adler32
    # (cut 1..4) or its final end-of-block code (cut 5): the stream never ends, exactly what
    # zlib.decompress() calls an "incomplete or truncated stream". The checksum was never
    # verified, so the message must not be accepted.
    message, body = _valid_body(frame(ProtoType.AS_MSG, bytes(range(256)) * 8))
    with pytest.raises(zlib.error):
        zlib.decompress(body[8:-cut])
    with pytest.raises(MalformedMessage):
        decompress(body[:-cut])


def test_decompress_rejects_stream_truncated_in_its_data():
    message, body = _valid_body(frame(ProtoType.AS_MSG, bytes(range(256)) * 8))
    for cut in (8, 20, (len(body) - 8) // 2):
        with pytest.raises(MalformedMessage):
            decompress(body[:-cut])


@pytest.mark.parametrize("delta", [-100, -1, 1, 100])
def test_decompress_rejects_length_prefix_mismatch(delta):
    message, body = _valid_body()
    wrong = (len(message) + delta).to_bytes(8, "big") + body[8:]
    with pytest.raises(MalformedMessage):
        decompress(wrong)


def test_decompress_rejects_zero_length_prefix_with_data():
    _, body = _valid_body()
    with pytest.raises(MalformedMessage):
        decompress((0).to_bytes(8, "big") + body[8:])


def test_decompress_empty_message():
    assert decompress((0).to_bytes(8, "big") + zlib.compress(b"")) == b""


@pytest.mark.parametrize("declared", [MAX_PROTO_BODY + PROTO_HEADER_SIZE + 1, 1 << 40, (1 << 64) - 1])
def test_decompress_rejects_prefix_over_the_default_limit(declared):
    _, body = _valid_body()
    with pytest.raises(MalformedMessage) as info:
        decompress(declared.to_bytes(8, "big") + body[8:])
    assert "limit" in str(info.value)
    assert info.value.code == ResultCode.PARAMETER


def test_decompress_limit_parameter():
    message, body = _valid_body()
    assert decompress(body, limit=len(message)) == message
    with pytest.raises(MalformedMessage) as info:
        decompress(body, limit=len(message) - 1)
    assert "limit" in str(info.value)


def test_decompress_over_limit_is_rejected_before_inflating():
    # A tiny stream that would inflate to a lot: the declared length alone must stop it.
    bomb = zlib.compress(b"\0" * 1_000_000, 9)
    with pytest.raises(MalformedMessage):
        decompress((1_000_000).to_bytes(8, "big") + bomb, limit=1000)
