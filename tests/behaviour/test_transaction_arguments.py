"""aerospike.Transaction and commit/abort: argument errors, states, and what a namespace without
strong consistency answers (the Community node refuses transactions with ENTERPRISE_ONLY, 25).
Runs against both servers; the transactions themselves are in test_transactions.py."""

from __future__ import annotations

import pickle

import aerospike
import pytest
from aerospike import exception as ex

ENTERPRISE_ONLY = 25


def test_a_transaction_has_a_random_id_and_read_only_state():
    first, second = aerospike.Transaction(), aerospike.Transaction(reads_capacity=16, writes_capacity=0)
    assert isinstance(first.id, int) and 0 < first.id < 1 << 64 and first.id != second.id
    assert (first.state, first.in_doubt, first.timeout) == (aerospike.TXN_STATE_OPEN, False, 0)
    for name in ("id", "in_doubt", "state"):
        with pytest.raises(AttributeError) as info:
            setattr(first, name, 1)
        assert str(info.value) == "attribute '%s' of 'aerospike.Transaction' objects is not writable" % name
        with pytest.raises(AttributeError) as info:
            delattr(first, name)
        assert str(info.value) == "attribute '%s' of 'aerospike.Transaction' objects is not writable" % name
    for get_or_set in (lambda: first.other, lambda: setattr(first, "other", 1), lambda: setattr(first, "_x", 1)):
        with pytest.raises(AttributeError) as info:
            get_or_set()
        assert str(info.value).startswith("'aerospike.Transaction' object has no attribute '")
    first.timeout = 30
    first.timeout = True
    assert first.timeout == 1
    with pytest.raises(AttributeError):
        first.other = 1
    with pytest.raises(TypeError, match="cannot pickle"):
        pickle.dumps(first)


@pytest.mark.parametrize("value, error, message", [
    ("xyz", TypeError, "xyz must be an integer"),
    (1.5, TypeError, "1.5 must be an integer"),
    (None, TypeError, "None must be an integer"),
    (-1, OverflowError, "can't convert negative int to unsigned"),
    (1 << 32, ValueError, "4294967296 exceeds 4294967295"),
    (1 << 64, OverflowError, "int too big to convert"),
])
def test_bad_capacities_and_timeouts(value, error, message):
    for make in (lambda: aerospike.Transaction(value), lambda: aerospike.Transaction(writes_capacity=value)):
        with pytest.raises(error) as info:
            make()
        assert str(info.value) == message
    txn = aerospike.Transaction()
    with pytest.raises(error) as info:
        txn.timeout = value
    assert str(info.value) == message and txn.timeout == 0


def test_bad_constructor_calls():
    with pytest.raises(TypeError) as info:
        aerospike.Transaction(1, 2, 3)
    assert str(info.value) == "function takes at most 2 arguments (3 given)"
    with pytest.raises(TypeError) as info:
        aerospike.Transaction(foo=1)
    assert str(info.value) == "'foo' is an invalid keyword argument for this function"


def test_commit_and_abort_take_a_transaction(client):
    for name in ("commit", "abort"):
        method = getattr(client, name)
        for bad, type_name in ((1, "int"), (None, "None"), ("x", "str")):
            with pytest.raises(TypeError) as info:
                method(bad)
            assert str(info.value) == "%s() argument 1 must be aerospike.Transaction, not %s" % (name, type_name)
        with pytest.raises(TypeError) as info:
            method()
        assert str(info.value) == "%s() missing required argument 'transaction' (pos 1)" % name
        with pytest.raises(TypeError) as info:
            method(aerospike.Transaction(), 1)
        assert str(info.value) == "%s() takes at most 1 argument (2 given)" % name


def test_a_policy_txn_must_be_a_transaction(client, key):
    for call in (lambda: client.get(key(1), policy={"txn": 1}),
                 lambda: client.put(key(1), {"a": 1}, policy={"txn": "x"}),
                 lambda: client.remove(key(1), policy={"txn": None}),
                 lambda: client.batch_read([key(1)], policy={"txn": 3})):
        with pytest.raises(ex.ParamError) as info:
            call()
        assert info.value.msg == "txn is not of type aerospike.Transaction"


def test_an_empty_transaction_commits_and_aborts_without_the_server(client):
    txn = aerospike.Transaction()
    assert client.commit(txn) == aerospike.COMMIT_OK
    assert txn.state == aerospike.TXN_STATE_COMMITTED
    assert client.commit(txn) == aerospike.COMMIT_ALREADY_COMMITTED
    with pytest.raises(ex.TransactionAlreadyCommitted):
        client.abort(txn)
    txn = aerospike.Transaction()
    assert client.abort(txn) == aerospike.ABORT_OK
    assert client.abort(txn) == aerospike.ABORT_ALREADY_ABORTED
    with pytest.raises(ex.ParamError) as info:
        client.get(("test", "s", 1), policy={"txn": txn})
    assert info.value.msg == "Issuing commands to this transaction is forbidden because it has been aborted."


def test_a_namespace_without_strong_consistency_refuses_transactions(client, key):
    client.put(key(1), {"a": 1})
    txn = aerospike.Transaction()
    for call in (lambda: client.get(key(1), policy={"txn": txn}),
                 lambda: client.put(key(1), {"a": 2}, policy={"txn": txn})):
        with pytest.raises(ex.AerospikeError) as info:
            call()
        assert info.value.code == ENTERPRISE_ONLY
        assert info.value.msg.endswith("AEROSPIKE_ERR_ENTERPRISE_ONLY")
    assert txn.state == aerospike.TXN_STATE_OPEN
    assert client.get(key(1))[2] == {"a": 1}
    assert client.commit(txn) == aerospike.COMMIT_OK


def test_an_unknown_namespace_is_refused_before_the_transaction_looks_at_it(client, key):
    txn = aerospike.Transaction()
    with pytest.raises(ex.NamespaceNotFound) as info:
        client.get(("no_such_ns", "s", 1), policy={"txn": txn})
    assert info.value.msg == "Invalid namespace: no_such_ns"
    # the transaction took no namespace from it: another one is still its first
    with pytest.raises(ex.AerospikeError) as info:
        client.get(key(1), policy={"txn": txn})
    assert info.value.code in (2, 25)  # not found (no record) or refused (no strong consistency)
    assert not isinstance(info.value, ex.ParamError)
