"""User and role administration (admin protocol, proto type 2), as the official client's admin_* API.

Each call sends one admin message on a pooled (already authenticated) connection of a random node
and reads the reply: a single header for commands, a stream of records ending with result 50
(QUERY_END) for QUERY_USERS / QUERY_ROLES. A non-zero result raises the official client's
exception for it, with the C client's status name as message (`AEROSPIKE_ROLE_VIOLATION`).
Argument checks and quirks follow the official client 19.x (checked against it on spikelite).
"""

from __future__ import annotations

import operator
import time

from spikewire import MalformedMessage, ProtoType, ResultCode
from spikewire.admin import (MAX_USER_SIZE, SCOPED_PRIVILEGE_MIN, AdminCommand, AdminField,
                                  AdminMessage, pack_privileges, pack_roles, pack_u32, parse_records,
                                  unpack_privileges, unpack_roles)

from . import exception
from ._auth import hash_password
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._io import Exchange
from ._errors import client_error, error_name, param_error

_QUERY_END = 50
#: Longest role name the C client sends (its buffers hold 64 bytes with the NUL).
_MAX_ROLE_SIZE = 63
#: AS_IP_ADDRESS_SIZE: the C client's buffer for one whitelist address (with its NUL).
_IP_ADDRESS_SIZE = 64
#: The password a PKI user is created with (the C client's fixed placeholder).
_PKI_PASSWORD = "nopassword"


def _status_message(code: int) -> str:
    return error_name(code)


# -- argument checks ------------------------------------------------------------------------------

def _user(name) -> bytes:
    if not isinstance(name, str):
        raise param_error("Username should be a string")
    data = name.encode()
    if len(data) > MAX_USER_SIZE:
        raise client_error("Max user length %d exceeded: %d" % (MAX_USER_SIZE, len(data)))
    return data


def _password(password) -> bytes:
    if not isinstance(password, str):
        raise param_error("Password should be a string")
    return hash_password(password)


def _role(name) -> bytes:
    """A role name: any str (the official client sends it whole; the node judges its length)."""
    if not isinstance(name, str):
        raise param_error("Role name should be a string")
    return name.encode()


def _roles(roles, create: bool = False) -> bytes:
    if not isinstance(roles, list):
        raise param_error("Roles should be a list") if create else client_error("not a list")
    names = []
    for role in roles:
        if not isinstance(role, str):
            raise client_error("Unable to convert unicode object to C string")
        if len(role.encode()) > _MAX_ROLE_SIZE:
            raise client_error("String exceeds max length")
        names.append(role)
    return pack_roles(names)


def _admin_policy_timeout(timeout) -> int:
    """An admin policy's timeout as the official client reads it: any int (a C uint32: a negative
    one wraps), else "timeout is invalid"."""
    if not isinstance(timeout, int):
        raise param_error("timeout is invalid")
    if not -(1 << 63) <= timeout < (1 << 63):
        raise client_error("Unable to fetch long value from policy field")
    return int(timeout) & 0xFFFFFFFF


def check_admin_policy(policy) -> None:
    """An admin call's policy, converted first by the official admin methods (see
    _arguments.CHECKS): a dict (or None) whose timeout, when given, is an int."""
    if policy is None:
        return
    if not isinstance(policy, dict):
        raise param_error("policy must be a dict")
    if "timeout" in policy:
        _admin_policy_timeout(policy["timeout"])


def _c_long(value) -> int | None:
    """`value` as the C API's PyLong_AsLong reads it; None where that fails (leaving a Python
    error set in the official client)."""
    try:
        number = operator.index(value)
    except TypeError:
        return None
    return number if -(1 << 63) <= number < (1 << 63) else None


class _Privileges:
    """A privileges list converted as the official client converts it: the privileges, the error
    the conversion stopped on (None: none), and whether a code that is not a C long left a Python
    error set (`pending`), which later steps of the official method then stumble on."""

    __slots__ = ("privileges", "error", "pending")

    def __init__(self, privileges):
        self.privileges: list[tuple[int, str, str]] = []
        self.error: Exception | None = None
        self.pending = False
        for privilege in privileges:
            if not isinstance(privilege, dict):
                continue  # the official client passes over what is not a dict
            if "code" not in privilege:
                self.error = param_error("Code is a compulsory parameter in privileges dictionary")
                return
            code = _c_long(privilege["code"])
            if code is None:  # the C client goes on with -1
                self.pending, code = True, -1
            namespace, set_name = privilege.get("ns", ""), privilege.get("set", "")
            for value in (namespace, set_name):
                if not isinstance(value, str):
                    raise client_error("Unable to convert unicode object to C string")
                if len(value.encode()) > 255:  # what one length byte can say (the C client overflows)
                    raise client_error("String exceeds max length")
            self.privileges.append((code & 0xFFFFFFFF, namespace, set_name))  # a C enum: 32 bits

    def packed(self) -> bytes:
        """The PRIVILEGES field; a global privilege (code under 10, as an unsigned C enum) with a
        namespace or set is refused here, when the C client writes the request."""
        for code, namespace, set_name in self.privileges:
            if code < SCOPED_PRIVILEGE_MIN and (namespace or set_name):
                raise param_error("Admin privilege has namespace/set scope which is invalid.")
        return pack_privileges([(code & 0xFF, ns, set_name) for code, ns, set_name in self.privileges])


