# Type stub of purespike's `aerospike` module (the public API of the official client it replaces).
# The constants block is generated from tests/data/aerospike_constants.tsv; the rest is written by
# hand. `./dev test` runs mypy's stubtest against the runtime module, so a name added to purespike
# without its type, or a stub that disagrees with the code, fails the build.

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypedDict, TypeVar, final

from aerospike_helpers.batch.records import BatchRecords
from aerospike_helpers.cdt_ctx import _cdt_ctx
from aerospike_helpers.expressions.resources import TypeExpression
from aerospike_helpers.metrics import ClusterStats, MetricsPolicy

from . import exception as exception, predicates as predicates

__version__: str
__purespike__: Literal[True]

# --- shapes of arguments and results ----------------------------------------------------------------

_UserKey: TypeAlias = str | int | bytes | bytearray
#: A key given to the client: `(namespace, set, user key)` or `(namespace, set, None, digest)`.
_Key: TypeAlias = tuple[str, str | None, _UserKey] | tuple[str, str | None, _UserKey | None, bytes | bytearray]
#: A key returned by the client: the user key is None unless it was stored (POLICY_KEY_SEND).
_KeyOut: TypeAlias = tuple[str, str | None, _UserKey | None, bytearray]

#: Lists of keys are `list[_K]`: a `list[tuple[str, str, str]]` is accepted (list is invariant).
_K = TypeVar("_K", bound=_Key)

class _RecordMeta(TypedDict):
    ttl: int
    gen: int

_Bins: TypeAlias = dict[str, Any]
_Record: TypeAlias = tuple[_KeyOut, _RecordMeta, _Bins]
_MaybeRecord: TypeAlias = tuple[_KeyOut, _RecordMeta | None, _Bins | None]
_Policy: TypeAlias = Mapping[str, Any]
_Meta: TypeAlias = Mapping[str, Any]
_Operation: TypeAlias = dict[str, Any]
_Predicate: TypeAlias = tuple[Any, ...]
_Serializer: TypeAlias = Callable[[Any], bytes | bytearray]
_Deserializer: TypeAlias = Callable[[bytes], Any]
_LogHandler: TypeAlias = Callable[[int, str, str, str, int], Any]

