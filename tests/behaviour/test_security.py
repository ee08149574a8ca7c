"""Against a node with security on (tests/spikelite-secure.conf; user admin / password admin):
login with user and password, every pooled socket authenticated, and how refusals are raised."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import aerospike
from aerospike import exception

CONFIG = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"
CREDENTIALS = {"user": "admin", "password": "admin"}


@pytest.fixture(scope="module")
def secure():
    if os.environ.get("SPIKELITE_HOST_PORT"):
        pytest.skip("these tests start their own server with security on")
    import spikelite
    with spikelite.spawn(config=str(CONFIG)) as child:
        # A fresh node's admin has only user-admin; these tests also read and write data with it.
        client = aerospike.client(dict({"hosts": child.hosts}, **CREDENTIALS))
        try:
            client.admin_grant_roles("admin", ["read-write"])
        finally:
            client.close()
        yield child


@pytest.fixture
def secure_client(secure):
    client = aerospike.client(dict({"hosts": secure.hosts}, **CREDENTIALS))
    try:
        yield client
    finally:
        client.close()


def _stat(client, name: str) -> int:
    (_, text), = client.info_all("statistics").values()
    text = text.strip().split("\t", 1)[-1]
    return int(dict(kv.split("=", 1) for kv in text.split(";"))[name])


def test_login_then_put_get_and_info(secure_client, set_name):
    key = ("test", set_name, "k")
    secure_client.put(key, {"a": 1, "s": "x"})
    _, meta, bins = secure_client.get(key)
    assert bins == {"a": 1, "s": "x"} and meta["gen"] == 1
    assert secure_client.exists(key)[1]["gen"] == 1
    secure_client.remove(key)
    with pytest.raises(exception.RecordNotFound):
        secure_client.get(key)
    builds = secure_client.info_all("build")
    assert len(builds) == 1
    (error, value), = builds.values()
    assert error is None and value.strip()


def test_new_pooled_sockets_authenticate(secure, secure_client, set_name):
    keys = [("test", set_name, i) for i in range(20)]
    for i, key in enumerate(keys):
        secure_client.put(key, {"v": i})
    opened_before = _stat(secure_client, "client_connections_opened")
    threads, errors, start = [], [], threading.Barrier(8)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(10):
                for i, key in enumerate(keys):
                    assert secure_client.get(key)[2] == {"v": i}
        except BaseException as exc:  # reported below
            errors.append(exc)

    for _ in range(8):
        threads.append(threading.Thread(target=worker))
        threads[-1].start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]
    # Concurrent commands needed more sockets than the client had: they were opened and logged in.
    assert _stat(secure_client, "client_connections_opened") > opened_before


def test_connect_with_credentials(secure, set_name):
    client = aerospike.client(dict({"hosts": secure.hosts}, **CREDENTIALS))
    client.close()
    assert not client.is_connected()
    client.connect("admin", "admin")
    try:
        assert client.is_connected()
        client.put(("test", set_name, "c"), {"a": 2})
        assert client.get(("test", set_name, "c"))[2] == {"a": 2}
    finally:
        client.close()
    with pytest.raises(exception.InvalidCredential) as info:
        client.connect("admin", "not-the-password")
    assert info.value.code == 65
    assert not client.is_connected()


def test_wrong_password(secure):
    with pytest.raises(exception.InvalidCredential) as info:
        aerospike.client({"hosts": secure.hosts, "user": "admin", "password": "wrong"})
    assert info.value.code == 65
    assert info.value.msg == "Failed to connect"
    assert isinstance(info.value, exception.AdminError)


def test_unknown_user(secure):
    with pytest.raises(exception.InvalidUser) as info:
        aerospike.client({"hosts": secure.hosts, "user": "nobody", "password": "admin"})
    assert info.value.code == 60
    assert info.value.msg == "Failed to connect"
    assert isinstance(info.value, exception.AdminError)


def test_no_credentials_against_a_secured_node(secure):
    with pytest.raises(exception.NotAuthenticated) as info:
        aerospike.client({"hosts": secure.hosts})
    assert info.value.code == 80
    assert info.value.msg == "Failed to connect"
    assert isinstance(info.value, exception.AdminError)


def test_empty_password_is_a_parameter_error(secure):
    with pytest.raises(exception.ParamError):
        aerospike.client({"hosts": secure.hosts, "user": "admin", "password": ""})


def test_user_without_password_does_not_log_in(secure):
    with pytest.raises(exception.NotAuthenticated) as info:
        aerospike.client({"hosts": secure.hosts, "user": "admin"})
    assert info.value.code == 80
