"""Sending one command to the right node with the policy's timeouts and retries."""

from __future__ import annotations

import time

from spikewire import ProtoType, ResultCode, compress, frame, parse_message
from spikewire.message import Message

from . import exception
from ._cluster.cluster import REPLICA_MASTER, Cluster
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._cluster.stats import QUERY, READ, WRITE
from ._io import Exchange, Sleep, drive
from ._keys import Key

#: Requests at least this long are compressed when the policy asks for compression.
COMPRESS_THRESHOLD = 128


def _ms(value) -> float | None:
    return value / 1000.0 if value else None


def raise_timeout(node_desc: str, in_doubt: bool):
    raise exception.exception_for(ResultCode.TIMEOUT, "timeout%s" % node_desc, in_doubt)


def timeout_message(policy: dict, iterations: int, node) -> str:
    """The official client's message for a command that ran out of time (C client wording)."""
    return "Client timeout: socket=%d total=%d iterations=%d lastNode=%s" % (
        policy.get("socket_timeout", 0) or 0, policy.get("total_timeout", 0) or 0, iterations,
        "%s:%d" % node.host if node is not None else "null")


def in_doubt_for(code: int, is_write: bool, sent: int) -> bool:
    """Whether a write may have been applied although it failed with `code` after being sent
    `sent` times (the official client's rule)."""
    return is_write and (sent > 1 or (sent == 1 and (code == ResultCode.TIMEOUT or code <= 0)))


#: Server answers the official client retries (and counts against the node's error rate):
#: cluster error (11) and device overload (18).
_RETRIED_RESULTS = (11, 18)


class Executor:
    """The sync client's way of running a single-record command: `single_command` driven with
    blocking sockets."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster

    def run(self, key: Key, request: bytes, policy: dict, is_write: bool) -> tuple[Message, str, bool]:
        return drive(single_command(self.cluster, key, request, policy, is_write), execute)


#: Command settings by policy object (see `settings_of`): the client's default policies are
#: the same dict on every call, so theirs are read once.
_settings: dict[int, tuple] = {}


def settings_of(policy: dict) -> tuple:
    """(total timeout s or None, socket timeout s or None, max retries, sleep between retries ms,
    replica, compress) of a single-record command's policy. Kept per policy object (a policy dict
    is never changed once a command has used it: the client replaces its defaults, a call's own
    policy is a new merged dict), at most a few hundred of them."""
    entry = _settings.get(id(policy))
    if entry is not None and entry[0] is policy:
        return entry[1]
    total = _ms(policy.get("total_timeout", 0))
    socket_timeout = _ms(policy.get("socket_timeout", 0))
    if total and (not socket_timeout or socket_timeout > total):
        socket_timeout = total
    settings = (total, socket_timeout, policy.get("max_retries", 0) or 0, policy.get("sleep_between_retries", 0) or 0,
                policy.get("replica", 2), bool(policy.get("compress")))
    if len(_settings) > 256:
        _settings.clear()
    _settings[id(policy)] = (policy, settings)
    return settings


def single_command(cluster: Cluster, key: Key, request: bytes, policy: dict, is_write: bool, parse=None):
    """(A command generator, see `_io`.) The reply to a single-record command, the 'host:port'
    that answered, and whether an error in that reply leaves the write in doubt.

    Retries follow the official (C) client: a connection failure, a timeout or an exhausted
    pool is retried up to `max_retries` times. Before a retry the command sleeps
    `sleep_between_retries`, except on the first retry of a read (or of a write failing for
    another reason than a timeout or exhausted pool) when the replica policy lets it move to
    another replica. A retry that would not start before `total_timeout` is not made. When
    retries run out the last failure is raised; timeouts carry the C client's message.
    `parse(body)` reads the reply (default: a Message); what it gives must have a `result_code`."""
    settings = settings_of(policy)
    if settings[5] and len(request) >= COMPRESS_THRESHOLD:
        request = compress(request)
    deadline = time.monotonic() + settings[0] if settings[0] else None
    cluster.stats.add_command()
    return (yield from _tries(cluster, key, request, policy, is_write, parse, settings, deadline, None, None))


def run_single(cluster: Cluster, key: Key, request: bytes, policy: dict, is_write: bool, parse=None):
    """`single_command` on blocking sockets, its first try made without a generator: the same
    steps, counters and results; only a try that leaves the command unfinished (a failure, a
    retried answer, a node over its error rate) hands over to the generator's retry loop."""
    settings = settings_of(policy)
    if settings[5] and len(request) >= COMPRESS_THRESHOLD:
        request = compress(request)
    deadline = time.monotonic() + settings[0] if settings[0] else None
    cluster.stats.add_command()
    node, known = cluster.node_for(key.namespace, key.partition_id(), is_write, settings[4], 0)
    if node is None:
        _no_node(key, known, is_write, 0)
    if not node.error_rate_ok():
        outcome: tuple = (-14, "Max error rate exceeded", None, False)
    else:  # `_attempt` as a plain call
        began = time.monotonic()
        try:
            answer, connect_seconds = exchange_blocking(node, request, settings[1], deadline)
        except NoMoreConnections as exc:
            outcome = (-7, str(exc), None, False)
        except ConnectionFailed as exc:
            outcome = _exchange_failed(exc, node, key.namespace)
        else:
            outcome = _answered(cluster, node, request, answer[0], answer[1], is_write, 0, key.namespace, parse,
                                began, connect_seconds)
            reply = outcome[2]
            if reply.result_code not in _RETRIED_RESULTS or settings[2] <= 0:
                return reply, "%s:%d" % node.host, False  # one send: never in doubt for a server error
    return drive(_tries(cluster, key, request, policy, is_write, parse, settings, deadline, node, outcome), execute)


