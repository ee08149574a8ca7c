"""Query and Scan: record streams, node by node, with resumption (paginate).

The partition bookkeeping (which partitions each round reads, from where, and when a page or the
whole run is done) is `_partition_tracker`'s; this module builds the requests and reads the records.
"""

from __future__ import annotations

import os
import struct

from spikewire import PARTITION_COUNT, FieldType, Info1, Info3, Message, Op, OpType, ParticleType
from spikewire.particles import decode_float, decode_int

from . import exception
from ._c_members import unsigned_member
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._errors import client_error, error_name as _error_name, param_error
from ._partition_tracker import RETRY_STATUSES, NodePartitions, PartitionsStatus, Tracker, from_filter, restore
from ._executor import raise_timeout, stream_command
from ._io import command
from ._policies import merge
from . import _single_record as sr
from ._stream_records import U32 as _U32, Stop as _Stop, iter_records

_U64 = struct.Struct(">Q")
_U16LE = struct.Struct("<H")
REPLICA_RANDOM = 4
_U64LE = struct.Struct("<Q")


def _has_partition_filter(policy) -> bool:
    return isinstance(policy, dict) and bool(policy.get("partition_filter"))


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



def scan_policy_numbers(policy) -> None:
    """A Scan policy's records_per_second then max_records, checked as the official client
    converts them (after the base fields, before the scan's own)."""
    _c_long_field(policy, "records_per_second")
    _c_long_field(policy, "max_records")


def _c_long_field(policy, name: str) -> int:
    """A policy's int field as the official client reads it (0 when absent): any int within a C
    long, else "<name> is invalid" (not an int) or ClientError (too large)."""
    value = policy.get(name, 0) if isinstance(policy, dict) else 0
    if not isinstance(value, int):
        raise param_error("%s is invalid" % name)
    if not -(1 << 63) <= value < 1 << 63:
        raise client_error("Unable to fetch long value from policy field")
    return int(value)

