from aerospike_helpers.expressions.base import *
from aerospike_helpers.expressions.bitwise import *
from aerospike_helpers.expressions.hll import *
from aerospike_helpers.expressions.list import *
from aerospike_helpers.expressions.map import *
from aerospike_helpers.expressions.arithmetic import *
from aerospike_helpers.expressions.bitwise_operators import *
from aerospike_helpers.expressions.string import *
from aerospike_helpers.expressions.resources import ResultType as ResultType
