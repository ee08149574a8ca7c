"""Record time-to-live: what meta["ttl"] reads back for every way of setting
it, namespace and set default TTLs, touch, and expiry.

tests/spikelite.conf: namespace ``test`` has default-ttl 0 (never expire),
namespace ``ttl`` has default-ttl 1h and its set ``short`` default-ttl 2 s.
A record that never expires reads back with meta["ttl"] == 4294967295
(aerospike.TTL_NEVER_EXPIRE).
"""

import time

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op

NEVER_EXPIRE = 4294967295
HOUR = 3600
SHORT_SET = "short"
SHORT_SET_TTL = 2
# Client and server clocks are sampled at different instants (and in whole
# seconds); a TTL read back may be a little lower than the one written, or one
# higher when the client's second ticks later than the server's.
SLACK = 3


def ttl_of(client, k):
    return client.exists(k)[1]["ttl"]


def assert_ttl_close(actual, expected):
    assert expected - SLACK <= actual <= expected + 1, f"ttl {actual} is not about {expected}"


def test_never_expire_constant():
    assert aerospike.TTL_NEVER_EXPIRE == NEVER_EXPIRE
    assert aerospike.TTL_NAMESPACE_DEFAULT == 0


# ---------------------------------------------------------------- put


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param(None, id="no-meta"),
        pytest.param({}, id="empty-meta"),
        pytest.param({"ttl": 0}, id="ttl-0"),
        pytest.param({"ttl": aerospike.TTL_NAMESPACE_DEFAULT}, id="TTL_NAMESPACE_DEFAULT"),
        pytest.param({"ttl": -1}, id="ttl-minus-1"),
        pytest.param({"ttl": aerospike.TTL_NEVER_EXPIRE}, id="TTL_NEVER_EXPIRE"),
        pytest.param({"ttl": aerospike.TTL_DONT_UPDATE}, id="TTL_DONT_UPDATE-on-create"),
        pytest.param({"ttl": -2}, id="ttl-minus-2-on-create"),
    ],
)
def test_never_expiring_records_in_namespace_without_default_ttl(client, key, meta):
    k = key("never")
    client.put(k, {"v": 1}, meta)
    _, got_meta, _ = client.get(k)
    assert got_meta["ttl"] == NEVER_EXPIRE


@pytest.mark.parametrize("ttl", [1000, 86400, 315360000])
def test_explicit_ttl_reads_back(client, key, ttl):
    k = key("explicit")
    client.put(k, {"v": 1}, {"ttl": ttl})
    assert_ttl_close(client.get(k)[1]["ttl"], ttl)


def test_ttl_above_ten_years_is_an_invalid_request(client, key):
    k = key("too-long")
    with pytest.raises(ex.InvalidRequest) as exc_info:
        client.put(k, {"v": 1}, {"ttl": 315360000 + 1})
    assert exc_info.value.code == 4
    assert client.exists(k)[1] is None


def test_write_policy_ttl_is_used_without_meta_ttl(client, key):
    k = key("policy-ttl")
    client.put(k, {"v": 1}, policy={"ttl": 500})
    assert_ttl_close(ttl_of(client, k), 500)


def test_ttl_client_default_uses_write_policy_ttl(client, key):
    k = key("client-default")
    client.put(k, {"v": 1}, {"ttl": aerospike.TTL_CLIENT_DEFAULT}, {"ttl": 700})
    assert_ttl_close(ttl_of(client, k), 700)


def test_meta_ttl_wins_over_write_policy_ttl(client, key):
    k = key("meta-wins")
    client.put(k, {"v": 1}, {"ttl": 900}, {"ttl": 700})
    assert_ttl_close(ttl_of(client, k), 900)


def test_rewrite_without_ttl_resets_to_namespace_default(client, key):
    k = key("reset")
    client.put(k, {"v": 1}, {"ttl": 1000})
    client.put(k, {"v": 2})
    assert ttl_of(client, k) == NEVER_EXPIRE


@pytest.mark.parametrize("dont_update", [aerospike.TTL_DONT_UPDATE, -2])
def test_ttl_dont_update_keeps_existing_ttl(client, key, dont_update):
    k = key("keep")
    client.put(k, {"v": 1}, {"ttl": 1000})
    client.put(k, {"v": 2}, {"ttl": dont_update})
    _, meta, bins = client.get(k)
    assert bins == {"v": 2}
    assert meta["gen"] == 2
    assert_ttl_close(meta["ttl"], 1000)


