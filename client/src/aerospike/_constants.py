"""Module-level constants of the ``aerospike`` package.

Every UPPER_CASE name the official client (19.3.0) exposes on ``aerospike``,
with the same value and type (all are ``int`` except ``JOB_SCAN``/``JOB_QUERY``
and the private ``_*_KEY`` dictionary keys, which are ``str``).

The underscore-prefixed names at the end are not documented, but the official
``aerospike_helpers`` package reads them from ``aerospike`` (``aerospike._CDT_FLAGS_KEY``
and so on), so they are part of what a drop-in replacement has to provide; they
are listed in ``__all__`` so that ``from ._constants import *`` re-exports them.
"""

# ---------------------------------------------------------------------------
# Policy values
# ---------------------------------------------------------------------------

# policy "key": store only the digest, or also send/store the user key
POLICY_KEY_DIGEST = 0
POLICY_KEY_SEND = 1

# policy "exists": what a write does depending on whether the record exists
POLICY_EXISTS_IGNORE = 0
POLICY_EXISTS_CREATE = 1
POLICY_EXISTS_UPDATE = 2
POLICY_EXISTS_REPLACE = 3
POLICY_EXISTS_CREATE_OR_REPLACE = 4

# policy "gen": generation check on writes
POLICY_GEN_IGNORE = 0
POLICY_GEN_EQ = 1
POLICY_GEN_GT = 2

# policy "commit_level"
POLICY_COMMIT_LEVEL_ALL = 0
POLICY_COMMIT_LEVEL_MASTER = 1

# policy "read_mode_ap" (AP namespaces)
POLICY_READ_MODE_AP_ONE = 0
POLICY_READ_MODE_AP_ALL = 1

# policy "read_mode_sc" (strong-consistency namespaces)
POLICY_READ_MODE_SC_SESSION = 0
POLICY_READ_MODE_SC_LINEARIZE = 1
POLICY_READ_MODE_SC_ALLOW_REPLICA = 2
POLICY_READ_MODE_SC_ALLOW_UNAVAILABLE = 3

# policy "replica": which replica a command goes to
POLICY_REPLICA_MASTER = 0
POLICY_REPLICA_ANY = 1
POLICY_REPLICA_SEQUENCE = 2
POLICY_REPLICA_PREFER_RACK = 3
POLICY_REPLICA_RANDOM = 4

# policy "retry" (legacy)
POLICY_RETRY_NONE = 0
POLICY_RETRY_ONCE = 1

# query policy "expected_duration"
QUERY_DURATION_LONG = 0
QUERY_DURATION_SHORT = 1
QUERY_DURATION_LONG_RELAX_AP = 2

# ---------------------------------------------------------------------------
# Record time-to-live special values (meta "ttl" / policy "ttl")
# ---------------------------------------------------------------------------

TTL_NAMESPACE_DEFAULT = 0
TTL_CLIENT_DEFAULT = 0xFFFFFFFD  # 4294967293: use the client's policy default
TTL_DONT_UPDATE = 0xFFFFFFFE  # 4294967294: keep the record's current ttl
TTL_NEVER_EXPIRE = 0xFFFFFFFF  # 4294967295: never expire

# ---------------------------------------------------------------------------
# Serialization and value types
# ---------------------------------------------------------------------------

# serializer choice for put()/set_serializer()
SERIALIZER_NONE = 0
SERIALIZER_JSON = 2
SERIALIZER_USER = 3

# config "send_bool_as": how Python bools are written
INTEGER = 0
AS_BOOL = 1

# as_bytes types (the particle/blob type tags of bytes values)
AS_BYTES_UNDEF = 0
AS_BYTES_INTEGER = 1
AS_BYTES_DOUBLE = 2
AS_BYTES_STRING = 3
AS_BYTES_BLOB = 4
AS_BYTES_JAVA = 7
AS_BYTES_CSHARP = 8
AS_BYTES_PYTHON = 9
AS_BYTES_RUBY = 10
AS_BYTES_PHP = 11
AS_BYTES_ERLANG = 12
AS_BYTES_BOOL = 17
AS_BYTES_HLL = 18
AS_BYTES_MAP = 19
AS_BYTES_LIST = 20
AS_BYTES_GEOJSON = 23
AS_BYTES_TYPE_MAX = 24

