"""Server configuration: the common subset of a real `aerospike.conf`.

The file is a tree of contexts (`name [arg] { ... }`) holding `setting value` lines. Settings this
server understands take effect; settings of real Aerospike that make no sense here (heartbeat,
fabric, logging targets, ...) are accepted and ignored; anything else is an error naming its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PORT = 3000
#: Real Aerospike's ceiling for a record TTL (namespace `max-ttl` default, 10 years).
DEFAULT_MAX_TTL = 10 * 365 * 24 * 3600


class ConfigError(ValueError):
    """An invalid configuration; the message names the file line."""


@dataclass
class SetConfig:
    name: str
    default_ttl: int | None = None
    stop_writes_count: int = 0
    default_read_touch_ttl_pct: int = 0  # 0: the namespace's


@dataclass
class NamespaceConfig:
    name: str
    replication_factor: int = 1
    default_ttl: int = 0
    max_ttl: int = DEFAULT_MAX_TTL
    nsup_period: int = 0
    allow_ttl_without_nsup: bool = False
    max_record_size: int = 1024 * 1024  # a real 8.1 node's default (1 MiB)
    storage: str = "memory"
    sets: dict[str, SetConfig] = field(default_factory=dict)
    storage_file: str | None = None  # the data file of a persistent namespace (`file`)
    filesize: int = 0  # device `filesize`: the data file's capacity
    data_size: int = 0  # memory `data-size` (Aerospike 7+)
    memory_size: int = 0  # namespace `memory-size` (before Aerospike 7)
    stop_writes_used_pct: int = 70  # of filesize / data-size
    stop_writes_pct: int = 90  # of memory-size (before Aerospike 7)
    cold_start_empty: bool = False
    default_read_touch_ttl_pct: int = 0  # a read within this % of the TTL's end refreshes it (0: off)
    background_query_max_rps: int = 10_000  # records per second a background job writes at most
    #: `strong-consistency true` (an Enterprise feature): the namespace serves transactions
    strong_consistency: bool = False
    #: `mrt-duration` / `transaction-duration`: seconds a transaction lives when the client sets none
    mrt_duration: int = 10

    def stop_writes_bytes(self) -> int:
        """Bytes of records past which writes fail with OUT_OF_SPACE (0: no limit)."""
        if self.filesize:
            return self.filesize * self.stop_writes_used_pct // 100
        if self.data_size:
            return self.data_size * self.stop_writes_used_pct // 100
        if self.memory_size:
            return self.memory_size * self.stop_writes_pct // 100
        return 0

    def capacity_bytes(self) -> int:
        """The configured size itself (filesize, data-size or memory-size)."""
        return self.filesize or self.data_size or self.memory_size


@dataclass
class SecurityConfig:
    """A `security { }` context: user/password login is required (as on Aerospike 7+ Enterprise)."""
    session_ttl: int = 86_400  # seconds a login's session token stays valid (real range 120..864000)
    enable_quotas: bool = False  # lets roles carry quotas (stored and reported, not enforced)


@dataclass
class ServerConfig:
    address: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    cluster_name: str = "spikelite"
    node_id: str | None = None
    proto_fd_idle_ms: int = 60_000
    proto_fd_max: int = 15_000
    namespaces: dict[str, NamespaceConfig] = field(default_factory=dict)
    tls: "TlsServiceConfig | None" = None  # TLS on the service port (see spikelite.tls)
    security: SecurityConfig | None = None  # None: admin messages answer SECURITY_NOT_ENABLED
    udf_user_path: str | None = None  # mod-lua user-path: UDF modules are kept there too
    # where clients are told to reach this node (service-clear-*, peers-clear-*): behind a port
    # mapping or a proxy these differ from the address and port it listens on
    access_addresses: list[str] = field(default_factory=list)
    access_port: int | None = None
    alternate_access_addresses: list[str] = field(default_factory=list)
    alternate_access_port: int | None = None


def default_config() -> ServerConfig:
    """What runs with no config file: namespace `test` in memory, records expiring by TTL."""
    return ServerConfig(namespaces={"test": NamespaceConfig("test", nsup_period=120)})


# --- parsing values ---------------------------------------------------------------------------

_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_BYTES = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def _number(text: str, units: dict[str, int], what: str) -> int:
    match = re.fullmatch(r"(\d+)([a-zA-Z]?)", text)
    if not match or match.group(2).lower() not in units:
        raise ValueError("%r is not a valid %s" % (text, what))
    return int(match.group(1)) * units[match.group(2).lower()]


def seconds(text: str) -> int:
    return _number(text, _SECONDS, "duration (number with optional s/m/h/d)")


def size(text: str) -> int:
    return _number(text, _BYTES, "size (number with optional K/M/G/T)")


def integer(text: str) -> int:
    return _number(text, {"": 1}, "integer")


def boolean(text: str) -> bool:
    if text.lower() in ("true", "yes"):
        return True
    if text.lower() in ("false", "no"):
        return False
    raise ValueError("%r is not true or false" % text)


# --- the tree ------------------------------------------------------------------------------------

@dataclass
class _Context:
    name: str
    arg: str | None
    line: int
    settings: list[tuple[str, list[str], int]] = field(default_factory=list)
    children: list["_Context"] = field(default_factory=list)


def _parse_tree(text: str, source: str) -> _Context:
    root = _Context("<root>", None, 0)
    stack = [root]
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        tokens = line.split()
        while tokens:
            if tokens[0] == "}":
                if len(stack) == 1:
                    raise ConfigError("%s:%d: unmatched '}'" % (source, lineno))
                stack.pop()
                tokens = tokens[1:]
                continue
            if "{" in tokens:
                i = tokens.index("{")
                head, tokens = tokens[:i], tokens[i + 1:]
                if not head or len(head) > 2:
                    raise ConfigError("%s:%d: expected 'context [name] {'" % (source, lineno))
                ctx = _Context(head[0], head[1] if len(head) == 2 else None, lineno)
                stack[-1].children.append(ctx)
                stack.append(ctx)
                continue
            if "}" in tokens:
                i = tokens.index("}")
                head, tokens = tokens[:i], tokens[i:]
            else:
                head, tokens = tokens, []
            stack[-1].settings.append((head[0], head[1:], lineno))
    if len(stack) != 1:
        raise ConfigError("%s:%d: context '%s' is never closed" % (source, stack[-1].line, stack[-1].name))
    return root


# --- contexts ------------------------------------------------------------------------------------

# Real aerospike.conf settings accepted and ignored (nothing here depends on them).
_IGNORED_SERVICE = {"proto-fd-idle-ms", "user", "group", "pidfile", "paxos-single-replica-limit",
                    "service-threads", "transaction-queues", "transaction-threads-per-queue",
                    "batch-index-threads", "batch-max-requests", "migrate-threads", "node-id-interface",
                    "run-as-daemon", "work-directory", "feature-key-file", "info-threads",
                    "query-threads-limit", "proto-slow-log", "enable-health-check"}
_IGNORED_NAMESPACE = {"high-water-memory-pct", "high-water-disk-pct", "stop-writes-sys-memory-pct", "evict-tenths-pct", "nsup-threads",
                      "index-type", "sindex-type", "conflict-resolution-policy",
                      "single-bin", "data-in-index", "partition-tree-sprigs", "rack-id",
                      "write-commit-level-override", "read-consistency-level-override",
                      "transaction-pending-limit", "enable-xdr",
                      "evict-hist-buckets", "migrate-order", "disable-write-dup-res",
                      "single-query-threads", "indexes-memory-budget"}
_IGNORED_CONTEXTS = {"logging", "heartbeat", "fabric", "info", "xdr", "mod-lua",
                     "tls", "geo2dsphere-within", "index-type", "sindex-type"}


def _apply(target, ctx: _Context, handlers: dict, ignored: set[str], source: str) -> None:
    for name, values, lineno in ctx.settings:
        if name in handlers:
            if len(values) != 1:
                raise ConfigError("%s:%d: '%s' takes one value" % (source, lineno, name))
            attr, convert = handlers[name]
            try:
                setattr(target, attr, convert(values[0]))
            except ValueError as exc:
                raise ConfigError("%s:%d: %s: %s" % (source, lineno, name, exc)) from None
        elif name not in ignored:
            raise ConfigError("%s:%d: unknown setting '%s' in context '%s'" % (source, lineno, name, ctx.name))


# Settings of a real `storage-engine device|memory { }` context that change nothing here (SQLite
# does its own caching, writing and compaction).
_IGNORED_STORAGE = {"write-block-size", "flush-size", "flush-max-ms", "post-write-queue", "post-write-cache",
                    "max-write-cache", "defrag-lwm-pct", "defrag-queue-min", "defrag-sleep",
                    "defrag-startup-minimum", "commit-to-device", "commit-min-size", "compression",
                    "compression-level", "compression-acceleration", "direct-files", "disable-odsync",
                    "read-page-cache", "data-in-memory", "enable-benchmarks-storage-engine",
                    "serialize-tomb-raider", "tomb-raider-sleep", "sindex-startup-device-scan",
                    "scheduler-mode", "cache-replica-writes", "min-avail-pct", "stop-writes-avail-pct",
                    "evict-used-pct", "max-used-pct", "encryption", "encryption-key-file",
                    "encryption-old-key-file"}


def _pct(text: str) -> int:
    value = integer(text)
    if not 0 < value <= 100:
        raise ValueError("must be a percentage from 1 to 100")
    return value


def _rps(text: str) -> int:
    value = integer(text)
    if not 1 <= value <= 1_000_000:
        raise ValueError("must be from 1 to 1000000")
    return value


def _pct_or_zero(text: str) -> int:
    value = integer(text)
    if value > 100:
        raise ValueError("must be a percentage from 0 to 100")
    return value


def _storage_engine(ns: NamespaceConfig, lineno: int, values: list[str], source: str,
                    ctx: _Context | None = None) -> None:
    """`storage-engine memory`, or a context `storage-engine device|memory { file ... }`."""
    kind = values[0] if len(values) == 1 else " ".join(values)
    if kind not in ("memory", "device"):
        raise ConfigError("%s:%d: storage-engine %s is not supported (use memory or device)"
                          % (source, lineno, kind))
    ns.storage = kind
    if ctx is None:
        if kind == "device":
            raise ConfigError("%s:%d: storage-engine device needs a context with a file" % (source, lineno))
        return
    if ctx.children:
        raise ConfigError("%s:%d: unknown context '%s' in storage-engine" % (source, ctx.children[0].line,
                                                                            ctx.children[0].name))
    handlers = {"filesize": ("filesize", size), "stop-writes-used-pct": ("stop_writes_used_pct", _pct),
                "cold-start-empty": ("cold_start_empty", boolean)}
    if kind == "memory":
        handlers["data-size"] = ("data_size", size)
    settings = []
    for name, args, line in ctx.settings:
        if name == "file":
            if len(args) != 1:
                raise ConfigError("%s:%d: 'file' takes one path" % (source, line))
            if ns.storage_file is not None:
                raise ConfigError("%s:%d: spikelite keeps a namespace in one file; a second 'file' is not "
                                  "supported" % (source, line))
            ns.storage_file = args[0]
        elif name == "device":
            raise ConfigError("%s:%d: raw devices are not supported; use 'file /path/to/%s.dat'"
                              % (source, line, ns.name))
        else:
            settings.append((name, args, line))
    _apply(ns, _Context(ctx.name, ctx.arg, ctx.line, settings), handlers, _IGNORED_STORAGE, source)
    if kind == "device":
        if ns.storage_file is None:
            raise ConfigError("%s:%d: storage-engine device needs a 'file'" % (source, lineno))
        if not ns.filesize:
            raise ConfigError("%s:%d: storage-engine device needs a 'filesize'" % (source, lineno))
    elif ns.storage_file is not None and not ns.filesize:
        raise ConfigError("%s:%d: a storage-engine memory 'file' needs a 'filesize'" % (source, lineno))


def _namespace(ctx: _Context, source: str) -> NamespaceConfig:
    if not ctx.arg:
        raise ConfigError("%s:%d: namespace needs a name" % (source, ctx.line))
    if len(ctx.arg.encode()) > 31:
        raise ConfigError("%s:%d: namespace name longer than 31 bytes" % (source, ctx.line))
    ns = NamespaceConfig(ctx.arg)
    handlers = {"replication-factor": ("replication_factor", integer),
                "default-ttl": ("default_ttl", seconds),
                "max-ttl": ("max_ttl", seconds),
                "nsup-period": ("nsup_period", seconds),
                "allow-ttl-without-nsup": ("allow_ttl_without_nsup", boolean),
                "max-record-size": ("max_record_size", size),
                "memory-size": ("memory_size", size),
                "stop-writes-pct": ("stop_writes_pct", _pct),
                "default-read-touch-ttl-pct": ("default_read_touch_ttl_pct", _pct_or_zero),
                "background-query-max-rps": ("background_query_max_rps", _rps),
                "strong-consistency": ("strong_consistency", boolean),
                "mrt-duration": ("mrt_duration", seconds),
                "transaction-duration": ("mrt_duration", seconds)}
    settings = [s for s in ctx.settings if s[0] != "storage-engine"]
    for name, values, lineno in ctx.settings:
        if name == "storage-engine":
            _storage_engine(ns, lineno, values, source)
    _apply(ns, _Context(ctx.name, ctx.arg, ctx.line, settings), handlers, _IGNORED_NAMESPACE, source)
    for child in ctx.children:
        if child.name == "set":
            if not child.arg:
                raise ConfigError("%s:%d: set needs a name" % (source, child.line))
            set_config = SetConfig(child.arg)
            _apply(set_config, child, {"default-ttl": ("default_ttl", seconds),
                                       "stop-writes-count": ("stop_writes_count", integer),
                                       "default-read-touch-ttl-pct": ("default_read_touch_ttl_pct",
                                                                      _pct_or_zero)},
                   {"disable-eviction", "enable-index", "stop-writes-size"}, source)
            ns.sets[child.arg] = set_config
        elif child.name == "storage-engine":
            _storage_engine(ns, child.line, [child.arg or ""], source, child)
        else:
            raise ConfigError("%s:%d: unknown context '%s' in namespace" % (source, child.line, child.name))
    if ns.default_ttl > ns.max_ttl:
        raise ConfigError("%s:%d: default-ttl exceeds max-ttl" % (source, ctx.line))
    if not 1 <= ns.mrt_duration <= 120:
        raise ConfigError("%s:%d: mrt-duration must be 1 to 120 seconds" % (source, ctx.line))
    return ns


# Real `security` settings with no effect here (privileges are enforced; nothing is logged).
_IGNORED_SECURITY = {"privilege-refresh-period", "tps-weight", "default-password-file",
                     "enable-ldap", "ldap-login-threads", "report-authentication", "report-data-op",
                     "report-sys-admin", "report-user-admin", "report-violation", "syslog-local"}
_IGNORED_SECURITY_LOG = {"report-authentication", "report-data-op", "report-data-op-role",
                         "report-data-op-user", "report-sys-admin", "report-user-admin",
                         "report-violation"}


def _session_ttl(text: str) -> int:
    value = seconds(text)
    if not 120 <= value <= 864_000:
        raise ValueError("must be between 120 and 864000 seconds")
    return value


def _security(ctx: _Context, source: str) -> SecurityConfig | None:
    """`security { }` turns security on; `enable-security false` (pre-5.7 files) leaves it off."""
    security = SecurityConfig()
    enabled = True
    settings = []
    for name, values, lineno in ctx.settings:
        if name == "enable-security":
            if len(values) != 1:
                raise ConfigError("%s:%d: 'enable-security' takes one value" % (source, lineno))
            try:
                enabled = boolean(values[0])
            except ValueError as exc:
                raise ConfigError("%s:%d: enable-security: %s" % (source, lineno, exc)) from None
        else:
            settings.append((name, values, lineno))
    _apply(security, _Context(ctx.name, ctx.arg, ctx.line, settings),
           {"session-ttl": ("session_ttl", _session_ttl), "enable-quotas": ("enable_quotas", boolean)},
           _IGNORED_SECURITY, source)
    for child in ctx.children:
        if child.name == "log":
            _apply(security, child, {}, _IGNORED_SECURITY_LOG, source)
            if child.children:
                raise ConfigError("%s:%d: unknown context '%s' in log"
                                  % (source, child.children[0].line, child.children[0].name))
        elif child.name not in ("ldap", "syslog"):  # external login is not supported; accepted
            raise ConfigError("%s:%d: unknown context '%s' in security" % (source, child.line, child.name))
    return security if enabled else None


_ACCESS_SETTINGS = {"access-address", "access-port", "alternate-access-address", "alternate-access-port"}


def _access_settings(config: ServerConfig, settings: list, source: str) -> None:
    """`access-address` (repeatable), `access-port` and the alternate ones of `network.service`."""
    for name, values, lineno in settings:
        if name not in _ACCESS_SETTINGS:
            continue
        if len(values) != 1:
            raise ConfigError("%s:%d: '%s' takes one value" % (source, lineno, name))
        if name.endswith("-address"):
            target = config.access_addresses if name == "access-address" else config.alternate_access_addresses
            target.append(values[0])
            continue
        try:
            port = integer(values[0])
            if not 1 <= port <= 65535:
                raise ValueError("must be a port from 1 to 65535")
        except ValueError as exc:
            raise ConfigError("%s:%d: %s: %s" % (source, lineno, name, exc)) from None
        setattr(config, name.replace("-", "_"), port)


def parse_config(text: str, source: str = "<config>") -> ServerConfig:
    root = _parse_tree(text, source)
    if root.settings:
        name, _, lineno = root.settings[0]
        raise ConfigError("%s:%d: setting '%s' outside any context" % (source, lineno, name))
    config = ServerConfig()
    for ctx in root.children:
        if ctx.name == "service":
            _apply(config, ctx, {"cluster-name": ("cluster_name", str),
                                 "node-id": ("node_id", str),
                                 "proto-fd-max": ("proto_fd_max", integer),
                                 "proto-fd-idle-ms": ("proto_fd_idle_ms", integer)},
                   _IGNORED_SERVICE, source)
        elif ctx.name == "network":
            from .tls import SERVICE_SETTINGS as tls_settings, parse_service_tls
            for child in ctx.children:
                if child.name == "service":
                    plain = [s for s in child.settings if s[0] not in tls_settings]
                    _access_settings(config, plain, source)
                    plain = [s for s in plain if s[0] not in _ACCESS_SETTINGS]
                    _apply(config, _Context(child.name, child.arg, child.line, plain),
                           {"address": ("address", str), "port": ("port", integer)}, set(), source)
                    config.tls = parse_service_tls([c for c in ctx.children if c.name == "tls"],
                                                   [s for s in child.settings if s[0] in tls_settings],
                                                   child.line, source)
                elif child.name not in _IGNORED_CONTEXTS:
                    raise ConfigError("%s:%d: unknown context '%s' in network" % (source, child.line, child.name))
            if ctx.settings:
                name, _, lineno = ctx.settings[0]
                raise ConfigError("%s:%d: unknown setting '%s' in context 'network'" % (source, lineno, name))
        elif ctx.name == "namespace":
            ns = _namespace(ctx, source)
            if ns.name in config.namespaces:
                raise ConfigError("%s:%d: namespace '%s' defined twice" % (source, ctx.line, ns.name))
            config.namespaces[ns.name] = ns
        elif ctx.name == "security":
            config.security = _security(ctx, source)
        elif ctx.name == "mod-lua":
            _apply(config, ctx, {"user-path": ("udf_user_path", str)},
                   {"system-path", "cache-enabled"}, source)
        elif ctx.name not in _IGNORED_CONTEXTS:
            raise ConfigError("%s:%d: unknown context '%s'" % (source, ctx.line, ctx.name))
    if config.address in ("any", "0.0.0.0"):
        config.address = "0.0.0.0"
    if not config.namespaces:
        raise ConfigError("%s: no namespace is configured" % source)
    if config.udf_user_path is None:
        # A persistent server keeps its UDF modules too (a real node always writes them to its
        # user-path): beside the first data file, in `udf/`, unless mod-lua names a user-path.
        data_files = [ns.storage_file for ns in config.namespaces.values() if ns.storage_file]
        if data_files:
            config.udf_user_path = str(Path(data_files[0]).resolve().parent / "udf")
    return config


def load_config(path: str | Path) -> ServerConfig:
    path = Path(path)
    return parse_config(path.read_text(), str(path))
