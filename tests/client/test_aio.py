"""aerospike.aio beyond the behaviour suite's twin (tests/behaviour/aio_twin.py): what only an
asyncio client has. Many commands in flight on a bounded pool, cancellation and timeouts with
the fault proxy in front of the node: a cancelled or timed-out command never leaves its socket
in the pool (a late reply would otherwise answer the next command), on the default loop and on
uvloop when it is installed."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

aio = pytest.importorskip("aerospike.aio", reason="purespike-only test")

from aerospike import exception  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402

NAMESPACE = "test"


def _loop_factories():
    factories = [pytest.param(asyncio.new_event_loop, id="asyncio")]
    try:
        import uvloop  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        factories.append(pytest.param(uvloop.new_event_loop, id="uvloop"))
    return factories


LOOPS = _loop_factories()


def _run(loop_factory, coroutine):
    loop = loop_factory()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


@pytest.fixture
def proxy(spikelite_server):
    with FaultProxy((spikelite_server.host, spikelite_server.port)) as p:
        yield p


def _config(address, **extra):
    return dict({"hosts": [address]}, **extra)


@pytest.mark.parametrize("loop_factory", LOOPS)
def test_a_thousand_concurrent_gets_share_max_conns_per_node_sockets(proxy, loop_factory, request):
    max_conns = 8
    set_name = "aio_many_" + request.node.callspec.id

    async def main():
        async with aio.client(_config(proxy.address, max_conns_per_node=max_conns)) as client:
            keys = [(NAMESPACE, set_name, i) for i in range(50)]
            for key in keys:
                await client.put(key, {"i": key[2], "name": "k%d" % key[2]})
            proxy.reset_counters()
            most_open = 0
            done = asyncio.Event()

            async def watch():
                nonlocal most_open
                while not done.is_set():
                    most_open = max(most_open, client.open_connections())
                    await asyncio.sleep(0)

            watcher = asyncio.ensure_future(watch())
            policy = {"total_timeout": 60000}
            calls = [client.get(keys[i % len(keys)], policy) for i in range(1000)]
            if hasattr(asyncio, "TaskGroup"):
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(call) for call in calls]
                results = [task.result() for task in tasks]
            else:  # Python 3.10
                results = await asyncio.gather(*calls)
            done.set()
            await watcher
            return results, most_open, client.open_connections()

    results, most_open, open_at_end = _run(loop_factory, main())
    assert len(results) == 1000
    for i, (key, meta, bins) in enumerate(results):
        assert key[:2] == (NAMESPACE, set_name) and meta["gen"] == 1
        assert bins == {"i": i % 50, "name": "k%d" % (i % 50)}
    assert 1 <= most_open <= max_conns
    assert 1 <= open_at_end <= max_conns
    # the node saw no more sockets than the pool's, plus the tend connection
    assert proxy.max_open <= max_conns + 1
    assert proxy.data_requests >= 1000


@pytest.mark.parametrize("loop_factory", LOOPS)
def test_a_cancelled_get_closes_its_socket_and_the_next_get_reads_its_own_reply(proxy, loop_factory, request):
    set_name = "aio_cancel_" + request.node.callspec.id

    async def main():
        async with aio.client(_config(proxy.address, max_conns_per_node=1)) as client:
            await client.put((NAMESPACE, set_name, "slow"), {"who": "slow"})
            await client.put((NAMESPACE, set_name, "next"), {"who": "next"})
            proxy.delay_ms = 800
            proxy.delay_count = 1
            slow = asyncio.ensure_future(client.get((NAMESPACE, set_name, "slow"), {"total_timeout": 10000}))
            await asyncio.sleep(0.2)
            assert client.open_connections() == 1  # the slow get holds the only socket
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            assert client.open_connections() == 0  # closed, not back in the pool
            # The only connection allowed is a new one: the late reply to "slow" cannot answer this.
            _, _, bins = await client.get((NAMESPACE, set_name, "next"), {"total_timeout": 10000})
            await asyncio.sleep(0.8)  # the delayed reply has been released by now
            _, _, again = await client.get((NAMESPACE, set_name, "next"), {"total_timeout": 10000})
            return bins, again, client.open_connections()

    bins, again, open_at_end = _run(loop_factory, main())
    assert bins == {"who": "next"} and again == {"who": "next"}
    assert open_at_end == 1


@pytest.mark.parametrize("loop_factory", LOOPS)
def test_a_timed_out_get_raises_the_sync_clients_error_and_its_socket_is_not_reused(proxy, loop_factory, request):
    set_name = "aio_timeout_" + request.node.callspec.id

    async def main():
        async with aio.client(_config(proxy.address)) as client:
            await client.put((NAMESPACE, set_name, 1), {"n": 1})
            await client.put((NAMESPACE, set_name, 2), {"n": 2})
            proxy.delay_ms = 1000
            proxy.delay_count = 1
            started = time.monotonic()
            with pytest.raises(exception.TimeoutError) as info:
                await client.get((NAMESPACE, set_name, 1), {"total_timeout": 300})
            elapsed = time.monotonic() - started
            open_after = client.open_connections()
            _, _, bins = await client.get((NAMESPACE, set_name, 2), {"total_timeout": 10000})
            return info.value, elapsed, open_after, bins

    error, elapsed, open_after, bins = _run(loop_factory, main())
    assert error.code == 9
    # the read policy's default socket timeout (30 s) and the call's total, as the sync client words it
    assert error.msg == "Client timeout: socket=30000 total=300 iterations=1 lastNode=%s:%d" % proxy.address
    assert error.in_doubt is False
    assert 0.25 <= elapsed < 0.9  # bounded by total_timeout, not by the late reply
    assert open_after == 0
    assert bins == {"n": 2}


@pytest.mark.parametrize("loop_factory", LOOPS)
def test_wait_for_cancels_a_query_stream_and_the_client_goes_on(proxy, loop_factory, request):
    set_name = "aio_stream_" + request.node.callspec.id

    async def main():
        async with aio.client(_config(proxy.address)) as client:
            for i in range(30):
                await client.put((NAMESPACE, set_name, i), {"i": i})
            proxy.delay_ms = 1000
            proxy.delay_count = 1
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.query(NAMESPACE, set_name).results(), 0.3)
            open_after = client.open_connections()
            records = await client.query(NAMESPACE, set_name).results()
            seen = []
            async for record in client.scan(NAMESPACE, set_name).results():
                seen.append(record[2]["i"])
                if len(seen) == 5:
                    break  # leaving early closes the stream's socket
            await asyncio.sleep(0)
            return open_after, records, seen, client.open_connections()

    open_after, records, seen, open_at_end = _run(loop_factory, main())
    assert open_after == 0
    assert sorted(r[2]["i"] for r in records) == list(range(30))
    assert len(seen) == 5 and len(set(seen)) == 5
    assert open_at_end <= 1


def test_foreach_takes_sync_and_async_callbacks_and_stops_on_false(spikelite_server, request):
    set_name = "aio_foreach"

    async def main():
        async with aio.client(_config((spikelite_server.host, spikelite_server.port))) as client:
            for i in range(20):
                await client.put((NAMESPACE, set_name, i), {"i": i})
            plain: list = []
            await client.scan(NAMESPACE, set_name).foreach(lambda record: plain.append(record[2]["i"]))
            awaited: list = []

            async def slow_consumer(record):
                await asyncio.sleep(0)
                awaited.append(record[2]["i"])
                return len(awaited) < 7

            await client.query(NAMESPACE, set_name).foreach(slow_consumer)
            return plain, awaited

    plain, awaited = asyncio.run(main())
    assert sorted(plain) == list(range(20))
    assert len(awaited) == 7


def test_client_argument_errors_and_a_closed_client(spikelite_server):
    async def main():
        with pytest.raises(exception.ParamError) as no_config:
            aio.client()
        client = await aio.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
        with pytest.raises(TypeError) as missing:
            await client.get()
        await client.close()
        with pytest.raises(exception.ClusterError) as closed:
            await client.get((NAMESPACE, "s", 1))
        return no_config.value, missing.value, closed.value

    no_config, missing, closed = asyncio.run(main())
    assert no_config.msg == "No config argument"
    assert str(missing) == "get() missing required argument 'key' (pos 1)"
    assert closed.code == 11 and closed.msg == "No connection to aerospike cluster"


def test_login_over_tls_runs_on_the_loop_and_a_refused_login_raises_the_sync_clients_error(tmp_path):
    """The asyncio connections log in themselves (the sync client's login steps): LOGIN when no
    session token is held, AUTHENTICATE with it otherwise; a login the node refuses on a new
    connection raises what the sync client raises in the same place."""
    import aerospike
    import spikelite
    from aerospike._auth import hash_password
    tlscerts = pytest.importorskip("tlscerts")

    tls_name = "spikelite.test"
    certs = tlscerts.make_certs(tmp_path, tls_name)
    conf = tmp_path / "secure-tls.conf"
    secure = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"  # the security part
    conf.write_text(tlscerts.tls_network_config(certs, tls_name, "false") + secure.read_text())
    key = (NAMESPACE, "aio_tls_login", 1)

    def break_login(client) -> None:  # the next new connection logs in with a wrong password
        authenticator = client._cluster.authenticator
        authenticator.credential, authenticator.token = hash_password("wrong"), None

    with spikelite.spawn(str(conf)) as server:
        config = {"hosts": server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]},
                  "user": "admin", "password": "admin", "max_conns_per_node": 4}
        sync_client = aerospike.client(config)
        try:
            sync_client.admin_grant_roles("admin", ["read-write"])
        finally:
            sync_client.close()
        sync_client = aerospike.client(config)
        try:
            break_login(sync_client)
            with pytest.raises(exception.AerospikeError) as sync_refusal:
                sync_client.get(key)
        finally:
            sync_client.close()

        async def main():
            async with aio.client(config) as client:
                authenticator = client._cluster.authenticator
                authenticator.token = None  # the aio connection sends LOGIN itself
                await client.put(key, {"v": 1, "s": "over TLS"})
                logged_in = authenticator.token
                # more connections at once: they AUTHENTICATE with the token LOGIN stored
                records = await asyncio.gather(*(client.get(key) for _ in range(12)))
                opened = client.open_connections()
                same_token = authenticator.token == logged_in
            async with aio.client(config) as client:
                break_login(client)
                with pytest.raises(exception.AerospikeError) as refusal:
                    await client.get(key)
                left_open = client.open_connections()
            return logged_in, records, opened, same_token, refusal.value, left_open

        logged_in, records, opened, same_token, refusal, left_open = asyncio.run(main())
    assert logged_in is not None and same_token
    assert [bins for _, _, bins in records] == [{"v": 1, "s": "over TLS"}] * 12
    assert 1 < opened <= 4
    assert type(refusal) is type(sync_refusal.value)
    assert (refusal.code, refusal.msg, refusal.in_doubt) == \
        (sync_refusal.value.code, sync_refusal.value.msg, sync_refusal.value.in_doubt)
    assert refusal.code == 65  # InvalidCredential
    assert left_open == 0  # the refused connection was not pooled