def test_ttl_dont_update_keeps_never_expire(client, key):
    k = key("keep-never")
    client.put(k, {"v": 1}, {"ttl": -1})
    client.put(k, {"v": 2}, {"ttl": aerospike.TTL_DONT_UPDATE})
    assert ttl_of(client, k) == NEVER_EXPIRE


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda c, k: c.put(k, {"n": 2}), id="put"),
        pytest.param(lambda c, k: c.increment(k, "n", 1), id="increment"),
        pytest.param(lambda c, k: c.append(k, "s", "x"), id="append"),
        pytest.param(lambda c, k: c.prepend(k, "s", "x"), id="prepend"),
        pytest.param(lambda c, k: c.remove_bin(k, ["s"]), id="remove_bin"),
        pytest.param(lambda c, k: c.touch(k), id="touch"),
        pytest.param(lambda c, k: c.operate(k, [op.write("w", 1)]), id="operate-write"),
    ],
)
def test_every_write_without_ttl_applies_the_default_ttl(client, ttl_ns, set_name, write):
    # A write that does not say TTL_DONT_UPDATE sets the record's TTL anew:
    # here to the namespace default (1 h), replacing the 100 s written first.
    k = (ttl_ns, set_name, "rewrite")
    client.put(k, {"n": 1, "s": "a"}, {"ttl": 100})
    write(client, k)
    _, meta = client.exists(k)
    assert meta["gen"] == 2
    assert_ttl_close(meta["ttl"], HOUR)


def test_reads_in_operate_do_not_change_ttl(client, key):
    k = key("op-read")
    client.put(k, {"v": 1}, {"ttl": 1000})
    client.operate(k, [op.read("v")])
    assert_ttl_close(ttl_of(client, k), 1000)
    assert client.exists(k)[1]["gen"] == 1


def test_shorter_ttl_replaces_never_expire(client, key):
    k = key("shorten")
    client.put(k, {"v": 1})
    client.put(k, {"v": 2}, {"ttl": 100})
    assert_ttl_close(ttl_of(client, k), 100)


# ---------------------------------------------------------------- namespace / set defaults


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param(None, id="no-meta"),
        pytest.param({"ttl": 0}, id="ttl-0"),
        pytest.param({"ttl": aerospike.TTL_NAMESPACE_DEFAULT}, id="TTL_NAMESPACE_DEFAULT"),
        pytest.param({"ttl": aerospike.TTL_DONT_UPDATE}, id="TTL_DONT_UPDATE-on-create"),
    ],
)
def test_namespace_default_ttl(client, ttl_ns, set_name, meta):
    k = (ttl_ns, set_name, "default")
    client.put(k, {"v": 1}, meta)
    assert_ttl_close(ttl_of(client, k), HOUR)


def test_never_expire_overrides_namespace_default(client, ttl_ns, set_name):
    k = (ttl_ns, set_name, "never")
    client.put(k, {"v": 1}, {"ttl": aerospike.TTL_NEVER_EXPIRE})
    assert ttl_of(client, k) == NEVER_EXPIRE


def test_explicit_ttl_overrides_namespace_default(client, ttl_ns, set_name):
    k = (ttl_ns, set_name, "explicit")
    client.put(k, {"v": 1}, {"ttl": 100})
    assert_ttl_close(ttl_of(client, k), 100)


def test_set_default_ttl(client, ttl_ns, set_name):
    k = (ttl_ns, SHORT_SET, f"set-default-{set_name}")
    client.put(k, {"v": 1})
    assert 1 <= ttl_of(client, k) <= SHORT_SET_TTL + 1


def test_explicit_ttl_overrides_set_default(client, ttl_ns, set_name):
    k = (ttl_ns, SHORT_SET, f"explicit-{set_name}")
    client.put(k, {"v": 1}, {"ttl": 1000})
    assert_ttl_close(ttl_of(client, k), 1000)


# ---------------------------------------------------------------- touch and operate