def _policy_with_pending(policy) -> None:
    """The admin policy's conversion when a Python error is still set: a missing timeout (looked
    up with PyDict_GetItemWithError) or a timeout of -1 (read with PyLong_AsLong) reports it."""
    if policy is None:
        return
    if "timeout" not in policy:
        raise client_error("Unable to fetch field from policy dictionary")
    timeout = policy["timeout"]
    if isinstance(timeout, int) and timeout == -1:
        raise client_error("Unable to fetch long value from policy field")


def _whitelist_items(whitelist, pending: bool) -> None:
    """A whitelist list's items as the official client copies them (after the list's own check)."""
    if pending:  # PyList_Size, then PyErr_Occurred()
        raise client_error("Failed to get list size")
    for address in whitelist:
        if not isinstance(address, str):
            raise client_error("Unable to convert unicode object to C string")
        if len(address.encode()) >= _IP_ADDRESS_SIZE:
            raise client_error("String exceeds max length")


_UNSET = object()


def check_privileges_call(privileges, role, policy=None) -> None:
    """admin_grant_privileges / admin_revoke_privileges after the privileges' list check, in the
    official order: the privileges converted (their error kept), then the policy converted (which
    resets that error when a policy is given), then the role."""
    converted = _Privileges(privileges)
    check_admin_policy(policy)
    if policy is None and converted.error is not None:
        raise converted.error
    if converted.pending:
        _policy_with_pending(policy)
    if not isinstance(role, str):
        raise param_error("Role name should be a string")


def check_create_role_call(privileges=None, policy=None, whitelist=_UNSET) -> None:
    """admin_create_role after the role's and the privileges' list checks, in the official order:
    the privileges (their first error stops the call), the policy, the whitelist (None, given,
    is not a list)."""
    converted = _Privileges(privileges) if privileges is not None else None
    if converted is not None and converted.error is not None:
        raise converted.error
    pending = converted is not None and converted.pending
    check_admin_policy(policy)
    if pending:
        _policy_with_pending(policy)
    if whitelist is not _UNSET:
        if not isinstance(whitelist, list):
            raise param_error("Whitelist must be a list of IP strings.")
        _whitelist_items(whitelist, pending)


def _whitelist(whitelist, message: str) -> bytes | None:
    if not isinstance(whitelist, list):
        raise param_error(message)
    _whitelist_items(whitelist, False)
    return ",".join(whitelist).encode() if whitelist else None


def _quota(value, name: str) -> bytes:
    if isinstance(value, bool) or not isinstance(value, int):
        raise param_error("%s must be an integer." % name)
    return pack_u32(value & 0xFFFFFFFF)


# -- reply decoding -------------------------------------------------------------------------------

def _info_list(data: bytes | None) -> list[int] | None:
    if data is None:
        return None
    if not data:
        return []
    count = data[0]
    return [int.from_bytes(data[1 + 4 * i:5 + 4 * i], "big") for i in range(count)
            if 5 + 4 * i <= len(data)]


def _signed(data: bytes | None) -> int:
    if data is None or len(data) != 4:
        return 0
    return int.from_bytes(data, "big", signed=True)


def _user_info(record: AdminMessage) -> tuple[str, dict]:
    name = (record.field(AdminField.USER) or b"").decode("utf-8", "replace")
    roles_field = record.field(AdminField.ROLES)
    roles = unpack_roles(roles_field) if roles_field else []
    conns = record.field(AdminField.CONNECTIONS)
    return name, {"roles": roles,
                  "read_info": _info_list(record.field(AdminField.READ_INFO)),
                  "write_info": _info_list(record.field(AdminField.WRITE_INFO)),
                  "conns_in_use": int.from_bytes(conns, "big") if conns else 0}


def _role_info(record: AdminMessage) -> tuple[str, dict]:
    name = (record.field(AdminField.ROLE) or b"").decode("utf-8", "replace")
    privileges_field = record.field(AdminField.PRIVILEGES)
    privileges = unpack_privileges(privileges_field) if privileges_field else []
    whitelist = record.field(AdminField.WHITELIST)
    return name, {"privileges": [{"ns": ns, "set": set_name, "code": code}
                                 for code, ns, set_name in privileges],
                  "whitelist": whitelist.decode("utf-8", "replace").split(",") if whitelist else [],
                  "read_quota": _signed(record.field(AdminField.READ_QUOTA)),
                  "write_quota": _signed(record.field(AdminField.WRITE_QUOTA))}


