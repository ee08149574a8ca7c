"""Security on (a `security { }` context): login, session tokens, user administration, rejections.

Result codes follow a real Enterprise node: wrong password 65 (INVALID_CREDENTIAL), unknown user 60
(INVALID_USER), second AUTHENTICATE 56, unauthenticated data 80 and info `ERROR:80:not
authenticated`, malformed fields 55.
"""

from __future__ import annotations

import base64
import hashlib
import random
import time
from pathlib import Path

import pytest

import spikelite
from spikelite import wire
from spikelite.config import ConfigError, SecurityConfig, load_config, parse_config
from spikelite.security import DEFAULT_ADMIN_HASH, AuthState, Security
from spikelite.wire.admin import (PASSWORD_SALT, AdminCommand as Cmd, AdminField as F, AdminMessage,
                                  pack_roles, parse_records, unpack_roles, unpack_u32)

from .conftest import RawConnection, get_msg, put_msg

SECURE_CONFIG = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"

R = wire.ResultCode


def pw_hash(password: str) -> bytes:
    """A stand-in for bcrypt(password) (the server only compares 60-byte hashes), so these tests
    need no bcrypt; "admin" gives the real hash of the default user."""
    if password == "admin":
        return DEFAULT_ADMIN_HASH
    digest = base64.b64encode(hashlib.sha256(password.encode()).digest()).decode()
    return PASSWORD_SALT + digest[:31].replace("+", ".").encode()


@pytest.fixture(scope="module")
def secure_server():
    srv = spikelite.start(load_config(SECURE_CONFIG))
    yield srv
    srv.stop()


@pytest.fixture
def raw(secure_server):
    conns = []

    def open_conn() -> RawConnection:
        c = RawConnection(secure_server.host, secure_server.port)
        conns.append(c)
        return c

    yield open_conn
    for c in conns:
        c.close()


def admin(conn: RawConnection, command: int, fields=(), *, raw_body: bytes | None = None) -> list[AdminMessage]:
    """Send one admin request; return every record of the reply (query replies end with result 50)."""
    body = raw_body if raw_body is not None else AdminMessage(command, list(fields)).encode()
    conn.send(wire.frame(wire.ProtoType.ADMIN, body))
    records = []
    while True:
        ptype, reply = conn.recv_proto()
        assert ptype == wire.ProtoType.ADMIN
        records += parse_records(reply)
        if command != Cmd.QUERY_USERS or records[-1].result != 0:
            return records


def result(conn, command, fields=(), **kw) -> int:
    records = admin(conn, command, fields, **kw)
    assert len(records) == 1
    return records[0].result


def login(conn, user="admin", password="admin") -> AdminMessage:
    (reply,) = admin(conn, Cmd.LOGIN, [(F.USER, user.encode()), (F.CREDENTIAL, pw_hash(password))])
    return reply


def logged_in(raw, user="admin", password="admin") -> RawConnection:
    conn = raw()
    assert login(conn, user, password).result == 0
    return conn


def authenticate(conn, user: str, token: bytes) -> int:
    return result(conn, Cmd.AUTHENTICATE, [(F.USER, user.encode()), (F.SESSION_TOKEN, token)])


def create_user(conn, user: str, password: str, roles=("read-write",)) -> int:
    return result(conn, Cmd.CREATE_USER, [(F.USER, user.encode()), (F.PASSWORD, pw_hash(password)),
                                          (F.ROLES, pack_roles(list(roles)))])


def alive(server) -> bool:
    conn = RawConnection(server.host, server.port)
    try:
        return login(conn).result == 0 and conn.info("node")["node"] != ""
    finally:
        conn.close()


# -- the default admin user and the login flow ---------------------------------------------------

def test_default_admin_hash_is_bcrypt_of_admin():
    bcrypt = pytest.importorskip("bcrypt")
    assert bcrypt.hashpw(b"admin", PASSWORD_SALT) == DEFAULT_ADMIN_HASH
    assert len(pw_hash("other")) == 60


