"""Timeouts, retries, connection pools and a node going away, seen through a fault-injecting proxy.

A spikelite node of its own runs as a child process; every test puts a fresh ``FaultProxy``
(tests/faultproxy.py) in front of it and connects a client to the proxy only, so the test can
delay, swallow or cut the node's data replies (info traffic, and so tending, passes untouched) and
count what the client sends. A lone node is kept at its seed address by the client (it asks for
``peers-clear-std``, never ``service-*``), so nothing bypasses the proxy.

What the official client does here, pinned for both clients:

- A command that runs out of time raises TimeoutError (code 9) with the C client's message
  ``Client timeout: socket=S total=T iterations=N lastNode=HOST:PORT`` (S and T as given in the
  policy, N the attempts made); ``in_doubt`` is True only for a write that went out.
- A timeout, a broken connection or an exhausted pool is retried up to ``max_retries`` times (reads
  and writes alike). ``sleep_between_retries`` is slept before each retry, except before the first
  retry of a read when the replica policy is not MASTER; no retry starts if its sleep would end
  past ``total_timeout``.
- A broken connection that retries cannot hide raises ConnectionError (-10); a refused connect
  likewise, with ``in_doubt`` False as nothing was sent.
- ``max_conns_per_node`` caps a node's data connections; a command that finds none free raises
  NoMoreConnectionsError (-7) "Max node NAME connections would be exceeded: MAX".
- Pooled sockets idle for longer than ``max_socket_idle`` seconds are not reused.
- A lone node that fails five tends in a row is dropped: ``get_nodes()`` becomes empty and commands
  raise InvalidNodeError (-8) "Node not found for partition NS:PID"; the seeds are tried on every
  tend, so the node is back within a tend or two once it listens again.

Only lower bounds are asserted on elapsed times: a loaded CI machine only makes things slower.
"""

from __future__ import annotations

import re
import threading
import time

import pytest

import aerospike
from aerospike import exception

from faultproxy import FaultProxy

NS = "test"
SET = "faults"
#: Tolerance for timer granularity when comparing elapsed times with lower bounds.
SLACK = 0.03


@pytest.fixture
def connect(proxy):
    """``connect(**config)``: a client of the proxy (closed after the test); counters reset."""
    clients = []

    def make(**config):
        client = aerospike.client(dict(config, hosts=[proxy.address]))
        clients.append(client)
        proxy.reset_counters()
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def key(request):
    return NS, SET, request.node.name


def arm(proxy: FaultProxy, **controls) -> None:
    """Reset the proxy's counters and set fault controls (``delay_ms=...``, ``swallow=True``...)."""
    proxy.reset_counters()
    for name, value in controls.items():
        setattr(proxy, name, value)


def _raises(exc_class, call):
    started = time.monotonic()
    with pytest.raises(exc_class) as info:
        call()
    return info.value, time.monotonic() - started


def _timeout_message(socket_ms: int, total_ms: int, iterations: int, proxy: FaultProxy) -> str:
    return "Client timeout: socket=%d total=%d iterations=%d lastNode=127.0.0.1:%d" % (
        socket_ms, total_ms, iterations, proxy.port)


def _requests_settle(proxy: FaultProxy, expected: int) -> int:
    """The proxy's data request count once it reached `expected` (or gave up waiting)."""
    proxy.wait_for(lambda: proxy.data_requests >= expected, timeout=3.0)
    return proxy.data_requests


# -- total_timeout ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["delay", "swallow"])
def test_read_answered_after_total_timeout_times_out(proxy, connect, key, fault):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, **({"delay_ms": 1500} if fault == "delay" else {"swallow": True}))
    # Default read policy: max_retries 2, socket_timeout 30000; the total timeout ends it all.
    err, elapsed = _raises(exception.TimeoutError, lambda: client.get(key, {"total_timeout": 300}))
    assert err.code == 9
    assert err.in_doubt is False
    assert err.msg == _timeout_message(30000, 300, 1, proxy)
    assert elapsed >= 0.3 - SLACK
    assert _requests_settle(proxy, 1) == 1
    proxy.reset()
    assert client.get(key)[2] == {"a": 1}


def test_write_timing_out_after_it_was_sent_is_in_doubt(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=1500)
    err, _ = _raises(exception.TimeoutError, lambda: client.put(key, {"a": 2}, policy={"total_timeout": 300}))
    assert err.code == 9
    assert err.in_doubt is True
    assert err.msg == _timeout_message(30000, 300, 1, proxy)
    proxy.reset()
    # In doubt indeed: the node applied the write, only its answer came too late.
    assert client.get(key)[2] == {"a": 2}


# -- socket_timeout and max_retries -----------------------------------------------------------------

