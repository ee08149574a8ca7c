"""batch_read, batch_write, batch_operate, batch_remove: per-record results and the overall result."""

import pytest

import aerospike
from aerospike import exception as ex
from aerospike_helpers.batch import records as br
from aerospike_helpers.operations import operations as op

BATCH_FAILED = -16


def digest_of(k):
    return aerospike.calc_digest(*k)


@pytest.fixture
def keys(client, key):
    ks = [key(i) for i in range(4)]
    client.put(ks[0], {"a": 0, "b": "x"})
    client.put(ks[1], {"a": 1, "b": "y"})
    return ks


def test_batch_read_all_bins(client, keys):
    result = client.batch_read(keys)
    assert result.result == 0
    assert [r.result for r in result.batch_records] == [0, 0, 2, 2]
    first = result.batch_records[0]
    assert type(first) is br.BatchRecord
    assert first.key == (*keys[0], digest_of(keys[0]))  # the key comes back with its digest
    k, meta, bins = first.record
    assert k == (*keys[0], digest_of(keys[0]))
    assert meta == {"ttl": 4294967295, "gen": 1}
    assert bins == {"a": 0, "b": "x"}
    assert result.batch_records[2].record is None
    assert not any(r.in_doubt for r in result.batch_records)


def test_batch_read_selected_bins_and_header(client, keys):
    result = client.batch_read(keys, ["a", "missing"])
    assert [r.record[2] if r.record else None for r in result.batch_records] == [{"a": 0}, {"a": 1}, None, None]
    header = client.batch_read(keys, [])
    k, meta = header.batch_records[1].record
    assert meta["gen"] == 1
    assert header.batch_records[3].result == 2


def test_batch_read_duplicate_keys_and_empty_list(client, keys):
    result = client.batch_read([keys[0], keys[0]])
    assert [r.record[2] for r in result.batch_records] == [{"a": 0, "b": "x"}] * 2
    empty = client.batch_read([])
    assert empty.result == 0 and empty.batch_records == []


def test_unknown_namespace_fails_only_its_record(client, keys):
    result = client.batch_read([keys[0], ("no_such_ns", "s", 1)])
    assert result.result == BATCH_FAILED
    assert [r.result for r in result.batch_records] == [0, 20]


@pytest.mark.parametrize("bad", ["x", [("test", "s")], [("test", 1, "k")], None])
def test_batch_read_bad_keys(client, bad):
    with pytest.raises(ex.ParamError):
        client.batch_read(bad)


def test_batch_write_mixed_records(client, keys):
    records = br.BatchRecords([
        br.Write(keys[2], [op.write("a", 22), op.read("a")]),
        br.Read(keys[0], [op.read("b")]),
        br.Read(keys[1], None, read_all_bins=True),
        br.Remove(keys[1]),
        br.Write(keys[3], [op.increment("n", 5)], meta={"ttl": 100}),
    ])
    result = client.batch_write(records)
    assert result is records
    assert result.result == 0
    assert [r.result for r in records.batch_records] == [0, 0, 0, 0, 0]
    assert records.batch_records[0].record[2] == {"a": 22}
    assert records.batch_records[1].record[2] == {"b": "x"}
    assert records.batch_records[2].record[2] == {"a": 1, "b": "y"}
    assert client.exists(keys[1])[1] is None
    _, meta, bins = client.get(keys[3])
    assert bins == {"n": 5} and 90 <= meta["ttl"] <= 100


def test_batch_write_errors_are_per_record(client, keys):
    records = br.BatchRecords([
        br.Write(keys[0], [op.write("a", 1)], policy={"exists": aerospike.POLICY_EXISTS_CREATE}),
        br.Write(keys[0], [op.append("a", "x")]),
        br.Remove(keys[3]),
        br.Write(keys[1], [op.write("c", 3)]),
    ])
    result = client.batch_write(records)
    assert result.result == BATCH_FAILED
    assert [r.result for r in records.batch_records] == [5, 12, 2, 0]
    assert records.batch_records[0].record is None
    assert client.get(keys[1])[2] == {"a": 1, "b": "y", "c": 3}


