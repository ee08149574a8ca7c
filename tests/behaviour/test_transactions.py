"""Multi-record transactions (aerospike.Transaction, Client.commit / Client.abort, policy "txn").

Transactions need a strong-consistency namespace, an Enterprise feature: these tests run against
spikelite only (tests/behaviour/spikelite_only.py), started here on tests/spikelite-transactions.conf
(namespace ``txn``), or on a persistent namespace for the kill -9 tests. What a Community node
answers, and the client's argument errors, are in test_transaction_arguments.py (both servers).
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import aerospike
import pytest
from aerospike import exception as ex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spikelite

NS = "txn"
CONF = Path(__file__).resolve().parent.parent / "spikelite-transactions.conf"
CRASH_ENV = "SPIKELITE_CRASH_AFTER_ROLL_FORWARDS"
MRT_BLOCKED, MRT_ABORTED = 120, 125

pytestmark = pytest.mark.skipif(bool(os.environ.get("SPIKELITE_HOST_PORT", "").strip()),
                                reason="starts its own spikelite (a strong-consistency namespace)")


@pytest.fixture(scope="module")
def sc_client(tmp_path_factory):
    # its own lua.user_path: udf_put copies the module there (the official client: cwd by default)
    lua_dir = str(tmp_path_factory.mktemp("txn_lua"))
    with spikelite.spawn(config=str(CONF)) as child:
        c = aerospike.client({"hosts": child.hosts, "lua": {"user_path": lua_dir}}).connect()
        try:
            yield c
        finally:
            c.close()


@pytest.fixture
def keys(set_name):
    return [(NS, set_name, "k%d" % i) for i in range(3)]


def test_commit_makes_all_writes_visible_at_once(sc_client, keys):
    c = sc_client
    for key in keys:
        c.put(key, {"v": 1})
    txn = aerospike.Transaction()
    assert txn.state == aerospike.TXN_STATE_OPEN and txn.in_doubt is False and txn.timeout == 0
    assert c.get(keys[0], policy={"txn": txn})[2] == {"v": 1}
    for key in keys:
        c.put(key, {"v": 2}, policy={"txn": txn})
    c.increment(keys[0], "v", 10, policy={"txn": txn})
    c.remove(keys[2], policy={"txn": txn})
    # the transaction reads its own writes; everybody else still sees the committed records
    assert c.get(keys[0], policy={"txn": txn})[2] == {"v": 12}
    with pytest.raises(ex.RecordNotFound):
        c.get(keys[2], policy={"txn": txn})
    assert [c.get(k)[2] for k in keys] == [{"v": 1}] * 3
    assert c.commit(txn) == aerospike.COMMIT_OK
    assert txn.state == aerospike.TXN_STATE_COMMITTED and txn.in_doubt is False
    assert c.get(keys[0])[2] == {"v": 12} and c.get(keys[1])[2] == {"v": 2}
    with pytest.raises(ex.RecordNotFound):
        c.get(keys[2])
    assert c.commit(txn) == aerospike.COMMIT_ALREADY_COMMITTED
    with pytest.raises(ex.TransactionAlreadyCommitted) as info:
        c.abort(txn)
    assert info.value.code == -18 and info.value.msg == "Transaction already committed"
    with pytest.raises(ex.ParamError) as info:
        c.put(keys[0], {"v": 3}, policy={"txn": txn})
    assert info.value.msg == "Issuing commands to this transaction is forbidden because it has been committed."
    # the monitor record is gone after a clean commit
    assert [r for r in c.scan(NS, "<ERO~MRT").results() if r[2].get("id") == _signed(txn.id)] == []


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def test_abort_leaves_every_record_as_it_was(sc_client, keys):
    c = sc_client
    c.put(keys[0], {"v": 1})
    txn = aerospike.Transaction()
    c.put(keys[0], {"v": 2}, policy={"txn": txn})
    c.put(keys[1], {"v": 2}, policy={"txn": txn})
    assert c.abort(txn) == aerospike.ABORT_OK
    assert txn.state == aerospike.TXN_STATE_ABORTED
    assert c.get(keys[0])[2] == {"v": 1}
    with pytest.raises(ex.RecordNotFound):
        c.get(keys[1])
    assert c.abort(txn) == aerospike.ABORT_ALREADY_ABORTED
    with pytest.raises(ex.TransactionAlreadyAborted) as info:
        c.commit(txn)
    assert info.value.code == -19 and info.value.msg == "Transaction already aborted"
    c.put(keys[0], {"v": 3})  # nothing stays locked
    assert c.get(keys[0])[2] == {"v": 3}


def test_batch_commands_in_a_transaction(sc_client, keys):
    from aerospike_helpers.operations import operations as op
    c = sc_client
    for key in keys:
        c.put(key, {"v": 1})
    txn = aerospike.Transaction()
    batch = c.batch_operate(keys, [op.increment("v", 5)], policy_batch={"txn": txn})
    assert batch.result == 0 and [r.result for r in batch.batch_records] == [0, 0, 0]
    reads = c.batch_read(keys, policy={"txn": txn})
    assert [r.record[2] for r in reads.batch_records] == [{"v": 6}] * 3
    assert [r.record[2] for r in c.batch_read(keys).batch_records] == [{"v": 1}] * 3
    assert c.commit(txn) == aerospike.COMMIT_OK
    assert [c.get(k)[2] for k in keys] == [{"v": 6}] * 3


def test_a_record_udf_in_a_transaction_writes_provisionally(sc_client, keys):
    c = sc_client
    c.udf_put(str(Path(__file__).resolve().parent.parent / "udf" / "records.lua"))
    c.put(keys[0], {"a": 1})
    txn = aerospike.Transaction()
    assert c.apply(keys[0], "records", "set_bin", ["a", 5], policy={"txn": txn}) == 0
    assert c.get(keys[0])[2] == {"a": 1} and c.get(keys[0], policy={"txn": txn})[2] == {"a": 5}
    assert c.commit(txn) == aerospike.COMMIT_OK
    assert c.get(keys[0])[2] == {"a": 5}


def test_a_locked_record_blocks_other_writers_and_transactions(sc_client, keys):
    c = sc_client
    c.put(keys[0], {"v": 1})
    txn = aerospike.Transaction()
    c.put(keys[0], {"v": 2}, policy={"txn": txn})
    with pytest.raises(ex.AerospikeError) as info:
        c.put(keys[0], {"v": 3})
    assert info.value.code == MRT_BLOCKED and "AEROSPIKE_MRT_BLOCKED" in info.value.msg
    other = aerospike.Transaction()
    with pytest.raises(ex.AerospikeError) as info:
        c.put(keys[0], {"v": 4}, policy={"txn": other})
    assert info.value.code == MRT_BLOCKED
    with pytest.raises(ex.AerospikeError) as info:
        c.remove(keys[0])
    assert info.value.code == MRT_BLOCKED
    # another transaction reads the committed record
    assert c.get(keys[0], policy={"txn": other})[2] == {"v": 1}
    assert c.abort(other) == aerospike.ABORT_OK
    assert c.commit(txn) == aerospike.COMMIT_OK
    assert c.get(keys[0])[2] == {"v": 2}


def test_a_read_changed_before_commit_fails_verification_and_rolls_back(sc_client, keys):
    c = sc_client
    c.put(keys[0], {"v": 1})
    c.put(keys[1], {"v": 1})
    txn = aerospike.Transaction()
    assert c.get(keys[0], policy={"txn": txn})[2] == {"v": 1}
    c.put(keys[1], {"v": 2}, policy={"txn": txn})
    c.put(keys[0], {"v": 5})  # a writer outside the transaction changes what it read
    with pytest.raises(ex.TransactionFailed) as info:
        c.commit(txn)
    assert info.value.code == -17
    assert info.value.msg == "Txn aborted:\nVerify failed: One or more read keys failed to verify"
    assert txn.state == aerospike.TXN_STATE_ABORTED
    assert c.get(keys[1])[2] == {"v": 1}  # its write was rolled back
    c.put(keys[1], {"v": 7})
    assert c.get(keys[1])[2] == {"v": 7}


def test_a_transaction_past_its_deadline_is_rolled_back(sc_client, keys, eventually):
    c = sc_client
    c.put(keys[0], {"v": 1})
    txn = aerospike.Transaction()
    txn.timeout = 1
    assert txn.timeout == 1
    c.put(keys[0], {"v": 2}, policy={"txn": txn})

    def unlocked():
        try:
            c.put(keys[1], {"probe": 1})
            c.touch(keys[0])
            return True
        except ex.AerospikeError as exc:
            assert exc.code == MRT_BLOCKED
            return False

    eventually(unlocked, timeout=10, interval=0.2, message="the expired transaction never released its record")
    assert c.get(keys[0])[2] == {"v": 1}
    with pytest.raises(ex.AerospikeError) as info:
        c.commit(txn)
    assert info.value.code == MRT_ABORTED
    assert info.value.msg.startswith("Txn aborted:\nMark roll forward abandoned: ")
    assert txn.state == aerospike.TXN_STATE_ABORTED


def test_more_than_4096_writes_are_refused(sc_client, set_name):
    from aerospike_helpers.operations import operations as op
    c = sc_client
    keys = [(NS, set_name, i) for i in range(4097)]
    txn = aerospike.Transaction()
    # the monitor refuses the keys: the batch's result, no records, nothing written
    batch = c.batch_operate(keys, [op.write("v", 1)], policy_batch={"txn": txn})
    assert batch.result == 123 and batch.batch_records == []
    with pytest.raises(ex.RecordNotFound):
        c.get(keys[0])
    assert txn.state == aerospike.TXN_STATE_OPEN
    assert c.abort(txn) == aerospike.ABORT_OK


def test_a_batch_a_transaction_cannot_take_answers_with_its_result(sc_client, keys):
    from aerospike_helpers.batch import records as br
    from aerospike_helpers.operations import operations as op
    c = sc_client
    txn = aerospike.Transaction()
    assert c.commit(txn) == aerospike.COMMIT_OK
    for call in (lambda: c.batch_read(keys, policy={"txn": txn}),
                 lambda: c.batch_operate(keys, [op.write("v", 1)], policy_batch={"txn": txn}),
                 lambda: c.batch_remove(keys, policy_batch={"txn": txn})):
        batch = call()
        assert batch.result == -2 and batch.batch_records == []
    records = br.BatchRecords([br.Write(k, [op.write("v", 1)]) for k in keys])
    assert c.batch_write(records, policy_batch={"txn": txn}) is records
    assert records.result == -2
    assert [(r.result, r.record) for r in records.batch_records] == [
        (0, ((k[0], k[1], k[2], None), {"ttl": 0, "gen": 0}, {})) for k in keys]
    with pytest.raises(ex.ParamError) as info:
        c.batch_read(keys, policy={"txn": "not one"})
    assert info.value.msg == "txn is not of type aerospike.Transaction"


# -- kill -9 of a persistent namespace ------------------------------------------------------------

DURABLE_CONF = """
namespace txn {
    replication-factor 1
    strong-consistency true
    nsup-period 1
    storage-engine device {
        file %s
        filesize 64M
    }
}
"""


@pytest.fixture
def durable_conf(tmp_path):
    path = tmp_path / "durable.conf"
    path.write_text(DURABLE_CONF % (tmp_path / "txn.dat"))
    return str(path)


def _wait_killed(child) -> None:
    assert child.process.wait(10) == -signal.SIGKILL
    for stream in (child.process.stdout, child.process.stderr):
        stream.close()


@contextlib.contextmanager
def _child_to_kill(conf: str):
    """A spikelite child the test kills; if the test fails first, it is killed here."""
    child = spikelite.spawn(config=conf)
    try:
        yield child
    finally:
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait(10)
        for stream in (child.process.stdout, child.process.stderr):
            if not stream.closed:
                stream.close()


def test_a_crash_between_roll_forward_steps_never_leaves_half_a_transaction(durable_conf, monkeypatch):
    keys = [(NS, "crash", "k%d" % i) for i in range(4)]
    monkeypatch.setenv(CRASH_ENV, "1")  # the server kills itself (SIGKILL) after one roll-forward step
    with _child_to_kill(durable_conf) as child:
        monkeypatch.delenv(CRASH_ENV)
        c = aerospike.client({"hosts": child.hosts}).connect()
        try:
            for key in keys:
                c.put(key, {"v": 0})
            txn = aerospike.Transaction()
            for key in keys:
                c.put(key, {"v": 1}, policy={"txn": txn})
            status = c.commit(txn)
            assert status == aerospike.COMMIT_ROLL_FORWARD_ABANDONED
            assert txn.state == aerospike.TXN_STATE_COMMITTED
        finally:
            c.close()
        _wait_killed(child)
    with spikelite.spawn(config=durable_conf) as child:
        c = aerospike.client({"hosts": child.hosts}).connect()
        try:
            assert [c.get(k)[2] for k in keys] == [{"v": 1}] * 4
            c.put(keys[0], {"v": 2})  # and nothing stays locked
        finally:
            c.close()


def test_a_crash_before_commit_leaves_the_old_records(durable_conf, eventually):
    keys = [(NS, "crash", "k%d" % i) for i in range(2)]
    with _child_to_kill(durable_conf) as child:
        c = aerospike.client({"hosts": child.hosts}).connect()
        try:
            c.put(keys[0], {"v": 0})
            txn = aerospike.Transaction()
            txn.timeout = 1
            c.put(keys[0], {"v": 1}, policy={"txn": txn})
            c.put(keys[1], {"v": 1}, policy={"txn": txn})
        finally:
            c.close()
        child.process.send_signal(signal.SIGKILL)
        _wait_killed(child)
    with spikelite.spawn(config=durable_conf) as child:
        c = aerospike.client({"hosts": child.hosts}).connect()
        try:
            # the provisional writes survived the crash: invisible, and locked until the deadline
            assert c.get(keys[0])[2] == {"v": 0}
            with pytest.raises(ex.RecordNotFound):
                c.get(keys[1])

            def writable():
                try:
                    c.put(keys[0], {"v": 2})
                    return True
                except ex.AerospikeError as exc:
                    assert exc.code == MRT_BLOCKED
                    return False

            eventually(writable, timeout=10, interval=0.2, message="the transaction was never rolled back")
            assert c.get(keys[0])[2] == {"v": 2}
            with pytest.raises(ex.RecordNotFound):
                c.get(keys[1])
        finally:
            c.close()


# -- what goes on the wire -------------------------------------------------------------------------

def _fields(body: bytes) -> list[tuple[int, bytes]]:
    from _recording_proxy import as_msg_fields
    fields = as_msg_fields(body)
    assert fields is not None
    return fields


def _info(body: bytes) -> tuple[int, int, int, int]:
    return body[1], body[2], body[3], body[4]


def test_the_requests_of_a_transaction(set_name):
    """The monitor record, the transaction fields, the verify/mark/roll/close steps: the official
    client's protocol, byte for byte where the values are known."""
    import struct

    from _recording_proxy import RecordingProxy
    NAMESPACE, SET, KEY, VERSION, DIGEST, TXN_ID, DEADLINE = 0, 1, 2, 3, 4, 5, 6
    with spikelite.spawn(config=str(CONF)) as child, RecordingProxy(*child.hosts[0]) as proxy:
        c = aerospike.client({"hosts": [proxy.address]}).connect()
        try:
            read_key, write_key = (NS, set_name, "r"), (NS, set_name, "w")
            c.put(read_key, {"v": 1})
            proxy.requests.clear()
            txn = aerospike.Transaction()
            txn.timeout = 7
            c.get(read_key, policy={"txn": txn})
            c.put(write_key, {"v": 2}, policy={"txn": txn})
            assert c.commit(txn) == aerospike.COMMIT_OK
            sent = list(proxy.requests)
        finally:
            c.close()
    txn_id = struct.pack("<Q", txn.id)
    signed_id = txn.id - (1 << 64) if txn.id >= 1 << 63 else txn.id
    monitor_digest = aerospike.calc_digest(NS, "<ERO~MRT", signed_id)
    read_digest = aerospike.calc_digest(*read_key)
    write_digest = aerospike.calc_digest(*write_key)
    get, monitor, put, verify, mark, roll, close = sent
    # the read carries the transaction id after the digest
    assert [t for t, _ in _fields(get)] == [NAMESPACE, SET, DIGEST, TXN_ID]
    assert _fields(get)[3][1] == txn_id
    # before the first write: the monitor record (ttl = the transaction's timeout), no txn fields
    assert _fields(monitor) == [(NAMESPACE, NS.encode()), (SET, b"<ERO~MRT"), (DIGEST, bytes(monitor_digest))]
    assert struct.unpack_from(">I", monitor, 10)[0] == 7  # record ttl
    assert b"id" in monitor and struct.pack(">q", signed_id) in monitor
    assert b"keyds" in monitor and bytes(write_digest) in monitor
    # the write: id and the deadline the monitor answered
    assert [t for t, _ in _fields(put)] == [NAMESPACE, SET, DIGEST, TXN_ID, DEADLINE]
    assert _fields(put)[3][1] == txn_id and len(_fields(put)[4][1]) == 4
    # commit: verify the read version (no txn id), mark fwd, roll forward, delete the monitor
    assert _info(verify) == (0x01 | 0x20, 0, 0x40, 0x01)  # READ|GET_NO_BINS, SC read, verify
    assert [t for t, _ in _fields(verify)] == [NAMESPACE, SET, DIGEST, VERSION]
    assert _fields(verify)[2][1] == bytes(read_digest) and len(_fields(verify)[3][1]) == 7
    assert _fields(mark)[2][1] == bytes(monitor_digest) and b"fwd" in mark
    assert _info(roll) == (0, 0x01 | 0x10, 0, 0x02)  # WRITE|DURABLE_DELETE, roll forward
    assert _fields(roll) == [(NAMESPACE, NS.encode()), (SET, set_name.encode()), (DIGEST, bytes(write_digest)),
                             (TXN_ID, txn_id)]
    assert _info(close)[1] == 0x01 | 0x02 | 0x10  # WRITE|DELETE|DURABLE_DELETE
    assert _fields(close)[2][1] == bytes(monitor_digest)