def test_touch_sets_ttl_and_bumps_generation(client, key):
    k = key("touch")
    client.put(k, {"v": 1})
    assert client.touch(k, 500) == 0
    _, meta, bins = client.get(k)
    assert bins == {"v": 1}
    assert meta["gen"] == 2
    assert_ttl_close(meta["ttl"], 500)


def test_touch_without_ttl_applies_namespace_default(client, ttl_ns, set_name):
    k = (ttl_ns, set_name, "touch-default")
    client.put(k, {"v": 1}, {"ttl": 100})
    client.touch(k)
    _, meta, _ = client.get(k)
    assert meta["gen"] == 2
    assert_ttl_close(meta["ttl"], HOUR)


def test_touch_with_never_expire(client, ttl_ns, set_name):
    k = (ttl_ns, set_name, "touch-never")
    client.put(k, {"v": 1})
    client.touch(k, -1)
    assert ttl_of(client, k) == NEVER_EXPIRE


def test_operate_touch_op_sets_ttl(client, key):
    k = key("op-touch")
    client.put(k, {"v": 1})
    _, meta, bins = client.operate(k, [op.touch(800)])
    assert bins == {}
    assert meta["gen"] == 2
    assert_ttl_close(meta["ttl"], 800)
    assert_ttl_close(ttl_of(client, k), 800)


def test_operate_meta_ttl_applies_to_writes(client, key):
    k = key("op-meta")
    client.operate(k, [op.write("v", 1)], meta={"ttl": 600})
    assert_ttl_close(ttl_of(client, k), 600)


def test_increment_meta_ttl(client, key):
    k = key("incr-meta")
    client.increment(k, "n", 1, {"ttl": 400})
    assert_ttl_close(ttl_of(client, k), 400)


def test_reads_do_not_change_ttl(client, key):
    k = key("read")
    client.put(k, {"v": 1}, {"ttl": 1000})
    before = ttl_of(client, k)
    client.get(k)
    client.select(k, ["v"])
    after = ttl_of(client, k)
    assert after <= before


# ---------------------------------------------------------------- expiry
#
# A real server expires a record once its void time (write second + ttl) is
# in the past, in whole seconds: a ttl=N record stays readable for at least N
# seconds after the write and is gone less than N+1 seconds after it.


def _gone(client, k):
    try:
        client.get(k)
    except ex.RecordNotFound:
        return client.exists(k)[1] is None
    return False


def _readable(client, k):
    try:
        return client.get(k)[2] == {"v": 1}
    except ex.RecordNotFound:
        return False


def _write_and_check_lifetime(client, k, write, ttl, eventually):
    before_write = time.monotonic()
    write()
    after_write = time.monotonic()
    assert _readable(client, k)
    # Still there shortly before its ttl has run out...
    time.sleep(max(0.0, before_write + ttl - 0.2 - time.monotonic()))
    elapsed = time.monotonic() - before_write
    assert _readable(client, k), f"ttl={ttl} record expired early: gone {elapsed:.2f} s after the write"
    # ...and gone within a second (plus scheduling slack) after it ran out.
    deadline = after_write + ttl + 1.5 - time.monotonic()
    eventually(lambda: _gone(client, k), timeout=max(deadline, 0.1), interval=0.05,
               message=f"ttl={ttl} record still readable")


def test_record_expires_after_its_ttl(client, key, eventually):
    k = key("expire")
    other = key("stays")
    client.put(other, {"v": 2}, {"ttl": 1000})
    _write_and_check_lifetime(client, k, lambda: client.put(k, {"v": 1}, {"ttl": 1}), 1, eventually)
    assert client.get(other)[2] == {"v": 2}
    # An expired record can be written again, as a new record.
    client.put(k, {"v": 3})
    _, meta, bins = client.get(k)
    assert bins == {"v": 3}
    assert meta["gen"] == 1


def test_record_expires_by_set_default_ttl(client, ttl_ns, set_name, eventually):
    k = (ttl_ns, SHORT_SET, f"expire-{set_name}")
    kept = (ttl_ns, set_name, "kept")
    client.put(kept, {"v": 1})
    _write_and_check_lifetime(client, k, lambda: client.put(k, {"v": 1}), SHORT_SET_TTL, eventually)
    # Records in other sets of the namespace keep the 1 h namespace default.
    assert client.get(kept)[2] == {"v": 1}
