"""Query and Scan: partition-tracked record streams, node by node, with resumption (paginate).

Each round sends every node the partitions it masters that are not done: fresh partitions as ids,
partitions with a last-seen digest as resume points. Records update their partition's digest;
PARTITION_DONE markers with an error put a partition back for the next round (another replica);
a node that reaches its record limit leaves the partitions after its last record unfinished.
"""

from __future__ import annotations

import os
import struct
import time

from spikewire import (PARTITION_COUNT, FieldType, Info1, Info3, Message, Op, OpType,
                            ParticleType, partition_id)
from spikewire.particles import decode_float, decode_int

from . import exception
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._errors import param_error
from ._executor import raise_timeout, run_stream
from ._policies import merge
from . import _single_record as sr
from ._stream_records import read_record

_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


class _Partition:
    __slots__ = ("pid", "init", "done", "digest", "bval", "retry")

    def __init__(self, pid: int, digest: bytes | None = None):
        self.pid = pid
        self.init = digest is None
        self.done = False
        self.digest = digest
        self.bval = 0
        self.retry = False

    def status(self) -> tuple:
        return (self.pid, self.init, self.done, bytearray(self.digest or bytes(20)), self.bval)


def _partition_filter(policy: dict) -> list[_Partition]:
    pf = policy.get("partition_filter")
    if not pf:
        return [_Partition(pid) for pid in range(PARTITION_COUNT)]
    if not isinstance(pf, dict):
        raise param_error("partition_filter must be a dict")
    digest = pf.get("digest")
    if digest:
        raw = bytes(digest.get("value") if isinstance(digest, dict) else digest)
        return [_Partition(partition_id(raw), raw)]
    begin = pf.get("begin", 0)
    count = pf.get("count", PARTITION_COUNT)
    if not (isinstance(begin, int) and isinstance(count, int)) or begin < 0 or count < 1 or begin + count > PARTITION_COUNT:
        raise param_error("invalid partition filter range")
    return [_Partition(pid) for pid in range(begin, begin + count)]


def _user_key(data: bytes | None):
    if not data:
        return None
    ptype, value = data[0], data[1:]
    if ptype == ParticleType.INTEGER:
        return decode_int(value)
    if ptype == ParticleType.STRING:
        return value.decode("utf-8", "surrogateescape")
    if ptype == ParticleType.FLOAT:
        return decode_float(value)
    return bytearray(value)


class _Stop(Exception):
    """A foreach callback returned False."""


