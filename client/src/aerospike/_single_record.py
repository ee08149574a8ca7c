"""Building single-record requests from the Python API's arguments, and reading replies."""

from __future__ import annotations

import struct
import warnings
import time

from spikewire import CITRUSLEAF_EPOCH, FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType
from spikewire import parse_message
from spikewire.keys import pack_key_field

from spikewire.results import MalformedMessage

from ._errors import bin_name_error, client_error, param_error
from ._keys import Key
from ._values import SERIALIZER_PYTHON, Decoder, Encoder
from ._operations import respond_all_ops

POLICY_KEY_SEND = 1
EXISTS_IGNORE, EXISTS_CREATE, EXISTS_UPDATE, EXISTS_REPLACE, EXISTS_CREATE_OR_REPLACE = 0, 1, 2, 3, 4
GEN_IGNORE, GEN_EQ, GEN_GT = 0, 1, 2
COMMIT_MASTER = 1
TTL_NEVER_EXPIRE = 0xFFFFFFFF
TTL_CLIENT_DEFAULT = 0xFFFFFFFD

# Python API operator codes (aerospike.OPERATOR_*) → wire op codes.
OPERATOR_READ, OPERATOR_WRITE, OPERATOR_INCR = 0, 1, 6
OPERATOR_APPEND, OPERATOR_PREPEND, OPERATOR_TOUCH, OPERATOR_DELETE = 9, 10, 11, 14
_WIRE_OP = {OPERATOR_READ: OpType.READ, OPERATOR_WRITE: OpType.WRITE, OPERATOR_INCR: OpType.INCR,
            OPERATOR_APPEND: OpType.APPEND, OPERATOR_PREPEND: OpType.PREPEND,
            OPERATOR_TOUCH: OpType.TOUCH, OPERATOR_DELETE: OpType.DELETE}
_WRITE_OPERATORS = {OPERATOR_WRITE, OPERATOR_INCR, OPERATOR_APPEND, OPERATOR_PREPEND, OPERATOR_TOUCH,
                    OPERATOR_DELETE}
MAX_BIN_NAME = 15
OP_EXPR_READ, OP_EXPR_WRITE = 2200, 2201  # expression_operations (ops 7 and 8 on the wire)


def key_fields(key: Key, policy: dict) -> list[tuple[int, bytes]]:
    fields = [(FieldType.NAMESPACE, key.namespace.encode())]
    if key.set_name:
        fields.append((FieldType.SET, key.set_name.encode()))
    fields.append((FieldType.DIGEST, key.digest))
    if policy.get("key") == POLICY_KEY_SEND and key.user_key is not None:
        fields.append((FieldType.KEY, pack_key_field(key.user_key)))
    fields.extend(filter_fields(policy))
    return fields


def filter_fields(policy: dict) -> list[tuple[int, bytes]]:
    """The filter-expression field of a policy with ``expressions`` (none otherwise)."""
    compiled = policy.get("expressions") if isinstance(policy, dict) else None
    if not compiled:
        return []
    from ._expressions import expression_bytes
    return [(FieldType.FILTER_EXPRESSION, expression_bytes(compiled))]


def check_meta(meta) -> dict:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise param_error("Metadata should be of type dictionary")
    for name in ("ttl", "gen"):
        if name in meta and not isinstance(meta[name], int):  # bools are ints here too
            raise param_error("%s should be an int or long" % name.capitalize())
        if name in meta and not -(1 << 31) <= meta[name] <= 0xFFFFFFFF:
            raise param_error("integer value for %s exceeds sys.maxsize" % name)
    if "ttl" in meta:
        warnings.warn('meta["ttl"] is deprecated and will be removed in the next client major release.',
                      DeprecationWarning, stacklevel=4)
    return meta


def remove_meta(meta, policy) -> dict:
    """The meta remove() uses: only an int "gen" of a dict, and only when a policy is given;
    any other meta (a tuple, a list, a bad gen) is ignored, as by the official client."""
    if policy is None or not isinstance(meta, dict) or not isinstance(meta.get("gen"), int):
        return {}
    return {"gen": int(meta["gen"]) & 0xFFFF}


