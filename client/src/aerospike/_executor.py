"""Sending one command to the right node with the policy's timeouts and retries."""

from __future__ import annotations

import time

from spikelite.wire import ProtoType, ResultCode, compress, parse_message
from spikelite.wire.message import Message

from . import exception
from ._cluster.cluster import Cluster
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._keys import Key

#: Requests at least this long are compressed when the policy asks for compression.
COMPRESS_THRESHOLD = 128


def _ms(value) -> float | None:
    return value / 1000.0 if value else None


def raise_timeout(node_desc: str, in_doubt: bool):
    raise exception.exception_for(ResultCode.TIMEOUT, "timeout%s" % node_desc, in_doubt)


class Executor:
    def __init__(self, cluster: Cluster):
        self.cluster = cluster

    def run(self, key: Key, request: bytes, policy: dict, is_write: bool) -> tuple[Message, str]:
        """The reply to a single-record command, and the 'host:port' that answered."""
        total = _ms(policy.get("total_timeout", 0))
        socket_timeout = _ms(policy.get("socket_timeout", 0))
        max_retries = policy.get("max_retries", 0) or 0
        sleep = _ms(policy.get("sleep_between_retries", 0))
        replica = policy.get("replica", 2)
        if policy.get("compress") and len(request) >= COMPRESS_THRESHOLD:
            request = compress(request)
        deadline = time.monotonic() + total if total else None
        pid = key.partition_id()
        attempt = 0
        sent_once = False
        while True:
            node, known = self.cluster.node_for(key.namespace, pid, is_write, replica, attempt)
            if not known:
                raise exception.exception_for(ResultCode.NAMESPACE_NOT_FOUND, "Invalid namespace: %s" % key.namespace)
            where = ""
            try:
                if node is None:
                    raise exception.exception_for(-8, "Node not found for partition %s:%d" % (key.namespace, pid))
                where = " from %s:%d" % node.host
                conn = node.get_connection(deadline)
                try:
                    conn.send(request, socket_timeout, deadline)
                    sent_once = True
                    ptype, body = conn.recv_proto(socket_timeout, deadline)
                except BaseException:
                    node.discard_connection(conn)
                    raise
                node.put_connection(conn)
                if ptype != ProtoType.AS_MSG:
                    raise exception.exception_for(-2, "unexpected proto type %d in reply" % ptype)
                reply, _ = parse_message(body)
                return reply, "%s:%d" % node.host
            except (ConnectionFailed, NoMoreConnections) as exc:
                timed_out = getattr(exc, "timeout", False)
                in_doubt = is_write and (sent_once or getattr(exc, "sent", False))
                if deadline is not None and time.monotonic() >= deadline:
                    raise_timeout(where, in_doubt)
                if attempt >= max_retries:
                    if timed_out:
                        raise_timeout(where, in_doubt)
                    if isinstance(exc, NoMoreConnections):
                        raise exception.exception_for(-7, str(exc), in_doubt) from None
                    raise exception.exception_for(-10, "%s%s" % (exc, where), in_doubt) from None
                attempt += 1
                if sleep:
                    time.sleep(sleep if deadline is None else max(0.0, min(sleep, deadline - time.monotonic())))


def run_stream(node, request: bytes, policy: dict, consume) -> None:
    """Send one multi-record request (batch, scan, query) to `node` and feed each reply body to
    `consume(body) -> bool` until it returns True (it saw the LAST marker).

    Connection failures and timeouts raise ConnectionFailed / NoMoreConnections for the caller,
    which decides about retries (a stream cannot be resumed transparently)."""
    total = _ms(policy.get("total_timeout", 0))
    socket_timeout = _ms(policy.get("socket_timeout", 0))
    if policy.get("compress") and len(request) >= COMPRESS_THRESHOLD:
        request = compress(request)
    deadline = time.monotonic() + total if total else None
    conn = node.get_connection(deadline)
    try:
        conn.send(request, socket_timeout, deadline)
        while True:
            ptype, body = conn.recv_proto(socket_timeout, deadline)
            if ptype != ProtoType.AS_MSG:
                raise exception.exception_for(-2, "unexpected proto type %d in reply" % ptype)
            if consume(body):
                break
    except BaseException:
        node.discard_connection(conn)
        raise
    node.put_connection(conn)
