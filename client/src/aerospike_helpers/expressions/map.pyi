import aerospike
from typing import Any, List, Union
from aerospike_helpers import cdt_ctx as cdt_ctx
from aerospike_helpers.expressions.base import MapBin as MapBin
from aerospike_helpers.expressions.resources import ReturnType as ReturnType, _BaseExpr

TypeKey = Union[_BaseExpr, Any]
TypeKeyList = Union[_BaseExpr, List[Any]]
TypeBinName = Union[_BaseExpr, str]
TypeListValue = Union[_BaseExpr, List[Any]]
TypeIndex = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCTX = Union[None, List[cdt_ctx._cdt_ctx]]
TypeRank = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeCount = Union[_BaseExpr, int, aerospike.CDTInfinite]
TypeValue = Union[_BaseExpr, Any]
TypePolicy = dict[str, Any] | None

class MapPut(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, key: TypeKey, value: TypeValue, bin: TypeBinName) -> None: ...

class MapPutItems(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, map: Union[_BaseExpr, dict[Any, Any]], bin: TypeBinName) -> None: ...

class MapIncrement(_BaseExpr):
    def __init__(self, ctx: TypeCTX, policy: TypePolicy, key: TypeKey, value: TypeValue, bin: TypeBinName) -> None: ...

class MapClear(_BaseExpr):
    def __init__(self, ctx: TypeCTX, bin: TypeBinName) -> None: ...

class MapRemoveByKey(_BaseExpr):
    def __init__(self, ctx: TypeCTX, key: TypeKey, bin: TypeBinName) -> None: ...

class MapRemoveByKeyList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, keys: list[TypeKey], bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByKeyRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, begin: TypeValue, end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByKeyRelIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, key: TypeKey, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByKeyRelIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, key: TypeKey, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByValue(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByValueList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, values: TypeListValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByValueRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, begin: TypeValue, end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByValueRelRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByValueRelRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, value: TypeValue, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByIndex(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, bin: TypeBinName) -> None: ...

class MapRemoveByIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByRank(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, bin: TypeBinName) -> None: ...

class MapRemoveByRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapRemoveByRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapSize(_BaseExpr):
    def __init__(self, ctx: TypeCTX, bin: TypeBinName) -> None: ...

class MapGetByKey(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_type: int, key: TypeKey, bin: TypeBinName) -> None: ...

class MapGetByKeyRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, begin: TypeValue, end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByKeyList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, keys: list[TypeKey], bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByKeyRelIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, key: TypeKey, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByKeyRelIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, key: TypeKey, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByValue(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByValueRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_begin: TypeValue, value_end: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByValueList(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByValueRelRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByValueRelRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value: TypeValue, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByIndex(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_type: int, index: TypeIndex, bin: TypeBinName) -> None: ...

class MapGetByIndexRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, index: TypeIndex, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByIndexRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, index: TypeIndex, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByRank(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, value_type: int, rank: TypeRank, bin: TypeBinName) -> None: ...

class MapGetByRankRangeToEnd(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, rank: TypeRank, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetByRankRange(_BaseExpr):
    def __init__(self, ctx: TypeCTX, return_type: int, rank: TypeRank, count: TypeCount, bin: TypeBinName, inverted: bool = False) -> None: ...

class MapGetKeys(_BaseExpr):
    def __init__(self, map_value: _BaseExpr) -> None: ...

class MapGetValues(_BaseExpr):
    def __init__(self, map_value: _BaseExpr) -> None: ...
