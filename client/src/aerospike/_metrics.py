"""enable_metrics / disable_metrics / get_stats: the official client's metrics on purespike's counters.

`parse_policy` checks a ``MetricsPolicy`` as the official client does (same order, same ParamError
texts). `enable` installs a `MetricsRun` on the cluster: it calls the enable listener at once, the
snapshot listener every `interval` tends, the node-close listener when a node is dropped and the
disable listener on `disable` (and when the client closes). Without listeners of its own, the run
uses `FileWriter`, which writes the C client's metrics file (``metrics-YYYYMMDDhhmmss.log``, header
version 2) line for line. The figures come from ``_cluster.stats``.
"""

from __future__ import annotations

import os
import time

from ._logging import log
from . import exception
from ._cluster.stats import LATENCY_TYPES
from ._errors import param_error
from ._version import VERSION


#: The smallest report_size_limit the file writer takes (0: no limit).
MIN_FILE_SIZE = 1_000_000
_HELPERS = "aerospike_helpers.metrics"
_LISTENER_NAMES = ("enable_listener", "disable_listener", "node_close_listener", "snapshot_listener")


class Settings:
    """A checked MetricsPolicy."""

    def __init__(self, listeners=None, report_dir: str = ".", report_size_limit: int = 0, interval: int = 30,
                 latency_columns: int = 7, latency_shift: int = 1, labels: list | None = None) -> None:
        self.listeners = listeners  # {name: callable} or None (the file writer)
        self.report_dir = report_dir
        self.report_size_limit = report_size_limit
        self.interval = interval
        self.latency_columns = latency_columns
        self.latency_shift = latency_shift
        self.labels = labels or []


def _is_helper(value, name: str) -> bool:
    cls = type(value)
    return cls.__name__ == name and cls.__module__ == _HELPERS


def _unsigned(value, bits: int) -> bool:
    return isinstance(value, int) and 0 <= value < (1 << bits)