# ---------------------------------------------------------------------------
# Secondary indexes
# ---------------------------------------------------------------------------

# index data types
INDEX_STRING = 0
INDEX_INTEGER = 1
INDEX_GEO2DSPHERE = 2
INDEX_BLOB = 3
INDEX_NUMERIC = 4

# index collection types
INDEX_TYPE_DEFAULT = 0
INDEX_TYPE_LIST = 1
INDEX_TYPE_MAPKEYS = 2
INDEX_TYPE_MAPVALUES = 3

# ---------------------------------------------------------------------------
# Background jobs and UDFs
# ---------------------------------------------------------------------------

# job_info() module names (strings, not ints)
JOB_SCAN = "scan"
JOB_QUERY = "query"

# job_info() "status"
JOB_STATUS_UNDEF = 0
JOB_STATUS_INPROGRESS = 1
JOB_STATUS_COMPLETED = 2

# udf_put() language
UDF_TYPE_LUA = 0

# ---------------------------------------------------------------------------
# Logging, authentication, security
# ---------------------------------------------------------------------------

# set_log_level()
LOG_LEVEL_OFF = -1
LOG_LEVEL_ERROR = 0
LOG_LEVEL_WARN = 1
LOG_LEVEL_INFO = 2
LOG_LEVEL_DEBUG = 3
LOG_LEVEL_TRACE = 4

# config "policies" -> "auth_mode"
AUTH_INTERNAL = 0
AUTH_EXTERNAL = 1
AUTH_EXTERNAL_INSECURE = 2
AUTH_PKI = 3

# role privileges (admin_* calls)
PRIV_USER_ADMIN = 0
PRIV_SYS_ADMIN = 1
PRIV_DATA_ADMIN = 2
PRIV_UDF_ADMIN = 3
PRIV_SINDEX_ADMIN = 4
PRIV_READ = 10
PRIV_READ_WRITE = 11
PRIV_READ_WRITE_UDF = 12
PRIV_WRITE = 13
PRIV_TRUNCATE = 14

# ---------------------------------------------------------------------------
# Regular expression flags (predicates / expressions)
# ---------------------------------------------------------------------------

REGEX_NONE = 0
REGEX_EXTENDED = 1
REGEX_ICASE = 2
REGEX_NOSUB = 4
REGEX_NEWLINE = 8

# ---------------------------------------------------------------------------
# Operation codes: basic record operators (client.operate)
# ---------------------------------------------------------------------------

OPERATOR_READ = 0
OPERATOR_WRITE = 1
OPERATOR_INCR = 6
OPERATOR_APPEND = 9
OPERATOR_PREPEND = 10
OPERATOR_TOUCH = 11
OPERATOR_DELETE = 14

# expression operations
OP_EXPR_READ = 2200
OP_EXPR_WRITE = 2201

# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------

# list order
LIST_UNORDERED = 0
LIST_ORDERED = 1

# list sort flags
LIST_SORT_DEFAULT = 0
LIST_SORT_DROP_DUPLICATES = 2

# list write flags (bitwise OR-able)
LIST_WRITE_DEFAULT = 0
LIST_WRITE_ADD_UNIQUE = 1
LIST_WRITE_INSERT_BOUNDED = 2
LIST_WRITE_NO_FAIL = 4
LIST_WRITE_PARTIAL = 8

# list return types
LIST_RETURN_NONE = 0
LIST_RETURN_INDEX = 1
LIST_RETURN_REVERSE_INDEX = 2
LIST_RETURN_RANK = 3
LIST_RETURN_REVERSE_RANK = 4
LIST_RETURN_COUNT = 5
LIST_RETURN_VALUE = 7
LIST_RETURN_EXISTS = 13

