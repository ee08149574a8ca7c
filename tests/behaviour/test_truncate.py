"""truncate(namespace, set, nanos).

``nanos`` is a last-update-time cutoff in nanoseconds since the Unix epoch:
records last written before it are removed; 0 means "now" (everything
written so far). Truncation is asynchronous on a real server, so results are
polled (records read as missing right away on a real node; set statistics
follow).
"""

import re
import time

import pytest
from aerospike import exception as ex


def _missing(client, k):
    return client.exists(k)[1] is None


def _all_missing(client, keys):
    return all(_missing(client, k) for k in keys)


def _put_all(client, keys):
    for i, k in enumerate(keys):
        client.put(k, {"i": i})
    # A real node removes the records last updated strictly before the truncation's millisecond:
    # a write in the same millisecond as truncate(..., 0) survives it.
    time.sleep(0.002)


def test_truncate_set_removes_only_that_set(client, ns, set_name, eventually):
    doomed = [(ns, set_name, i) for i in range(10)]
    other_set = [(ns, set_name + "_keep", i) for i in range(5)]
    _put_all(client, doomed)
    _put_all(client, other_set)
    assert client.truncate(ns, set_name, 0) == 0
    eventually(lambda: _all_missing(client, doomed), message="truncated records still readable")
    for k in other_set:
        assert client.get(k)[2]["i"] == k[2]


def test_truncate_keeps_other_namespaces(client, ns, ttl_ns, set_name, eventually):
    doomed = [(ns, set_name, i) for i in range(3)]
    kept = [(ttl_ns, set_name, i) for i in range(3)]
    _put_all(client, doomed)
    _put_all(client, kept)
    client.truncate(ns, set_name, 0)
    eventually(lambda: _all_missing(client, doomed))
    for k in kept:
        assert client.exists(k)[1] is not None


def test_records_written_after_truncate_survive(client, ns, set_name, eventually):
    old = [(ns, set_name, f"old{i}") for i in range(3)]
    _put_all(client, old)
    client.truncate(ns, set_name, 0)
    eventually(lambda: _all_missing(client, old))
    time.sleep(0.01)  # a write in a later millisecond than the cutoff
    new = (ns, set_name, "new")
    client.put(new, {"v": 1})
    _, meta, bins = client.get(new)
    assert bins == {"v": 1}
    assert meta["gen"] == 1
    # Re-writing a truncated key creates a fresh record.
    client.put(old[0], {"v": 2})
    _, meta, bins = client.get(old[0])
    assert bins == {"v": 2}
    assert meta["gen"] == 1


def test_truncate_with_cutoff_before_the_records_keeps_them(client, ns, set_name):
    keys = [(ns, set_name, i) for i in range(5)]
    _put_all(client, keys)
    cutoff = time.time_ns() - 60 * 10**9  # one minute ago
    assert client.truncate(ns, set_name, cutoff) == 0
    time.sleep(0.2)  # give an asynchronous truncation a chance to (wrongly) act
    for k in keys:
        assert client.get(k)[2] == {"i": k[2]}


def test_truncate_with_cutoff_between_writes(client, ns, set_name, eventually):
    before = [(ns, set_name, f"before{i}") for i in range(4)]
    after = [(ns, set_name, f"after{i}") for i in range(4)]
    _put_all(client, before)
    time.sleep(0.3)
    cutoff = time.time_ns()
    time.sleep(0.3)
    _put_all(client, after)
    client.truncate(ns, set_name, cutoff)
    eventually(lambda: _all_missing(client, before), message="records older than the cutoff still readable")
    for k in after:
        assert client.exists(k)[1] is not None


def test_truncate_whole_namespace(client, ttl_ns, ns, set_name, eventually):
    # Uses the "ttl" namespace so no other test's namespace is wiped.
    in_ttl_ns = [(ttl_ns, set_name, i) for i in range(3)] + [(ttl_ns, set_name + "_b", i) for i in range(3)]
    in_test_ns = [(ns, set_name, i) for i in range(3)]
    _put_all(client, in_ttl_ns)
    _put_all(client, in_test_ns)
    assert client.truncate(ttl_ns, None, 0) == 0
    eventually(lambda: _all_missing(client, in_ttl_ns), message="namespace truncate left records")
    for k in in_test_ns:
        assert client.exists(k)[1] is not None


