"""Single-record commands: read, write/operate, delete, touch, exists."""

from __future__ import annotations

import struct

from ..store import Namespace, Record
from ..store import read_touch
from ..store.record import next_generation
from .. import binops, expressions
from ..binops.cdt.stored import rewrite as stored_cdt
from ..binops.exp import bind_record
from ..wire import (MAX_BIN_NAME, AerospikeWireError, FieldType, Info1, Info2, Info3, Message,
                    Op, OpType, ParticleType, ResultCode)
from ..wire.particles import BLOB_TYPES, INT64_MAX, INT64_MIN, decode_float, decode_int, encode_int
from ..storable import validate_particle
from ..wire import READ_OPS as _WIRE_READ_OPS

TTL_NEVER_EXPIRE = 0xFFFFFFFF
TTL_DONT_UPDATE = 0xFFFFFFFE
_F64 = struct.Struct(">d")
#: Op codes served as reads: the node's, and the string reads of server 8.2 (spikelite executes them).
READ_OPS = _WIRE_READ_OPS | {OpType.STRING_READ, OpType.TO_STRING}
#: Ops that modify a bin's existing value in place (not allowed with replace policies).
_MODIFY_OPS = frozenset({OpType.INCR, OpType.APPEND, OpType.PREPEND})

#: Ops this server executes so far; collection, bit, HLL and expression ops come with later work.
_SUPPORTED_OPS = frozenset({OpType.READ, OpType.WRITE, OpType.INCR, OpType.APPEND, OpType.PREPEND,
                            OpType.TOUCH, OpType.DELETE})


def error(code: int) -> Message:
    return Message(result_code=code)


_REPLACE_FORBIDS = frozenset({OpType.TOUCH, OpType.INCR, OpType.APPEND, OpType.PREPEND, OpType.DELETE,
                              OpType.BIT_MODIFY, OpType.HLL_MODIFY, OpType.CDT_MODIFY, OpType.STRING_MODIFY})
_RESPONSE_READS = frozenset({OpType.READ, OpType.BIT_READ, OpType.HLL_READ, OpType.CDT_READ, OpType.EXP_READ,
                             OpType.STRING_READ, OpType.TO_STRING})


def _check_write_ops(msg: Message, replace: bool) -> None:
    """A write's ops checked as a node checks them before opening the record (write.c
    write_master_policies): replace with ops that need the old record, bin names, read-all mixed
    with other response bins, reads without the READ flag, GET_ALL without a read-all."""
    get_all = bool(msg.info1 & Info1.GET_ALL)
    has_read = read_all = response_bin = False
    for op in msg.ops:
        code = op.op
        if replace and (code in _REPLACE_FORBIDS or (code == OpType.WRITE and op.particle_type == ParticleType.NULL)):
            raise AerospikeWireError(ResultCode.PARAMETER, "op %d cannot go with a replace policy" % code)
        if code == OpType.TOUCH:
            continue
        raw = op.name.encode("utf-8", "surrogateescape")
        if len(raw) > MAX_BIN_NAME or b"\0" in raw:
            raise AerospikeWireError(ResultCode.BIN_NAME, "bad bin name %r" % op.name)
        if code == OpType.READ and not raw and get_all:
            if msg.info2 & Info2.RESPOND_ALL_OPS or read_all:
                raise AerospikeWireError(ResultCode.PARAMETER, "read-all with respond-all-ops or twice")
            has_read = read_all = True
        elif code in _RESPONSE_READS:
            has_read = response_bin = True
        elif code in (OpType.HLL_MODIFY, OpType.CDT_MODIFY):
            response_bin = True
    if has_read and not msg.info1 & Info1.READ:
        raise AerospikeWireError(ResultCode.PARAMETER, "read op without the READ flag")
    if read_all and response_bin:
        raise AerospikeWireError(ResultCode.PARAMETER, "read-all mixed with ops that answer bins")
    if get_all and not read_all:
        raise AerospikeWireError(ResultCode.PARAMETER, "GET_ALL without a read-all op")


def _check_bin_name(name: str) -> None:
    if len(name.encode()) > MAX_BIN_NAME:
        raise AerospikeWireError(ResultCode.BIN_NAME, "bin name %r longer than 15 bytes" % name)


