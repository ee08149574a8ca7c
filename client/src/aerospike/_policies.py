"""Policy defaults (as `Client.get_policies()` reports them) and per-call merging/validation."""

from __future__ import annotations

import copy

from ._errors import client_error, param_error

_C_LONG_MIN, _C_LONG_MAX = -(1 << 63), (1 << 63) - 1

_BASE = {"total_timeout": 1000, "connect_timeout": 0, "socket_timeout": 30000, "timeout_delay": 3000,
         "max_retries": 0, "sleep_between_retries": 0, "compress": False, "error_detail_verbosity": 0}
#: The fields every policy kind has (converted first by the official client).
BASE_FIELDS = frozenset(_BASE)
_READ_MODES = {"read_mode_ap": 0, "read_mode_sc": 0, "read_touch_ttl_percent": 0}
_BATCH = dict(_BASE, max_retries=2, concurrent=False, allow_inline=True, deserialize=True, replica=2,
              **_READ_MODES)

DEFAULT_POLICIES: dict[str, dict] = {
    "read": dict(_BASE, max_retries=2, key=0, replica=2, deserialize=True, **_READ_MODES),
    "write": dict(_BASE, key=0, replica=2, commit_level=0, gen=0, exists=0, ttl=0,
                  compression_threshold=0, durable_delete=False),
    "apply": dict(_BASE, key=0, replica=2, ttl=0, commit_level=0, durable_delete=False),
    "remove": dict(_BASE, key=0, replica=2, commit_level=0, gen=0, durable_delete=False),
    "query": dict(_BASE, total_timeout=0, max_retries=5, deserialize=True, replica=2, expected_duration=0),
    "scan": dict(_BASE, total_timeout=0, max_retries=5, durable_delete=False, ttl=0, replica=2),
    "operate": dict(_BASE, key=0, replica=2, commit_level=0, ttl=0, gen=0, durable_delete=False,
                    deserialize=True, **_READ_MODES),
    "info": {"timeout": 1000},
    "admin": {"timeout": 1000},
    "batch_apply": {"commit_level": 0, "durable_delete": False, "key": 0, "ttl": 0},
    "batch_remove": {"commit_level": 0, "durable_delete": False, "gen": 0, "generation": 0, "key": 0},
    "batch_write": {"commit_level": 0, "durable_delete": False, "exists": 0, "ttl": 0, "gen": 0, "key": 0},
    "batch": _BATCH,
    "batch_parent_write": dict(_BATCH, max_retries=0),
    "txn_verify": dict(_BATCH, total_timeout=10000, socket_timeout=3000, max_retries=5,
                       sleep_between_retries=1000, read_mode_sc=1, replica=0),
    "txn_roll": dict(_BATCH, total_timeout=10000, socket_timeout=3000, max_retries=5,
                     sleep_between_retries=1000, replica=0),
}

#: Old-style keys of the config's `policies` dict that apply to every kind of policy.
_GLOBAL_KEYS = ("total_timeout", "max_retries", "key", "exists", "gen", "commit_level", "replica",
                "durable_delete")
_BOOL_KEYS = {"compress", "durable_delete", "deserialize", "concurrent", "allow_inline"}
#: Batch flags purespike does not use (so not among the defaults get_policies shows) that the
#: official client still reads as C ints, after the policy's other fields.
_BATCH_ONLY_FLAGS = ("allow_inline_ssd", "respond_all_keys")


def client_policies(config_policies: dict | None) -> dict[str, dict]:
    """The client's defaults: official defaults overlaid with the config's `policies`."""
    policies = copy.deepcopy(DEFAULT_POLICIES)
    if not config_policies:
        return policies
    if not isinstance(config_policies, dict):
        raise param_error("policies must be a dict")
    for name, value in config_policies.items():
        if name in policies and isinstance(value, dict):
            policies[name].update(value)
        elif name in _GLOBAL_KEYS:
            for kind in policies.values():
                if name in kind:
                    kind[name] = value
    return policies


class PolicyDefaults(dict):
    """A kind's client defaults that carry `overrides`: the dynamic configuration file's fields,
    which beat a call's own policy too (as in the official client)."""

    __slots__ = ("overrides",)

    def __init__(self, values: dict, overrides: dict) -> None:
        super().__init__(values)
        self.update(overrides)
        self.overrides = overrides


def with_overrides(policies: dict[str, dict], overrides: dict[str, dict]) -> dict[str, dict]:
    """`policies` (the client's own) with the file's `overrides` (kind -> fields) laid over them."""
    return {kind: PolicyDefaults(values, overrides.get(kind, {})) for kind, values in policies.items()}


def merge(defaults: dict, policy) -> dict:
    """A call's effective policy: the client default for its kind, overridden by `policy` (and that
    by the dynamic configuration file's fields)."""
    if policy is None:
        return defaults
    if not isinstance(policy, dict):
        raise param_error("policy must be a dict")
    if not policy:
        return defaults
    merged = dict(defaults)
    for name, value in policy.items():
        if name in defaults and isinstance(value, int) and not _C_LONG_MIN <= value <= _C_LONG_MAX:
            raise client_error("Unable to fetch long value from policy field")  # PyLong_AsLong fails
        if name in _BOOL_KEYS:
            if not isinstance(value, int):  # read as a C int by the official client: any int, bool too
                if name in defaults:
                    raise param_error("%s is invalid" % name)
                merged[name] = value
                continue
            merged[name] = bool(value)
        elif name in ("expressions", "filter_expression"):
            merged[name] = value
        elif isinstance(value, bool) or not isinstance(value, int):
            if name in defaults:
                raise param_error("%s is invalid" % name)
            merged[name] = value
        else:
            merged[name] = value
    if "allow_inline" in defaults:  # a batch policy
        for name in _BATCH_ONLY_FLAGS:
            if name in policy and not isinstance(policy[name], int):
                raise param_error("%s is invalid" % name)
    overrides = getattr(defaults, "overrides", None)
    if overrides:
        merged.update(overrides)
    return merged


def check_batch_policy(policy) -> None:
    """Refuse a batch parent policy as merging it would (checked first by batch_write, as the
    official client converts it before anything else)."""
    merge(DEFAULT_POLICIES["batch_parent_write"], policy)


def check_operate_policy(policy) -> None:
    """Refuse an operate policy as merging it would (the single-record write calls convert their
    policy before their meta and bins, as the official client)."""
    merge(DEFAULT_POLICIES["operate"], policy)
