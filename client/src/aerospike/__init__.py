"""purespike: a pure-Python implementation of the `aerospike` client module.

Same names, constants, exceptions and return shapes as the official C-extension client.
"""

from . import exception, predicates
from ._constants import *  # noqa: F401,F403  (every module-level constant of the official client)
from ._types import CDTInfinite, CDTWildcard, GeoJSON, KeyOrderedDict, null, geodata, geojson
from ._logging import set_log_handler, set_log_level
from ._keys import calc_digest, get_partition_id
from ._serializers import set_deserializer, set_serializer, unset_serializers
from ._client import Client, client
from ._query import Query, Scan
from ._config_provider import ConfigProvider
from ._transaction import Transaction
from ._named_checks import NAMED_CHECKS as _NAMED_CHECKS
from ._arguments import SIGNATURES as _SIGNATURES, bind_constructor as _bind_constructor
from ._arguments import bind_functions as _bind_functions, bind_methods as _bind_methods

# Every official callable binds its arguments like the C extension (see _arguments.py).
_bind_methods(Client, "Client", _NAMED_CHECKS)
_bind_methods(Query, "Query", _NAMED_CHECKS)
_bind_methods(Scan, "Scan", _NAMED_CHECKS)
_bind_functions(globals())
_bind_constructor(Client, _SIGNATURES["aerospike"]["client"])
# (none of these is a module constant: the official module has no such names)
del _SIGNATURES, _NAMED_CHECKS

from ._version import VERSION as __version__  # noqa: E402
#: True in purespike (the official C extension has no such attribute).
__purespike__ = True
