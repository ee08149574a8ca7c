"""`get-config` (contexts service, network, namespace;id=<ns>, security, xdr) and `logs`, with the
keys, order and value formats of a real 8.1.2 CE node.

Settings spikelite has (cluster name, node id, ports and access addresses, namespace TTLs, record
size, storage) answer their values; the node's other settings, which change nothing here, answer a
node's defaults, so a client or tool reading a setting finds it where a node has it."""

from __future__ import annotations

from ..wire import ResultCode
from ..wire.info import command_params, error_value

#: A node's `service` context in its order; None: spikelite's own value (see _service).
_SERVICE = [
    ("advertise-ipv6", "false"), ("auto-pin", "none"), ("batch-index-threads", "2"),
    ("batch-max-buffers-per-queue", "255"), ("batch-max-requests", "0"), ("batch-max-unused-buffers", "256"),
    ("cgroup-mem-tracking", "false"), ("cluster-name", None), ("debug-allocations", "false"),
    ("disable-udf-execution", "false"), ("enable-benchmarks-fabric", "false"),
    ("enable-health-check", "false"), ("enable-hist-info", "false"), ("enforce-best-practices", "false"),
    ("indent-allocations", "false"), ("info-max-ms", "10000"), ("info-threads", "16"),
    ("keep-caps-ssd-health", "false"), ("log-local-time", "false"), ("log-millis", "false"),
    ("microsecond-histograms", "false"), ("migrate-fill-delay", "0"), ("migrate-max-num-incoming", "4"),
    ("migrate-threads", "1"), ("min-cluster-size", "1"), ("node-id", None),
    ("node-id-interface", "null"), ("os-group-perms", "false"), ("pidfile", "null"),
    ("poison-allocations", "false"), ("proto-fd-idle-ms", None), ("proto-fd-max", None),
    ("quarantine-allocations", "0"), ("query-max-done", "100"), ("query-threads-limit", "128"),
    ("run-as-daemon", "false"), ("secrets-address-port", "null"), ("secrets-tls-context", "null"),
    ("secrets-uds-path", "null"), ("service-threads", "2"), ("sindex-builder-threads", "4"),
    ("sindex-gc-period", "10"), ("stay-quiesced", "false"), ("ticker-interval", "10"),
    ("tls-refresh-period", "0"), ("transaction-max-ms", "1000"), ("transaction-retry-ms", "1002"),
    ("vault-ca", "null"), ("vault-namespace", "null"), ("vault-path", "null"), ("vault-token-file", "null"),
    ("vault-url", "null"), ("work-directory", "/opt/aerospike"),
]

#: The heartbeat and fabric part of a node's `network` context (spikelite has neither: defaults;
#: their addresses and ports are filled in as a node on this service port would have them).
_HEARTBEAT_FABRIC = [
    ("admin.port", "0"), ("admin.tls-port", "0"), ("admin.tls-name", "null"),
    ("admin.disable-localhost", "false"), ("heartbeat.mode", "mesh"), ("heartbeat.address", None),
    ("heartbeat.port", None), ("heartbeat.tls-port", "0"), ("heartbeat.tls-name", "null"),
    ("heartbeat.interval", "150"), ("heartbeat.timeout", "10"), ("heartbeat.connect-timeout-ms", "500"),
    ("heartbeat.mtu", "65536"), ("heartbeat.protocol", "v3"), ("fabric.address", None),
    ("fabric.tls-port", "0"), ("fabric.tls-name", "null"), ("fabric.channel-bulk-fds", "2"),
    ("fabric.channel-bulk-recv-threads", "4"), ("fabric.channel-ctrl-fds", "1"),
    ("fabric.channel-ctrl-recv-threads", "4"), ("fabric.channel-meta-fds", "1"),
    ("fabric.channel-meta-recv-threads", "4"), ("fabric.channel-rw-fds", "8"),
    ("fabric.channel-rw-recv-pools", "1"), ("fabric.channel-rw-recv-threads", "16"),
    ("fabric.keepalive-enabled", "true"), ("fabric.keepalive-intvl", "1"), ("fabric.keepalive-probes", "10"),
    ("fabric.keepalive-time", "1"), ("fabric.latency-max-ms", "5"), ("fabric.port", None),
    ("fabric.recv-rearm-threshold", "1024"), ("fabric.send-threads", "8"),
]

