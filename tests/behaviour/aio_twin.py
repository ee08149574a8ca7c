"""The asyncio twin of the behaviour suite: the same tests, through `aerospike.aio`.

With ``PURESPIKE_AIO_TWIN=1`` (purespike only; ./dev test runs a pass with it), the conftest
calls `install()`: `aerospike.client(config)` then returns a `SyncFacade` over an
`aerospike.aio.Client`, and every call of a test goes through the asyncio face: each coroutine
runs on one event loop in a background thread (uvloop's when installed) and the test waits for
its result. So every expectation of the suite (return values, exceptions, codes, messages) is
checked against the coroutine API too, and the twin cannot drift from the suite: it is the
suite. Query/Scan results() are read with ``async for`` every other call, to cover both forms.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
import threading
import warnings

import aerospike
import aerospike.aio

ENV = "PURESPIKE_AIO_TWIN"
#: Longest a test waits for one call (a hung call fails the test instead of the run).
CALL_TIMEOUT = 300

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()
_results_form = itertools.count()


def _event_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None:
            try:
                import uvloop  # type: ignore[import-not-found]
                loop = uvloop.new_event_loop()
            except ImportError:
                loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="aio-twin-loop", daemon=True).start()
            _loop = loop
        return _loop


def _run(awaitable):
    loop = _event_loop()
    if threading.current_thread().name == "aio-twin-loop":
        raise RuntimeError("a callback on the event loop called the client back (not supported by the twin)")

    async def wait():
        return await awaitable

    return asyncio.run_coroutine_threadsafe(wait(), loop).result(CALL_TIMEOUT)


def _wrap(result, facade):
    if isinstance(result, aerospike.aio.Query):
        return Query(result) if result is not getattr(facade, "_stream", None) else facade
    if isinstance(result, aerospike.aio.Scan):
        return Scan(result) if result is not getattr(facade, "_stream", None) else facade
    return result


class _Facade:
    """Calls an aio object's methods and waits for their coroutines."""

    _target: object

    def __getattr__(self, name):
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            result = attribute(*args, **kwargs)
            if inspect.isawaitable(result):
                result = _run(result)
            return _wrap(result, self)

        return call


class Client(_Facade):
    """Named as the official class, for the tests that look at type names."""

    def __init__(self, aio_client):
        object.__setattr__(self, "_target", aio_client)

    def connect(self, *args, **kwargs):
        _run(self._target.connect(*args, **kwargs))
        return self


class StreamFacade(_Facade):
    def __init__(self, stream):
        object.__setattr__(self, "_target", stream)
        object.__setattr__(self, "_stream", stream)

    @property  # type: ignore[misc]
    def __class__(self):  # isinstance(facade, aerospike.Query): the aio Query is one
        return type(self._target)

    def __setattr__(self, name, value):
        # A warning the assignment gives (the unsigned members' RuntimeWarnings) points at the
        # test's line, as it does without this facade in between.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            setattr(self._target, name, value)
        for warning in caught:
            warnings.warn(warning.message, warning.category, stacklevel=2)

    def __delattr__(self, name):
        delattr(self._target, name)

    def results(self, *args, **kwargs):
        results = self._target.results(*args, **kwargs)
        if next(_results_form) % 2:
            return _run(results)

        async def collect():
            return [record async for record in results]

        return _run(collect())


class Query(StreamFacade):
    pass


class Scan(StreamFacade):
    pass


#: Behaviour tests whose expectation the asyncio API changes on purpose, with the reason.
DIFFERENCES = {
    "test_timeouts_and_retries.py::test_max_conns_per_node":
        "a full asyncio pool queues the command until a connection is free (within its deadline) "
        "instead of failing it with NoMoreConnections (-7); tests/client/test_aio.py checks it",
}


def reason_for(nodeid: str):
    path, _, name = nodeid.partition("::")
    filename = path.rsplit("/", 1)[-1]
    for key in (filename, f"{filename}::{name.split('[', 1)[0]}", f"{filename}::{name}"):
        if key in DIFFERENCES:
            return DIFFERENCES[key]
    return None


def install() -> None:
    original = aerospike.client

    @functools.wraps(original)
    def client(*args, **kwargs):
        facade = Client(aerospike.aio.client(*args, **kwargs)._client)
        facade.connect()
        return facade

    aerospike.client = client
