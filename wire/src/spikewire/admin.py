"""Admin (security) messages, proto type 2: login, session authentication, user and role administration.

A message is a 16-byte header (scheme, result, command, field count, 12 zero bytes) followed by
fields `[size:4 BE][id:1][value:size-1]`. Servers walk the fields to the end of the message and
ignore the count; clients rely on it for query replies, where one proto holds several records.
Passwords travel as bcrypt hashes with a fixed salt (`PASSWORD_SALT`), never in clear text.
"""

from __future__ import annotations

import struct
from enum import IntEnum

from .framing import ProtoType, frame
from .results import AerospikeWireError, MalformedMessage, ResultCode

ADMIN_HEADER_SIZE = 16
SCHEME = 0
#: bcrypt salt every client uses, so equal passwords give equal hashes (cost 10).
PASSWORD_SALT = b"$2a$10$7EqJtq98hPqEX7fNZaFWoO"
#: Length of a bcrypt hash sent in PASSWORD, OLD_PASSWORD and CREDENTIAL.
PASSWORD_HASH_SIZE = 60
#: Longest user name a server accepts (its buffer holds 64 bytes with the NUL).
MAX_USER_SIZE = 63
_FIELD_HEADER = struct.Struct(">IB")
_U32 = struct.Struct(">I")


class AdminCommand(IntEnum):
    AUTHENTICATE = 0
    CREATE_USER = 1
    DROP_USER = 2
    SET_PASSWORD = 3
    CHANGE_PASSWORD = 4
    GRANT_ROLES = 5
    REVOKE_ROLES = 6
    QUERY_USERS = 9
    CREATE_ROLE = 10
    DROP_ROLE = 11
    GRANT_PRIVILEGES = 12
    REVOKE_PRIVILEGES = 13
    SET_WHITELIST = 14
    SET_QUOTAS = 15
    QUERY_ROLES = 16
    LOGIN = 20


class AdminField(IntEnum):
    USER = 0
    PASSWORD = 1
    OLD_PASSWORD = 2
    CREDENTIAL = 3
    CLEAR_PASSWORD = 4
    SESSION_TOKEN = 5
    SESSION_TTL = 6
    ROLES = 10
    ROLE = 11
    PRIVILEGES = 12
    WHITELIST = 13
    READ_QUOTA = 14
    WRITE_QUOTA = 15
    READ_INFO = 16
    WRITE_INFO = 17
    CONNECTIONS = 18


#: Field ids a server stores; larger ids are skipped.
FIELD_ID_LIMIT = 19


class AdminMessage:
    """One admin record: header values and fields in order."""

    __slots__ = ("command", "result", "fields", "scheme")

    def __init__(self, command: int = 0, fields: list[tuple[int, bytes]] | None = None, result: int = 0,
                 scheme: int = SCHEME):
        self.command = command
        self.result = result
        self.fields = fields or []
        self.scheme = scheme

    def field(self, field_id: int) -> bytes | None:
        """The value of the last field with this id (as a server reads it), or None."""
        value = None
        for fid, data in self.fields:
            if fid == field_id:
                value = data
        return value

    def encode(self) -> bytes:
        parts = [bytes([self.scheme, self.result, self.command, len(self.fields)]), bytes(12)]
        for fid, data in self.fields:
            parts.append(_FIELD_HEADER.pack(len(data) + 1, fid))
            parts.append(data)
        return b"".join(parts)

    def to_proto(self) -> bytes:
        return frame(ProtoType.ADMIN, self.encode())

    def __repr__(self) -> str:
        return "AdminMessage(command=%d, result=%d, fields=%r)" % (self.command, self.result, self.fields)


def parse_request(body: bytes) -> AdminMessage:
    """Parse a request the way a server does: fields run to the end of the body whatever the
    count says. Raises AerospikeWireError(INVALID_FIELD) when a field overruns the body, and
    MalformedMessage when the body is shorter than the header."""
    if len(body) < ADMIN_HEADER_SIZE:
        raise MalformedMessage("admin message shorter than its header")
    msg = AdminMessage(command=body[2], result=body[1], scheme=body[0])
    pos, end = ADMIN_HEADER_SIZE, len(body)
    while pos < end:
        if pos + 4 > end:
            raise _field_error("incomplete admin field header")
        (size,) = _U32.unpack_from(body, pos)
        if size == 0 or pos + 4 + size > end:
            raise _field_error("admin field overruns the message")
        msg.fields.append((body[pos + 4], bytes(body[pos + 5:pos + 4 + size])))
        pos += 4 + size
    return msg


