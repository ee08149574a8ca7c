"""Record UDFs: apply one module function to one record (fields 30/31/32), as the server's udf.c.

Semantics kept from the server (udf.c, udf_aerospike.c, udf_record.c):

- `rec['bin'] = v` only caches the change; `aerospike:create(rec)` / `aerospike:update(rec)` apply
  the cached changes to the record, which is written once the function returns successfully
  (changes cached after the last create/update are dropped). `aerospike:remove(rec)` deletes
  every bin, so the record is removed.
- create on a record that has bins returns 1; update/remove on a missing record return -2 / 1;
  `aerospike:exists(rec)` is true once the record is open (it existed, or was created).
- A Lua error (or a runaway function stopped at the transaction deadline) answers result 100 with
  a FAILURE bin holding the error text; nothing is written. Success answers a SUCCESS bin holding
  the return value (a NULL particle for nil).
- A bin value Lua cannot store (e.g. a function) fails the write with 12 (BIN_INCOMPATIBLE_TYPE).
"""

from __future__ import annotations

import copy
from typing import Any

from ..binops.cdt.values import Blob, Geo, to_particle, unpack
from ..store import Namespace, Record
from ..store.record import next_generation
from ..wire import (MAX_BIN_NAME, AerospikeWireError, FieldType, Message, Op, OpType, ParticleType,
                    ResultCode)
from ..wire.particles import (BLOB_TYPES, decode_bool, decode_float, decode_int, geojson_text)
from ..binops.cdt.values import unpack as unpack_msgpack
from .lua_env import LuaError, error_text
from .registry import UdfRegistry

#: Deadline of a UDF whose request carries no transaction timeout (the server's default).
DEFAULT_TIMEOUT_MS = 1000
UNEXPECTED = "result value type unexpected"


def bin_to_value(bin_value: tuple[int, bytes]) -> Any:
    """The Python (CDT model) value of a stored bin."""
    ptype, data = bin_value
    if ptype == ParticleType.INTEGER:
        return decode_int(data)
    if ptype == ParticleType.FLOAT:
        return decode_float(data)
    if ptype == ParticleType.STRING:
        return data.decode("utf-8", "surrogateescape")
    if ptype == ParticleType.BOOL:
        return decode_bool(data)
    if ptype in (ParticleType.LIST, ParticleType.MAP):
        return unpack(data)
    if ptype == ParticleType.GEOJSON:
        return Geo(geojson_text(data))
    return Blob(data, ptype)


def key_value(key_field: bytes | None) -> Any:
    """The user key of a KEY field (type byte + bytes)."""
    if not key_field:
        return None
    ktype, data = key_field[0], key_field[1:]
    if ktype == ParticleType.INTEGER:
        return decode_int(data) if len(data) == 8 else None
    if ktype == ParticleType.STRING:
        return data.decode("utf-8", "surrogateescape")
    if ktype == ParticleType.FLOAT:
        return decode_float(data) if len(data) == 8 else None
    return Blob(data, ktype)


def value_op(name: str, value: Any) -> Op:
    """A reply op named `name` carrying a UDF value (NULL particle for nil or an unusable value)."""
    try:
        particle = to_particle(value)
    except (TypeError, OverflowError, Exception):
        particle = None
    if particle is None:
        return Op(OpType.READ, ParticleType.NULL, name, b"")
    return Op(OpType.READ, int(particle[0]), name, particle[1])


def decode_arglist(data: bytes | None) -> list:
    if not data:
        return []
    try:
        args = unpack_msgpack(data)
    except AerospikeWireError:
        raise AerospikeWireError(ResultCode.PARAMETER, "malformed UDF argument list") from None
    if not isinstance(args, list):
        raise AerospikeWireError(ResultCode.PARAMETER, "UDF argument list is not an array")
    return list(args)


class _RecordSession:
    """The record as one UDF execution sees and changes it (callbacks for prelude.lua)."""

    def __init__(self, state, ns: Namespace, digest: bytes, msg: Message, record: Record | None):
        self.state = state
        self.ns = ns
        self.digest = digest
        self.msg = msg
        self.record = record
        self.open = record is not None
        self.bins: dict[str, tuple[int, bytes]] = dict(record.bins) if record is not None else {}
        self.cache: dict[str, Any] = {}
        self.has_updates = False
        self.result_code = ResultCode.OK
        self.ttl = msg.record_ttl
        self.drop_key = False
        set_field = msg.field(FieldType.SET)
        self.set_name = record.set_name if record is not None else (
            set_field.decode("utf-8", "replace") if set_field else None)

    # -- callbacks ----------------------------------------------------------------------------------

    def get(self, name):
        name = _name(name)
        if name in self.cache:
            return self.state.to_lua(self.cache[name])
        bin_value = self.bins.get(name)
        return None if bin_value is None else self.state.to_lua(bin_value_safe(bin_value))

    def set(self, name, value):
        name = _name(name)
        if len(name.encode()) > MAX_BIN_NAME:
            return True, None  # the server ignores a bad bin name here
        if _unusable(self.state, value):  # mod-lua refuses tables, functions, records, ...
            return False, "can't set bin %s to unsupported type" % name
        self.cache[name] = self.state.from_lua(value)
        return True, None

    def meta(self, what):
        what = _name(what)
        record = self.record
        if what == "setname":
            return None if self.set_name is None else self.set_name.encode()
        if what == "digest":
            return self.state.H.new_bytes(self.digest, int(ParticleType.BLOB))
        if what == "bin_names":  # nil for a record that does not exist: the caller errs
            return self.state.lua.table_from([n.encode() for n in self.bins]) if self.open else None
        if not self.open or record is None:
            return None if what == "key" else 0
        if what == "ttl":
            now = self.ns.clock.now_cl()
            return record.void_time - now if record.void_time > now else 0
        if what == "gen":
            return record.generation
        if what == "key":
            return self.state.to_lua(key_value(record.key))
        if what == "numbins":
            return len(self.bins)
        if what == "last_update_time":
            return record.last_update_ns // 1_000_000
        if what == "size":
            return record.size()
        return None

    def act(self, what, arg=None):
        what = _name(what)
        if what == "exists":
            return self.open
        if what == "create":
            if self.open and self.bins:
                return 1
            self.open = True
            return self._execute_updates()
        if what == "update":
            if not self.open:
                return -2
            return self._execute_updates()
        if what == "remove":
            if not self.open:
                return 1
            self.cache = {name: None for name in self.bins}
            return self._execute_updates()
        if what == "set_ttl":
            try:
                self.ttl = int(arg) & 0xFFFFFFFF
            except (TypeError, ValueError):
                return -1
            return 0
        if what == "drop_key":
            self.drop_key = True
            return 0
        return -1

    def _execute_updates(self) -> int:
        bins = dict(self.bins)
        for name, value in self.cache.items():
            if value is None:
                bins.pop(name, None)
                continue
            particle = None if value is _Unusable else _particle(value)
            if particle is None:
                self.result_code = ResultCode.BIN_TYPE
                self.has_updates = False
                self.cache = {}
                return -1
            bins[name] = particle
        self.bins = bins
        self.cache = {}
        self.has_updates = True
        self.result_code = ResultCode.OK
        return 0


