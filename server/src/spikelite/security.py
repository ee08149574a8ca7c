"""Internal (user/password) security: the user store, session tokens and the admin commands.

Enabled by a `security { }` context in the config file, as on Aerospike 7+ Enterprise. A client
logs in (LOGIN: user + bcrypt hash of the password) and gets a session token, then authenticates
each further socket with it (AUTHENTICATE). Until a socket is authenticated, data commands answer
NOT_AUTHENTICATED (80) and info commands `ERROR:80:not authenticated`.

Passwords are stored as the bcrypt hashes clients send (fixed salt, see `wire.admin`), so checking a
login is a byte comparison and the server needs no bcrypt. Users, roles and passwords live in memory
and start over with every run: one user `admin` / `admin` with role `user-admin`, as on a fresh
Enterprise node.

Not modelled: privileges. Every authenticated user may do everything (roles are stored and
reported, never checked), there are no user-defined roles (role commands answer
UNSUPPORTED_FEATURE), no whitelists, no quotas, no LDAP or PKI login.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections import Counter
from typing import Callable

from .config import SecurityConfig
from .wire import AerospikeWireError, ProtoType, ResultCode, frame
from .wire.admin import (MAX_USER_SIZE, PASSWORD_HASH_SIZE, AdminCommand, AdminField, AdminMessage,
                         pack_roles, pack_u32, parse_request, result_reply, unpack_roles)

#: bcrypt("admin") with the clients' fixed salt: the default admin user's password on a real node.
DEFAULT_ADMIN_HASH = b"$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa"
PREDEFINED_ROLES = ("data-admin", "read", "read-write", "read-write-udf", "sindex-admin", "sys-admin",
                    "truncate", "udf-admin", "user-admin", "write")
MAX_ROLE_NAME_SIZE = 63
#: Result of a clear-password (LDAP) login on a node without LDAP.
LDAP_NOT_ENABLED = 90
_TOKEN_TYPE_HMAC = 1


class AuthState:
    """Per-connection security state: the user authenticated on the socket, if any."""

    __slots__ = ("user",)

    def __init__(self) -> None:
        self.user: str | None = None


class User:
    __slots__ = ("password", "roles")

    def __init__(self, password: bytes, roles: set[str]):
        self.password = password
        self.roles = roles


class Security:
    """The node's (or local cluster's) users and sessions, and the admin command handlers."""

    def __init__(self, config: SecurityConfig, clock: Callable[[], float] = time.time):
        self.config = config
        self.clock = clock
        self.users: dict[str, User] = {"admin": User(DEFAULT_ADMIN_HASH, {"user-admin"})}
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
        }
        for command in (AdminCommand.CREATE_ROLE, AdminCommand.DROP_ROLE, AdminCommand.GRANT_PRIVILEGES,
                        AdminCommand.REVOKE_PRIVILEGES, AdminCommand.SET_WHITELIST,
                        AdminCommand.SET_QUOTAS, AdminCommand.QUERY_ROLES):
            self._commands[command] = self._role_command

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

    @staticmethod
    def _require_auth(state: AuthState) -> int:
        # A real node checks the user-admin privilege here (ROLE_VIOLATION 81); spikelite lets every
        # authenticated user administer users.
        return ResultCode.OK if state.user is not None else ResultCode.NOT_AUTHENTICATED

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

    def _create_user(self, fields: dict[int, bytes], state: AuthState):
        result = self._require_auth(state)
        if result:
            return result
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER
        if AdminField.PASSWORD not in fields:
            return ResultCode.INVALID_PASSWORD
        if AdminField.ROLES not in fields:
            return ResultCode.INVALID_ROLE
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER
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
        result = self._require_auth(state)
        if result:
            return result
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER
        name = self._user_name(fields[AdminField.USER])
        if name is None or name not in self.users:
            return ResultCode.INVALID_USER
        del self.users[name]
        return ResultCode.OK

    def _set_password(self, fields: dict[int, bytes], state: AuthState):
        result = self._require_auth(state)
        if result:
            return result
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER
        if AdminField.PASSWORD not in fields:
            return ResultCode.INVALID_PASSWORD
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER
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
        result = self._require_auth(state)
        if result:
            return result
        if AdminField.USER not in fields:
            return ResultCode.INVALID_USER
        if AdminField.ROLES not in fields:
            return ResultCode.INVALID_ROLE
        name = self._user_name(fields[AdminField.USER])
        if name is None:
            return ResultCode.INVALID_USER
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

    def _query_users(self, fields: dict[int, bytes], state: AuthState):
        if state.user is None:
            return ResultCode.NOT_AUTHENTICATED
        if AdminField.USER in fields:
            name = self._user_name(fields[AdminField.USER])
            if name is None or name not in self.users:
                return ResultCode.INVALID_USER
            names = [name]
        else:
            names = sorted(self.users)
        records = b"".join(self._user_record(name).encode() for name in names)
        return frame(ProtoType.ADMIN, records) + result_reply(ResultCode.QUERY_END)

    def _user_record(self, name: str) -> AdminMessage:
        user = self.users[name]
        fields = [(AdminField.USER, name.encode("utf-8", "surrogateescape")),
                  (AdminField.ROLES, pack_roles(sorted(user.roles))),
                  (AdminField.CONNECTIONS, pack_u32(self.connections.get(name, 0)))]
        if self.config.enable_quotas:
            no_quota = bytes([4]) + bytes(16)  # quota, tps, rps, rps-zero count
            fields += [(AdminField.READ_INFO, no_quota), (AdminField.WRITE_INFO, no_quota)]
        return AdminMessage(fields=fields)

    def _role_command(self, fields: dict[int, bytes], state: AuthState):
        result = self._require_auth(state)
        return result or ResultCode.UNSUPPORTED_FEATURE