class _RecordStream:
    """Shared machinery of Query and Scan."""

    _policy_kind = "query"
    ttl = unsigned_member("ttl", 32, "The TTL a background write gives the records (0: the namespace default).")

    def __init__(self, *args, **kwargs):
        # The official types have no constructor: Client.query()/scan() make them (see _create).
        raise TypeError("cannot create 'aerospike.%s' instances" % type(self).__name__)

    @classmethod
    def _create(cls, client, namespace, set_name=None):
        """A Query/Scan of `client` (what Client.query()/scan() return)."""
        stream = cls.__new__(cls)
        stream._start(client, namespace, set_name)
        return stream

    def _start(self, client, namespace, set_name) -> None:
        if not isinstance(namespace, str):
            raise param_error("Namespace should be a string")
        if set_name is not None and not isinstance(set_name, str):
            raise param_error("Set should be string, unicode or None")
        self._client = client
        self._namespace = namespace.partition("\x00")[0]  # read as a C string, as by the official client
        self._set = set_name
        self._bins: list[str] | None = None
        self._paginate = False
        self._status: PartitionsStatus | None = None  # kept between calls when paginating
        self._predicate = None

    # -- public API shared by Query and Scan ------------------------------------------------------

    def select(self, *bins):
        if self._policy_kind == "query" and getattr(self, "_selected", False):
            raise client_error("Query.select() cannot be called more than once on the same instance.")
        self._selected = True
        for name in bins:
            if not isinstance(name, (str, bytearray)):
                raise param_error("Bin name should be of type string")
        self._bins = [name.decode("utf-8", "surrogateescape") if isinstance(name, bytearray) else name
                      for name in bins]
        return self

    def paginate(self) -> bool:
        self._paginate = True
        return True

    def is_done(self) -> bool:
        return self._status is not None and self._status.done

    def get_partitions_status(self) -> dict:
        return {} if self._status is None else self._status.as_dict()

    def _partition_callback(self, callback, policy):
        """With a partition_filter, foreach() calls back with (partition id, record)."""
        self._filtered = _has_partition_filter(policy)
        if not self._filtered or getattr(self, "_udf", None) is not None:
            return callback

        def with_partition(record):
            digest = record[0][3]
            return callback((digest[0] | (digest[1] << 8)) & 4095, record)

        return with_partition

    def add_ops(self, ops):
        """Write operations that `execute_background` applies to every selected record; each is
        converted at once (as by the official client), so a bad one is refused here."""
        if not isinstance(ops, list):
            raise client_error("Ops must be list.")
        for operation in ops:
            if not isinstance(operation, dict):
                raise param_error("Failed to convert ops.")
            try:
                sr.operate_request(sr.OpsOnlyKey(self._namespace), [operation], {}, {}, self._client._encoder)
            except exception.AerospikeError as exc:
                raise param_error("Failed to convert ops. -> %s" % exc.msg) from None
        self._ops = list(ops)
        return self

    @command
    def execute_background(self, policy=None) -> int:
        """Start a background job applying the added ops (or UDF) on every node; returns the job
        id. A Scan may have neither (an empty job, as the official one); a Query must have one
        of them, an empty list of ops counting."""
        from ._background import start_background
        if self._policy_kind == "query" and getattr(self, "_ops", None) is None and getattr(self, "_udf", None) is None:
            raise param_error("Background function or ops is required")
        return (yield from start_background(self, policy))

    _execute_background = execute_background.command  # for Client.query_apply / scan_apply

    def _drive(self, gen):
        """Run a command generator (see `_io`) the way this stream's client moves bytes."""
        return self._client._drive(gen)

    def apply(self, module, function, arguments=None):
        """The UDF `execute_background` runs on every record (a record UDF), or, for results() and
        foreach(), the stream UDF that aggregates them."""
        try:  # the types of module, function and arguments are checked first (_arguments.CHECKS)
            self._client._encoder.pack(arguments or [])
        except exception.AerospikeError:
            raise client_error("udf function argument type must be supported by Aerospike") from None
        self._udf = (module, function, list(arguments or []))
        return self

    # -- running ----------------------------------------------------------------------------------

    def _collect(self, policy, options, nodename=None) -> list:
        records = []
        yield from self._run(policy, options, records.append, nodename)
        return records

    def _run(self, policy, options, deliver, nodename=None) -> None:
        if getattr(self, "_udf", None) is not None:  # apply(): a stream UDF aggregates the records
            from ._udf import run_aggregation
            if self._policy_kind == "scan":
                return None  # Scan.apply is for execute_background; the official results() are empty
            return (yield from run_aggregation(self, policy, deliver))
        client = self._client
        cluster = client._require()
        max_records = self._max_records(policy)
        self._records_per_second(policy)  # converted with the policy, before anything runs
        if isinstance(policy, dict) and "max_records" in policy:
            policy = {k: v for k, v in policy.items() if k != "max_records"}  # read above
        policy = merge(client._policies[self._policy_kind], policy)
        if options is not None and not isinstance(options, dict):
            raise param_error("options must be a dict")
        nobins = bool((options or {}).get("nobins"))
        tracker = self._tracker(policy, nodename, max_records, cluster)
        if not cluster.has_namespace(self._namespace):
            raise exception.exception_for(20, "Invalid namespace: %s" % self._namespace)
        replica = policy.get("replica", 2)
        while True:
            for np in tracker.assign(cluster, self._namespace, replica):
                yield from self._run_node(tracker, np, policy, nobins, deliver)
            if tracker.is_complete(_error_name):
                return None

    def _max_records(self, policy) -> int:
        """A scan's limit is a key of the call's policy (the config's scan policy has none); a
        query's is its max_records attribute."""
        if self._policy_kind != "scan":
            return getattr(self, "max_records", 0) or 0
        return _c_long_field(policy, "max_records") % (1 << 64)  # a negative one wraps, as in C

    def _records_per_second(self, policy) -> int:
        """A scan's throttle is a key of the call's policy (a C uint32: it wraps); a query's is
        its records_per_second attribute (its policy's key is not read)."""
        if self._policy_kind != "scan":
            return getattr(self, "records_per_second", 0) or 0
        return _c_long_field(policy, "records_per_second") & 0xFFFFFFFF

    def _tracker(self, policy: dict, nodename, max_records: int, cluster) -> Tracker:
        """The tracker of one call: the partitions of the partition_filter (or all), resumed from
        the ones kept by an earlier page or given as the filter's partition_status."""
        if policy.get("replica") == REPLICA_RANDOM:  # partitions are already spread over the nodes
            raise param_error("Invalid replica: AS_POLICY_REPLICA_RANDOM")
        pf = policy.get("partition_filter")
        given = None
        if pf is not None:
            try:
                begin, count, digest = from_filter(pf)
                status = pf.get("partition_status")
                given = restore(begin, count, digest, status) if status is not None else PartitionsStatus(begin, count, digest)
            except exception.ParamError:
                if self._policy_kind != "scan":
                    raise
                pf = None  # the official Scan drops a partition_filter it cannot read and scans it all
        if given is not None:
            if self._status is None:
                self._status = given  # the query keeps the filter's partitions (as the C client)
        else:
            begin, count, digest = 0, PARTITION_COUNT, None
        resume = self._status
        if resume is None:
            parts = PartitionsStatus(begin, count, digest)
            if self._paginate:
                self._status = parts
        else:
            if (begin, count) != (resume.begin, resume.count):
                raise param_error("Partition filter can not change when pagination is enabled. prev=%d,%d current=%d,%d"
                                  % (resume.begin, resume.count, begin, count))
            parts = resume
        if nodename is not None and not isinstance(nodename, str):
            raise param_error("nodename must be a string")
        if pf is not None:
            nodename = None  # a partition filter wins over a node name
        elif nodename is not None and nodename not in cluster.nodes:
            # this message passes through a second buffer in the official client: 1022 bytes
            raise param_error(exception._cut_message("Invalid node name: %s" % nodename, 1022))
        return Tracker(parts, resume is not None, max_records, policy, nodename)

    def _request(self, tracker: Tracker, np: NodePartitions, policy: dict, nobins: bool) -> bytes:
        """The request of one node's share, fields in the official client's order."""
        fields = [(FieldType.NAMESPACE, self._namespace.encode())]
        if self._set:
            fields.append((FieldType.SET, self._set.encode()))
        rps = self._records_per_second(policy)
        if rps:
            fields.append((FieldType.RECS_PER_SEC, _U32.pack(rps)))
        fields.append((FieldType.SOCKET_TIMEOUT, _U32.pack(policy.get("socket_timeout", 0) or 0)))
        fields.append((FieldType.TRID, os.urandom(8)))
        if self._predicate is not None:
            fields.extend(self._predicate_fields())
        fields.extend(sr.filter_fields(policy))
        pids, digests, bvals = tracker.request_arrays(np, self._predicate is not None)
        if pids is not None:
            fields.append((FieldType.PID_ARRAY, pids))
        if digests is not None:
            fields.append((FieldType.DIGEST_ARRAY, digests))
            if bvals is not None:  # an index query resumes at (bval, digest)
                fields.append((FieldType.BVAL_ARRAY, bvals))
        if np.record_max:
            fields.append((FieldType.MAX_RECORDS, _U64.pack(np.record_max)))
        query_ops = getattr(self, "_ops", None)
        if query_ops:  # a foreground query with operations: each record answers their results
            ops = sr.operate_request(sr.OpsOnlyKey(self._namespace), query_ops, {}, policy,
                                     self._client._encoder)[0].ops
        else:
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

    def _run_node(self, tracker: Tracker, np: NodePartitions, policy, nobins, deliver) -> None:
        """One node's share of a round: records go to `deliver` and move their partition's resume
        point; unavailable partitions and retryable failures go back to the tracker."""
        decoder = self._client._decoder
        now = sr.now_cl()
        ns = self._namespace
        errors = []
        op_value = sr.value_of

        parts = tracker.parts
        begin, count, digests, bvals = parts.begin, parts.count, parts.digests, parts.bvals
        check_max = tracker.check_max
        never = sr.TTL_NEVER_EXPIRE
        last, partition_done = Info3.LAST, Info3.PARTITION_DONE

        def consume(body: bytes) -> bool:
            delivered = 0
            stops = last | partition_done
            try:
                for (info3, result, generation, void_time, _index, digest, set_name, user_key, bval,
                     bins) in iter_records(body, decoder, op_value):
                    if info3 & stops or result:
                        if info3 & last:
                            if result:
                                errors.append(result)
                            return True
                        if info3 & partition_done:
                            if result:  # the partition is not readable here now: another round
                                tracker.part_unavailable(np, generation)
                            continue
                        if result != 2:  # not found (no such set on the node) just ends it
                            errors.append(result)
                        return True
                    if digest is None or (check_max and tracker.over_limit(np)):
                        continue
                    if deliver(((ns, set_name, _user_key(user_key) if user_key else None, bytearray(digest)),
                                {"ttl": never if void_time == 0 else max(1, void_time - now), "gen": generation},
                                bins)) is False:
                        raise _Stop()
                    index = ((digest[0] | (digest[1] << 8)) & 4095) - begin
                    if 0 <= index < count:
                        digests[index] = digest
                        bvals[index] = bval
                    delivered += 1
            finally:
                np.record_count += delivered
            return False

        node = np.node
        try:
            yield from stream_command(node, self._request(tracker, np, policy, nobins), policy, consume, self._namespace)
        except (ConnectionFailed, NoMoreConnections) as exc:
            if getattr(exc, "timeout", False):
                raise_timeout(" from %s:%d" % node.host, False)
            tracker.node_failed(np, -10)
            return
        if errors:
            if errors[0] in RETRY_STATUSES:  # e.g. an index not (yet) there: another round
                tracker.node_failed(np, errors[0])
                return
            raise exception.exception_for(errors[0], "%s:%d %s" % (*node.host, _error_name(errors[0])))