#: A node's namespace context up to its storage engine, in its order; None: spikelite's value.
_NAMESPACE = [
    ("active-rack", "0"), ("allow-ttl-without-nsup", None), ("apply-ttl-reductions", "true"),
    ("auto-revive", "false"), ("background-query-max-rps", None),
    ("conflict-resolution-policy", "generation"), ("conflict-resolve-writes", "false"),
    ("default-read-touch-ttl-pct", None), ("default-ttl", None), ("disable-cold-start-eviction", "false"),
    ("disable-mrt-writes", "false"), ("disable-write-dup-res", "false"), ("disallow-expunge", "false"),
    ("disallow-null-setname", "false"), ("enable-benchmarks-batch-sub", "false"),
    ("enable-benchmarks-ops-sub", "false"), ("enable-benchmarks-read", "false"),
    ("enable-benchmarks-udf", "false"), ("enable-benchmarks-udf-sub", "false"),
    ("enable-benchmarks-write", "false"), ("enable-hist-proxy", "false"), ("evict-hist-buckets", "10000"),
    ("evict-indexes-memory-pct", "0"), ("evict-tenths-pct", "5"), ("force-long-queries", "false"),
    ("ignore-migrate-fill-delay", "false"), ("index-stage-size", "1073741824"),
    ("indexes-memory-budget", "0"), ("inline-short-queries", "false"), ("max-record-size", None),
    ("migrate-order", "5"), ("migrate-retransmit-ms", "5000"), ("migrate-skip-unreadable", "false"),
    ("migrate-sleep", "1"), ("mrt-duration", "0"), ("nsup-hist-period", "3600"), ("nsup-period", None),
    ("nsup-threads", "1"), ("partition-tree-sprigs", "256"), ("prefer-uniform-balance", "false"),
    ("rack-id", "0"), ("read-consistency-level-override", "off"), ("reject-non-xdr-writes", "false"),
    ("reject-xdr-writes", "false"), ("replication-factor", None), ("sindex-stage-size", "1073741824"),
    ("single-query-threads", "4"), ("stop-writes-sys-memory-pct", "90"), ("strong-consistency", "false"),
    ("strong-consistency-allow-expunge", "false"), ("tomb-raider-eligible-age", "86400"),
    ("tomb-raider-period", "86400"), ("tomb-raider-unmark-threads", "0"),
    ("transaction-pending-limit", "20"), ("truncate-threads", "4"), ("write-commit-level-override", "off"),
    ("xdr-bin-tombstone-ttl", "86400"), ("xdr-tomb-raider-period", "120"), ("xdr-tomb-raider-threads", "1"),
    ("geo2dsphere-within.strict", "true"), ("geo2dsphere-within.min-level", "1"),
    ("geo2dsphere-within.max-level", "20"), ("geo2dsphere-within.max-cells", "12"),
    ("geo2dsphere-within.level-mod", "1"), ("geo2dsphere-within.earth-radius-meters", "6371000"),
    ("index-type", "mem"), ("sindex-type", "mem"),
]

#: The storage engine's settings after its stripes (memory) or files (device), in a node's order.
_STORAGE = [
    ("commit-to-device", "false"), ("compression", "none"), ("compression-acceleration", "0"),
    ("compression-level", "0"), ("data-size", None), ("defrag-lwm-pct", "50"), ("defrag-queue-min", "0"),
    ("defrag-sleep", "1000"), ("defrag-startup-minimum", "0"), ("direct-files", "false"),
    ("disable-odsync", "false"), ("enable-benchmarks-storage", "false"), ("encryption-key-file", "null"),
    ("encryption-old-key-file", "null"), ("evict-used-pct", "0"), ("filesize", None),
    ("flush-max-ms", "1000"), ("max-write-cache", "67108864"), ("stop-writes-avail-pct", "5"),
    ("stop-writes-used-pct", None), ("tomb-raider-sleep", "1000"),
]

#: A device namespace's storage settings after its files, in a node's order.
_STORAGE_DEVICE = [
    ("cache-replica-writes", "false"), ("cold-start-empty", None), ("commit-to-device", "false"),
    ("compression", "none"), ("compression-acceleration", "0"), ("compression-level", "0"),
    ("defrag-lwm-pct", "50"), ("defrag-queue-min", "0"), ("defrag-sleep", "1000"),
    ("defrag-startup-minimum", "0"), ("direct-files", "false"), ("disable-odsync", "false"),
    ("enable-benchmarks-storage", "false"), ("encryption-key-file", "null"),
    ("encryption-old-key-file", "null"), ("evict-used-pct", "0"), ("filesize", None),
    ("flush-max-ms", "1000"), ("flush-size", "1048576"), ("max-write-cache", "67108864"),
    ("post-write-cache", "268435456"), ("read-page-cache", "false"), ("serialize-tomb-raider", "false"),
    ("sindex-startup-device-scan", "false"), ("stop-writes-avail-pct", "5"),
    ("stop-writes-used-pct", None), ("tomb-raider-sleep", "1000"),
]

