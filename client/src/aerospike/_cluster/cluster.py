"""Seeding, tending and routing: the client's view of an Aerospike cluster."""

from __future__ import annotations

import logging
import os
import random
import ssl
import threading
import time
import warnings
import weakref

from .. import exception
from .connection import Connection, ConnectionFailed, TlsContext
from .stats import ClusterStats
from .node import Node, info_on
from .partitions import PartitionMap
from .peers import parse_peers, parse_replicas

log = logging.getLogger("aerospike")
LOG_WARN = 1
LOG_INFO = 2


def _log(level: int, message: str) -> None:
    from .._logging import log as client_log
    client_log(level, message, stacklevel=2)

def _log_added(node) -> None:
    """The client log's INFO line for a node joining the cluster view (the log handler hears it)."""
    _log(LOG_INFO, "Add node %s %s:%d" % (node.name, node.host[0], node.host[1]))


REPLICA_MASTER = 0
REPLICA_ANY = 1
REPLICA_SEQUENCE = 2
REPLICA_PREFER_RACK = 3
REPLICA_RANDOM = 4

#: Consecutive failed tends after which a node that no peer lists any more is dropped.
_MAX_TEND_FAILURES = 5


class ClusterConfig:
    """The cluster-related keys of the client config dict, with the official defaults."""

    def __init__(self, config: dict):
        self.seeds: list[tuple[str, int, str | None]] = config["_seeds"]
        self.user: str | None = config.get("user")
        self.app_id: str | None = config.get("app_id")
        self.password: str | None = config.get("password")
        self.cluster_name: str | None = config.get("cluster_name")
        self.tend_interval = _tend_interval(config.get("tend_interval", 1000)) / 1000.0
        self.connect_timeout = config.get("connect_timeout", 1000) / 1000.0
        self.login_timeout = config.get("login_timeout_ms", 5000) / 1000.0
        self.max_conns_per_node = config.get("max_conns_per_node", 100)
        self.max_socket_idle = config.get("max_socket_idle", 55)
        self.use_services_alternate = bool(config.get("use_services_alternate", False))
        self.rack_aware = bool(config.get("rack_aware", False))
        self.max_error_rate, self.error_rate_window = _circuit_breaker(config)
        self.rack_ids = list(config.get("rack_ids") or ([config["rack_id"]] if "rack_id" in config else []))
        tls = config.get("tls")
        self.tls: dict = tls if isinstance(tls, dict) else {}  # the official client ignores a non-dict
        # for_login_only: the official client then talks clear text outside login, which fails
        # against a TLS-only port as it does here: purespike keeps every connection clear text.
        use_tls = bool(self.tls.get("enable")) and not self.tls.get("for_login_only")
        self.tls_context = _tls_context(self.tls) if use_tls else None


#: The protocol names the official client knows (it has no "TLSv1.3" and never negotiates it).
_TLS_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]


def _tls_protocols(text: str) -> tuple[ssl.TLSVersion, ssl.TLSVersion]:
    """`protocols` as the official client reads it: names with optional `+`/`-`, `all` = TLSv1 to
    TLSv1.2; a bare name replaces what came before. Default TLSv1.2."""
    wanted = {"TLSv1.2"}
    for token in text.split():
        sign, name = (token[0], token[1:]) if token[0] in "+-" else ("", token)
        if name == "all":
            names = {"TLSv1", "TLSv1.1", "TLSv1.2"}
        elif name in _TLS_PROTOCOLS:
            names = {name}
        else:
            raise _tls_error("unknown TLS protocol %s" % name)
        if not sign:
            wanted = set(names)
        elif sign == "+":
            wanted |= names
        else:
            wanted -= names
    if "SSLv3" in wanted:
        raise _tls_error("SSLv3 not supported")
    if not wanted:
        raise _tls_error("no TLS protocol enabled")
    versions = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1, "TLSv1.2": ssl.TLSVersion.TLSv1_2}
    chosen = sorted(versions[name] for name in wanted)
    return chosen[0], chosen[-1]


def _tls_error(message: str):
    from ..exception import exception_for
    return exception_for(-9, message)  # TLSError, as the official client raises for a bad tls config


def _tls_str(tls: dict, key: str) -> str | None:
    value = tls.get(key)
    return value if isinstance(value, str) and value else None  # the official client skips other types


