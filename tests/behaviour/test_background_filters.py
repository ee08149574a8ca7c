"""The policy's `expressions` filter of background work (issue 11, bug 4): execute_background on
a Query or a Scan, scan_apply and query_apply change only the records the expression selects."""

import secrets
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers import expressions as exp
from aerospike_helpers.operations import operations as op

UDF_DIR = Path(__file__).resolve().parent.parent / "udf"
N = 24
BIN = "bgf"  # a bin name no other test uses: its index spans the namespace


@pytest.fixture(scope="module")
def bg_client(spikelite_server, tmp_path_factory):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "lua": {"user_path": str(tmp_path_factory.mktemp("lua"))}})
    assert c.udf_put(str(UDF_DIR / "records.lua")) == 0
    try:
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def indexed_bin(bg_client):
    """The bin BIN of the test namespace, indexed (query_apply needs an index)."""
    name = "bgf_" + secrets.token_hex(4)
    bg_client.index_single_value_create("test", None, BIN, aerospike.INDEX_NUMERIC, name)
    query = bg_client.query("test", "bgf_none")
    query.where(p.equals(BIN, 0))
    for _ in range(100):  # a real node builds the index in the background
        try:
            query.results()
            break
        except ex.IndexNotReadable:
            time.sleep(0.05)
    yield BIN
    bg_client.index_remove("test", name)


def _job_done(client, job_id, module, timeout=10.0):
    deadline = time.monotonic() + timeout
    while client.job_info(job_id, module)["status"] != aerospike.JOB_STATUS_COMPLETED:
        assert time.monotonic() < deadline, "background job never finished"
        time.sleep(0.05)


def _load(client, set_name):
    for i in range(N):
        client.put(("test", set_name, i), {BIN: i})


def _written(client, set_name):
    """The values of BIN in the records that got the bin "x"."""
    out = []
    for i in range(N):
        bins = client.get(("test", set_name, i))[2]
        if "x" in bins:
            assert bins["x"] == 1
            out.append(bins[BIN])
    return sorted(out)


def _start(client, how, set_name, policy):
    if how == "query ops":
        q = client.query("test", set_name)
        q.add_ops([op.write("x", 1)])
        return q.execute_background(policy), aerospike.JOB_QUERY
    if how == "scan ops":
        s = client.scan("test", set_name)
        s.add_ops([op.write("x", 1)])
        return s.execute_background(policy), aerospike.JOB_SCAN
    if how == "query udf":
        q = client.query("test", set_name)
        q.apply("records", "set_bin", ["x", 1])
        return q.execute_background(policy), aerospike.JOB_QUERY
    if how == "scan_apply":
        return client.scan_apply("test", set_name, "records", "set_bin", ["x", 1], policy), aerospike.JOB_SCAN
    if how == "query_apply":
        return (client.query_apply("test", set_name, p.between(BIN, 0, N), "records", "set_bin", ["x", 1], policy),
                aerospike.JOB_QUERY)
    raise AssertionError(how)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(how=st.sampled_from(["query ops", "scan ops", "query udf", "scan_apply", "query_apply"]),
       low=st.integers(min_value=-1, max_value=N), high=st.integers(min_value=-1, max_value=N))
def test_background_work_honours_the_policy_expressions(bg_client, indexed_bin, how, low, high):
    set_name = "bgf_" + secrets.token_hex(6)
    _load(bg_client, set_name)
    selector = exp.And(exp.GE(exp.IntBin(BIN), low), exp.LT(exp.IntBin(BIN), high)).compile()
    job_id, module = _start(bg_client, how, set_name, {"expressions": selector})
    _job_done(bg_client, job_id, module)
    assert _written(bg_client, set_name) == [i for i in range(N) if low <= i < high]