# list operation codes (op dicts built by aerospike_helpers.operations.list_operations)
OP_LIST_APPEND = 1001
OP_LIST_APPEND_ITEMS = 1002
OP_LIST_INSERT = 1003
OP_LIST_INSERT_ITEMS = 1004
OP_LIST_POP = 1005
OP_LIST_POP_RANGE = 1006
OP_LIST_REMOVE = 1007
OP_LIST_REMOVE_RANGE = 1008
OP_LIST_CLEAR = 1009
OP_LIST_SET = 1010
OP_LIST_GET = 1011
OP_LIST_GET_RANGE = 1012
OP_LIST_TRIM = 1013
OP_LIST_SIZE = 1014
OP_LIST_INCREMENT = 1015
OP_LIST_GET_BY_INDEX = 1016
OP_LIST_GET_BY_INDEX_RANGE = 1017
OP_LIST_GET_BY_RANK = 1018
OP_LIST_GET_BY_RANK_RANGE = 1019
OP_LIST_GET_BY_VALUE = 1020
OP_LIST_GET_BY_VALUE_LIST = 1021
OP_LIST_GET_BY_VALUE_RANGE = 1022
OP_LIST_REMOVE_BY_INDEX = 1023
OP_LIST_REMOVE_BY_INDEX_RANGE = 1024
OP_LIST_REMOVE_BY_RANK = 1025
OP_LIST_REMOVE_BY_RANK_RANGE = 1026
OP_LIST_REMOVE_BY_VALUE = 1027
OP_LIST_REMOVE_BY_VALUE_LIST = 1028
OP_LIST_REMOVE_BY_VALUE_RANGE = 1029
OP_LIST_SET_ORDER = 1030
OP_LIST_SORT = 1031
OP_LIST_REMOVE_BY_VALUE_RANK_RANGE_REL = 1032
OP_LIST_GET_BY_VALUE_RANK_RANGE_REL = 1033
OP_LIST_GET_BY_VALUE_RANK_RANGE_REL_TO_END = 1034
OP_LIST_GET_BY_INDEX_RANGE_TO_END = 1035
OP_LIST_GET_BY_RANK_RANGE_TO_END = 1036
OP_LIST_REMOVE_BY_REL_RANK_RANGE_TO_END = 1037
OP_LIST_REMOVE_BY_REL_RANK_RANGE = 1038
OP_LIST_REMOVE_BY_INDEX_RANGE_TO_END = 1039
OP_LIST_REMOVE_BY_RANK_RANGE_TO_END = 1040
OP_LIST_CREATE = 1041

# ---------------------------------------------------------------------------
# Maps
# ---------------------------------------------------------------------------

# map order
MAP_UNORDERED = 0
MAP_KEY_ORDERED = 1
MAP_KEY_VALUE_ORDERED = 3

# map write flags (bitwise OR-able); MAP_WRITE_NO_FAIL/PARTIAL are aliases
MAP_WRITE_FLAGS_DEFAULT = 0
MAP_WRITE_FLAGS_CREATE_ONLY = 1
MAP_WRITE_FLAGS_UPDATE_ONLY = 2
MAP_WRITE_FLAGS_NO_FAIL = 4
MAP_WRITE_FLAGS_PARTIAL = 8
MAP_WRITE_NO_FAIL = 4
MAP_WRITE_PARTIAL = 8

# map return types
MAP_RETURN_NONE = 0
MAP_RETURN_INDEX = 1
MAP_RETURN_REVERSE_INDEX = 2
MAP_RETURN_RANK = 3
MAP_RETURN_REVERSE_RANK = 4
MAP_RETURN_COUNT = 5
MAP_RETURN_KEY = 6
MAP_RETURN_VALUE = 7
MAP_RETURN_KEY_VALUE = 8
MAP_RETURN_EXISTS = 13
MAP_RETURN_UNORDERED_MAP = 16
MAP_RETURN_ORDERED_MAP = 17

