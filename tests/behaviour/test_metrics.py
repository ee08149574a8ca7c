"""Client metrics: ``enable_metrics`` / ``disable_metrics`` with listeners or the metrics file, and
``get_stats``.

The official client (C client 7.x) calls the enable listener at once, the snapshot listener every
``interval`` tends with an ``aerospike_helpers.metrics.Cluster``, the disable listener on
``disable_metrics()`` and on ``close()``; without listeners it writes ``metrics-<14 digits>.log`` in
``report_dir``: a ``header(2)`` line, then one ``cluster[...]`` line per snapshot and one when metrics
are disabled. The tests use the shortest tend interval (250 ms) and ``interval=1`` so snapshots come
within a second, and poll for them.
"""

from __future__ import annotations

import re
import threading

import aerospike
import pytest
from aerospike import exception
from aerospike_helpers.metrics import (ClusterStats, ConnectionStats, MetricsListeners, MetricsPolicy,
                                       NamespaceMetrics, Node, NodeStats)
from aerospike_helpers.metrics import Cluster as MetricsCluster
from hypothesis import given, settings
from hypothesis import strategies as st

LATENCY_KINDS = ("conn_latency", "write_latency", "read_latency", "batch_latency", "query_latency")
HEADER = ("header(2) cluster[name,clientType,clientVersion,appId,label[],cpu,mem,invalidNodeCount,commandCount,"
          "retryCount,delayQueueTimeoutCount,eventloop[],node[]] label[name,value] eventloop[processSize,queueSize] "
          "node[name,address,port,syncConn,asyncConn,namespace[]] conn[inUse,inPool,opened,closed,recovered,aborted] "
          "namespace[name,errors,timeouts,keyBusy,bytesIn,bytesOut,latency[]] latency(%d,%d)[type[l1,l2,l3...]]")
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


@pytest.fixture
def fast_client(spikelite_server):
    """A client of its own that tends every 250 ms (the shortest), so interval=1 snapshots come fast."""
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)], "tend_interval": 250,
                          "app_id": "metrics-test"})
    yield c
    c.close()