def test_unauthenticated_socket_is_refused(raw):
    conn = raw()
    conn.send(wire.info.build_request(["node", "build"]))
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.INFO
    assert body == b"ERROR:80:not authenticated\n"
    assert conn.request(get_msg("test", "sec", "k")).result_code == R.NOT_AUTHENTICATED
    assert conn.request(put_msg("test", "sec", "k", {"a": 1})).result_code == R.NOT_AUTHENTICATED
    # compressed requests too
    conn.send(wire.compress(get_msg("test", "sec", "k").to_proto()))
    _, body = conn.recv_proto()
    assert wire.parse_message(body)[0].result_code == R.NOT_AUTHENTICATED


def test_login_returns_token_and_ttl_and_authenticates_the_socket(raw):
    conn = raw()
    reply = login(conn)
    assert reply.result == 0
    assert reply.field(F.SESSION_TOKEN)
    assert unpack_u32(reply.field(F.SESSION_TTL)) == 3600  # session-ttl 1h in the config
    assert conn.info("build")["build"]
    # The default admin has only user-admin: logged in, but no data privileges.
    assert conn.request(put_msg("test", "sec", "login", {"a": 1})).result_code == R.ROLE_VIOLATION
    assert conn.request(get_msg("test", "sec", "login")).result_code == R.ROLE_VIOLATION


def test_authenticate_new_socket_with_token(raw):
    token = login(raw()).field(F.SESSION_TOKEN)
    conn = raw()
    assert authenticate(conn, "admin", token) == R.OK
    assert conn.info("node")["node"]
    assert authenticate(conn, "admin", token) == R.ILLEGAL_STATE  # only once per socket
    assert conn.info("node")["node"]  # and the socket stays authenticated


@pytest.mark.parametrize("user,password,code", [
    ("admin", "wrong", R.INVALID_CREDENTIAL),
    ("nobody", "admin", R.INVALID_USER),
])
def test_login_rejections(raw, user, password, code):
    conn = raw()
    assert login(conn, user, password).result == code
    assert conn.request(get_msg("test", "sec", "k")).result_code == R.NOT_AUTHENTICATED


@pytest.mark.parametrize("fields,code", [
    ([(F.USER, b"admin")], R.INVALID_CREDENTIAL),                                   # no credential
    ([(F.USER, b"admin"), (F.CREDENTIAL, b"short")], R.INVALID_CREDENTIAL),         # not a hash
    ([(F.USER, b""), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)], R.INVALID_USER),          # empty user
    ([(F.USER, b"u" * 64), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)], R.INVALID_USER),    # too long
    ([(F.CREDENTIAL, DEFAULT_ADMIN_HASH)], R.INVALID_USER),                         # PKI login
    ([(F.USER, b"admin"), (F.CLEAR_PASSWORD, b"admin")], R.INVALID_USER),           # external login
    ([(F.USER, b"ldapuser"), (F.CLEAR_PASSWORD, b"pw")], 90),                       # LDAP not enabled
    ([(F.USER, b"admin"), (F.CLEAR_PASSWORD, b"")], R.INVALID_PASSWORD),
])
def test_malformed_login(raw, fields, code):
    assert result(raw(), Cmd.LOGIN, fields) == code


def test_login_with_admin_hash_needs_no_bcrypt(raw):
    assert result(raw(), Cmd.LOGIN, [(F.USER, b"admin"), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)]) == R.OK


def test_failed_login_on_authenticated_socket_drops_authentication(raw):
    conn = logged_in(raw)
    assert login(conn, "admin", "wrong").result == R.INVALID_CREDENTIAL
    assert conn.request(get_msg("test", "sec", "k")).result_code == R.NOT_AUTHENTICATED


@pytest.mark.parametrize("fields,code", [
    ([(F.USER, b"admin")], R.INVALID_CREDENTIAL),                                 # no token
    ([(F.USER, b"admin"), (F.SESSION_TOKEN, b"forged")], R.INVALID_CREDENTIAL),
    ([(F.USER, b"admin"), (F.SESSION_TOKEN, b"")], R.INVALID_CREDENTIAL),
    ([(F.USER, b"nobody"), (F.SESSION_TOKEN, b"x")], R.INVALID_USER),
    ([(F.USER, b""), (F.SESSION_TOKEN, b"x")], R.INVALID_USER),
])
def test_authenticate_rejections(raw, fields, code):
    conn = raw()
    assert result(conn, Cmd.AUTHENTICATE, fields) == code
    assert conn.request(get_msg("test", "sec", "k")).result_code == R.NOT_AUTHENTICATED