# --- constants --------------------------------------------------------------------------------------
ABORT_ALREADY_ABORTED: Literal[1]
ABORT_CLOSE_ABANDONED: Literal[4]
ABORT_COMMIT_FAILED: Literal[5]
ABORT_OK: Literal[0]
ABORT_ROLL_BACK_ABANDONED: Literal[3]
AS_BOOL: Literal[1]
AS_BYTES_BLOB: Literal[4]
AS_BYTES_BOOL: Literal[17]
AS_BYTES_CSHARP: Literal[8]
AS_BYTES_DOUBLE: Literal[2]
AS_BYTES_ERLANG: Literal[12]
AS_BYTES_GEOJSON: Literal[23]
AS_BYTES_HLL: Literal[18]
AS_BYTES_INTEGER: Literal[1]
AS_BYTES_JAVA: Literal[7]
AS_BYTES_LIST: Literal[20]
AS_BYTES_MAP: Literal[19]
AS_BYTES_PHP: Literal[11]
AS_BYTES_PYTHON: Literal[9]
AS_BYTES_RUBY: Literal[10]
AS_BYTES_STRING: Literal[3]
AS_BYTES_TYPE_MAX: Literal[24]
AS_BYTES_UNDEF: Literal[0]
AUTH_EXTERNAL: Literal[1]
AUTH_EXTERNAL_INSECURE: Literal[2]
AUTH_INTERNAL: Literal[0]
AUTH_PKI: Literal[3]
BIT_OVERFLOW_FAIL: Literal[0]
BIT_OVERFLOW_SATURATE: Literal[2]
BIT_OVERFLOW_WRAP: Literal[4]
BIT_RESIZE_DEFAULT: Literal[0]
BIT_RESIZE_FROM_FRONT: Literal[1]
BIT_RESIZE_GROW_ONLY: Literal[2]
BIT_RESIZE_SHRINK_ONLY: Literal[4]
BIT_WRITE_CREATE_ONLY: Literal[1]
BIT_WRITE_DEFAULT: Literal[0]
BIT_WRITE_NO_FAIL: Literal[4]
BIT_WRITE_PARTIAL: Literal[8]
BIT_WRITE_UPDATE_ONLY: Literal[2]
CDT_CTX_LIST_INDEX: Literal[16]
CDT_CTX_LIST_INDEX_CREATE: Literal[20]
CDT_CTX_LIST_RANK: Literal[17]
CDT_CTX_LIST_VALUE: Literal[19]
CDT_CTX_MAP_INDEX: Literal[32]
CDT_CTX_MAP_KEY: Literal[34]
CDT_CTX_MAP_KEY_CREATE: Literal[36]
CDT_CTX_MAP_RANK: Literal[33]
CDT_CTX_MAP_VALUE: Literal[35]
COMMIT_ALREADY_COMMITTED: Literal[1]
COMMIT_CLOSE_ABANDONED: Literal[6]
COMMIT_OK: Literal[0]
COMMIT_ROLL_FORWARD_ABANDONED: Literal[5]
ERROR_DETAIL_EXP_TRACE: Literal[3]
ERROR_DETAIL_MESSAGE: Literal[2]
ERROR_DETAIL_NONE: Literal[0]
ERROR_DETAIL_SUBCODE: Literal[1]
EXP_LOOPVAR_INDEX: Literal[2]
EXP_LOOPVAR_KEY: Literal[0]
EXP_LOOPVAR_VALUE: Literal[1]
EXP_PATH_MODIFY_DEFAULT: Literal[0]
EXP_PATH_MODIFY_NO_FAIL: Literal[16]
EXP_PATH_SELECT_LIST_VALUE: Literal[1]
EXP_PATH_SELECT_MAP_KEY: Literal[2]
EXP_PATH_SELECT_MAP_KEY_VALUE: Literal[3]
EXP_PATH_SELECT_MAP_VALUE: Literal[1]
EXP_PATH_SELECT_MATCHING_TREE: Literal[0]
EXP_PATH_SELECT_NO_FAIL: Literal[16]
EXP_PATH_SELECT_VALUE: Literal[1]
EXP_READ_DEFAULT: Literal[0]
EXP_READ_EVAL_NO_FAIL: Literal[16]
EXP_WRITE_ALLOW_DELETE: Literal[4]
EXP_WRITE_CREATE_ONLY: Literal[1]
EXP_WRITE_DEFAULT: Literal[0]
EXP_WRITE_EVAL_NO_FAIL: Literal[16]
EXP_WRITE_POLICY_NO_FAIL: Literal[8]
EXP_WRITE_UPDATE_ONLY: Literal[2]
HLL_WRITE_ALLOW_FOLD: Literal[8]
HLL_WRITE_CREATE_ONLY: Literal[1]
HLL_WRITE_DEFAULT: Literal[0]
HLL_WRITE_NO_FAIL: Literal[4]
HLL_WRITE_UPDATE_ONLY: Literal[2]
INDEX_BLOB: Literal[3]
INDEX_GEO2DSPHERE: Literal[2]
INDEX_INTEGER: Literal[1]
INDEX_NUMERIC: Literal[4]
INDEX_STRING: Literal[0]
INDEX_TYPE_DEFAULT: Literal[0]
INDEX_TYPE_LIST: Literal[1]
INDEX_TYPE_MAPKEYS: Literal[2]
INDEX_TYPE_MAPVALUES: Literal[3]
INTEGER: Literal[0]
JOB_QUERY: Literal['query']
JOB_SCAN: Literal['scan']
JOB_STATUS_COMPLETED: Literal[2]
JOB_STATUS_INPROGRESS: Literal[1]
JOB_STATUS_UNDEF: Literal[0]
LIST_ORDERED: Literal[1]
LIST_RETURN_COUNT: Literal[5]
LIST_RETURN_EXISTS: Literal[13]
LIST_RETURN_INDEX: Literal[1]
LIST_RETURN_NONE: Literal[0]
LIST_RETURN_RANK: Literal[3]
LIST_RETURN_REVERSE_INDEX: Literal[2]
LIST_RETURN_REVERSE_RANK: Literal[4]
LIST_RETURN_VALUE: Literal[7]
LIST_SORT_DEFAULT: Literal[0]
LIST_SORT_DROP_DUPLICATES: Literal[2]
LIST_UNORDERED: Literal[0]
LIST_WRITE_ADD_UNIQUE: Literal[1]
LIST_WRITE_DEFAULT: Literal[0]
LIST_WRITE_INSERT_BOUNDED: Literal[2]
LIST_WRITE_NO_FAIL: Literal[4]
LIST_WRITE_PARTIAL: Literal[8]
LOG_LEVEL_DEBUG: Literal[3]
LOG_LEVEL_ERROR: Literal[0]
LOG_LEVEL_INFO: Literal[2]
LOG_LEVEL_OFF: Literal[-1]
LOG_LEVEL_TRACE: Literal[4]
LOG_LEVEL_WARN: Literal[1]
MAP_KEY_ORDERED: Literal[1]
MAP_KEY_VALUE_ORDERED: Literal[3]
MAP_RETURN_COUNT: Literal[5]
MAP_RETURN_EXISTS: Literal[13]
MAP_RETURN_INDEX: Literal[1]
MAP_RETURN_KEY: Literal[6]
MAP_RETURN_KEY_VALUE: Literal[8]
MAP_RETURN_NONE: Literal[0]
MAP_RETURN_ORDERED_MAP: Literal[17]
MAP_RETURN_RANK: Literal[3]
MAP_RETURN_REVERSE_INDEX: Literal[2]
MAP_RETURN_REVERSE_RANK: Literal[4]
MAP_RETURN_UNORDERED_MAP: Literal[16]
MAP_RETURN_VALUE: Literal[7]
MAP_UNORDERED: Literal[0]
MAP_WRITE_FLAGS_CREATE_ONLY: Literal[1]
MAP_WRITE_FLAGS_DEFAULT: Literal[0]
MAP_WRITE_FLAGS_NO_FAIL: Literal[4]
MAP_WRITE_FLAGS_PARTIAL: Literal[8]
MAP_WRITE_FLAGS_UPDATE_ONLY: Literal[2]
MAP_WRITE_NO_FAIL: Literal[4]
MAP_WRITE_PARTIAL: Literal[8]
OPERATOR_APPEND: Literal[9]
OPERATOR_DELETE: Literal[14]
OPERATOR_INCR: Literal[6]
OPERATOR_PREPEND: Literal[10]
OPERATOR_READ: Literal[0]
OPERATOR_TOUCH: Literal[11]
OPERATOR_WRITE: Literal[1]
OP_BIT_ADD: Literal[2010]
OP_BIT_AND: Literal[2006]
OP_BIT_COUNT: Literal[2015]
OP_BIT_GET: Literal[2014]
OP_BIT_GET_INT: Literal[2012]
OP_BIT_INSERT: Literal[2001]
OP_BIT_LSCAN: Literal[2016]
OP_BIT_LSHIFT: Literal[2008]
OP_BIT_NOT: Literal[2007]
OP_BIT_OR: Literal[2004]
OP_BIT_REMOVE: Literal[2002]
OP_BIT_RESIZE: Literal[2000]
OP_BIT_RSCAN: Literal[2017]
OP_BIT_RSHIFT: Literal[2009]
OP_BIT_SET: Literal[2003]
OP_BIT_SET_INT: Literal[2013]
OP_BIT_SUBTRACT: Literal[2011]
OP_BIT_XOR: Literal[2005]
OP_EXPR_READ: Literal[2200]
OP_EXPR_WRITE: Literal[2201]
OP_HLL_ADD: Literal[2100]
OP_HLL_DESCRIBE: Literal[2101]
OP_HLL_FOLD: Literal[2102]
OP_HLL_GET_COUNT: Literal[2103]
OP_HLL_GET_INTERSECT_COUNT: Literal[2104]
OP_HLL_GET_SIMILARITY: Literal[2105]
OP_HLL_GET_UNION: Literal[2106]
OP_HLL_GET_UNION_COUNT: Literal[2107]
OP_HLL_INIT: Literal[2108]
OP_HLL_MAY_CONTAIN: Literal[2111]
OP_HLL_REFRESH_COUNT: Literal[2109]
OP_HLL_SET_UNION: Literal[2110]
OP_LIST_APPEND: Literal[1001]
OP_LIST_APPEND_ITEMS: Literal[1002]
OP_LIST_CLEAR: Literal[1009]
OP_LIST_CREATE: Literal[1041]
OP_LIST_GET: Literal[1011]
OP_LIST_GET_BY_INDEX: Literal[1016]
OP_LIST_GET_BY_INDEX_RANGE: Literal[1017]
OP_LIST_GET_BY_INDEX_RANGE_TO_END: Literal[1035]
OP_LIST_GET_BY_RANK: Literal[1018]
OP_LIST_GET_BY_RANK_RANGE: Literal[1019]
OP_LIST_GET_BY_RANK_RANGE_TO_END: Literal[1036]
OP_LIST_GET_BY_VALUE: Literal[1020]
OP_LIST_GET_BY_VALUE_LIST: Literal[1021]
OP_LIST_GET_BY_VALUE_RANGE: Literal[1022]
OP_LIST_GET_BY_VALUE_RANK_RANGE_REL: Literal[1033]
OP_LIST_GET_BY_VALUE_RANK_RANGE_REL_TO_END: Literal[1034]
OP_LIST_GET_RANGE: Literal[1012]
OP_LIST_INCREMENT: Literal[1015]
OP_LIST_INSERT: Literal[1003]
OP_LIST_INSERT_ITEMS: Literal[1004]
OP_LIST_POP: Literal[1005]
OP_LIST_POP_RANGE: Literal[1006]
OP_LIST_REMOVE: Literal[1007]
OP_LIST_REMOVE_BY_INDEX: Literal[1023]
OP_LIST_REMOVE_BY_INDEX_RANGE: Literal[1024]
OP_LIST_REMOVE_BY_INDEX_RANGE_TO_END: Literal[1039]
OP_LIST_REMOVE_BY_RANK: Literal[1025]
OP_LIST_REMOVE_BY_RANK_RANGE: Literal[1026]
OP_LIST_REMOVE_BY_RANK_RANGE_TO_END: Literal[1040]
OP_LIST_REMOVE_BY_REL_RANK_RANGE: Literal[1038]
OP_LIST_REMOVE_BY_REL_RANK_RANGE_TO_END: Literal[1037]
OP_LIST_REMOVE_BY_VALUE: Literal[1027]
OP_LIST_REMOVE_BY_VALUE_LIST: Literal[1028]
OP_LIST_REMOVE_BY_VALUE_RANGE: Literal[1029]
OP_LIST_REMOVE_BY_VALUE_RANK_RANGE_REL: Literal[1032]
OP_LIST_REMOVE_RANGE: Literal[1008]
OP_LIST_SET: Literal[1010]
OP_LIST_SET_ORDER: Literal[1030]
OP_LIST_SIZE: Literal[1014]
OP_LIST_SORT: Literal[1031]
OP_LIST_TRIM: Literal[1013]
OP_MAP_CLEAR: Literal[1107]
OP_MAP_CREATE: Literal[1144]
OP_MAP_DECREMENT: Literal[1105]
OP_MAP_GET_BY_INDEX: Literal[1122]
OP_MAP_GET_BY_INDEX_RANGE: Literal[1123]
OP_MAP_GET_BY_INDEX_RANGE_TO_END: Literal[1142]
OP_MAP_GET_BY_KEY: Literal[1118]
OP_MAP_GET_BY_KEY_INDEX_RANGE_REL: Literal[1131]
OP_MAP_GET_BY_KEY_LIST: Literal[1127]
OP_MAP_GET_BY_KEY_RANGE: Literal[1119]
OP_MAP_GET_BY_KEY_REL_INDEX_RANGE: Literal[1140]
OP_MAP_GET_BY_KEY_REL_INDEX_RANGE_TO_END: Literal[1136]
OP_MAP_GET_BY_RANK: Literal[1124]
OP_MAP_GET_BY_RANK_RANGE: Literal[1125]
OP_MAP_GET_BY_RANK_RANGE_TO_END: Literal[1143]
OP_MAP_GET_BY_VALUE: Literal[1120]
OP_MAP_GET_BY_VALUE_LIST: Literal[1126]
OP_MAP_GET_BY_VALUE_RANGE: Literal[1121]
OP_MAP_GET_BY_VALUE_RANK_RANGE_REL: Literal[1130]
OP_MAP_GET_BY_VALUE_RANK_RANGE_REL_TO_END: Literal[1141]
OP_MAP_INCREMENT: Literal[1104]
OP_MAP_PUT: Literal[1102]
OP_MAP_PUT_ITEMS: Literal[1103]
OP_MAP_REMOVE_BY_INDEX: Literal[1114]
OP_MAP_REMOVE_BY_INDEX_RANGE: Literal[1115]
OP_MAP_REMOVE_BY_INDEX_RANGE_TO_END: Literal[1134]
OP_MAP_REMOVE_BY_KEY: Literal[1108]
OP_MAP_REMOVE_BY_KEY_INDEX_RANGE_REL: Literal[1129]
OP_MAP_REMOVE_BY_KEY_LIST: Literal[1109]
OP_MAP_REMOVE_BY_KEY_RANGE: Literal[1110]
OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE: Literal[1137]
OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE_TO_END: Literal[1132]
OP_MAP_REMOVE_BY_RANK: Literal[1116]
OP_MAP_REMOVE_BY_RANK_RANGE: Literal[1117]
OP_MAP_REMOVE_BY_RANK_RANGE_TO_END: Literal[1135]
OP_MAP_REMOVE_BY_VALUE: Literal[1111]
OP_MAP_REMOVE_BY_VALUE_LIST: Literal[1112]
OP_MAP_REMOVE_BY_VALUE_RANGE: Literal[1113]
OP_MAP_REMOVE_BY_VALUE_RANK_RANGE_REL: Literal[1128]
OP_MAP_REMOVE_BY_VALUE_REL_INDEX_RANGE: Literal[1138]
OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE: Literal[1139]
OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE_TO_END: Literal[1133]
OP_MAP_SET_POLICY: Literal[1101]
OP_MAP_SIZE: Literal[1106]
POLICY_COMMIT_LEVEL_ALL: Literal[0]
POLICY_COMMIT_LEVEL_MASTER: Literal[1]
POLICY_EXISTS_CREATE: Literal[1]
POLICY_EXISTS_CREATE_OR_REPLACE: Literal[4]
POLICY_EXISTS_IGNORE: Literal[0]
POLICY_EXISTS_REPLACE: Literal[3]
POLICY_EXISTS_UPDATE: Literal[2]
POLICY_GEN_EQ: Literal[1]
POLICY_GEN_GT: Literal[2]
POLICY_GEN_IGNORE: Literal[0]
POLICY_KEY_DIGEST: Literal[0]
POLICY_KEY_SEND: Literal[1]
POLICY_READ_MODE_AP_ALL: Literal[1]
POLICY_READ_MODE_AP_ONE: Literal[0]
POLICY_READ_MODE_SC_ALLOW_REPLICA: Literal[2]
POLICY_READ_MODE_SC_ALLOW_UNAVAILABLE: Literal[3]
POLICY_READ_MODE_SC_LINEARIZE: Literal[1]
POLICY_READ_MODE_SC_SESSION: Literal[0]
POLICY_REPLICA_ANY: Literal[1]
POLICY_REPLICA_MASTER: Literal[0]
POLICY_REPLICA_PREFER_RACK: Literal[3]
POLICY_REPLICA_RANDOM: Literal[4]
POLICY_REPLICA_SEQUENCE: Literal[2]
POLICY_RETRY_NONE: Literal[0]
POLICY_RETRY_ONCE: Literal[1]
PRIV_DATA_ADMIN: Literal[2]
PRIV_READ: Literal[10]
PRIV_READ_WRITE: Literal[11]
PRIV_READ_WRITE_UDF: Literal[12]
PRIV_SINDEX_ADMIN: Literal[4]
PRIV_SYS_ADMIN: Literal[1]
PRIV_TRUNCATE: Literal[14]
PRIV_UDF_ADMIN: Literal[3]
PRIV_USER_ADMIN: Literal[0]
PRIV_WRITE: Literal[13]
QUERY_DURATION_LONG: Literal[0]
QUERY_DURATION_LONG_RELAX_AP: Literal[2]
QUERY_DURATION_SHORT: Literal[1]
REGEX_EXTENDED: Literal[1]
REGEX_ICASE: Literal[2]
REGEX_NEWLINE: Literal[8]
REGEX_NONE: Literal[0]
REGEX_NOSUB: Literal[4]
SERIALIZER_JSON: Literal[2]
SERIALIZER_NONE: Literal[0]
SERIALIZER_USER: Literal[3]
SUB_BIN_NAME_COUNT_TOO_LARGE: Literal[1]
SUB_BIN_NOT_FOUND_HLL_CANNOT_CREATE_WITH_OP: Literal[1]
SUB_FILTERED_BINS: Literal[2]
SUB_FILTERED_BINS_EVAL_FAILED: Literal[4]
SUB_FILTERED_META: Literal[1]
SUB_FILTERED_META_EVAL_FAILED: Literal[3]
SUB_FORBID_CLOCK_SKEW_STOP_WRITES: Literal[4]
SUB_FORBID_DURABILITY_VIOLATION: Literal[8]
SUB_FORBID_MASKING_POLICY_BLOCKED: Literal[7]
SUB_FORBID_MASKING_ROLE_VIOLATION: Literal[9]
SUB_FORBID_REPLACE_CONFLICT_RESOLVING: Literal[5]
SUB_FORBID_SET_COUNT_STOP_WRITES: Literal[2]
SUB_FORBID_SET_SIZE_STOP_WRITES: Literal[3]
SUB_FORBID_TRUNCATED: Literal[6]
SUB_FORBID_XDR_FILTER_BLOCKED: Literal[1]
SUB_MRT_BLOCKED_ID_MISMATCH: Literal[2]
SUB_MRT_BLOCKED_RECORD_LOCKED: Literal[1]
SUB_NONE: Literal[0]
SUB_OPNOT_CDT_BOUNDED_LIST_OVERFLOW: Literal[3]
SUB_OPNOT_CDT_INDEX_OUT_OF_BOUNDS: Literal[1]
SUB_OPNOT_CDT_RANK_OUT_OF_BOUNDS: Literal[2]
SUB_OPNOT_HLL_CANNOT_FOLD_MINHASH: Literal[7]
SUB_OPNOT_HLL_CANNOT_REDUCE_INDEX_BITS: Literal[5]
SUB_OPNOT_HLL_CANNOT_REDUCE_MINHASH_BITS: Literal[6]
SUB_OPNOT_HLL_FOLD_INDEX_BITS_TOO_LARGE: Literal[8]
SUB_OPNOT_HLL_INDEX_BITS_UNSET: Literal[4]
SUB_OPNOT_HLL_INTERSECT_MINHASH_MISMATCH: Literal[9]
SUB_OPNOT_STRING_B64_INVALID: Literal[13]
SUB_OPNOT_STRING_CONVERSION_FAILED: Literal[10]
SUB_OPNOT_STRING_REGEX_LIMIT_EXCEEDED: Literal[12]
SUB_OPNOT_STRING_UTF8_INVALID: Literal[11]
SUB_PARAM_BIN_COUNT_TOO_LARGE: Literal[5]
SUB_PARAM_BITS_OFFSET_OUT_OF_RANGE: Literal[2]
SUB_PARAM_BITS_RESIZE_EXCEEDED: Literal[4]
SUB_PARAM_BITS_SIZE_OUT_OF_RANGE: Literal[3]
SUB_PARAM_STRING_CTX_MALFORMED: Literal[8]
SUB_PARAM_STRING_INDEX_OUT_OF_BOUNDS: Literal[9]
SUB_PARAM_STRING_OP_PARAMS_INVALID: Literal[6]
SUB_PARAM_STRING_REGEX_INVALID: Literal[10]
SUB_PARAM_STRING_UTF8_INVALID: Literal[11]
SUB_PARAM_TTL_INVALID: Literal[1]
SUB_UNAVAIL_INITIAL_BALANCE_UNRESOLVED: Literal[1]
SUB_UNAVAIL_REPLICA_UNAVAILABLE: Literal[2]
SUB_UNSUPP_FEAT_GENERIC: Literal[2]
SUB_UNSUPP_FEAT_MRT_REQUIRES_STRONG_CONSISTENCY: Literal[1]
TTL_CLIENT_DEFAULT: Literal[4294967293]
TTL_DONT_UPDATE: Literal[4294967294]
TTL_NAMESPACE_DEFAULT: Literal[0]
TTL_NEVER_EXPIRE: Literal[4294967295]
TXN_STATE_ABORTED: Literal[3]
TXN_STATE_COMMITTED: Literal[2]
TXN_STATE_COMMIT_FAILED: Literal[4]
TXN_STATE_OPEN: Literal[0]
TXN_STATE_VERIFIED: Literal[1]
UDF_TYPE_LUA: Literal[0]
_AS_CDT_CTX_AND: Literal[512]
_AS_CDT_CTX_EXP: Literal[4]
_AS_CDT_CTX_MAP_KEYS_IN: Literal[42]
_AS_EXP_CODE_CALL: Literal[127]
_AS_EXP_CODE_CALL_APPLY: Literal[3011]
_AS_EXP_CODE_CALL_SELECT: Literal[3010]
_AS_EXP_CODE_IN_LIST: Literal[9]
_AS_EXP_CODE_MAP_KEYS_IN: Literal[101]
_AS_EXP_CODE_MAP_VALUES_IN: Literal[102]
_AS_EXP_CODE_REMOVE_RESULT: Literal[100]
_AS_EXP_LOOPVAR_BLOB: Literal[3005]
_AS_EXP_LOOPVAR_BOOL: Literal[3006]
_AS_EXP_LOOPVAR_FLOAT: Literal[3000]
_AS_EXP_LOOPVAR_GEOJSON: Literal[3008]
_AS_EXP_LOOPVAR_HLL: Literal[3009]
_AS_EXP_LOOPVAR_INT: Literal[3001]
_AS_EXP_LOOPVAR_LIST: Literal[3002]
_AS_EXP_LOOPVAR_MAP: Literal[3003]
_AS_EXP_LOOPVAR_NIL: Literal[3007]
_AS_EXP_LOOPVAR_STR: Literal[3004]
_AS_OPERATOR_CDT_MODIFY: Literal[3]
_AS_OPERATOR_CDT_READ: Literal[2]
_CDT_APPLY_MOD_EXP_KEY: Literal['mod_exp']
_CDT_CTX_FILTER_EXPR_KEY: Literal['filter_expr']
_CDT_FLAGS_KEY: Literal['cdt_flags']
_OP_BIT_B64_ENCODE: Literal[2018]
_OP_BIT_B64_ENCODE_RANGE: Literal[2019]
_OP_LIST_JOIN: Literal[1042]
_OP_LIST_JOIN_SEPARATOR: Literal[1043]
_OP_STRING_APPEND: Literal[1237]
_OP_STRING_B64_DECODE: Literal[1217]
_OP_STRING_BYTE_LENGTH: Literal[1210]
_OP_STRING_CASE_FOLD: Literal[1228]
_OP_STRING_CHAR_AT: Literal[1203]
_OP_STRING_CONCAT: Literal[1221]
_OP_STRING_CONTAINS: Literal[1205]
_OP_STRING_ENDS_WITH: Literal[1207]
_OP_STRING_FIND: Literal[1204]
_OP_STRING_INSERT: Literal[1219]
_OP_STRING_IS_LOWER: Literal[1213]
_OP_STRING_IS_NUMERIC: Literal[1211]
_OP_STRING_IS_UPPER: Literal[1212]
_OP_STRING_LOWER: Literal[1227]
_OP_STRING_NORMALIZE_NFC: Literal[1229]
_OP_STRING_OVERWRITE: Literal[1220]
_OP_STRING_PAD_END: Literal[1234]
_OP_STRING_PAD_START: Literal[1233]
_OP_STRING_PREPEND: Literal[1238]
_OP_STRING_REGEX_COMPARE: Literal[1218]
_OP_STRING_REGEX_REPLACE: Literal[1236]
_OP_STRING_REPEAT: Literal[1235]
_OP_STRING_REPLACE: Literal[1224]
_OP_STRING_REPLACE_ALL: Literal[1225]
_OP_STRING_SNIP: Literal[1222]
_OP_STRING_SNIP_START: Literal[1223]
_OP_STRING_SPLIT: Literal[1215]
_OP_STRING_SPLIT_SEPARATOR: Literal[1216]
_OP_STRING_STARTS_WITH: Literal[1206]
_OP_STRING_STRLEN: Literal[1200]
_OP_STRING_SUBSTR: Literal[1201]
_OP_STRING_SUBSTR_RANGE: Literal[1202]
_OP_STRING_TO_BLOB: Literal[1214]
_OP_STRING_TO_DOUBLE: Literal[1209]
_OP_STRING_TO_INTEGER: Literal[1208]
_OP_STRING_TO_STRING: Literal[1239]
_OP_STRING_TRIM: Literal[1232]
_OP_STRING_TRIM_END: Literal[1231]
_OP_STRING_TRIM_START: Literal[1230]
_OP_STRING_UPPER: Literal[1226]
_STR_EXP_COUNT_KEY: Literal['count']
_STR_EXP_END_KEY: Literal['end']
_STR_EXP_INDEX_KEY: Literal['index']
_STR_EXP_NEEDLE_KEY: Literal['needle']
_STR_EXP_NUMERIC_TYPE_KEY: Literal['numeric_type']
_STR_EXP_OCCURRENCE_KEY: Literal['occurrence']
_STR_EXP_PAD_STRING_KEY: Literal['pad_string']
_STR_EXP_PATTERN_KEY: Literal['pattern']
_STR_EXP_POLICY_KEY: Literal['str_policy']
_STR_EXP_PREFIX_KEY: Literal['prefix']
_STR_EXP_REGEX_FLAGS_KEY: Literal['regex_flags']
_STR_EXP_REPLACEMENT_KEY: Literal['replacement']
_STR_EXP_SEPARATOR_KEY: Literal['separator']
_STR_EXP_START_KEY: Literal['start']
_STR_EXP_SUFFIX_KEY: Literal['suffix']
_STR_EXP_TARGET_LENGTH_KEY: Literal['target_length']

