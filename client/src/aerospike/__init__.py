"""purespike: a pure-Python implementation of the `aerospike` client module.

Same names, constants, exceptions and return shapes as the official C-extension client.
"""

from . import exception, predicates
from ._constants import *  # noqa: F401,F403  (every module-level constant of the official client)
from ._types import CDTInfinite, CDTWildcard, GeoJSON, KeyOrderedDict, null, geodata, geojson
from ._logging import set_log_handler, set_log_level
from ._keys import calc_digest, check_key as _check_key, get_partition_id
from ._serializers import set_deserializer, set_serializer, unset_serializers
from ._client import Client, client
from ._query import Query, Scan
from ._config_provider import ConfigProvider
from ._transaction import Transaction
from ._admin import check_admin_policy as _check_admin_policy, check_privileges as _check_privileges
from ._batch import check_keys as _check_batch_keys
from ._policies import check_batch_policy as _check_batch_policy, check_operate_policy as _check_operate_policy
from ._arguments import SIGNATURES as _SIGNATURES, bind_constructor as _bind_constructor
from ._arguments import bind_functions as _bind_functions, bind_methods as _bind_methods

# Every official callable binds its arguments like the C extension (see _arguments.py).
_bind_methods(Client, "Client", {"key": _check_key, "batch keys": _check_batch_keys,
                                 "batch policy": _check_batch_policy, "admin policy": _check_admin_policy,
                                 "admin privileges": _check_privileges, "policy:operate": _check_operate_policy})
_bind_methods(Query, "Query")
_bind_methods(Scan, "Scan")
_bind_functions(globals())
_bind_constructor(Client, _SIGNATURES["aerospike"]["client"])
# (none of these is a module constant: the official module has no such names)
del _SIGNATURES, _check_key, _check_batch_keys, _check_batch_policy, _check_admin_policy, _check_privileges
del _check_operate_policy

from ._version import VERSION as __version__  # noqa: E402
#: True in purespike (the official C extension has no such attribute).
__purespike__ = True