class Recorder:
    """MetricsListeners that keep what they are given."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()

    def _add(self, name, arg=None):
        with self.lock:
            self.calls.append((name, arg))

    def listeners(self):
        return MetricsListeners(lambda: self._add("enable"), lambda c: self._add("snapshot", c),
                                lambda n: self._add("node_close", n), lambda c: self._add("disable", c))

    def names(self):
        with self.lock:
            return [name for name, _ in self.calls]

    def last(self, name):
        with self.lock:
            return [arg for n, arg in self.calls if n == name][-1]


def _namespace(cluster, ns):
    entries = [m for node in cluster.nodes for m in node.metrics if m.ns == ns]
    assert len(entries) == 1
    return entries[0]


def test_listeners_get_enable_snapshots_and_disable(fast_client, ns, set_name, eventually):
    recorder = Recorder()
    assert fast_client.enable_metrics(MetricsPolicy(metrics_listeners=recorder.listeners(), interval=1,
                                                    latency_columns=4, latency_shift=2)) is None
    assert recorder.names() == ["enable"]
    puts, gets = 7, 5
    for i in range(puts):
        fast_client.put((ns, set_name, i), {"i": i})
    for i in range(gets):
        fast_client.get((ns, set_name, i))
    eventually(lambda: recorder.names().count("snapshot") >= 2, timeout=10)
    assert fast_client.disable_metrics() is None
    names = recorder.names()
    assert names[0] == "enable" and names[-1] == "disable" and names.count("disable") == 1
    assert set(names[1:-1]) == {"snapshot"}
    cluster = recorder.last("disable")
    assert isinstance(cluster, MetricsCluster)
    assert cluster.app_id == "metrics-test"
    assert cluster.cluster_name is None
    assert cluster.command_count >= puts + gets and cluster.retry_count == 0 and cluster.invalid_node_count == 0
    assert len(cluster.nodes) == 1
    node = cluster.nodes[0]
    assert isinstance(node, Node) and isinstance(node.conns, ConnectionStats)
    assert (node.address, node.port) == fast_client.get_nodes()[0]
    assert node.name == fast_client.get_node_names()[0]["node_name"]
    assert node.conns.in_pool + node.conns.in_use >= 1 and node.conns.opened >= node.conns.in_pool
    entry = _namespace(cluster, ns)
    assert isinstance(entry, NamespaceMetrics)
    for kind in LATENCY_KINDS:
        assert len(getattr(entry, kind)) == 4
    assert sum(entry.write_latency) == puts
    assert sum(entry.read_latency) == gets
    assert sum(entry.conn_latency) >= 1
    assert entry.bytes_out > 0 and entry.bytes_in > 0
    assert (entry.error_count, entry.timeout_count, entry.key_busy_count) == (0, 0, 0)
    count = len(recorder.names())
    fast_client.put((ns, set_name, "after"), {"i": 0})
    assert len(recorder.names()) == count  # nothing after disable


def test_latency_histograms_are_cumulative_and_count_not_found_reads(fast_client, ns, set_name, eventually):
    recorder = Recorder()
    fast_client.enable_metrics(MetricsPolicy(metrics_listeners=recorder.listeners(), interval=1))
    fast_client.put((ns, set_name, 1), {"a": 1})
    with pytest.raises(exception.RecordNotFound):
        fast_client.get((ns, set_name, "missing"))
    done = recorder.names().count("snapshot")
    eventually(lambda: recorder.names().count("snapshot") > done, timeout=10)
    first = _namespace(recorder.last("snapshot"), ns)
    fast_client.put((ns, set_name, 2), {"a": 2})
    fast_client.disable_metrics()
    last = _namespace(recorder.last("disable"), ns)
    assert len(last.write_latency) == 7  # the default latency_columns
    assert sum(first.read_latency) == 1 and first.error_count == 0  # not found: a latency, no error
    assert sum(last.write_latency) == sum(first.write_latency) + 1 == 2


def test_a_failed_command_counts_as_an_error(fast_client, ns, set_name):
    recorder = Recorder()
    fast_client.enable_metrics(MetricsPolicy(metrics_listeners=recorder.listeners(), interval=1000))
    fast_client.put((ns, set_name, 1), {"a": 1})
    before = sum(n.error_count for n in fast_client.get_stats().nodes)
    with pytest.raises(exception.RecordGenerationError):
        fast_client.put((ns, set_name, 1), {"a": 2}, meta={"gen": 99},
                        policy={"gen": aerospike.POLICY_GEN_EQ})
    with pytest.raises(exception.RecordExistsError):
        fast_client.put((ns, set_name, 1), {"a": 2}, policy={"exists": aerospike.POLICY_EXISTS_CREATE})
    stats = fast_client.get_stats()
    assert sum(n.error_count for n in stats.nodes) == before + 2
    fast_client.disable_metrics()
    entry = _namespace(recorder.last("disable"), ns)
    assert entry.error_count == 2 and sum(entry.write_latency) == 1


def test_get_stats_has_the_official_shape(client, ns, set_name):
    client.put((ns, set_name, 1), {"a": 1})
    stats = client.get_stats()
    assert isinstance(stats, ClusterStats)
    assert isinstance(stats.retry_count, int) and stats.retry_count >= 0
    assert stats.thread_pool_queued_tasks == 0 and stats.recover_queue_size == 0
    assert len(stats.nodes) == len(client.get_nodes())
    for node in stats.nodes:
        assert isinstance(node, NodeStats)
        assert (node.address, node.port) in client.get_nodes()
        assert {"in_use", "in_pool", "opened", "closed", "recovered", "aborted"} <= set(vars(node.conns))
        assert node.conns.opened >= node.conns.in_pool + node.conns.in_use - node.conns.closed
        assert min(node.error_count, node.timeout_count, node.key_busy_count) >= 0


def _parse(text):
    """A metrics-file field list as nested lists: ``a,b[c,d[e]],,f`` -> ['a', 'b', ['c', 'd', ['e']], 'f']
    (a name before ``[`` stays an item of its own; empty fields are dropped)."""
    stack = [[]]
    token = ""
    for ch in text:
        if ch in ",[]":
            if token:
                stack[-1].append(token)
                token = ""
            if ch == "[":
                stack.append([])
            elif ch == "]":
                done = stack.pop()
                stack[-1].append(done)
        else:
            token += ch
    if token:
        stack[-1].append(token)
    assert len(stack) == 1
    return stack[0]


def test_the_metrics_file(fast_client, ns, set_name, tmp_path, eventually):
    fast_client.enable_metrics(MetricsPolicy(report_dir=str(tmp_path), interval=1, latency_columns=5,
                                             latency_shift=3, labels={"env": "test", "zone": "a"}))
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and re.fullmatch(r"metrics-\d{14}\.log", files[0].name)
    for i in range(4):
        fast_client.put((ns, set_name, i), {"i": i})
    eventually(lambda: len(files[0].read_text().splitlines()) >= 2, timeout=10)  # flushed by a snapshot
    fast_client.disable_metrics()
    lines = files[0].read_text().splitlines()
    assert re.fullmatch(STAMP + " " + re.escape(HEADER % (5, 3)), lines[0])
    assert len(lines) >= 3
    node_name = fast_client.get_node_names()[0]["node_name"]
    host, port = fast_client.get_nodes()[0]
    for line in lines[1:]:
        match = re.fullmatch("(" + STAMP + r") cluster\[(.*)\]", line)
        assert match, line
        fields = _parse(match.group(2))
        # name (empty: none configured) is no token; clientType, clientVersion, appId, labels, ...
        assert fields[0] == "python" and re.fullmatch(r"\d+\.\d+\.\d+", fields[1]) and fields[2] == "metrics-test"
        assert fields[3] == [["env", "test"], ["zone", "a"]]
        cpu, mem, invalid, commands, retries, delay_timeouts = map(int, fields[4:10])
        assert cpu >= 0 and mem > 0 and invalid == 0 and commands >= 0 and retries == 0 and delay_timeouts == 0
        assert fields[10] == []  # no event loops
        nodes = fields[11]
        assert len(nodes) == 1
        node = nodes[0]
        assert node[:3] == [node_name, host, str(port)]
        sync_conns, async_conns = list(map(int, node[3:9])), list(map(int, node[9:15]))
        assert async_conns == [0] * 6 and min(sync_conns) >= 0
        if line is lines[-1]:  # a snapshot may come before the first command opened a connection
            assert sync_conns[1] + sync_conns[0] >= 1 and sync_conns[2] >= 1
    last = _parse(re.fullmatch(STAMP + r" cluster\[(.*)\]", lines[-1]).group(1))
    namespaces = last[11][0][15]
    at = namespaces.index(ns)
    errors, timeouts, busy, bytes_in, bytes_out = map(int, namespaces[at + 1:at + 6])
    assert (errors, timeouts, busy) == (0, 0, 0) and bytes_in > 0 and bytes_out > 0
    latencies = dict(zip(namespaces[at + 6][0::2], namespaces[at + 6][1::2]))
    assert list(latencies) == ["conn", "write", "read", "batch", "query"]
    assert all(len(buckets) == 5 for buckets in latencies.values())
    assert sum(map(int, latencies["write"])) == 4


def test_close_disables_metrics(spikelite_server):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    recorder = Recorder()
    c.enable_metrics(MetricsPolicy(metrics_listeners=recorder.listeners()))
    c.close()
    assert recorder.names() == ["enable", "disable"]
    assert isinstance(recorder.last("disable"), MetricsCluster)


def test_enabling_again_disables_the_first_run(fast_client):
    first, second = Recorder(), Recorder()
    fast_client.enable_metrics(MetricsPolicy(metrics_listeners=first.listeners(), interval=1000))
    fast_client.enable_metrics(MetricsPolicy(metrics_listeners=second.listeners(), interval=1000))
    assert first.names() == ["enable", "disable"]
    fast_client.disable_metrics()
    assert second.names() == ["enable", "disable"]
    fast_client.disable_metrics()  # nothing enabled: nothing happens
    assert second.names() == ["enable", "disable"]


def _boom(*_args):
    raise ValueError("boom")


def test_a_failing_listener_is_a_client_error(fast_client):
    with pytest.raises(exception.ClientError) as info:
        fast_client.enable_metrics(MetricsPolicy(metrics_listeners=MetricsListeners(_boom, _boom, _boom, _boom)))
    assert info.value.msg == "Python callback enable_listener threw a ValueError exception. Exception value: boom"
    recorder = Recorder()
    fast_client.enable_metrics(MetricsPolicy(metrics_listeners=MetricsListeners(
        recorder.listeners().enable_listener, _boom, _boom, _boom), interval=1000))
    with pytest.raises(exception.ClientError) as info:
        fast_client.disable_metrics()
    assert info.value.msg == "Python callback disable_listener threw a ValueError exception. Exception value: boom"


def _listeners(**changes):
    base = dict(enable_listener=lambda: None, snapshot_listener=lambda c: None,
                node_close_listener=lambda n: None, disable_listener=lambda c: None)
    base.update(changes)
    return MetricsListeners(**base)


@pytest.mark.parametrize("policy, message", [
    (1, "policy parameter must be an aerospike_helpers.MetricsPolicy type"),
    ({"interval": 1}, "policy parameter must be an aerospike_helpers.MetricsPolicy type"),
    (MetricsPolicy(metrics_listeners=5), "MetricsPolicy.metrics_listeners must be a "
                                         "aerospike_helpers.metrics.MetricsListeners type"),
    (MetricsPolicy(metrics_listeners=_listeners(enable_listener=1)),
     "MetricsPolicy.metrics_listeners.enable_listener must be a callable type"),
    (MetricsPolicy(metrics_listeners=_listeners(snapshot_listener=None, disable_listener=None)),
     "MetricsPolicy.metrics_listeners.disable_listener must be a callable type"),
    (MetricsPolicy(report_dir=5), "MetricsPolicy.report_dir must be a str type"),
    (MetricsPolicy(report_dir="x" * 256), "MetricsPolicy.report_dir must be less than 256 chars"),
    (MetricsPolicy(report_size_limit=-1), "MetricsPolicy.report_size_limit must be a unsigned 64-bit integer type"),
    (MetricsPolicy(interval="1"), "MetricsPolicy.interval must be a unsigned 32-bit integer type"),
    (MetricsPolicy(interval=2**32), "MetricsPolicy.interval must be a unsigned 32-bit integer type"),
    (MetricsPolicy(latency_columns=256), "MetricsPolicy.latency_columns must be a unsigned 8-bit integer type"),
    (MetricsPolicy(latency_shift=-1), "MetricsPolicy.latency_shift must be a unsigned 8-bit integer type"),
    (MetricsPolicy(labels=[("a", "b")]), "MetricsPolicy.labels must be a dict[str, str] type"),
    (MetricsPolicy(labels={"a": 1}), "MetricsPolicy.labels must be a dict[str, str] type"),
])
def test_bad_policies(client, policy, message):
    with pytest.raises(exception.ParamError) as info:
        client.enable_metrics(policy)
    assert info.value.msg == message


@settings(max_examples=25, deadline=None)
@given(limit=st.integers(min_value=1, max_value=999_999))
def test_a_small_report_size_limit_is_refused(client, limit):
    with pytest.raises(exception.ClientError) as info:
        client.enable_metrics(MetricsPolicy(report_size_limit=limit))
    assert info.value.msg == "Metrics policy report_size_limit %d must be at least 1000000" % limit


def test_an_unwritable_report_dir_is_refused(client, tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(exception.ClientError) as info:
        client.enable_metrics(MetricsPolicy(report_dir=str(missing)))
    assert re.fullmatch("Failed to open file: " + re.escape(str(missing)) + r"/metrics-\d{14}\.log", info.value.msg)


def test_metrics_methods_bind_like_c_functions(client):
    with pytest.raises(TypeError, match=r"disable_metrics\(\) takes no arguments \(1 given\)"):
        client.disable_metrics(1)
    with pytest.raises(TypeError, match=r"get_stats\(\) takes no arguments \(1 given\)"):
        client.get_stats(1)
    with pytest.raises(TypeError, match="'interval' is an invalid keyword argument for enable_metrics"):
        client.enable_metrics(interval=1)


def test_enable_metrics_without_a_policy_takes_the_configs(spikelite_server, tmp_path):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "policies": {"metrics": MetricsPolicy(report_dir=str(tmp_path), latency_columns=3)}})
    try:
        c.enable_metrics()
        c.disable_metrics()
    finally:
        c.close()
    files = list(tmp_path.glob("metrics-*.log"))
    assert len(files) == 1
    assert "latency(3,1)" in files[0].read_text().splitlines()[0]
