"""Seeding, tending and routing: the client's view of an Aerospike cluster."""

from __future__ import annotations

import logging
import os
import random
import ssl
import threading
import time
import warnings

from .. import exception
from .connection import Connection, ConnectionFailed, TlsContext
from .node import Node, info_on
from .partitions import PartitionMap
from .peers import parse_peers, parse_replicas

log = logging.getLogger("aerospike")
LOG_WARN = 1


def _log(level: int, message: str) -> None:
    from .._logging import log as client_log
    client_log(level, message, stacklevel=2)

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
        self.password: str | None = config.get("password")
        self.cluster_name: str | None = config.get("cluster_name")
        self.tend_interval = _tend_interval(config.get("tend_interval", 1000)) / 1000.0
        self.connect_timeout = config.get("connect_timeout", 1000) / 1000.0
        self.login_timeout = config.get("login_timeout_ms", 5000) / 1000.0
        self.max_conns_per_node = config.get("max_conns_per_node", 100)
        self.max_socket_idle = config.get("max_socket_idle", 55)
        self.use_services_alternate = bool(config.get("use_services_alternate", False))
        self.rack_aware = bool(config.get("rack_aware", False))
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

    def connect(self) -> None:
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
            break
        if not self.nodes:
            if refused is not None:  # as the official client: the code of the refusal
                raise exception.exception_for(refused.code, "Failed to connect")
            raise ClusterError("; ".join(errors) or "no seed hosts")
        self.tend()
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
        if not self.nodes:
            self._reseed()
            return
        peers_changed, partitions_changed = [], []
        refreshed = 0
        for node in list(self.nodes.values()):
            try:
                reply = node.tend_info(["node", "peers-generation", "partition-generation"],
                                       self.config.connect_timeout)
            except (ConnectionFailed, OSError, ValueError) as exc:
                node.failures += 1
                log.debug("tend of %s failed: %s", node, exc)
                continue
            if reply.get("node") != node.name:
                log.info("node %s changed identity to %s; dropping it", node.name, reply.get("node"))
                self._remove(node)
                continue
            node.failures = 0
            refreshed += 1
            peers_gen = _int(reply.get("peers-generation"))
            part_gen = _int(reply.get("partition-generation"))
            if peers_gen != node.peers_generation:
                peers_changed.append((node, peers_gen))
            if part_gen != node.partition_generation:
                partitions_changed.append(node)
        referenced: set[str] = set()
        for node, peers_gen in peers_changed:
            if self._refresh_peers(node, referenced):
                node.peers_generation = peers_gen
        # Nodes found through peers just now get their partitions in this same tend.
        partitions_changed += [n for n in self.nodes.values()
                               if n.partition_generation == -1 and n not in partitions_changed]
        for node in partitions_changed:
            self._refresh_partitions(node)
        # As the official client: when no node answered this tend, nodes that failed the last
        # _MAX_TEND_FAILURES tends are dropped (a lone node too: the seeds are tried again on the
        # next tend); otherwise a failing node goes once no peer lists it.
        for node in list(self.nodes.values()):
            if node.failures >= _MAX_TEND_FAILURES and (
                    refreshed == 0 or (node.name not in referenced and len(self.nodes) > 1)):
                log.info("removing node %s: %d tends failed", node, node.failures)
                self._remove(node)

    def _peers_command(self) -> str:
        kind = "tls" if self.config.tls_context is not None else "clear"
        return "peers-%s-%s" % (kind, "alt" if self.config.use_services_alternate else "std")

    def _refresh_peers(self, node: Node, referenced: set[str]) -> bool:
        command = self._peers_command()
        try:
            reply = node.tend_info([command], self.config.connect_timeout)
            _, peers = parse_peers(reply.get(command, ""))
        except (ConnectionFailed, OSError, ValueError) as exc:
            log.debug("peers of %s failed: %s", node, exc)
            return False
        for peer in peers:
            referenced.add(peer.node_name)
            if peer.node_name in self.nodes:
                continue
            for host in peer.hosts:
                try:
                    new = self._validate(host, peer.tls_name or None)
                except (ConnectionFailed, ClusterError, OSError, ValueError) as exc:
                    log.debug("peer %s at %s:%d not added: %s", peer.node_name, host[0], host[1], exc)
                    continue
                if new.name == peer.node_name:
                    with self._lock:
                        self.nodes[new.name] = new
                    log.info("added node %s", new)
                    new.peers_generation = -1
                    break
        return True

    def _refresh_partitions(self, node: Node) -> None:
        try:
            reply = node.tend_info(["partition-generation", "replicas"], self.config.connect_timeout)
            parsed = parse_replicas(reply.get("replicas", ""))
        except (ConnectionFailed, OSError, ValueError) as exc:
            log.debug("partition map of %s failed: %s", node, exc)
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
            self.tend()
            return

    def _remove(self, node: Node) -> None:
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
