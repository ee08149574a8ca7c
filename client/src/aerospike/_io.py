"""The seam between the commands and the ways bytes move (the sync client's sockets, the asyncio
client's streams).

A command is written once, as a generator: it builds its request, `yield`s what it needs moved
(an `Exchange` with a node, a `Sleep` between retries) and gets the answer back from the yield;
then it parses the reply and returns the call's result. A face drives the generator: the sync
`Client` with blocking sockets (`drive`), `aerospike.aio` with asyncio streams. The commands never
know which; the two faces differ only in how bytes move.

`@command` turns such a generator method into the sync method (`self._drive(gen)`) and keeps the
generator function as `.command`, from which the asyncio face makes its coroutine method; `direct`
gives a command a sync method of its own that does the same without the generator.
"""

from __future__ import annotations

import functools
import types


class Exchange:
    """Send `request` to `node` on one pooled connection and read replies: one (`receive` None;
    the yield answers `(proto type, body)`), or every reply until `receive(ptype, body)` returns
    True (the yield answers None).

    A failure raises the transport's ConnectionFailed / NoMoreConnections into the command, with
    `request_sent` set on it (True once the whole request went out), after the connection was
    discarded: a connection whose exchange did not finish never goes back to the pool."""

    __slots__ = ("node", "request", "socket_timeout", "deadline", "receive", "connect_seconds")

    def __init__(self, node, request: bytes, socket_timeout: float | None, deadline: float | None,
                 receive=None):
        self.node = node
        self.request = request
        self.socket_timeout = socket_timeout
        self.deadline = deadline
        self.receive = receive
        #: Set by the transport: how long opening the connection took, if this exchange opened it.
        self.connect_seconds: float | None = None


class Sleep:
    """Pause `seconds` (between retries, between polls)."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float):
        self.seconds = seconds


def drive(gen, execute):
    """Run command generator `gen` to its result, doing each yielded operation with
    `execute(op)` (blocking); an operation's exception is thrown into the command."""
    try:
        op = next(gen)
        while True:
            try:
                answer = execute(op)
            except BaseException as exc:
                op = gen.throw(exc)
            else:
                op = gen.send(answer)
    except StopIteration as stop:
        return stop.value


def command(gen_function):
    """A face method from a command generator method: the face's `_drive` runs it."""

    @functools.wraps(gen_function)
    def face_method(self, *args, **kwargs):
        return self._drive(gen_function(self, *args, **kwargs))

    face_method.command = gen_function  # type: ignore[attr-defined]
    return face_method


def direct(face_method, run):
    """`face_method` (a `command`) for the sync face done by `run(self, ...)`: a plain function
    doing what driving the command on blocking sockets does, for the hottest commands (it may
    drive the command itself where it has no shorter way). The method is `run` itself under the
    command's name (no wrapper in between); `.command` stays the generator, from which the asyncio
    face makes its method."""
    method = types.FunctionType(run.__code__, run.__globals__, face_method.__name__, run.__defaults__,
                                run.__closure__)
    return functools.update_wrapper(method, face_method)
