import aerospike
from typing import Any, List, Union
from aerospike_helpers import cdt_ctx as cdt_ctx
from aerospike_helpers.expressions.base import ListBin as ListBin
from aerospike_helpers.expressions.resources import ReturnType as ReturnType, _BaseExpr

TypeBinName = Union[_BaseExpr, str]
TypeListValue = Union[_BaseExpr, List[Any]]
TypeIndex = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCTX = Union[None, List[cdt_ctx._cdt_ctx]]
TypeRank = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCount = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeValue = Union[_BaseExpr, Any]
TypePolicy = dict[str, Any] | None

class ListAppend(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, value: TypeValue, bin: TypeBinName) -> None: ...

class ListAppendItems(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, value: TypeValue, bin: TypeBinName) -> None: ...

class ListInsert(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, index: TypeIndex, value: TypeValue, bin: TypeBinName) -> None: ...

class ListInsertItems(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, index: TypeIndex, values: TypeListValue, bin: TypeBinName) -> None: ...

class ListIncrement(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, index: TypeIndex, value: TypeValue, bin: TypeBinName) -> None: ...

class ListSet(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, index: TypeIndex, value: TypeValue, bin: TypeBinName) -> None: ...

class ListClear(_BaseExpr):
    def __init__(self, ctx: TypeCTX, bin: TypeBinName) -> None: ...

class ListSort(_BaseExpr):
    def __init__(self, ctx: TypeCTX, order: int, bin: TypeBinName) -> None: ...

class ListRemoveByValue(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByValueList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, values: TypeListValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByValueRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, begin: TypeValue, end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByValueRelRankToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByValueRelRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByIndex(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, bin: TypeBinName) -> None: ...

class ListRemoveByIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByRank(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, bin: TypeBinName) -> None: ...

class ListRemoveByRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListRemoveByRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListSize(_BaseExpr):
    def __init__(self, ctx: TypeCTX, bin: TypeBinName) -> None: ...

class ListGetByValue(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByValueRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_begin: TypeValue, value_end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByValueList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeListValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByValueRelRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class InList(_BaseExpr):
    def __init__(self, value: TypeValue, bin: TypeBinName) -> None: ...

class ListGetByValueRelRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByIndex(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_type: int, index: TypeIndex, bin: TypeBinName) -> None: ...

class ListGetByIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByRank(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_type: int, rank: TypeRank, bin: TypeBinName) -> None: ...

class ListGetByRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListGetByRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class ListJoin(_BaseExpr):
    def __init__(self, ctx: TypeCTX, separator: str | None, bin: TypeBinName) -> None: ...