# --- values -----------------------------------------------------------------------------------------

@final
class null:
    def __new__(cls) -> null: ...

@final
class CDTWildcard:
    def __new__(cls) -> CDTWildcard: ...

@final
class CDTInfinite:
    def __new__(cls) -> CDTInfinite: ...

class KeyOrderedDict(dict[Any, Any]): ...

class GeoJSON:
    geo_data: Any
    def __init__(self, geo_data: str | Mapping[str, Any] = ...) -> None: ...
    def wrap(self, geo_data: Mapping[str, Any]) -> None: ...
    def unwrap(self) -> dict[str, Any]: ...
    def loads(self, raw_geo: str) -> None: ...
    def dumps(self) -> str: ...

def geodata(geo_data: Mapping[str, Any]) -> GeoJSON: ...
def geojson(geojson_str: str) -> GeoJSON: ...

# --- module functions -------------------------------------------------------------------------------

def client(config: Mapping[str, Any]) -> Client: ...
def calc_digest(ns: str, set: str | None, key: _UserKey) -> bytearray: ...
def get_partition_id(digest: bytes | bytearray) -> int: ...
def set_log_level(log_level: int) -> None: ...
def set_log_handler(callback: _LogHandler | None = ...) -> None: ...
def set_serializer(callback: _Serializer) -> None: ...
def set_deserializer(callback: _Deserializer) -> None: ...
def unset_serializers() -> None: ...