# map operation codes (op dicts built by aerospike_helpers.operations.map_operations)
OP_MAP_SET_POLICY = 1101
OP_MAP_PUT = 1102
OP_MAP_PUT_ITEMS = 1103
OP_MAP_INCREMENT = 1104
OP_MAP_DECREMENT = 1105
OP_MAP_SIZE = 1106
OP_MAP_CLEAR = 1107
OP_MAP_REMOVE_BY_KEY = 1108
OP_MAP_REMOVE_BY_KEY_LIST = 1109
OP_MAP_REMOVE_BY_KEY_RANGE = 1110
OP_MAP_REMOVE_BY_VALUE = 1111
OP_MAP_REMOVE_BY_VALUE_LIST = 1112
OP_MAP_REMOVE_BY_VALUE_RANGE = 1113
OP_MAP_REMOVE_BY_INDEX = 1114
OP_MAP_REMOVE_BY_INDEX_RANGE = 1115
OP_MAP_REMOVE_BY_RANK = 1116
OP_MAP_REMOVE_BY_RANK_RANGE = 1117
OP_MAP_GET_BY_KEY = 1118
OP_MAP_GET_BY_KEY_RANGE = 1119
OP_MAP_GET_BY_VALUE = 1120
OP_MAP_GET_BY_VALUE_RANGE = 1121
OP_MAP_GET_BY_INDEX = 1122
OP_MAP_GET_BY_INDEX_RANGE = 1123
OP_MAP_GET_BY_RANK = 1124
OP_MAP_GET_BY_RANK_RANGE = 1125
OP_MAP_GET_BY_VALUE_LIST = 1126
OP_MAP_GET_BY_KEY_LIST = 1127
OP_MAP_REMOVE_BY_VALUE_RANK_RANGE_REL = 1128
OP_MAP_REMOVE_BY_KEY_INDEX_RANGE_REL = 1129
OP_MAP_GET_BY_VALUE_RANK_RANGE_REL = 1130
OP_MAP_GET_BY_KEY_INDEX_RANGE_REL = 1131
OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE_TO_END = 1132
OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE_TO_END = 1133
OP_MAP_REMOVE_BY_INDEX_RANGE_TO_END = 1134
OP_MAP_REMOVE_BY_RANK_RANGE_TO_END = 1135
OP_MAP_GET_BY_KEY_REL_INDEX_RANGE_TO_END = 1136
OP_MAP_REMOVE_BY_KEY_REL_INDEX_RANGE = 1137
OP_MAP_REMOVE_BY_VALUE_REL_INDEX_RANGE = 1138
OP_MAP_REMOVE_BY_VALUE_REL_RANK_RANGE = 1139
OP_MAP_GET_BY_KEY_REL_INDEX_RANGE = 1140
OP_MAP_GET_BY_VALUE_RANK_RANGE_REL_TO_END = 1141
OP_MAP_GET_BY_INDEX_RANGE_TO_END = 1142
OP_MAP_GET_BY_RANK_RANGE_TO_END = 1143
OP_MAP_CREATE = 1144

# ---------------------------------------------------------------------------
# CDT context element types (aerospike_helpers.cdt_ctx)
# ---------------------------------------------------------------------------

CDT_CTX_LIST_INDEX = 0x10
CDT_CTX_LIST_RANK = 0x11
CDT_CTX_LIST_VALUE = 0x13
CDT_CTX_LIST_INDEX_CREATE = 0x14
CDT_CTX_MAP_INDEX = 0x20
CDT_CTX_MAP_RANK = 0x21
CDT_CTX_MAP_KEY = 0x22
CDT_CTX_MAP_VALUE = 0x23
CDT_CTX_MAP_KEY_CREATE = 0x24

# ---------------------------------------------------------------------------
# Bitwise (blob) operations
# ---------------------------------------------------------------------------

# bit write flags
BIT_WRITE_DEFAULT = 0
BIT_WRITE_CREATE_ONLY = 1
BIT_WRITE_UPDATE_ONLY = 2
BIT_WRITE_NO_FAIL = 4
BIT_WRITE_PARTIAL = 8

# bit resize flags
BIT_RESIZE_DEFAULT = 0
BIT_RESIZE_FROM_FRONT = 1
BIT_RESIZE_GROW_ONLY = 2
BIT_RESIZE_SHRINK_ONLY = 4

# bit add/subtract overflow actions
BIT_OVERFLOW_FAIL = 0
BIT_OVERFLOW_SATURATE = 2
BIT_OVERFLOW_WRAP = 4

# bit operation codes
OP_BIT_RESIZE = 2000
OP_BIT_INSERT = 2001
OP_BIT_REMOVE = 2002
OP_BIT_SET = 2003
OP_BIT_OR = 2004
OP_BIT_XOR = 2005
OP_BIT_AND = 2006
OP_BIT_NOT = 2007
OP_BIT_LSHIFT = 2008
OP_BIT_RSHIFT = 2009
OP_BIT_ADD = 2010
OP_BIT_SUBTRACT = 2011
OP_BIT_GET_INT = 2012
OP_BIT_SET_INT = 2013
OP_BIT_GET = 2014
OP_BIT_COUNT = 2015
OP_BIT_LSCAN = 2016
OP_BIT_RSCAN = 2017

