"""aerospike.aio.Client, Query and Scan: the sync API's commands as coroutines.

Each coroutine method runs the very command generator its sync twin runs (argument checks,
request building, reply parsing, retries: `aerospike/_io.py`); only the transport differs
(`_transport.py`: asyncio connections). The classes derive from the sync ones, so every method that
moves no bytes (get_policies, get_nodes, query(), ...) is the sync one.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import inspect
import logging

from .. import exception
from .._arguments import CHECKS, CONNECTED_FIRST, SIGNATURES, bound_function, bound_method
from .._named_checks import NAMED_CHECKS as _NAMED_CHECKS
from .._client import Client as _SyncClient
from .._errors import client_error
from .._executor import single_command
from .._query import Query as _SyncQuery, Scan as _SyncScan
from .._stream_records import Stop
from ._transport import Transport

log = logging.getLogger("aerospike")

#: Records a results() iterator reads ahead of its consumer (per query).
READ_AHEAD = 1024


def _bound(owner: str, name: str, function, is_command: bool = True):
    """`function` taking its arguments as the official method `owner.name` does: the sync
    method's binding (TypeError texts), connection check and argument checks, in the same order
    (`_arguments.bound_method`). For a command generator (`is_command`) the result is its
    coroutine twin, run on the async transport; else `function` is a coroutine function or
    returns an awaitable object."""
    launch = function  # for a command: the generator, which the coroutine below drives
    rule = SIGNATURES.get(owner, {}).get(name)
    if rule is not None:
        checks = [(arg, _NAMED_CHECKS[check] if isinstance(check, str) else check) if arg else (arg, check)
                  for arg, check in CHECKS.get(owner, {}).get(name, ())]
        launch = bound_method(launch, rule, owner, name, CONNECTED_FIRST.get(owner, {}).get(name), checks)
    bound = launch
    if is_command:
        async def method(self, *args, **kwargs):
            return await self._drive(bound(self, *args, **kwargs))
    elif inspect.iscoroutinefunction(function):
        async def method(self, *args, **kwargs):
            return await bound(self, *args, **kwargs)
    else:
        method = launch
    functools.update_wrapper(method, function)
    method.__qualname__ = "%s.%s" % (owner, name)
    return method


def _add_coroutines(cls, sync_cls, owner: str, skip: tuple = ()) -> None:
    """Give `cls` a coroutine for every command method of `sync_cls` (inherited ones too)."""
    for klass in reversed(sync_cls.__mro__):
        for name, value in vars(klass).items():
            gen_function = getattr(value, "command", None)
            if gen_function is None or name.startswith("_") or name in skip or name in vars(cls):
                continue
            setattr(cls, name, _bound(owner, name, gen_function))


async def _closed(gen):
    """Command generator `gen` on a client without a transport: its checks that come before the
    connection check run as in the sync client (a bad argument is reported first); a command that
    gets as far as the network raises the closed client's ClusterError."""
    try:
        next(gen)
    except StopIteration as stop:
        return stop.value
    gen.close()
    raise exception.exception_for(11, "No connection to aerospike cluster")


class Client(_SyncClient):
    """An asyncio client of one Aerospike cluster: ``await aerospike.aio.client(config)``."""

    def __init__(self, config: dict):
        super().__init__(config)
        self._transport: Transport | None = None
        self._tend_task: asyncio.Task | None = None

    # -- connection -------------------------------------------------------------------------------

    async def connect(self, username: str | None = None, password: str | None = None) -> "Client":
        """Connect (the seeds asked and the first tend done in a worker thread), then tend from
        a task of the running loop."""
        if self._cluster is not None:
            return self
        cluster = await asyncio.to_thread(self._open_cluster, username, password, False)
        if self._cluster is not None:  # connected meanwhile by a concurrent connect()
            cluster.close()
            return self
        self._transport = Transport(cluster)
        self._cluster = cluster
        if self._dynamic is not None:  # a dynamic config file: metrics, and its watch after each tend
            self._dynamic.start(self, cluster)
        self._tend_task = asyncio.get_running_loop().create_task(self._tend(cluster))
        return self

    @staticmethod
    async def _tend(cluster) -> None:
        """The cluster's tend, every tend_interval; each tend step (info calls on the nodes' tend
        connections) runs in a worker thread so the loop never blocks on it."""
        while True:
            await asyncio.sleep(cluster.config.tend_interval)
            try:
                await asyncio.to_thread(cluster.tend)
            except Exception:  # tending must never die
                log.exception("cluster tend failed")

    async def close(self) -> None:
        task, self._tend_task = self._tend_task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()
        await asyncio.to_thread(_SyncClient.close, self)  # metrics, the cluster, an embedded server

    async def __aenter__(self) -> "Client":
        return await self.connect()

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    def _drive(self, gen, after_receive=None):
        """The coroutine running command generator `gen` on this client's transport."""
        transport = self._transport
        if transport is None:  # closed (or closed after the command began)
            return _closed(gen)
        return transport.drive(gen, after_receive)

    def _single_command(self, cluster, key, request: bytes, policy: dict, is_write: bool, parse=None):
        """The command generator itself: its exchanges go to the transport (see the sync face's)."""
        return single_command(cluster, key, request, policy, is_write, parse)

    # -- scans and queries --------------------------------------------------------------------------

    def _stream_class(self, name: str):
        return Query if name == "Query" else Scan

    # -- purespike extra -----------------------------------------------------------------------------

    def open_connections(self) -> int:
        """Sockets this client's asyncio pools hold open now (all nodes)."""
        return self._transport.open_connections() if self._transport is not None else 0