# --- dynamic configuration ---------------------------------------------------------------------------

class ConfigProvider:
    def __init__(self, path: str, interval: int = 5000) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def interval(self) -> int: ...

# --- queries and scans ------------------------------------------------------------------------------

class _RecordStream:
    ttl: int
    def select(self, *bins: str) -> None: ...
    def paginate(self) -> None: ...
    def is_done(self) -> bool: ...
    def get_partitions_status(self) -> dict[Any, Any]: ...
    def add_ops(self, ops: list[_Operation]) -> None: ...
    def execute_background(self, policy: _Policy | None = None) -> int: ...
    def apply(self, module: str, function: str, arguments: list[Any] | None = None) -> None: ...

class Query(_RecordStream):
    max_records: int
    records_per_second: int
    def where(self, predicate: _Predicate, ctx: list[_cdt_ctx] | None = None) -> Query: ...
    def where_with_expr(self, expr: TypeExpression, predicate: _Predicate, /) -> Query: ...
    def where_with_index_name(self, index_name: str, predicate: _Predicate, /) -> Query: ...
    def results(self, policy: _Policy | None = None, options: Mapping[str, Any] | None = None) -> list[_Record]: ...
    def foreach(self, callback: Callable[[_Record], bool | None], policy: _Policy | None = None,
                options: Mapping[str, Any] | None = None) -> None: ...

