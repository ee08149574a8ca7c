"""Operation helpers (list, map, bit, HLL, cdt_ctx) and the bytes an operate sends for them.

1. For a table of helper calls, the dicts the helpers return (key order included) and the
   contexts they build equal literal expectations taken from the official aerospike_helpers.
2. For a table of operation lists, the ops of the AS_MSG request that ``operate`` sends (op type,
   particle type, bin name, msgpack payload), and whether it asks for every op's result
   (info2 RESPOND_ALL_OPS), equal what the official client (aerospike 19.3.0) was recorded
   sending. A recording TCP proxy defined below sits in front of the session's spikelite; only
   the ops and that flag are compared (not timeouts or other header fields). What the server
   answers does not matter here: results of these ops are tested with the server.
"""

import socket
import struct
import threading
import warnings

import pytest

import aerospike as a
from aerospike_helpers import HyperLogLog as HLL  # noqa: F401  (used by table rows)
from aerospike_helpers import cdt_ctx as ctx
from aerospike_helpers.operations import bitwise_operations as bo
from aerospike_helpers.operations import hll_operations as ho
from aerospike_helpers.operations import list_operations as lo
from aerospike_helpers.operations import map_operations as mo
from aerospike_helpers.operations import operations as op  # noqa: F401  (used by table rows)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RESPOND_ALL_OPS = 0x80