#: A memory namespace's stripes (a node shows eight).
_STRIPES = 8

#: Contexts a CE node answers with nothing (Enterprise features).
_EMPTY_CONTEXTS = ("security", "xdr")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(template: list, own: dict, prefix: str = "") -> list[str]:
    return ["%s%s=%s" % (prefix, name, _text(own[name]) if default is None else default)
            for name, default in template]


class ConfigCommands:
    def __init__(self, node):
        self.node = node

    def get_config(self, line: str) -> str:
        params = command_params(line)
        if "context" not in params:
            if params:
                return error_value(ResultCode.PARAMETER, "missing 'context'")
            return ";".join(self._service() + self._network())
        context = params["context"]
        if not context:
            return error_value(ResultCode.PARAMETER, "missing 'context' value")
        if context == "service":
            return ";".join(self._service())
        if context == "network":
            return ";".join(self._network())
        if context == "namespace":
            return self._namespace(params)
        if context in _EMPTY_CONTEXTS:
            return ""
        return error_value(ResultCode.PARAMETER, "invalid context")

    def logs(self, _line: str) -> str:
        """The log sinks: spikelite logs to its standard error (a node's `console` sink)."""
        return "0:stderr"

    def _service(self) -> list[str]:
        config = self.node.config
        return _fill(_SERVICE, {"cluster-name": config.cluster_name, "node-id": self.node.node_id,
                                "proto-fd-idle-ms": config.proto_fd_idle_ms,
                                "proto-fd-max": config.proto_fd_max})

    def _network(self) -> list[str]:
        node, config = self.node, self.node.config
        tls = config.tls
        pairs = [("port", node.port), ("address", config.address), ("access-port", config.access_port or 0)]
        if config.access_addresses:
            pairs.append(("access-address", ",".join(config.access_addresses)))
        pairs.append(("alternate-access-port", config.alternate_access_port or 0))
        if config.alternate_access_addresses:
            pairs.append(("alternate-access-address", ",".join(config.alternate_access_addresses)))
        pairs += [("tls-port", node.tls_port or 0 if tls else 0),
                  ("tls-access-port", (tls.access_port or 0) if tls else 0),
                  ("tls-alternate-access-port", (tls.alternate_access_port or 0) if tls else 0),
                  ("tls-name", tls.name if tls else "null"), ("disable-localhost", False)]
        service = ["service.%s=%s" % (name, _text(value)) for name, value in pairs]
        return service + _fill(_HEARTBEAT_FABRIC, {"heartbeat.address": config.address,
                                                   "heartbeat.port": node.port + 2,
                                                   "fabric.address": config.address,
                                                   "fabric.port": node.port + 1})

    def _namespace(self, params: dict) -> str:
        name = params.get("namespace", params.get("id"))
        if name is None:
            return error_value(ResultCode.NAMESPACE_NOT_FOUND, "missing 'namespace'")
        if not name:
            return error_value(ResultCode.NAMESPACE_NOT_FOUND, "missing 'namespace' value")
        ns = self.node.namespaces.get(name)
        if ns is None:
            return error_value(ResultCode.NAMESPACE_NOT_FOUND, "namespace not found on node")
        cfg = ns.config
        out = _fill(_NAMESPACE, {
            "allow-ttl-without-nsup": cfg.allow_ttl_without_nsup,
            "background-query-max-rps": cfg.background_query_max_rps,
            "default-read-touch-ttl-pct": cfg.default_read_touch_ttl_pct, "default-ttl": cfg.default_ttl,
            "max-record-size": cfg.max_record_size, "nsup-period": cfg.nsup_period,
            "replication-factor": cfg.replication_factor})
        out.append("storage-engine=%s" % cfg.storage)
        own = {"data-size": cfg.data_size, "filesize": cfg.filesize, "cold-start-empty": cfg.cold_start_empty,
               "stop-writes-used-pct": cfg.stop_writes_used_pct}
        if cfg.storage == "device":
            out.append("storage-engine.file[0]=%s" % cfg.storage_file)
            out += _fill(_STORAGE_DEVICE, own, "storage-engine.")
        else:
            if cfg.storage_file:
                out.append("storage-engine.file[0]=%s" % cfg.storage_file)
            else:
                out += ["storage-engine.stripe[%d]=stripe-%d" % (i, i) for i in range(_STRIPES)]
            out += _fill(_STORAGE, own, "storage-engine.")
        return ";".join(out)
