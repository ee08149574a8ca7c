"""Paginated scans and queries (issue 11, bugs 1 and 2): every record exactly once, the official
client's page sizes and counts, resumption through get_partitions_status(), max_records without
pagination, and paginated secondary-index queries, whose resume points carry the index value (BVAL).

A real node reads partitions in parallel, so a page ends with many partitions half read; only the
client's partition tracking tells what is left. These tests hold on one node: every page but the
last has exactly max_records records."""

import secrets
import struct
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers.batch import records as br
from aerospike_helpers.operations import operations as op

from _recording_proxy import RecordingProxy, as_msg_fields

N = 6000
SI_N = 1500
SI_MOD = 40  # the indexed bin takes SI_MOD values, so one index value spans many records
FIELD_PID_ARRAY, FIELD_DIGEST_ARRAY, FIELD_MAX_RECORDS, FIELD_BVAL_ARRAY = 11, 12, 13, 15

FEW = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))


def _write(client, ns, set_name, count, bins_of):
    for start in range(0, count, 500):
        batch = br.BatchRecords([br.Write((ns, set_name, i), [op.write(k, v) for k, v in bins_of(i).items()])
                                 for i in range(start, min(start + 500, count))])
        client.batch_write(batch)
        assert all(r.result == 0 for r in batch.batch_records)


@pytest.fixture(scope="module")
def big_set(client):
    """A set of N records (bin i = 0..N-1); its name."""
    set_name = "pg_" + secrets.token_hex(6)
    _write(client, "test", set_name, N, lambda i: {"i": i})
    yield set_name
    client.truncate("test", set_name, 0)


def _single_node(client) -> bool:
    return len(client.get_nodes()) == 1


def _pages(stream, max_records, kind, limit=1000):
    """Every page of a paginated scan/query, until is_done()."""
    pages = []
    while not stream.is_done():
        if kind == "scan":
            pages.append(stream.results({"max_records": max_records}))
        else:
            pages.append(stream.results())
        assert len(pages) < limit
    return pages


def _stream(client, kind, set_name, max_records):
    if kind == "scan":
        s = client.scan("test", set_name)
    else:
        s = client.query("test", set_name)
        s.max_records = max_records
    s.paginate()
    return s


