"""Internal (user/password) authentication over the admin protocol (proto type 2)."""

from __future__ import annotations

import struct
import time

from spikelite.wire import ProtoType, frame

from . import exception

_SALT = b"$2a$10$7EqJtq98hPqEX7fNZaFWoO"
_LOGIN, _AUTHENTICATE = 20, 0
_USER, _CREDENTIAL, _SESSION_TOKEN, _SESSION_TTL = 0, 3, 5, 6
_SECURITY_NOT_ENABLED = 52
_FIELD = struct.Struct(">IB")


def hash_password(password: str) -> bytes:
    try:
        import bcrypt
    except ImportError:
        raise exception.exception_for(-1, "user/password login needs the 'bcrypt' package: "
                                          "pip install 'purespike[auth]'") from None
    return bcrypt.hashpw(password.encode(), _SALT)


def _message(command: int, fields: list[tuple[int, bytes]]) -> bytes:
    header = bytes([0, 0, command, len(fields)]) + bytes(12)
    body = b"".join(_FIELD.pack(len(data) + 1, ftype) + data for ftype, data in fields)
    return frame(ProtoType.ADMIN, header + body)


def _parse(body: bytes) -> tuple[int, dict[int, bytes]]:
    result, count = body[1], body[3]
    fields, pos = {}, 16
    for _ in range(count):
        size, ftype = _FIELD.unpack_from(body, pos)
        fields[ftype] = body[pos + 5:pos + 4 + size]
        pos += 4 + size
    return result, fields


class Authenticator:
    """Logs in once, then authenticates every new socket with the session token."""

    def __init__(self, user: str, password: str):
        self.user = user
        self.credential = hash_password(password)
        self.token: bytes | None = None
        self.expires = 0.0
        self.disabled = False

    def __call__(self, conn, timeout: float) -> None:
        if self.disabled:
            return
        deadline = time.monotonic() + timeout
        if self.token is not None and time.monotonic() < self.expires:
            conn.send(_message(_AUTHENTICATE, [(_USER, self.user.encode()), (_SESSION_TOKEN, self.token)]),
                      timeout, deadline)
            _, body = conn.recv_proto(timeout, deadline)
            result, _ = _parse(body)
            if result == 0:
                return
            self.token = None  # expired or revoked: log in again below
        conn.send(_message(_LOGIN, [(_USER, self.user.encode()), (_CREDENTIAL, self.credential)]), timeout, deadline)
        _, body = conn.recv_proto(timeout, deadline)
        result, fields = _parse(body)
        if result == _SECURITY_NOT_ENABLED:
            self.disabled = True
            return
        if result != 0:
            raise exception.exception_for(result, "login failed for user %s" % self.user)
        self.token = fields.get(_SESSION_TOKEN)
        ttl = struct.unpack(">I", fields[_SESSION_TTL])[0] if _SESSION_TTL in fields else 24 * 3600
        self.expires = time.monotonic() + max(1, ttl - 60)