def test_token_is_bound_to_its_user(raw):
    admin_conn = logged_in(raw)
    assert create_user(admin_conn, "tokuser", "pw") == R.OK
    admin_token = login(raw()).field(F.SESSION_TOKEN)
    assert authenticate(raw(), "tokuser", admin_token) == R.INVALID_CREDENTIAL
    tampered = admin_token[:-1] + bytes([admin_token[-1] ^ 1])
    assert authenticate(raw(), "admin", tampered) == R.INVALID_CREDENTIAL


def test_expired_session_token():
    now = [1_000_000.0]
    security = Security(SecurityConfig(session_ttl=120), clock=lambda: now[0])
    state = AuthState()
    request = AdminMessage(Cmd.LOGIN, [(F.USER, b"admin"), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)]).encode()
    (reply,) = parse_records(security.handle(request, state)[8:])
    token = reply.field(F.SESSION_TOKEN)
    auth = AdminMessage(Cmd.AUTHENTICATE, [(F.USER, b"admin"), (F.SESSION_TOKEN, token)]).encode()
    now[0] += 120
    assert parse_records(security.handle(auth, AuthState())[8:])[0].result == R.OK
    now[0] += 1
    assert parse_records(security.handle(auth, AuthState())[8:])[0].result == R.EXPIRED_SESSION


# -- user administration ----------------------------------------------------------------------------

def query_users(conn, user: str | None = None) -> list[AdminMessage]:
    records = admin(conn, Cmd.QUERY_USERS, [(F.USER, user.encode())] if user else [])
    assert records[-1].result in (R.QUERY_END,) or len(records) == 1
    return records


def test_user_lifecycle(raw):
    conn = logged_in(raw)
    assert create_user(conn, "carol", "pw1", ["read", "data-admin"]) == R.OK
    assert create_user(conn, "carol", "pw1") == R.USER_ALREADY_EXISTS
    *records, end = query_users(conn, "carol")
    assert end.result == R.QUERY_END and not end.fields
    (record,) = records
    assert record.result == 0
    assert record.field(F.USER) == b"carol"
    assert unpack_roles(record.field(F.ROLES)) == ["data-admin", "read"]  # sorted
    assert unpack_u32(record.field(F.CONNECTIONS)) == 0

    carol = logged_in(raw, "carol", "pw1")
    assert unpack_u32(query_users(conn, "carol")[0].field(F.CONNECTIONS)) == 1
    carol.close()

    # change own password, on an unauthenticated socket, with the old hash
    assert result(raw(), Cmd.CHANGE_PASSWORD, [(F.USER, b"carol"), (F.OLD_PASSWORD, pw_hash("bad")),
                                               (F.PASSWORD, pw_hash("pw2"))]) == R.INVALID_PASSWORD
    assert result(raw(), Cmd.CHANGE_PASSWORD, [(F.USER, b"carol"), (F.OLD_PASSWORD, pw_hash("pw1")),
                                               (F.PASSWORD, pw_hash("pw2"))]) == R.OK
    assert login(raw(), "carol", "pw1").result == R.INVALID_CREDENTIAL
    token = login(raw(), "carol", "pw2").field(F.SESSION_TOKEN)

    # an administrator sets it
    assert result(conn, Cmd.SET_PASSWORD, [(F.USER, b"carol"), (F.PASSWORD, pw_hash("pw3"))]) == R.OK
    assert login(raw(), "carol", "pw3").result == R.OK

    assert result(conn, Cmd.GRANT_ROLES, [(F.USER, b"carol"), (F.ROLES, pack_roles(["write"]))]) == R.OK
    assert result(conn, Cmd.REVOKE_ROLES, [(F.USER, b"carol"), (F.ROLES, pack_roles(["read"]))]) == R.OK
    assert unpack_roles(query_users(conn, "carol")[0].field(F.ROLES)) == ["data-admin", "write"]

    assert result(conn, Cmd.DROP_USER, [(F.USER, b"carol")]) == R.OK
    assert result(conn, Cmd.DROP_USER, [(F.USER, b"carol")]) == R.INVALID_USER
    assert login(raw(), "carol", "pw3").result == R.INVALID_USER
    assert authenticate(raw(), "carol", token) == R.INVALID_USER
    assert query_users(conn, "carol")[0].result == R.INVALID_USER