def _bin_op(op: Op, value: tuple[int, bytes] | None, respond_all: bool) -> Op | None:
    """The reply op for a read of one bin (None to leave it out)."""
    if value is None:
        return Op(op.op, ParticleType.NULL, op.name, b"") if respond_all else None
    return Op(op.op, value[0], op.name, value[1])


def _all_bins(bins: dict[str, tuple[int, bytes]]) -> list[Op]:
    return [Op(OpType.READ, ptype, name, data) for name, (ptype, data) in bins.items()]


def _apply_filter(ns: Namespace, digest: bytes, record: Record, msg: Message) -> None:
    """The filter expression (field 43) of a command on an existing record: unless it is true for
    the record, the command answers FILTERED_OUT and changes nothing."""
    data = msg.field(FieldType.FILTER_EXPRESSION)
    if data is not None and not expressions.filter_passes(
            data, expressions.Context.of_record(record, digest, ns.clock)):
        raise AerospikeWireError(ResultCode.FILTERED_OUT, "record filtered out")


def _check_key(record: Record, msg: Message) -> None:
    sent = msg.field(FieldType.KEY)
    if sent is not None and record.key is not None and sent != record.key:
        raise AerospikeWireError(ResultCode.KEY_MISMATCH, "sent key differs from stored key")


