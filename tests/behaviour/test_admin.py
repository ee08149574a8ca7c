"""The admin API (users, roles, privileges, whitelists, quotas) against a node with security and
quotas on, and how the node enforces privileges: return shapes, refusals and their exceptions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import aerospike
from aerospike import exception

SECURE_CONFIG = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"
ADMIN = {"user": "admin", "password": "admin"}
NO_QUOTA = [0, 0, 0, 0]


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    if os.environ.get("SPIKELITE_HOST_PORT"):
        pytest.skip("these tests start their own server with security on")
    config = tmp_path_factory.mktemp("admin") / "spikelite-admin.conf"
    config.write_text(SECURE_CONFIG.read_text().replace("enable-quotas false", "enable-quotas true"))
    import spikelite
    with spikelite.spawn(config=str(config)) as child:
        yield child


@pytest.fixture(scope="module")
def admin(node):
    client = aerospike.client(dict({"hosts": node.hosts}, **ADMIN))
    # A user that may read and write everything, for setting up records.
    client.admin_create_user("data-owner", "owner-pw", ["read-write", "truncate"])
    try:
        yield client
    finally:
        client.close()


def _client(node, user: str, password: str):
    return aerospike.client({"hosts": node.hosts, "user": user, "password": password})


def _role(privileges, whitelist=(), read_quota=0, write_quota=0) -> dict:
    return {"privileges": privileges, "whitelist": list(whitelist), "read_quota": read_quota,
            "write_quota": write_quota}


def _priv(code: int, ns: str = "", set_name: str = "") -> dict:
    return {"ns": ns, "set": set_name, "code": code}


PREDEFINED = {
    "data-admin": [_priv(aerospike.PRIV_DATA_ADMIN)],
    "read": [_priv(aerospike.PRIV_READ)],
    "read-write": [_priv(aerospike.PRIV_READ_WRITE)],
    "read-write-udf": [_priv(aerospike.PRIV_READ_WRITE_UDF)],
    "sindex-admin": [_priv(aerospike.PRIV_SINDEX_ADMIN)],
    "sys-admin": [_priv(aerospike.PRIV_SYS_ADMIN)],
    "truncate": [_priv(aerospike.PRIV_TRUNCATE)],
    "udf-admin": [_priv(aerospike.PRIV_UDF_ADMIN)],
    "user-admin": [_priv(aerospike.PRIV_USER_ADMIN)],
    "write": [_priv(aerospike.PRIV_WRITE)],
}


def _raises(cls, code: int, call, *args, **kwargs):
    with pytest.raises(cls) as info:
        call(*args, **kwargs)
    assert info.value.code == code
    return info.value


# -- users ----------------------------------------------------------------------------------------

def test_user_lifecycle(node, admin):
    assert admin.admin_create_user("alice", "pw-1", ["read", "write"]) == 0
    error = _raises(exception.UserExistsError, 61, admin.admin_create_user, "alice", "x", ["read"])
    assert error.msg == "AEROSPIKE_USER_ALREADY_EXISTS"
    assert isinstance(error, exception.AdminError)
    assert admin.admin_query_user_info("alice") == {
        "roles": ["read", "write"], "read_info": NO_QUOTA, "write_info": NO_QUOTA, "conns_in_use": 0}
    users = admin.admin_query_users_info()
    assert users["alice"]["roles"] == ["read", "write"]
    assert users["admin"]["roles"] == ["user-admin"] and users["admin"]["conns_in_use"] >= 1
    assert admin.admin_grant_roles("alice", ["sys-admin", "not-yet-defined"]) == 0
    assert admin.admin_revoke_roles("alice", ["write", "not-yet-defined"]) == 0
    assert admin.admin_query_user_info("alice")["roles"] == ["read", "sys-admin"]

    alice = _client(node, "alice", "pw-1")
    try:
        assert admin.admin_query_user_info("alice")["conns_in_use"] >= 1
    finally:
        alice.close()
    assert admin.admin_set_password("alice", "pw-2") == 0
    _raises(exception.InvalidCredential, 65, _client, node, "alice", "pw-1")
    _client(node, "alice", "pw-2").close()

    assert admin.admin_drop_user("alice") == 0
    error = _raises(exception.InvalidUser, 60, admin.admin_drop_user, "alice")
    assert error.msg == "AEROSPIKE_INVALID_USER"
    _raises(exception.InvalidUser, 60, admin.admin_query_user_info, "alice")
    _raises(exception.InvalidUser, 60, admin.admin_set_password, "alice", "x")
    _raises(exception.InvalidUser, 60, admin.admin_grant_roles, "alice", ["read"])
    _raises(exception.InvalidUser, 60, _client, node, "alice", "pw-2")
    assert "alice" not in admin.admin_query_users_info()


def test_empty_role_lists(admin):
    assert admin.admin_create_user("no-roles", "pw", []) == 0
    assert admin.admin_query_user_info("no-roles")["roles"] == []
    _raises(exception.InvalidRole, 70, admin.admin_grant_roles, "no-roles", [])
    _raises(exception.InvalidRole, 70, admin.admin_revoke_roles, "no-roles", [])
    admin.admin_drop_user("no-roles")


def test_change_own_password(node, admin):
    admin.admin_create_user("bob", "old-pw", ["read"])
    bob = _client(node, "bob", "old-pw")
    try:
        assert bob.admin_change_password("bob", "new-pw") == 0
        _client(node, "bob", "new-pw").close()
        _raises(exception.InvalidCredential, 65, _client, node, "bob", "old-pw")
        # The client's own later logins use the new password.
        bob.close()
        bob.connect("bob", "new-pw")
        assert bob.admin_query_user_info("bob")["roles"] == ["read"]
    finally:
        bob.close()
        admin.admin_drop_user("bob")


def test_pki_user(admin):
    assert admin.admin_create_pki_user("pki-user", ["read"]) == 0
    assert admin.admin_query_user_info("pki-user")["roles"] == ["read"]
    _raises(exception.UserExistsError, 61, admin.admin_create_pki_user, "pki-user", ["read"])
    admin.admin_drop_user("pki-user")


# -- roles ----------------------------------------------------------------------------------------

def test_predefined_roles(admin):
    roles = admin.admin_query_roles()
    assert {name: privs for name, privs in roles.items() if name in PREDEFINED} == PREDEFINED
    assert admin.admin_query_role("read-write") == [_priv(aerospike.PRIV_READ_WRITE)]
    assert admin.admin_get_role("user-admin") == _role([_priv(aerospike.PRIV_USER_ADMIN)])
    every = admin.admin_get_roles()
    assert every["sys-admin"] == _role([_priv(aerospike.PRIV_SYS_ADMIN)])
    _raises(exception.RoleExistsError, 71, admin.admin_create_role, "read", [_priv(aerospike.PRIV_READ)])
    _raises(exception.InvalidRole, 70, admin.admin_drop_role, "read")
    _raises(exception.InvalidRole, 70, admin.admin_grant_privileges, "write", [{"code": aerospike.PRIV_READ}])
    _raises(exception.InvalidRole, 70, admin.admin_set_whitelist, "write", ["127.0.0.1"])


def test_role_lifecycle(admin):
    privileges = [{"code": aerospike.PRIV_READ, "ns": "test", "set": "s1"},
                  {"code": aerospike.PRIV_SYS_ADMIN}]
    assert admin.admin_create_role("analyst", privileges) == 0
    error = _raises(exception.RoleExistsError, 71, admin.admin_create_role, "analyst", privileges)
    assert error.msg == "AEROSPIKE_ROLE_ALREADY_EXISTS"
    # Privileges come back sorted by code, then namespace and set.
    expected = [_priv(aerospike.PRIV_SYS_ADMIN), _priv(aerospike.PRIV_READ, "test", "s1")]
    assert admin.admin_query_role("analyst") == expected
    assert admin.admin_get_role("analyst") == _role(expected)
    assert admin.admin_query_roles()["analyst"] == expected
    assert admin.admin_get_roles()["analyst"] == _role(expected)

    assert admin.admin_grant_privileges("analyst", [{"code": aerospike.PRIV_WRITE, "ns": "test"}]) == 0
    assert admin.admin_revoke_privileges("analyst", [{"code": aerospike.PRIV_SYS_ADMIN}]) == 0
    expected = [_priv(aerospike.PRIV_READ, "test", "s1"), _priv(aerospike.PRIV_WRITE, "test")]
    assert admin.admin_query_role("analyst") == expected

    assert admin.admin_set_whitelist("analyst", ["127.0.0.1", "10.0.0.0/8"]) == 0
    assert admin.admin_get_role("analyst")["whitelist"] == ["127.0.0.1", "10.0.0.0/8"]
    assert admin.admin_set_whitelist("analyst", None) == 0
    assert admin.admin_get_role("analyst")["whitelist"] == []
    assert admin.admin_set_whitelist("analyst", ["127.0.0.1"]) == 0
    assert admin.admin_set_whitelist("analyst", []) == 0
    assert admin.admin_get_role("analyst")["whitelist"] == []

    assert admin.admin_set_quotas("analyst", 100, 200) == 0
    assert admin.admin_get_role("analyst") == _role(expected, read_quota=100, write_quota=200)
    assert admin.admin_set_quotas("analyst", read_quota=0, write_quota=0) == 0
    assert admin.admin_get_role("analyst") == _role(expected)

    assert admin.admin_drop_role("analyst") == 0
    error = _raises(exception.InvalidRole, 70, admin.admin_drop_role, "analyst")
    assert error.msg == "AEROSPIKE_INVALID_ROLE"
    _raises(exception.InvalidRole, 70, admin.admin_query_role, "analyst")
    _raises(exception.InvalidRole, 70, admin.admin_get_role, "analyst")
    _raises(exception.InvalidRole, 70, admin.admin_grant_privileges, "analyst", [{"code": aerospike.PRIV_READ}])
    _raises(exception.InvalidRole, 70, admin.admin_set_quotas, "analyst", 1, 1)
    assert "analyst" not in admin.admin_query_roles()


def test_create_role_with_whitelist_and_quotas(admin):
    assert admin.admin_create_role("limited", [{"code": aerospike.PRIV_READ_WRITE, "ns": "test"}],
                                   whitelist=["127.0.0.1", "192.168.0.0/16"], read_quota=10,
                                   write_quota=20) == 0
    assert admin.admin_get_role("limited") == _role(
        [_priv(aerospike.PRIV_READ_WRITE, "test")], ["127.0.0.1", "192.168.0.0/16"], 10, 20)
    # No privileges, but a whitelist: still a role.
    assert admin.admin_create_role("only-whitelist", [], whitelist=["127.0.0.1"]) == 0
    assert admin.admin_get_role("only-whitelist") == _role([], ["127.0.0.1"])
    assert admin.admin_query_role("only-whitelist") == []
    admin.admin_drop_role("limited")
    admin.admin_drop_role("only-whitelist")


def test_dropped_role_leaves_its_users(admin):
    admin.admin_create_role("temp-role", [{"code": aerospike.PRIV_READ}])
    admin.admin_create_user("carol", "pw", ["temp-role", "write"])
    admin.admin_drop_role("temp-role")
    assert admin.admin_query_user_info("carol")["roles"] == ["write"]
    admin.admin_drop_user("carol")


def test_role_errors(admin):
    error = _raises(exception.InvalidPrivilege, 72, admin.admin_create_role, "nothing", [])
    assert error.msg == "AEROSPIKE_INVALID_PRIVILEGE"
    _raises(exception.InvalidPrivilege, 72, admin.admin_create_role, "bad-code", [{"code": 7}])
    error = _raises(exception.InvalidWhitelist, 73, admin.admin_create_role, "bad-wl",
                    [{"code": aerospike.PRIV_READ}], whitelist=["not-an-address"])
    assert error.msg == "AEROSPIKE_INVALID_WHITELIST"
    admin.admin_create_role("err-role", [{"code": aerospike.PRIV_READ}])
    try:
        _raises(exception.InvalidPrivilege, 72, admin.admin_grant_privileges, "err-role", [])
        _raises(exception.InvalidPrivilege, 72, admin.admin_revoke_privileges, "err-role", [])
        _raises(exception.InvalidWhitelist, 73, admin.admin_set_whitelist, "err-role", ["1.2.3"])
    finally:
        admin.admin_drop_role("err-role")
    assert not {"nothing", "bad-code", "bad-wl"} & set(admin.admin_query_roles())


def test_privilege_codes_are_read_as_c_longs(admin):
    # bool is an int; a code that is no C long goes to the node as 0xFF (the C client's -1)
    assert admin.admin_create_role("bool-code", [{"code": True}]) == 0
    try:
        assert admin.admin_get_role("bool-code")["privileges"] == [_priv(aerospike.PRIV_SYS_ADMIN)]
        for code in ("x", 1.5, 2**64):
            _raises(exception.InvalidPrivilege, 72, admin.admin_grant_privileges, "bool-code", [{"code": code}])
    finally:
        admin.admin_drop_role("bool-code")
    _raises(exception.InvalidPrivilege, 72, admin.admin_create_role, "str-code", [{"code": "x"}])
    _raises(exception.InvalidRole, 70, admin.admin_grant_privileges, "no-such-role", [{"code": "x"}])
    assert "str-code" not in admin.admin_query_roles()


def test_argument_errors(admin):
    cases = [
        (exception.ParamError, "Username should be a string", admin.admin_create_user, (1, "p", ["read"])),
        (exception.ParamError, "Password should be a string", admin.admin_create_user, ("x", 1, ["read"])),
        (exception.ParamError, "Roles should be a list", admin.admin_create_user, ("x", "p", "read")),
        (exception.ClientError, "Unable to convert unicode object to C string", admin.admin_create_user,
         ("x", "p", [1])),
        (exception.ClientError, "Max user length 63 exceeded: 70", admin.admin_create_user,
         ("x" * 70, "p", ["read"])),
        (exception.ClientError, "not a list", admin.admin_grant_roles, ("admin", "read")),
        (exception.ParamError, "Username should be a string", admin.admin_drop_user, (1,)),
        (exception.ParamError, "Password should be a string", admin.admin_set_password, ("x", 1)),
        (exception.ParamError, "Username should be a string", admin.admin_create_pki_user, (1, ["read"])),
        (exception.ParamError, "Role name should be a string", admin.admin_create_role, (5, [])),
        (exception.ParamError, "Role name should be a string", admin.admin_query_role, (5,)),
        (exception.ParamError, "Role name should be a string", admin.admin_get_role, (5,)),
        (exception.ParamError, "Role name should be a string", admin.admin_drop_role, (5,)),
        (exception.ParamError, "Privileges should be a list", admin.admin_create_role, ("r", "read")),
        (exception.ParamError, "Code is a compulsory parameter in privileges dictionary",
         admin.admin_create_role, ("r", [{"ns": "test"}])),
        (exception.ParamError, "Admin privilege has namespace/set scope which is invalid.",
         admin.admin_create_role, ("r", [{"code": aerospike.PRIV_SYS_ADMIN, "ns": "test"}])),
        (exception.ParamError, "Whitelist must be a list of IP strings, or None.",
         admin.admin_set_whitelist, ("r", "127.0.0.1")),
        (exception.ParamError, "py_read_quota must be an integer.", admin.admin_set_quotas, ("r", "a")),
        (exception.ParamError, "policy must be a dict", admin.admin_drop_user, ("x", 1)),
    ]
    for cls, message, call, args in cases:
        with pytest.raises(cls) as info:
            call(*args)
        assert info.value.msg == message, (call.__name__, args)
    with pytest.raises(exception.ParamError) as info:
        admin.admin_create_role("r", [{"code": aerospike.PRIV_READ}], whitelist="127.0.0.1")
    assert info.value.msg == "Whitelist must be a list of IP strings."


def test_admin_calls_on_a_closed_client(node):
    client = _client(node, "admin", "admin")
    client.close()
    with pytest.raises(exception.ClusterError) as info:
        client.admin_query_users_info()
    assert info.value.code == 11


# -- enforcement ----------------------------------------------------------------------------------

def test_user_admin_needed_for_administration(node, admin):
    admin.admin_create_user("plain", "pw", ["read"])
    plain = _client(node, "plain", "pw")
    try:
        error = _raises(exception.RoleViolation, 81, plain.admin_create_user, "x", "y", ["read"])
        assert error.msg == "AEROSPIKE_ROLE_VIOLATION"
        assert isinstance(error, exception.AdminError)
        for call, args in [(plain.admin_drop_user, ("admin",)), (plain.admin_set_password, ("admin", "x")),
                           (plain.admin_grant_roles, ("plain", ["user-admin"])),
                           (plain.admin_revoke_roles, ("admin", ["user-admin"])),
                           (plain.admin_query_users_info, ()), (plain.admin_query_user_info, ("admin",)),
                           (plain.admin_create_role, ("r", [{"code": aerospike.PRIV_READ}])),
                           (plain.admin_drop_role, ("read",)), (plain.admin_query_roles, ()),
                           (plain.admin_get_roles, ()), (plain.admin_get_role, ("write",))]:
            _raises(exception.RoleViolation, 81, call, *args)
        # Its own user record and roles need no privilege.
        assert plain.admin_query_user_info("plain")["roles"] == ["read"]
        assert plain.admin_query_role("read") == [_priv(aerospike.PRIV_READ)]
        assert plain.admin_get_role("read") == _role([_priv(aerospike.PRIV_READ)])
    finally:
        plain.close()
        admin.admin_drop_user("plain")
    # user-admin alone grants no data access.
    _raises(exception.RoleViolation, 81, admin.put, ("test", "s", "k"), {"a": 1})
    _raises(exception.RoleViolation, 81, admin.get, ("test", "s", "k"))


def test_scoped_data_privileges(node, admin, set_name):
    other = set_name + "-other"
    owner = _client(node, "data-owner", "owner-pw")
    admin.admin_create_role("set-reader", [{"code": aerospike.PRIV_READ, "ns": "test", "set": set_name},
                                           {"code": aerospike.PRIV_WRITE, "ns": "test", "set": other}])
    admin.admin_create_user("scoped", "pw", ["set-reader"])
    scoped = _client(node, "scoped", "pw")
    try:
        owner.put(("test", set_name, 1), {"a": 1})
        owner.put(("test", other, 1), {"a": 2})
        assert scoped.get(("test", set_name, 1))[2] == {"a": 1}
        _raises(exception.RoleViolation, 81, scoped.get, ("test", other, 1))
        _raises(exception.RoleViolation, 81, scoped.put, ("test", set_name, 1), {"a": 3})
        assert scoped.put(("test", other, 1), {"a": 4}) == 0
        _raises(exception.RoleViolation, 81, scoped.remove, ("test", set_name, 1))
        assert [bins for _, _, bins in scoped.query("test", set_name).results()] == [{"a": 1}]
        _raises(exception.RoleViolation, 81, scoped.query("test", other).results)
        _raises(exception.RoleViolation, 81, scoped.truncate, "test", set_name, 0)
        # Granting read on the namespace opens the other set too; privileges apply at once.
        admin.admin_grant_privileges("set-reader", [{"code": aerospike.PRIV_READ, "ns": "test"}])
        assert scoped.get(("test", other, 1))[2] == {"a": 4}
        admin.admin_revoke_roles("scoped", ["set-reader"])
        _raises(exception.RoleViolation, 81, scoped.get, ("test", set_name, 1))
        # Info commands without a privilege of their own still work.
        (error, value), = scoped.info_all("build").values()
        assert error is None and value.strip()
        assert owner.truncate("test", set_name, 0) == 0
    finally:
        scoped.close()
        owner.close()
        admin.admin_drop_user("scoped")
        admin.admin_drop_role("set-reader")


def test_batch_rows_checked_one_by_one(node, admin, set_name):
    other = set_name + "-b"
    owner = _client(node, "data-owner", "owner-pw")
    admin.admin_create_role("batch-reader", [{"code": aerospike.PRIV_READ, "ns": "test", "set": set_name}])
    admin.admin_create_user("batcher", "pw", ["batch-reader"])
    batcher = _client(node, "batcher", "pw")
    try:
        owner.put(("test", set_name, 1), {"a": 1})
        owner.put(("test", other, 1), {"a": 2})
        records = batcher.batch_read([("test", set_name, 1), ("test", other, 1)]).batch_records
        assert [r.result for r in records] == [0, 81]
        assert records[0].record[2] == {"a": 1}
    finally:
        batcher.close()
        owner.close()
        admin.admin_drop_user("batcher")
        admin.admin_drop_role("batch-reader")


def test_admin_info_commands_need_privileges(node, admin):
    admin.admin_create_user("reader-only", "pw", ["read"])
    reader = _client(node, "reader-only", "pw")
    try:
        _raises(exception.RoleViolation, 81, reader.truncate, "test", None, 0)
        _raises(exception.RoleViolation, 81, reader.index_single_value_create, "test", "s", "a",
                aerospike.INDEX_NUMERIC, "idx_not_allowed")
    finally:
        reader.close()
        admin.admin_drop_user("reader-only")


def test_whitelist_refuses_login(node, admin):
    admin.admin_create_role("far-away", [{"code": aerospike.PRIV_READ}], whitelist=["10.9.9.9"])
    admin.admin_create_user("remote", "pw", ["far-away"])
    try:
        error = _raises(exception.NotWhitelisted, 82, _client, node, "remote", "pw")
        assert isinstance(error, exception.AdminError)
        admin.admin_set_whitelist("far-away", ["127.0.0.0/8"])
        _client(node, "remote", "pw").close()
    finally:
        admin.admin_drop_user("remote")
        admin.admin_drop_role("far-away")