# -- generated interleavings against a model -------------------------------------------------------

N_KEYS, N_TXNS = 3, 3
_steps = st.lists(st.one_of(
    st.tuples(st.just("txn_put"), st.integers(0, N_TXNS - 1), st.integers(0, N_KEYS - 1), st.integers(0, 99)),
    st.tuples(st.just("txn_get"), st.integers(0, N_TXNS - 1), st.integers(0, N_KEYS - 1), st.just(0)),
    st.tuples(st.just("put"), st.just(0), st.integers(0, N_KEYS - 1), st.integers(0, 99)),
    st.tuples(st.just("get"), st.just(0), st.integers(0, N_KEYS - 1), st.just(0)),
    st.tuples(st.just("commit"), st.integers(0, N_TXNS - 1), st.just(0), st.just(0)),
    st.tuples(st.just("abort"), st.integers(0, N_TXNS - 1), st.just(0), st.just(0)),
), min_size=1, max_size=14)
_interleavings = iter(range(1 << 30))  # a fresh set per example


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=_steps)
def test_interleaved_transactions_and_writers_follow_the_model(sc_client, steps):
    """Transactions and plain writers on a few records, in any order: every answer and every value
    is the model's (locks held until commit or abort, own writes seen inside, committed values
    outside, a commit whose reads changed fails and rolls back)."""
    c = sc_client
    keys = [(NS, "model%d" % next(_interleavings), "k%d" % i) for i in range(N_KEYS)]
    committed = {k: 0 for k in range(N_KEYS)}
    changes = {k: 0 for k in range(N_KEYS)}  # bumped by every committed change of a key
    for k in range(N_KEYS):
        c.put(keys[k], {"v": 0})
    txns: dict[int, aerospike.Transaction] = {}
    writes: dict[int, dict[int, int]] = {}
    reads: dict[int, dict[int, int]] = {}  # txn → key → its change count when read
    locks: dict[int, int] = {}  # key → txn

    def txn_of(i):
        if i not in txns:
            txns[i], writes[i], reads[i] = aerospike.Transaction(), {}, {}
        return txns[i]

    def finish(i):
        for k in [k for k, owner in locks.items() if owner == i]:
            del locks[k]
        del txns[i], writes[i], reads[i]

    for action, i, k, v in steps:
        if action == "put":
            if k in locks:
                with pytest.raises(ex.AerospikeError) as info:
                    c.put(keys[k], {"v": v})
                assert info.value.code == MRT_BLOCKED
            else:
                c.put(keys[k], {"v": v})
                committed[k] = v
                changes[k] += 1
        elif action == "get":
            assert c.get(keys[k])[2] == {"v": committed[k]}
        elif action == "txn_put":
            txn = txn_of(i)
            if locks.get(k, i) != i:
                with pytest.raises(ex.AerospikeError) as info:
                    c.put(keys[k], {"v": v}, policy={"txn": txn})
                assert info.value.code == MRT_BLOCKED
            else:
                c.put(keys[k], {"v": v}, policy={"txn": txn})
                locks[k] = i
                writes[i][k] = v
                reads[i].pop(k, None)
        elif action == "txn_get":
            txn = txn_of(i)
            expected = writes[i].get(k, committed[k])
            assert c.get(keys[k], policy={"txn": txn})[2] == {"v": expected}
            if k not in writes[i]:
                reads[i][k] = changes[k]
        elif action == "commit" and i in txns:
            stale = [k for k, seen in reads[i].items() if changes[k] != seen or locks.get(k, i) != i]
            if stale:
                with pytest.raises(ex.TransactionFailed):
                    c.commit(txns[i])
            else:
                assert c.commit(txns[i]) == aerospike.COMMIT_OK
                for k, value in writes[i].items():
                    committed[k] = value
                    changes[k] += 1
            finish(i)
        elif action == "abort" and i in txns:
            assert c.abort(txns[i]) == aerospike.ABORT_OK
            finish(i)
    for i in list(txns):
        c.abort(txns[i])
    assert [c.get(key)[2] for key in keys] == [{"v": committed[k]} for k in range(N_KEYS)]