def _tls_blacklist(path: str) -> frozenset:
    """`cert_blacklist`: one certificate a line, `SERIAL-HEX [issuer as /C=../CN=..]`."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line.split(None, 1) for line in f if line.strip() and not line.startswith("#")]
    except OSError:
        raise _tls_error("Failed to read certificate blacklist: %s" % path) from None
    return frozenset((parts[0].upper().lstrip("0") or "0", parts[1].strip() if len(parts) > 1 else None)
                     for parts in lines)


def _tls_context(tls: dict) -> TlsContext:
    """The client's TLS context from the `tls` config dict (keys of the official client: enable,
    cafile, capath, protocols, cipher_suite, cert_blacklist, keyfile, keyfile_pw, certfile,
    crl_check, crl_check_all, log_session_info, for_login_only). A bad setting raises TLSError."""
    context = TlsContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # the tls_name is checked as the official client does (Connection.open)
    context.verify_mode = ssl.CERT_REQUIRED
    with warnings.catch_warnings():  # TLSv1/TLSv1.1 are deprecated in Python, still accepted here
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version, context.maximum_version = _tls_protocols(_tls_str(tls, "protocols") or "")
    cafile, capath = _tls_str(tls, "cafile"), _tls_str(tls, "capath")
    if cafile or capath:
        try:
            context.load_verify_locations(cafile, capath)
        except (OSError, ssl.SSLError) as exc:
            raise _tls_error("Failed to load CAFile: %s" % exc) from None
    else:
        context.load_default_certs()
    certfile, keyfile = _tls_str(tls, "certfile"), _tls_str(tls, "keyfile")
    if certfile:
        if not os.path.exists(certfile):
            raise _tls_error("Failed to load certificate chain file %s: no such file" % certfile)
        try:
            context.load_cert_chain(certfile, keyfile, _tls_str(tls, "keyfile_pw"))
        except (OSError, ssl.SSLError) as exc:
            if keyfile:  # a certificate without its key is not offered, as by the official client
                raise _tls_error("Failed to load certificate %s / key %s: %s" % (certfile, keyfile, exc)) from None
    cipher_suite = _tls_str(tls, "cipher_suite")
    if cipher_suite:
        try:
            context.set_ciphers(cipher_suite)
        except ssl.SSLError:
            raise _tls_error("no compatible cipher found") from None
    if tls.get("crl_check") or tls.get("crl_check_all"):
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN if tls.get("crl_check_all") else ssl.VERIFY_CRL_CHECK_LEAF
    blacklist = _tls_str(tls, "cert_blacklist")
    if blacklist:
        context.blacklist = _tls_blacklist(blacklist)
    context.log_session_info = bool(tls.get("log_session_info"))
    return context


def _circuit_breaker(config: dict) -> tuple[int, int]:
    """`max_error_rate` (default 100) and `error_rate_window` (default 1 tend). As the official
    client: unless max_error_rate / error_rate_window is between 1 and 100, both fall back to the
    defaults with a warning."""
    rate, window = config.get("max_error_rate", 100), config.get("error_rate_window", 1)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (rate, window)):
        return 100, 1
    ratio = rate / window if window else 0.0
    if not 1.0 - 1e-6 <= ratio <= 100.0 + 1e-6:
        _log(LOG_WARN, "Invalid circuit breaker configuration: max_error_rate: %d, error_rate_window: %d, "
             "ratio: %.2f. The ratio (max_error_rate/error_rate_window) must be between 1 and 100. "
             "Resetting to defaults - max_error_rate: 100 and error_rate_window: 1" % (rate, window, ratio))
        return 100, 1
    return rate, window


def _tend_interval(value) -> int:
    """`tend_interval` in ms as the official client takes it: ints 0-249 are refused, values that
    are not (non-negative) ints are ignored."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return 1000
    if value < 250:
        from ..exception import exception_for
        raise exception_for(-1, "Invalid tend interval: %d. min value: 250" % value)
    return value


class ClusterError(Exception):
    """Seeding failed: no node could be validated."""