def _ttl(meta: dict, policy: dict, touch_ttl: int | None = None) -> int:
    if touch_ttl is not None:
        ttl = touch_ttl
    elif "ttl" in meta:
        ttl = meta["ttl"]
    else:
        ttl = TTL_CLIENT_DEFAULT
    if ttl & 0xFFFFFFFF == TTL_CLIENT_DEFAULT:
        ttl = policy.get("ttl", 0)
    return ttl & 0xFFFFFFFF


def _write_flags(msg: Message, meta: dict, policy: dict, with_exists: bool = True) -> None:
    msg.info2 |= Info2.WRITE
    gen_policy = policy.get("gen", GEN_IGNORE)
    if gen_policy == GEN_EQ:
        msg.info2 |= Info2.GENERATION
        msg.generation = meta.get("gen", 0)
    elif gen_policy == GEN_GT:
        msg.info2 |= Info2.GENERATION_GT
        msg.generation = meta.get("gen", 0)
    if with_exists:
        exists = policy.get("exists", EXISTS_IGNORE)
        if exists == EXISTS_CREATE:
            msg.info2 |= Info2.CREATE_ONLY
        elif exists == EXISTS_UPDATE:
            msg.info3 |= Info3.UPDATE_ONLY
        elif exists == EXISTS_REPLACE:
            msg.info3 |= Info3.REPLACE_ONLY
        elif exists == EXISTS_CREATE_OR_REPLACE:
            msg.info3 |= Info3.CREATE_OR_REPLACE
    if policy.get("durable_delete"):
        msg.info2 |= Info2.DURABLE_DELETE
    if policy.get("commit_level") == COMMIT_MASTER:
        msg.info3 |= Info3.COMMIT_MASTER


def _timeout(msg: Message, policy: dict) -> None:
    """The server-side timeout of a single-record command: the socket timeout when it is the
    shorter (and set), else the total timeout (the C client's as_command_server_timeout)."""
    total = policy.get("total_timeout", 0) or 0
    socket_timeout = policy.get("socket_timeout", 0) or 0
    msg.transaction_ttl = socket_timeout if 0 < socket_timeout < total else total
    if policy.get("compress"):
        msg.info1 |= Info1.COMPRESS_RESPONSE


def _read_flags(msg: Message, policy: dict) -> None:
    if policy.get("read_mode_ap") == 1:
        msg.info1 |= Info1.READ_MODE_AP_ALL
    sc = policy.get("read_mode_sc", 0)
    if sc == 1:
        msg.info3 |= Info3.SC_READ_TYPE
    elif sc == 2:
        msg.info3 |= Info3.SC_READ_RELAX
    elif sc == 3:
        msg.info3 |= Info3.SC_READ_TYPE | Info3.SC_READ_RELAX
    msg.record_ttl = policy.get("read_touch_ttl_percent", 0) & 0xFFFFFFFF


def check_bin_name(name, strict: bool = True) -> str:
    """A bin name: a str, at most 15 bytes unless the client has strict_types False (then
    the server decides, as with the official client)."""
    if not isinstance(name, str):
        raise param_error("Bin name should be of type string")
    if strict and len(name.encode("utf-8", "surrogateescape")) > MAX_BIN_NAME:
        raise bin_name_error("A bin name should not exceed 15 characters limit")
    return name


def read_request(key: Key, policy: dict, bins: list[str] | None = None, header_only: bool = False) -> Message:
    msg = Message(info1=Info1.READ, fields=key_fields(key, policy))
    _read_flags(msg, policy)
    if header_only:
        msg.info1 |= Info1.GET_NO_BINS
    elif bins is None:
        msg.info1 |= Info1.GET_ALL
    else:
        msg.ops = [Op(OpType.READ, 0, name) for name in bins]
    _timeout(msg, policy)
    return msg


def put_request(key: Key, bins: dict, meta: dict, policy: dict, encoder: Encoder, serializer) -> Message:
    msg = Message(fields=key_fields(key, policy))
    _write_flags(msg, meta, policy)
    msg.record_ttl = _ttl(meta, policy)
    msg.encoded_ops = write_ops(bins, encoder, serializer)
    _timeout(msg, policy)
    return msg