def _no_node(key: Key, known: bool, is_write: bool, sent: int):
    if not known:
        raise exception.exception_for(ResultCode.NAMESPACE_NOT_FOUND, "Invalid namespace: %s" % key.namespace)
    raise exception.exception_for(-8, "Node not found for partition %s:%d" % (key.namespace, key.partition_id()),
                                  in_doubt_for(-8, is_write, sent))


def _tries(cluster: Cluster, key: Key, request: bytes, policy: dict, is_write: bool, parse, settings: tuple,
           deadline, node, outcome):
    """(A command generator.) `single_command`'s tries and retries; `node` and `outcome` (code,
    message, reply or None, whether the request went out): the first try, when already made."""
    _total, socket_timeout, max_retries, sleep_ms, replica, _compress = settings
    pid = key.partition_id()
    replica_index = 0
    iteration = 0
    sent = 0
    while True:
        if outcome is None:
            node, known = cluster.node_for(key.namespace, pid, is_write, replica, replica_index)
            if node is None:
                _no_node(key, known, is_write, sent)
            if not node.error_rate_ok():
                outcome = (-14, "Max error rate exceeded", None, False)
            else:
                outcome = yield from _attempt(cluster, node, request, socket_timeout, deadline, is_write, sent,
                                              key.namespace, parse)
        code, message, reply, was_sent = outcome
        outcome = None
        sent += was_sent
        if reply is not None and (reply.result_code not in _RETRIED_RESULTS or iteration >= max_retries):
            # A server error after the write went out more than once may hide an applied write.
            return reply, "%s:%d" % node.host, is_write and sent > 1
        if reply is not None:
            code, message = reply.result_code, ""
        iteration += 1
        if iteration > max_retries:
            break
        cluster.stats.add_retry()
        if replica != REPLICA_MASTER and (not is_write or code not in (ResultCode.TIMEOUT, -7, -14)):
            replica_index += 1
            pause = 0 if iteration == 1 else sleep_ms
        else:
            pause = sleep_ms
        if deadline is not None:
            remaining = deadline - time.monotonic() - pause / 1000.0
            if remaining <= 0:
                break
            if socket_timeout > remaining:
                socket_timeout = remaining
        if pause:
            yield Sleep(pause / 1000.0)
    if code == ResultCode.TIMEOUT:
        message = timeout_message(policy, iteration, node)
    raise exception.exception_for(code, message, in_doubt_for(code, is_write, sent))


def _attempt(cluster: Cluster, node, request: bytes, socket_timeout, deadline, is_write: bool, sent: int,
             namespace: str, parse=None):
    """One try on `node`: (code, message, reply or None, whether the request went out). As the
    official client, a failed connect, send or receive and a timeout count against the node's
    error rate, and so does a cluster/overload answer; the node's counters (errors, timeouts,
    key busy always; bytes and latencies with metrics enabled) take the try in."""
    began = time.monotonic()
    exchange = Exchange(node, request, socket_timeout, deadline)
    try:
        ptype, body = yield exchange
    except NoMoreConnections as exc:
        return -7, str(exc), None, False
    except ConnectionFailed as exc:
        return _exchange_failed(exc, node, namespace)
    return _answered(cluster, node, request, ptype, body, is_write, sent, namespace, parse, began,
                     exchange.connect_seconds)


def _exchange_failed(exc: ConnectionFailed, node, namespace: str) -> tuple:
    # The official client connects without blocking: a refused or timed-out connect shows
    # as a failed first write, which counts against the node like any socket error.
    node.add_error()
    if getattr(exc, "connected", True):
        node.stats.add_error(namespace, "timeouts" if exc.timeout else "errors")
    elif exc.timeout:
        node.stats.add_error(namespace, "timeouts")
    return _failure(exc, node) + (None, bool(getattr(exc, "request_sent", False)))


