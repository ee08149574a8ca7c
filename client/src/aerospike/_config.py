"""Checks of the client config dict, in the official client's order and words.

`check_config(config)` raises what the official constructor raises for: a `validate_keys`
that is not a bool; with validate_keys, unknown keys in the config, its lua/shm/tls/policies
dicts and each sub-policy; a lua user_path longer than 255 bytes; a sub-policy that is not a dict or
holds a value of the wrong type for one of its keys; a negative compression_threshold; a
non-str app_id; rack_aware/rack_id of the wrong type. Anything else is read as before
(ignored where the official client ignores it).
"""

from __future__ import annotations

from ._errors import param_error

_BASE = ("total_timeout", "socket_timeout", "max_retries", "sleep_between_retries", "compress", "txn",
         "expressions", "connect_timeout", "timeout_delay")
_WRITE = ("key", "gen", "exists", "commit_level", "durable_delete", "replica", "compression_threshold",
          "on_locking_only", "ttl")
_SCAN = ("durable_delete", "records_per_second", "max_records", "replica", "ttl", "partition_filter")

CONFIG_KEYS = frozenset((
    "lua", "config_provider", "tls", "hosts", "shm", "serialization", "policies", "thread_pool_size",
    "max_threads", "min_conns_per_node", "max_conns_per_node", "max_error_rate", "error_rate_window",
    "connect_timeout", "use_shared_connection", "send_bool_as", "compression_threshold", "tend_interval",
    "cluster_name", "strict_types", "rack_aware", "rack_id", "rack_ids", "use_services_alternate",
    "max_socket_idle", "fail_if_not_connected", "user", "password", "validate_keys", "app_id",
    "force_single_node"))
_SUB_KEYS = {
    "lua": frozenset(("system_path", "user_path")),
    "shm": frozenset(("shm_max_nodes", "max_nodes", "shm_max_namespaces", "max_namespaces",
                      "shm_takeover_threshold_sec", "takeover_threshold_sec", "shm_key")),
    "tls": frozenset(("enable", "cafile", "capath", "protocols", "cipher_suite", "keyfile", "keyfile_pw",
                      "cert_blacklist", "certfile", "crl_check", "crl_check_all", "log_session_info",
                      "for_login_only")),
    "policies": frozenset(("read", "write", "apply", "operate", "remove", "query", "scan", "batch",
                           "batch_remove", "batch_apply", "batch_write", "batch_parent_write", "info", "admin",
                           "txn_verify", "txn_roll", "total_timeout", "auth_mode", "login_timeout_ms", "key",
                           "exists", "max_retries", "replica", "commit_level", "metrics")),
}
#: The keys each sub-policy may hold (checked with validate_keys, and the ones whose types are checked).
POLICY_KEYS = {
    "read": _BASE + ("key", "replica", "deserialize", "read_touch_ttl_percent", "read_mode_ap", "read_mode_sc"),
    "write": _BASE + _WRITE,
    "apply": _BASE + ("key", "replica", "commit_level", "durable_delete", "ttl", "on_locking_only"),
    "operate": _BASE + ("key", "gen", "commit_level", "replica", "durable_delete", "deserialize", "exists",
                        "read_touch_ttl_percent", "on_locking_only", "read_mode_ap", "read_mode_sc", "ttl"),
    "remove": _BASE + ("generation", "key", "gen", "commit_level", "replica", "durable_delete"),
    "query": _BASE + ("deserialize", "replica", "short_query", "expected_duration", "partition_filter"),
    "scan": _BASE + _SCAN,
    "batch": _BASE + ("concurrent", "allow_inline", "deserialize", "replica", "read_touch_ttl_percent",
                      "read_mode_ap", "read_mode_sc", "allow_inline_ssd", "respond_all_keys"),
    "batch_parent_write": _BASE + ("concurrent", "allow_inline", "deserialize", "replica",
                                   "read_touch_ttl_percent", "read_mode_ap", "read_mode_sc", "allow_inline_ssd",
                                   "respond_all_keys"),
    "batch_write": ("key", "gen", "commit_level", "durable_delete", "exists", "on_locking_only", "expressions", "ttl"),
    "batch_apply": ("key", "commit_level", "ttl", "durable_delete", "on_locking_only", "expressions"),
    "batch_remove": ("key", "commit_level", "gen", "durable_delete", "generation", "expressions"),
    "info": ("timeout", "send_as_is", "check_bounds"),
    "admin": ("timeout",),
}
_UINT32_KEYS = frozenset(("total_timeout", "socket_timeout", "max_retries", "sleep_between_retries",
                          "connect_timeout", "timeout_delay", "key", "gen", "exists", "commit_level", "replica",
                          "read_mode_ap", "read_mode_sc", "timeout", "ttl", "records_per_second",
                          "expected_duration", "generation"))
_BOOL_KEYS = frozenset(("compress", "deserialize", "durable_delete", "concurrent", "allow_inline",
                        "allow_inline_ssd", "respond_all_keys", "on_locking_only", "short_query"))
_PATH_MAX = 255
_BAD_POLICY = "Invalid Policy setting value"


def _unknown_keys(d: dict, valid, what: str) -> None:
    for key in d:
        if key not in valid:
            raise param_error('"%s" is an invalid %s dictionary key' % (key, what))


def check_config(config: dict) -> None:
    validate = config.get("validate_keys", False)
    if "validate_keys" in config and not isinstance(validate, bool):
        raise param_error('config["validate_keys"] must be a boolean')
    if validate:
        _unknown_keys(config, CONFIG_KEYS, "client config")
    lua = config.get("lua")
    if isinstance(lua, dict):
        if validate:
            _unknown_keys(lua, _SUB_KEYS["lua"], "client config")
        path = lua.get("user_path")  # (the system path is not checked)
        if isinstance(path, str) and len(path.encode("utf-8", "surrogateescape")) > _PATH_MAX:
            raise param_error("Lua user path too long")


def check_config_after_hosts(config: dict) -> None:
    """The checks the official constructor makes after the hosts and serializers."""
    validate = config.get("validate_keys") is True
    for name in ("shm", "tls"):
        if validate and isinstance(config.get(name), dict):
            _unknown_keys(config[name], _SUB_KEYS[name], "client config")
    policies = config.get("policies")
    if isinstance(policies, dict):
        if validate:
            _unknown_keys(policies, _SUB_KEYS["policies"], "client config")
        for kind, keys in POLICY_KEYS.items():
            if kind in policies:
                _check_policy(policies[kind], keys, validate)
    threshold = config.get("compression_threshold")
    if isinstance(threshold, int) and threshold < 0:
        raise param_error("Compression value must not be negative")
    app_id = config.get("app_id")
    if app_id is not None and not isinstance(app_id, str):
        raise TypeError("%s is not a Python unicode object" % (app_id,))
    if "rack_aware" in config and not isinstance(config["rack_aware"], bool):
        raise param_error(_BAD_POLICY)
    if "rack_id" in config and not isinstance(config["rack_id"], int):
        raise param_error(_BAD_POLICY)


def _check_policy(policy, keys, validate: bool) -> None:
    if policy is None:
        return
    if not isinstance(policy, dict):
        raise param_error(_BAD_POLICY)
    if validate:
        _unknown_keys(policy, keys, "policy")
    for key in keys:
        if key not in policy:
            continue
        value = policy[key]
        if key in _UINT32_KEYS and not (isinstance(value, int) and 0 <= value <= 0xFFFFFFFF):
            raise param_error(_BAD_POLICY)
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise param_error(_BAD_POLICY)