class SingleRecordCommands:
    """Executes one single-record AS_MSG against a namespace."""

    def read(self, ns: Namespace, digest: bytes, msg: Message) -> Message:
        record = ns.get(digest)
        if record is None:
            return error(ResultCode.KEY_NOT_FOUND)
        try:
            # a node's failure reply for an existing record carries its generation and void time
            _apply_filter(ns, digest, record, msg)
            _check_key(record, msg)
            touch_after = read_touch.check(ns, record, msg.record_ttl)
        except AerospikeWireError as exc:
            return Message(result_code=exc.code, generation=record.generation, record_ttl=record.void_time)
        reply = self._read_record(ns, digest, record, msg)
        if touch_after:  # a node answers the read, then touches the record
            read_touch.touch(ns, digest, record)
        return reply

    def _read_record(self, ns: Namespace, digest: bytes, record: Record, msg: Message) -> Message:
        bind_record(record, digest, record.set_name, record.key, ns.clock)
        reply = Message(generation=record.generation, record_ttl=record.void_time)
        if msg.info1 & Info1.GET_NO_BINS:
            return reply
        respond_all = bool(msg.info2 & Info2.RESPOND_ALL_OPS)
        if msg.info1 & Info1.GET_ALL:  # a node answers every bin and ignores the ops (read.c)
            reply.encoded_ops = record.encoded_bins()  # stored already in reply form
            return reply
        if not msg.ops:
            raise AerospikeWireError(ResultCode.PARAMETER, "read asks for no bins")
        for op in msg.ops:
            if op.op != OpType.READ:
                if op.op in READ_OPS:
                    result = binops.apply(op, dict(record.bins))
                    if result is not None:
                        reply.ops.append(result)
                    elif respond_all:
                        reply.ops.append(Op(op.op, ParticleType.NULL, op.name, b""))
                    continue
                if op.op in _SUPPORTED_OPS or op.op in binops.MODIFY_OPS:
                    raise AerospikeWireError(ResultCode.PARAMETER, "write op in a read request")
                if op.op not in binops.NODE_OP_TYPES:  # a node refuses it, with the record's generation
                    return Message(result_code=ResultCode.PARAMETER, generation=record.generation,
                                   record_ttl=record.void_time)
                raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE,
                                         "op %d is not implemented by spikelite yet" % op.op)
            if not op.name:
                reply.ops.extend(_all_bins(record.bins))
                continue
            result = _bin_op(op, record.bins.get(op.name), respond_all)
            if result is not None:
                reply.ops.append(result)
        return reply

    def delete(self, ns: Namespace, digest: bytes, msg: Message) -> Message:
        record = ns.get(digest)
        if record is None:
            return error(ResultCode.KEY_NOT_FOUND)
        self._check_generation(record, msg)
        _apply_filter(ns, digest, record, msg)
        _check_key(record, msg)
        ns.delete(digest)
        return Message()

    def write(self, ns: Namespace, digest: bytes, msg: Message) -> Message:
        """put, append/prepend, increment, touch and operate (with or without reads)."""
        if not msg.ops:
            raise AerospikeWireError(ResultCode.PARAMETER, "write without ops")
        replace = bool(msg.info3 & (Info3.CREATE_OR_REPLACE | Info3.REPLACE_ONLY))
        _check_write_ops(msg, replace)
        record = ns.get(digest)
        exists = record is not None
        try:
            return self._write_record(ns, digest, msg, record, replace)
        except AerospikeWireError as exc:
            if not exists:
                raise
            # a node's failure reply for an existing record carries its generation and void time
            return Message(result_code=exc.code, generation=record.generation, record_ttl=record.void_time)

    def _write_record(self, ns: Namespace, digest: bytes, msg: Message, record: Record | None,
                      replace: bool) -> Message:
        exists = record is not None
        if msg.info2 & Info2.CREATE_ONLY and exists:
            raise AerospikeWireError(ResultCode.KEY_EXISTS)
        if msg.info3 & (Info3.UPDATE_ONLY | Info3.REPLACE_ONLY) and not exists:
            return error(ResultCode.KEY_NOT_FOUND)
        if exists:
            self._check_generation(record, msg)
            _apply_filter(ns, digest, record, msg)
            _check_key(record, msg)
        elif any(op.op == OpType.TOUCH for op in msg.ops):
            return error(ResultCode.KEY_NOT_FOUND)  # nothing to touch
        elif msg.info2 & Info2.GENERATION and msg.generation != 0:
            return error(ResultCode.GENERATION)  # a missing record has generation 0
        if not exists and all(op.op in READ_OPS for op in msg.ops):
            return error(ResultCode.KEY_NOT_FOUND)  # an operate that only reads a missing record
        bins: dict[str, tuple[int, bytes]] = {} if (record is None or replace) else dict(record.bins)
        bind_record(record, digest, record.set_name if exists else _set_name(msg),
                    record.key if exists else msg.field(FieldType.KEY), ns.clock)
        respond_all = bool(msg.info2 & Info2.RESPOND_ALL_OPS)
        results: list[Op] = []
        has_write = False
        for op in msg.ops:
            code = op.op
            if code not in _SUPPORTED_OPS:
                # collection / bit / HLL / expression ops: read ones see the bins as they are now,
                # modify ones change them in place
                result = binops.apply(op, bins)
                if code in binops.MODIFY_OPS:
                    has_write = True
                if result is not None:
                    results.append(result)
                elif respond_all:
                    results.append(Op(code, ParticleType.NULL, op.name, b""))
                continue
            if code == OpType.READ:
                if not op.name:
                    if msg.info1 & Info1.GET_ALL:
                        results.extend(_all_bins(bins))
                    continue
                result = _bin_op(op, bins.get(op.name), respond_all)
                if result is not None:
                    results.append(result)
                continue
            has_write = True
            if code == OpType.TOUCH:
                if not exists:
                    return error(ResultCode.KEY_NOT_FOUND)
            elif code == OpType.DELETE:
                bins.clear()
            else:
                _check_bin_name(op.name)
                self._apply_bin_op(bins, op)
            if respond_all:
                results.append(Op(code, ParticleType.NULL, op.name, b""))
        if not has_write:
            # An operate whose ops all read: served like a read.
            if not exists:
                return error(ResultCode.KEY_NOT_FOUND)
            return Message(generation=record.generation, record_ttl=record.void_time, ops=results)
        now_cl = ns.clock.now_cl()
        void_time = self._void_time(ns, msg, record, now_cl)
        if not bins:
            if not exists:
                return error(ResultCode.KEY_NOT_FOUND)  # nothing to create
            ns.delete(digest)
            return Message(ops=results)
        set_name = record.set_name if record is not None else _set_name(msg)
        key = msg.field(FieldType.KEY) or (record.key if record is not None else None)
        new = Record(bins, next_generation(record.generation) if exists else 1, void_time,
                     ns.clock.now_ns(), key, set_name)
        if new.size() > ns.config.max_record_size:
            return error(ResultCode.RECORD_TOO_BIG)
        ns.put(digest, new)
        return Message(generation=new.generation, record_ttl=new.void_time, ops=results)

    # -- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _check_generation(record: Record, msg: Message) -> None:
        if msg.info2 & Info2.GENERATION and record.generation != msg.generation:
            raise AerospikeWireError(ResultCode.GENERATION, "generation mismatch")
        if msg.info2 & Info2.GENERATION_GT and msg.generation <= record.generation:
            raise AerospikeWireError(ResultCode.GENERATION, "generation not greater")

    @staticmethod
    def _void_time(ns: Namespace, msg: Message, record: Record | None, now_cl: int) -> int:
        return void_time_of(ns, msg.record_ttl, record, _set_name(msg) if record is None else None, now_cl)

    @staticmethod
    def _apply_bin_op(bins: dict[str, tuple[int, bytes]], op: Op) -> None:
        current = bins.get(op.name)
        ptype, value = op.particle_type, op.value
        if op.op == OpType.WRITE:
            if ptype == ParticleType.NULL:
                bins.pop(op.name, None)
                return
            validate_particle(ptype, value)
            if ptype == ParticleType.LIST or ptype == ParticleType.MAP:
                value = stored_cdt(value)
            elif ptype == ParticleType.HLL:
                from ..binops.hll import HLL
                if not HLL.is_valid(value):
                    raise AerospikeWireError(ResultCode.PARAMETER, "malformed HLL value")
            bins[op.name] = (ptype, value)
        elif ptype == ParticleType.NULL:
            raise AerospikeWireError(ResultCode.PARAMETER, "increment/append/prepend of nil")
        elif current is None:
            # a node creates a missing bin from the operand, whatever its type
            validate_particle(ptype, value)
            if ptype == ParticleType.LIST or ptype == ParticleType.MAP:
                value = stored_cdt(value)
            bins[op.name] = (ptype, value)
        elif op.op == OpType.INCR:
            if ptype == ParticleType.INTEGER:
                delta = decode_int(value)
                if current is None:
                    bins[op.name] = (ptype, encode_int(delta))
                elif current[0] != ParticleType.INTEGER:
                    raise AerospikeWireError(ResultCode.BIN_TYPE, "increment of a non-integer bin")
                else:
                    total = decode_int(current[1]) + delta
                    if total > INT64_MAX or total < INT64_MIN:  # the server wraps like C int64
                        total = (total + (1 << 63)) % (1 << 64) - (1 << 63)
                    bins[op.name] = (ptype, encode_int(total))
            elif ptype == ParticleType.FLOAT:
                delta = decode_float(value)
                if current is None:
                    bins[op.name] = (ptype, _F64.pack(delta))
                elif current[0] != ParticleType.FLOAT:
                    raise AerospikeWireError(ResultCode.BIN_TYPE, "float increment of a non-float bin")
                else:
                    bins[op.name] = (ptype, _F64.pack(decode_float(current[1]) + delta))
            else:
                raise AerospikeWireError(ResultCode.BIN_TYPE, "increment by a non-numeric value")
        else:  # APPEND / PREPEND
            if ptype != ParticleType.STRING and ptype not in BLOB_TYPES:
                raise AerospikeWireError(ResultCode.BIN_TYPE, "append/prepend of a non-string value")
            if current is None:
                bins[op.name] = (ptype, value)
            elif current[0] != ptype:
                raise AerospikeWireError(ResultCode.BIN_TYPE, "append/prepend to a bin of another type")
            elif op.op == OpType.APPEND:
                bins[op.name] = (ptype, current[1] + value)
            else:
                bins[op.name] = (ptype, value + current[1])


def void_time_of(ns: Namespace, ttl: int, record: Record | None, set_name: str | None, now_cl: int) -> int:
    """The void time a write with this TTL field gives its record (`record`: the record before the
    write, None when it creates one in set `set_name`)."""
    if ttl == TTL_DONT_UPDATE and record is not None:
        return record.void_time
    if ttl == TTL_NEVER_EXPIRE:
        return 0
    if ttl == 0 or ttl == TTL_DONT_UPDATE:
        ttl = ns.default_ttl(record.set_name if record is not None else set_name)
        if ttl == 0:
            return 0
    if ttl > ns.config.max_ttl:
        raise AerospikeWireError(ResultCode.PARAMETER, "ttl %d exceeds max-ttl" % ttl)
    if not ns.ttl_allowed():
        raise AerospikeWireError(ResultCode.FORBIDDEN, "ttl given but nsup-period is 0")
    return now_cl + ttl


def _set_name(msg: Message) -> str | None:
    data = msg.field(FieldType.SET)
    return data.decode("utf-8", "replace") if data else None
