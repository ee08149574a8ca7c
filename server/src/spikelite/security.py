"""Internal (user/password) security: users, roles, privileges, session tokens and the admin commands.

Enabled by a `security { }` context in the config file, as on Aerospike 7+ Enterprise. A client
logs in (LOGIN: user + bcrypt hash of the password) and gets a session token, then authenticates
each further socket with it (AUTHENTICATE). Until a socket is authenticated, data commands answer
NOT_AUTHENTICATED (80) and info commands `ERROR:80:not authenticated`.

Passwords are stored as the bcrypt hashes clients send (fixed salt, see `wire.admin`), so checking a
login is a byte comparison and the server needs no bcrypt. Users, roles and passwords live in memory
and start over with every run: one user `admin` / `admin` with role `user-admin`, as on a fresh
Enterprise node.

Roles: the ten predefined ones (one privilege each, cannot be changed or dropped) and user-defined
ones with privileges (global, namespace or namespace+set scope), a whitelist and quotas. A user's
privileges are those of its roles; commands lacking one answer ROLE_VIOLATION (81):

- data: read (READ, QUERY) for reads, batch reads, scans and queries; write (WRITE, DELETE,
  OPS_QUERY) for writes, deletes and background operation queries; read-write-udf for record UDFs
  and background UDF queries (aggregations need read); each checked against the command's
  namespace and set, batch rows one by one;
- info: truncate / truncate-namespace need truncate (namespace/set scope), sindex-create/-delete
  sindex-admin, udf-put/-remove udf-admin (data-admin and sys-admin include all three);
  set-config sys-admin; other info commands need only an authenticated socket;
- admin: user and role management needs user-admin; a user may change its own password and query
  its own user record and its own roles without it.

Whitelists are checked at login and authentication (NOT_WHITELISTED, 82). Not modelled: quota
enforcement (quotas are stored and reported), masking privileges, LDAP and PKI login.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import time
from collections import Counter
from typing import Callable

from .config import SecurityConfig
from .wire import AerospikeWireError, ProtoType, ResultCode, frame
from .wire.admin import (MAX_USER_SIZE, PASSWORD_HASH_SIZE, SCOPED_PRIVILEGE_MIN, AdminCommand,
                         AdminField, AdminMessage, pack_privileges, pack_roles, pack_u32, parse_request,
                         result_reply, unpack_privileges, unpack_roles, unpack_u32)

#: bcrypt("admin") with the clients' fixed salt: the default admin user's password on a real node.
DEFAULT_ADMIN_HASH = b"$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa"
#: Privilege code -> name; each name is also a predefined role holding just that privilege.
PRIVILEGE_NAMES = {0: "user-admin", 1: "sys-admin", 2: "data-admin", 3: "udf-admin", 4: "sindex-admin",
                   10: "read", 11: "read-write", 12: "read-write-udf", 13: "write", 14: "truncate"}
PREDEFINED_ROLES = tuple(sorted(PRIVILEGE_NAMES.values()))

# Permission bits (server security.h).
PERM_READ = 0x1
PERM_QUERY = 0x2
PERM_WRITE = 0x4
PERM_DELETE = 0x8
PERM_UDF_APPLY = 0x10
PERM_UDF_QUERY = 0x20
PERM_OPS_QUERY = 0x40
PERM_UDF_ADMIN = 0x10000
PERM_SINDEX_ADMIN = 0x20000
PERM_QUERY_ADMIN = 0x40000
PERM_TRUNCATE = 0x80000
PERM_EVICT_ADMIN = 0x100000
PERM_SET_CONFIG = 0x1000000
PERM_LOGGING_CTRL = 0x2000000
PERM_SERVICE_CTRL = 0x4000000
PERM_XDR_SET_FILTER = 0x8000000
PERM_USER_ADMIN = 0x100000000000

_READ = PERM_READ | PERM_QUERY
_WRITE = PERM_WRITE | PERM_DELETE | PERM_OPS_QUERY
_DATA_ADMIN = PERM_UDF_ADMIN | PERM_SINDEX_ADMIN | PERM_QUERY_ADMIN | PERM_TRUNCATE | PERM_EVICT_ADMIN
#: Permissions each privilege code grants.
PRIVILEGE_PERMS = {
    0: PERM_USER_ADMIN,
    1: _DATA_ADMIN | PERM_SET_CONFIG | PERM_LOGGING_CTRL | PERM_SERVICE_CTRL | PERM_XDR_SET_FILTER,
    2: _DATA_ADMIN,
    3: PERM_UDF_ADMIN,
    4: PERM_SINDEX_ADMIN,
    10: _READ,
    11: _READ | _WRITE,
    12: _READ | _WRITE | PERM_UDF_APPLY | PERM_UDF_QUERY,
    13: _WRITE,
    14: PERM_TRUNCATE,
}
#: Info commands that need a permission (others: any authenticated socket).
INFO_PERMS = {
    "truncate": PERM_TRUNCATE, "truncate-namespace": PERM_TRUNCATE, "truncate-undo": PERM_TRUNCATE,
    "sindex-create": PERM_SINDEX_ADMIN, "sindex-delete": PERM_SINDEX_ADMIN,
    "udf-put": PERM_UDF_ADMIN, "udf-remove": PERM_UDF_ADMIN, "udf-clear-cache": PERM_UDF_ADMIN,
    "query-kill": PERM_QUERY_ADMIN, "scan-abort": PERM_QUERY_ADMIN, "query-abort": PERM_QUERY_ADMIN,
    "query-abort-all": PERM_QUERY_ADMIN, "scan-abort-all": PERM_QUERY_ADMIN,
    "evict": PERM_EVICT_ADMIN, "set-config": PERM_SET_CONFIG, "log-set": PERM_LOGGING_CTRL,
    "xdr-set-filter": PERM_XDR_SET_FILTER,
}
MAX_ROLE_NAME_SIZE = 63
#: Result of a clear-password (LDAP) login on a node without LDAP.
LDAP_NOT_ENABLED = 90
_TOKEN_TYPE_HMAC = 1


class AuthState:
    """Per-connection security state: the user authenticated on the socket, if any."""

    __slots__ = ("user", "address")

    def __init__(self, address: str | None = None) -> None:
        self.user: str | None = None
        self.address = address  # the client's IP address, for role whitelists (None: not checked)


class User:
    __slots__ = ("password", "roles")

    def __init__(self, password: bytes, roles: set[str]):
        self.password = password
        self.roles = roles


class Role:
    __slots__ = ("privileges", "whitelist", "read_quota", "write_quota")

    def __init__(self, privileges: set[tuple[int, str, str]], whitelist: list[str] | None = None,
                 read_quota: int = 0, write_quota: int = 0):
        self.privileges = privileges
        self.whitelist = whitelist or []
        self.read_quota = read_quota
        self.write_quota = write_quota


class Security:
    """The node's (or local cluster's) users and sessions, and the admin command handlers."""

    def __init__(self, config: SecurityConfig, clock: Callable[[], float] = time.time):
        self.config = config
        self.clock = clock
        self.users: dict[str, User] = {"admin": User(DEFAULT_ADMIN_HASH, {"user-admin"})}
        self.roles: dict[str, Role] = {name: Role({(code, "", "")}) for code, name in PRIVILEGE_NAMES.items()}
        self.connections: Counter[str] = Counter()  # authenticated sockets per user
        self._key = os.urandom(32)
        self._commands = {
            AdminCommand.LOGIN: self._login,
            AdminCommand.AUTHENTICATE: self._authenticate,
            AdminCommand.CREATE_USER: self._create_user,
            AdminCommand.DROP_USER: self._drop_user,
            AdminCommand.SET_PASSWORD: self._set_password,
            AdminCommand.CHANGE_PASSWORD: self._change_password,
            AdminCommand.GRANT_ROLES: self._grant_roles,
            AdminCommand.REVOKE_ROLES: self._revoke_roles,
            AdminCommand.QUERY_USERS: self._query_users,
            AdminCommand.CREATE_ROLE: self._create_role,
            AdminCommand.DROP_ROLE: self._drop_role,
            AdminCommand.GRANT_PRIVILEGES: self._grant_privileges,
            AdminCommand.REVOKE_PRIVILEGES: self._revoke_privileges,
            AdminCommand.SET_WHITELIST: self._set_whitelist,
            AdminCommand.SET_QUOTAS: self._set_quotas,
            AdminCommand.QUERY_ROLES: self._query_roles,
        }

    # -- connections ------------------------------------------------------------------------------

    def _set_user(self, state: AuthState, user: str | None) -> None:
        if state.user is not None:
            self.connections[state.user] -= 1
            if self.connections[state.user] <= 0:
                del self.connections[state.user]
        state.user = user
        if user is not None:
            self.connections[user] += 1

    def connection_closed(self, state: AuthState) -> None:
        self._set_user(state, None)

    # -- session tokens ---------------------------------------------------------------------------

    def _token(self, user: str) -> bytes:
        issued = b"%x" % int(self.clock())
        mac = hmac.new(self._key, user.encode() + b"\0" + issued, hashlib.sha256).digest()
        return bytes([_TOKEN_TYPE_HMAC]) + issued + b"|" + mac

    def _check_token(self, user: str, token: bytes) -> int:
        if not token or token[0] != _TOKEN_TYPE_HMAC or b"|" not in token:
            return ResultCode.INVALID_CREDENTIAL
        issued, _, mac = token[1:].partition(b"|")
        expected = hmac.new(self._key, user.encode() + b"\0" + issued, hashlib.sha256).digest()
        if not hmac.compare_digest(mac, expected):
            return ResultCode.INVALID_CREDENTIAL
        if self.clock() > int(issued, 16) + self.config.session_ttl:
            return ResultCode.EXPIRED_SESSION
        return ResultCode.OK

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, body: bytes, state: AuthState) -> bytes:
        """Reply bytes (one or more complete protos) to one admin request on a connection."""
        if len(body) < 16:
            return result_reply(ResultCode.SERVER_ERROR)  # what a real node answers a short header
        if body[0] != 0:
            return result_reply(ResultCode.SECURITY_SCHEME_NOT_SUPPORTED)
        try:
            msg = parse_request(body)
        except AerospikeWireError:
            return result_reply(ResultCode.INVALID_FIELD)
        handler = self._commands.get(msg.command)
        if handler is None:
            return result_reply(ResultCode.INVALID_COMMAND)
        fields = {fid: data for fid, data in msg.fields}  # a repeated field: the last one wins
        reply = handler(fields, state)
        return result_reply(reply) if isinstance(reply, int) else reply

    @staticmethod
    def _user_name(data: bytes) -> str | None:
        if not 0 < len(data) <= MAX_USER_SIZE:
            return None
        return data.decode("utf-8", "surrogateescape")

    def _require_auth(self, state: AuthState) -> int:
        """User and role management: an authenticated socket whose user has user-admin."""
        if state.user is None:
            return ResultCode.NOT_AUTHENTICATED
        return ResultCode.OK if self.permitted(state, PERM_USER_ADMIN) else ResultCode.ROLE_VIOLATION

    # -- privileges -------------------------------------------------------------------------------

    def permitted(self, state: AuthState, perm: int, namespace: str | None = None,
                  set_name: str | None = None) -> bool:
        """Whether the socket's user holds `perm` for this namespace and set (None: global check,
        which only a global privilege satisfies)."""
        user = self.users.get(state.user) if state.user is not None else None
        if user is None:
            return False
        for role_name in user.roles:
            role = self.roles.get(role_name)
            if role is None:
                continue
            for code, ns, set_ in role.privileges:
                if not PRIVILEGE_PERMS.get(code, 0) & perm:
                    continue
                if ns and ns != namespace:
                    continue
                if set_ and set_ != set_name:
                    continue
                return True
        return False

    def check(self, state: AuthState, perm: int, namespace: str | None = None,
              set_name: str | None = None) -> int:
        """OK, or ROLE_VIOLATION when the socket's user lacks the permission."""
        return ResultCode.OK if self.permitted(state, perm, namespace, set_name) else ResultCode.ROLE_VIOLATION

    def _whitelisted(self, name: str, state: AuthState) -> bool:
        if state.address is None:
            return True
        lists = [entry for role in self.users[name].roles if role in self.roles
                 for entry in self.roles[role].whitelist]
        if not lists:
            return True
        try:
            address = ipaddress.ip_address(state.address)
        except ValueError:
            return False
        for entry in lists:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False

    # -- login and authentication -----------------------------------------------------------------

    def _login(self, fields: dict[int, bytes], state: AuthState):
        self._set_user(state, None)  # logging in again on a socket starts from unauthenticated
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER  # PKI login (user from the TLS certificate): not supported
        credential = fields.get(AdminField.CREDENTIAL)
        clear = fields.get(AdminField.CLEAR_PASSWORD)
        if credential is None and clear is None:
            return ResultCode.INVALID_CREDENTIAL
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER
        if credential is not None and len(credential) != PASSWORD_HASH_SIZE:
            return ResultCode.INVALID_CREDENTIAL
        if clear is not None and not 0 < len(clear) <= 256:
            return ResultCode.INVALID_PASSWORD
        user = self.users.get(name)
        if user is None:
            # An unknown user with a clear password would be an LDAP login.
            return LDAP_NOT_ENABLED if clear is not None else ResultCode.INVALID_USER
        if clear is not None:
            return ResultCode.INVALID_USER  # an internal user logging in the external way
        if not hmac.compare_digest(user.password, credential):
            return ResultCode.INVALID_CREDENTIAL
        if not self._whitelisted(name, state):
            return ResultCode.NOT_WHITELISTED
        self._set_user(state, name)
        reply = AdminMessage(fields=[(AdminField.SESSION_TOKEN, self._token(name)),
                                     (AdminField.SESSION_TTL, pack_u32(self.config.session_ttl))])
        return reply.to_proto()

    def _authenticate(self, fields: dict[int, bytes], state: AuthState):
        if state.user is not None:
            return ResultCode.ILLEGAL_STATE
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER  # PKI
        token = fields.get(AdminField.SESSION_TOKEN)
        if token is None:
            return ResultCode.INVALID_CREDENTIAL
        name = self._user_name(fields[AdminField.USER])
        if name is None or name not in self.users:
            return ResultCode.INVALID_USER
        result = self._check_token(name, token)
        if result == ResultCode.OK and not self._whitelisted(name, state):
            result = ResultCode.NOT_WHITELISTED
        if result == ResultCode.OK:
            self._set_user(state, name)
        return result

    # -- users ------------------------------------------------------------------------------------

    def _roles(self, data: bytes) -> tuple[int, list[str]]:
        try:
            roles = unpack_roles(data)
        except AerospikeWireError as exc:
            return exc.code, []
        if any(not role or len(role.encode()) > MAX_ROLE_NAME_SIZE for role in roles):
            return ResultCode.INVALID_ROLE, []
        return ResultCode.OK, roles

    def _admin_user(self, fields: dict[int, bytes], state: AuthState,
                    required: tuple[tuple[int, int], ...] = ()) -> tuple[int, str]:
        """The checks user management commands share: user-admin, the USER field and the other
        `required` (field, result when absent) pairs in that order, then a valid user name."""
        result = self._require_auth(state)
        if result:
            return result, ""
        for fid, missing in ((AdminField.USER, ResultCode.INVALID_USER),) + required:
            if fid not in fields:
                return missing, ""
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER, ""
        return ResultCode.OK, name

    def _create_user(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._admin_user(fields, state, ((AdminField.PASSWORD, ResultCode.INVALID_PASSWORD),
                                                        (AdminField.ROLES, ResultCode.INVALID_ROLE)))
        if result:
            return result
        password = fields[AdminField.PASSWORD]
        if len(password) != PASSWORD_HASH_SIZE:
            return ResultCode.INVALID_PASSWORD
        result, roles = self._roles(fields[AdminField.ROLES])
        if result:
            return result
        if name in self.users:
            return ResultCode.USER_ALREADY_EXISTS
        # Like a real node, role names need not exist yet (they take effect once defined).
        self.users[name] = User(password, set(roles))
        return ResultCode.OK

    def _drop_user(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._admin_user(fields, state)
        if result:
            return result
        if name not in self.users:
            return ResultCode.INVALID_USER
        del self.users[name]
        return ResultCode.OK

    def _set_password(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._admin_user(fields, state, ((AdminField.PASSWORD, ResultCode.INVALID_PASSWORD),))
        if result:
            return result
        if len(fields[AdminField.PASSWORD]) != PASSWORD_HASH_SIZE:
            return ResultCode.INVALID_PASSWORD
        if name not in self.users:
            return ResultCode.INVALID_USER
        self.users[name].password = fields[AdminField.PASSWORD]
        return ResultCode.OK

    def _change_password(self, fields: dict[int, bytes], state: AuthState):
        # Allowed on an unauthenticated socket: it is how an expired password gets changed.
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER
        old, new = fields.get(AdminField.OLD_PASSWORD), fields.get(AdminField.PASSWORD)
        if old is None or new is None:
            return ResultCode.INVALID_PASSWORD
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER
        if len(old) != PASSWORD_HASH_SIZE or len(new) != PASSWORD_HASH_SIZE:
            return ResultCode.INVALID_PASSWORD
        user = self.users.get(name)
        if user is None:
            return ResultCode.INVALID_USER
        if not hmac.compare_digest(user.password, old):
            return ResultCode.INVALID_PASSWORD
        user.password = new
        return ResultCode.OK

    def _grant_roles(self, fields: dict[int, bytes], state: AuthState, grant: bool = True):
        result, name = self._admin_user(fields, state, ((AdminField.ROLES, ResultCode.INVALID_ROLE),))
        if result:
            return result
        result, roles = self._roles(fields[AdminField.ROLES])
        if result:
            return result
        if not roles:
            return ResultCode.INVALID_ROLE
        user = self.users.get(name)
        if user is None:
            return ResultCode.INVALID_USER
        if grant:
            user.roles.update(roles)
        else:
            user.roles.difference_update(roles)
        return ResultCode.OK

    def _revoke_roles(self, fields: dict[int, bytes], state: AuthState):
        return self._grant_roles(fields, state, grant=False)

    def _query(self, fields: dict[int, bytes], state: AuthState, fid: int, decode: Callable,
               table: dict, own: Callable[[str | None], bool], unknown: int, record: Callable):
        """QUERY_USERS / QUERY_ROLES: all of `table` (user-admin only) or the one named in field
        `fid` (user-admin, or `own(name)` for the socket's user), as records then QUERY_END."""
        if state.user is None:
            return ResultCode.NOT_AUTHENTICATED
        admin = self.permitted(state, PERM_USER_ADMIN)
        if fid in fields:
            name = decode(fields[fid])
            if not admin and not own(name):
                return ResultCode.ROLE_VIOLATION
            if name is None or name not in table:
                return unknown
            names = [name]
        elif not admin:
            return ResultCode.ROLE_VIOLATION
        else:
            names = sorted(table)
        records = b"".join(record(name).encode() for name in names)
        return frame(ProtoType.ADMIN, records) + result_reply(ResultCode.QUERY_END)

    def _query_users(self, fields: dict[int, bytes], state: AuthState):
        return self._query(fields, state, AdminField.USER, self._user_name, self.users,
                           lambda name: name == state.user, ResultCode.INVALID_USER, self._user_record)

    def _user_record(self, name: str) -> AdminMessage:
        user = self.users[name]
        fields = [(AdminField.USER, name.encode("utf-8", "surrogateescape")),
                  (AdminField.ROLES, pack_roles(sorted(user.roles))),
                  (AdminField.CONNECTIONS, pack_u32(self.connections.get(name, 0)))]
        if self.config.enable_quotas:
            no_quota = bytes([4]) + bytes(16)  # quota, tps, rps, rps-zero count
            fields += [(AdminField.READ_INFO, no_quota), (AdminField.WRITE_INFO, no_quota)]
        return AdminMessage(fields=fields)


    # -- roles ------------------------------------------------------------------------------------

    @staticmethod
    def _role_name(data: bytes | None) -> str | None:
        if data is None or not 0 < len(data) <= MAX_ROLE_NAME_SIZE:
            return None
        return data.decode("utf-8", "surrogateescape")

    @staticmethod
    def _privileges(data: bytes) -> tuple[int, list[tuple[int, str, str]]]:
        try:
            privileges = unpack_privileges(data)
        except AerospikeWireError:
            return ResultCode.INVALID_PRIVILEGE, []
        for code, namespace, set_name in privileges:
            if code not in PRIVILEGE_NAMES or (set_name and not namespace):
                return ResultCode.INVALID_PRIVILEGE, []
            if code < SCOPED_PRIVILEGE_MIN and (namespace or set_name):
                return ResultCode.INVALID_PRIVILEGE, []
        return ResultCode.OK, privileges

    @staticmethod
    def _whitelist(data: bytes) -> tuple[int, list[str]]:
        try:
            entries = data.decode("ascii").split(",")
            for entry in entries:
                ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            return ResultCode.INVALID_WHITELIST, []
        if not data or len(entries) > 32:
            return ResultCode.INVALID_WHITELIST, []
        return ResultCode.OK, [entry.strip() for entry in entries]

    def _quota(self, data: bytes | None) -> tuple[int, int]:
        if data is None:
            return ResultCode.OK, 0
        if not self.config.enable_quotas:
            return ResultCode.QUOTAS_NOT_ENABLED, 0
        try:
            return ResultCode.OK, unpack_u32(data)
        except AerospikeWireError:
            return ResultCode.INVALID_QUOTA, 0

    def _modifiable_role(self, fields: dict[int, bytes], state: AuthState) -> tuple[int, str]:
        result = self._require_auth(state)
        if result:
            return result, ""
        name = self._role_name(fields.get(AdminField.ROLE))
        if name is None or name not in self.roles or name in PRIVILEGE_NAMES.values():
            return ResultCode.INVALID_ROLE, ""
        return ResultCode.OK, name

    def _create_role(self, fields: dict[int, bytes], state: AuthState):
        result = self._require_auth(state)
        if result:
            return result
        name = self._role_name(fields.get(AdminField.ROLE))
        if name is None:
            return ResultCode.INVALID_ROLE
        if name in self.roles:
            return ResultCode.ROLE_ALREADY_EXISTS
        wanted = (AdminField.PRIVILEGES, AdminField.WHITELIST, AdminField.READ_QUOTA, AdminField.WRITE_QUOTA)
        if not any(fid in fields for fid in wanted):
            return ResultCode.INVALID_PRIVILEGE
        privileges: list[tuple[int, str, str]] = []
        if AdminField.PRIVILEGES in fields:
            result, privileges = self._privileges(fields[AdminField.PRIVILEGES])
            if result:
                return result
        whitelist: list[str] = []
        if AdminField.WHITELIST in fields:
            result, whitelist = self._whitelist(fields[AdminField.WHITELIST])
            if result:
                return result
        result, read_quota = self._quota(fields.get(AdminField.READ_QUOTA))
        if result:
            return result
        result, write_quota = self._quota(fields.get(AdminField.WRITE_QUOTA))
        if result:
            return result
        self.roles[name] = Role(set(privileges), whitelist, read_quota, write_quota)
        return ResultCode.OK

    def _drop_role(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._modifiable_role(fields, state)
        if result:
            return result
        del self.roles[name]
        for user in self.users.values():
            user.roles.discard(name)
        return ResultCode.OK

    def _grant_privileges(self, fields: dict[int, bytes], state: AuthState, grant: bool = True):
        result, name = self._modifiable_role(fields, state)
        if result:
            return result
        if AdminField.PRIVILEGES not in fields:
            return ResultCode.INVALID_PRIVILEGE
        result, privileges = self._privileges(fields[AdminField.PRIVILEGES])
        if result:
            return result
        if not privileges:
            return ResultCode.INVALID_PRIVILEGE
        role = self.roles[name]
        if grant:
            role.privileges.update(privileges)
        else:
            role.privileges.difference_update(privileges)
        return ResultCode.OK

    def _revoke_privileges(self, fields: dict[int, bytes], state: AuthState):
        return self._grant_privileges(fields, state, grant=False)

    def _set_whitelist(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._modifiable_role(fields, state)
        if result:
            return result
        whitelist: list[str] = []
        if AdminField.WHITELIST in fields:
            result, whitelist = self._whitelist(fields[AdminField.WHITELIST])
            if result:
                return result
        self.roles[name].whitelist = whitelist
        return ResultCode.OK

    def _set_quotas(self, fields: dict[int, bytes], state: AuthState):
        result, name = self._modifiable_role(fields, state)
        if result:
            return result
        if not self.config.enable_quotas:
            return ResultCode.QUOTAS_NOT_ENABLED
        if AdminField.READ_QUOTA not in fields and AdminField.WRITE_QUOTA not in fields:
            return ResultCode.INVALID_QUOTA
        role = self.roles[name]
        quotas = []
        for fid in (AdminField.READ_QUOTA, AdminField.WRITE_QUOTA):
            result, quota = self._quota(fields.get(fid))
            if result:
                return result
            quotas.append(quota if fid in fields else None)
        if quotas[0] is not None:
            role.read_quota = quotas[0]
        if quotas[1] is not None:
            role.write_quota = quotas[1]
        return ResultCode.OK

    def _query_roles(self, fields: dict[int, bytes], state: AuthState):
        def own(name: str | None) -> bool:
            return state.user in self.users and name in self.users[state.user].roles
        return self._query(fields, state, AdminField.ROLE, self._role_name, self.roles, own,
                           ResultCode.INVALID_ROLE, self._role_record)

    def _role_record(self, name: str) -> AdminMessage:
        role = self.roles[name]
        fields = [(AdminField.ROLE, name.encode("utf-8", "surrogateescape"))]
        if role.whitelist:
            fields.append((AdminField.WHITELIST, ",".join(role.whitelist).encode()))
        if role.read_quota:
            fields.append((AdminField.READ_QUOTA, pack_u32(role.read_quota)))
        if role.write_quota:
            fields.append((AdminField.WRITE_QUOTA, pack_u32(role.write_quota)))
        if role.privileges:
            fields.append((AdminField.PRIVILEGES, pack_privileges(sorted(role.privileges))))
        return AdminMessage(fields=fields)

    # -- data and info commands -------------------------------------------------------------------

    def check_data(self, state: AuthState, msg) -> int:
        """OK or ROLE_VIOLATION for one data command (a single record, a scan/query, a batch row)."""
        from .wire import FieldType, Info2
        ns_field, set_field = msg.field(FieldType.NAMESPACE), msg.field(FieldType.SET)
        namespace = ns_field.decode("utf-8", "replace") if ns_field is not None else None
        set_name = set_field.decode("utf-8", "replace") if set_field else None
        udf = msg.field(FieldType.UDF_FILENAME) is not None
        if msg.field(FieldType.DIGEST) is None:  # scan or query
            udf_op = msg.field(FieldType.UDF_OP)
            if udf and udf_op and udf_op[0] == 2:
                perm = PERM_UDF_QUERY
            elif msg.info2 & Info2.WRITE and not udf:
                perm = PERM_OPS_QUERY
            else:
                perm = PERM_QUERY
        elif msg.info2 & Info2.WRITE:
            perm = PERM_DELETE if msg.info2 & Info2.DELETE else PERM_UDF_APPLY if udf else PERM_WRITE
        else:
            perm = PERM_READ
        return self.check(state, perm, namespace, set_name)

    def check_info(self, state: AuthState, name: str, params: dict[str, str]) -> bool:
        perm = INFO_PERMS.get(name)
        if perm is None:
            return True
        return self.permitted(state, perm, params.get("namespace") or params.get("ns"),
                              params.get("set"))