def test_query_all_users_is_sorted_and_ends_with_50(raw):
    conn = logged_in(raw)
    for name in ("zed", "amy"):
        create_user(conn, name, "pw")
    *records, end = query_users(conn)
    names = [r.field(F.USER).decode() for r in records]
    assert names == sorted(names) and {"admin", "amy", "zed"} <= set(names)
    assert unpack_roles(records[names.index("admin")].field(F.ROLES)) == ["user-admin"]
    assert all(len(r.fields) == 3 for r in records)
    assert end.result == R.QUERY_END


@pytest.mark.parametrize("command,fields,code", [
    (Cmd.CREATE_USER, [(F.PASSWORD, b"x" * 60), (F.ROLES, b"\0")], R.INVALID_USER),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.ROLES, b"\0")], R.INVALID_PASSWORD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60)], R.INVALID_ROLE),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"short"), (F.ROLES, b"\0")], R.INVALID_PASSWORD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60), (F.ROLES, b"")], R.INVALID_FIELD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60), (F.ROLES, b"\x02\x04read")], R.INVALID_FIELD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60), (F.ROLES, b"\x01\x09read")], R.INVALID_FIELD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60), (F.ROLES, b"\x00extra")], R.INVALID_FIELD),
    (Cmd.CREATE_USER, [(F.USER, b"u1"), (F.PASSWORD, b"x" * 60), (F.ROLES, pack_roles(["r" * 64]))],
     R.INVALID_ROLE),
    (Cmd.DROP_USER, [], R.INVALID_USER),
    (Cmd.SET_PASSWORD, [(F.USER, b"nobody"), (F.PASSWORD, b"x" * 60)], R.INVALID_USER),
    (Cmd.SET_PASSWORD, [(F.USER, b"admin")], R.INVALID_PASSWORD),
    (Cmd.CHANGE_PASSWORD, [(F.USER, b"admin"), (F.PASSWORD, b"x" * 60)], R.INVALID_PASSWORD),
    (Cmd.CHANGE_PASSWORD, [(F.USER, b"nobody"), (F.OLD_PASSWORD, b"x" * 60), (F.PASSWORD, b"x" * 60)],
     R.INVALID_USER),
    (Cmd.GRANT_ROLES, [(F.USER, b"admin"), (F.ROLES, b"\0")], R.INVALID_ROLE),
    (Cmd.GRANT_ROLES, [(F.USER, b"nobody"), (F.ROLES, pack_roles(["read"]))], R.INVALID_USER),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"r")], R.INVALID_PRIVILEGE),                 # nothing to set
    (Cmd.CREATE_ROLE, [], R.INVALID_ROLE),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"read"), (F.PRIVILEGES, b"\x01\x0a\0\0")], R.ROLE_ALREADY_EXISTS),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"r"), (F.PRIVILEGES, b"\x01\x07")], R.INVALID_PRIVILEGE),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"r"), (F.PRIVILEGES, b"\x01\x0a\x04te")], R.INVALID_PRIVILEGE),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"r"), (F.WHITELIST, b"1.2.3.x")], R.INVALID_WHITELIST),
    (Cmd.CREATE_ROLE, [(F.ROLE, b"r"), (F.READ_QUOTA, b"\0\0\0\x05")], R.QUOTAS_NOT_ENABLED),
    (Cmd.DROP_ROLE, [(F.ROLE, b"read")], R.INVALID_ROLE),                     # predefined
    (Cmd.DROP_ROLE, [(F.ROLE, b"nope")], R.INVALID_ROLE),
    (Cmd.GRANT_PRIVILEGES, [(F.ROLE, b"write"), (F.PRIVILEGES, b"\x01\x0a\0\0")], R.INVALID_ROLE),
    (Cmd.SET_QUOTAS, [(F.ROLE, b"nope")], R.INVALID_ROLE),
    (Cmd.QUERY_ROLES, [(F.ROLE, b"nope")], R.INVALID_ROLE),
])
def test_user_admin_rejections(raw, command, fields, code):
    assert result(logged_in(raw), command, fields) == code


