"""Internal (user/password) authentication over the admin protocol (proto type 2).

The first socket logs in (LOGIN: user + bcrypt hash of the password) and receives a session token;
every further socket sends AUTHENTICATE (user + token) as its first message. An expired or rejected
token means logging in again. A LOGIN answered SECURITY_NOT_ENABLED (52) means the cluster has no
security: from then on sockets are used as they are.
"""

from __future__ import annotations

import threading
import time

from spikewire import AerospikeWireError, MalformedMessage, ProtoType
from spikewire.admin import PASSWORD_SALT, AdminCommand, AdminField, AdminMessage, parse_records, unpack_u32

from . import _extras, exception

_SECURITY_NOT_ENABLED = 52
_DEFAULT_SESSION_TTL = 24 * 3600


def hash_password(password: str) -> bytes:
    bcrypt = _extras.load("bcrypt", "auth", "user/password login")
    return bcrypt.hashpw(password.encode(), PASSWORD_SALT)


def _reply(ptype: int, body: bytes) -> AdminMessage:
    """The admin message a login step was answered with."""
    try:
        if ptype != ProtoType.ADMIN:
            raise MalformedMessage("proto type %d in reply to an admin message" % ptype)
        records = parse_records(body)
        if not records:
            raise MalformedMessage("empty admin reply")
    except MalformedMessage as exc:
        raise exception.exception_for(-1, "bad login reply: %s" % exc) from None
    return records[0]


class Authenticator:
    """Logs in once, then authenticates every new socket with the session token."""

    def __init__(self, user: str, password: str):
        self.user = user
        self.credential = hash_password(password)
        self.token: bytes | None = None
        self.expires = 0.0
        self.disabled = False
        self._lock = threading.Lock()

    def __call__(self, conn, timeout: float) -> None:
        """Log in `conn`, a sync `Connection`, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        steps = self.steps()
        try:
            request = next(steps)
            while True:
                conn.send(request, timeout, deadline)
                request = steps.send(conn.recv_proto(timeout, deadline))
        except StopIteration:
            return

    def steps(self):
        """The login of one new socket, whatever moves its bytes (the sync `__call__` above,
        `aerospike.aio`'s transport): a generator that yields each admin request to send and is
        sent its reply, (proto type, body). AUTHENTICATE with the session token when one is
        valid; else (or when the node refuses the token) LOGIN, which stores the new token."""
        if self.disabled:
            return
        user = self.user.encode()
        with self._lock:
            token = self.token if time.monotonic() < self.expires else None
        if token is not None:
            reply = _reply(*(yield AdminMessage(AdminCommand.AUTHENTICATE,
                                                [(AdminField.USER, user), (AdminField.SESSION_TOKEN, token)]
                                                ).to_proto()))
            if reply.result == 0:
                return
            with self._lock:  # expired or revoked: log in again below
                if self.token == token:
                    self.token = None
        reply = _reply(*(yield AdminMessage(AdminCommand.LOGIN,
                                            [(AdminField.USER, user), (AdminField.CREDENTIAL, self.credential)]
                                            ).to_proto()))
        if reply.result == _SECURITY_NOT_ENABLED:
            self.disabled = True
            return
        if reply.result != 0:
            raise exception.exception_for(reply.result, "login failed for user %s" % self.user)
        token = reply.field(AdminField.SESSION_TOKEN)
        if not token:
            raise exception.exception_for(-1, "login reply without a session token")
        ttl = _DEFAULT_SESSION_TTL
        ttl_field = reply.field(AdminField.SESSION_TTL)
        if ttl_field is not None:
            try:
                ttl = unpack_u32(ttl_field)
            except AerospikeWireError:
                pass
        with self._lock:
            self.token = token
            # Renew a minute early so a token never expires between check and use.
            self.expires = time.monotonic() + max(1, ttl - 60)