class Query(_RecordStream):
    """aerospike.Query: records of a namespace/set, optionally filtered by a secondary index."""

    _policy_kind = "query"

    max_records = unsigned_member("max_records", 64, "The most records the query returns (0: all).")
    records_per_second = unsigned_member("records_per_second", 32,
                                         "The most records a second each node sends (0: no limit).")

    def where(self, predicate, ctx=None):
        """The secondary-index filter; with `ctx` (a cdt_ctx list) it queries the index built on
        that context of the predicate's bin. A bin name that is neither str nor bytearray adds no
        filter (as the official 19.x client, which then runs the query unfiltered)."""
        parts = _predicate_parts(predicate)
        extra = None
        if ctx is not None:
            extra = (FieldType.INDEX_CONTEXT, _ctx_field(ctx))
        if parts[2] is None:
            raise param_error("Failed to add predicate")
        return self._set_predicate(index_range(parts), extra)

    def where_with_expr(self, expr, predicate, /):
        """The filter on the expression index built with `expr` (a compiled expression, or its
        base64 text); the predicate's bin name is not sent."""
        from ._expressions import expression_bytes
        parts = _predicate_parts(predicate)
        if isinstance(expr, str):
            data = _b64decode(expr)
        elif isinstance(expr, list) and expr:
            data = expression_bytes(expr)
        else:
            raise param_error("Failed to add predicate")
        return self._set_predicate(index_range(parts, with_bin=False), (FieldType.INDEX_EXPRESSION, data))

    def where_with_index_name(self, index_name, predicate, /):
        """The filter on the index named `index_name`; the predicate's bin name is not sent."""
        if not isinstance(index_name, str):
            raise TypeError("where_with_index_name() argument 1 must be str, not %s" % _type_name(index_name))
        parts = _predicate_parts(predicate)
        return self._set_predicate(index_range(parts, with_bin=False), (FieldType.INDEX_NAME, index_name.encode()))

    def _set_predicate(self, index_range_field, extra):
        if index_range_field is None:
            return self  # the official 19.x client adds no filter then, and says nothing
        if self._predicate is not None:  # the official client takes one filter per query
            raise param_error("Failed to add predicate")
        self._predicate = (index_range_field, extra)
        return self

    @command
    def results(self, policy=None, options=None) -> list:
        self._filtered = _has_partition_filter(policy)
        return (yield from self._collect(policy, options))

    @command
    def foreach(self, callback, policy=None, options=None) -> None:
        callback = self._partition_callback(_guarded(callback, "Callback function contains an error"), policy)
        try:
            yield from self._run(policy, options, callback)
        except _Stop:
            pass