@FEW
@given(kind=st.sampled_from(["query", "scan"]), max_records=st.integers(min_value=250, max_value=N + 500))
@example(kind="query", max_records=1000)
@example(kind="scan", max_records=1000)
@example(kind="query", max_records=333)
def test_pages_return_every_record_once(client, big_set, kind, max_records):
    s = _stream(client, kind, big_set, max_records)
    pages = _pages(s, max_records, kind)
    values = [r[2]["i"] for page in pages for r in page]
    assert len(values) == len(set(values)) == N
    assert set(values) == set(range(N))
    assert all(len(page) <= max_records for page in pages)
    if _single_node(client):
        # The official client: a page is full until the node runs out; the run ends with the
        # first page below max_records (10,000 records by 1,000: 11 pages, the last empty).
        assert [len(page) for page in pages[:-1]] == [max_records] * (len(pages) - 1)
        assert len(pages) == N // max_records + 1
    status = s.get_partitions_status()
    assert status["done"] is True and status["retry"] is False
    assert len(status) == 4096 + 2


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), count=st.integers(min_value=0, max_value=400), kind=st.sampled_from(["query", "scan"]))
@example(data=None, count=0, kind="query")
def test_pages_of_sets_of_any_size(client, data, count, kind):
    """Any record count, any page size (a few pages at most): every record once, full pages until
    the last, and the page count of the official client on one node."""
    max_records = data.draw(st.integers(min_value=max(1, count // 12), max_value=count + 5)) if data else 1
    set_name = "pgn_" + secrets.token_hex(6)
    _write(client, "test", set_name, count, lambda i: {"i": i})
    s = _stream(client, kind, set_name, max_records)
    pages = _pages(s, max_records, kind)
    values = [r[2]["i"] for page in pages for r in page]
    assert sorted(values) == list(range(count))
    assert all(len(page) <= max_records for page in pages)
    if _single_node(client):
        assert [len(page) for page in pages[:-1]] == [max_records] * (len(pages) - 1)
        assert len(pages) == count // max_records + 1


@FEW
@given(max_records=st.integers(min_value=1, max_value=N + 10), kind=st.sampled_from(["query", "scan"]))
def test_max_records_without_pagination(client, big_set, max_records, kind):
    if kind == "scan":
        records = client.scan("test", big_set).results({"max_records": max_records})
    else:
        q = client.query("test", big_set)
        q.max_records = max_records
        records = q.results()
    assert len(records) == min(max_records, N)
    assert len({r[2]["i"] for r in records}) == len(records)


@FEW
@given(first=st.integers(min_value=300, max_value=2500), then=st.integers(min_value=300, max_value=2500))
def test_resume_from_partition_status(client, big_set, first, then):
    """get_partitions_status() after a page resumes in a new scan through partition_filter."""
    s = client.scan("test", big_set)
    s.paginate()
    seen = [r[2]["i"] for r in s.results({"max_records": first})]
    status = s.get_partitions_status()
    assert status["done"] is False and status["retry"] is False
    tuples = [status[pid] for pid in range(4096)]
    assert all(t[0] == pid and isinstance(t[1], bool) and isinstance(t[2], bool) and type(t[3]) is bytearray
               and len(t[3]) == 20 and t[4] == 0 for pid, t in enumerate(tuples))
    # init: the partition has a last record; retry: it is to be read (again) on the next page
    assert any(t[1] for t in tuples) and any(t[2] for t in tuples)
    for _ in range(100):
        nxt = client.scan("test", big_set)
        page = nxt.results({"max_records": then, "partition_filter": {"partition_status": status}})
        assert len(page) <= then
        seen += [r[2]["i"] for r in page]
        if nxt.is_done():
            break
        status = nxt.get_partitions_status()
    assert sorted(seen) == list(range(N))


def test_results_after_the_last_page(client, big_set):
    """With max_records, a finished paginated query has no partition left to give a node."""
    q = _stream(client, "query", big_set, 4000)
    assert sum(len(page) for page in _pages(q, 4000, "query")) == N
    with pytest.raises(ex.InvalidNodeError) as info:
        q.results()
    assert info.value.code == -8 and info.value.msg == "No nodes were assigned"


def test_partition_filter_kept_by_the_query(client, big_set):
    """A query run with a partition_filter keeps its partitions: the same filter again reads on
    from where it ended (nothing), another range is refused."""
    q = client.query("test", big_set)
    pf = {"partition_filter": {"begin": 0, "count": 2048}}
    expected = sum(1 for i in range(N) if client.get_key_partition_id("test", big_set, i) < 2048)
    assert len(q.results(pf)) == expected and q.is_done()
    assert q.results(pf) == []
    with pytest.raises(ex.ParamError) as info:
        q.results({"partition_filter": {"begin": 0, "count": 100}})
    assert info.value.msg == ("Partition filter can not change when pagination is enabled. "
                              "prev=0,2048 current=0,100")


@FEW
@given(begin=st.integers(min_value=0, max_value=4095), count=st.integers(min_value=1, max_value=4096),
       max_records=st.integers(min_value=50, max_value=1500))
def test_paginated_partition_range(client, big_set, begin, count, max_records):
    count = min(count, 4096 - begin)
    s = client.scan("test", big_set)
    s.paginate()
    pf = {"begin": begin, "count": count}
    seen = []
    for _ in range(200):
        seen += [r[2]["i"] for r in s.results({"max_records": max_records, "partition_filter": pf})]
        if s.is_done():
            break
    expected = [i for i in range(N) if begin <= client.get_key_partition_id("test", big_set, i) < begin + count]
    assert sorted(seen) == expected


# -- secondary-index queries (bug 2) ------------------------------------------------------------------

@pytest.fixture(scope="module")
def si_set(client):
    set_name = "pgsi_" + secrets.token_hex(6)
    index = "idx_" + set_name
    client.index_single_value_create("test", set_name, "v", aerospike.INDEX_NUMERIC, index)
    _write(client, "test", set_name, SI_N, lambda i: {"i": i, "v": i % SI_MOD})
    yield set_name
    client.index_remove("test", index)
    client.truncate("test", set_name, 0)


def _wait_for_index(client, set_name):
    q = client.query("test", set_name)
    q.where(p.between("v", 0, SI_MOD))
    for _ in range(100):
        try:
            if len(q.results()) == SI_N:
                return
        except ex.IndexNotReadable:
            pass
        time.sleep(0.1)
    pytest.fail("index never became readable")


@FEW
@given(low=st.integers(min_value=0, max_value=SI_MOD - 1), span=st.integers(min_value=0, max_value=SI_MOD),
       max_records=st.integers(min_value=20, max_value=600))
@example(low=0, span=SI_MOD, max_records=100)
def test_paginated_index_query(client, si_set, low, span, max_records):
    _wait_for_index(client, si_set)
    high = min(low + span, SI_MOD - 1)
    q = client.query("test", si_set)
    q.where(p.between("v", low, high))
    q.max_records = max_records
    q.paginate()
    pages = _pages(q, max_records, "query")
    values = [r[2]["i"] for page in pages for r in page]
    assert len(values) == len(set(values))
    assert sorted(values) == [i for i in range(SI_N) if low <= i % SI_MOD <= high]
    assert all(len(page) <= max_records for page in pages)


def test_index_query_resume_sends_digests_with_their_bvals(client, si_set, spikelite_server):
    """Page 2 of a paginated index query names each half-read partition by its last digest
    (DIGEST_ARRAY) and that record's index value (BVAL_ARRAY: 8 bytes little-endian each, same
    order), as get_partitions_status() shows them; then MAX_RECORDS."""
    _wait_for_index(client, si_set)
    with RecordingProxy(spikelite_server.host, spikelite_server.port) as proxy:
        c = aerospike.client({"hosts": [proxy.address]})
        try:
            q = c.query("test", si_set)
            q.where(p.between("v", 0, SI_MOD))
            q.max_records = 200
            q.paginate()
            first = q.results()
            assert len(first) == 200
            status = q.get_partitions_status()
            proxy.requests.clear()
            second = q.results()
        finally:
            c.close()
    assert len(second) == 200 and not {r[2]["i"] for r in first} & {r[2]["i"] for r in second}
    sent = [fields for fields in map(as_msg_fields, proxy.requests) if fields and fields[0][0] == 0]
    assert len(sent) == 1  # one node, one request for the page
    fields = sent[0]
    types = [t for t, _ in fields]
    resumed = [status[pid] for pid in range(4096) if status[pid][1] and status[pid][2]]
    fresh = [pid for pid in range(4096) if status[pid][2] and not status[pid][1]]
    assert resumed  # the first page left partitions half read
    if fresh:
        assert dict(fields)[FIELD_PID_ARRAY] == b"".join(struct.pack("<H", pid) for pid in fresh)
        assert types.index(FIELD_PID_ARRAY) + 1 == types.index(FIELD_DIGEST_ARRAY)
    digests = dict(fields)[FIELD_DIGEST_ARRAY]
    bvals = dict(fields)[FIELD_BVAL_ARRAY]
    assert digests == b"".join(bytes(t[3]) for t in resumed)
    assert bvals == b"".join(struct.pack("<Q", t[4]) for t in resumed)
    assert any(t[4] for t in resumed)  # the index values came back from the node
    assert types.index(FIELD_DIGEST_ARRAY) + 1 == types.index(FIELD_BVAL_ARRAY)
    assert types[-1] == FIELD_MAX_RECORDS and dict(fields)[FIELD_MAX_RECORDS] == struct.pack(">Q", 200)


def test_scan_resume_sends_digests_without_bvals(client, big_set, spikelite_server):
    """Page 2 of a paginated scan: fresh partitions as PID_ARRAY (2 bytes little-endian each), the
    half-read ones as DIGEST_ARRAY, no BVAL_ARRAY (a scan has no index value), then MAX_RECORDS."""
    with RecordingProxy(spikelite_server.host, spikelite_server.port) as proxy:
        c = aerospike.client({"hosts": [proxy.address]})
        try:
            s = c.scan("test", big_set)
            s.paginate()
            assert len(s.results({"max_records": 700})) == 700
            status = s.get_partitions_status()
            proxy.requests.clear()
            assert len(s.results({"max_records": 700})) == 700
        finally:
            c.close()
    sent = [fields for fields in map(as_msg_fields, proxy.requests) if fields and fields[0][0] == 0]
    assert len(sent) == 1
    fields = sent[0]
    resumed = [status[pid] for pid in range(4096) if status[pid][1] and status[pid][2]]
    fresh = [pid for pid in range(4096) if status[pid][2] and not status[pid][1]]
    assert resumed and fresh
    assert [t for t, _ in fields][-3:] == [FIELD_PID_ARRAY, FIELD_DIGEST_ARRAY, FIELD_MAX_RECORDS]
    assert dict(fields)[FIELD_PID_ARRAY] == b"".join(struct.pack("<H", pid) for pid in fresh)
    assert dict(fields)[FIELD_DIGEST_ARRAY] == b"".join(bytes(t[3]) for t in resumed)
    assert dict(fields)[FIELD_MAX_RECORDS] == struct.pack(">Q", 700)


def test_scan_by_node_name(client, big_set):
    """Scan.results(nodename=...) reads the partitions that node masters; together the nodes give
    every record once; an unknown name is refused before anything is sent."""
    seen = []
    for node in client.get_node_names():
        seen += [r[2]["i"] for r in client.scan("test", big_set).results(nodename=node["node_name"])]
    assert sorted(seen) == list(range(N))
    with pytest.raises(ex.ParamError) as info:
        client.scan("test", big_set).results(nodename="BB9000000000000")
    assert info.value.msg == "Invalid node name: BB9000000000000"


@pytest.mark.parametrize("value, error, message", [
    ("x", ex.ParamError, "max_records is invalid"),
    (1.5, ex.ParamError, "max_records is invalid"),
    (None, ex.ParamError, "max_records is invalid"),
    (2**64, ex.ClientError, "Unable to fetch long value from policy field"),
])
def test_scan_policy_max_records_errors(client, big_set, value, error, message):
    with pytest.raises(error) as info:
        client.scan("test", big_set).results({"max_records": value})
    assert type(info.value) is error and info.value.msg == message


def test_scan_max_records_comes_from_the_call_policy_only(spikelite_server, big_set):
    """A scan's max_records is read from the policy of the call; the config's scan policy, a
    negative value (it wraps to a huge limit) and True (1) are the official client's cases."""
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "policies": {"scan": {"max_records": 7}}})
    try:
        assert len(c.scan("test", big_set).results()) == N
        assert len(c.scan("test", big_set).results({"max_records": -1})) == N
        assert len(c.scan("test", big_set).results({"max_records": True})) == 1
    finally:
        c.close()


@pytest.mark.parametrize("value, expected", [(0, 0), (5, 5), (True, 1), (2**64 - 1, 2**64 - 1)])
def test_query_max_records_attribute(client, value, expected):
    q = client.query("test", "s")
    q.max_records = value
    assert q.max_records == expected


@pytest.mark.parametrize("value, error", [("5", TypeError), (1.5, TypeError), (None, TypeError),
                                          (2**64, OverflowError)])
def test_query_max_records_attribute_errors(client, value, error):
    q = client.query("test", "s")
    with pytest.raises(error):
        q.max_records = value


def test_query_max_records_negative_wraps(client):
    q = client.query("test", "s")
    with pytest.warns(RuntimeWarning, match="Writing negative value into unsigned field"):
        q.max_records = -1
    assert q.max_records == 2**64 - 1


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_random_replica_is_refused(client, big_set, kind):
    """Partition-tracked scans and queries read each partition from its master, then the next
    replica: POLICY_REPLICA_RANDOM is refused."""
    with pytest.raises(ex.ParamError) as info:
        getattr(client, kind)("test", big_set).results({"replica": aerospike.POLICY_REPLICA_RANDOM})
    assert info.value.msg == "Invalid replica: AS_POLICY_REPLICA_RANDOM"


_TABS = "\t" * 6  # the official messages keep the indentation of a wrapped C string literal


@pytest.mark.parametrize("pf, message", [
    ("x", "invalid partition_filter policy, partition_filter must be a dict"),
    ({"begin": -1}, "invalid partition_filter policy begin, begin must %sbe an int between 0 and 4095 inclusive" % _TABS),
    ({"begin": 4096}, "invalid partition_filter policy begin, begin must %sbe an int between 0 and 4095 inclusive" % _TABS),
    ({"begin": "a"}, "invalid partition_filter policy begin, begin must %sbe an int between 0 and 4095 inclusive" % _TABS),
    ({"count": 0}, "invalid partition_filter policy count, count must %sbe an int between 1 and 4096 inclusive" % _TABS),
    ({"count": 5000}, "invalid partition_filter policy count, count must %sbe an int between 1 and 4096 inclusive" % _TABS),
    ({"begin": 4000, "count": 200},
     "invalid partition filter range,%sbegin: 4000 count: 200, valid range when begin + count <= 4096" % _TABS),
    ({"partition_status": "x"}, "invalid partition_filter policy, partition_status must be a dict"),
    ({"partition_status": {}}, "partition_status dict missing key 'done'"),
    ({"partition_status": {"done": False}}, "partition_status dict missing key 'retry'"),
    ({"partition_status": {"done": "x", "retry": 1}}, "partition_status dict key 'done' must be an int"),
])
def test_partition_filter_errors(client, big_set, pf, message):
    """A Query refuses a partition_filter it cannot read; a Scan drops it and reads everything."""
    with pytest.raises(ex.ParamError) as info:
        client.query("test", big_set).results({"partition_filter": pf})
    assert info.value.msg == message
    records = client.scan("test", big_set).results({"partition_filter": pf})
    assert sorted(r[2]["i"] for r in records) == list(range(N))
