"""HyperLogLog expressions (read, and modify a local copy)."""

from typing import Any, Dict, List, Union

import aerospike
from aerospike_helpers.expressions.base import HLLBin
from aerospike_helpers.expressions.resources import _BaseExpr

TypeBinName = Union[_BaseExpr, str]
TypeListValue = Union[_BaseExpr, List[Any]]
TypeValue = Union[_BaseExpr, Any]
TypePolicy = Union[Dict[str, Any], None]


def _hll_bin(bin):  # noqa: A002
    return bin if isinstance(bin, _BaseExpr) else HLLBin(bin)


def _bits(count):
    return -1 if count is None else count


def _flags(policy):
    if policy is not None and "flags" in policy:
        return policy["flags"]
    return aerospike.HLL_WRITE_DEFAULT


class HLLInit(_BaseExpr):
    """Create (or reset) the HLL with the given bit counts."""

    _op = aerospike.OP_HLL_INIT

    def __init__(self, policy: "TypePolicy", index_bit_count: Union[int, None], mh_bit_count: Union[int, None],
                 bin: "TypeBinName"):  # noqa: A002
        self._children = (_bits(index_bit_count), _bits(mh_bit_count), _flags(policy), _hll_bin(bin))


class HLLAdd(_BaseExpr):
    """Add values to the HLL (created with the bit counts if missing)."""

    _op = aerospike.OP_HLL_ADD

    def __init__(self, policy: "TypePolicy", list: "TypeListValue", index_bit_count: Union[int, None],  # noqa: A002
                 mh_bit_count: Union[int, None], bin: "TypeBinName"):  # noqa: A002
        self._children = (list, _bits(index_bit_count), _bits(mh_bit_count), _flags(policy), _hll_bin(bin))


class HLLGetCount(_BaseExpr):
    """Estimated number of elements."""

    _op = aerospike.OP_HLL_GET_COUNT

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._children = (_hll_bin(bin),)


class _WithValues(_BaseExpr):
    def __init__(self, values: "TypeValue", bin: "TypeBinName"):  # noqa: A002
        self._children = (values, _hll_bin(bin))


class HLLGetUnion(_WithValues):
    """Union of the bin's HLL and the HLLs in ``values``."""

    _op = aerospike.OP_HLL_GET_UNION


class HLLGetUnionCount(_WithValues):
    """Estimated element count of that union."""

    _op = aerospike.OP_HLL_GET_UNION_COUNT


class HLLGetIntersectCount(_WithValues):
    """Estimated element count of the intersection."""

    _op = aerospike.OP_HLL_GET_INTERSECT_COUNT


class HLLGetSimilarity(_WithValues):
    """Estimated similarity (float)."""

    _op = aerospike.OP_HLL_GET_SIMILARITY


class HLLDescribe(_BaseExpr):
    """``[index_bit_count, minhash_bit_count]``."""

    _op = aerospike.OP_HLL_DESCRIBE

    def __init__(self, bin: "TypeBinName"):  # noqa: A002
        self._children = (_hll_bin(bin),)


class HLLMayContain(_BaseExpr):
    """1 if every value of ``list`` may be in the HLL, else 0."""

    _op = aerospike.OP_HLL_MAY_CONTAIN

    def __init__(self, list: "TypeListValue", bin: "TypeBinName"):  # noqa: A002
        self._children = (list, _hll_bin(bin))
