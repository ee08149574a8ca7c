"""The argument checks `_arguments.CHECKS` names by a string, in one table for both faces (the
sync `Client` bound in `aerospike/__init__.py` and the asyncio one in `aerospike/aio`)."""

from __future__ import annotations

from ._admin import check_admin_policy, check_create_role_call, check_privileges_call
from ._batch import check_keys_only
from ._expressions import check_expression
from ._keys import check_key
from ._query import scan_policy_numbers
from ._policies import BASE_FIELDS, DEFAULT_POLICIES, check_batch_policy, check_operate_policy, merge
from ._transaction_commands import policy_transaction


def _stream_policy(kind: str):
    """The check of a scan's/query's policy of `kind`, converted first by the official methods:
    its values, then its txn, then its expressions (even None is refused when the key is there)."""

    def check(policy) -> None:
        if kind == "scan" and isinstance(policy, dict):  # the official field order
            merge(DEFAULT_POLICIES[kind], {k: v for k, v in policy.items() if k in BASE_FIELDS})
            scan_policy_numbers(policy)
        merge(DEFAULT_POLICIES[kind], policy)
        policy_transaction(policy)
        if isinstance(policy, dict) and "expressions" in policy:
            check_expression(policy["expressions"])

    return check


def _batch_policy(policy) -> None:
    """batch_write's policy, converted first by the official method: its values, then its
    expressions (even None is refused when the key is there)."""
    check_batch_policy(policy)
    if isinstance(policy, dict) and "expressions" in policy:
        check_expression(policy["expressions"])


def _expression_or_none(value) -> None:
    if value is not None:  # None clears a filter
        check_expression(value)


NAMED_CHECKS = {
    "key": check_key,
    "batch keys": check_keys_only,
    "batch policy": _batch_policy,
    "admin policy": check_admin_policy,
    "admin privileges call": check_privileges_call,
    "admin create_role call": check_create_role_call,
    "policy:operate": check_operate_policy,
    "policy:query": _stream_policy("query"),
    "policy:scan": _stream_policy("scan"),
    "policy:write": _stream_policy("write"),
    "expression or None": _expression_or_none,
}