def test_truncate_missing_set_succeeds(client, ns, set_name):
    assert client.truncate(ns, set_name + "_never_written", 0) == 0


def test_truncate_updates_set_object_count(client, ns, set_name, eventually):
    keys = [(ns, set_name, i) for i in range(3)]
    _put_all(client, keys)

    def objects():
        response = client.info_all(f"sets/{ns}/{set_name}")
        assert len(response) >= 1
        counts = []
        for err, text in response.values():
            assert err is None
            match = re.search(r"(?:^|[:;])objects=(\d+)", text)
            assert match, text
            counts.append(int(match.group(1)))
        return sum(counts)

    assert objects() == 3
    client.truncate(ns, set_name, 0)
    eventually(lambda: objects() == 0, message="set still reports objects after truncate")


@pytest.mark.parametrize(
    "nanos_of",
    [
        pytest.param(lambda now: now + 1000 * 10**9, id="in-the-future"),
        pytest.param(lambda now: 1, id="before-2010-epoch"),
    ],
)
def test_truncate_with_invalid_cutoff_is_an_invalid_request(client, ns, set_name, nanos_of):
    k = (ns, set_name, "k")
    client.put(k, {"v": 1})
    with pytest.raises(ex.InvalidRequest):
        client.truncate(ns, set_name, nanos_of(time.time_ns()))
    assert client.get(k)[2] == {"v": 1}


def test_truncate_with_an_empty_set_name_is_refused_and_deletes_nothing(client, ns, set_name):
    """An empty set name is a set name, not "the whole namespace": the node refuses it."""
    keys = [(ns, set_name, i) for i in range(5)]
    _put_all(client, keys)
    with pytest.raises(ex.InvalidRequest) as info:
        client.truncate(ns, "", 0)
    assert info.value.code == 4
    assert info.value.msg.startswith("missing 'set' value from ")
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:  # a namespace truncation would show within this time
        assert not any(_missing(client, k) for k in keys)
        time.sleep(0.05)


@pytest.mark.parametrize("args, message", [
    ((None, "s", 0), "Namespace must be unicode or string type"),
    ((1, "s", 0), "Namespace must be unicode or string type"),
    (("test", 1, 0), "Set must be None, or unicode or string type"),
    (("test", b"s", 0), "Set must be None, or unicode or string type"),
    (("test", "s", "0"), "Nanoseconds must be a long type"),
    (("test", "s", 1.0), "Nanoseconds must be a long type"),
    (("test", "s", -1), "Nanoseconds must be a positive value"),
    (("test", "s", -(2**63)), "Nanoseconds must be a positive value"),
    (("test", "s", -(2**63) - 1), "Nanoseconds value too large"),
    (("test", "s", 2**64), "Nanoseconds value too large"),
])
def test_truncate_argument_errors(client, args, message):
    with pytest.raises(ex.ParamError) as info:
        client.truncate(*args)
    assert info.value.code == -2 and info.value.msg == message


def test_cutoff_keeps_a_write_of_its_own_millisecond(client, ns, set_name, eventually):
    """A real node compares last-update times in milliseconds and removes records updated
    strictly before the cutoff's millisecond."""
    from aerospike_helpers import expressions as exp
    from aerospike_helpers.operations import expression_operations as expr_ops

    k = (ns, set_name, "same_ms")
    client.put(k, {"a": 1})
    lut_ns = client.operate(k, [expr_ops.expression_read("lut", exp.LastUpdateTime().compile())])[2]["lut"]
    ms = lut_ns // 1_000_000
    time.sleep(0.01)  # the cutoffs below must lie in the past
    client.truncate(ns, set_name, ms * 1_000_000 + 999_999)  # the write's own millisecond
    time.sleep(0.2)
    assert client.get(k)[2] == {"a": 1}
    client.truncate(ns, set_name, (ms + 1) * 1_000_000)  # the next millisecond
    eventually(lambda: _missing(client, k), message="record of an earlier millisecond survived")