_OP_HEADER = struct.Struct(">IBBBB")
_I64 = struct.Struct(">q")
_INTEGER, _STRING, _MAP = int(ParticleType.INTEGER), int(ParticleType.STRING), int(ParticleType.MAP)
_WRITE = int(OpType.WRITE)


def write_ops(bins: dict, encoder: Encoder, serializer) -> tuple[int, bytes]:
    """(count, wire bytes) of the write ops of a put's bins, encoded straight into bytes (no Op
    per bin); the bin names are checked as the official client does, in the bins' order."""
    parts = []
    strict = encoder.strict_types
    particle = encoder.particle
    pack = _OP_HEADER.pack
    for name, value in bins.items():
        if not isinstance(name, str):
            raise client_error("A bin name must be a string or unicode string.")
        if len(name) > MAX_BIN_NAME or not name.isascii():  # the checks that can fail, in their order
            check_bin_name(name, strict)
            if len(name.encode()) > MAX_BIN_NAME:  # strict_types False: the C client's record refuses it
                raise bin_name_error("Unable to set key-value pair")
        kind = type(value)
        if kind is str:  # the common values encoded here, as `particle` encodes them
            ptype, data = _STRING, value.encode()
        elif kind is int and -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF:
            ptype, data = _INTEGER, _I64.pack(value)
        else:
            ptype, data = particle(value, serializer, True)
        # A bin name given as bytes that are not UTF-8 rides as a str with surrogates: its own bytes.
        raw = name.encode("utf-8", "surrogateescape")
        parts.append(pack(4 + len(raw) + len(data), _WRITE, ptype, 0, len(raw)))
        parts.append(raw)
        parts.append(data)
    return len(bins), b"".join(parts)


class WriteReply:
    """The reply to a write that returns no bins: only its result code is read."""

    __slots__ = ("result_code",)

    def __init__(self, result_code: int):
        self.result_code = result_code


def write_reply(body: bytes) -> WriteReply:
    """A write's reply decoded in one step: the header's result code (the fields and ops of a
    write's reply are not read)."""
    if len(body) < 22 or body[0] != 22:
        raise MalformedMessage("message shorter than the 22-byte header" if len(body) < 22
                               else "header size %d, expected 22" % body[0])
    return WriteReply(body[5])


class WriteTemplates:
    """Put requests by (namespace, set) under a default write policy and no meta: the encoded
    request around the digest and the ops, so a put joins its parts with its encoded bins (see
    `ReadTemplates`, whose rules it follows)."""

    def __init__(self) -> None:
        self._parts: dict[tuple, tuple[dict, bytes, bytes, bytes]] = {}

    def request(self, key: Key, bins: dict, policy: dict, encoder: Encoder, serializer) -> bytes:
        """The request of a put of `bins` to `key` with no meta under `policy` (a client's
        default write policy)."""
        if policy.get("key") == POLICY_KEY_SEND and key.user_key is not None:
            return put_request(key, bins, {}, policy, encoder, serializer).to_proto()
        parts = self._parts.get((key.namespace, key.set_name))
        if parts is None or parts[0] is not policy:
            count, ops = write_ops(bins, encoder, serializer)
            empty = put_request(key, {}, {}, policy, encoder, serializer).to_proto()
            at = empty.find(key.digest)
            if at < 30 or empty.find(key.digest, at + 1) >= 0:  # not unambiguously placed: no template
                return _framed(empty[8:28], count, empty[30:], ops)
            if len(self._parts) > 256:
                self._parts.clear()
            parts = self._parts[(key.namespace, key.set_name)] = (policy, empty[8:28], empty[30:at],
                                                                   empty[at + len(key.digest):])
            return _framed(parts[1], count, parts[2] + key.digest + parts[3], ops)
        count, ops = write_ops(bins, encoder, serializer)
        return _framed(parts[1], count, parts[2] + key.digest + parts[3], ops)


