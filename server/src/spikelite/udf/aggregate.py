"""Stream UDFs (aggregation queries, UDF_OP 1): the server's part of the stream.

The module function receives a stream and chains map/filter/aggregate/reduce/groupby on it. This
node runs the ops up to and including the first reduce over the records the query selects (each
record read-only, as a UDF record) and answers each output value as a record holding one `SUCCESS`
bin, then the LAST marker. The client runs the remaining ops (from that reduce on) over every
node's values. A Lua error in the stream answers, as a real node does, a record with a FAILURE
bin (result 0) and then LAST with result 1; a module that cannot load answers result 100.
"""

from __future__ import annotations

from ..wire import FieldType, Info3, Message, Op, OpType, ParticleType, ProtoType, ResultCode, frame
from .lua_env import LuaError, error_text
from .record_udf import _failure, _RecordSession, decode_arglist, value_op

#: Deadline of an aggregation whose request has no timeout.
DEFAULT_TIMEOUT_MS = 30_000


def run_aggregation(node, ns, msg: Message, pids_of, select) -> list[bytes]:
    module = (msg.field(FieldType.UDF_FILENAME) or b"").decode("utf-8", "replace")
    function = (msg.field(FieldType.UDF_FUNCTION) or b"").decode("utf-8", "replace")
    args = decode_arglist(msg.field(FieldType.UDF_ARGLIST))
    pids, _ = pids_of(msg)
    if len(node.membership.nodes) > 1:  # each node aggregates the partitions it masters
        pids = [pid for pid in pids if node.membership.replica_index(node, pid) == 0]
    set_field = msg.field(FieldType.SET)
    set_name = set_field.decode("utf-8", "replace") if set_field else None
    if set_name and set_name not in ns.set_names():
        # a real node answers a set it never held with one message: result 2 (not found)
        return [frame(ProtoType.AS_MSG, Message(result_code=ResultCode.KEY_NOT_FOUND).encode())]
    selected = select(ns, msg, pids, set_name)
    entries = iter([entry for pid in pids for entry in selected.get(pid, ())])
    registry = node.udfs
    with registry.lock:
        try:
            state = registry.state(module)
        except LuaError as exc:
            return [_failure(exc.message, None).to_proto()]
        if state is None:
            return [_failure("UDF: Execution Error 1", None).to_proto()]

        def next_record():
            for digest, record in entries:
                session = _RecordSession(state, ns, digest, msg, record)
                ops = state.lua.table_from({b"get": session.get, b"set": session.set,
                                            b"meta": session.meta, b"act": _read_only})
                return state.H.new_record(ops)
            return None

        timeout_ms = msg.transaction_ttl or DEFAULT_TIMEOUT_MS
        ok, values = state.stream(function, [state.to_lua(a) for a in args], next_record, False,
                                  timeout_ms / 1000.0)
        if not ok:
            text = error_text(values)
            return _stream_failure(text if text is not None else "result value type unexpected")
        results = [state.from_lua(v) for v in values]
    parts = [Message(ops=[value_op("SUCCESS", value)]).encode() for value in results]
    parts.append(Message(info3=Info3.LAST).encode())
    return [frame(ProtoType.AS_MSG, b"".join(parts))]


def _stream_failure(text: str) -> list[bytes]:
    """A real node's answer to a Lua error in the stream: a record (result 0) whose FAILURE bin
    reads "UDF: Execution Error 2 : <the Lua message>", then the LAST marker with result 1."""
    op = Op(OpType.READ, ParticleType.STRING, "FAILURE",
            ("UDF: Execution Error 2 : " + text).encode("utf-8", "surrogateescape"))
    parts = [Message(ops=[op]).encode(), Message(info3=Info3.LAST, result_code=ResultCode.SERVER_ERROR).encode()]
    return [frame(ProtoType.AS_MSG, b"".join(parts))]


def _read_only(what, arg=None):
    """aerospike:create/update/remove in a stream: records are read-only there."""
    name = what.decode() if isinstance(what, bytes) else str(what)
    if name == "exists":
        return True
    return -1