@pytest.mark.parametrize("command", [Cmd.CREATE_USER, Cmd.DROP_USER, Cmd.SET_PASSWORD, Cmd.GRANT_ROLES,
                                     Cmd.REVOKE_ROLES, Cmd.QUERY_USERS, Cmd.CREATE_ROLE])
def test_user_admin_needs_an_authenticated_socket(raw, command):
    fields = [(F.USER, b"admin"), (F.PASSWORD, pw_hash("x")), (F.ROLES, pack_roles(["read"]))]
    assert result(raw(), command, fields) == R.NOT_AUTHENTICATED


# -- hostile admin messages ------------------------------------------------------------------------

@pytest.mark.parametrize("body,code", [
    (b"", R.SERVER_ERROR),                                         # shorter than the header
    (b"\0" * 15, R.SERVER_ERROR),
    (bytes([1]) + b"\0" * 15, R.SECURITY_SCHEME_NOT_SUPPORTED),
    (bytes([0, 0, 99, 0]) + b"\0" * 12, R.INVALID_COMMAND),
    (bytes([0, 0, 20, 1]) + b"\0" * 12 + b"\0\0\0\x10\x00adm", R.INVALID_FIELD),   # field overruns
    (bytes([0, 0, 20, 1]) + b"\0" * 12 + b"\0\0\0", R.INVALID_FIELD),              # partial header
    (bytes([0, 0, 20, 1]) + b"\0" * 12 + b"\0\0\0\0\x00", R.INVALID_FIELD),        # size 0
    (bytes([0, 0, 20, 1]) + b"\0" * 12 + b"\xff\xff\xff\xff\x00", R.INVALID_FIELD),
])
def test_malformed_admin_messages(secure_server, raw, body, code):
    conn = raw()
    conn.send(wire.frame(wire.ProtoType.ADMIN, body))
    ptype, reply = conn.recv_proto()
    assert ptype == wire.ProtoType.ADMIN
    assert parse_records(reply)[0].result == code
    assert login(conn).result == R.OK  # the connection goes on
    assert alive(secure_server)


def test_unknown_fields_are_skipped_and_count_is_ignored(raw):
    body = bytearray(AdminMessage(Cmd.LOGIN, [(F.USER, b"admin"), (200, b"junk"),
                                              (F.CREDENTIAL, DEFAULT_ADMIN_HASH)]).encode())
    body[3] = 0  # a server walks the fields to the end of the message whatever the count says
    assert result(raw(), Cmd.LOGIN, raw_body=bytes(body)) == R.OK


def test_random_admin_messages_never_stop_the_server(secure_server, raw):
    rng = random.Random(1234)
    conn = raw()
    for _ in range(300):
        command = rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 10, 16, 20, rng.randrange(256)])
        fields = [(rng.randrange(24), rng.randbytes(rng.randrange(70))) for _ in range(rng.randrange(5))]
        body = bytearray(AdminMessage(command, fields).encode())
        if rng.random() < 0.3 and len(body) > 16:
            del body[rng.randrange(16, len(body)):]
        if rng.random() < 0.2:
            body[rng.randrange(len(body))] = rng.randrange(256)
        conn.send(wire.frame(wire.ProtoType.ADMIN, bytes(body)))
        while True:  # a query answers with several protos
            ptype, reply = conn.recv_proto()
            assert ptype == wire.ProtoType.ADMIN
            records = parse_records(reply)
            if command != Cmd.QUERY_USERS or records[-1].result != 0:
                break
    assert alive(secure_server)


