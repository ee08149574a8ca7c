"""Small behaviours of the official client that applications may rely on (issue 12):
bool meta values, the meta remove() ignores, bool predicate values, HyperLogLogs inside
collections, partition status only when tracked, foreach with a partition filter, and
the CDT markers as bin values."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers import HyperLogLog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize("meta", [{"ttl": True}, {"ttl": False}, {"gen": True}, {"gen": False}])
def test_bool_meta_values_are_ints(client, key, meta):
    assert client.put(key(1), {"a": 1}, meta=meta) == 0
    assert client.get(key(1))[2] == {"a": 1}


def test_bool_gen_is_compared_as_an_int(client, key):
    client.put(key(1), {"a": 1})
    with pytest.raises(ex.RecordGenerationError):
        client.put(key(1), {"a": 2}, meta={"gen": False}, policy={"gen": aerospike.POLICY_GEN_EQ})
    assert client.put(key(1), {"a": 3}, meta={"gen": True}, policy={"gen": aerospike.POLICY_GEN_EQ}) == 0


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.one_of(st.tuples(st.integers(0, 9)), st.tuples(st.integers(0, 9), st.integers(0, 9)),
                      st.lists(st.integers(0, 9), max_size=2), st.text(max_size=3), st.integers()))
def test_remove_ignores_meta_that_is_not_a_dict(client, key, meta):
    client.put(key("m"), {"a": 1})
    assert client.remove(key("m"), meta) == 0
    assert client.exists(key("m"))[1] is None


def test_remove_uses_dict_gen_only_with_a_policy(client, key):
    client.put(key(1), {"a": 1})
    # no policy: meta is not looked at
    assert client.remove(key(1), {"gen": 7}) == 0
    client.put(key(1), {"a": 1})
    with pytest.raises(ex.RecordGenerationError):
        client.remove(key(1), {"gen": 7}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.remove(key(1), {"gen": 1}, {"gen": aerospike.POLICY_GEN_EQ}) == 0


def test_bool_predicate_value_is_an_integer_filter(client, ns, set_name):
    q = client.query(ns, set_name)
    assert q.where(p.equals("a", True)) is q
    with pytest.raises(ex.IndexNotFound):
        q.results()  # a well-formed integer query: the server has no such index
    assert client.query(ns, set_name).where(p.between("a", False, True)) is not None


def test_hll_inside_list_and_map_reads_back_as_hyperloglog(client, key):
    client.put(key(1), {"l": [HyperLogLog(b"\x00" * 10), 1], "m": {"k": HyperLogLog(b"\x01\x02")}})
    bins = client.get(key(1))[2]
    assert type(bins["l"][0]) is HyperLogLog and bins["l"] == [HyperLogLog(b"\x00" * 10), 1]
    assert type(bins["m"]["k"]) is HyperLogLog and bins["m"]["k"] == b"\x01\x02"


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_partition_status_only_when_tracked(client, ns, set_name, kind):
    client.put((ns, set_name, 1), {"a": 1})
    stream = getattr(client, kind)(ns, set_name)
    assert stream.get_partitions_status() == {}
    stream.results()
    assert stream.get_partitions_status() == {}
    tracked = getattr(client, kind)(ns, set_name)
    tracked.results({"partition_filter": {"begin": 0, "count": 4096}})
    status = tracked.get_partitions_status()
    assert len(status) == 4096 + 2 and status["done"] is True


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_foreach_with_partition_filter_passes_partition_id(client, ns, set_name, kind):
    for i in range(5):
        client.put((ns, set_name, i), {"a": i})
    seen = []
    getattr(client, kind)(ns, set_name).foreach(lambda *args: seen.append(args),
                                                {"partition_filter": {"begin": 0, "count": 4096}})
    assert len(seen) == 5 and all(len(args) == 2 for args in seen)
    for part_id, record in seen:
        digest = record[0][3]
        assert part_id == (digest[0] | (digest[1] << 8)) & 4095
    plain = []
    getattr(client, kind)(ns, set_name).foreach(lambda *args: plain.append(args))
    assert len(plain) == 5 and all(len(args) == 1 for args in plain)


@pytest.mark.parametrize("marker, code", [(aerospike.CDTWildcard, 13), (aerospike.CDTInfinite, 14)])
def test_cdt_markers_are_no_bin_values(client, key, marker, code):
    with pytest.raises(ex.ClientError) as info:
        client.put(key(1), {"a": marker()})
    assert info.value.code == -1 and info.value.msg == "Invalid value type: %d" % code
    assert client.exists(key(1))[1] is None


def test_query_select_only_once(client, ns, set_name):
    q = client.query(ns, set_name)
    q.select()
    with pytest.raises(ex.ClientError) as info:
        q.select("b")
    assert info.value.msg == "Query.select() cannot be called more than once on the same instance."
    s = client.scan(ns, set_name)
    assert s.select("a").select("b") is s  # a Scan takes a new selection


def test_log_handler_hears_a_client_connect(spikelite_server):
    seen = []
    aerospike.set_log_level(aerospike.LOG_LEVEL_INFO)
    aerospike.set_log_handler(lambda *args: seen.append(args))
    try:
        other = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
        other.close()
    finally:
        aerospike.set_log_handler()  # back to the default console printer
        aerospike.set_log_level(aerospike.LOG_LEVEL_ERROR)
    added = [args for args in seen if "Add node" in args[4]]
    assert added, seen
    level, func, path, line, message = added[0]
    assert level == aerospike.LOG_LEVEL_INFO
    assert isinstance(func, str) and isinstance(path, str) and isinstance(line, int)
    assert message.endswith("%s:%d" % (spikelite_server.host, spikelite_server.port))
