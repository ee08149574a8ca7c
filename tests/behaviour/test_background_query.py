"""Background queries: write operations applied by the server to every selected record, and
job_info for their progress."""

import time
from pathlib import Path

import pytest

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers.operations import operations as op


def finished(client, job_id, module, timeout=10.0):
    """job_info once the job is done: a real node runs background jobs asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        info = client.job_info(job_id, module)
        if info["status"] == aerospike.JOB_STATUS_COMPLETED or time.monotonic() > deadline:
            return info
        time.sleep(0.05)


@pytest.fixture
def records(client, key):
    for i in range(20):
        client.put(key(i), {"a": i})
    return [key(i) for i in range(20)]


def test_query_background_ops(client, ns, set_name, records):
    q = client.query(ns, set_name)
    q.add_ops([op.write("x", 1), op.increment("a", 5)])
    q.ttl = 500
    job_id = q.execute_background()
    assert isinstance(job_id, int)
    info = finished(client, job_id, aerospike.JOB_QUERY)
    assert info == {"progress_pct": 100, "records_read": 20, "status": aerospike.JOB_STATUS_COMPLETED}
    _, meta, bins = client.get(records[3])
    assert bins == {"a": 8, "x": 1}
    assert meta["gen"] == 2 and 490 <= meta["ttl"] <= 500


def test_scan_background_ops(client, ns, set_name, records):
    scan = client.scan(ns, set_name)
    scan.add_ops([op.write("y", 2)])
    job_id = scan.execute_background()
    assert finished(client, job_id, aerospike.JOB_SCAN)["status"] == aerospike.JOB_STATUS_COMPLETED
    assert all(client.get(k)[2]["y"] == 2 for k in records)


def test_background_ops_with_an_index_filter(client, ns, set_name, records):
    import warnings

    name = set_name[-40:] + "_bg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client.index_integer_create(ns, set_name, "a", name)
    try:
        q = client.query(ns, set_name)
        q.where(p.between("a", 0, 4))
        q.add_ops([op.write("low", True)])
        job_id = q.execute_background()
        assert finished(client, job_id, aerospike.JOB_QUERY)["records_read"] == 5
        assert sorted(client.get(k)[2]["a"] for k in records if "low" in client.get(k)[2]) == [0, 1, 2, 3, 4]
    finally:
        client.index_remove(ns, name)


def test_background_job_filter_must_be_boolean(client, ns, set_name, records):
    """A real node type-checks a background job's filter expression before starting it."""
    from aerospike_helpers import expressions as exp
    scan = client.scan(ns, set_name)
    scan.add_ops([op.write("z", 3)])
    with pytest.raises(ex.InvalidRequest):
        scan.execute_background({"expressions": exp.IntBin("a").compile()})
    job_id = scan.execute_background({"expressions": exp.Eq(exp.IntBin("a"), 4).compile()})
    assert finished(client, job_id, aerospike.JOB_SCAN)["status"] == aerospike.JOB_STATUS_COMPLETED
    assert [client.get(k)[2].get("z") for k in records[3:6]] == [None, 3, None]


def test_unknown_job_and_missing_ops(client, ns, set_name):
    assert client.job_info(123456789, aerospike.JOB_QUERY) == {
        "progress_pct": 0, "records_read": 0, "status": aerospike.JOB_STATUS_COMPLETED}
    with pytest.raises(ex.ParamError):
        client.query(ns, set_name).execute_background()


def test_background_ops_run_once_per_record_in_a_cluster():
    import spikelite

    config = Path(__file__).resolve().parent.parent / "spikelite.conf"
    with spikelite.spawn(config=str(config), nodes=3) as cluster:
        c = aerospike.client({"hosts": cluster.hosts[:1]})
        try:
            for i in range(30):
                c.put(("test", "bg3", i), {"n": 0})
            q = c.query("test", "bg3")
            q.add_ops([op.increment("n", 1)])
            job_id = q.execute_background()
            assert finished(c, job_id, aerospike.JOB_QUERY)["records_read"] == 30
            assert {c.get(("test", "bg3", i))[2]["n"] for i in range(30)} == {1}
        finally:
            c.close()