def test_batch_write_generation_policy(client, keys):
    records = br.BatchRecords([
        br.Write(keys[0], [op.write("a", 10)], meta={"gen": 1}, policy={"gen": aerospike.POLICY_GEN_EQ}),
        br.Write(keys[1], [op.write("a", 11)], meta={"gen": 5}, policy={"gen": aerospike.POLICY_GEN_EQ}),
    ])
    client.batch_write(records)
    assert [r.result for r in records.batch_records] == [0, 3]
    assert client.get(keys[0])[2]["a"] == 10 and client.get(keys[1])[2]["a"] == 1


def test_batch_write_needs_batch_records(client, keys):
    with pytest.raises(ex.ParamError):
        client.batch_write([br.Write(keys[0], [op.write("a", 1)])])


def test_batch_operate(client, keys):
    result = client.batch_operate(keys, [op.increment("a", 1), op.read("a")], ttl=200)
    assert result.result == 0
    assert [r.record[2]["a"] for r in result.batch_records] == [1, 2, 1, 1]
    assert [r.record[1]["gen"] for r in result.batch_records] == [2, 2, 1, 1]
    assert 190 <= client.get(keys[0])[1]["ttl"] <= 200
    with pytest.raises(ex.ParamError):
        client.batch_operate(keys, [])


def test_batch_remove(client, keys):
    result = client.batch_remove(keys)
    assert result.result == 0  # "not found" does not fail a batch
    assert [r.result for r in result.batch_records] == [0, 0, 2, 2]
    assert [client.exists(k)[1] for k in keys] == [None] * 4


def test_batch_with_send_key_stores_the_key(client, keys):
    client.batch_operate([keys[3]], [op.write("k", 1)], policy_batch_write={"key": aerospike.POLICY_KEY_SEND})
    assert client.get(keys[3])[2] == {"k": 1}


def test_large_batch(client, key):
    ks = [key(i) for i in range(1500)]
    client.batch_operate(ks, [op.write("v", 7)])
    result = client.batch_read(ks, ["v"])
    assert result.result == 0
    assert all(r.record[2] == {"v": 7} for r in result.batch_records)


def test_rows_filtered_out_do_not_fail_the_batch(client, keys):
    from aerospike_helpers.expressions import base as eb
    never = eb.Eq(eb.IntBin("a"), -12345).compile()
    result = client.batch_read([keys[0], ("test", keys[0][1], "nope")], policy={"expressions": never})
    assert result.result == 0
    assert [(r.result, r.record) for r in result.batch_records] == [(27, None), (2, None)]
    records = br.BatchRecords([br.Write(keys[0], [op.write("z", 1)], policy={"expressions": never})])
    assert client.batch_write(records).result == 0
    assert records.batch_records[0].result == 27


class _NotARecord:
    key = ("test", "s", 1)


def _without_ops(record):
    del record.ops
    return record


@pytest.mark.parametrize("make, message", [
    (lambda k: br.BatchRecords([1]), "batch_record must be a BatchRecord class instance"),
    (lambda k: br.BatchRecords([_NotARecord()]), "batch_record must be a BatchRecord class instance"),
    (lambda k: br.BatchRecords([br.Read(k, 5)]),
     "py_ops_list is NULL or not a list, ops must be a list of aerospike operation dicts"),
    (lambda k: br.BatchRecords([_without_ops(br.Read(k, [op.read("a")]))]),
     "py_ops_list is NULL or not a list, ops must be a list of aerospike operation dicts"),
    (lambda k: br.BatchRecords([br.Write(k, [1])]),
     "py_op is NULL or not a dict, ops must be a dict" + " " * 37 + "produced by an aerospike operation helper"),
])
def test_malformed_batch_records_are_param_errors(client, keys, make, message):
    with pytest.raises(ex.ParamError) as info:
        client.batch_write(make(keys[0]))
    assert info.value.msg == message


def test_batch_records_list_replaced_by_something_else(client, keys):
    records = br.BatchRecords([br.Read(keys[0], [op.read("a")])])
    records.batch_records = 3
    with pytest.raises(ex.ParamError) as info:
        client.batch_write(records)
    assert info.value.msg == "batch_records must be a list of BatchRecord"