# ---------------------------------------------------------------------------
# HyperLogLog operations
# ---------------------------------------------------------------------------

# HLL write flags
HLL_WRITE_DEFAULT = 0
HLL_WRITE_CREATE_ONLY = 1
HLL_WRITE_UPDATE_ONLY = 2
HLL_WRITE_NO_FAIL = 4
HLL_WRITE_ALLOW_FOLD = 8

# HLL operation codes
OP_HLL_ADD = 2100
OP_HLL_DESCRIBE = 2101
OP_HLL_FOLD = 2102
OP_HLL_GET_COUNT = 2103
OP_HLL_GET_INTERSECT_COUNT = 2104
OP_HLL_GET_SIMILARITY = 2105
OP_HLL_GET_UNION = 2106
OP_HLL_GET_UNION_COUNT = 2107
OP_HLL_INIT = 2108
OP_HLL_REFRESH_COUNT = 2109
OP_HLL_SET_UNION = 2110
OP_HLL_MAY_CONTAIN = 2111

# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------

# expression read flags
EXP_READ_DEFAULT = 0
EXP_READ_EVAL_NO_FAIL = 16

# expression write flags
EXP_WRITE_DEFAULT = 0
EXP_WRITE_CREATE_ONLY = 1
EXP_WRITE_UPDATE_ONLY = 2
EXP_WRITE_ALLOW_DELETE = 4
EXP_WRITE_POLICY_NO_FAIL = 8
EXP_WRITE_EVAL_NO_FAIL = 16

# path expressions: select flags (EXP_PATH_SELECT_VALUE and _MAP_VALUE/_LIST_VALUE share 1)
EXP_PATH_SELECT_MATCHING_TREE = 0
EXP_PATH_SELECT_VALUE = 1
EXP_PATH_SELECT_LIST_VALUE = 1
EXP_PATH_SELECT_MAP_VALUE = 1
EXP_PATH_SELECT_MAP_KEY = 2
EXP_PATH_SELECT_MAP_KEY_VALUE = 3
EXP_PATH_SELECT_NO_FAIL = 16

# path expressions: modify flags
EXP_PATH_MODIFY_DEFAULT = 0
EXP_PATH_MODIFY_NO_FAIL = 16

# path expressions: loop variables
EXP_LOOPVAR_KEY = 0
EXP_LOOPVAR_VALUE = 1
EXP_LOOPVAR_INDEX = 2

# ---------------------------------------------------------------------------
# Multi-record transactions
# ---------------------------------------------------------------------------

# Client.commit() results
COMMIT_OK = 0
COMMIT_ALREADY_COMMITTED = 1
COMMIT_ROLL_FORWARD_ABANDONED = 5
COMMIT_CLOSE_ABANDONED = 6

# Client.abort() results
ABORT_OK = 0
ABORT_ALREADY_ABORTED = 1
ABORT_ROLL_BACK_ABANDONED = 3
ABORT_CLOSE_ABANDONED = 4
ABORT_COMMIT_FAILED = 5

# Transaction.state
TXN_STATE_OPEN = 0
TXN_STATE_VERIFIED = 1
TXN_STATE_COMMITTED = 2
TXN_STATE_ABORTED = 3
TXN_STATE_COMMIT_FAILED = 4

# ---------------------------------------------------------------------------
# Error details and result sub-codes
# ---------------------------------------------------------------------------

# policy "error_detail"
ERROR_DETAIL_NONE = 0
ERROR_DETAIL_SUBCODE = 1
ERROR_DETAIL_MESSAGE = 2
ERROR_DETAIL_EXP_TRACE = 3

SUB_NONE = 0

# sub-codes of result 4 (parameter / invalid request)
SUB_PARAM_TTL_INVALID = 1
SUB_PARAM_BITS_OFFSET_OUT_OF_RANGE = 2
SUB_PARAM_BITS_SIZE_OUT_OF_RANGE = 3
SUB_PARAM_BITS_RESIZE_EXCEEDED = 4
SUB_PARAM_BIN_COUNT_TOO_LARGE = 5
SUB_PARAM_STRING_OP_PARAMS_INVALID = 6
SUB_PARAM_STRING_CTX_MALFORMED = 8
SUB_PARAM_STRING_INDEX_OUT_OF_BOUNDS = 9
SUB_PARAM_STRING_REGEX_INVALID = 10
SUB_PARAM_STRING_UTF8_INVALID = 11