def test_a_commit_whose_mark_is_in_doubt_can_only_be_committed_again(set_name):
    """The mark-roll-forward write's reply is lost: the commit fails in doubt, the transaction
    may not be aborted any more, and committing it again finishes it."""
    from faultproxy import FaultProxy
    quick = {"total_timeout": 400, "socket_timeout": 400, "max_retries": 0}
    with spikelite.spawn(config=str(CONF)) as child, FaultProxy(child.hosts[0]) as proxy:
        c = aerospike.client({"hosts": [proxy.address], "policies": {"txn_roll": quick}}).connect()
        try:
            keys = [(NS, set_name, i) for i in range(2)]
            txn = aerospike.Transaction()
            for key in keys:
                c.put(key, {"v": 1}, policy={"txn": txn})
            proxy.swallow = True  # the mark reaches the node; its reply never comes back
            with pytest.raises(ex.AerospikeError) as info:
                c.commit(txn)
            proxy.swallow = False
            assert info.value.in_doubt is True
            assert info.value.msg.startswith("Txn aborted:\nMark roll forward abandoned: ")
            assert txn.state == aerospike.TXN_STATE_COMMIT_FAILED and txn.in_doubt is True
            with pytest.raises(ex.TransactionFailed) as info:
                c.abort(txn)
            assert info.value.msg == ("Abort not allowed because a commit already failed on this transaction "
                                      "with an in-doubt outcome")
            assert c.commit(txn) == aerospike.COMMIT_OK
            assert txn.state == aerospike.TXN_STATE_COMMITTED and txn.in_doubt is False
            assert [c.get(k)[2] for k in keys] == [{"v": 1}] * 2
        finally:
            c.close()
