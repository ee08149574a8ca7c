"""Info commands: the text protocol clients use to tend a node and to administer it."""

from __future__ import annotations

import base64
from typing import Callable

from ..node import BUILD, EDITION, Node
from ..wire import CITRUSLEAF_EPOCH, PARTITION_COUNT, ResultCode
from ..wire.info import command_name, command_params, error_value
from .config_info import ConfigCommands
from .sindex_info import SindexCommands

#: Bitmap with every partition's bit set: this node masters all 4096 partitions.
_ALL_PARTITIONS = base64.b64encode(b"\xff" * (PARTITION_COUNT // 8)).decode()

FEATURES = ";".join([
    "batch-any", "batch-index", "blob-bits", "cdt-index", "cdt-list", "cdt-map", "cluster-stable",
    "float", "geo", "sindex-exists", "peers", "pipelining", "pquery", "pscans", "query-show",
    "relaxed-sc", "replicas", "replicas-all", "replicas-master", "replicas-max", "truncate-namespace",
    "udf"])


#: The default-port field of a real node's peers-* answers (each endpoint names its own port).
PEERS_DEFAULT_PORT = 3000

#: What a node answers to an info request without command lines: these names, in this order.
SUMMARY = ["features", "node", "compatibility-id", "edition", "build_ee_sha", "build_sha", "build_arch",
           "build_time", "build_os", "build", "version", "statistics", "services-alumni", "services",
           "partition-generation"]


class InfoCommands:
    def __init__(self, node: Node):
        self.node = node
        self.sindexes = SindexCommands(node)
        self.configs = ConfigCommands(node)
        exact: dict[str, Callable[[str], str]] = {
            "node": lambda _: self.node.node_id,
            "build": lambda _: BUILD,
            "version": lambda _: "%s build %s" % (EDITION, BUILD),
            "edition": lambda _: EDITION,
            "release": lambda _: "edition=%s;version=%s;os=python;arch=any;sha=spikelite" % (EDITION, BUILD),
            "compatibility-id": lambda _: "15",
            "build_ee_sha": lambda _: "",
            "build_sha": lambda _: "spikelite",
            "build_arch": lambda _: "any",
            "build_time": lambda _: "",
            "build_os": lambda _: "python",
            "features": lambda _: FEATURES,
            "partitions": lambda _: str(PARTITION_COUNT),
            "partition-generation": lambda _: str(self.node.membership.generation),
            "rebalance-generation": lambda _: "1",
            "peers-generation": lambda _: str(self.node.membership.generation),
            "cluster-name": lambda _: self.node.config.cluster_name,
            "cluster-stable": self._cluster_stable,
            "replicas": self._replicas,
            "replicas-all": lambda _: ";".join("%s:%s" % (ns, self._bitmaps()) for ns in self.node.namespaces),
            "replicas-master": lambda _: ";".join("%s:%s" % (ns, self._bitmap(0)) for ns in self.node.namespaces),
            "peers-clear-std": self._peers,
            "peers-clear-alt": lambda _: self._peers(_, alternate=True),
            "peers-tls-std": self._tls_peers,
            "peers-tls-alt": lambda _: self._tls_peers(_, alternate=True),
            "alumni-clear-std": self._peers,
            "alumni-clear-alt": lambda _: self._peers(_, alternate=True),
            "alumni-tls-std": self._tls_peers,
            "service-clear-std": lambda _: ",".join(_clear_endpoints(self.node)),
            "service-clear-alt": lambda _: ",".join(_clear_endpoints(self.node, alternate=True)),
            "service-tls-std": lambda _: ",".join(_tls_endpoints(self.node)),
            "service-tls-alt": lambda _: ",".join(_tls_endpoints(self.node, alternate=True)),
            "service": lambda _: ";".join(_clear_endpoints(self.node)),
            "services": lambda _: self._services(),
            "services-alternate": lambda _: self._services(alternate=True),
            "services-alumni": lambda _: self._services(),
            "namespaces": lambda _: ";".join(self.node.namespaces),
            "namespace": self._namespace,
            "sets": self._sets,
            "statistics": lambda _: self._statistics(),
            "status": lambda _: "ok",
            "connection": lambda _: "admin=false",
            "user-agent-set": lambda _: "ok",
            "truncate": self._truncate,
            "truncate-namespace": self._truncate_namespace,
            "query-show": self._query_show,
            "scan-show": self._query_show,
            "udf-put": self.node.udfs.info_put,
            "udf-get": self.node.udfs.info_get,
            "udf-list": self.node.udfs.info_list,
            "udf-remove": self.node.udfs.info_remove,
            "sindex-create": self.sindexes.create,
            "sindex-delete": self.sindexes.delete,
            "sindex-exists": self.sindexes.exists,
            "sindex-list": self.sindexes.list,
            "sindex": self.sindexes.stats,
            "sindex-stat": self.sindexes.stat,
            "get-config": self.configs.get_config,
            "logs": self.configs.logs,
            "racks": lambda _: error_value(ResultCode.ENTERPRISE_ONLY, "enterprise only"),
            "rack-ids": lambda _: error_value(ResultCode.ENTERPRISE_ONLY, "enterprise only"),
            "xdr-set-filter": lambda _: error_value(ResultCode.ENTERPRISE_ONLY, "enterprise only"),
        }
        self.handlers = exact

    def answer(self, line: str) -> str:
        handler = self.handlers.get(command_name(line))
        if handler is None:
            return error_value(ResultCode.PARAMETER, "unrecognized command")
        return handler(line)

    # -- tending ----------------------------------------------------------------------------------

    def _no_peers(self, _line: str) -> str:
        return "%d,%d,[]" % (self.node.membership.generation, PEERS_DEFAULT_PORT)

    def _peers(self, _line: str, alternate: bool = False) -> str:
        """`peers-clear-*`: each peer's access endpoints (a peer without alternate ones is left out
        of `-alt`); every endpoint names its port, the default-port field is the node's 3000."""
        peers = ",".join("[%s,,[%s]]" % (peer.node_id, ",".join(endpoints))
                         for peer in self.node.membership.peers_of(self.node)
                         if (endpoints := _clear_endpoints(peer, alternate)))
        return "%d,%d,[%s]" % (self.node.membership.generation, PEERS_DEFAULT_PORT, peers)

    def _services(self, alternate: bool = False) -> str:
        """`services` / `services-alternate`: the peers' access endpoints, ';'-separated."""
        return ";".join(endpoint for peer in self.node.membership.peers_of(self.node)
                        for endpoint in _clear_endpoints(peer, alternate))

    def _tls_peers(self, line: str, alternate: bool = False) -> str:
        """`peers-tls-*`: the peers' TLS endpoints and tls-name; an empty list without TLS."""
        if self.node.tls_port is None:
            return self._no_peers(line)
        peers = ",".join("[%s,%s,[%s]]" % (peer.node_id, peer.config.tls.name,
                                          ",".join(_tls_endpoints(peer, alternate)))
                         for peer in self.node.membership.peers_of(self.node) if peer.tls_port is not None)
        return "%d,%d,[%s]" % (self.node.membership.generation, self.node.tls_port, peers)

    def _bitmap(self, replica: int) -> str:
        membership = self.node.membership
        if len(membership.nodes) == 1:
            return _ALL_PARTITIONS if replica == 0 else base64.b64encode(bytes(PARTITION_COUNT // 8)).decode()
        bits = bytearray(PARTITION_COUNT // 8)
        for pid in range(PARTITION_COUNT):
            if membership.replica_index(self.node, pid) == replica:
                bits[pid >> 3] |= 0x80 >> (pid & 7)
        return base64.b64encode(bytes(bits)).decode()

    def _bitmaps(self) -> str:
        count = self.node.membership.replication_factor
        return "%d,%s" % (count, ",".join(self._bitmap(i) for i in range(count)))

    def _replicas(self, line: str) -> str:
        return ";".join("%s:0,%s" % (ns, self._bitmaps()) for ns in self.node.namespaces)

    def _cluster_stable(self, line: str) -> str:
        params = command_params(line)
        if "size" in params and params["size"] != str(len(self.node.membership.nodes)):
            return error_value(ResultCode.CLUSTER_KEY_MISMATCH, "cluster not specified size")
        ns = params.get("namespace")
        if ns is not None and ns not in self.node.namespaces:
            return error_value(ResultCode.NAMESPACE_NOT_FOUND, "namespace not found")
        return self.node.node_id[-12:]

    # -- background jobs --------------------------------------------------------------------------

    def _query_show(self, line: str) -> str:
        """`query-show` (all jobs) or `query-show:id=<trid>` / `trid=` (decimal, 0x hex or 0 octal)."""
        jobs = self.node.jobs.jobs
        params = command_params(line)
        wanted = params.get("id", params.get("trid"))
        if wanted is None:
            return ";".join(job.describe() for job in jobs.values())
        try:
            trid = int(wanted, 0)
        except ValueError:
            return error_value(ResultCode.PARAMETER, "bad id")
        job = jobs.get(trid)
        if job is None:
            return error_value(ResultCode.KEY_NOT_FOUND, "job not found")
        return job.describe()

    # -- statistics -------------------------------------------------------------------------------

    def _statistics(self) -> str:
        stats = self.node.stats
        objects = sum(ns.objects() for ns in self.node.namespaces.values())
        pairs = [("cluster_size", len(self.node.membership.nodes)), ("cluster_name", self.node.config.cluster_name),
                 ("uptime", stats.uptime()), ("objects", objects),
                 ("client_connections", stats.client_connections),
                 ("client_connections_opened", stats.connections_opened),
                 ("client_connections_closed", stats.connections_closed),
                 ("proto_malformed", stats.malformed), ("requests", stats.requests),
                 ("client_proxy_complete", stats.proxied)]
        return ";".join("%s=%s" % pair for pair in pairs)

    def _namespace(self, line: str) -> str:
        _, _, name = line.partition("/")
        ns = self.node.namespaces.get(name)
        if ns is None:
            return "type=unknown"
        cfg = ns.config
        membership = self.node.membership
        pairs = [("ns_cluster_size", len(membership.nodes)),
                 ("effective_replication_factor", membership.replication_factor),
                 ("objects", ns.objects()), ("tombstones", 0), ("expired_objects", ns.expired_count),
                 ("evicted_objects", ns.evicted_count), ("replication-factor", cfg.replication_factor),
                 ("default-ttl", cfg.default_ttl), ("max-ttl", cfg.max_ttl),
                 ("nsup-period", cfg.nsup_period),
                 ("allow-ttl-without-nsup", str(cfg.allow_ttl_without_nsup).lower()),
                 ("max-record-size", cfg.max_record_size), ("storage-engine", cfg.storage),
                 ("strong-consistency", "false")]
        if ns.limit:  # a size-limited namespace reports its usage and stop-writes state
            pairs += [("data_used_bytes", ns.used_bytes), ("data_total_bytes", cfg.capacity_bytes()),
                      ("data_used_pct", ns.used_bytes * 100 // max(1, cfg.capacity_bytes())),
                      ("stop_writes", str(ns.stop_writes()).lower())]
        if cfg.storage_file:
            pairs += [("storage-engine.file", cfg.storage_file), ("storage-engine.filesize", cfg.filesize),
                      ("storage-engine.stop-writes-used-pct", cfg.stop_writes_used_pct)]
        return ";".join("%s=%s" % pair for pair in pairs)

    def _sets(self, line: str) -> str:
        parts = line.split("/")[1:]
        if parts and parts[0] not in self.node.namespaces:
            return "ns_type=unknown"
        namespaces = [self.node.namespaces[parts[0]]] if parts else list(self.node.namespaces.values())
        entries = []
        for ns in namespaces:
            for set_name in ns.set_names():
                if len(parts) > 1 and set_name != parts[1]:
                    continue
                set_config = ns.config.sets.get(set_name)
                props = [("objects", ns.set_counts.get(set_name, 0)), ("tombstones", 0),
                         ("data_used_bytes", 0), ("truncate_lut", ns.truncate_lut.get(set_name, 0) // 1_000_000),
                         ("sindexes", 0), ("index_populating", "false"), ("truncating", "false"),
                         ("default-read-touch-ttl-pct", set_config.default_read_touch_ttl_pct if set_config else 0),
                         ("default-ttl", set_config.default_ttl if set_config and set_config.default_ttl is not None else 0),
                         ("disable-eviction", "false"),
                         ("enable-index", "true" if ns.set_index_of(set_name) else "false"),
                         ("stop-writes-count", set_config.stop_writes_count if set_config else 0),
                         ("stop-writes-size", 0)]
                body = ":".join("%s=%s" % p for p in props)
                entries.append(body if len(parts) > 1 else "ns=%s:set=%s:%s" % (ns.name, set_name, body))
        if len(parts) > 1:
            return entries[0] + ";" if entries and parts[1] else ""
        return "".join(entry + ";" for entry in entries)

    # -- truncation -------------------------------------------------------------------------------

    def _truncate_target(self, line: str, with_set: bool):
        """(namespace or None, set name, lut, error value) of a truncate / truncate-namespace, checked
        in a real node's order; an unknown namespace is None (a node answers "ok" and does nothing)."""
        params = command_params(line)
        ns_name = params.get("namespace", params.get("ns"))
        if not ns_name:
            return None, None, None, error_value(ResultCode.NAMESPACE_NOT_FOUND, "missing 'namespace'")
        set_name = params.get("set")
        if with_set:
            if set_name is None:
                return None, None, None, error_value(ResultCode.PARAMETER, "missing 'set'")
            if not set_name:
                return None, None, None, error_value(ResultCode.PARAMETER, "missing 'set' value")
        elif set_name is not None:
            return None, None, None, error_value(ResultCode.PARAMETER, "unexpected set name")
        now = self.node.clock.now_ns()
        lut = now
        if params.get("lut"):
            try:
                lut = int(params["lut"])
            except ValueError:
                lut = 0  # a node reads an unparsable lut as 0
            if lut > now:
                return None, None, None, error_value(ResultCode.PARAMETER, "lut is in the future")
            if lut < CITRUSLEAF_EPOCH * 1_000_000_000:
                return None, None, None, error_value(ResultCode.PARAMETER, "would truncate to 0")
        return self.node.namespaces.get(ns_name), set_name, lut, None

    def _truncate(self, line: str) -> str:
        ns, set_name, lut, err = self._truncate_target(line, True)
        if err:
            return err
        if ns is not None:
            ns.truncate(set_name, lut)
        return "ok"

    def _truncate_namespace(self, line: str) -> str:
        ns, _, lut, err = self._truncate_target(line, False)
        if err:
            return err
        if ns is not None:
            ns.truncate(None, lut)
        return "ok"


def _tls_endpoints(node: Node, alternate: bool = False) -> list[str]:
    """Where clients reach this node over TLS: tls-access-address/port (or the alternate ones),
    else the address and port the TLS listener is bound to. Empty without TLS."""
    tls = node.config.tls
    if tls is None or node.tls_port is None:
        return []
    addresses = (alternate and tls.alternate_access_addresses) or tls.access_addresses or [node.tls_host]
    port = (alternate and tls.alternate_access_port) or tls.access_port or node.tls_port
    return ["%s:%d" % ("[%s]" % a if ":" in a else a, port) for a in addresses]


def _clear_endpoints(node: Node, alternate: bool = False) -> list[str]:
    """Where clients are told to reach a node in clear text: its access-address(es) and
    access-port, each defaulting to the address and port it listens on; the alternate endpoint
    only when alternate-access-address is configured (its port defaults to the service port)."""
    config = node.config
    if alternate:
        addresses = config.alternate_access_addresses
        port = config.alternate_access_port or node.port
    else:
        addresses = config.access_addresses or [node.host]
        port = config.access_port or node.port
    return ["%s:%d" % ("[%s]" % a if ":" in a else a, port) for a in addresses]

