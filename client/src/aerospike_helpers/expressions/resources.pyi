from typing import Any, Union

class _Keys:
    VALUE_TYPE_KEY: str
    BIN_KEY: str
    RETURN_TYPE_KEY: str
    CTX_KEY: str
    VALUE_KEY: str
    LIST_POLICY_KEY: str
    MAP_POLICY_KEY: str
    LIST_ORDER_KEY: str
    REGEX_OPTIONS_KEY: str

class _ExprOp:
    UNKNOWN: int
    EQ: int
    NE: int
    GT: int
    GE: int
    LT: int
    LE: int
    CMP_REGEX: int
    CMP_GEO: int
    AND: int
    OR: int
    NOT: int
    EXCLUSIVE: int
    ADD: int
    SUB: int
    MUL: int
    DIV: int
    POW: int
    LOG: int
    MOD: int
    ABS: int
    FLOOR: int
    CEIL: int
    TO_INT: int
    TO_FLOAT: int
    INT_AND: int
    INT_OR: int
    INT_XOR: int
    INT_NOT: int
    INT_LSHIFT: int
    INT_RSHIFT: int
    INT_ARSHIFT: int
    INT_COUNT: int
    INT_LSCAN: int
    INT_RSCAN: int
    MIN: int
    MAX: int
    META_DIGEST_MOD: int
    META_DEVICE_SIZE: int
    META_LAST_UPDATE_TIME: int
    META_VOID_TIME: int
    META_TTL: int
    META_SET_NAME: int
    META_KEY_EXISTS: int
    META_SINCE_UPDATE_TIME: int
    META_IS_TOMBSTONE: int
    META_MEMORY_SIZE: int
    META_RECORD_SIZE: int
    REC_KEY: int
    BIN: int
    BIN_TYPE: int
    BIN_EXISTS: int
    COND: int
    VAR: int
    LET: int
    DEF: int
    VAL: int

class ReturnType:
    LIST_RETURN_INVERTED: int
    MAP_RETURN_INVERTED: int

class ResultType:
    NIL: int
    BOOLEAN: int
    INTEGER: int
    STRING: int
    LIST: int
    MAP: int
    BLOB: int
    FLOAT: int
    GEOJSON: int
    HLL: int

class _AtomExpr:
    def compile(self) -> TypeExpression: ...
TypeResultType = int | None
TypeFixedEle = int | float | str | bytes | dict[Any, Any]
TypeFixed = dict[str, TypeFixedEle] | None
TypeCompiledOp = tuple[int, TypeResultType, TypeFixed, int]
TypeExpression = list[TypeCompiledOp]
TypeChild = Union[int, float, str, bytes, _AtomExpr]
TypeChildren = tuple[TypeChild, ...]
TypeAny = Union[_AtomExpr, Any]

class _BaseExpr(_AtomExpr):
    def compile(self) -> TypeExpression: ...
    def __abs__(self) -> _BaseExpr: ...
    def __floor__(self) -> _BaseExpr: ...
    def __ceil__(self) -> _BaseExpr: ...
    def __add__(self, right: TypeAny) -> _BaseExpr: ...
    def __sub__(self, right: TypeAny) -> _BaseExpr: ...
    def __mul__(self, right: TypeAny) -> _BaseExpr: ...
    def __truediv__(self, right: TypeAny) -> _BaseExpr: ...
    def __floordiv__(self, right: TypeAny) -> _BaseExpr: ...
    def __pow__(self, right: TypeAny) -> _BaseExpr: ...
    def __mod__(self, right: TypeAny) -> _BaseExpr: ...

class _GenericExpr(_BaseExpr):
    def __init__(self, op: int, rt: TypeResultType, fixed: TypeFixed) -> None: ...
