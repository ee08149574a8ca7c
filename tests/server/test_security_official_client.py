"""spikelite's user administration driven by the official client's admin_* calls (the admin API in
both clients is in tests/behaviour/test_admin.py). Skipped without the official client."""

from __future__ import annotations

from pathlib import Path

import pytest

aerospike = pytest.importorskip("aerospike")
if getattr(aerospike, "__purespike__", False):
    pytest.skip("needs the official aerospike client", allow_module_level=True)

from aerospike import exception  # noqa: E402

import spikelite  # noqa: E402

from .conftest import RawConnection  # noqa: E402
from .test_security import admin, login  # noqa: E402
from spikelite.wire.admin import AdminCommand, AdminField, unpack_u32  # noqa: E402

CONFIG = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"


@pytest.fixture(scope="module")
def secure():
    # A child process: the C client may hold the GIL while it waits for the server.
    with spikelite.spawn(config=str(CONFIG)) as child:
        yield child


@pytest.fixture(scope="module")
def admin_client(secure):
    client = aerospike.client({"hosts": secure.hosts, "user": "admin", "password": "admin"})
    yield client
    client.close()


def connect_as(secure, user, password):
    return aerospike.client({"hosts": secure.hosts, "user": user, "password": password})


def test_create_query_and_drop_user(secure, admin_client):
    admin_client.admin_create_user("dave", "secret", ["read-write"])
    with pytest.raises(exception.UserExistsError) as info:
        admin_client.admin_create_user("dave", "secret", ["read"])
    assert info.value.code == 61
    assert admin_client.admin_query_user_info("dave") == {
        "roles": ["read-write"], "read_info": None, "write_info": None, "conns_in_use": 0}

    dave = connect_as(secure, "dave", "secret")
    try:
        assert dave.exists(("test", "official-admin", "k"))[1] is None
        assert admin_client.admin_query_user_info("dave")["conns_in_use"] >= 1
    finally:
        dave.close()

    admin_client.admin_grant_roles("dave", ["sys-admin"])
    admin_client.admin_revoke_roles("dave", ["read-write"])
    assert admin_client.admin_query_user_info("dave")["roles"] == ["sys-admin"]
    users = admin_client.admin_query_users_info()
    assert {"admin", "dave"} <= set(users) and users["admin"]["roles"] == ["user-admin"]

    admin_client.admin_drop_user("dave")
    with pytest.raises(exception.InvalidUser):
        admin_client.admin_drop_user("dave")
    with pytest.raises(exception.InvalidUser):
        admin_client.admin_query_user_info("dave")
    with pytest.raises(exception.InvalidUser):
        connect_as(secure, "dave", "secret")


def test_passwords(secure, admin_client):
    admin_client.admin_create_user("erin", "one", ["read"])
    admin_client.admin_set_password("erin", "two")  # SET_PASSWORD: an administrator's call
    with pytest.raises(exception.InvalidCredential):
        connect_as(secure, "erin", "one")
    erin = connect_as(secure, "erin", "two")
    try:
        erin.admin_change_password("erin", "three")  # CHANGE_PASSWORD: old hash + new hash
    finally:
        erin.close()
    connect_as(secure, "erin", "three").close()
    with pytest.raises(exception.InvalidCredential):
        connect_as(secure, "erin", "two")


def test_client_sockets_are_counted(secure, admin_client):
    conn = RawConnection(secure.host, secure.port)
    try:
        assert login(conn).result == 0
        record = admin(conn, AdminCommand.QUERY_USERS, [(AdminField.USER, b"admin")])[0]
        # this socket, plus the admin client's tend and command sockets
        assert unpack_u32(record.field(AdminField.CONNECTIONS)) >= 2
    finally:
        conn.close()
