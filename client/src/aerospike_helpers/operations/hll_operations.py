"""HyperLogLog operation dicts for Client.operate() / operate_ordered().

Every helper returns a fresh plain dict shaped like the official helper's: ``"op"`` (an
``aerospike.OP_HLL_*`` code), ``"bin"``, then the operation's own keys. ``policy`` (a dict
``{"flags": aerospike.HLL_WRITE_*}``) is stored under ``"hll_policy"`` only when truthy. Bit
counts left as None are sent as -1 (the server keeps / picks its own).
"""

from aerospike import _constants as _c

OP_KEY = "op"
BIN_KEY = "bin"
HLL_POLICY_KEY = "hll_policy"
INDEX_BIT_COUNT_KEY = "index_bit_count"
MH_BIT_COUNT_KEY = "mh_bit_count"
VALUE_LIST_KEY = "value_list"


def _bits(count) -> int:
    return -1 if count is None else count


def _op(code, bin_name, *pairs, policy=None) -> dict:
    op = {OP_KEY: code, BIN_KEY: bin_name}
    op.update(pairs)
    if policy:
        op[HLL_POLICY_KEY] = policy
    return op


def hll_init(bin_name: str, index_bit_count=None, mh_bit_count=None, policy=None):
    """Create (or reset) an HLL bin with the given index and min-hash bit counts."""
    return _op(_c.OP_HLL_INIT, bin_name, (INDEX_BIT_COUNT_KEY, _bits(index_bit_count)),
               (MH_BIT_COUNT_KEY, _bits(mh_bit_count)), policy=policy)


def hll_add(bin_name: str, values, index_bit_count=None, mh_bit_count=None, policy=None):
    """Add ``values`` to the HLL bin, creating it with the given bit counts if needed."""
    return _op(_c.OP_HLL_ADD, bin_name, (VALUE_LIST_KEY, values),
               (INDEX_BIT_COUNT_KEY, _bits(index_bit_count)),
               (MH_BIT_COUNT_KEY, _bits(mh_bit_count)), policy=policy)


def hll_set_union(bin_name: str, hll_list, policy=None):
    """Set the HLL bin to the union of itself and the HLLs of ``hll_list``."""
    return _op(_c.OP_HLL_SET_UNION, bin_name, (VALUE_LIST_KEY, hll_list), policy=policy)


def hll_refresh_count(bin_name: str):
    """Recompute (and return) the cached count of the HLL bin."""
    return _op(_c.OP_HLL_REFRESH_COUNT, bin_name)


def hll_fold(bin_name: str, index_bit_count):
    """Fold the HLL bin down to ``index_bit_count`` index bits."""
    return _op(_c.OP_HLL_FOLD, bin_name, (INDEX_BIT_COUNT_KEY, index_bit_count))


def hll_get_count(bin_name):
    """The estimated number of distinct elements."""
    return _op(_c.OP_HLL_GET_COUNT, bin_name)


def hll_describe(bin_name):
    """``[index_bit_count, mh_bit_count]`` of the HLL bin."""
    return _op(_c.OP_HLL_DESCRIBE, bin_name)


def hll_get_union(bin_name: str, hll_list):
    """The union of the HLL bin and the HLLs of ``hll_list`` (an HLL)."""
    return _op(_c.OP_HLL_GET_UNION, bin_name, (VALUE_LIST_KEY, hll_list))


def hll_get_union_count(bin_name: str, hll_list):
    """The estimated count of that union."""
    return _op(_c.OP_HLL_GET_UNION_COUNT, bin_name, (VALUE_LIST_KEY, hll_list))


def hll_get_intersect_count(bin_name: str, hll_list):
    """The estimated count of the intersection with the HLLs of ``hll_list``."""
    return _op(_c.OP_HLL_GET_INTERSECT_COUNT, bin_name, (VALUE_LIST_KEY, hll_list))


def hll_get_similarity(bin_name: str, hll_list):
    """The estimated Jaccard similarity with the HLLs of ``hll_list``."""
    return _op(_c.OP_HLL_GET_SIMILARITY, bin_name, (VALUE_LIST_KEY, hll_list))