def test_pipelined_login_then_commands(raw):
    conn = raw()
    conn.send(AdminMessage(Cmd.LOGIN, [(F.USER, b"admin"), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)]).to_proto()
              + put_msg("test", "sec", "pipe", {"a": 7}).to_proto() + wire.info.build_request(["build"]))
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.ADMIN and parse_records(body)[0].result == 0
    _, body = conn.recv_proto()
    # 81, not 80: the put ran on the logged-in socket (admin has no data privileges).
    assert wire.parse_message(body)[0].result_code == R.ROLE_VIOLATION
    _, body = conn.recv_proto()
    assert wire.info.parse_reply(body)["build"]


# -- security off, and the config context ---------------------------------------------------------

def test_without_security_admin_messages_answer_52(server, conn):
    conn.send(AdminMessage(Cmd.LOGIN, [(F.USER, b"admin"), (F.CREDENTIAL, DEFAULT_ADMIN_HASH)]).to_proto())
    ptype, body = conn.recv_proto()
    assert ptype == wire.ProtoType.ADMIN
    assert parse_records(body)[0].result == R.SECURITY_NOT_ENABLED
    assert conn.request(get_msg("test", "sec", "k")).result_code == R.KEY_NOT_FOUND


NS = "namespace test {\n storage-engine memory\n}\n"


def test_security_context_enables_security():
    assert parse_config(NS).security is None
    config = parse_config("security {\n}\n" + NS)
    assert config.security == SecurityConfig(session_ttl=86400)
    config = parse_config("""security {
    enable-quotas true
    privilege-refresh-period 300
    session-ttl 2h
    tps-weight 2
    log {
        report-authentication true
        report-user-admin true
    }
    ldap {
        query-base-dn dc=example,dc=org
    }
}
""" + NS)
    assert config.security.session_ttl == 7200 and config.security.enable_quotas
    assert parse_config("security {\n enable-security false\n}\n" + NS).security is None


@pytest.mark.parametrize("text,message", [
    ("security {\n session-ttl 10\n}\n", "conf:2: session-ttl: must be between 120 and 864000"),
    ("security {\n session-ttl 1 2\n}\n", "conf:2: 'session-ttl' takes one value"),
    ("security {\n bogus 1\n}\n", "conf:2: unknown setting 'bogus' in context 'security'"),
    ("security {\n log {\n  bogus 1\n }\n}\n", "conf:3: unknown setting 'bogus' in context 'log'"),
    ("security {\n weird {\n }\n}\n", "conf:2: unknown context 'weird' in security"),
    ("security {\n enable-quotas maybe\n}\n", "conf:2: enable-quotas:"),
])
def test_security_config_errors(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text + NS, "conf")
    assert message in str(info.value)


def test_local_cluster_shares_users(raw):
    with spikelite.start(load_config(SECURE_CONFIG), nodes=2) as cluster:
        a = RawConnection(*cluster.hosts[0])
        b = RawConnection(*cluster.hosts[1])
        try:
            assert login(a).result == 0
            assert create_user(a, "shared", "pw") == R.OK
            token = login(b, "shared", "pw").field(F.SESSION_TOKEN)
            c = RawConnection(*cluster.hosts[0])
            try:
                assert authenticate(c, "shared", token) == R.OK  # a token works on every node
            finally:
                c.close()
        finally:
            a.close()
            b.close()


def test_connections_count_drops_when_sockets_close(raw):
    conn = logged_in(raw)
    assert create_user(conn, "counted", "pw") == R.OK
    sockets = [logged_in(raw, "counted", "pw") for _ in range(3)]
    assert unpack_u32(query_users(conn, "counted")[0].field(F.CONNECTIONS)) == 3
    for s in sockets:
        s.close()
    deadline = time.monotonic() + 5
    while unpack_u32(query_users(conn, "counted")[0].field(F.CONNECTIONS)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert unpack_u32(query_users(conn, "counted")[0].field(F.CONNECTIONS)) == 0
