"""The argument checks `_arguments.CHECKS` names by a string, in one table for both faces (the
sync `Client` bound in `aerospike/__init__.py` and the asyncio one in `aerospike/aio`)."""

from __future__ import annotations

from ._admin import check_admin_policy, check_privileges
from ._batch import check_keys
from ._keys import check_key
from ._policies import check_batch_policy, check_operate_policy

NAMED_CHECKS = {
    "key": check_key,
    "batch keys": check_keys,
    "batch policy": check_batch_policy,
    "admin policy": check_admin_policy,
    "admin privileges": check_privileges,
    "policy:operate": check_operate_policy,
}
