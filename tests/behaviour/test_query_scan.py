"""Scans and queries without secondary indexes: whole set/namespace, bin selection, no-bin
records, max_records, foreach early stop, partition filters and pagination (one node and three)."""

import pytest

import aerospike
from aerospike import exception as ex

N = 60


@pytest.fixture
def loaded(client, key, set_name):
    for i in range(N):
        policy = {"key": aerospike.POLICY_KEY_SEND} if i % 2 else None
        client.put(key(i), {"a": i, "b": "x" * (i % 3)}, policy=policy)
    client.put(key("elsewhere", set_=set_name + "_2"), {"a": -1})
    return set_name


def test_query_returns_every_record_of_the_set(client, ns, loaded):
    records = client.query(ns, loaded).results()
    assert sorted(r[2]["a"] for r in records) == list(range(N))
    key, meta, bins = next(r for r in records if r[2]["a"] == 3)
    assert key[0] == ns and key[1] == loaded
    assert key[2] == 3  # sent with POLICY_KEY_SEND, so the stored key comes back
    assert key[3] == aerospike.calc_digest(ns, loaded, 3)
    assert meta == {"ttl": 4294967295, "gen": 1}
    assert next(r for r in records if r[2]["a"] == 4)[0][2] is None  # key not stored


def test_scan_returns_every_record_of_the_set(client, ns, loaded):
    assert sorted(r[2]["a"] for r in client.scan(ns, loaded).results()) == list(range(N))


def test_select_bins_and_nobins(client, ns, loaded):
    q = client.query(ns, loaded)
    q.select("b")
    records = q.results()
    assert len(records) == N and all(set(r[2]) == {"b"} for r in records)
    records = client.query(ns, loaded).results(options={"nobins": True})
    assert len(records) == N and all(r[2] == {} for r in records)


def test_max_records(client, ns, loaded):
    q = client.query(ns, loaded)
    q.max_records = 7
    assert len(q.results()) == 7


def test_foreach_stops_when_callback_returns_false(client, ns, loaded):
    seen = []

    def callback(record):
        seen.append(record[2]["a"])
        if len(seen) >= 5:
            return False

    client.query(ns, loaded).foreach(callback)
    assert len(seen) == 5


def test_partition_filter(client, ns, loaded):
    expected = sorted(i for i in range(N) if client.get_key_partition_id(ns, loaded, i) < 2048)
    records = client.query(ns, loaded).results(policy={"partition_filter": {"begin": 0, "count": 2048}})
    assert sorted(r[2]["a"] for r in records) == expected
    assert 0 < len(expected) < N


def test_pagination_visits_every_record_once(client, ns, loaded):
    q = client.query(ns, loaded)
    q.paginate()
    q.max_records = 8
    seen = []
    pages = 0
    while not q.is_done():
        page = q.results()
        assert len(page) <= 8
        seen += [r[2]["a"] for r in page]
        pages += 1
        assert pages < 50
    assert sorted(seen) == list(range(N))
    status = q.get_partitions_status()
    assert status["done"] is True and len(status) == 4096 + 2
    pid, init, done, digest, bval = status[0]
    assert pid == 0 and isinstance(done, bool) and len(digest) == 20


def test_query_of_whole_namespace_includes_every_set(client, ns, loaded):
    everything = client.query(ns).results()
    assert {r[2]["a"] for r in everything if r[0][1] in (loaded, loaded + "_2")} == set(range(N)) | {-1}


def test_unknown_namespace(client):
    with pytest.raises(ex.NamespaceNotFound):
        client.query("no_such_ns", "s").results()


def test_query_across_a_three_node_cluster():
    import spikelite
    from pathlib import Path

    config = Path(__file__).resolve().parent.parent / "spikelite.conf"
    with spikelite.spawn(config=str(config), nodes=3) as cluster:
        c = aerospike.client({"hosts": cluster.hosts[:1]})
        try:
            for i in range(90):
                c.put(("test", "q3", i), {"a": i})
            assert sorted(r[2]["a"] for r in c.query("test", "q3").results()) == list(range(90))
            q = c.query("test", "q3")
            q.paginate()
            q.max_records = 20
            seen = []
            while not q.is_done():
                seen += [r[2]["a"] for r in q.results()]
            assert sorted(seen) == list(range(90))
        finally:
            c.close()


def test_foreground_query_with_read_operations(client, ns, set_name, key):
    """A query with read operations answers each record's operation results (a real node)."""
    from aerospike_helpers.operations import list_operations as lo
    from aerospike_helpers.operations import operations as op
    for i in range(4):
        client.put(key("ops%d" % i), {"l": [i, 5, 1], "a": i})
    q = client.query(ns, set_name)
    q.add_ops([lo.list_get_by_rank("l", 0, aerospike.LIST_RETURN_VALUE), op.read("a")])
    assert sorted((r[2]["a"], r[2]["l"]) for r in q.results()) == [(0, 0), (1, 1), (2, 1), (3, 1)]