_add_coroutines(Client, _SyncClient, "Client")
for _name in ("connect", "close"):  # the official binding of their arguments too
    setattr(Client, _name, _bound("Client", _name, vars(Client)[_name], is_command=False))


#: The sync results() commands (generators), which the awaited results() run.
_SYNC_QUERY_RESULTS = vars(_SyncQuery)["results"].command
_SYNC_SCAN_RESULTS = vars(_SyncScan)["results"].command


class _Results:
    """What ``Query.results()`` returns: await it for the list, or ``async for`` over it to get
    the records as they arrive (at most READ_AHEAD ahead of the consumer)."""

    def __init__(self, stream, policy, options, nodename):
        self._stream = stream
        self._args = (policy, options, nodename)

    def __await__(self):
        return self._stream._results_list(*self._args).__await__()

    async def __aiter__(self):
        queue: asyncio.Queue = asyncio.Queue(READ_AHEAD)
        done = object()

        async def run() -> None:
            try:
                await self._stream._foreach(queue.put, *self._args, with_partition=False)
            finally:
                await queue.put(done)

        task = asyncio.get_running_loop().create_task(run())
        try:
            while True:
                item = await queue.get()
                if item is done:
                    break
                yield item
            await task  # its exception, if it failed
        finally:
            if not task.done():
                task.cancel()  # the consumer stopped early: the stream's socket is closed
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass


class _AsyncStream:
    """The asyncio parts of Query and Scan."""

    async def _foreach(self, callback, policy, options, nodename, with_partition: bool = True) -> None:
        """Run the stream calling `callback` (a function or a coroutine function) with each
        record; returning False stops it. The socket waits while the callbacks run. As the sync
        foreach: the callback is checked only when a record arrives, and an exception it raises
        becomes the ClientError the official foreach raises."""
        pending: collections.deque = collections.deque()

        def collect(*record) -> None:
            pending.append(record)

        deliver = self._partition_callback(collect, policy) if with_partition else collect
        message = self._CALLBACK_ERROR

        async def hand_over() -> None:
            while pending:
                try:
                    outcome = callback(*pending.popleft())
                    if inspect.isawaitable(outcome):
                        outcome = await outcome
                except Exception:
                    raise client_error(message) from None
                if outcome is False:
                    raise Stop()

        try:
            await self._client._drive(self._run(policy, options, deliver, nodename), hand_over)
            await hand_over()
        except Stop:
            pending.clear()


class Query(_AsyncStream, _SyncQuery):
    """aerospike.aio.Query: the sync Query's builders, with coroutines that run it."""

    _CALLBACK_ERROR = "Callback function contains an error"

    def results(self, policy=None, options=None):
        self._filtered = False
        return _Results(self, policy, options, None)

    async def _results_list(self, policy, options, nodename):
        return await self._drive(_SYNC_QUERY_RESULTS(self, policy, options))

    async def foreach(self, callback, policy=None, options=None) -> None:
        await self._foreach(callback, policy, options, None)


class Scan(_AsyncStream, _SyncScan):
    """aerospike.aio.Scan: the sync Scan's builders, with coroutines that run it."""

    _CALLBACK_ERROR = "Callback function raised an exception"

    def results(self, policy=None, nodename=None):
        return _Results(self, policy, None, nodename)

    async def _results_list(self, policy, options, nodename):
        return await self._drive(_SYNC_SCAN_RESULTS(self, policy, nodename))

    async def foreach(self, callback, policy=None, options=None, nodename=None) -> None:
        await self._foreach(callback, policy, None, nodename)  # the official Scan.foreach() reads no options


for _cls, _sync, _owner in ((Query, _SyncQuery, "Query"), (Scan, _SyncScan, "Scan")):
    _add_coroutines(_cls, _sync, _owner, skip=("results", "foreach"))
    _cls.results = _bound(_owner, "results", vars(_cls)["results"], is_command=False)
    _cls.foreach = _bound(_owner, "foreach", vars(_cls)["foreach"], is_command=False)


class _Connecting:
    """What ``aerospike.aio.client(config)`` returns: await it for a connected Client, or use it
    as ``async with aerospike.aio.client(config) as client:`` (closed at the end)."""

    def __init__(self, config: dict):
        self._client = Client(config)

    def __await__(self):
        return self._client.connect().__await__()

    async def __aenter__(self) -> Client:
        return await self._client.connect()

    async def __aexit__(self, *exc_info) -> None:
        await self._client.close()


def client(config: dict) -> _Connecting:
    """A Client of the cluster `config` describes, connected when awaited (or entered)."""
    return _Connecting(config)


client = bound_function(client, SIGNATURES["aerospike"]["client"], "client")  # the official argument errors