class _RecordStream:
    """Shared machinery of Query and Scan."""

    _policy_kind = "query"

    def __init__(self, client, namespace, set_name=None):
        if not isinstance(namespace, str):
            raise param_error("namespace must be a string")
        if set_name is not None and not isinstance(set_name, str):
            raise param_error("set must be a string")
        self._client = client
        self._namespace = namespace
        self._set = set_name
        self._bins: list[str] | None = None
        self._paginate = False
        self._partitions: list[_Partition] | None = None
        self._predicate = None
        self.ttl = 0

    # -- public API shared by Query and Scan ------------------------------------------------------

    def select(self, *bins) -> None:
        for name in bins:
            if not isinstance(name, str):
                raise param_error("Bin name should be of type string")
        self._bins = list(bins)

    def paginate(self) -> None:
        self._paginate = True

    def is_done(self) -> bool:
        return self._partitions is not None and all(p.done for p in self._partitions)

    def get_partitions_status(self) -> dict:
        if self._partitions is None:
            return {}
        status: dict = {"done": self.is_done(), "retry": any(p.retry for p in self._partitions)}
        for p in self._partitions:
            status[p.pid] = p.status()
        return status

    def add_ops(self, ops) -> None:
        """Write operations that `execute_background` applies to every selected record."""
        if not isinstance(ops, list):
            raise param_error("ops must be a list")
        self._ops = list(ops)

    def execute_background(self, policy=None) -> int:
        """Start a background job applying the added ops on every node; returns the job id."""
        from ._background import start_background
        if not getattr(self, "_ops", None) and getattr(self, "_udf", None) is None:
            raise param_error("no operations added: call add_ops() first")
        return start_background(self, policy)

    def apply(self, module, function, arguments=None):
        """The UDF `execute_background` runs on every record (a record UDF), or, for results() and
        foreach(), the stream UDF that aggregates them."""
        from ._udf import check_stream_udf
        self._udf = check_stream_udf(module, function, arguments)

    # -- running ----------------------------------------------------------------------------------

    def _collect(self, policy, options, nodename=None) -> list:
        records = []
        self._run(policy, options, records.append, nodename)
        return records

    def _run(self, policy, options, deliver, nodename=None) -> None:
        if getattr(self, "_udf", None) is not None:  # apply(): a stream UDF aggregates the records
            from ._udf import run_aggregation
            if self._policy_kind == "scan":
                return None  # Scan.apply is for execute_background; the official results() are empty
            return run_aggregation(self, policy, deliver)
        client = self._client
        cluster = client._require()
        policy = merge(client._policies[self._policy_kind], policy)
        if options is not None and not isinstance(options, dict):
            raise param_error("options must be a dict")
        options = options or {}
        nobins = bool(options.get("nobins"))
        if self._partitions is None or not self._paginate or self.is_done():
            self._partitions = _partition_filter(policy)
            if policy.get("partition_filter") and isinstance(policy["partition_filter"].get("partition_status"), dict):
                self._restore(policy["partition_filter"]["partition_status"])
        if not cluster.has_namespace(self._namespace):
            raise exception.exception_for(20, "Invalid namespace: %s" % self._namespace)
        max_records = getattr(self, "max_records", 0) or 0
        max_retries = policy.get("max_retries", 5) or 0
        sleep = (policy.get("sleep_between_retries", 0) or 0) / 1000.0
        delivered = 0
        attempt = 0
        while True:
            pending = [p for p in self._partitions if not p.done]
            if not pending:
                return
            for p in pending:
                p.retry = False
            by_node: dict = {}
            for p in pending:
                node, _ = cluster.node_for(self._namespace, p.pid, False, policy.get("replica", 2), attempt)
                if node is None:
                    p.retry = True
                    continue
                if nodename is not None and node.name != nodename:
                    p.done = True
                    continue
                by_node.setdefault(node, []).append(p)
            limit_hit = False
            for index, (node, parts) in enumerate(by_node.items()):
                per_node = 0
                if max_records:
                    remaining = max_records - delivered
                    if remaining <= 0:
                        break
                    nodes_left = len(by_node) - index
                    per_node = -(-remaining // nodes_left)  # ceiling: the budget is shared by the nodes
                got = self._run_node(node, parts, policy, nobins, per_node, deliver)
                delivered += got
                if per_node and got >= per_node:
                    limit_hit = True
            if max_records and (limit_hit or delivered >= max_records):
                return
            if not any(p.retry for p in self._partitions if not p.done):
                return
            attempt += 1
            if attempt > max_retries:
                raise exception.exception_for(-11, "max retries exceeded: partitions unavailable")
            if sleep:
                time.sleep(sleep)

    def _restore(self, status: dict) -> None:
        by_pid = {p.pid: p for p in self._partitions}
        for pid, value in status.items():
            if isinstance(pid, int) and pid in by_pid and isinstance(value, tuple) and len(value) >= 4:
                part = by_pid[pid]
                part.done = bool(value[2])
                digest = value[3]
                if digest and any(digest):
                    part.digest = bytes(digest)
                    part.init = False

    def _request(self, parts: list[_Partition], policy: dict, nobins: bool, limit: int) -> bytes:
        fields = [(FieldType.NAMESPACE, self._namespace.encode())]
        if self._set:
            fields.append((FieldType.SET, self._set.encode()))
        rps = getattr(self, "records_per_second", 0) or 0
        if rps:
            fields.append((FieldType.RECS_PER_SEC, _U32.pack(rps)))
        fields.append((FieldType.SOCKET_TIMEOUT, _U32.pack(policy.get("socket_timeout", 0) or 0)))
        fields.append((FieldType.TRID, os.urandom(8)))
        if self._predicate is not None:
            fields.extend(self._predicate_fields())
        fields.extend(sr.filter_fields(policy))
        fresh = [p for p in parts if p.digest is None]
        resumed = [p for p in parts if p.digest is not None]
        if fresh:
            fields.append((FieldType.PID_ARRAY, b"".join(bytes((p.pid & 0xFF, p.pid >> 8)) for p in fresh)))
        if resumed:
            fields.append((FieldType.DIGEST_ARRAY, b"".join(p.digest for p in resumed)))
        if limit:
            fields.append((FieldType.MAX_RECORDS, _U64.pack(limit)))
        ops = [Op(OpType.READ, 0, name) for name in (self._bins or [])]
        msg = Message(info1=Info1.READ | (Info1.GET_NO_BINS if nobins else 0), info3=Info3.PARTITION_DONE,
                      record_ttl=0xFFFFFFFF, transaction_ttl=policy.get("total_timeout", 0) or 0,
                      fields=fields, ops=ops)
        return msg.to_proto()

    def _predicate_fields(self) -> list:
        """INDEX_TYPE (if not default), INDEX_RANGE, then the field that picks the index: INDEX_CONTEXT,
        INDEX_EXPRESSION or INDEX_NAME (the official client's order)."""
        (index_type, data), extra = self._predicate
        fields = []
        if index_type:
            fields.append((FieldType.INDEX_TYPE, bytes((index_type,))))
        fields.append((FieldType.INDEX_RANGE, data))
        if extra is not None:
            fields.append(extra)
        return fields

    def _run_node(self, node, parts, policy, nobins, limit, deliver) -> int:
        by_pid = {p.pid: p for p in parts}
        decoder = self._client._decoder
        now = sr.now_cl()
        count = [0]
        errors = []
        ns = self._namespace
        # The server reads the fresh partitions (PID_ARRAY) first, then the resumed ones (DIGEST_ARRAY).
        order = [p for p in parts if p.digest is None] + [p for p in parts if p.digest is not None]
        touched = set()

        op_value = sr.value_of

        def consume(body: bytes) -> bool:
            pos, end = 0, len(body)
            while pos < end:
                msg, pos = read_record(body, pos, end, decoder, op_value)
                if msg.info3 & Info3.LAST:
                    if msg.result_code:
                        errors.append(msg.result_code)
                    return True
                if msg.info3 & Info3.PARTITION_DONE:
                    part = by_pid.get(msg.generation)
                    if part is not None:
                        if msg.result_code:
                            part.retry = True
                        else:
                            part.done = True
                    continue
                if msg.result_code:
                    errors.append(msg.result_code)
                    return True
                digest = msg.digest
                if digest is None:
                    continue
                part = by_pid.get((digest[0] | (digest[1] << 8)) & 0xFFF)
                if part is not None:
                    part.digest = digest
                    part.init = False
                    touched.add(part.pid)
                key = (ns, msg.set_name, _user_key(msg.key), bytearray(digest))
                void_time = msg.void_time
                meta = {"ttl": sr.TTL_NEVER_EXPIRE if void_time == 0 else max(1, void_time - now),
                        "gen": msg.generation}
                record = (key, meta, msg.bins)
                count[0] += 1
                if deliver(record) is False:
                    raise _Stop()
            return False

        try:
            run_stream(node, self._request(parts, policy, nobins, limit), policy, consume)
        except (ConnectionFailed, NoMoreConnections) as exc:
            if getattr(exc, "timeout", False):
                raise_timeout(" from %s:%d" % node.host, False)
            for part in parts:
                part.retry = True
            return count[0]
        if errors:
            raise exception.exception_for(errors[0], "%s:%d %s" % (*node.host, "query failed"))
        if limit and count[0] >= limit:
            # The node stopped at its limit: partitions after the last record's one were not reached.
            last = None
            for p in order:
                if p.pid in touched and not p.retry:
                    last = p
            reached = True
            for p in order:
                if not p.retry and reached:
                    p.done = p is not last
                if p is last:
                    reached = False
        else:
            for p in parts:
                if not p.retry:
                    p.done = True
        return count[0]


class Query(_RecordStream):
    """aerospike.Query: records of a namespace/set, optionally filtered by a secondary index."""

    _policy_kind = "query"

    def __init__(self, client, namespace, set_name=None):
        super().__init__(client, namespace, set_name)
        self.max_records = 0
        self.records_per_second = 0

    def where(self, predicate, ctx=None):
        """The secondary-index filter; with `ctx` (a cdt_ctx list) it queries the index built on
        that context of the predicate's bin."""
        self._check_no_predicate()
        extra = None
        if ctx is not None:
            extra = (FieldType.INDEX_CONTEXT, _ctx_field(ctx))
        self._predicate = (index_range(predicate), extra)
        return self

    def where_with_expr(self, expr, predicate, /):
        """The filter on the expression index built with `expr` (a compiled expression, or its
        base64 text); the predicate's bin name is not sent."""
        from ._expressions import expression_bytes
        self._check_no_predicate()
        if isinstance(expr, str):
            data = _b64decode(expr)
        elif isinstance(expr, list) and expr:
            data = expression_bytes(expr)
        else:
            raise param_error("Failed to add predicate")
        self._predicate = (index_range(predicate, with_bin=False), (FieldType.INDEX_EXPRESSION, data))
        return self

    def where_with_index_name(self, index_name, predicate, /):
        """The filter on the index named `index_name`; the predicate's bin name is not sent."""
        if not isinstance(index_name, str):
            raise TypeError("where_with_index_name() argument 1 must be str, not %s" % _type_name(index_name))
        self._check_no_predicate()
        self._predicate = (index_range(predicate, with_bin=False), (FieldType.INDEX_NAME, index_name.encode()))
        return self

    def _check_no_predicate(self) -> None:
        if self._predicate is not None:  # the official client takes one filter per query
            raise param_error("Failed to add predicate")

    def results(self, policy=None, options=None) -> list:
        return self._collect(policy, options)

    def foreach(self, callback, policy=None, options=None) -> None:
        if not callable(callback):
            raise param_error("Callback must be a callable")
        try:
            self._run(policy, options, callback)
        except _Stop:
            pass


class Scan(_RecordStream):
    """aerospike.Scan (the older name for a query without a filter)."""

    _policy_kind = "scan"

    def results(self, policy=None, nodename=None) -> list:
        return self._collect(policy, None, nodename)

    def foreach(self, callback, policy=None, options=None, nodename=None) -> None:
        if not callable(callback):
            raise param_error("Callback must be a callable")
        try:
            self._run(policy, options, callback, nodename)
        except _Stop:
            pass


# -- secondary-index filters --------------------------------------------------------------------------

_PREDICATE_EQUAL, _PREDICATE_RANGE = 0, 1
_DT_STRING, _DT_GEO, _DT_BLOB, _DT_NUMERIC = 0, 2, 3, 4
_INT64 = struct.Struct(">q")


def _range_value(datatype: int, value) -> tuple[int, bytes]:
    if datatype == _DT_NUMERIC and isinstance(value, int) and not isinstance(value, bool):
        if not -(1 << 63) <= value < (1 << 63):
            raise param_error("predicate is invalid.")
        return ParticleType.INTEGER, _INT64.pack(value)
    if datatype == _DT_STRING and isinstance(value, str):
        return ParticleType.STRING, value.encode()
    if datatype == _DT_BLOB and isinstance(value, (bytes, bytearray)):
        return ParticleType.BLOB, bytes(value)
    if datatype == _DT_GEO and isinstance(value, str):
        return ParticleType.GEOJSON, value.encode()
    raise param_error("predicate is invalid.")


def _type_name(value) -> str:
    return "None" if value is None else type(value).__name__


def _b64decode(text: str) -> bytes:
    import base64
    import binascii
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        return b""


def _ctx_field(ctx) -> bytes:
    """INDEX_CONTEXT data: the packed cdt_ctx list (an empty list packs as an empty array)."""
    from ._expressions import ctx_bytes
    if not isinstance(ctx, list):
        raise param_error("Failed to add predicate")
    try:
        return ctx_bytes(ctx)
    except exception.AerospikeError:
        raise param_error("Failed to add predicate") from None


def index_range(predicate, with_bin: bool = True) -> tuple[int, bytes]:
    """(collection index type, INDEX_RANGE field data) of a predicate from aerospike.predicates;
    without `with_bin` (index chosen by name or expression) the bin name is left empty."""
    if not isinstance(predicate, tuple) or len(predicate) < 4:
        raise param_error("predicate is invalid.")
    kind, datatype, bin_name = predicate[0], predicate[1], predicate[2]
    if not with_bin and (bin_name is None or isinstance(bin_name, str)):
        bin_name = ""
    if not isinstance(bin_name, str) or kind not in (_PREDICATE_EQUAL, _PREDICATE_RANGE):
        raise param_error("predicate is invalid.")
    index_type = predicate[5] if len(predicate) > 5 and predicate[5] else 0
    begin_type, begin = _range_value(datatype, predicate[3])
    if kind == _PREDICATE_RANGE and datatype == _DT_NUMERIC:
        _, end = _range_value(datatype, predicate[4])
    else:
        end = begin
    name = bin_name.encode()
    data = b"".join([bytes((1, len(name))), name, bytes((begin_type,)), _U32.pack(len(begin)), begin,
                     _U32.pack(len(end)), end])
    return index_type, data