_PROTO_AS_MSG = (2 << 56) | (3 << 48)
_FRAME_AND_COUNT = struct.Struct(">Q20sH")


def _framed(head: bytes, count: int, fields: bytes, ops: bytes) -> bytes:
    """A proto type-3 message of a 22-byte header whose first 20 bytes are `head`, `count` ops,
    then `fields` and `ops`."""
    size = 22 + len(fields) + len(ops)
    return _FRAME_AND_COUNT.pack(_PROTO_AS_MSG | size, head, count) + fields + ops


def remove_request(key: Key, meta: dict, policy: dict) -> Message:
    msg = Message(info2=Info2.DELETE, fields=key_fields(key, policy))
    if "generation" in policy:  # the remove policy's own expected generation wins over meta
        meta = dict(meta, gen=policy["generation"])
    _write_flags(msg, meta, policy, with_exists=False)
    _timeout(msg, policy)
    return msg


#: The official client's error for a non-numeric increment in operate() (Client.increment has its own).
INCREMENT_OPERAND_ERROR = "Unsupported operand type(s) for +: only 'int' allowed"


class OpsOnlyKey:
    """Just enough of a Key to build the operations of a query or background job (no record)."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self.set_name = None
        self.digest = bytes(20)
        self.user_key = None


def operate_request(key: Key, operations: list, meta: dict, policy: dict, encoder: Encoder) -> tuple[Message, bool]:
    """The request for an operate call, and whether it writes."""
    if not isinstance(operations, list):
        raise param_error("Operations should be of type list")
    if not operations:
        raise param_error("No operations defined")
    msg = Message(fields=key_fields(key, policy))
    ops: list[Op] = []
    writes = reads = False
    touch_ttl = None
    respond_all = False
    for operation in operations:
        if not isinstance(operation, dict):
            continue  # the official operate() skips what is not a dict
        if "op" not in operation:
            raise param_error('Operation must contain an "op" entry')
        code = operation["op"]
        # Map, bit, HLL and expression ops make the official client ask for every op's result.
        respond_all = respond_all or respond_all_ops(operation)
        if not isinstance(code, int):
            raise param_error("Operation must be an integer")
        wire_op = _WIRE_OP.get(code)
        if code in (OP_EXPR_READ, OP_EXPR_WRITE):
            from ._expressions import expression_op
            encoded, is_write = expression_op(operation)
            ops.append(encoded)
            writes = writes or is_write
            reads = reads or not is_write
            continue
        if wire_op is None:
            from ._operations import encode_operation
            encoded, is_write = encode_operation(operation, encoder)
            ops.append(encoded)
            writes = writes or is_write
            reads = reads or not is_write
            continue
        name = operation.get("bin", "")
        if code in (OPERATOR_TOUCH, OPERATOR_DELETE):
            if code == OPERATOR_TOUCH and operation.get("val") is not None:
                touch_ttl = operation["val"]
            ops.append(Op(wire_op))
            writes = True
            continue
        if "bin" not in operation:
            raise param_error("Bin is not given")
        if isinstance(name, bytearray):  # bin names may be given as bytearray
            name = name.decode("utf-8", "surrogateescape")
        if name is None or not isinstance(name, str):
            raise param_error("Bin name should be of type string")
        check_bin_name(name, encoder.strict_types)
        if code == OPERATOR_READ:
            ops.append(Op(OpType.READ, 0, name))
            reads = True
            continue
        if "val" not in operation:
            raise param_error("Value should be given")
        value = operation["val"]
        # With strict_types False the value goes to the server as it is, which decides.
        if (encoder.strict_types and code == OPERATOR_INCR
                and (isinstance(value, bool) or not isinstance(value, (int, float)))):
            raise param_error(INCREMENT_OPERAND_ERROR)
        if (encoder.strict_types and code in (OPERATOR_APPEND, OPERATOR_PREPEND)
                and not isinstance(value, (str, bytes, bytearray))):
            raise param_error("Cannot concatenate 'str' and 'non-str' objects")
        if code in (OPERATOR_APPEND, OPERATOR_PREPEND) and isinstance(value, bytes) and type(value) is not bytes:
            value = bytes(value)  # a HyperLogLog appended is raw bytes to the official client
        # Without a serializer of the client's, an operation's value of no known type is refused
        # in the words of the official SERIALIZER_PYTHON path.
        ptype, data = encoder.particle(value, None if encoder.serializer is not None else SERIALIZER_PYTHON)
        ops.append(Op(wire_op, ptype, name, data))
        writes = True
    if not ops:
        raise param_error("No operations defined")
    if reads:
        msg.info1 |= Info1.READ
        _read_flags(msg, policy)
    if writes:
        _write_flags(msg, meta, policy)
        msg.record_ttl = _ttl(meta, policy, touch_ttl)
    if respond_all:
        msg.info2 |= Info2.RESPOND_ALL_OPS
    msg.ops = ops
    _timeout(msg, policy)
    return msg, writes


class RecordReply:
    """The reply to a read of one record, decoded in one pass (see `record_reply`): what `meta_of`
    and the caller need, the bins already a dict."""

    __slots__ = ("result_code", "generation", "record_ttl", "bins")

    def __init__(self, result_code: int, generation: int, record_ttl: int, bins: dict):
        self.result_code = result_code
        self.generation = generation
        self.record_ttl = record_ttl
        self.bins = bins


_REPLY_HEADER = struct.Struct(">BBBBBBIIIHH")
_FIELD_HEADER = struct.Struct(">IB")
#: Bin names already decoded (their raw bytes -> str); bounded.
_bin_names: dict[bytes, str] = {}


def record_reply(decoder: Decoder, body: bytes) -> RecordReply:
    """The reply to a single-record command decoded in one pass: what `parse_message` and
    `bins_of` give (no Message, no Op per bin), and for a malformed reply the same
    MalformedMessage. Only the first message of `body` is read (a single-record reply has one)."""
    end = len(body)
    if end < 22:
        raise MalformedMessage("message shorter than the 22-byte header")
    header_size, _i1, _i2, _i3, _i4, result, generation, void_time, _ttl, n_fields, n_ops = \
        _REPLY_HEADER.unpack_from(body)
    if header_size != 22:
        raise MalformedMessage("header size %d, expected 22" % header_size)
    pos = 22
    for _ in range(n_fields):  # passed over (checked as `parse_fields` checks them)
        if end - pos < 5:
            raise MalformedMessage("truncated field header")
        size, ftype = _FIELD_HEADER.unpack_from(body, pos)
        if size < 1 or pos + 4 + size > end:
            raise MalformedMessage("field of type %d overruns the message" % ftype)
        pos += 4 + size
    bins = {}
    if n_ops:
        op_header = _OP_HEADER.unpack_from
        names = _bin_names
        particle = decoder.particle
        try:
            for _ in range(n_ops):
                if end - pos < 8:
                    raise MalformedMessage("truncated op header")
                size, opcode, ptype, _flags, name_len = op_header(body, pos)
                value_end = pos + 4 + size
                if size < 4 + name_len or value_end > end:
                    raise MalformedMessage("op %d overruns the message" % opcode)
                name_end = pos + 8 + name_len
                raw_name = body[pos + 8:name_end]
                name = names.get(raw_name)
                if name is None:
                    try:
                        name = raw_name.decode()
                    except UnicodeDecodeError:
                        raise MalformedMessage("bin name is not UTF-8") from None
                    if len(names) < 4096:
                        names[raw_name] = name
                if ptype == _INTEGER and value_end - name_end == 8:
                    bins[name] = _I64.unpack_from(body, name_end)[0]
                elif ptype == _STRING:
                    bins[name] = body[name_end:value_end].decode("utf-8", "surrogateescape")
                elif ptype == _MAP:
                    bins[name] = value_of(ptype, body[name_end:value_end], decoder)
                else:
                    bins[name] = particle(ptype, body[name_end:value_end])
                pos = value_end
        except Exception:
            # The Message path checks every op before it decodes any value: when a value does
            # not decode, a malformed op further on is what it reports.
            parse_message(body)
            raise
    return RecordReply(result, generation, void_time, bins)


class ReadTemplates:
    """Read requests by (namespace, set): the encoded request of a default read policy around the
    digest, so a get builds its request by joining three parts. Each template remembers the
    policy object it was made with and is made again when the client's default read policy is
    another object (dynamic configuration replaces it). Only for requests without a KEY field
    (the digest is then the one part that differs)."""

    def __init__(self) -> None:
        self._parts: dict[tuple, tuple[dict, bytes, bytes]] = {}

    def request(self, key: Key, policy: dict) -> bytes:
        """The request of a plain get of `key` under `policy` (a client's default read policy)."""
        if policy.get("key") == POLICY_KEY_SEND and key.user_key is not None:
            return read_request(key, policy).to_proto()
        parts = self._parts.get((key.namespace, key.set_name))
        if parts is None or parts[0] is not policy:
            encoded = read_request(key, policy).to_proto()
            at = encoded.find(key.digest)
            if at < 0 or encoded.find(key.digest, at + 1) >= 0:
                return encoded  # the digest is not unambiguously placed: do not keep a template
            if len(self._parts) > 256:
                self._parts.clear()
            self._parts[(key.namespace, key.set_name)] = (policy, encoded[:at], encoded[at + len(key.digest):])
            return encoded
        return parts[1] + key.digest + parts[2]


def meta_of(reply: Message, now_cl: int) -> dict:
    """{'ttl', 'gen'} of a reply: remaining seconds (4294967295 = never expires), generation."""
    void_time = reply.record_ttl
    if void_time == 0:
        ttl = TTL_NEVER_EXPIRE
    else:
        ttl = max(1, void_time - now_cl)
    return {"ttl": ttl, "gen": reply.generation}


def reply_bins(reply, decoder: Decoder) -> dict:
    """The bins of a reply: a RecordReply's own, a Message's decoded (`bins_of`)."""
    return reply.bins if type(reply) is RecordReply else bins_of(reply, decoder)


def bins_of(reply: Message, decoder: Decoder) -> dict:
    """Bin name → value; with several results for one bin (operate), the last one wins."""
    return {op.name: _op_value(op, decoder) for op in reply.ops}


def ordered_bins_of(reply: Message, decoder: Decoder) -> list:
    """Every result as a (bin name, value) pair, in reply order (operate_ordered)."""
    return [(op.name, _op_value(op, decoder)) for op in reply.ops]


_PRESERVE_ORDER = 0x08


def _op_value(op: Op, decoder: Decoder):
    return value_of(op.particle_type, op.value, decoder)


def value_of(particle_type: int, data: bytes, decoder: Decoder):
    """A reply value. A map result flagged PRESERVE_ORDER (map return type KEY_VALUE) is
    returned by the official client as a flat [key, value, key, value, ...] list."""
    if particle_type == ParticleType.MAP:
        pairs = _preserve_order_pairs(bytes(data))
        if pairs is not None:
            return [decoder._from_wire(item) for item in pairs]
    return decoder.particle(particle_type, data)


def _preserve_order_pairs(data: bytes):
    """The flattened entries of a packed map whose ext header carries PRESERVE_ORDER, else None."""
    import msgpack
    from ._values import _ext_hook

    if not data:
        return None
    header = 1 if 0x80 <= data[0] <= 0x8F else {0xDE: 3, 0xDF: 5}.get(data[0])
    if header is None or data[header:header + 2] != b"\xc7\x00" or len(data) <= header + 2 \
            or not data[header + 2] & _PRESERVE_ORDER:
        return None  # the common case, decided without unpacking
    unpacker = msgpack.Unpacker(raw=True, strict_map_key=False, ext_hook=_ext_hook)
    unpacker.feed(data)
    count = unpacker.read_map_header()
    if count == 0:
        return None
    flag = unpacker.unpack()
    if getattr(flag, "flags", 0) & _PRESERVE_ORDER == 0:
        return None
    unpacker.skip()  # the flag entry's nil value
    return [unpacker.unpack() for _ in range(2 * (count - 1))]


def now_cl() -> int:
    return int(time.time()) - CITRUSLEAF_EPOCH


__all__ = ["ParticleType"]
