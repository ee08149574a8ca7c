"""List and map operations (wire op 3 CDT_READ / 4 CDT_MODIFY).

The payload is msgpack ``[code, args...]`` or, with a context, ``[0xff, [ctx...], [code,
args...]]``, or a path select/apply ``[0xfe, [ctx...], flags(, expression)]`` (``paths.py``). Codes below 64 are list operations (``lists.py``), 64 and above map operations
(``maps.py``, if present; otherwise UNSUPPORTED_FEATURE).

An engine module provides::

    execute(code: int, args: list, target: values.Target, is_modify: bool) -> result

`args` are the decoded arguments (see values.py for the value model). `target.value` is the list
or map the op works on (``values.MISSING`` when the bin, or a context element with create flags,
does not exist yet). A modify changes `target.value` in place and then calls ``target.unwind()``,
or stores a new container with ``target.set(new)``. The return value is the op's result as a
Python value (None: no result). Errors raise ``values.CdtError`` (an AerospikeWireError) with the
server's result code; the bin is then left as it was, because the engine works on a decoded copy.
"""

from __future__ import annotations

import importlib

from ...wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode
from .. import register
from . import values as V

CONTEXT_EVAL = 0xff
SELECT = 0xfe
FIRST_MAP_CODE = 64

_engines: dict[str, object] = {}


def _engine(name: str):
    if name not in _engines:
        try:
            _engines[name] = importlib.import_module("%s.%s" % (__name__, name))
        except ModuleNotFoundError as exc:
            if exc.name != "%s.%s" % (__name__, name):
                raise
            _engines[name] = None
    return _engines[name]


def parse_payload(data: bytes) -> tuple[int, list, list | None]:
    """(op code, args, ctx items or None) of a CDT op payload; PARAMETER when malformed."""
    reader = V.Reader(bytes(data))
    count = reader.array_header()
    if count == 0:
        raise V.param_error("empty CDT op")
    code = reader.value()
    if isinstance(code, bool) or not isinstance(code, int):
        raise V.param_error("CDT op code must be an integer")
    code = V.as_uint64(code)
    ctx = None
    if code == CONTEXT_EVAL:
        if count != 3:
            raise V.param_error("context op needs [ctx, op]")
        ctx = V.parse_ctx(reader)
        count = reader.array_header()
        if count == 0:
            raise V.param_error("empty CDT op inside a context")
        code = reader.value()
        if isinstance(code, bool) or not isinstance(code, int):
            raise V.param_error("CDT op code must be an integer")
        code = V.as_uint64(code)
    elif code == SELECT:
        return code, [reader, count], None
    args = [reader.value() for _ in range(count - 1)]
    return code, args, ctx


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    is_modify = op.op == OpType.CDT_MODIFY
    code, args, ctx = parse_payload(op.value)
    if code == SELECT:
        from . import paths
        return paths.execute(op, args[0], args[1], bins, is_modify)
    is_list = code < FIRST_MAP_CODE
    engine = _engine("lists" if is_list else "maps")
    if engine is None:
        raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE,
                                 "%s operations are not implemented" % ("list" if is_list else "map"))
    current = bins.get(op.name)
    expected = ParticleType.LIST if is_list else ParticleType.MAP
    if ctx is None:
        if current is None:
            if not is_modify:
                return None  # a read of a missing bin answers nothing
            root = V.MISSING
        elif current[0] != expected:
            raise V.bin_type_error("bin is not a %s" % ("list" if is_list else "map"))
        else:
            root = V.unpack(current[1])
        target = V.Target(root)
    else:
        if current is None:
            if not is_modify:
                return None
            root = V.MISSING
        elif current[0] not in (ParticleType.LIST, ParticleType.MAP):
            raise V.param_error("context op on a bin that is not a list or map")
        else:
            root = V.unpack(current[1])
        target = V.dig(root, ctx, is_modify)
        value = target.value
        if value is not V.MISSING:
            if is_list and (not isinstance(value, list) or isinstance(value, V.CdtMap)):
                raise V.bin_type_error("context element is not a list")
            if not is_list and not isinstance(value, V.CdtMap):
                raise V.bin_type_error("context element is not a map")
    result = engine.execute(code, args, target, is_modify)
    if is_modify and target.root is not V.MISSING:
        bins[op.name] = V.to_bin(target.root)
    if result is None:
        return None
    particle = V.to_particle(result)
    if particle is None:
        return None
    return Op(op.op, particle[0], op.name, particle[1])


register([OpType.CDT_READ, OpType.CDT_MODIFY], apply)