# sub-codes of "unavailable"
SUB_UNAVAIL_INITIAL_BALANCE_UNRESOLVED = 1
SUB_UNAVAIL_REPLICA_UNAVAILABLE = 2

# sub-codes of result 16 (unsupported feature)
SUB_UNSUPP_FEAT_MRT_REQUIRES_STRONG_CONSISTENCY = 1
SUB_UNSUPP_FEAT_GENERIC = 2

# sub-code of result 17 (bin not found)
SUB_BIN_NOT_FOUND_HLL_CANNOT_CREATE_WITH_OP = 1

# sub-code of result 21 (bin name)
SUB_BIN_NAME_COUNT_TOO_LARGE = 1

# sub-codes of result 22 (forbidden)
SUB_FORBID_XDR_FILTER_BLOCKED = 1
SUB_FORBID_SET_COUNT_STOP_WRITES = 2
SUB_FORBID_SET_SIZE_STOP_WRITES = 3
SUB_FORBID_CLOCK_SKEW_STOP_WRITES = 4
SUB_FORBID_REPLACE_CONFLICT_RESOLVING = 5
SUB_FORBID_TRUNCATED = 6
SUB_FORBID_MASKING_POLICY_BLOCKED = 7
SUB_FORBID_DURABILITY_VIOLATION = 8
SUB_FORBID_MASKING_ROLE_VIOLATION = 9

# sub-codes of result 26 (operation not applicable)
SUB_OPNOT_CDT_INDEX_OUT_OF_BOUNDS = 1
SUB_OPNOT_CDT_RANK_OUT_OF_BOUNDS = 2
SUB_OPNOT_CDT_BOUNDED_LIST_OVERFLOW = 3
SUB_OPNOT_HLL_INDEX_BITS_UNSET = 4
SUB_OPNOT_HLL_CANNOT_REDUCE_INDEX_BITS = 5
SUB_OPNOT_HLL_CANNOT_REDUCE_MINHASH_BITS = 6
SUB_OPNOT_HLL_CANNOT_FOLD_MINHASH = 7
SUB_OPNOT_HLL_FOLD_INDEX_BITS_TOO_LARGE = 8
SUB_OPNOT_HLL_INTERSECT_MINHASH_MISMATCH = 9
SUB_OPNOT_STRING_CONVERSION_FAILED = 10
SUB_OPNOT_STRING_UTF8_INVALID = 11
SUB_OPNOT_STRING_REGEX_LIMIT_EXCEEDED = 12
SUB_OPNOT_STRING_B64_INVALID = 13

# sub-codes of result 27 (filtered out)
SUB_FILTERED_META = 1
SUB_FILTERED_BINS = 2
SUB_FILTERED_META_EVAL_FAILED = 3
SUB_FILTERED_BINS_EVAL_FAILED = 4

# sub-codes of result 120 (MRT blocked)
SUB_MRT_BLOCKED_RECORD_LOCKED = 1
SUB_MRT_BLOCKED_ID_MISMATCH = 2

# ---------------------------------------------------------------------------
# Private names read by aerospike_helpers (not documented, same values)
# ---------------------------------------------------------------------------

# CDT read/modify operator types and extra context element types
_AS_OPERATOR_CDT_READ = 2
_AS_OPERATOR_CDT_MODIFY = 3
_AS_CDT_CTX_EXP = 4
_AS_CDT_CTX_MAP_KEYS_IN = 42
_AS_CDT_CTX_AND = 512

# expression op codes used by aerospike_helpers.expressions
_AS_EXP_CODE_IN_LIST = 9
_AS_EXP_CODE_REMOVE_RESULT = 100
_AS_EXP_CODE_MAP_KEYS_IN = 101
_AS_EXP_CODE_MAP_VALUES_IN = 102
_AS_EXP_CODE_CALL = 127
_AS_EXP_CODE_CALL_SELECT = 3010
_AS_EXP_CODE_CALL_APPLY = 3011

