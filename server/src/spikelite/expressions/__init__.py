"""Aerospike expressions: filter expressions (message field 43) and expression operations (ops 7/8).

An expression arrives as msgpack (see docs in compiler.py and the protocol notes). It is built
once into Python closures, with the server's static type checks (PARAMETER when they fail), and
evaluated against a record through a :class:`Context`: its bins and metadata.

- :func:`filter_passes` decides a filter: only a true result lets the command go on; false and
  unknown both answer FILTERED_OUT (27) for single-record commands and batch rows, and skip the
  record in scans and queries. A filter must have the bool type.
- :func:`parse_op` / :func:`evaluate` serve expression read/write operations (binops/exp.py).
"""

from __future__ import annotations

from collections import OrderedDict

from ..wire import AerospikeWireError, ResultCode
from .compiler import Expression, build
from .runtime import T_BOOL, UNK, from_particle, to_particle

__all__ = ["Context", "Expression", "UNK", "build", "compile_expression", "compile_filter",
           "filter_passes", "from_particle", "parse_op", "to_particle"]

_CACHE: OrderedDict[bytes, Expression] = OrderedDict()
_CACHE_SIZE = 256


def compile_expression(data: bytes) -> Expression:
    """The built expression of `data` (cached by its bytes)."""
    data = bytes(data)
    expr = _CACHE.get(data)
    if expr is None:
        expr = build(data)
        _CACHE[data] = expr
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(data)
    return expr


def compile_filter(data: bytes) -> Expression:
    """A filter expression; PARAMETER unless it returns a bool."""
    expr = compile_expression(data)
    if expr.type != T_BOOL:
        raise AerospikeWireError(ResultCode.PARAMETER, "filter expression must return a bool")
    return expr


class Context:
    """What an expression sees of a record: `bins` (name -> (particle type, bytes); None when there
    is no record, as for a path expression's filters: every bin read is then unknown) and, when
    `has_meta`, the record's metadata: the stored Record (None for one being created), digest,
    set name, stored key (KEY field bytes) and the clock."""

    __slots__ = ("bins", "record", "digest", "set_name", "key", "clock", "has_meta", "vars", "cache",
                 "loop")

    def __init__(self, bins, record=None, digest: bytes | None = None, set_name: str | None = None,
                 key: bytes | None = None, clock=None, has_meta: bool = True):
        self.bins = bins
        self.record = record
        self.digest = digest
        self.set_name = set_name
        self.key = key
        self.clock = clock
        self.has_meta = has_meta
        self.vars = ()
        self.cache: dict = {}
        self.loop: tuple | None = None  # (key, value, index) of a path expression's element

    @classmethod
    def of_record(cls, record, digest: bytes, clock) -> "Context":
        # a filter usually reads a few bins: decode only those (record.bins decodes every bin)
        return cls(record.lazy_bins(), record, digest, record.set_name, record.key, clock)

    def now_ns(self) -> int:
        if self.clock is not None:
            return self.clock.now_ns()
        import time
        return time.time_ns()

    def record_size(self) -> int:
        return self.record.size() if self.record is not None else 0


def filter_passes(data: bytes, ctx: Context) -> bool:
    """True when the filter expression `data` evaluates to true for the record."""
    return compile_filter(data).evaluate(ctx) is True


# -- expression operations (op value: msgpack [expression, flags]) ------------------------------

EVAL_NO_FAIL = 0x10
CREATE_ONLY, UPDATE_ONLY, ALLOW_DELETE, POLICY_NO_FAIL = 0x01, 0x02, 0x04, 0x08
_MODIFY_FLAGS = CREATE_ONLY | UPDATE_ONLY | ALLOW_DELETE | POLICY_NO_FAIL | EVAL_NO_FAIL

_OP_CACHE: OrderedDict[tuple, tuple] = OrderedDict()


def parse_op(value: bytes, is_modify: bool) -> tuple[Expression, int]:
    """(expression, flags) of an expression op's value; PARAMETER when malformed."""
    value = bytes(value)
    cached = _OP_CACHE.get((value, is_modify))
    if cached is not None:
        return cached
    from ..binops.cdt import values as V
    reader = V.Reader(value)
    try:
        count = reader.array_header()
        if count == 0 or count > 2:
            raise V.param_error("expression op needs [expression, flags]")
        start = reader.pos
        reader.value()
        exp_bytes = value[start:reader.pos]
        flags = 0
        if count == 2:
            flag_value = reader.value()
            if isinstance(flag_value, int) and not isinstance(flag_value, bool):
                flags = flag_value & 0xFFFFFFFFFFFFFFFF
    except V.CdtError as exc:
        raise AerospikeWireError(ResultCode.PARAMETER, str(exc)) from None
    allowed = _MODIFY_FLAGS if is_modify else EVAL_NO_FAIL
    if flags & ~allowed:
        raise AerospikeWireError(ResultCode.PARAMETER, "invalid expression op flags 0x%x" % flags)
    result = (compile_expression(exp_bytes), flags)
    _OP_CACHE[(value, is_modify)] = result
    if len(_OP_CACHE) > _CACHE_SIZE:
        _OP_CACHE.popitem(last=False)
    return result