#: Clusters alive in this process, for the fork handler below.
_clusters: "weakref.WeakSet[Cluster]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for cluster in list(_clusters):
        cluster.after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Cluster:
    def __init__(self, config: ClusterConfig, authenticator=None):
        self.config = config
        self.authenticator = authenticator  # callable(conn, timeout) logging the socket in, or None
        self.nodes: dict[str, Node] = {}
        self.partition_map = PartitionMap()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rotation = 0
        self.tend_count = 0
        self.stats = ClusterStats()
        #: Set by enable_metrics: `.tended(cluster)` after each tend, `.node_closing(node)` before a
        #: node is dropped (both called from the tend thread, under `metrics_lock`).
        self.metrics_listener = None
        self.metrics_lock = threading.RLock()
        #: Set by the dynamic configuration: called with no argument after each tend.
        self.after_tend = None
        _clusters.add(self)

    def after_fork_in_child(self) -> None:
        """A forked child keeps using the client: it opens connections of its own (the pooled
        ones are the parent's), gets fresh locks (another thread may have held one at the fork)
        and a tend thread of its own (threads do not survive a fork). The parent is untouched."""
        self._lock = threading.RLock()
        if self.authenticator is not None and hasattr(self.authenticator, "_lock"):
            self.authenticator._lock = threading.Lock()
        for node in list(self.nodes.values()):
            node.forget_connections_after_fork()
        if self._thread is not None and not self._stop.is_set():
            self._thread = threading.Thread(target=self._run, name="aerospike-tend", daemon=True)
            self._thread.start()

    # -- connections ------------------------------------------------------------------------------

    def open_connection(self, host: tuple[str, int], tls_name: str | None, timeout: float | None) -> Connection:
        conn = Connection.open(host[0], host[1], timeout or self.config.connect_timeout,
                               self.config.tls_context, tls_name)
        if self.authenticator is not None:
            try:
                self.authenticator(conn, timeout or self.config.login_timeout)
            except BaseException:
                conn.close()
                raise
        return conn

    # -- seeding and tending ----------------------------------------------------------------------

    def connect(self, tend_thread: bool = True) -> None:
        """Find a seed that answers, tend once, then (`tend_thread`) tend from a thread."""
        errors = []
        refused = None  # the last seed's security error (login failed, not authenticated)
        for address, port, tls_name in self.config.seeds:
            try:
                node = self._validate((address, port), tls_name)
            except exception.AerospikeError as exc:
                refused = exc
                _log(LOG_WARN, "Failed to connect to seed %s %d. %s" % (address, port, exc.msg))
                continue
            except (ConnectionFailed, ClusterError, OSError, ValueError) as exc:
                errors.append("%s:%d %s" % (address, port, exc))
                _log(LOG_WARN, "Failed to connect to seed %s %d. %s" % (address, port, exc))
                continue
            with self._lock:
                self.nodes.setdefault(node.name, node)
            _log_added(node)
            break
        if not self.nodes:
            if refused is not None:  # as the official client: the code of the refusal
                raise exception.exception_for(refused.code, "Failed to connect")
            raise ClusterError("; ".join(errors) or "no seed hosts")
        self.tend()
        if tend_thread:
            self._thread = threading.Thread(target=self._run, name="aerospike-tend", daemon=True)
            self._thread.start()

    def _validate(self, host: tuple[str, int], tls_name: str | None) -> Node:
        timeout = self.config.connect_timeout
        conn = self.open_connection(host, tls_name, timeout)
        try:
            commands = ["node", "partition-generation", "build"]
            if self.config.cluster_name:
                commands.append("cluster-name")
            reply = info_on(conn, commands, timeout, time.monotonic() + timeout)
        finally:
            conn.close()
        for line, value in reply.items():
            # A request refused as a whole, e.g. "ERROR:80:not authenticated" from a node with
            # security on when the client has no credentials.
            code = line.split(":")[1] if line.startswith("ERROR:") and not value else ""
            if code.lstrip("-").isdigit():
                raise exception.exception_for(int(code), line)
        name = reply.get("node", "")
        if not name or name.startswith("ERROR"):
            raise ClusterError("invalid node info response: node")
        if self.config.cluster_name and reply.get("cluster-name") != self.config.cluster_name:
            raise ClusterError("expected cluster name %r, received %r"
                               % (self.config.cluster_name, reply.get("cluster-name")))
        build = reply.get("build", "")
        if _version(build) < (4, 9):
            raise ClusterError("server version %s < 4.9: this client requires server version >= 4.9" % build)
        node = Node(name, host, self, tls_name)
        node.build = build
        return node

    def _run(self) -> None:
        while not self._stop.wait(self.config.tend_interval):
            try:
                self.tend()
            except Exception:  # tending must never die
                log.exception("cluster tend failed")

    def tend(self) -> None:
        """One tend, in the official (C) client's order: ask every node for its generations; when a
        peers generation moved or a node failed, re-read the peers of every node that answered and
        drop the nodes no peer lists any more; add the new peers; then re-read the partition map of
        the nodes whose partition generation moved."""
        if not self.nodes:
            self._reseed()
            return
        gen_changed = False
        refresh_count = 0
        partitions_changed: set[str] = set()
        for node in list(self.nodes.values()):
            node.friends = 0
            try:
                reply = node.tend_info(["node", "peers-generation", "partition-generation"],
                                       self.config.connect_timeout)
            except (ConnectionFailed, OSError, ValueError) as exc:
                node.failures += 1
                gen_changed = True
                log.debug("tend of %s failed: %s", node, exc)
                continue
            if reply.get("node") != node.name:
                log.info("node %s changed identity to %s; dropping it", node.name, reply.get("node"))
                node.active = False
                node.failures += 1
                gen_changed = True
                continue
            refresh_count += 1
            if _int(reply.get("peers-generation")) != node.peers_generation:
                gen_changed = True
            if _int(reply.get("partition-generation")) != node.partition_generation or node.failures:
                partitions_changed.add(node.name)
            if node.failures:  # back after failures: read its peers and partitions again
                gen_changed = True
            node.failures = 0
        if gen_changed:
            refresh_count = 0
            added: list[Node] = []
            for node in list(self.nodes.values()):
                if node.failures == 0 and node.active:
                    if self._refresh_peers(node, added):
                        refresh_count += 1
                    else:
                        node.failures += 1
            for node in self._nodes_to_remove(refresh_count):
                log.info("removing node %s (failures %d, listed by %d peers)", node, node.failures, node.friends)
                self._remove(node)
            # New peers join only now, so the removal rule saw the pool as it was.
            with self._lock:
                for node in added:
                    self.nodes[node.name] = node
                    log.info("added node %s", node)
            for node in added:
                _log_added(node)
            for node in added:  # the new nodes' own peers, as the official client reads them
                more: list[Node] = []
                self._refresh_peers(node, more)
                with self._lock:
                    for extra in more:
                        self.nodes.setdefault(extra.name, extra)
                partitions_changed.add(node.name)
        for node in list(self.nodes.values()):
            if (node.name in partitions_changed or node.partition_generation == -1) and node.failures == 0 \
                    and node.active and (node.peers_count > 0 or refresh_count == 1):
                # The last condition keeps a node that believes it is alone (a split cluster) from
                # claiming every partition while other nodes are known.
                self._refresh_partitions(node)
        self.tend_count += 1
        if self.tend_count % self.config.error_rate_window == 0:
            for node in list(self.nodes.values()):
                node.reset_error_rate()
        with self.metrics_lock:
            if self.metrics_listener is not None:
                self.metrics_listener.tended(self)
        if self.after_tend is not None:
            self.after_tend()

    def _nodes_to_remove(self, refresh_count: int) -> list[Node]:
        """The official client's rule: inactive nodes; with no node answering, nodes that failed the
        last _MAX_TEND_FAILURES tends (the seeds are tried again once none is left); otherwise a node
        that no peer lists, at once when it failed, or when it holds no partition."""
        doomed = []
        nodes = list(self.nodes.values())
        for node in nodes:
            if not node.active:
                doomed.append(node)
            elif refresh_count == 0 and node.failures >= _MAX_TEND_FAILURES:
                doomed.append(node)
            elif len(nodes) > 1 and refresh_count >= 1 and node.friends == 0:
                if node.failures or not self.partition_map.has_node(node):
                    doomed.append(node)
        return doomed

    def _peers_command(self) -> str:
        kind = "tls" if self.config.tls_context is not None else "clear"
        return "peers-%s-%s" % (kind, "alt" if self.config.use_services_alternate else "std")

    def _refresh_peers(self, node: Node, added: list) -> bool:
        """Read `node`'s peers: count it as a friend of each known node it lists, validate the
        unknown ones and put them in `added` (the caller adds them to the pool). Its peers
        generation is kept only when every peer it lists was found, so a peer that could not be
        reached is tried again next tend."""
        command = self._peers_command()
        try:
            reply = node.tend_info([command], self.config.connect_timeout)
            generation, peers = parse_peers(reply.get(command, ""))
        except (ConnectionFailed, OSError, ValueError) as exc:
            log.debug("peers of %s failed: %s", node, exc)
            return False
        node.peers_count = len(peers)
        complete = True
        for peer in peers:
            known = self.nodes.get(peer.node_name) or next((n for n in added if n.name == peer.node_name), None)
            if known is not None:
                known.friends += 1
                continue
            if not self._add_peer(peer, added):
                complete = False
                self.stats.invalid_node_count += 1
        if complete:
            node.peers_generation = generation
        return True

    def _add_peer(self, peer, added: list) -> bool:
        for host in peer.hosts:
            try:
                new = self._validate(host, peer.tls_name or None)
            except (ConnectionFailed, ClusterError, OSError, ValueError, exception.AerospikeError) as exc:
                log.debug("peer %s at %s:%d not added: %s", peer.node_name, host[0], host[1], exc)
                continue
            if new.name != peer.node_name:
                log.debug("peer %s at %s:%d answers as %s", peer.node_name, host[0], host[1], new.name)
                continue
            new.friends = 1
            added.append(new)
            return True
        return False

    def _refresh_partitions(self, node: Node) -> None:
        try:
            reply = node.tend_info(["partition-generation", "replicas"], self.config.connect_timeout)
            parsed = parse_replicas(reply.get("replicas", ""))
        except (ConnectionFailed, OSError, ValueError) as exc:
            log.debug("partition map of %s failed: %s", node, exc)
            node.failures += 1
            return
        with self._lock:
            self.partition_map.update(node, parsed)
        node.partition_generation = _int(reply.get("partition-generation"))

    def _reseed(self) -> None:
        for address, port, tls_name in self.config.seeds:
            try:
                node = self._validate((address, port), tls_name)
            except (ConnectionFailed, ClusterError, OSError, ValueError):
                continue
            with self._lock:
                self.nodes[node.name] = node
            _log_added(node)
            self.tend()
            return

    def _remove(self, node: Node) -> None:
        with self.metrics_lock:
            if self.metrics_listener is not None:
                self.metrics_listener.node_closing(node)
        with self._lock:
            self.nodes.pop(node.name, None)
            self.partition_map.remove_node(node)
        node.close()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        with self._lock:
            nodes = list(self.nodes.values())
            self.nodes.clear()
        for node in nodes:
            node.close()

    # -- routing ----------------------------------------------------------------------------------

    def has_namespace(self, namespace: str) -> bool:
        return namespace in self.partition_map.namespaces

    def node_for(self, namespace: str, partition_id: int, is_write: bool, replica: int, attempt: int):
        """The node to send a single-record command to; None when the namespace is unknown."""
        table = self.partition_map.namespaces.get(namespace)
        if table is None:
            return None, False
        replicas = table.replicas
        if is_write or replica == REPLICA_MASTER or len(replicas) == 1:
            return replicas[0][partition_id], True
        if replica == REPLICA_RANDOM:
            candidates = [r[partition_id] for r in replicas if r[partition_id] is not None]
            return (random.choice(candidates) if candidates else None), True
        if replica == REPLICA_ANY:
            self._rotation += 1
            start = self._rotation
        else:  # SEQUENCE and PREFER_RACK (no rack ids from CE servers): master, then replicas in turn
            start = attempt
        for i in range(len(replicas)):
            node = replicas[(start + i) % len(replicas)][partition_id]
            if node is not None and node.active:
                return node, True
        return None, True

    def scan_owners(self, namespace: str, replica: int) -> list | None:
        """The node of every partition for a scan's first attempt (what `node_for(namespace, pid,
        False, replica, 0)` gives for each pid) when that is simply the master of each, all known
        and active; None otherwise (the caller asks `node_for` partition by partition)."""
        table = self.partition_map.namespaces.get(namespace)
        if table is None or replica in (REPLICA_RANDOM, REPLICA_ANY):
            return None
        owners = table.replicas[0]
        masters = table.masters
        if masters is None:
            masters = table.masters = (None,) if None in owners else tuple(set(owners))
        if None in masters or not all(node.active for node in masters):
            return None
        return owners

    def random_node(self) -> Node | None:
        nodes = [n for n in self.nodes.values() if n.active]
        return random.choice(nodes) if nodes else None


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -2


def _version(build: str) -> tuple[int, ...]:
    parts = []
    for piece in build.split(".")[:4]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts) or (0,)