# typed loop-variable expression codes
_AS_EXP_LOOPVAR_FLOAT = 3000
_AS_EXP_LOOPVAR_INT = 3001
_AS_EXP_LOOPVAR_LIST = 3002
_AS_EXP_LOOPVAR_MAP = 3003
_AS_EXP_LOOPVAR_STR = 3004
_AS_EXP_LOOPVAR_BLOB = 3005
_AS_EXP_LOOPVAR_BOOL = 3006
_AS_EXP_LOOPVAR_NIL = 3007
_AS_EXP_LOOPVAR_GEOJSON = 3008
_AS_EXP_LOOPVAR_HLL = 3009

# keys of the op dicts built by aerospike_helpers
_CDT_FLAGS_KEY = "cdt_flags"
_CDT_CTX_FILTER_EXPR_KEY = "filter_expr"
_CDT_APPLY_MOD_EXP_KEY = "mod_exp"

# list join and bit base64 operation codes
_OP_LIST_JOIN = 1042
_OP_LIST_JOIN_SEPARATOR = 1043
_OP_BIT_B64_ENCODE = 2018
_OP_BIT_B64_ENCODE_RANGE = 2019

# string operation codes
_OP_STRING_STRLEN = 1200
_OP_STRING_SUBSTR = 1201
_OP_STRING_SUBSTR_RANGE = 1202
_OP_STRING_CHAR_AT = 1203
_OP_STRING_FIND = 1204
_OP_STRING_CONTAINS = 1205
_OP_STRING_STARTS_WITH = 1206
_OP_STRING_ENDS_WITH = 1207
_OP_STRING_TO_INTEGER = 1208
_OP_STRING_TO_DOUBLE = 1209
_OP_STRING_BYTE_LENGTH = 1210
_OP_STRING_IS_NUMERIC = 1211
_OP_STRING_IS_UPPER = 1212
_OP_STRING_IS_LOWER = 1213
_OP_STRING_TO_BLOB = 1214
_OP_STRING_SPLIT = 1215
_OP_STRING_SPLIT_SEPARATOR = 1216
_OP_STRING_B64_DECODE = 1217
_OP_STRING_REGEX_COMPARE = 1218
_OP_STRING_INSERT = 1219
_OP_STRING_OVERWRITE = 1220
_OP_STRING_CONCAT = 1221
_OP_STRING_SNIP = 1222
_OP_STRING_SNIP_START = 1223
_OP_STRING_REPLACE = 1224
_OP_STRING_REPLACE_ALL = 1225
_OP_STRING_UPPER = 1226
_OP_STRING_LOWER = 1227
_OP_STRING_CASE_FOLD = 1228
_OP_STRING_NORMALIZE_NFC = 1229
_OP_STRING_TRIM_START = 1230
_OP_STRING_TRIM_END = 1231
_OP_STRING_TRIM = 1232
_OP_STRING_PAD_START = 1233
_OP_STRING_PAD_END = 1234
_OP_STRING_REPEAT = 1235
_OP_STRING_REGEX_REPLACE = 1236
_OP_STRING_APPEND = 1237
_OP_STRING_PREPEND = 1238
_OP_STRING_TO_STRING = 1239

# keys of the string-expression op dicts
_STR_EXP_POLICY_KEY = "str_policy"
_STR_EXP_INDEX_KEY = "index"
_STR_EXP_START_KEY = "start"
_STR_EXP_END_KEY = "end"
_STR_EXP_COUNT_KEY = "count"
_STR_EXP_NEEDLE_KEY = "needle"
_STR_EXP_OCCURRENCE_KEY = "occurrence"
_STR_EXP_PREFIX_KEY = "prefix"
_STR_EXP_SUFFIX_KEY = "suffix"
_STR_EXP_NUMERIC_TYPE_KEY = "numeric_type"
_STR_EXP_SEPARATOR_KEY = "separator"
_STR_EXP_PATTERN_KEY = "pattern"
_STR_EXP_REGEX_FLAGS_KEY = "regex_flags"
_STR_EXP_REPLACEMENT_KEY = "replacement"
_STR_EXP_PAD_STRING_KEY = "pad_string"
_STR_EXP_TARGET_LENGTH_KEY = "target_length"


# Every constant above, public and private (so that `from ._constants import *`
# in aerospike/__init__.py exports the private ones aerospike_helpers reads too).
__all__ = sorted(
    _name for _name, _value in list(globals().items())
    if _name.lstrip("_")[:1].isalpha() and _name.upper() == _name and not _name.startswith("__")
    and isinstance(_value, (int, str))
)