class Scan(_RecordStream):
    """aerospike.Scan (the older name for a query without a filter)."""

    _policy_kind = "scan"
    #: Attributes the official Query has and the official Scan has not (they are policy keys there).
    _QUERY_ONLY = frozenset(("max_records", "records_per_second"))

    def __getattr__(self, name):
        raise AttributeError("'aerospike.Scan' object has no attribute '%s'" % name)

    def __setattr__(self, name, value) -> None:
        if name in self._QUERY_ONLY:
            raise AttributeError("'aerospike.Scan' object has no attribute '%s'" % name)
        super().__setattr__(name, value)

    @command
    def results(self, policy=None, nodename=None) -> list:
        self._filtered = _has_partition_filter(policy)
        return (yield from self._collect(policy, None, nodename))

    @command
    def foreach(self, callback, policy=None, options=None, nodename=None) -> None:
        callback = self._partition_callback(_guarded(callback, "Callback function raised an exception"), policy)
        try:
            yield from self._run(policy, None, callback, nodename)  # the official Scan.foreach() reads no options
        except _Stop:
            pass


def _guarded(callback, message: str):
    """`callback` called for each record as the official foreach() calls it: checked only then,
    and any exception it raises (or calling what is not callable) becomes ClientError `message`."""

    def deliver(*args):
        try:
            return callback(*args)
        except Exception:
            raise client_error(message) from None

    return deliver


