"""Fixtures for raw-protocol tests of spikelite: an in-process server and socket helpers."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import spikelite
from spikelite import wire
from spikelite.config import load_config

CONFIG = Path(__file__).resolve().parent.parent / "spikelite.conf"


class RawConnection:
    """A plain socket speaking proto messages, for tests that need byte-level control."""

    def __init__(self, host: str, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv_exact(self, n: int) -> bytes:
        chunks = []
        while n:
            chunk = self.sock.recv(n)
            if not chunk:
                raise ConnectionError("closed by server")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def recv_proto(self) -> tuple[int, bytes]:
        """(proto type, body) of the next reply."""
        version, ptype, size = wire.unpack_proto_header(self.recv_exact(8))
        assert version == 2
        return ptype, self.recv_exact(size)

    def request(self, msg: wire.Message) -> wire.Message:
        self.send(msg.to_proto())
        ptype, body = self.recv_proto()
        assert ptype == wire.ProtoType.AS_MSG
        reply, end = wire.parse_message(body)
        assert end == len(body)
        return reply

    def info(self, *commands: str) -> dict[str, str]:
        self.send(wire.info.build_request(list(commands)))
        ptype, body = self.recv_proto()
        assert ptype == wire.ProtoType.INFO
        return wire.info.parse_reply(body)

    def is_closed_by_peer(self, timeout: float = 3.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def server():
    srv = spikelite.start(load_config(CONFIG))
    yield srv
    srv.stop()


@pytest.fixture
def conn(server):
    c = RawConnection(server.host, server.port)
    yield c
    c.close()


def key_fields(ns: str, set_name: str, key) -> list[tuple[int, bytes]]:
    return [(wire.FieldType.NAMESPACE, ns.encode()), (wire.FieldType.SET, set_name.encode()),
            (wire.FieldType.DIGEST, wire.compute_digest(set_name, key))]


def put_msg(ns: str, set_name: str, key, bins: dict[str, int]) -> wire.Message:
    ops = [wire.Op(wire.OpType.WRITE, wire.ParticleType.INTEGER, name, wire.particles.encode_int(v))
           for name, v in bins.items()]
    return wire.Message(info2=wire.Info2.WRITE, fields=key_fields(ns, set_name, key), ops=ops)


def get_msg(ns: str, set_name: str, key) -> wire.Message:
    return wire.Message(info1=wire.Info1.READ | wire.Info1.GET_ALL, fields=key_fields(ns, set_name, key))