@pytest.mark.parametrize("op", ["get", "put"])
def test_socket_timeouts_are_retried_then_time_out(proxy, connect, key, op):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=2000)
    policy = {"socket_timeout": 200, "total_timeout": 10000, "max_retries": 2}
    if op == "get":
        call = lambda: client.get(key, policy)  # noqa: E731
    else:
        call = lambda: client.put(key, {"a": 2}, policy=policy)  # noqa: E731
    err, elapsed = _raises(exception.TimeoutError, call)
    assert err.code == 9
    assert err.msg == _timeout_message(200, 10000, 3, proxy)
    assert err.in_doubt is (op == "put")
    assert elapsed >= 3 * 0.2 - SLACK
    assert _requests_settle(proxy, 3) == 3  # 1 + max_retries sends


def test_socket_timeout_without_total_timeout(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=1500)
    policy = {"socket_timeout": 200, "total_timeout": 0, "max_retries": 0}
    err, elapsed = _raises(exception.TimeoutError, lambda: client.get(key, policy))
    assert err.msg == _timeout_message(200, 0, 1, proxy)
    assert err.in_doubt is False
    assert elapsed >= 0.2 - SLACK


def test_socket_timeout_above_total_timeout_is_cut_to_it(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=1500)
    policy = {"socket_timeout": 400, "total_timeout": 300, "max_retries": 5}
    err, elapsed = _raises(exception.TimeoutError, lambda: client.get(key, policy))
    assert err.msg == _timeout_message(400, 300, 1, proxy)
    assert elapsed >= 0.3 - SLACK
    assert _requests_settle(proxy, 1) == 1


# -- sleep_between_retries --------------------------------------------------------------------------

@pytest.mark.parametrize("op, replica, sleeps", [
    ("get", aerospike.POLICY_REPLICA_MASTER, 2),
    ("get", aerospike.POLICY_REPLICA_SEQUENCE, 1),  # the first retry of a read does not sleep
    ("put", aerospike.POLICY_REPLICA_SEQUENCE, 2),
])
def test_sleep_between_retries(proxy, connect, key, op, replica, sleeps):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=2000)
    policy = {"socket_timeout": 150, "total_timeout": 10000, "max_retries": 2,
              "sleep_between_retries": 250, "replica": replica}
    if op == "get":
        call = lambda: client.get(key, policy)  # noqa: E731
    else:
        call = lambda: client.put(key, {"a": 2}, policy=policy)  # noqa: E731
    err, elapsed = _raises(exception.TimeoutError, call)
    assert err.msg == _timeout_message(150, 10000, 3, proxy)
    assert elapsed >= 3 * 0.15 + sleeps * 0.25 - SLACK
    assert _requests_settle(proxy, 3) == 3


def test_no_retry_starts_when_its_sleep_would_pass_total_timeout(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=2000)
    policy = {"socket_timeout": 200, "total_timeout": 500, "max_retries": 2, "sleep_between_retries": 300}
    # First try at 0 ms, the first retry (no sleep) at about 200 ms; the second would start after
    # a 300 ms sleep at about 700 ms, past the total timeout, so it is not made.
    err, elapsed = _raises(exception.TimeoutError, lambda: client.get(key, policy))
    sent = _requests_settle(proxy, 2)
    assert sent in (1, 2)  # 1 only on a machine so slow that the first try outlasted 500 ms
    assert err.msg == _timeout_message(200, 500, sent, proxy)
    assert elapsed >= 0.2 * sent - SLACK


# -- broken connections -----------------------------------------------------------------------------

def test_dropped_connection_is_retried_transparently(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, drop_next_data_requests=1)
    assert client.get(key)[2] == {"a": 1}  # read policy default: max_retries 2
    assert _requests_settle(proxy, 2) == 2
    arm(proxy, drop_next_data_requests=1)
    client.put(key, {"a": 2}, policy={"max_retries": 1})
    assert _requests_settle(proxy, 2) == 2
    assert client.get(key)[2] == {"a": 2}


def test_dropped_connection_without_retries(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, drop_next_data_requests=1)
    err, _ = _raises(exception.ConnectionError, lambda: client.get(key, {"max_retries": 0}))
    assert err.code == -10
    assert err.in_doubt is False
    arm(proxy, drop_next_data_requests=1)
    # Write policy default: max_retries 0. The request went out, so the write is in doubt.
    err, _ = _raises(exception.ConnectionError, lambda: client.put(key, {"a": 2}))
    assert err.code == -10
    assert err.in_doubt is True
    assert _requests_settle(proxy, 1) == 1