# -- secondary-index filters --------------------------------------------------------------------------

_PREDICATE_EQUAL, _PREDICATE_RANGE = 0, 1
_DT_STRING, _DT_GEO, _DT_BLOB, _DT_NUMERIC = 0, 2, 3, 4
_INT64 = struct.Struct(">q")


def _int64(value) -> int:
    """A predicate's integer as the official client reads it: anything else, or an int out of
    the int64 range, is 0."""
    if isinstance(value, int) and -(1 << 63) <= value < (1 << 63):
        return int(value)
    return 0


def _range_value(datatype: int, value) -> tuple[int, bytes] | None:
    """(particle type, bytes) of a filter value; None for a value of another type than the
    index's (the official 19.x client then adds no filter)."""
    if datatype == _DT_NUMERIC:
        return ParticleType.INTEGER, _INT64.pack(_int64(value))
    if datatype in (_DT_STRING, _DT_GEO):
        if not isinstance(value, str):
            return None
        return (ParticleType.STRING if datatype == _DT_STRING else ParticleType.GEOJSON), value.encode()
    if not isinstance(value, (bytes, bytearray)):
        return None
    return ParticleType.BLOB, bytes(value)


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


def _predicate_parts(predicate) -> tuple:
    """(kind, datatype, bin, value1, value2, index type) of a predicate tuple of
    aerospike.predicates, refused as by the official client: a tuple of 3 to 6 items whose kind,
    datatype (and index type, when given) are ints; the missing items are None (index type 0)."""
    if not isinstance(predicate, tuple) or not 2 < len(predicate) <= 6:
        raise param_error("predicate is invalid.")
    kind, datatype = predicate[0], predicate[1]
    if not isinstance(kind, int) or not isinstance(datatype, int):
        raise param_error("predicate is invalid.")
    index_type = predicate[5] if len(predicate) == 6 else 0
    if not isinstance(index_type, int):
        raise param_error("predicate is invalid.")
    padded = tuple(predicate[2:5]) + (None,) * (5 - len(predicate))
    return (kind, datatype) + padded + (index_type,)


def index_range(parts: tuple, with_bin: bool = True) -> tuple[int, bytes] | None:
    """(collection index type, INDEX_RANGE field data) of a predicate's parts (_predicate_parts),
    or None where the official client adds no filter (a bin name or value of another type);
    without `with_bin` (index chosen by name or expression) the bin name is left empty."""
    kind, datatype, bin_name, value1, value2, index_type = parts
    if with_bin and not isinstance(bin_name, (str, bytearray)):
        return None  # no filter (see Query._set_predicate)
    known = datatype in (_DT_STRING, _DT_GEO, _DT_BLOB, _DT_NUMERIC)
    begin_value = _range_value(datatype, value1) if known else None
    if known and begin_value is None:
        return None
    if not known or (datatype == _DT_BLOB and kind != _PREDICATE_EQUAL):
        raise param_error("Failed to add predicate")
    begin_type, begin = begin_value
    if kind == _PREDICATE_RANGE and datatype == _DT_NUMERIC:
        end = _INT64.pack(_int64(value2))
    else:
        end = begin
    if not with_bin:
        name = b""
    elif isinstance(bin_name, bytearray):
        name = bytes(bin_name)
    else:
        name = bin_name.encode()
    data = b"".join([bytes((1, len(name))), name, bytes((begin_type,)), _U32.pack(len(begin)), begin,
                     _U32.pack(len(end)), end])
    return index_type & 0xFF, data