class Admin:
    """The admin_* methods of one Client (which delegates to them)."""

    def __init__(self, client):
        self.client = client

    # -- transport --------------------------------------------------------------------------------

    def _admin_timeout(self, policy) -> float:
        check_admin_policy(policy)
        if policy and "timeout" in policy:
            return _admin_policy_timeout(policy["timeout"]) / 1000.0
        return _admin_policy_timeout(self.client._policies["admin"].get("timeout", 1000)) / 1000.0

    def _admin_exchange(self, command: int, fields: list, policy, query: bool = False) -> list[AdminMessage]:
        """Send one admin request; the reply records (query: every record before QUERY_END)."""
        timeout = self._admin_timeout(policy)
        cluster = self.client._require()
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(11, "No nodes available")
        deadline = time.monotonic() + timeout if timeout else None
        records: list[AdminMessage] = []
        outcome = [0]

        def receive(ptype: int, body: bytes) -> bool:
            if ptype != ProtoType.ADMIN:
                raise MalformedMessage("proto type %d in an admin reply" % ptype)
            batch = parse_records(body)
            if not batch:
                raise MalformedMessage("empty admin reply")
            for record in batch:
                if record.result != 0 or not query:
                    outcome[0] = record.result
                    return True
                records.append(record)
            return False

        try:
            yield Exchange(node, AdminMessage(command, fields).to_proto(), timeout or None, deadline, receive)
        except MalformedMessage as exc:
            raise client_error("bad admin reply: %s" % exc) from None
        except (ConnectionFailed, NoMoreConnections, OSError) as exc:
            raise self._admin_io_error(exc, node) from None
        result = outcome[0]
        if result and not (query and result == _QUERY_END):
            raise exception.exception_for(result, _status_message(result))
        return records

    @staticmethod
    def _admin_io_error(exc, node):
        if getattr(exc, "timeout", False):
            return exception.exception_for(ResultCode.TIMEOUT, "timeout from %s:%d" % node.host)
        return exception.exception_for(-10, "%s from %s:%d" % (exc, *node.host))

    def _admin_command(self, command: int, fields: list, policy) -> int:
        yield from self._admin_exchange(command, fields, policy)
        return 0

    def _password_changed(self, user: bytes, credential: bytes) -> None:
        """Our own password changed: later logins (new sockets) use the new one."""
        cluster = self.client._cluster
        authenticator = getattr(cluster, "authenticator", None) if cluster is not None else None
        if authenticator is not None and authenticator.user.encode() == user:
            authenticator.credential = credential

    # -- users ------------------------------------------------------------------------------------

    def admin_create_user(self, username, password, roles, policy=None):
        user, credential, packed = _user(username), _password(password), _roles(roles, create=True)
        return (yield from self._admin_command(AdminCommand.CREATE_USER, [
            (AdminField.USER, user), (AdminField.PASSWORD, credential), (AdminField.ROLES, packed)], policy))

    def admin_create_pki_user(self, username, roles, policy=None):
        user, packed = _user(username), _roles(roles, create=True)
        return (yield from self._admin_command(AdminCommand.CREATE_USER, [
            (AdminField.USER, user), (AdminField.PASSWORD, hash_password(_PKI_PASSWORD)),
            (AdminField.ROLES, packed)], policy))

    def admin_drop_user(self, username, policy=None):
        return (yield from self._admin_command(AdminCommand.DROP_USER, [(AdminField.USER, _user(username))], policy))

    def admin_set_password(self, username, password, policy=None):
        user, credential = _user(username), _password(password)
        (yield from self._admin_command(AdminCommand.SET_PASSWORD,
                            [(AdminField.USER, user), (AdminField.PASSWORD, credential)], policy))
        self._password_changed(user, credential)
        return 0

    def admin_change_password(self, username, password, policy=None):
        user, credential = _user(username), _password(password)
        cluster = self.client._require()
        authenticator = getattr(cluster, "authenticator", None)
        if authenticator is None:  # the C client has no password of its own to send as the old one
            raise param_error("Current hashed password is invalid")
        # Like the C client: the old password sent is always the one this client logged in with.
        old = authenticator.credential
        (yield from self._admin_command(AdminCommand.CHANGE_PASSWORD, [
            (AdminField.USER, user), (AdminField.OLD_PASSWORD, old), (AdminField.PASSWORD, credential)],
            policy))
        self._password_changed(user, credential)
        return 0

    def admin_grant_roles(self, username, roles, policy=None):
        user, packed = _user(username), _roles(roles)
        return (yield from self._admin_command(AdminCommand.GRANT_ROLES,
                                   [(AdminField.USER, user), (AdminField.ROLES, packed)], policy))

    def admin_revoke_roles(self, username, roles, policy=None):
        user, packed = _user(username), _roles(roles)
        return (yield from self._admin_command(AdminCommand.REVOKE_ROLES,
                                   [(AdminField.USER, user), (AdminField.ROLES, packed)], policy))

    def admin_query_user_info(self, user, policy=None) -> dict:
        name = _user(user)
        records = yield from self._admin_exchange(AdminCommand.QUERY_USERS, [(AdminField.USER, name)], policy, query=True)
        if not records:
            raise exception.exception_for(ResultCode.INVALID_USER, _status_message(ResultCode.INVALID_USER))
        return _user_info(records[0])[1]

    def admin_query_users_info(self, policy=None) -> dict:
        records = yield from self._admin_exchange(AdminCommand.QUERY_USERS, [], policy, query=True)
        return dict(_user_info(record) for record in records)

    # -- roles ------------------------------------------------------------------------------------

    def admin_create_role(self, role, privileges, policy=None, whitelist=None, read_quota=0, write_quota=0):
        name = _role(role)
        privs = [] if privileges is None else _Privileges(privileges).privileges  # None: not given
        fields = [(AdminField.ROLE, name)]
        if whitelist is not None:
            packed = _whitelist(whitelist, "Whitelist must be a list of IP strings.")
            if packed is not None:
                fields.append((AdminField.WHITELIST, packed))
        if privs:
            fields.insert(1, (AdminField.PRIVILEGES, _Privileges(privileges).packed()))
        # The official client reads a quota as a C int (a bad one stays 0) and sends it when positive.
        for fid, quota in ((AdminField.READ_QUOTA, read_quota), (AdminField.WRITE_QUOTA, write_quota)):
            value = _c_long(quota) if isinstance(quota, int) else None
            value = ((value & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000 if value is not None else 0
            if value > 0:
                fields.append((fid, pack_u32(value)))
        return (yield from self._admin_command(AdminCommand.CREATE_ROLE, fields, policy))

    def admin_drop_role(self, role, policy=None):
        return (yield from self._admin_command(AdminCommand.DROP_ROLE, [(AdminField.ROLE, _role(role))], policy))

    def admin_grant_privileges(self, role, privileges, policy=None):
        name, packed = _role(role), _Privileges(privileges).packed()
        return (yield from self._admin_command(AdminCommand.GRANT_PRIVILEGES, [
            (AdminField.ROLE, name), (AdminField.PRIVILEGES, packed)], policy))

    def admin_revoke_privileges(self, role, privileges, policy=None):
        name, packed = _role(role), _Privileges(privileges).packed()
        return (yield from self._admin_command(AdminCommand.REVOKE_PRIVILEGES, [
            (AdminField.ROLE, name), (AdminField.PRIVILEGES, packed)], policy))

    def admin_set_whitelist(self, role, whitelist, policy=None):
        name = _role(role)
        fields = [(AdminField.ROLE, name)]
        if whitelist is not None:
            packed = _whitelist(whitelist, "Whitelist must be a list of IP strings, or None.")
            if packed is not None:
                fields.append((AdminField.WHITELIST, packed))
        return (yield from self._admin_command(AdminCommand.SET_WHITELIST, fields, policy))

    def admin_set_quotas(self, role, read_quota=-1, write_quota=-1, policy=None):
        # Unset quotas travel as 0xFFFFFFFF, as the official client sends them.
        name = _role(role)
        fields = [(AdminField.ROLE, name), (AdminField.READ_QUOTA, _quota(read_quota, "py_read_quota")),
                  (AdminField.WRITE_QUOTA, _quota(write_quota, "py_write_quota"))]
        return (yield from self._admin_command(AdminCommand.SET_QUOTAS, fields, policy))

    def _query_roles(self, role, policy, one: bool) -> list[tuple[str, dict]]:
        fields = [(AdminField.ROLE, _role(role))] if one else []
        records = yield from self._admin_exchange(AdminCommand.QUERY_ROLES, fields, policy, query=True)
        if one and not records:
            raise exception.exception_for(ResultCode.INVALID_ROLE, _status_message(ResultCode.INVALID_ROLE))
        return [_role_info(record) for record in records]

    def admin_query_role(self, role, policy=None) -> list:
        return (yield from self._query_roles(role, policy, True))[0][1]["privileges"]

    def admin_query_roles(self, policy=None) -> dict:
        roles = yield from self._query_roles(None, policy, False)
        return {name: info["privileges"] for name, info in roles}

    def admin_get_role(self, role, policy=None) -> dict:
        return (yield from self._query_roles(role, policy, True))[0][1]

    def admin_get_roles(self, policy=None) -> dict:
        return dict((yield from self._query_roles(None, policy, False)))