def _answered(cluster: Cluster, node, request: bytes, ptype: int, body: bytes, is_write: bool, sent: int,
              namespace: str, parse, began: float, connect_seconds) -> tuple:
    """A try's outcome from the node's reply (its counters updated)."""
    if ptype != _AS_MSG:
        raise exception.exception_for(-2, "unexpected proto type %d in reply" % ptype,
                                      in_doubt_for(-2, is_write, sent + 1))
    reply = parse_message(body)[0] if parse is None else parse(body)
    code = reply.result_code
    if code and code != _NOT_FOUND:
        if code in _RETRIED_RESULTS:
            node.add_error()
        node.stats.add_error(namespace, "key_busy" if code == ResultCode.KEY_BUSY else "errors")
    if cluster.stats.metrics_enabled:
        measured = code in (0, _NOT_FOUND)
        node.stats.add_exchange(namespace, len(request), 8 + len(body), (WRITE if is_write else READ)
                                if measured else None, time.monotonic() - began, connect_seconds)
    return 0, "", reply, True


_AS_MSG = int(ProtoType.AS_MSG)
_NOT_FOUND = int(ResultCode.KEY_NOT_FOUND)


def _failure(exc: ConnectionFailed, node) -> tuple[int, str]:
    if exc.timeout:
        return ResultCode.TIMEOUT, ""
    return -10, "%s from %s:%d" % (exc, *node.host)


def stream_command(node, request: bytes, policy: dict, consume, namespace: str | None = None,
                   latency: int | None = QUERY):
    """(A command generator, see `_io`.) Send one multi-record request (batch, scan, query) to
    `node` and feed each reply body to `consume(body) -> bool` until it returns True (it saw the
    LAST marker). The node's counters take it in under `namespace` (None for a batch), its
    latency as `latency` (a stats type).

    Connection failures and timeouts raise ConnectionFailed / NoMoreConnections for the caller,
    which decides about retries (a stream cannot be resumed transparently)."""
    total = _ms(policy.get("total_timeout", 0))
    socket_timeout = _ms(policy.get("socket_timeout", 0))
    if policy.get("compress") and len(request) >= COMPRESS_THRESHOLD:
        request = compress(request)
    deadline = time.monotonic() + total if total else None
    if not node.error_rate_ok():
        raise exception.exception_for(-14, "Max error rate exceeded")
    node.cluster.stats.add_command()
    began = time.monotonic()
    received = [0]

    def receive(ptype: int, body: bytes) -> bool:
        received[0] += 8 + len(body)
        if ptype != ProtoType.AS_MSG:
            raise exception.exception_for(-2, "unexpected proto type %d in reply" % ptype)
        return consume(body)

    exchange = Exchange(node, request, socket_timeout, deadline, receive)
    try:
        yield exchange
    except ConnectionFailed as exc:
        node.add_error()  # a failed connect, send or receive counts against the node
        if getattr(exc, "connected", True):
            node.stats.add_error(namespace, "timeouts" if exc.timeout else "errors")
        elif exc.timeout:
            node.stats.add_error(namespace, "timeouts")
        raise
    if node.cluster.stats.metrics_enabled:
        node.stats.add_exchange(namespace, len(request), received[0], latency, time.monotonic() - began,
                                exchange.connect_seconds)


def info_command(node, request: str, timeout: float | None):
    """(A command generator, see `_io`.) The reply text of an info request (one or more
    newline-ended commands) on one of `node`'s pooled connections."""
    deadline = time.monotonic() + timeout if timeout else None
    _, body = yield Exchange(node, frame(ProtoType.INFO, request.encode()), timeout, deadline)
    return body.decode("utf-8", "replace")


def run_stream(node, request: bytes, policy: dict, consume, namespace: str | None = None,
               latency: int | None = QUERY) -> None:
    """`stream_command` on blocking sockets."""
    drive(stream_command(node, request, policy, consume, namespace, latency), execute)


def execute(op):
    """Do one `_io` operation with blocking sockets (the sync client's transport)."""
    if type(op) is Sleep:
        time.sleep(op.seconds)
        return None
    answer, op.connect_seconds = exchange_blocking(op.node, op.request, op.socket_timeout, op.deadline, op.receive)
    return answer


def exchange_blocking(node, request: bytes, socket_timeout: float | None, deadline: float | None, receive=None):
    """An `Exchange`'s work on blocking sockets: (its answer, the seconds the connection took to
    open if this exchange opened it, else None)."""
    try:
        conn = node.get_connection(deadline)
    except ConnectionFailed as exc:
        exc.connected = False  # type: ignore[attr-defined]
        raise
    sent = False
    try:
        conn.send(request, socket_timeout, deadline)
        sent = True
        if receive is None:
            answer = conn.recv_proto(socket_timeout, deadline)
        else:
            answer = None
            while not receive(*conn.recv_proto(socket_timeout, deadline)):
                pass
    except BaseException as exc:
        node.discard_connection(conn)
        exc.request_sent = sent  # type: ignore[attr-defined]
        raise
    connect_seconds, conn.connect_seconds = conn.connect_seconds, None
    node.put_connection(conn)
    return answer, connect_seconds
