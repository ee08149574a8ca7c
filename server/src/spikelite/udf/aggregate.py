"""Stream UDFs (aggregation queries, UDF_OP 1): the server's part of the stream.

The module function receives a stream and chains map/filter/aggregate/reduce/groupby on it. As a
real node, this node runs the ops up to and including the first reduce over each partition's
selected records separately (each record read-only, as a UDF record), then folds the partitions'
results with that reduce (without a reduce every partition's values are answered) and answers each output value as a record holding one `SUCCESS`
bin, then the LAST marker. The client runs the remaining ops (from that reduce on) over every
node's values. A Lua error, an unknown function or module answers a record with a FAILURE bin
("UDF: Execution Error 2 : <text>", "... 1" for a missing module), then LAST with SERVER_ERROR, as
a real node.
"""

from __future__ import annotations

import time

from ..wire import FieldType, Info3, Message, ProtoType, ResultCode, frame
from .lua_env import LuaError, error_text
from .record_udf import _RecordSession, decode_arglist, value_op

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
    groups = [selected[pid] for pid in pids if selected.get(pid)]
    registry = node.udfs
    with registry.lock:
        try:
            state = registry.state(module)
        except LuaError:
            state = None
        if state is None:
            return [_failure_stream("UDF: Execution Error 1")]
        if not state.has_function(function):
            return [_failure_stream("UDF: Execution Error 2 : function not found")]

        def records_of(entries):
            entries = iter(entries)

            def next_record():
                for digest, record in entries:
                    session = _RecordSession(state, ns, digest, msg, record)
                    ops = state.lua.table_from({b"get": session.get, b"set": session.set,
                                                b"meta": session.meta, b"act": _read_only})
                    return state.H.new_record(ops)
                return None
            return next_record

        # A node runs the stream once per partition, then folds the partitions' results with the
        # server side's closing reduce (if any) before answering.
        deadline = time.monotonic() + (msg.transaction_ttl or DEFAULT_TIMEOUT_MS) / 1000.0
        lua_args = [state.to_lua(a) for a in args]
        partials: list = []
        for entries in groups:
            ok, values = state.stream(function, lua_args, records_of(entries), False,
                                      max(deadline - time.monotonic(), 0.001))
            if not ok:
                return [_error_reply(values)]
            partials.extend(values)
        if len(partials) > 1:
            pending = iter(partials)
            ok, partials = state.stream(function, lua_args, lambda: next(pending, None), False,
                                        max(deadline - time.monotonic(), 0.001), merge=True)
            if not ok:
                return [_error_reply(partials)]
        results = [state.from_lua(v) for v in partials]
    parts = [Message(ops=[value_op("SUCCESS", value)]).encode() for value in results]
    parts.append(Message(info3=Info3.LAST).encode())
    return [frame(ProtoType.AS_MSG, b"".join(parts))]


def _failure_stream(failure: str) -> bytes:
    """A failed aggregation as a node answers it: a record holding the FAILURE text, then the end
    of the stream with SERVER_ERROR."""
    parts = [Message(ops=[value_op("FAILURE", failure)]).encode(),
             Message(result_code=ResultCode.SERVER_ERROR, info3=Info3.LAST).encode()]
    return frame(ProtoType.AS_MSG, b"".join(parts))


def _error_reply(error) -> bytes:
    """A Lua error while streaming."""
    text = error_text(error)
    return _failure_stream("UDF: Execution Error 2 : %s"
                           % (text if text is not None else "result value type unexpected"))


def _read_only(what, arg=None):
    """aerospike:create/update/remove in a stream: records are read-only there."""
    name = what.decode() if isinstance(what, bytes) else str(what)
    if name == "exists":
        return True
    return -1