class Scan(_RecordStream):
    def results(self, policy: _Policy | None = None, nodename: str | None = None) -> list[_Record]: ...
    def foreach(self, callback: Callable[[_Record], bool | None], policy: _Policy | None = None,
                options: Mapping[str, Any] | None = None, nodename: str | None = None) -> None: ...

# --- the client -------------------------------------------------------------------------------------

@final
class Transaction:
    def __init__(self, reads_capacity: int = 128, writes_capacity: int = 128) -> None: ...
    @property
    def id(self) -> int: ...
    @property
    def in_doubt(self) -> bool: ...
    @property
    def state(self) -> int: ...
    timeout: int

class Client:
    def commit(self, transaction: Transaction) -> int: ...
    def abort(self, transaction: Transaction) -> int: ...
    def __init__(self, config: Mapping[str, Any]) -> None: ...
    def connect(self, username: str | None = None, password: str | None = None) -> Client: ...
    def is_connected(self) -> bool: ...
    def close(self) -> None: ...
    def shm_key(self) -> int | None: ...
    def get_policies(self) -> dict[str, Any]: ...
    def get_expression_base64(self, compiled_expression: TypeExpression) -> str: ...
    def get_cdtctx_base64(self, ctx: list[_cdt_ctx]) -> str: ...

    # single record
    def get(self, key: _Key, policy: _Policy | None = None) -> _Record: ...
    def select(self, key: _Key, bins: list[str] | tuple[str, ...], policy: _Policy | None = None) -> _Record: ...
    def exists(self, key: _Key, policy: _Policy | None = None) -> tuple[_KeyOut, _RecordMeta | None]: ...
    def put(self, key: _Key, bins: Mapping[str, Any], meta: _Meta | None = None, policy: _Policy | None = None,
            serializer: int | None = None) -> None: ...
    def remove(self, key: _Key, meta: _Meta | None = None, policy: _Policy | None = None) -> None: ...
    def remove_bin(self, key: _Key, list: list[str], meta: _Meta | None = None, policy: _Policy | None = None) -> None: ...
    def append(self, key: _Key, bin: str, val: str | bytes | bytearray, meta: _Meta | None = None,
               policy: _Policy | None = None) -> None: ...
    def prepend(self, key: _Key, bin: str, val: str | bytes | bytearray, meta: _Meta | None = None,
                policy: _Policy | None = None) -> None: ...
    def increment(self, key: _Key, bin: str, offset: int | float, meta: _Meta | None = None,
                  policy: _Policy | None = None) -> None: ...
    def touch(self, key: _Key, val: int = 0, meta: _Meta | None = None, policy: _Policy | None = None) -> None: ...
    def operate(self, key: _Key, list: list[_Operation], meta: _Meta | None = None,
                policy: _Policy | None = None) -> _Record: ...
    def operate_ordered(self, key: _Key, list: list[_Operation], meta: _Meta | None = None,
                        policy: _Policy | None = None) -> tuple[_KeyOut, _RecordMeta, list[tuple[str, Any]]]: ...

    # batch
    def batch_read(self, keys: list[_K], bins: list[str] | None = None, policy: _Policy | None = None) -> BatchRecords: ...
    def batch_operate(self, keys: list[_K], ops: list[_Operation], policy_batch: _Policy | None = None,
                      policy_batch_write: _Policy | None = None, ttl: int | None = None) -> BatchRecords: ...
    def batch_remove(self, keys: list[_K], policy_batch: _Policy | None = None,
                     policy_batch_remove: _Policy | None = None) -> BatchRecords: ...
    def batch_write(self, batch_records: BatchRecords, policy_batch: _Policy | None = None) -> BatchRecords: ...
    def batch_apply(self, keys: list[_K], module: str, function: str, args: list[Any],
                    policy_batch: _Policy | None = None, policy_batch_apply: _Policy | None = None) -> BatchRecords: ...
    def get_many(self, keys: list[_K], policy: _Policy | None = None) -> list[_MaybeRecord]: ...
    def select_many(self, keys: list[_K], bins: list[str], policy: _Policy | None = None) -> list[_MaybeRecord]: ...
    def exists_many(self, keys: list[_K], policy: _Policy | None = None) -> list[tuple[_KeyOut, _RecordMeta | None]]: ...
    def batch_get_ops(self, keys: list[_K], ops: list[_Operation], policy: _Policy | None = None) -> list[_MaybeRecord]: ...

    # queries, scans, background jobs, UDFs
    def query(self, namespace: str, set: str | None = None) -> Query: ...
    def scan(self, namespace: str, set: str | None = None) -> Scan: ...
    def job_info(self, job_id: int, module: str, policy: _Policy | None = None) -> dict[str, Any]: ...
    def query_apply(self, ns: str, set: str | None, predicate: _Predicate | None, module: str, function: str,
                    args: list[Any] | None = None, policy: _Policy | None = None) -> int: ...
    def scan_apply(self, ns: str, set: str | None, module: str, function: str, args: list[Any] | None = None,
                   policy: _Policy | None = None, options: Mapping[str, Any] | None = None) -> int: ...
    def apply(self, key: _Key, module: str, function: str, args: list[Any], policy: _Policy | None = None) -> Any: ...
    def udf_put(self, filename: str, udf_type: int = 0, policy: _Policy | None = None) -> None: ...
    def udf_remove(self, module: str, policy: _Policy | None = None) -> None: ...
    def udf_list(self, policy: _Policy | None = None) -> list[dict[str, Any]]: ...
    def udf_get(self, module: str, language: int = 0, policy: _Policy | None = None) -> str: ...

    # secondary indexes
    def index_single_value_create(self, ns: str, set: str | None, bin: str, index_datatype: int, name: str,
                                  policy: _Policy | None = None, ctx: list[_cdt_ctx] | None = None) -> None: ...
    def index_integer_create(self, ns: str, set: str | None, bin: str, name: str, policy: _Policy | None = None) -> None: ...
    def index_string_create(self, ns: str, set: str | None, bin: str, name: str, policy: _Policy | None = None) -> None: ...
    def index_blob_create(self, ns: str, set: str | None, bin: str, name: str, policy: _Policy | None = None) -> None: ...
    def index_geo2dsphere_create(self, ns: str, set: str | None, bin: str, name: str,
                                 policy: _Policy | None = None) -> None: ...
    def index_list_create(self, ns: str, set: str | None, bin: str, index_datatype: int, name: str,
                          policy: _Policy | None = None, ctx: list[_cdt_ctx] | None = None) -> None: ...
    def index_map_keys_create(self, ns: str, set: str | None, bin: str, index_datatype: int, name: str,
                              policy: _Policy | None = None, ctx: list[_cdt_ctx] | None = None) -> None: ...
    def index_map_values_create(self, ns: str, set: str | None, bin: str, index_datatype: int, name: str,
                                policy: _Policy | None = None, ctx: list[_cdt_ctx] | None = None) -> None: ...
    def index_cdt_create(self, ns: str, set: str | None, bin: str, index_type: int, index_datatype: int, name: str,
                         ctx: list[_cdt_ctx], policy: _Policy | None = None) -> None: ...
    def index_expr_create(self, ns: str, set: str | None, index_type: int, index_datatype: int,
                          expressions: TypeExpression, name: str, policy: _Policy | None = None) -> None: ...
    def index_set_create(self, ns: str, set: str | None, name: str, policy: _Policy | None = None) -> None: ...
    def index_remove(self, ns: str, name: str, policy: _Policy | None = None) -> None: ...

    # cluster and info
    def get_key_partition_id(self, ns: str, set: str | None, key: _UserKey) -> int: ...
    def get_nodes(self) -> list[tuple[str, int]]: ...
    def get_node_names(self) -> list[dict[str, Any]]: ...
    def info_all(self, command: str, policy: _Policy | None = None) -> dict[str, tuple[exception.AerospikeError | None, str]]: ...
    def info_random_node(self, command: str, policy: _Policy | None = None) -> str: ...
    def info_single_node(self, command: str, host: tuple[str, int] | str, policy: _Policy | None = None) -> str: ...
    def enable_metrics(self, policy: MetricsPolicy | None = None) -> None: ...
    def disable_metrics(self) -> None: ...
    def get_stats(self) -> ClusterStats: ...
    def set_xdr_filter(self, data_center: str, namespace: str, expression_filter: TypeExpression | None,
                       policy: _Policy | None = None) -> str: ...
    def truncate(self, namespace: str, set: str | None, nanos: int, policy: _Policy | None = None) -> int: ...

    # users and roles
    def admin_create_user(self, username: str, password: str, roles: list[str], policy: _Policy | None = None) -> None: ...
    def admin_create_pki_user(self, username: str, roles: list[str], policy: _Policy | None = None) -> None: ...
    def admin_drop_user(self, username: str, policy: _Policy | None = None) -> None: ...
    def admin_set_password(self, username: str, password: str, policy: _Policy | None = None) -> None: ...
    def admin_change_password(self, username: str, password: str, policy: _Policy | None = None) -> None: ...
    def admin_grant_roles(self, username: str, roles: list[str], policy: _Policy | None = None) -> None: ...
    def admin_revoke_roles(self, username: str, roles: list[str], policy: _Policy | None = None) -> None: ...
    def admin_query_user_info(self, user: str, policy: _Policy | None = None) -> dict[str, Any]: ...
    def admin_query_users_info(self, policy: _Policy | None = None) -> dict[str, dict[str, Any]]: ...
    def admin_create_role(self, role: str, privileges: list[dict[str, Any]] | None = None,
                          policy: _Policy | None = None, whitelist: list[str] | None = None, read_quota: int = 0,
                          write_quota: int = 0) -> None: ...
    def admin_drop_role(self, role: str, policy: _Policy | None = None) -> None: ...
    def admin_grant_privileges(self, role: str, privileges: list[dict[str, Any]], policy: _Policy | None = None) -> None: ...
    def admin_revoke_privileges(self, role: str, privileges: list[dict[str, Any]], policy: _Policy | None = None) -> None: ...
    def admin_set_whitelist(self, role: str, whitelist: list[str] | None, policy: _Policy | None = None) -> None: ...
    def admin_set_quotas(self, role: str, read_quota: int = -1, write_quota: int = -1,
                         policy: _Policy | None = None) -> None: ...
    def admin_query_role(self, role: str, policy: _Policy | None = None) -> list[dict[str, Any]]: ...
    def admin_query_roles(self, policy: _Policy | None = None) -> dict[str, list[dict[str, Any]]]: ...
    def admin_get_role(self, role: str, policy: _Policy | None = None) -> dict[str, Any]: ...
    def admin_get_roles(self, policy: _Policy | None = None) -> dict[str, dict[str, Any]]: ...