def parse_records(body: bytes) -> list[AdminMessage]:
    """Parse a reply body: one or more records, each header's count saying how many fields follow."""
    records, pos, end = [], 0, len(body)
    while pos < end:
        if pos + ADMIN_HEADER_SIZE > end:
            raise MalformedMessage("admin record shorter than its header")
        msg = AdminMessage(command=body[pos + 2], result=body[pos + 1], scheme=body[pos])
        count = body[pos + 3]
        pos += ADMIN_HEADER_SIZE
        for _ in range(count):
            if pos + 5 > end:
                raise MalformedMessage("incomplete admin field header")
            (size,) = _U32.unpack_from(body, pos)
            if size == 0 or pos + 4 + size > end:
                raise MalformedMessage("admin field overruns the message")
            msg.fields.append((body[pos + 4], bytes(body[pos + 5:pos + 4 + size])))
            pos += 4 + size
        records.append(msg)
    return records


def result_reply(result: int) -> bytes:
    """A complete proto holding one field-less record with this result."""
    return AdminMessage(result=result).to_proto()


def pack_roles(roles: list[str]) -> bytes:
    encoded = [role.encode() for role in roles]
    if len(encoded) > 255 or any(len(role) > 255 for role in encoded):
        raise ValueError("at most 255 roles of at most 255 bytes")
    return bytes([len(encoded)]) + b"".join(bytes([len(role)]) + role for role in encoded)


def unpack_roles(data: bytes) -> list[str]:
    """Role names of a ROLES field; AerospikeWireError(INVALID_FIELD) if the encoding is broken."""
    if not data:
        raise _field_error("empty roles field")
    count, pos, roles = data[0], 1, []
    for _ in range(count):
        if pos >= len(data) or pos + 1 + data[pos] > len(data):
            raise _field_error("roles field overruns")
        roles.append(data[pos + 1:pos + 1 + data[pos]].decode("utf-8", "replace"))
        pos += 1 + data[pos]
    if pos != len(data):
        raise _field_error("extra bytes after the roles")
    return roles


#: Privilege codes from this one up take a namespace and set scope.
SCOPED_PRIVILEGE_MIN = 10


def pack_privileges(privileges: list[tuple[int, str, str]]) -> bytes:
    """A PRIVILEGES field: count, then per privilege its code and, for scopable codes (>= 10), the
    namespace and set as length-prefixed strings (empty: all)."""
    if len(privileges) > 255:
        raise ValueError("at most 255 privileges")
    parts = [bytes([len(privileges)])]
    for code, namespace, set_name in privileges:
        parts.append(bytes([code]))
        if code >= SCOPED_PRIVILEGE_MIN:
            for name in (namespace.encode(), set_name.encode()):
                if len(name) > 255:
                    raise ValueError("namespace or set name longer than 255 bytes")
                parts.append(bytes([len(name)]) + name)
    return b"".join(parts)


def unpack_privileges(data: bytes) -> list[tuple[int, str, str]]:
    """(code, namespace, set) of a PRIVILEGES field; AerospikeWireError(INVALID_FIELD) if broken."""
    if not data:
        raise _field_error("empty privileges field")
    count, pos, privileges = data[0], 1, []
    for _ in range(count):
        if pos >= len(data):
            raise _field_error("privileges field overruns")
        code = data[pos]
        pos += 1
        names = []
        if code >= SCOPED_PRIVILEGE_MIN:
            for _ in range(2):
                if pos >= len(data) or pos + 1 + data[pos] > len(data):
                    raise _field_error("privilege scope overruns")
                names.append(data[pos + 1:pos + 1 + data[pos]].decode("utf-8", "replace"))
                pos += 1 + data[pos]
        else:
            names = ["", ""]
        privileges.append((code, names[0], names[1]))
    if pos != len(data):
        raise _field_error("extra bytes after the privileges")
    return privileges


def pack_u32(value: int) -> bytes:
    return _U32.pack(value)


def unpack_u32(data: bytes) -> int:
    if len(data) != 4:
        raise _field_error("a uint32 field needs 4 bytes")
    return _U32.unpack(data)[0]


def _field_error(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.INVALID_FIELD, message)
