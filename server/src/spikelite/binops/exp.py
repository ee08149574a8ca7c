"""Expression operations (wire op 7 EXP_READ / 8 EXP_MODIFY), as the server's `expop.c`.

The op value is msgpack ``[expression, flags]``. A read evaluates the expression and answers its
value under the op's bin name (nothing for nil). A modify writes the value into the op's bin.

Flags: EVAL_NO_FAIL (0x10, read and write) turns an expression that cannot be evaluated (unknown,
or a value that is no bin type) into a no-op instead of OP_NOT_APPLICABLE (26). Write only:
CREATE_ONLY (0x01: the bin must not exist, else BIN_EXISTS 6), UPDATE_ONLY (0x02: it must, else
BIN_NOT_FOUND 17), POLICY_NO_FAIL (0x08: those two become no-ops), ALLOW_DELETE (0x04: a nil value
deletes the bin; without it deleting an existing bin fails with 26 -- unless any flag is set, a
quirk of the server's test `flags && POLICY_NO_FAIL`, which then leaves the bin alone). Other
flag bits are PARAMETER.

Expressions see the record's metadata (ttl, set name, key, ...) through :func:`bind_record`,
which the single-record commands call before their ops; unbound, metadata reads are unknown.
"""

from __future__ import annotations

import contextvars

from ..wire import AerospikeWireError, Op, OpType, ResultCode
from . import register

_record: contextvars.ContextVar = contextvars.ContextVar("spikelite_exp_record", default=None)


def bind_record(record, digest: bytes, set_name: str | None, key: bytes | None, clock) -> None:
    """Make a record's metadata visible to the expression ops of the command about to run. `record`
    is the stored record before the command (None when the command creates it). Commands run one
    at a time per thread and each binds its own record before its ops, so no unbinding is needed."""
    _record.set((record, digest, set_name, key, clock))


def _context(bins):
    from ..expressions import Context
    meta = _record.get()
    if meta is None:
        return Context(bins, has_meta=False)
    record, digest, set_name, key, clock = meta
    return Context(bins, record, digest, set_name, key, clock)


def _not_applicable(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.OP_NOT_APPLICABLE, message)


_SKIP = object()


def _evaluate(expr, bins, flags: int):
    """The (particle type, bytes) of the expression's value, None for nil; _SKIP when it cannot be
    evaluated (unknown, or no bin type) under EVAL_NO_FAIL, else OP_NOT_APPLICABLE."""
    from ..expressions import EVAL_NO_FAIL, UNK, to_particle
    value = expr.evaluate(_context(bins))
    try:
        if value is not UNK:
            return to_particle(value)
    except ValueError:
        pass
    if flags & EVAL_NO_FAIL:
        return _SKIP
    raise _not_applicable("expression could not be evaluated")


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    from ..expressions import ALLOW_DELETE, CREATE_ONLY, POLICY_NO_FAIL, UPDATE_ONLY, parse_op
    is_modify = op.op == OpType.EXP_MODIFY
    expr, flags = parse_op(op.value, is_modify)
    if not is_modify:
        particle = _evaluate(expr, bins, flags)
        if particle is None or particle is _SKIP:
            return None
        return Op(op.op, particle[0], op.name, particle[1])

    if len(op.name.encode()) > 15:
        raise AerospikeWireError(ResultCode.BIN_NAME, "bin name longer than 15 bytes")
    was_live = op.name in bins
    if was_live and flags & CREATE_ONLY:
        if flags & POLICY_NO_FAIL:
            return None
        raise AerospikeWireError(ResultCode.BIN_EXISTS, "bin %r exists" % op.name)
    if not was_live and flags & UPDATE_ONLY:
        if flags & POLICY_NO_FAIL:
            return None
        raise AerospikeWireError(ResultCode.BIN_NOT_FOUND, "bin %r does not exist" % op.name)
    particle = _evaluate(expr, bins, flags)
    if particle is _SKIP:
        return None
    if particle is None:
        if not was_live:
            return None
        if not flags & ALLOW_DELETE:
            if flags:
                return None  # the server's `flags && POLICY_NO_FAIL` is true for any flag
            raise _not_applicable("expression would delete bin %r" % op.name)
        del bins[op.name]
        return None
    bins[op.name] = particle
    return None


register([OpType.EXP_READ, OpType.EXP_MODIFY], apply)
