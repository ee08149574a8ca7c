"""A node failing under batch calls, and the circuit breaker (max_error_rate / error_rate_window).

As test_timeouts_and_retries: a spikelite node of its own (or SPIKELITE_HOST_PORT) behind a fresh
``FaultProxy`` per test. What the official client does, checked against a real three-node cluster
too (tests/realcluster): a batch_* call whose sub-batch to a node fails does not raise; the call's
``result`` is the failure's code and that node's rows are NO_RESPONSE (-15), in doubt when they
were writes that went out. A node whose errors pass ``max_error_rate`` within a window of
``error_rate_window`` tends is skipped with MaxErrorRateExceeded (-14) until the window ends.
"""

from __future__ import annotations


import pytest

import aerospike
from aerospike import exception
from aerospike_helpers.batch.records import BatchRecords, Write
from aerospike_helpers.operations import operations


NS = "test"
SET = "node_failures"
NO_RESPONSE = -15


@pytest.fixture
def connect(proxy):
    clients = []

    def make(**config):
        client = aerospike.client(dict(config, hosts=[proxy.address])).connect()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def keys(name: str, n: int = 5) -> list:
    return [(NS, SET, "%s-%d" % (name, i)) for i in range(n)]


def test_batch_read_with_a_failing_node_does_not_raise(proxy, connect):
    client = connect()
    ks = keys("read")
    for k in ks:
        client.put(k, {"a": 1})
    proxy.drop_next_data_requests = 1
    batch = client.batch_read(ks, policy={"max_retries": 0})
    assert batch.result == -10
    assert [(r.result, r.record, r.in_doubt) for r in batch.batch_records] == [(NO_RESPONSE, None, False)] * 5
    # The next call works again.
    batch = client.batch_read(ks, policy={"max_retries": 0})
    assert batch.result == 0 and [r.record[2] for r in batch.batch_records] == [{"a": 1}] * 5


@pytest.mark.parametrize("call", ["batch_write", "batch_operate", "batch_remove"])
def test_batch_writes_with_a_failing_node_are_in_doubt(proxy, connect, call):
    client = connect()
    ks = keys(call)
    for k in ks:
        client.put(k, {"a": 1})
    proxy.drop_next_data_requests = 1
    policy = {"max_retries": 0}
    if call == "batch_write":
        batch = client.batch_write(BatchRecords([Write(k, [operations.write("a", 2)]) for k in ks]), policy)
    elif call == "batch_operate":
        batch = client.batch_operate(ks, [operations.write("a", 2)], policy)
    else:
        batch = client.batch_remove(ks, policy)
    assert batch.result == -10
    assert [(r.result, r.in_doubt) for r in batch.batch_records] == [(NO_RESPONSE, True)] * 5


def test_batch_timing_out_gives_the_timeout_code(proxy, connect):
    client = connect()
    ks = keys("timeout")
    for k in ks:
        client.put(k, {"a": 1})
    proxy.swallow = True
    batch = client.batch_read(ks, policy={"max_retries": 0, "total_timeout": 200, "socket_timeout": 200})
    proxy.swallow = False
    assert batch.result == 9
    assert {r.result for r in batch.batch_records} == {NO_RESPONSE}


def test_circuit_breaker_opens_after_max_error_rate(proxy, connect):
    # A window of one tend, and tends far apart: the count is not reset during the test.
    client = connect(max_error_rate=1, error_rate_window=1, tend_interval=60000)
    key = (NS, SET, "breaker")
    client.put(key, {"a": 1})
    proxy.drop_next_data_requests = 2
    for _ in range(2):
        with pytest.raises(exception.ConnectionError):
            client.get(key, {"max_retries": 0})
    requests = proxy.data_requests
    with pytest.raises(exception.MaxErrorRateExceeded) as info:
        client.get(key, {"max_retries": 0})
    assert info.value.code == -14 and info.value.msg == "Max error rate exceeded"
    assert proxy.data_requests == requests  # nothing was sent to the node
    # Retries do not help while the breaker is open (the node stays the same).
    with pytest.raises(exception.MaxErrorRateExceeded):
        client.get(key, {"max_retries": 2, "sleep_between_retries": 0})


def test_circuit_breaker_stays_closed_within_the_limit(proxy, connect):
    client = connect(max_error_rate=2, error_rate_window=1, tend_interval=60000)
    key = (NS, SET, "breaker-limit")
    client.put(key, {"a": 1})
    proxy.drop_next_data_requests = 2
    for _ in range(2):
        with pytest.raises(exception.ConnectionError):
            client.get(key, {"max_retries": 0})
    assert client.get(key, {"max_retries": 0})[2] == {"a": 1}


@pytest.mark.parametrize("rate, window", [(0, 1), (1000, 1), (1, 5)])
def test_circuit_breaker_bad_ratio_falls_back_to_defaults(proxy, connect, rate, window):
    """max_error_rate / error_rate_window outside 1..100: the defaults (100 per tend) apply."""
    client = connect(max_error_rate=rate, error_rate_window=window, tend_interval=60000)
    key = (NS, SET, "breaker-defaults")
    client.put(key, {"a": 1})
    proxy.drop_next_data_requests = 3
    for _ in range(3):
        with pytest.raises(exception.ConnectionError):
            client.get(key, {"max_retries": 0})
    assert client.get(key, {"max_retries": 0})[2] == {"a": 1}


def test_refused_connections_count_against_the_node(proxy, connect):
    """The node is gone (nothing listens): each refused connect counts as an error of the node."""
    client = connect(max_error_rate=1, error_rate_window=1, tend_interval=60000)
    key = (NS, SET, "breaker-refused")
    client.put(key, {"a": 1})
    proxy.go_down()
    seen = []
    try:
        for _ in range(4):
            try:
                client.get(key, {"max_retries": 0})
            except (exception.ConnectionError, exception.MaxErrorRateExceeded) as exc:
                seen.append(type(exc).__name__)
    finally:
        proxy.come_up()
    # The first call fails to connect (its pooled socket was cut too: a second error for the
    # official client); at most one more, then the breaker is open.
    first_open = seen.index("MaxErrorRateExceeded")
    assert 1 <= first_open <= 2 and set(seen[:first_open]) == {"ConnectionError"}, seen
    assert set(seen[first_open:]) == {"MaxErrorRateExceeded"}, seen
