"""Aerospike expressions: filters (the ``expressions`` entry of a policy) and the values of
expression operations, built from these classes and compiled with ``.compile()``.
"""

from aerospike_helpers.expressions.resources import ResultType  # noqa: F401
from aerospike_helpers.expressions.base import *  # noqa: F401, F403
from aerospike_helpers.expressions.bitwise import *  # noqa: F401, F403
from aerospike_helpers.expressions.hll import *  # noqa: F401, F403
from aerospike_helpers.expressions.list import *  # noqa: F401, F403
from aerospike_helpers.expressions.map import *  # noqa: F401, F403
from aerospike_helpers.expressions.arithmetic import *  # noqa: F401, F403
from aerospike_helpers.expressions.bitwise_operators import *  # noqa: F401, F403
from aerospike_helpers.expressions.string import *  # noqa: F401, F403