def parse_policy(policy) -> Settings:
    """The official client's checks of a MetricsPolicy, in its order."""
    if not _is_helper(policy, "MetricsPolicy"):
        raise param_error("policy parameter must be an aerospike_helpers.MetricsPolicy type")
    settings = Settings()
    listeners = _attribute(policy, "metrics_listeners")
    if listeners is not None:
        if not _is_helper(listeners, "MetricsListeners"):
            raise param_error("MetricsPolicy.metrics_listeners must be a aerospike_helpers.metrics.MetricsListeners type")
        found = {}
        for name in _LISTENER_NAMES:
            if not hasattr(listeners, name):
                raise param_error("Unable to fetch %s attribute from MetricsListeners instance" % name)
            callback = getattr(listeners, name)
            if not callable(callback):
                raise param_error("MetricsPolicy.metrics_listeners.%s must be a callable type" % name)
            found[name] = callback
        settings.listeners = found
    report_dir = _attribute(policy, "report_dir")
    if not isinstance(report_dir, str):
        raise param_error("MetricsPolicy.report_dir must be a str type")
    if len(report_dir.encode("utf-8", "surrogatepass")) >= 256:
        raise param_error("MetricsPolicy.report_dir must be less than 256 chars")
    settings.report_dir = report_dir
    for name, bits, words in (("report_size_limit", 64, "unsigned 64-bit integer"),
                              ("interval", 32, "unsigned 32-bit integer"),
                              ("latency_columns", 8, "unsigned 8-bit integer"),
                              ("latency_shift", 8, "unsigned 8-bit integer")):
        value = _attribute(policy, name)
        if not _unsigned(value, bits):
            raise param_error("MetricsPolicy.%s must be a %s type" % (name, words))
        setattr(settings, name, int(value))
    labels = _attribute(policy, "labels")
    if not isinstance(labels, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        raise param_error("MetricsPolicy.labels must be a dict[str, str] type")
    settings.labels = list(labels.items())
    return settings


def _attribute(policy, name: str):
    if not hasattr(policy, name):
        raise param_error("Unable to fetch %s attribute" % name)
    return getattr(policy, name)


def _listener_failure(name: str, exc: BaseException) -> exception.AerospikeError:
    try:
        details = "Exception value: %s" % (exc,)
    except Exception:  # noqa: BLE001 - str() of a foreign exception may fail too
        details = "str() on exception value threw an error"
    return exception.exception_for(-1, "Python callback %s threw a %s exception. %s"
                                   % (name, type(exc).__name__, details))


# -- snapshots as aerospike_helpers.metrics objects ---------------------------------------------

def _helpers():
    import aerospike_helpers.metrics as helpers
    return helpers


def _conn_stats(node):
    helpers = _helpers()
    conns = helpers.ConnectionStats.__new__(helpers.ConnectionStats)
    conns.in_use, conns.in_pool, conns.opened, conns.closed = node.connection_stats()
    conns.recovered = conns.aborted = 0
    return conns


def node_snapshot(node):
    helpers = _helpers()
    result = helpers.Node.__new__(helpers.Node)
    result.name = node.name
    result.address, result.port = node.host[0], node.host[1]
    result.conns = _conn_stats(node)
    with node.stats.lock:
        entries = list(node.stats.namespaces.values())
        metrics = []
        for entry in entries:
            item = helpers.NamespaceMetrics.__new__(helpers.NamespaceMetrics)
            item.ns = entry.ns
            item.bytes_in, item.bytes_out = entry.bytes_in, entry.bytes_out
            item.error_count, item.timeout_count, item.key_busy_count = entry.errors, entry.timeouts, entry.key_busy
            for kind, buckets in zip(LATENCY_TYPES, entry.latency):
                setattr(item, kind + "_latency", list(buckets))
            metrics.append(item)
    result.metrics = metrics
    return result


def app_id(config) -> str:
    return config.app_id or config.user or "not-set"


def cluster_snapshot(cluster):
    helpers = _helpers()
    result = helpers.Cluster.__new__(helpers.Cluster)
    result.cluster_name = cluster.config.cluster_name or None
    result.app_id = app_id(cluster.config)
    stats = cluster.stats
    result.invalid_node_count = stats.invalid_node_count
    result.command_count = stats.command_count
    result.retry_count = stats.retry_count
    result.nodes = [node_snapshot(node) for node in list(cluster.nodes.values())]
    return result


def cluster_stats(cluster):
    """``Client.get_stats()``."""
    helpers = _helpers()
    result = helpers.ClusterStats.__new__(helpers.ClusterStats)
    nodes = []
    for node in list(cluster.nodes.values()):
        item = helpers.NodeStats.__new__(helpers.NodeStats)
        item.name = node.name
        item.address, item.port = node.host[0], node.host[1]
        item.conns = _conn_stats(node)
        item.error_count, item.timeout_count, item.key_busy_count = node.stats.totals()
        nodes.append(item)
    result.nodes = nodes
    result.retry_count = cluster.stats.retry_count
    result.thread_pool_queued_tasks = 0
    result.recover_queue_size = 0
    return result


# -- the metrics file ---------------------------------------------------------------------------

_HEADER = ("header(2) cluster[name,clientType,clientVersion,appId,label[],cpu,mem,invalidNodeCount,"
           "commandCount,retryCount,delayQueueTimeoutCount,eventloop[],node[]] label[name,value] "
           "eventloop[processSize,queueSize] node[name,address,port,syncConn,asyncConn,namespace[]] "
           "conn[inUse,inPool,opened,closed,recovered,aborted] "
           "namespace[name,errors,timeouts,keyBusy,bytesIn,bytesOut,latency[]] latency(%d,%d)[type[l1,l2,l3...]]")


def _now(fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return time.strftime(fmt, time.localtime())


def process_cpu_mem() -> tuple[int, int]:
    """(CPU %, virtual memory in kB) of this process, rounded, as the C client reads them from
    /proc (0, 0 where there is no /proc)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rpartition(")")[2].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = int(float(f.read().split()[0]))
    except (OSError, ValueError, IndexError):
        return 0, 0
    # fields[0] is the state (field 3 of stat): utime is field 14, stime 15, starttime 22, vsize 23
    utime, stime, start, vsize = int(fields[11]), int(fields[12]), int(fields[19]), int(fields[20])
    ticks = os.sysconf("SC_CLK_TCK")
    busy = utime // ticks + stime // ticks
    alive = uptime - start // ticks
    cpu = busy / alive * 100 if alive > 0 else 0.0
    return int(cpu + 0.5), int(vsize / 1024 + 0.5)


def _conn_line(node) -> str:
    in_use, in_pool, opened, closed = node.connection_stats()
    return "%d,%d,%d,%d,0,0,0,0,0,0,0,0" % (in_use, in_pool, opened, closed)


def node_line(node) -> str:
    with node.stats.lock:
        entries = []
        for entry in node.stats.namespaces.values():
            latencies = ",".join("%s[%s]" % (kind, ",".join(map(str, buckets)))
                                 for kind, buckets in zip(LATENCY_TYPES, entry.latency))
            entries.append("%s,%d,%d,%d,%d,%d,[%s]" % (entry.ns, entry.errors, entry.timeouts, entry.key_busy,
                                                       entry.bytes_in, entry.bytes_out, latencies))
    return "[%s,%s,%d,%s,[%s]]" % (node.name, node.host[0], node.host[1], _conn_line(node), ",".join(entries))


def cluster_line(cluster, labels: list) -> str:
    cpu, mem = process_cpu_mem()
    stats = cluster.stats
    label_text = ",".join("[%s,%s]" % pair for pair in labels)
    nodes = ",".join(node_line(node) for node in list(cluster.nodes.values()))
    return "%s cluster[%s,python,%s,%s,[%s],%d,%d,%d,%d,%d,0,[],[%s]]\n" % (
        _now(), cluster.config.cluster_name or "", VERSION, app_id(cluster.config), label_text, cpu, mem,
        stats.invalid_node_count, stats.command_count, stats.retry_count, nodes)


class FileWriter:
    """The default listeners: the C client's metrics file."""

    def __init__(self, settings: Settings) -> None:
        if settings.report_size_limit and settings.report_size_limit < MIN_FILE_SIZE:
            raise exception.exception_for(-1, "Metrics policy report_size_limit %d must be at least %d"
                                          % (settings.report_size_limit, MIN_FILE_SIZE))
        self._settings = settings
        self._file = None
        self._size = 0

    def _open(self) -> None:
        directory = self._settings.report_dir
        separator = "" if directory.endswith(("/", "\\")) else "/"
        path = "%s%smetrics-%s.log" % (directory, separator, _now("%Y%m%d%H%M%S"))
        try:
            self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115 - kept open between snapshots
        except OSError:
            raise exception.exception_for(-1, "Failed to open file: %s" % path) from None
        self._size = 0
        self._write("%s %s\n" % (_now(), _HEADER % (self._settings.latency_columns, self._settings.latency_shift)))

    def _write(self, line: str) -> None:
        assert self._file is not None
        self._file.write(line)
        self._size += len(line.encode("utf-8"))
        limit = self._settings.report_size_limit
        if limit and self._size >= limit:
            self._file.close()
            self._open()

    def enable_listener(self) -> None:
        self._open()

    def snapshot_listener(self, cluster) -> None:
        if self._file is not None:
            self._write(cluster_line(cluster, self._settings.labels))
            self._file.flush()

    def node_close_listener(self, node) -> None:
        if self._file is not None:
            self._write("%s %s\n" % (_now(), node_line(node)))

    def disable_listener(self, cluster) -> None:
        if self._file is not None:
            try:
                self._write(cluster_line(cluster, self._settings.labels))
            finally:
                self._file.close()
                self._file = None


class MetricsRun:
    """Metrics enabled on one cluster: the listeners and when to call them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._writer = FileWriter(settings) if settings.listeners is None else None

    def _call(self, name: str, cluster=None, node=None) -> None:
        """Call one listener; a failure of a user callback becomes the official ClientError."""
        if self._writer is not None:
            method = getattr(self._writer, name)
            if name == "enable_listener":
                method()
            else:
                method(node if name == "node_close_listener" else cluster)
            return
        callback = self.settings.listeners[name]
        try:
            if name == "enable_listener":
                callback()
            elif name == "node_close_listener":
                callback(node_snapshot(node))
            else:
                callback(cluster_snapshot(cluster))
        except Exception as exc:  # noqa: BLE001 - any exception of the application's callback
            raise _listener_failure(name, exc) from None

    def tended(self, cluster) -> None:
        interval = self.settings.interval
        if interval and cluster.tend_count % interval == 0:
            try:
                self._call("snapshot_listener", cluster)
            except exception.AerospikeError as exc:  # metrics must never stop the tend
                log(1, "Metrics snapshot error: %s" % (exc.msg,))

    def node_closing(self, node) -> None:
        try:
            self._call("node_close_listener", node=node)
        except exception.AerospikeError as exc:
            log(1, "Metrics node close error: %s" % (exc.msg,))


def enable(cluster, settings: Settings) -> None:
    """Enable metrics on `cluster` (after disabling a run already there, whose failure is only
    logged), calling the enable listener at once."""
    run = MetricsRun(settings)
    with cluster.metrics_lock:
        if cluster.metrics_listener is not None:
            try:
                disable(cluster)
            except exception.AerospikeError as exc:
                log(1, "Metrics disable error: %s" % (exc.msg,))
        stats = cluster.stats
        stats.columns, stats.shift = settings.latency_columns, settings.latency_shift
        stats.metrics_enabled = True
        for node in list(cluster.nodes.values()):
            node.stats.reset()
        try:
            run._call("enable_listener")
        except BaseException:
            stats.metrics_enabled = False
            raise
        cluster.metrics_listener = run


def disable(cluster) -> None:
    """Disable metrics on `cluster`, calling the disable listener (its failure is raised)."""
    with cluster.metrics_lock:
        run, cluster.metrics_listener = cluster.metrics_listener, None
        if run is None:
            return
        try:
            run._call("disable_listener", cluster)
        finally:
            cluster.stats.metrics_enabled = False