class _UnusableType:
    pass


_Unusable = _UnusableType()


def _unusable(state, value) -> bool:
    """A Lua value that cannot be a bin (functions, plain tables, userdata) but is not nil."""
    if value is None or isinstance(value, (bool, int, float, bytes)):
        return False
    return state.H.kind(value) is None


def _particle(value: Any) -> tuple[int, bytes] | None:
    try:
        return to_particle(value)
    except Exception:
        return None


def bin_value_safe(bin_value):
    try:
        return bin_to_value(bin_value)
    except Exception:
        return None


def _name(value) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else str(value)


def apply_record_udf(registry: UdfRegistry, ns: Namespace, digest: bytes, msg: Message,
                     void_time_of, check_key) -> Message:
    """Run the UDF a message names against one record; the reply message.

    `void_time_of(ns, msg, record, now_cl)` and `check_key(record, msg)` are the write path's own
    helpers, so a UDF write treats TTLs and keys like a put."""
    module = (msg.field(FieldType.UDF_FILENAME) or b"").decode("utf-8", "replace")
    function = (msg.field(FieldType.UDF_FUNCTION) or b"").decode("utf-8", "replace")
    args = decode_arglist(msg.field(FieldType.UDF_ARGLIST))
    record = ns.get(digest)
    if record is not None:
        check_key(record, msg)
    timeout_ms = msg.transaction_ttl or DEFAULT_TIMEOUT_MS
    with registry.lock:
        try:
            state = registry.state(module)
        except LuaError as exc:
            return _failure(exc.message, record)
        if state is None:
            return _failure("UDF: Execution Error 1", record)
        session = _RecordSession(state, ns, digest, msg, record)
        ops = state.lua.table_from({b"get": session.get, b"set": session.set,
                                    b"meta": session.meta, b"act": session.act})
        lua_record = state.H.new_record(ops)
        lua_args = [lua_record] + [state.to_lua(a) for a in args]
        ok, value = state.call(function, lua_args, timeout_ms / 1000.0)
        if not ok:
            text = error_text(value)
            return _failure(text if text is not None else UNEXPECTED, record)
        result = state.from_lua(value)
    if session.result_code != ResultCode.OK:
        return Message(result_code=session.result_code)
    if not session.has_updates:
        if record is None:
            return Message(ops=[value_op("SUCCESS", result)])
        return Message(generation=record.generation, record_ttl=record.void_time,
                       ops=[value_op("SUCCESS", result)])
    if not session.bins:
        if record is not None:
            ns.delete(digest)
            # a node's reply to a UDF that removed the record carries the next generation
            return Message(generation=next_generation(record.generation), ops=[value_op("SUCCESS", result)])
        return Message(ops=[value_op("SUCCESS", result)])
    ttl_msg = copy.copy(msg)
    ttl_msg.record_ttl = session.ttl
    void_time = void_time_of(ns, ttl_msg, record, ns.clock.now_cl())
    if record is not None:
        key = None if session.drop_key else record.key
        generation = next_generation(record.generation)
    else:
        key = None if session.drop_key else msg.field(FieldType.KEY)
        generation = 1
    new = Record(session.bins, generation, void_time, ns.clock.now_ns(), key, session.set_name)
    if new.size() > ns.config.max_record_size:
        return Message(result_code=ResultCode.RECORD_TOO_BIG)
    ns.put(digest, new)
    return Message(generation=new.generation, record_ttl=new.void_time,
                   ops=[value_op("SUCCESS", result)])


def _failure(text: str, record: Record | None) -> Message:
    op = Op(OpType.READ, ParticleType.STRING, "FAILURE", text.encode("utf-8", "surrogateescape"))
    if record is None:
        return Message(result_code=ResultCode.UDF_EXECUTION, ops=[op])
    return Message(result_code=ResultCode.UDF_EXECUTION, generation=record.generation,
                   record_ttl=record.void_time, ops=[op])
