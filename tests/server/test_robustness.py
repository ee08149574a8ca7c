"""Malformed, truncated and hostile input never stops the server."""

from __future__ import annotations

import random
import socket
import struct

import pytest

from spikelite import wire

from .conftest import RawConnection, get_msg, key_fields, put_msg


def alive(server) -> bool:
    c = RawConnection(server.host, server.port)
    try:
        return c.info("node")["node"] != ""
    finally:
        c.close()


@pytest.mark.parametrize("header", [
    wire.pack_proto_header(3, 10, version=1),                 # bad version
    wire.pack_proto_header(0, 0),                            # type 0
    wire.pack_proto_header(9, 4),                            # unknown type
    wire.pack_proto_header(3, wire.MAX_PROTO_BODY + 1),      # oversized body
    b"\x16\x03\x01\x02\x00\x01\x00\x01",                     # TLS ClientHello on the clear port
])
def test_unframable_message_closes_connection(server, conn, header):
    conn.send(header + b"\x00" * 16)
    assert conn.is_closed_by_peer()
    assert alive(server)


@pytest.mark.parametrize("body", [
    b"",                                  # empty AS_MSG
    b"\x16" + b"\x00" * 10,               # shorter than the header
    bytes([30]) + b"\x00" * 21,           # wrong header size
])
def test_bad_as_msg_gets_parameter_error_and_connection_stays(server, conn, body):
    conn.send(wire.frame(wire.ProtoType.AS_MSG, body))
    ptype, reply_body = conn.recv_proto()
    reply, _ = wire.parse_message(reply_body)
    assert reply.result_code == wire.ResultCode.PARAMETER
    assert conn.info("build")["build"]


def test_every_truncation_of_a_valid_message_is_answered_with_an_error(server, conn):
    body = put_msg("test", "trunc", "k", {"a": 1}).encode()
    for cut in range(len(body)):
        # The proto header declares only the truncated length: the AS_MSG itself is short.
        conn.send(wire.frame(wire.ProtoType.AS_MSG, body[:cut]))
        _, reply_body = conn.recv_proto()
        reply, _ = wire.parse_message(reply_body)
        assert reply.result_code == wire.ResultCode.PARAMETER, cut
    assert conn.request(get_msg("test", "trunc", "k")).result_code == wire.ResultCode.KEY_NOT_FOUND


def test_field_size_lies_are_rejected(server, conn):
    msg = bytearray(get_msg("test", "lies", "k").encode())
    struct.pack_into(">I", msg, 22, 0xFFFFFFF0)  # first field claims to be huge
    conn.send(wire.frame(wire.ProtoType.AS_MSG, bytes(msg)))
    reply, _ = wire.parse_message(conn.recv_proto()[1])
    assert reply.result_code == wire.ResultCode.PARAMETER


def test_random_garbage_in_valid_frames_never_kills_the_server(server):
    rng = random.Random(1234)
    for _ in range(300):
        c = RawConnection(server.host, server.port)
        try:
            ptype = rng.choice([1, 2, 3, 4])
            body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 80)))
            if ptype == 3 and rng.random() < 0.5:
                body = bytes([22]) + body  # get past the header-size check more often
            c.send(wire.frame(ptype, body))
            c.sock.settimeout(2)
            try:
                c.sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                pass
        finally:
            c.close()
    assert alive(server)


def test_partial_message_then_disconnect(server):
    c = RawConnection(server.host, server.port)
    c.send(put_msg("test", "partial", "k", {"a": 1}).to_proto()[:20])
    c.close()
    assert alive(server)


def test_bad_compressed_message(server, conn):
    conn.send(wire.frame(wire.ProtoType.COMPRESSED, struct.pack(">Q", 50) + b"not zlib at all"))
    reply, _ = wire.parse_message(conn.recv_proto()[1])
    assert reply.result_code == wire.ResultCode.PARAMETER
    assert conn.info("build")["build"]


def test_unknown_namespace_answers_20(conn):
    reply = conn.request(get_msg("nosuchns", "s", "k"))
    assert reply.result_code == wire.ResultCode.NAMESPACE_NOT_FOUND
    reply = conn.request(put_msg("nosuchns", "s", "k", {"a": 1}))
    assert reply.result_code == wire.ResultCode.NAMESPACE_NOT_FOUND


def test_missing_namespace_field_is_a_parameter_error(conn):
    msg = get_msg("test", "s", "k")
    msg.fields = [f for f in msg.fields if f[0] != wire.FieldType.NAMESPACE]
    assert conn.request(msg).result_code == wire.ResultCode.PARAMETER


def test_short_digest_is_a_parameter_error(conn):
    msg = get_msg("test", "s", "k")
    msg.fields = [(t, d[:5] if t == wire.FieldType.DIGEST else d) for t, d in msg.fields]
    assert conn.request(msg).result_code == wire.ResultCode.PARAMETER


def test_bad_particle_values_are_rejected(conn):
    fields = key_fields("test", "particles", "k")
    for ptype, value in [(wire.ParticleType.INTEGER, b"\x01\x02\x03"), (wire.ParticleType.FLOAT, b"\x00"),
                         (wire.ParticleType.BOOL, b"\x02"), (99, b"x")]:
        msg = wire.Message(info2=wire.Info2.WRITE, fields=fields, ops=[wire.Op(wire.OpType.WRITE, ptype, "b", value)])
        assert conn.request(msg).result_code == wire.ResultCode.PARAMETER, ptype


def test_neither_read_nor_write_is_a_parameter_error(conn):
    msg = wire.Message(fields=key_fields("test", "s", "k"))
    assert conn.request(msg).result_code == wire.ResultCode.PARAMETER


def test_admin_message_answers_security_not_enabled(conn):
    conn.send(wire.frame(wire.ProtoType.ADMIN, bytes(16)))
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.ADMIN
    assert body[1] == wire.ResultCode.SECURITY_NOT_ENABLED
