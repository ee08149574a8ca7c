"""Operations on one bin's value that carry a msgpack payload: collections (lists and maps),
bits (blobs) and HyperLogLogs, plus expression operations later.

Every engine exposes the same interface, which single-record commands call for op codes
CDT_READ/CDT_MODIFY (3/4), BIT_READ/BIT_MODIFY (12/13), HLL_READ/HLL_MODIFY (15/16) and the
string ops STRING_READ/STRING_MODIFY/TO_STRING (17/18/19):

    apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None

`op.value` is the msgpack payload as the client sent it. A modify writes the new value into
`bins[op.name]` (or deletes the bin); the returned Op (same op code and bin name, the result's
particle type and bytes) is the op's result for the reply, or None when the op returns nothing.
Errors raise AerospikeWireError with the server's result code.
"""

from __future__ import annotations

from ..wire import AerospikeWireError, Op, OpType, ResultCode

_ENGINES: dict[int, object] = {}


def register(op_codes, apply) -> None:
    for code in op_codes:
        _ENGINES[code] = apply


def has_engine(op_code: int) -> bool:
    _load()
    return op_code in _ENGINES


#: The op types a real 8.1.2 node knows; it answers any other (the string ops of 8.2 included) with 4.
NODE_OP_TYPES = frozenset(range(OpType.READ, OpType.HLL_MODIFY + 1)) - {6}
#: The op types spikelite executes: the node's and the string ops of server 8.2 (a deliberate
#: difference from an 8.1.2 node, docs/differences.md).
KNOWN_OP_TYPES = NODE_OP_TYPES | {OpType.STRING_READ, OpType.STRING_MODIFY, OpType.TO_STRING}


def check_known(op: Op) -> None:
    """PARAMETER for an op type spikelite does not know, as a real node answers."""
    if op.op not in KNOWN_OP_TYPES:
        raise AerospikeWireError(ResultCode.PARAMETER, "unknown op type %d" % op.op)


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    _load()
    check_known(op)
    engine = _ENGINES.get(op.op)
    if engine is None:
        raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE, "op %d is not implemented by spikelite yet" % op.op)
    return engine(op, bins)


MODIFY_OPS = frozenset({OpType.CDT_MODIFY, OpType.BIT_MODIFY, OpType.HLL_MODIFY, OpType.EXP_MODIFY,
                        OpType.STRING_MODIFY})

_loaded = False


def _load() -> None:
    """Import the engine modules present (each registers its op codes)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module("%s.%s" % (__name__, info.name))
