"""read_touch_ttl_percent (server 7.1+): a read late enough in a record's life resets its TTL
after answering, as a real node does (a node touches in the background: the new TTL is awaited);
the generation stays; -1 never touches; a percentage over 100 is refused. The records are written
once for the module and aged by one two-second wait, so that their remaining TTL has dropped."""

import time

import pytest

from aerospike import exception as ex

TTL_NAMESPACE = "ttl"  # the namespace fixture ttl_ns names (tests/spikelite.conf, node.conf.in)

TTL = 1000


@pytest.fixture(scope="module")
def aged(client):
    """Per test, keys written with TTL 1000 two seconds ago (`set_default`: in set `touched` of
    the ttl namespace, whose default-read-touch-ttl-pct is 100 on both servers)."""
    stamp = time.time_ns()
    keys = {name: [("test", "read_touch", "%s-%d-%d" % (name, stamp, i)) for i in range(2)]
            for name in ("late", "batch", "never", "over")}
    keys["set_default"] = [(TTL_NAMESPACE, "touched", "k%d" % stamp)]
    for group in keys.values():
        for key in group:
            client.put(key, {"v": 1}, meta={"ttl": TTL})
    time.sleep(2.1)
    yield keys
    for group in keys.values():
        for key in group:
            client.remove(key)


def _ttl(client, key):
    return client.get(key, policy={"read_touch_ttl_percent": -1})[1]["ttl"]


def _touched(client, key):
    return _ttl(client, key) >= TTL - 1


def test_a_late_enough_read_resets_the_ttl(client, aged, eventually):
    key = aged["late"][0]
    assert _ttl(client, key) <= TTL - 2
    _, meta, bins = client.get(key, policy={"read_touch_ttl_percent": 1})  # not late enough
    assert bins == {"v": 1} and _ttl(client, key) <= TTL - 2
    _, meta, _ = client.get(key, policy={"read_touch_ttl_percent": 100})
    assert meta["ttl"] <= TTL - 2  # the read answers the record as it was
    eventually(lambda: _touched(client, key))
    assert client.get(key, policy={"read_touch_ttl_percent": -1})[1]["gen"] == 1


def test_batch_reads_touch_too(client, aged, eventually):
    keys = aged["batch"]
    records = client.batch_read(keys, policy={"read_touch_ttl_percent": 100}).batch_records
    assert [r.record[2] for r in records] == [{"v": 1}, {"v": 1}]
    eventually(lambda: all(_touched(client, key) for key in keys))


def test_never_touch_and_the_namespace_default_off(client, aged):
    keys = aged["never"]
    client.get(keys[0], policy={"read_touch_ttl_percent": -1})
    client.get(keys[1], policy={"read_touch_ttl_percent": 0})  # test's default-read-touch-ttl-pct is 0
    time.sleep(0.3)  # a node would have touched by now
    assert all(_ttl(client, key) <= TTL - 2 for key in keys)


def test_a_set_default_applies_to_reads_without_a_percentage(client, aged, eventually):
    (key,) = aged["set_default"]
    assert _ttl(client, key) <= TTL - 2
    client.get(key)
    eventually(lambda: _touched(client, key))


def test_a_percentage_over_100_is_refused(client, aged):
    with pytest.raises(ex.InvalidRequest):
        client.get(aged["over"][0], policy={"read_touch_ttl_percent": 101})