def test_every_retry_dropped(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    arm(proxy, drop_next_data_requests=3)
    err, _ = _raises(exception.ConnectionError, lambda: client.get(key, {"max_retries": 2}))
    assert err.code == -10
    assert err.in_doubt is False
    assert _requests_settle(proxy, 3) == 3
    assert client.get(key)[2] == {"a": 1}


def test_node_hanging_up_at_once(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    proxy.refuse = True
    proxy.cut_all()
    err, _ = _raises(exception.ConnectionError, lambda: client.get(key))
    assert err.code == -10
    proxy.refuse = False
    assert client.get(key)[2] == {"a": 1}


def test_refused_connects_until_total_timeout_raise_connection_error(proxy, connect, key):
    client = connect()
    client.put(key, {"a": 1})
    proxy.go_down()
    policy = {"total_timeout": 500, "max_retries": 5, "sleep_between_retries": 300}
    # Tries at 0, 0 (a read's first retry does not sleep) and 300 ms; the next would start at
    # 600 ms. The last failure is raised, not a timeout.
    err, elapsed = _raises(exception.ConnectionError, lambda: client.get(key, policy))
    assert err.code == -10
    assert err.in_doubt is False
    assert elapsed >= 0.3 - SLACK
    proxy.come_up()
    assert client.get(key)[2] == {"a": 1}


# -- the connection pool ----------------------------------------------------------------------------

def test_max_conns_per_node(proxy, connect, key):
    client = connect(max_conns_per_node=3)
    client.put(key, {"a": 1})
    arm(proxy, delay_ms=1500)
    proxy.reset_counters()
    start = threading.Barrier(6)
    outcomes = []

    def work(i):
        start.wait(10)
        try:
            if i % 2:
                client.put(key, {"a": i}, policy={"total_timeout": 10000})
            else:
                client.get(key, {"total_timeout": 10000})
            outcomes.append("ok")
        except exception.AerospikeError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 6
    failures = [o for o in outcomes if o != "ok"]
    assert 1 <= len(failures) <= 3
    name = client.get_node_names()[0]["node_name"]
    for err in failures:
        assert type(err) is exception.NoMoreConnectionsError
        assert err.code == -7
        assert err.msg == "Max node %s connections would be exceeded: 3" % name
        assert err.in_doubt is False  # nothing was sent
    assert proxy.max_open <= 3 + 1  # the data connections and the tend connection


def test_idle_sockets_are_not_reused(proxy, connect, key):
    client = connect(max_socket_idle=1)
    client.put(key, {"a": 1})
    for _ in range(3):
        client.get(key)
    opened = proxy.connections_opened
    assert opened >= 1
    client.get(key)
    assert proxy.connections_opened == opened  # a fresh socket is reused
    time.sleep(1.6)
    assert client.get(key)[2] == {"a": 1}
    assert proxy.connections_opened > opened


# -- a node going away ------------------------------------------------------------------------------

@pytest.mark.parametrize("interval", [0, 249])
def test_tend_interval_has_a_minimum(proxy, interval):
    with pytest.raises(exception.ClientError) as info:
        aerospike.client({"hosts": [proxy.address], "tend_interval": interval})
    assert info.value.code == -1
    assert info.value.msg == "Invalid tend interval: %d. min value: 250" % interval


def test_node_going_away_and_coming_back(proxy, connect, key, node_address):
    client = connect(tend_interval=250)
    client.put(key, {"a": 1})
    proxy.go_down()
    # While the client still has the node, connects are refused: nothing is sent.
    err, _ = _raises(exception.ConnectionError, lambda: client.get(key))
    assert err.code == -10
    assert err.in_doubt is False
    err, _ = _raises(exception.ConnectionError, lambda: client.put(key, {"a": 2}))
    assert err.code == -10
    assert err.in_doubt is False
    # Five failed tends later the lone node is dropped.
    assert proxy.wait_for(lambda: client.get_nodes() == [], timeout=10.0), "node was never dropped"
    for call in (lambda: client.get(key), lambda: client.put(key, {"a": 2})):
        err, _ = _raises(exception.InvalidNodeError, call)
        assert err.code == -8
        assert re.fullmatch(r"Node not found for partition test:\d+", err.msg)
        assert err.in_doubt is False
    assert client.info_all("build") == {}
    # Back again: the seeds are tried on every tend.
    proxy.come_up()

    def readable():
        try:
            return client.get(key)[2] == {"a": 1}
        except (exception.InvalidNodeError, exception.ConnectionError):
            return False

    assert proxy.wait_for(readable, timeout=10.0, interval=0.05), "node never came back"
    assert client.get_nodes() == [proxy.address]
    client.put(key, {"a": 3})
    assert client.get(key)[2] == {"a": 3}