def plain(value):
    """Comparable form of a helper's result: dicts as (type name, items in order), contexts as
    ("ctx", id, value, extra_args)."""
    if isinstance(value, ctx._cdt_ctx):
        return ("ctx", value.id, plain(value.value), plain(value.extra_args))
    if isinstance(value, dict):
        return (type(value).__name__, [(plain(k), plain(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# (helper call, its result in plain() form, as the official aerospike_helpers return it)
HELPER_DICTS = [
    ("lo.list_create('l', a.LIST_ORDERED, False, True)", lambda: lo.list_create('l', a.LIST_ORDERED, False, True),
     ('dict', [('op', 1041), ('bin', 'l'), ('list_order', 1), ('pad', False), ('persist_index', True)])),
    ("lo.list_create('l', 0, True, False, [])", lambda: lo.list_create('l', 0, True, False, []),
     ('dict', [('op', 1041), ('bin', 'l'), ('list_order', 0), ('pad', True), ('persist_index', False), ('ctx', [])])),
    ("lo.list_create('l', 0, True, False, [ctx.cdt_ctx_list_index(0)])", lambda: lo.list_create('l', 0, True, False, [ctx.cdt_ctx_list_index(0)]),
     ('dict', [('op', 1041), ('bin', 'l'), ('list_order', 0), ('pad', True), ('persist_index', False), ('ctx', [('ctx', 16, 0, None)])])),
    ("lo.list_append('l', 1)", lambda: lo.list_append('l', 1),
     ('dict', [('op', 1001), ('bin', 'l'), ('val', 1)])),
    ("lo.list_append('l', 1, {}, [])", lambda: lo.list_append('l', 1, {}, []),
     ('dict', [('op', 1001), ('bin', 'l'), ('val', 1)])),
    ("lo.list_append('l', 1, {'write_flags': 1}, [ctx.cdt_ctx_map_key('k')])", lambda: lo.list_append('l', 1, {'write_flags': 1}, [ctx.cdt_ctx_map_key('k')]),
     ('dict', [('op', 1001), ('bin', 'l'), ('val', 1), ('list_policy', ('dict', [('write_flags', 1)])), ('ctx', [('ctx', 34, 'k', None)])])),
    ("lo.list_append_items('l', [1, 2], {'list_order': 1})", lambda: lo.list_append_items('l', [1, 2], {'list_order': 1}),
     ('dict', [('op', 1002), ('bin', 'l'), ('val', [1, 2]), ('list_policy', ('dict', [('list_order', 1)]))])),
    ("lo.list_insert('l', 0, 'x')", lambda: lo.list_insert('l', 0, 'x'),
     ('dict', [('op', 1003), ('bin', 'l'), ('index', 0), ('val', 'x')])),
    ("lo.list_insert_items('l', 1, [1], None, [ctx.cdt_ctx_list_rank(-1)])", lambda: lo.list_insert_items('l', 1, [1], None, [ctx.cdt_ctx_list_rank(-1)]),
     ('dict', [('op', 1004), ('bin', 'l'), ('index', 1), ('val', [1]), ('ctx', [('ctx', 17, -1, None)])])),
    ("lo.list_increment('l', 0, 2)", lambda: lo.list_increment('l', 0, 2),
     ('dict', [('op', 1015), ('bin', 'l'), ('index', 0), ('val', 2)])),
    ("lo.list_pop('l', -1)", lambda: lo.list_pop('l', -1),
     ('dict', [('op', 1005), ('bin', 'l'), ('index', -1)])),
    ("lo.list_pop_range('l', 0, 2)", lambda: lo.list_pop_range('l', 0, 2),
     ('dict', [('op', 1006), ('bin', 'l'), ('index', 0), ('val', 2)])),
    ("lo.list_remove('l', 1)", lambda: lo.list_remove('l', 1),
     ('dict', [('op', 1007), ('bin', 'l'), ('index', 1)])),
    ("lo.list_remove_range('l', 1, 3)", lambda: lo.list_remove_range('l', 1, 3),
     ('dict', [('op', 1008), ('bin', 'l'), ('index', 1), ('val', 3)])),
    ("lo.list_clear('l')", lambda: lo.list_clear('l'),
     ('dict', [('op', 1009), ('bin', 'l')])),
    ("lo.list_set('l', 2, None)", lambda: lo.list_set('l', 2, None),
     ('dict', [('op', 1010), ('bin', 'l'), ('index', 2), ('val', None)])),
    ("lo.list_get('l', 0)", lambda: lo.list_get('l', 0),
     ('dict', [('op', 1011), ('bin', 'l'), ('index', 0)])),
    ("lo.list_get_range('l', 0, 5)", lambda: lo.list_get_range('l', 0, 5),
     ('dict', [('op', 1012), ('bin', 'l'), ('index', 0), ('val', 5)])),
    ("lo.list_trim('l', 1, 1)", lambda: lo.list_trim('l', 1, 1),
     ('dict', [('op', 1013), ('bin', 'l'), ('index', 1), ('val', 1)])),
    ("lo.list_size('l', [])", lambda: lo.list_size('l', []),
     ('dict', [('op', 1014), ('bin', 'l')])),
    ("lo.list_get_by_index('l', 0, a.LIST_RETURN_VALUE)", lambda: lo.list_get_by_index('l', 0, a.LIST_RETURN_VALUE),
     ('dict', [('op', 1016), ('bin', 'l'), ('return_type', 7), ('index', 0)])),
    ("lo.list_get_by_index_range('l', 0, a.LIST_RETURN_VALUE)", lambda: lo.list_get_by_index_range('l', 0, a.LIST_RETURN_VALUE),
     ('dict', [('op', 1017), ('bin', 'l'), ('return_type', 7), ('index', 0), ('inverted', False)])),
    ("lo.list_get_by_index_range('l', 0, a.LIST_RETURN_VALUE, 3, True, [ctx.cdt_ctx_list_index(2)])", lambda: lo.list_get_by_index_range('l', 0, a.LIST_RETURN_VALUE, 3, True, [ctx.cdt_ctx_list_index(2)]),
     ('dict', [('op', 1017), ('bin', 'l'), ('return_type', 7), ('index', 0), ('inverted', True), ('count', 3), ('ctx', [('ctx', 16, 2, None)])])),
    ("lo.list_get_by_rank('l', 0, a.LIST_RETURN_RANK)", lambda: lo.list_get_by_rank('l', 0, a.LIST_RETURN_RANK),
     ('dict', [('op', 1018), ('bin', 'l'), ('return_type', 3), ('rank', 0)])),
    ("lo.list_get_by_rank_range('l', 1, a.LIST_RETURN_COUNT, 0)", lambda: lo.list_get_by_rank_range('l', 1, a.LIST_RETURN_COUNT, 0),
     ('dict', [('op', 1019), ('bin', 'l'), ('return_type', 5), ('rank', 1), ('inverted', False), ('count', 0)])),
    ("lo.list_get_by_value('l', 5, a.LIST_RETURN_INDEX, True)", lambda: lo.list_get_by_value('l', 5, a.LIST_RETURN_INDEX, True),
     ('dict', [('op', 1020), ('bin', 'l'), ('return_type', 1), ('val', 5), ('inverted', True)])),
    ("lo.list_get_by_value_list('l', [1], a.LIST_RETURN_EXISTS)", lambda: lo.list_get_by_value_list('l', [1], a.LIST_RETURN_EXISTS),
     ('dict', [('op', 1021), ('bin', 'l'), ('return_type', 13), ('value_list', [1]), ('inverted', False)])),
    ("lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, None, 9)", lambda: lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, None, 9),
     ('dict', [('op', 1022), ('bin', 'l'), ('return_type', 7), ('inverted', False), ('value_end', 9)])),
    ("lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, 1, None, True)", lambda: lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, 1, None, True),
     ('dict', [('op', 1022), ('bin', 'l'), ('return_type', 7), ('inverted', True), ('value_begin', 1)])),
    ("lo.list_remove_by_index('l', 0, a.LIST_RETURN_NONE)", lambda: lo.list_remove_by_index('l', 0, a.LIST_RETURN_NONE),
     ('dict', [('op', 1023), ('bin', 'l'), ('return_type', 0), ('index', 0)])),
    ("lo.list_remove_by_index_range('l', 0, a.LIST_RETURN_NONE, None, True)", lambda: lo.list_remove_by_index_range('l', 0, a.LIST_RETURN_NONE, None, True),
     ('dict', [('op', 1024), ('bin', 'l'), ('return_type', 0), ('index', 0), ('inverted', True)])),
    ("lo.list_remove_by_rank('l', 0, a.LIST_RETURN_VALUE)", lambda: lo.list_remove_by_rank('l', 0, a.LIST_RETURN_VALUE),
     ('dict', [('op', 1025), ('bin', 'l'), ('return_type', 7), ('rank', 0)])),
    ("lo.list_remove_by_rank_range('l', 0, a.LIST_RETURN_VALUE, 2)", lambda: lo.list_remove_by_rank_range('l', 0, a.LIST_RETURN_VALUE, 2),
     ('dict', [('op', 1026), ('bin', 'l'), ('return_type', 7), ('rank', 0), ('inverted', False), ('count', 2)])),
    ("lo.list_remove_by_value('l', 'x', a.LIST_RETURN_COUNT)", lambda: lo.list_remove_by_value('l', 'x', a.LIST_RETURN_COUNT),
     ('dict', [('op', 1027), ('bin', 'l'), ('return_type', 5), ('val', 'x'), ('inverted', False)])),
    ("lo.list_remove_by_value_list('l', ['x'], a.LIST_RETURN_COUNT, True)", lambda: lo.list_remove_by_value_list('l', ['x'], a.LIST_RETURN_COUNT, True),
     ('dict', [('op', 1028), ('bin', 'l'), ('return_type', 5), ('value_list', ['x']), ('inverted', True)])),
    ("lo.list_remove_by_value_range('l', a.LIST_RETURN_COUNT)", lambda: lo.list_remove_by_value_range('l', a.LIST_RETURN_COUNT),
     ('dict', [('op', 1029), ('bin', 'l'), ('return_type', 5), ('inverted', False)])),
    ("lo.list_set_order('l', a.LIST_ORDERED)", lambda: lo.list_set_order('l', a.LIST_ORDERED),
     ('dict', [('op', 1030), ('bin', 'l'), ('list_order', 1)])),
    ("lo.list_sort('l')", lambda: lo.list_sort('l'),
     ('dict', [('op', 1031), ('bin', 'l'), ('sort_flags', 0)])),
    ("lo.list_sort('l', a.LIST_SORT_DROP_DUPLICATES, [ctx.cdt_ctx_list_value(3)])", lambda: lo.list_sort('l', a.LIST_SORT_DROP_DUPLICATES, [ctx.cdt_ctx_list_value(3)]),
     ('dict', [('op', 1031), ('bin', 'l'), ('sort_flags', 2), ('ctx', [('ctx', 19, 3, None)])])),
    ("lo.list_get_by_value_rank_range_relative('l', 5, -1, a.LIST_RETURN_VALUE)", lambda: lo.list_get_by_value_rank_range_relative('l', 5, -1, a.LIST_RETURN_VALUE),
     ('dict', [('op', 1033), ('bin', 'l'), ('val', 5), ('rank', -1), ('return_type', 7), ('inverted', False)])),
    ("lo.list_remove_by_value_rank_range_relative('l', 5, 0, a.LIST_RETURN_VALUE, 2, True)", lambda: lo.list_remove_by_value_rank_range_relative('l', 5, 0, a.LIST_RETURN_VALUE, 2, True),
     ('dict', [('op', 1032), ('bin', 'l'), ('val', 5), ('rank', 0), ('return_type', 7), ('inverted', True), ('count', 2)])),
    ("mo.map_set_policy('m', {'map_order': 1})", lambda: mo.map_set_policy('m', {'map_order': 1}),
     ('dict', [('op', 1101), ('bin', 'm'), ('map_policy', ('dict', [('map_order', 1)]))])),
    ("mo.map_create('m', a.MAP_KEY_ORDERED, True, [])", lambda: mo.map_create('m', a.MAP_KEY_ORDERED, True, []),
     ('dict', [('op', 1144), ('bin', 'm'), ('map_order', 1), ('persist_index', True), ('ctx', [])])),
    ("mo.map_put('m', 'k', 'v')", lambda: mo.map_put('m', 'k', 'v'),
     ('dict', [('op', 1102), ('bin', 'm'), ('key', 'k'), ('val', 'v')])),
    ("mo.map_put('m', 'k', 'v', {'map_write_flags': 1}, [ctx.cdt_ctx_map_index(0)])", lambda: mo.map_put('m', 'k', 'v', {'map_write_flags': 1}, [ctx.cdt_ctx_map_index(0)]),
     ('dict', [('op', 1102), ('bin', 'm'), ('key', 'k'), ('val', 'v'), ('map_policy', ('dict', [('map_write_flags', 1)])), ('ctx', [('ctx', 32, 0, None)])])),
    ("mo.map_put_items('m', {'b': 1, 'a': 2})", lambda: mo.map_put_items('m', {'b': 1, 'a': 2}),
     ('dict', [('op', 1103), ('bin', 'm'), ('val', ('dict', [('a', 2), ('b', 1)]))])),
    ("mo.map_put_items('m', {2: 1, 'a': 2}, {})", lambda: mo.map_put_items('m', {2: 1, 'a': 2}, {}),
     ('dict', [('op', 1103), ('bin', 'm'), ('map_policy', ('dict', [])), ('val', ('dict', [(2, 1), ('a', 2)]))])),
    ("mo.map_put_items('m', a.KeyOrderedDict({'b': 1, 'a': 2}))", lambda: mo.map_put_items('m', a.KeyOrderedDict({'b': 1, 'a': 2})),
     ('dict', [('op', 1103), ('bin', 'm'), ('val', ('dict', [('a', 2), ('b', 1)]))])),
    ("mo.map_increment('m', 'k', 1)", lambda: mo.map_increment('m', 'k', 1),
     ('dict', [('op', 1104), ('bin', 'm'), ('key', 'k'), ('val', 1)])),
    ("mo.map_decrement('m', 'k', 1.5, None, [])", lambda: mo.map_decrement('m', 'k', 1.5, None, []),
     ('dict', [('op', 1105), ('bin', 'm'), ('key', 'k'), ('val', 1.5), ('ctx', [])])),
    ("mo.map_size('m', [])", lambda: mo.map_size('m', []),
     ('dict', [('op', 1106), ('bin', 'm'), ('ctx', [])])),
    ("mo.map_clear('m')", lambda: mo.map_clear('m'),
     ('dict', [('op', 1107), ('bin', 'm')])),
    ("mo.map_remove_by_key('m', 'k', a.MAP_RETURN_VALUE)", lambda: mo.map_remove_by_key('m', 'k', a.MAP_RETURN_VALUE),
     ('dict', [('op', 1108), ('bin', 'm'), ('key', 'k'), ('return_type', 7)])),
    ("mo.map_remove_by_key_list('m', ['k'], a.MAP_RETURN_KEY, True)", lambda: mo.map_remove_by_key_list('m', ['k'], a.MAP_RETURN_KEY, True),
     ('dict', [('op', 1109), ('bin', 'm'), ('val', ['k']), ('return_type', 6), ('inverted', True)])),
    ("mo.map_remove_by_key_range('m', 'a', None, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_key_range('m', 'a', None, a.MAP_RETURN_KEY),
     ('dict', [('op', 1110), ('bin', 'm'), ('key', 'a'), ('val', None), ('return_type', 6), ('inverted', False)])),
    ("mo.map_remove_by_value('m', 1, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_value('m', 1, a.MAP_RETURN_KEY),
     ('dict', [('op', 1111), ('bin', 'm'), ('val', 1), ('return_type', 6), ('inverted', False)])),
    ("mo.map_remove_by_value_list('m', [1], a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_value_list('m', [1], a.MAP_RETURN_KEY),
     ('dict', [('op', 1112), ('bin', 'm'), ('val', [1]), ('return_type', 6), ('inverted', False)])),
    ("mo.map_remove_by_value_range('m', 1, 2, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_value_range('m', 1, 2, a.MAP_RETURN_KEY),
     ('dict', [('op', 1113), ('bin', 'm'), ('val', 1), ('range', 2), ('return_type', 6), ('inverted', False)])),
    ("mo.map_remove_by_index('m', 0, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_index('m', 0, a.MAP_RETURN_KEY),
     ('dict', [('op', 1114), ('bin', 'm'), ('index', 0), ('return_type', 6)])),
    ("mo.map_remove_by_index_range('m', 0, 2, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_index_range('m', 0, 2, a.MAP_RETURN_KEY),
     ('dict', [('op', 1115), ('bin', 'm'), ('index', 0), ('val', 2), ('return_type', 6), ('inverted', False)])),
    ("mo.map_remove_by_rank('m', 0, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_rank('m', 0, a.MAP_RETURN_KEY),
     ('dict', [('op', 1116), ('bin', 'm'), ('index', 0), ('return_type', 6)])),
    ("mo.map_remove_by_rank_range('m', 0, 2, a.MAP_RETURN_KEY, True)", lambda: mo.map_remove_by_rank_range('m', 0, 2, a.MAP_RETURN_KEY, True),
     ('dict', [('op', 1117), ('bin', 'm'), ('index', 0), ('val', 2), ('return_type', 6), ('inverted', True)])),
    ("mo.map_get_by_key('m', 'k', a.MAP_RETURN_VALUE, [])", lambda: mo.map_get_by_key('m', 'k', a.MAP_RETURN_VALUE, []),
     ('dict', [('op', 1118), ('bin', 'm'), ('key', 'k'), ('return_type', 7)])),
    ("mo.map_get_by_key_range('m', 'a', 'z', a.MAP_RETURN_KEY)", lambda: mo.map_get_by_key_range('m', 'a', 'z', a.MAP_RETURN_KEY),
     ('dict', [('op', 1119), ('bin', 'm'), ('key', 'a'), ('range', 'z'), ('return_type', 6), ('inverted', False)])),
    ("mo.map_get_by_key_list('m', ['a'], a.MAP_RETURN_KEY)", lambda: mo.map_get_by_key_list('m', ['a'], a.MAP_RETURN_KEY),
     ('dict', [('op', 1127), ('bin', 'm'), ('val', ['a']), ('return_type', 6), ('inverted', False)])),
    ("mo.map_get_by_value('m', 1, a.MAP_RETURN_KEY)", lambda: mo.map_get_by_value('m', 1, a.MAP_RETURN_KEY),
     ('dict', [('op', 1120), ('bin', 'm'), ('val', 1), ('return_type', 6), ('inverted', False)])),
    ("mo.map_get_by_value_range('m', 1, 3, a.MAP_RETURN_KEY)", lambda: mo.map_get_by_value_range('m', 1, 3, a.MAP_RETURN_KEY),
     ('dict', [('op', 1121), ('bin', 'm'), ('val', 1), ('range', 3), ('return_type', 6), ('inverted', False)])),
    ("mo.map_get_by_value_list('m', [1], a.MAP_RETURN_KEY)", lambda: mo.map_get_by_value_list('m', [1], a.MAP_RETURN_KEY),
     ('dict', [('op', 1126), ('bin', 'm'), ('val', [1]), ('return_type', 6), ('inverted', False)])),
    ("mo.map_get_by_index('m', 0, a.MAP_RETURN_KEY_VALUE)", lambda: mo.map_get_by_index('m', 0, a.MAP_RETURN_KEY_VALUE),
     ('dict', [('op', 1122), ('bin', 'm'), ('index', 0), ('return_type', 8)])),
    ("mo.map_get_by_index_range('m', 0, 1, a.MAP_RETURN_KEY_VALUE)", lambda: mo.map_get_by_index_range('m', 0, 1, a.MAP_RETURN_KEY_VALUE),
     ('dict', [('op', 1123), ('bin', 'm'), ('index', 0), ('val', 1), ('return_type', 8), ('inverted', False)])),
    ("mo.map_get_by_rank('m', 0, a.MAP_RETURN_KEY_VALUE)", lambda: mo.map_get_by_rank('m', 0, a.MAP_RETURN_KEY_VALUE),
     ('dict', [('op', 1124), ('bin', 'm'), ('index', 0), ('return_type', 8)])),
    ("mo.map_get_by_rank_range('m', 0, 1, a.MAP_RETURN_KEY_VALUE, True, [ctx.cdt_ctx_map_rank(0)])", lambda: mo.map_get_by_rank_range('m', 0, 1, a.MAP_RETURN_KEY_VALUE, True, [ctx.cdt_ctx_map_rank(0)]),
     ('dict', [('op', 1125), ('bin', 'm'), ('index', 0), ('val', 1), ('return_type', 8), ('inverted', True), ('ctx', [('ctx', 33, 0, None)])])),
    ("mo.map_remove_by_value_rank_range_relative('m', 1, 0, a.MAP_RETURN_KEY)", lambda: mo.map_remove_by_value_rank_range_relative('m', 1, 0, a.MAP_RETURN_KEY),
     ('dict', [('op', 1128), ('bin', 'm'), ('val', 1), ('rank', 0), ('return_type', 6)])),
    ("mo.map_get_by_value_rank_range_relative('m', 1, 0, a.MAP_RETURN_KEY, 2, True)", lambda: mo.map_get_by_value_rank_range_relative('m', 1, 0, a.MAP_RETURN_KEY, 2, True),
     ('dict', [('op', 1130), ('bin', 'm'), ('val', 1), ('rank', 0), ('return_type', 6), ('count', 2), ('inverted', True)])),
    ("mo.map_remove_by_key_index_range_relative('m', 'k', 0, a.MAP_RETURN_KEY, None, 1)", lambda: mo.map_remove_by_key_index_range_relative('m', 'k', 0, a.MAP_RETURN_KEY, None, 1),
     ('dict', [('op', 1129), ('bin', 'm'), ('key', 'k'), ('index', 0), ('return_type', 6), ('inverted', True)])),
    ("mo.map_get_by_key_index_range_relative('m', 'k', 0, a.MAP_RETURN_KEY, 0, False, [])", lambda: mo.map_get_by_key_index_range_relative('m', 'k', 0, a.MAP_RETURN_KEY, 0, False, []),
     ('dict', [('op', 1131), ('bin', 'm'), ('key', 'k'), ('index', 0), ('return_type', 6), ('count', 0)])),
    ("bo.bit_resize('b', 4)", lambda: bo.bit_resize('b', 4),
     ('dict', [('op', 2000), ('bin', 'b'), ('policy', None), ('resize_flags', 0), ('byte_size', 4)])),
    ("bo.bit_resize('b', 4, {'bit_write_flags': 2}, 1)", lambda: bo.bit_resize('b', 4, {'bit_write_flags': 2}, 1),
     ('dict', [('op', 2000), ('bin', 'b'), ('policy', ('dict', [('bit_write_flags', 2)])), ('resize_flags', 1), ('byte_size', 4)])),
    ("bo.bit_remove('b', 0, 1)", lambda: bo.bit_remove('b', 0, 1),
     ('dict', [('op', 2002), ('bin', 'b'), ('policy', None), ('byte_offset', 0), ('byte_size', 1)])),
    ("bo.bit_set('b', 0, 8, 1, b'\\x01')", lambda: bo.bit_set('b', 0, 8, 1, b'\x01'),
     ('dict', [('op', 2003), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value_byte_size', 1), ('value', b'\x01')])),
    ("bo.bit_set_int('b', 0, 8, 3)", lambda: bo.bit_set_int('b', 0, 8, 3),
     ('dict', [('op', 2013), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value', 3)])),
    ("bo.bit_count('b', 0, 8)", lambda: bo.bit_count('b', 0, 8),
     ('dict', [('op', 2015), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8)])),
    ("bo.bit_add('b', 0, 8, 1, True, a.BIT_OVERFLOW_WRAP)", lambda: bo.bit_add('b', 0, 8, 1, True, a.BIT_OVERFLOW_WRAP),
     ('dict', [('op', 2010), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value', 1), ('sign', True), ('action', 4)])),
    ("bo.bit_and('b', 0, 8, 1, b'\\x01')", lambda: bo.bit_and('b', 0, 8, 1, b'\x01'),
     ('dict', [('op', 2006), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value_byte_size', 1), ('value', b'\x01')])),
    ("bo.bit_get('b', 0, 8)", lambda: bo.bit_get('b', 0, 8),
     ('dict', [('op', 2014), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8)])),
    ("bo.bit_get_int('b', 0, 8, False)", lambda: bo.bit_get_int('b', 0, 8, False),
     ('dict', [('op', 2012), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('sign', False)])),
    ("bo.bit_insert('b', 0, 1, b'\\x01')", lambda: bo.bit_insert('b', 0, 1, b'\x01'),
     ('dict', [('op', 2001), ('bin', 'b'), ('byte_offset', 0), ('value_byte_size', 1), ('value', b'\x01'), ('policy', None)])),
    ("bo.bit_lscan('b', 0, 8, True)", lambda: bo.bit_lscan('b', 0, 8, True),
     ('dict', [('op', 2016), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('value', True)])),
    ("bo.bit_lshift('b', 0, 8, 1)", lambda: bo.bit_lshift('b', 0, 8, 1),
     ('dict', [('op', 2008), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('value', 1), ('policy', None)])),
    ("bo.bit_not('b', 0, 8)", lambda: bo.bit_not('b', 0, 8),
     ('dict', [('op', 2007), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('policy', None)])),
    ("bo.bit_or('b', 0, 8, 1, b'\\x01')", lambda: bo.bit_or('b', 0, 8, 1, b'\x01'),
     ('dict', [('op', 2004), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value_byte_size', 1), ('value', b'\x01')])),
    ("bo.bit_rscan('b', 0, 8, False)", lambda: bo.bit_rscan('b', 0, 8, False),
     ('dict', [('op', 2017), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('value', False)])),
    ("bo.bit_rshift('b', 0, 8, 1, {})", lambda: bo.bit_rshift('b', 0, 8, 1, {}),
     ('dict', [('op', 2009), ('bin', 'b'), ('bit_offset', 0), ('bit_size', 8), ('value', 1), ('policy', ('dict', []))])),
    ("bo.bit_subtract('b', 0, 8, 1, False, a.BIT_OVERFLOW_FAIL)", lambda: bo.bit_subtract('b', 0, 8, 1, False, a.BIT_OVERFLOW_FAIL),
     ('dict', [('op', 2011), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value', 1), ('sign', False), ('action', 0)])),
    ("bo.bit_xor('b', 0, 8, 1, b'\\x01')", lambda: bo.bit_xor('b', 0, 8, 1, b'\x01'),
     ('dict', [('op', 2005), ('bin', 'b'), ('policy', None), ('bit_offset', 0), ('bit_size', 8), ('value_byte_size', 1), ('value', b'\x01')])),
    ("ho.hll_add('h', ['a'])", lambda: ho.hll_add('h', ['a']),
     ('dict', [('op', 2100), ('bin', 'h'), ('value_list', ['a']), ('index_bit_count', -1), ('mh_bit_count', -1)])),
    ("ho.hll_add('h', ['a'], 8, 4, {'flags': 1})", lambda: ho.hll_add('h', ['a'], 8, 4, {'flags': 1}),
     ('dict', [('op', 2100), ('bin', 'h'), ('value_list', ['a']), ('index_bit_count', 8), ('mh_bit_count', 4), ('hll_policy', ('dict', [('flags', 1)]))])),
    ("ho.hll_describe('h')", lambda: ho.hll_describe('h'),
     ('dict', [('op', 2101), ('bin', 'h')])),
    ("ho.hll_fold('h', 4)", lambda: ho.hll_fold('h', 4),
     ('dict', [('op', 2102), ('bin', 'h'), ('index_bit_count', 4)])),
    ("ho.hll_get_count('h')", lambda: ho.hll_get_count('h'),
     ('dict', [('op', 2103), ('bin', 'h')])),
    ("ho.hll_get_intersect_count('h', [])", lambda: ho.hll_get_intersect_count('h', []),
     ('dict', [('op', 2104), ('bin', 'h'), ('value_list', [])])),
    ("ho.hll_get_similarity('h', [])", lambda: ho.hll_get_similarity('h', []),
     ('dict', [('op', 2105), ('bin', 'h'), ('value_list', [])])),
    ("ho.hll_get_union('h', [])", lambda: ho.hll_get_union('h', []),
     ('dict', [('op', 2106), ('bin', 'h'), ('value_list', [])])),
    ("ho.hll_get_union_count('h', [])", lambda: ho.hll_get_union_count('h', []),
     ('dict', [('op', 2107), ('bin', 'h'), ('value_list', [])])),
    ("ho.hll_init('h')", lambda: ho.hll_init('h'),
     ('dict', [('op', 2108), ('bin', 'h'), ('index_bit_count', -1), ('mh_bit_count', -1)])),
    ("ho.hll_init('h', 10, None, {})", lambda: ho.hll_init('h', 10, None, {}),
     ('dict', [('op', 2108), ('bin', 'h'), ('index_bit_count', 10), ('mh_bit_count', -1)])),
    ("ho.hll_refresh_count('h')", lambda: ho.hll_refresh_count('h'),
     ('dict', [('op', 2109), ('bin', 'h')])),
    ("ho.hll_set_union('h', [], {'flags': 8})", lambda: ho.hll_set_union('h', [], {'flags': 8}),
     ('dict', [('op', 2110), ('bin', 'h'), ('value_list', []), ('hll_policy', ('dict', [('flags', 8)]))])),
    ('ctx.cdt_ctx_list_index(-1)', lambda: ctx.cdt_ctx_list_index(-1),
     ('ctx', 16, -1, None)),
    ('ctx.cdt_ctx_list_rank(0)', lambda: ctx.cdt_ctx_list_rank(0),
     ('ctx', 17, 0, None)),
    ('ctx.cdt_ctx_list_value([1])', lambda: ctx.cdt_ctx_list_value([1]),
     ('ctx', 19, [1], None)),
    ('ctx.cdt_ctx_list_index_create(2)', lambda: ctx.cdt_ctx_list_index_create(2),
     ('ctx', 20, 2, ('dict', [('order_key', 0), ('pad_key', False)]))),
    ('ctx.cdt_ctx_list_index_create(2, a.LIST_ORDERED, True)', lambda: ctx.cdt_ctx_list_index_create(2, a.LIST_ORDERED, True),
     ('ctx', 20, 2, ('dict', [('order_key', 1), ('pad_key', True)]))),
    ('ctx.cdt_ctx_map_index(0)', lambda: ctx.cdt_ctx_map_index(0),
     ('ctx', 32, 0, None)),
    ('ctx.cdt_ctx_map_rank(1)', lambda: ctx.cdt_ctx_map_rank(1),
     ('ctx', 33, 1, None)),
    ("ctx.cdt_ctx_map_key('k')", lambda: ctx.cdt_ctx_map_key('k'),
     ('ctx', 34, 'k', None)),
    ('ctx.cdt_ctx_map_value(None)', lambda: ctx.cdt_ctx_map_value(None),
     ('ctx', 35, None, None)),
    ("ctx.cdt_ctx_map_key_create('k')", lambda: ctx.cdt_ctx_map_key_create('k'),
     ('ctx', 36, 'k', ('dict', [('order_key', 0)]))),
    ("ctx.cdt_ctx_map_key_create('k', a.MAP_KEY_VALUE_ORDERED)", lambda: ctx.cdt_ctx_map_key_create('k', a.MAP_KEY_VALUE_ORDERED),
     ('ctx', 36, 'k', ('dict', [('order_key', 3)]))),
    ('ctx.cdt_ctx_all_children()', lambda: ctx.cdt_ctx_all_children(),
     ('ctx', 4, None, None)),
    ("ctx.cdt_ctx_map_keys_in(['a', 'b'])", lambda: ctx.cdt_ctx_map_keys_in(['a', 'b']),
     ('ctx', 42, ['a', 'b'], None)),
]

# Recorded from the official client, aerospike 19.3.0, through the proxy below:
# (name, operations, info2 RESPOND_ALL_OPS bit, [(op type, particle type, bin, payload hex), ...])
ENCODED = [
    ('list_append ctx=None', lambda: [lo.list_append('l', 5)],
     0x0, [(4, 4, 'l', '920105')]),
    ('list_size ctx=None', lambda: [lo.list_size('l')],
     0x0, [(3, 4, 'l', '9110')]),
    ('list_create ctx=None', lambda: [lo.list_create('l', a.LIST_ORDERED, False, True)],
     0x0, [(4, 4, 'l', '920011')]),
    ('map_create ctx=None', lambda: [mo.map_create('m', a.MAP_KEY_ORDERED, True)],
     0x80, [(4, 4, 'm', '924011')]),
    ('map_size ctx=None', lambda: [mo.map_size('m')],
     0x80, [(3, 4, 'm', '9160')]),
    ("list_append ctx=[ctx.cdt_ctx_map_key('a'), ctx.cdt_ctx_list_rank(-1)]", lambda: [lo.list_append('l', 5, ctx=[ctx.cdt_ctx_map_key('a'), ctx.cdt_ctx_list_rank(-1)])],
     0x0, [(4, 4, 'l', '93ccff9422a2036111ff920105')]),
    ('list_create unordered pad ctx=[ctx.cdt_ctx_list_index(1)]', lambda: [lo.list_create('l', a.LIST_UNORDERED, True, False, ctx=[ctx.cdt_ctx_list_index(1)])],
     0x0, [(4, 4, 'l', '93ccff92cc9001920000')]),
    ('map_create kv ctx=[ctx.cdt_ctx_list_index(1)]', lambda: [mo.map_create('m', a.MAP_KEY_VALUE_ORDERED, False, ctx=[ctx.cdt_ctx_list_index(1)])],
     0x80, [(4, 4, 'm', '93ccff92ccd001924003')]),
    ('map_put ctx=[]', lambda: [mo.map_put('m', 'k', 1, ctx=[])],
     0x80, [(4, 4, 'm', '93ccff909443a2036b0100')]),
    ('map_set_policy ctx=[ctx.cdt_ctx_list_index(1)]', lambda: [mo.map_set_policy('m', {'map_order': a.MAP_KEY_ORDERED, 'persist_index': True}, ctx=[ctx.cdt_ctx_list_index(1)])],
     0x80, [(4, 4, 'm', '93ccff921001924001')]),
    ('ctx all kinds', lambda: [lo.list_size('l', ctx=[ctx.cdt_ctx_list_index(0), ctx.cdt_ctx_list_index(-300), ctx.cdt_ctx_list_rank(2), ctx.cdt_ctx_list_value('v'), ctx.cdt_ctx_map_index(1), ctx.cdt_ctx_map_rank(-1), ctx.cdt_ctx_map_key(7), ctx.cdt_ctx_map_value([1, 'x'])])],
     0x0, [(3, 4, 'l', '93ccffdc0010100010d1fed4110213a20376200121ff2207239201a203789110')]),
    ('ctx create list', lambda: [lo.list_append('l', 1, ctx=[ctx.cdt_ctx_list_index_create(2)])],
     0x0, [(4, 4, 'l', '93ccff925002920101')]),
    ('ctx create list ordered', lambda: [lo.list_append('l', 1, ctx=[ctx.cdt_ctx_list_index_create(2, a.LIST_ORDERED)])],
     0x0, [(4, 4, 'l', '93ccff92ccd002920101')]),
    ('ctx create list pad', lambda: [lo.list_append('l', 1, ctx=[ctx.cdt_ctx_list_index_create(-2, a.LIST_UNORDERED, True)])],
     0x0, [(4, 4, 'l', '93ccff92cc90fe920101')]),
    ('ctx create map ko', lambda: [mo.map_put('m', 'k', 1, ctx=[ctx.cdt_ctx_map_key_create('x', a.MAP_KEY_ORDERED)])],
     0x80, [(4, 4, 'm', '93ccff92cca2a203789443a2036b0100')]),
    ('ctx create map kvo', lambda: [mo.map_put('m', 'k', 1, ctx=[ctx.cdt_ctx_map_key_create(b'x', a.MAP_KEY_VALUE_ORDERED)])],
     0x80, [(4, 4, 'm', '93ccff92cce2a204789443a2036b0100')]),
    ('ctx create mid', lambda: [lo.list_append('l', 1, ctx=[ctx.cdt_ctx_map_key_create('x', 1), ctx.cdt_ctx_list_index_create(0, 1, False), ctx.cdt_ctx_map_key('q')])],
     0x0, [(4, 4, 'l', '93ccff96cca2a20378ccd00022a20371920101')]),
    ("list_append_items pol={'list_order': a.LIST_ORDERED, 'write_flags': a.LIST_WRITE_ADD_UNIQUE | a.LIST_WRITE_NO_FAIL}", lambda: [lo.list_append_items('l', [1, 'a', b'b', 2.5], {'list_order': a.LIST_ORDERED, 'write_flags': a.LIST_WRITE_ADD_UNIQUE | a.LIST_WRITE_NO_FAIL})],
     0x0, [(4, 4, 'l', '94029401a20361a20462cb40040000000000000105')]),
    ("list_insert pol={'list_order': a.LIST_ORDERED, 'write_flags': a.LIST_WRITE_ADD_UNIQUE | a.LIST_WRITE_NO_FAIL}", lambda: [lo.list_insert('l', 2, 'x', {'list_order': a.LIST_ORDERED, 'write_flags': a.LIST_WRITE_ADD_UNIQUE | a.LIST_WRITE_NO_FAIL})],
     0x0, [(4, 4, 'l', '940302a2037805')]),
    ("list_increment pol={'list_order': a.LIST_ORDERED}", lambda: [lo.list_increment('l', 2, 7, {'list_order': a.LIST_ORDERED})],
     0x0, [(4, 4, 'l', '950c02070100')]),
    ("list_set pol={'write_flags': a.LIST_WRITE_INSERT_BOUNDED}", lambda: [lo.list_set('l', 2, [1], {'write_flags': a.LIST_WRITE_INSERT_BOUNDED})],
     0x0, [(4, 4, 'l', '940902910102')]),
    ('list_insert_items pol=None', lambda: [lo.list_insert_items('l', -1, [1, 2], None)],
     0x0, [(4, 4, 'l', '9304ff920102')]),
    ('list_increment float', lambda: [lo.list_increment('l', 0, 1.5)],
     0x0, [(4, 4, 'l', '930c00cb3ff8000000000000')]),
    ('list_pop', lambda: [lo.list_pop('l', -1)],
     0x0, [(4, 4, 'l', '9205ff')]),
    ('list_pop_range', lambda: [lo.list_pop_range('l', 1, 2)],
     0x0, [(4, 4, 'l', '93060102')]),
    ('list_remove', lambda: [lo.list_remove('l', 0)],
     0x0, [(4, 4, 'l', '920700')]),
    ('list_remove_range', lambda: [lo.list_remove_range('l', 0, 3)],
     0x0, [(4, 4, 'l', '93080003')]),
    ('list_clear', lambda: [lo.list_clear('l')],
     0x0, [(4, 4, 'l', '910b')]),
    ('list_get', lambda: [lo.list_get('l', 3)],
     0x0, [(3, 4, 'l', '921103')]),
    ('list_get_range', lambda: [lo.list_get_range('l', 3, 2)],
     0x0, [(3, 4, 'l', '93120302')]),
    ('list_trim', lambda: [lo.list_trim('l', 1, 2)],
     0x0, [(4, 4, 'l', '930a0102')]),
    ('list_set_order', lambda: [lo.list_set_order('l', a.LIST_ORDERED)],
     0x0, [(4, 4, 'l', '920001')]),
    ('list_sort dd', lambda: [lo.list_sort('l', a.LIST_SORT_DROP_DUPLICATES)],
     0x0, [(4, 4, 'l', '920d02')]),
    ('list_get_by_index_range inv=False cnt=None', lambda: [lo.list_get_by_index_range('l', 1, a.LIST_RETURN_VALUE, None, False)],
     0x0, [(3, 4, 'l', '93180701')]),
    ('list_remove_by_rank_range inv=True cnt=2', lambda: [lo.list_remove_by_rank_range('l', 0, a.LIST_RETURN_RANK, 2, True)],
     0x0, [(4, 4, 'l', '9427ce000100030002')]),
    ('list_get_rel inv=True cnt=None', lambda: [lo.list_get_by_value_rank_range_relative('l', 5, -1, a.LIST_RETURN_VALUE, None, True)],
     0x0, [(3, 4, 'l', '941bce0001000705ff')]),
    ('list_remove_rel inv=False cnt=2', lambda: [lo.list_remove_by_value_rank_range_relative('l', 'x', 1, a.LIST_RETURN_NONE, 2, False)],
     0x0, [(4, 4, 'l', '952800a203780102')]),
    ('map_get_value_rel inv=False cnt=2', lambda: [mo.map_get_by_value_rank_range_relative('m', 5, -1, a.MAP_RETURN_KEY, 2, False)],
     0x80, [(3, 4, 'm', '956e0605ff02')]),
    ('map_remove_key_rel inv=True cnt=None', lambda: [mo.map_remove_by_key_index_range_relative('m', 'k', 2, a.MAP_RETURN_VALUE, None, True)],
     0x80, [(4, 4, 'm', '9458ce00010007a2036b02')]),
    ('list_get_by_value inv=True', lambda: [lo.list_get_by_value('l', 'v', a.LIST_RETURN_INDEX, True)],
     0x0, [(3, 4, 'l', '9316ce00010001a20376')]),
    ('list_remove_by_value_list inv=False', lambda: [lo.list_remove_by_value_list('l', [], a.LIST_RETURN_REVERSE_INDEX, False)],
     0x0, [(4, 4, 'l', '93240290')]),
    ('list_get_by_value_range None 9 inv=False', lambda: [lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, None, 9, False)],
     0x0, [(3, 4, 'l', '941907c009')]),
    ('list_remove_by_value_range 1 None inv=True', lambda: [lo.list_remove_by_value_range('l', a.LIST_RETURN_VALUE, 1, None, True)],
     0x0, [(4, 4, 'l', '9326ce0001000701')]),
    ('map_remove_by_key_range none inv=False', lambda: [mo.map_remove_by_key_range('m', 'a', None, a.MAP_RETURN_VALUE, False)],
     0x80, [(4, 4, 'm', '945407a20361c0')]),
    ('map_remove_by_value_range inv=True', lambda: [mo.map_remove_by_value_range('m', 1, 5, a.MAP_RETURN_COUNT, True)],
     0x80, [(4, 4, 'm', '9456ce000100050105')]),
    ('map_get_by_key_range none inv=False', lambda: [mo.map_get_by_key_range('m', None, 'z', a.MAP_RETURN_KEY, False)],
     0x80, [(3, 4, 'm', '946706c0a2037a')]),
    ('map_get_by_value_list inv=True', lambda: [mo.map_get_by_value_list('m', [1, 2], a.MAP_RETURN_VALUE, True)],
     0x80, [(3, 4, 'm', '936cce00010007920102')]),
    ('map_get_by_index_range inv=False', lambda: [mo.map_get_by_index_range('m', 1, 3, a.MAP_RETURN_ORDERED_MAP, False)],
     0x80, [(3, 4, 'm', '9468110103')]),
    ('map_remove_by_rank_range inv=True', lambda: [mo.map_remove_by_rank_range('m', -2, 2, a.MAP_RETURN_KEY_VALUE, True)],
     0x80, [(4, 4, 'm', '9457ce00010008fe02')]),
    ('list_get_by_index', lambda: [lo.list_get_by_index('l', 2, a.LIST_RETURN_VALUE)],
     0x0, [(3, 4, 'l', '93130702')]),
    ('list_remove_by_rank', lambda: [lo.list_remove_by_rank('l', 0, a.LIST_RETURN_REVERSE_RANK)],
     0x0, [(4, 4, 'l', '93220400')]),
    ("map_put pol={'map_order': a.MAP_KEY_VALUE_ORDERED, 'persist_index': True}", lambda: [mo.map_put('m', 'k', 'v', {'map_order': a.MAP_KEY_VALUE_ORDERED, 'persist_index': True})],
     0x80, [(4, 4, 'm', '9443a2036ba2037613')]),
    ("map_put_items pol={'map_write_flags': a.MAP_WRITE_FLAGS_CREATE_ONLY}", lambda: [mo.map_put_items('m', {'b': 1, 'a': [2]}, {'map_write_flags': a.MAP_WRITE_FLAGS_CREATE_ONLY})],
     0x80, [(4, 4, 'm', '944482a203619102a20362010001')]),
    ("map_increment pol={'map_order': a.MAP_KEY_ORDERED}", lambda: [mo.map_increment('m', 'k', 2, {'map_order': a.MAP_KEY_ORDERED})],
     0x80, [(4, 4, 'm', '9449a2036b0201')]),
    ('map_decrement pol=None', lambda: [mo.map_decrement('m', 'k', 2.5, None)],
     0x80, [(4, 4, 'm', '944aa2036bcb400400000000000000')]),
    ('map_clear', lambda: [mo.map_clear('m')],
     0x80, [(4, 4, 'm', '914b')]),
    ('map_remove_by_key', lambda: [mo.map_remove_by_key('m', 'k', a.MAP_RETURN_VALUE)],
     0x80, [(4, 4, 'm', '934c07a2036b')]),
    ('map_get_by_rank', lambda: [mo.map_get_by_rank('m', 0, a.MAP_RETURN_INDEX)],
     0x80, [(3, 4, 'm', '93640100')]),
    ('map ctx incr', lambda: [mo.map_increment('m', 'k', 1, {'map_order': 1}, [ctx.cdt_ctx_map_key('a'), ctx.cdt_ctx_list_rank(-1)])],
     0x80, [(4, 4, 'm', '93ccff9422a2036111ff9449a2036b0101')]),
    ("value 'é'*40", lambda: [lo.list_append('l', 'é'*40)],
     0x0, [(4, 4, 'l', '9201d95103c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9')]),
    ("value b'\\x00\\xff'", lambda: [lo.list_append('l', b'\x00\xff')],
     0x0, [(4, 4, 'l', '9201a30400ff')]),
    ('value 128', lambda: [lo.list_append('l', 128)],
     0x0, [(4, 4, 'l', '9201cc80')]),
    ('value 2**32', lambda: [lo.list_append('l', 2**32)],
     0x0, [(4, 4, 'l', '9201cf0000000100000000')]),
    ('value -33', lambda: [lo.list_append('l', -33)],
     0x0, [(4, 4, 'l', '9201d0df')]),
    ('value -2**63', lambda: [lo.list_append('l', -2**63)],
     0x0, [(4, 4, 'l', '9201d38000000000000000')]),
    ('value 1.5', lambda: [lo.list_append('l', 1.5)],
     0x0, [(4, 4, 'l', '9201cb3ff8000000000000')]),
    ('value True', lambda: [lo.list_append('l', True)],
     0x0, [(4, 4, 'l', '9201c3')]),
    ('value None', lambda: [lo.list_append('l', None)],
     0x0, [(4, 4, 'l', '9201c0')]),
    ("value {'b': 1, 'a': 2, 'c': 3}", lambda: [lo.list_append('l', {'b': 1, 'a': 2, 'c': 3})],
     0x0, [(4, 4, 'l', '920183a2036102a2036201a2036303')]),
    ("value a.KeyOrderedDict({'b': 1, 'a': 2})", lambda: [lo.list_append('l', a.KeyOrderedDict({'b': 1, 'a': 2}))],
     0x0, [(4, 4, 'l', '920183c70001c0a2036102a2036201')]),
    ("value a.GeoJSON({'type': 'Point', 'coordinates': [1.0, 2.0]})", lambda: [lo.list_append('l', a.GeoJSON({'type': 'Point', 'coordinates': [1.0, 2.0]}))],
     0x0, [(4, 4, 'l', '9201d92d177b2274797065223a2022506f696e74222c2022636f6f7264696e61746573223a205b312e302c20322e305d7d')]),
    ('value a.CDTWildcard()', lambda: [lo.list_append('l', a.CDTWildcard())],
     0x0, [(4, 4, 'l', '9201d4ff00')]),
    ("value HLL(b'\\x01\\x02')", lambda: [lo.list_append('l', HLL(b'\x01\x02'))],
     0x0, [(4, 4, 'l', '9201a3120102')]),
    ('value a.null()', lambda: [lo.list_append('l', a.null())],
     0x0, [(4, 4, 'l', '9201c0')]),
    ('value in ctx key', lambda: [lo.list_size('l', ctx=[ctx.cdt_ctx_map_key(b'bytes'), ctx.cdt_ctx_map_value(1.5), ctx.cdt_ctx_list_value(None)])],
     0x0, [(3, 4, 'l', '93ccff9622a604627974657323cb3ff800000000000013c09110')]),
    ('value range wildcard', lambda: [lo.list_get_by_value_range('l', a.LIST_RETURN_VALUE, [1, a.CDTWildcard()], [1, a.CDTInfinite()])],
     0x0, [(3, 4, 'l', '9419079201d4ff009201d4ff01')]),
    ('map_put_items mixed keys', lambda: [mo.map_put_items('m', {2: 'b', 'a': 1, 1: 'c'})],
     0x80, [(4, 4, 'm', '93448301a2036302a20362a203610100')]),
    ('dict order mixed', lambda: [lo.list_append('l', {b'b': 0, 'b': 1, 2.5: 2, 3: 3, True: 4, None: 5, -7: 6, 'a': 7, b'a': 8, 'aa': 9, 1.5: 10, b'': 11, '': 12, False: 13})],
     0x0, [(4, 4, 'l', '920189f9060303a1030ca2036107a303616109a2036201a1040ba2046108a2046200')]),
    ('kod order mixed', lambda: [lo.list_append('l', a.KeyOrderedDict({'b': 1, 2: 0, b'x': 3, 1.5: 4, None: 5}))],
     0x0, [(4, 4, 'l', '920184c70001c00200a2036201a2047803')]),
    ('bit_resize flags pol=None', lambda: [bo.bit_resize('b', 4, None, a.BIT_RESIZE_FROM_FRONT | a.BIT_RESIZE_GROW_ONLY)],
     0x80, [(13, 4, 'b', '9400040003')]),
    ("bit_insert pol={'bit_write_flags': a.BIT_WRITE_UPDATE_ONLY}", lambda: [bo.bit_insert('b', 1, 2, b'\x01\x02\x03', {'bit_write_flags': a.BIT_WRITE_UPDATE_ONLY})],
     0x80, [(13, 4, 'b', '940101a40401020302')]),
    ('bit_remove pol=None', lambda: [bo.bit_remove('b', 1, 2, None)],
     0x80, [(13, 4, 'b', '9402010200')]),
    ('bit_set pol=None', lambda: [bo.bit_set('b', 1, 12, 2, b'\xff\xf0', None)],
     0x80, [(13, 4, 'b', '9503010ca304fff000')]),
    ('bit_set_int pol=None', lambda: [bo.bit_set_int('b', 0, 8, 255, None)],
     0x80, [(13, 4, 'b', '950c0008ccff00')]),
    ('bit_not pol=None', lambda: [bo.bit_not('b', 2, 3, None)],
     0x80, [(13, 4, 'b', '9407020300')]),
    ('bit_lshift pol=None', lambda: [bo.bit_lshift('b', 0, 16, 3, None)],
     0x80, [(13, 4, 'b', '950800100300')]),
    ('bit_add signed wrap pol=None', lambda: [bo.bit_add('b', 0, 8, 3, True, a.BIT_OVERFLOW_WRAP, None)],
     0x80, [(13, 4, 'b', '960a0008030005')]),
    ("bit_subtract pol={'bit_write_flags': a.BIT_WRITE_UPDATE_ONLY}", lambda: [bo.bit_subtract('b', 8, 8, 1, True, a.BIT_OVERFLOW_SATURATE, {'bit_write_flags': a.BIT_WRITE_UPDATE_ONLY})],
     0x80, [(13, 4, 'b', '960b0808010203')]),
    ('bit_get neg', lambda: [bo.bit_get('b', -8, 8)],
     0x80, [(12, 4, 'b', '9332f808')]),
    ('bit_count', lambda: [bo.bit_count('b', 0, 64)],
     0x80, [(12, 4, 'b', '93330040')]),
    ('bit_get_int signed', lambda: [bo.bit_get_int('b', 0, 8, True)],
     0x80, [(12, 4, 'b', '9436000801')]),
    ('bit_lscan', lambda: [bo.bit_lscan('b', 0, 8, True)],
     0x80, [(12, 4, 'b', '94340008c3')]),
    ('bit_rscan', lambda: [bo.bit_rscan('b', 0, 8, False)],
     0x80, [(12, 4, 'b', '94350008c2')]),
    ('bit_set longer value', lambda: [bo.bit_set('b', 0, 8, 1, b'\x01\x02\x03')],
     0x80, [(13, 4, 'b', '95030008a40401020300')]),
    ('hll_init none pol=None', lambda: [ho.hll_init('h', None, None, None)],
     0x80, [(16, 4, 'h', '9400ffff00')]),
    ("hll_add pol={'flags': a.HLL_WRITE_CREATE_ONLY}", lambda: [ho.hll_add('h', ['a', 1, b'x'], 8, 4, {'flags': a.HLL_WRITE_CREATE_ONLY})],
     0x80, [(16, 4, 'h', '950193a2036101a20478080401')]),
    ('hll_set_union pol=None', lambda: [ho.hll_set_union('h', [HLL(b'\x01\x02'), HLL(b'\x03')], None)],
     0x80, [(16, 4, 'h', '930292a3120102a2120300')]),
    ('hll_refresh_count', lambda: [ho.hll_refresh_count('h')],
     0x80, [(16, 4, 'h', '9103')]),
    ('hll_fold', lambda: [ho.hll_fold('h', 6)],
     0x80, [(16, 4, 'h', '920406')]),
    ('hll_get_count', lambda: [ho.hll_get_count('h')],
     0x80, [(15, 4, 'h', '9132')]),
    ('hll_describe', lambda: [ho.hll_describe('h')],
     0x80, [(15, 4, 'h', '9137')]),
    ('hll_get_union', lambda: [ho.hll_get_union('h', [HLL(b'\x01')])],
     0x80, [(15, 4, 'h', '923391a21201')]),
    ('hll_get_similarity', lambda: [ho.hll_get_similarity('h', [HLL(b'\x01')])],
     0x80, [(15, 4, 'h', '923691a21201')]),
    ('mix list read write', lambda: [lo.list_append('l', 1), lo.list_size('l'), op.read('l')],
     0x0, [(4, 4, 'l', '920101'), (3, 4, 'l', '9110'), (1, 0, 'l', '')]),
    ('mix map read', lambda: [op.read('x'), mo.map_size('m')],
     0x80, [(1, 0, 'x', ''), (3, 4, 'm', '9160')]),
    ('mix bit write+read', lambda: [bo.bit_resize('b', 4), bo.bit_count('b', 0, 8)],
     0x80, [(13, 4, 'b', '9400040000'), (12, 4, 'b', '93330008')]),
    ('mix touch+map', lambda: [op.touch(), mo.map_size('m')],
     0x80, [(11, 0, '', ''), (3, 4, 'm', '9160')]),
    ('mix write+list', lambda: [op.write('x', 1), lo.list_size('l')],
     0x0, [(2, 1, 'x', '0000000000000001'), (3, 4, 'l', '9110')]),
    ('old dict map put policy', lambda: [{'op': a.OP_MAP_PUT, 'bin': 'm', 'key': 'k', 'val': 1, 'map_policy': {'map_order': 1}}],
     0x80, [(4, 4, 'm', '9443a2036b0101')]),
    ('old dict map get by key inverted', lambda: [{'op': a.OP_MAP_GET_BY_KEY, 'bin': 'm', 'key': 'k', 'return_type': 7, 'inverted': True}],
     0x80, [(3, 4, 'm', '9361ce00010007a2036b')]),
    ('old dict map get by index range', lambda: [{'op': a.OP_MAP_GET_BY_INDEX_RANGE, 'bin': 'm', 'index': 1, 'val': 2, 'return_type': 7}],
     0x80, [(3, 4, 'm', '9468070102')]),
    ('old dict map get by key range', lambda: [{'op': a.OP_MAP_GET_BY_KEY_RANGE, 'bin': 'm', 'key': 'a', 'range': 'c', 'return_type': 7}],
     0x80, [(3, 4, 'm', '946707a20361a20363')]),
    ('count negative', lambda: [lo.list_get_by_index_range('l', 0, 7, -1)],
     0x0, [(3, 4, 'l', '94180700cfffffffffffffffff')]),
    ('list_get_range neg', lambda: [lo.list_get_range('l', 0, -1)],
     0x0, [(3, 4, 'l', '931200cfffffffffffffffff')]),
]


@pytest.mark.parametrize("call, build, expected", HELPER_DICTS, ids=[row[0] for row in HELPER_DICTS])
def test_helper_results(call, build, expected):
    assert plain(build()) == expected


def test_helpers_return_fresh_dicts():
    first, second = lo.list_size("l"), lo.list_size("l")
    assert first == second and first is not second


def test_value_byte_size_helpers_warn():
    for build in (lambda: bo.bit_set("b", 0, 8, 1, b"\x01"), lambda: bo.bit_or("b", 0, 8, 1, b"\x01"),
                  lambda: bo.bit_xor("b", 0, 8, 1, b"\x01"), lambda: bo.bit_and("b", 0, 8, 1, b"\x01"),
                  lambda: bo.bit_insert("b", 0, 1, b"\x01")):
        with pytest.warns(DeprecationWarning, match="value_byte_size is deprecated"):
            build()


def test_map_put_items_sorts_comparable_keys():
    assert list(mo.map_put_items("m", {"b": 1, "a": 2})["val"]) == ["a", "b"]
    ordered = mo.map_put_items("m", a.KeyOrderedDict({"b": 1, "a": 2}))["val"]
    assert type(ordered) is dict and list(ordered) == ["a", "b"]
    mixed = {2: 1, "a": 2}
    assert mo.map_put_items("m", mixed)["val"] is mixed


def test_ctx_module_helpers():
    assert ctx.CDT_CTX_ORDER_KEY == "order_key" and ctx.CDT_CTX_PAD_KEY == "pad_key"
    assert ctx.index_type_string(a.INDEX_TYPE_MAPKEYS) == "mapkeys"
    assert ctx.index_datatype_string(a.INDEX_GEO2DSPHERE) == "geo2dsphere"
    assert ctx.index_type_string(99) == ctx.index_datatype_string(99) == "invalid"


# -- recording the requests ----------------------------------------------------------------------

class RecordingProxy:
    """Forwards loopback connections to the server and keeps the body of every AS_MSG (proto
    type 3) a client sends."""

    def __init__(self, target):
        self.target = target
        self.requests = []
        self._sockets = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.address = self._listener.getsockname()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    @staticmethod
    def _exact(sock, n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def _pump(self, src, dst, record):
        try:
            while True:
                header = self._exact(src, 8)
                if header is None:
                    break
                size = struct.unpack(">Q", header)[0] & ((1 << 48) - 1)
                body = self._exact(src, size) if size else b""
                if body is None:
                    break
                if record and header[1] == 3:
                    with self._lock:
                        self.requests.append(body)
                dst.sendall(header + body)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.close()
                except OSError:
                    pass

    def close(self):
        self._closed = True
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.close()
                except OSError:
                    pass


def parse_request(body):
    """(info2, [(op type, particle type, bin, payload hex), ...]) of an AS_MSG body."""
    header_size = body[0]
    info2 = body[2]
    n_fields, n_ops = struct.unpack_from(">HH", body, 18)
    pos = header_size
    for _ in range(n_fields):
        (size,) = struct.unpack_from(">I", body, pos)
        pos += 4 + size
    ops = []
    for _ in range(n_ops):
        size, op_type, particle_type, _version, name_len = struct.unpack_from(">IBBBB", body, pos)
        name = body[pos + 8:pos + 8 + name_len].decode()
        value = body[pos + 8 + name_len:pos + 4 + size]
        ops.append((op_type, particle_type, name, value.hex()))
        pos += 4 + size
    return info2, ops


@pytest.fixture(scope="module")
def recording(spikelite_server):
    proxy = RecordingProxy((spikelite_server.host, spikelite_server.port))
    client = a.client({"hosts": [proxy.address]})
    try:
        yield proxy, client
    finally:
        client.close()
        proxy.close()


def sent_by(recording, call):
    proxy, _ = recording
    start = len(proxy.requests)
    try:
        call()
    except a.exception.AerospikeError:
        pass  # what the server makes of the ops is not under test here
    assert len(proxy.requests) > start, "no request was sent"
    return parse_request(proxy.requests[start])


@pytest.mark.parametrize("name, operations, respond_all, expected", ENCODED, ids=[row[0] for row in ENCODED])
def test_operate_sends_the_official_bytes(recording, key, name, operations, respond_all, expected):
    _, client = recording
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info2, ops = sent_by(recording, lambda: client.operate(key("enc"), operations()))
    assert ops == expected
    assert info2 & RESPOND_ALL_OPS == respond_all


def test_operate_ordered_sends_the_same_bytes(recording, key):
    _, client = recording
    operations = [lo.list_append("l", 1), mo.map_size("m"), bo.bit_count("b", 0, 8)]
    plain_ops = sent_by(recording, lambda: client.operate(key("o"), operations))
    ordered_ops = sent_by(recording, lambda: client.operate_ordered(key("o"), operations))
    assert plain_ops == ordered_ops
    assert plain_ops[0] & RESPOND_ALL_OPS


def test_results_by_bin(recording, key):
    """operate() keeps the last result of each bin, operate_ordered() every result in order."""
    _, client = recording
    k = key("results")
    client.put(k, {"l": [1, 2, 3], "x": 5})
    ops = [lo.list_get("l", 0), lo.list_get("l", 1), op.read("x")]
    assert client.operate(k, ops)[2] == {"l": 2, "x": 5}
    assert client.operate_ordered(k, ops)[2] == [("l", 1), ("l", 2), ("x", 5)]
