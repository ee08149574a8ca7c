"""Scans and queries (requests without a digest): partition-based record streams.

The request names the partitions to read (PID_ARRAY: 2-byte little-endian ids) and those to resume
(DIGEST_ARRAY: continue after that digest in its partition; an index query also sends BVAL_ARRAY,
the index value to resume after, and is refused without it), optionally a set, selected bins (READ
ops), `GET_NO_BINS`, a record limit (MAX_RECORDS). As on a real node, each partition is read in
digest order (an index query's in index-value order, each record carrying its BVAL field), several
workers share the partitions so records of different partitions interleave, a limit cuts across
partitions, and finished partitions are not reported: only partitions this node does not master
get a PARTITION_DONE marker with PARTITION_UNAVAILABLE so the client retries them elsewhere; a LAST
marker ends the stream. A request that cannot start gets one plain error message.
"""

from __future__ import annotations

import struct
import time

from ..wire import (DIGEST_SIZE, MSG_HEADER_SIZE, PARTITION_COUNT, AerospikeWireError, FieldType, Info1,
                    Info2, Info3, Message, Op, OpType, ParticleType, ResultCode, partition_id)
from ..wire.framing import ProtoType, frame
from ..wire.message import encode_ops
from ..store.record import Record, decode_bin_ops, expired, reply_meta, select_ops, set_name_of

_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")
_I64LE = struct.Struct("<q")
_CHUNK = 128 * 1024
#: Records looked at (selecting) or sent between two points where the server serves others.
_RECORDS_PER_STEP = 1000
#: records_per_second: how far ahead of its schedule a stream may get before it waits.
_PACE_S = 0.01
#: Partition readers of one scan or query (a node's query threads).
WORKERS = 4
# a record reply's AS_MSG header and field headers, as wire.message encodes them
_MSG_HEADER = struct.Struct(">BBBBBBIIIHH")
_FIELD_HEADER = struct.Struct(">IB")
_DIGEST_FIELD_HEADER = _FIELD_HEADER.pack(DIGEST_SIZE + 1, FieldType.DIGEST)
_BVAL_FIELD_HEADER = _FIELD_HEADER.pack(8 + 1, FieldType.BVAL_ARRAY)
_ALL_PIDS = list(range(PARTITION_COUNT))


def _pids(msg: Message, job: bool = False) -> tuple[list[int], dict[int, bytes]]:
    """(partition ids in request order, {pid: resume-after digest}). As a real node: a foreground
    scan or query names its partitions (PID_ARRAY or DIGEST_ARRAY; without either it answers
    UNSUPPORTED_FEATURE, 16), a `job` (background or aggregation) without them reads them all; an
    empty PID_ARRAY is refused and an odd last byte ignored."""
    pids: list[int] = []
    resume: dict[int, bytes] = {}
    raw = msg.field(FieldType.PID_ARRAY)
    if raw is not None:
        if len(raw) < 2:
            raise AerospikeWireError(ResultCode.PARAMETER, "empty partition id array")
        pids = list(struct.unpack_from("<%dH" % (len(raw) // 2), raw))
    digests = msg.field(FieldType.DIGEST_ARRAY)
    if digests is not None:
        if len(digests) % DIGEST_SIZE:
            raise AerospikeWireError(ResultCode.PARAMETER, "digest array length")
        for i in range(0, len(digests), DIGEST_SIZE):
            digest = digests[i:i + DIGEST_SIZE]
            pid = partition_id(digest)
            pids.append(pid)
            resume[pid] = digest
    bvals = msg.field(FieldType.BVAL_ARRAY)
    if digests is None and bvals is not None:
        raise AerospikeWireError(ResultCode.PARAMETER, "BVAL_ARRAY without DIGEST_ARRAY")
    if digests is not None and msg.field(FieldType.INDEX_RANGE) is not None and (
            bvals is None or len(bvals) != 8 * (len(digests) // DIGEST_SIZE)):
        # a node resumes an index query at (bval, digest): it refuses digests without their bvals
        raise AerospikeWireError(ResultCode.PARAMETER, "resumed index query needs one bval per digest")
    if raw is None and digests is None:
        if not job:
            raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE, "scan or query without partitions")
        pids = list(range(PARTITION_COUNT))
    if (pids and max(pids) >= PARTITION_COUNT) or len(set(pids)) != len(pids):
        raise AerospikeWireError(ResultCode.PARAMETER, "bad or duplicate partition id")
    return pids, resume


def _resume_bvals(msg: Message) -> dict[int, int]:
    """{pid: bval} of a resumed index query (BVAL_ARRAY: little-endian int64 per digest)."""
    digests, bvals = msg.field(FieldType.DIGEST_ARRAY), msg.field(FieldType.BVAL_ARRAY)
    if digests is None or bvals is None or msg.field(FieldType.INDEX_RANGE) is None:
        return {}
    return {partition_id(digests[i * DIGEST_SIZE:(i + 1) * DIGEST_SIZE]): _I64LE.unpack_from(bvals, 8 * i)[0]
            for i in range(len(digests) // DIGEST_SIZE)}


def run_scan(node, ns, msg: Message, execute_single=None) -> list[bytes]:
    """Reply protos of a scan/query, all at once (see `stream_scan`; records_per_second is not
    paced here)."""
    return [step for step in stream_scan(node, ns, msg, execute_single) if isinstance(step, bytes)]


def stream_scan(node, ns, msg: Message, execute_single=None):
    """The reply of a scan/query as it is made: yields reply protos (bytes) to send, None where the
    server may serve other clients before asking for more, and a float of seconds to wait before
    asking for more (records_per_second). A request that cannot start raises AerospikeWireError
    before yielding any bytes. A background operations query (info2 WRITE, no UDF) applies its ops
    to the selected records through `execute_single`; it and aggregations answer in one piece."""
    udf_op = _udf_op(msg)
    job = udf_op is not None or bool(msg.info2 & Info2.WRITE)
    set_field = msg.field(FieldType.SET)
    if job and set_field and set_field.decode("utf-8", "replace") not in ns.set_names():
        # a node answers a job (aggregation, background) on a set it never had: not found
        raise AerospikeWireError(ResultCode.KEY_NOT_FOUND, "set not found")
    if udf_op == _UDF_AGGREGATE:
        from ..udf.aggregate import run_aggregation
        yield from run_aggregation(node, ns, msg, lambda m: _pids(m, job=True), _select)
        return
    if job:
        from .background import run_background
        if msg.field(FieldType.FILTER_EXPRESSION) is not None:
            from .. import expressions
            # a node type-checks the job's filter before starting it (PARAMETER unless boolean)
            expressions.compile_filter(msg.field(FieldType.FILTER_EXPRESSION))
        pids, _ = _pids(msg, job=True)
        if len(node.membership.nodes) > 1:  # each node of a cluster runs the job on what it masters
            pids = [pid for pid in pids if node.membership.replica_index(node, pid) == 0]
        set_field = msg.field(FieldType.SET)
        selected = _select(ns, msg, pids, set_field.decode("utf-8", "replace") if set_field else None)
        yield from run_background(node, ns, msg, execute_single,
                                  (entry for pid in pids for entry in selected.get(pid, ())))
        return
    filter_data = msg.field(FieldType.FILTER_EXPRESSION)
    if filter_data is not None:
        from .. import expressions
        record_filter = expressions.compile_filter(filter_data)  # PARAMETER when malformed
    pids, resume = _pids(msg)
    set_field = msg.field(FieldType.SET)
    set_name = set_field.decode("utf-8", "replace") if set_field else None
    limit_field = msg.field(FieldType.MAX_RECORDS)
    limit = _U64.unpack(limit_field)[0] if limit_field and len(limit_field) == 8 else 0
    no_bins = bool(msg.info1 & Info1.GET_NO_BINS)
    selected = [op.name for op in msg.ops if op.op == OpType.READ and op.name]
    selected_keys = [name.encode("utf-8", "surrogateescape") for name in selected]
    # read operations (CDT, bit, HLL, expression reads) in a foreground query: each record answers
    # the operations' results, as a real node
    projection = msg.ops if any(op.op != OpType.READ for op in msg.ops) else None
    ns_field = msg.field(FieldType.NAMESPACE)

    keep = None
    prefiltered = False
    if filter_data is not None and not limit:
        # Without a record limit every candidate would be filtered anyway: filter while selecting,
        # so that only the selected records are grouped and sorted. (With a limit the filter runs in
        # stream order and stops at the limit, as before.)
        clock = ns.clock
        of_record = expressions.Context.of_record
        evaluate = record_filter.evaluate

        def keep(pid, digest, record):
            return evaluate(of_record(record, digest, clock)) is True
        prefiltered = True

    # an index query answers each record's index value (BVAL, numeric indexes) and reads each
    # partition in (value, digest) order, resuming after the (bval, digest) the client sends
    bvals: dict | None = {} if msg.field(FieldType.INDEX_RANGE) is not None else None
    resume_bvals = _resume_bvals(msg)
    by_pid = yield from _select_steps(ns, msg, pids, set_name, keep, bvals)
    rps_field = msg.field(FieldType.RECS_PER_SEC)
    rps = _U32.unpack(rps_field)[0] if rps_field and len(rps_field) == 4 else 0
    started = time.monotonic()
    looked = _RECORDS_PER_STEP
    records_get = ns.records.get

    # Like a node's query threads, WORKERS workers share the partitions (the i-th requested one goes
    # to worker i % WORKERS) and each fills its own buffer, sent when full and at the end (last
    # worker first): records of different partitions interleave, not in partition order. A record
    # limit counts records in partition order, so it cuts across several partitions.
    buffers: list[list[bytes]] = [[] for _ in range(WORKERS)]
    sizes = [0] * WORKERS
    sent = 0
    info1 = Info1.GET_NO_BINS if no_bins else 0
    ns_field_bytes = _FIELD_HEADER.pack(len(ns_field) + 1, FieldType.NAMESPACE) + ns_field
    set_fields: dict = {}
    if len(node.membership.nodes) == 1:  # every partition is this node's: only those with records
        if pids == _ALL_PIDS:
            order: list = sorted(by_pid)  # a partition's position is its id
            positions = order
        else:
            order = [(position, pid) for position, pid in enumerate(pids) if pid in by_pid]
            positions = [position for position, _ in order]
            order = [pid for _, pid in order]
    else:
        order, positions = pids, range(len(pids))
    for position, pid in zip(positions, order):
        worker = position % WORKERS
        chunk = buffers[worker]
        if len(node.membership.nodes) > 1 and node.membership.replica_index(node, pid) != 0:
            chunk.append(Message(info3=Info3.PARTITION_DONE, result_code=ResultCode.PARTITION_UNAVAILABLE,
                                 generation=pid).encode())
            continue
        entries = by_pid.get(pid, ())
        after = resume.get(pid)
        after_bval = resume_bvals.get(pid)
        for digest in entries:
            looked -= 1
            if not looked:
                looked = _RECORDS_PER_STEP
                yield None
            blob = records_get(digest)
            if blob is None:  # deleted since it was selected
                continue
            if after is not None:
                if after_bval is not None and bvals:
                    if (bvals.get(digest, 0), digest) <= (after_bval, after):
                        continue
                elif digest <= after:
                    continue
            if limit and sent >= limit:
                break
            if filter_data is not None and not prefiltered and record_filter.evaluate(
                    expressions.Context.of_record(Record.of(blob), digest, ns.clock)) is not True:
                continue  # records the filter expression does not select are skipped
            generation, void_time, op_count, record_set, key, bins_start = reply_meta(blob)
            if projection:
                read_ops = _project(projection, decode_bin_ops(blob, bins_start))
                if not read_ops:
                    continue
                op_count, ops = len(read_ops), encode_ops(read_ops)
            elif selected:
                op_count, ops = select_ops(blob, bins_start, selected_keys)
                if not op_count:
                    continue
            elif no_bins:
                op_count, ops = 0, b""
            else:
                ops = blob[bins_start:]  # every bin: the stored, already encoded ops
            # the reply, encoded as Message.encode would: header, namespace, digest, set, key, ops
            set_field = b""
            if record_set:
                set_field = set_fields.get(record_set)
                if set_field is None:
                    raw = record_set.encode()
                    set_field = set_fields[record_set] = _FIELD_HEADER.pack(len(raw) + 1, FieldType.SET) + raw
            bval = bvals.get(digest) if bvals else None
            parts = [_MSG_HEADER.pack(MSG_HEADER_SIZE, info1, 0, 0, 0, 0, generation, void_time, 0,
                                      2 + bool(set_field) + (key is not None) + (bval is not None),
                                      op_count),
                     ns_field_bytes, _DIGEST_FIELD_HEADER, digest, set_field]
            if key is not None:
                parts.append(_FIELD_HEADER.pack(len(key) + 1, FieldType.KEY))
                parts.append(key)
            if bval is not None:
                parts.append(_BVAL_FIELD_HEADER)
                parts.append(_I64LE.pack(bval))
            parts.append(ops)
            encoded = b"".join(parts)
            chunk.append(encoded)
            sizes[worker] += len(encoded)
            sent += 1
            if sizes[worker] >= _CHUNK:
                yield frame(ProtoType.AS_MSG, b"".join(chunk))
                chunk.clear()
                sizes[worker] = 0
            if rps:
                # as a node's records_per_second: the n-th record leaves no earlier than n / rps
                # seconds after the start; what is ready goes out before the wait
                ahead = sent / rps - (time.monotonic() - started)
                if ahead > _PACE_S:
                    ready = [part for chunk in reversed(buffers) for part in chunk]
                    if ready:
                        yield frame(ProtoType.AS_MSG, b"".join(ready))
                        for worker_chunk in buffers:
                            worker_chunk.clear()
                        sizes = [0] * WORKERS
                    yield ahead
    rest = [part for chunk in reversed(buffers) for part in chunk]
    rest.append(Message(info3=Info3.LAST).encode())
    yield frame(ProtoType.AS_MSG, b"".join(rest))


def _project(ops: list[Op], bins: dict) -> list[Op]:
    """The reply ops of a query's read operations on one record."""
    from .. import binops
    out = []
    for op in ops:
        if op.op == OpType.READ:
            if not op.name:
                out.extend(Op(OpType.READ, value[0], name, value[1]) for name, value in bins.items())
            elif op.name in bins:
                out.append(Op(OpType.READ, bins[op.name][0], op.name, bins[op.name][1]))
            continue
        result = binops.apply(op, dict(bins))
        if result is not None:
            out.append(result)
    return out


def _select(ns, msg: Message, pids: list[int], set_name: str | None, keep=None,
            bvals: dict | None = None) -> dict[int, list]:
    """{pid: [(digest, record)]} of the live records of the request's partitions and set (only the
    index matches when the request names a secondary-index range). With `keep`, only the records
    for which keep(pid, digest, record) is true: filtering before grouping and sorting makes a
    scan that selects few records sort only those."""
    steps = _select_steps(ns, msg, pids, set_name, keep, bvals)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            by_pid = done.value
            break
    records = ns.records
    return {pid: [(digest, Record.of(records[digest])) for digest in digests] for pid, digests in by_pid.items()}


def _select_steps(ns, msg: Message, pids: list[int], set_name: str | None, keep=None,
                  bvals: dict | None = None):
    """`_select` as a generator yielding None every _RECORDS_PER_STEP records looked at (others may
    be served then, and may change the namespace: a full scan walks a copy of the digests, and a
    record gone meanwhile is skipped); its return value is {pid: [digest]}, sorted as `_select`'s.
    Only digests are kept (no object per record: a scan of a million records creates no million
    tuples for the garbage collector to walk)."""
    wanted = set(pids)
    by_pid: dict[int, list] = {}
    now = ns.clock.now_cl()
    index_range = msg.field(FieldType.INDEX_RANGE)
    if index_range is not None:
        candidates = _index_candidates(ns, msg, index_range, set_name, bvals)  # only the matches
    else:
        records = ns.records
        candidates = ((digest, records.get(digest)) for digest in list(records))  # a copy of the keys
    of = Record.of
    mask = PARTITION_COUNT - 1
    step = _RECORDS_PER_STEP
    for digest, blob in candidates:
        step -= 1
        if not step:
            step = _RECORDS_PER_STEP
            yield None
        if blob is None or (set_name is not None and set_name_of(blob) != set_name):
            continue
        pid = (digest[0] | (digest[1] << 8)) & mask
        if pid not in wanted or expired(blob, now):
            continue
        if keep is not None and not keep(pid, digest, of(blob)):
            continue
        entries = by_pid.get(pid)
        if entries is None:
            by_pid[pid] = [digest]
        else:
            entries.append(digest)
    if bvals:
        for entries in by_pid.values():
            entries.sort(key=lambda digest: (bvals.get(digest, 0), digest))
            step -= len(entries)
            if step <= 0:
                step = _RECORDS_PER_STEP
                yield None
    else:
        for entries in by_pid.values():
            entries.sort()
            step -= len(entries)
            if step <= 0:
                step = _RECORDS_PER_STEP
                yield None
    return by_pid


def parse_index_range(data: bytes) -> tuple[str, int, bytes, bytes]:
    """(bin name, particle type, begin, end) of an INDEX_RANGE field."""
    try:
        if data[0] != 1:
            raise AerospikeWireError(ResultCode.PARAMETER, "index range must hold one range")
        name_len = data[1]
        bin_name = data[2:2 + name_len].decode()
        pos = 2 + name_len
        ptype = data[pos]
        (begin_len,) = _U32.unpack_from(data, pos + 1)
        begin = data[pos + 5:pos + 5 + begin_len]
        pos += 5 + begin_len
        (end_len,) = _U32.unpack_from(data, pos)
        end = data[pos + 4:pos + 4 + end_len]
        if len(begin) != begin_len or len(end) != end_len:
            raise IndexError
    except (IndexError, struct.error, UnicodeDecodeError):
        raise AerospikeWireError(ResultCode.PARAMETER, "malformed index range") from None
    return bin_name, ptype, begin, end


def _geo_query(begin: bytes, end: bytes):
    """The Point (regions-containing-point query) or Region (points-within-region query) of a geo
    INDEX_RANGE; PARAMETER, as a server answers, for an empty or unequal pair or invalid GeoJSON."""
    from .. import geo
    if not begin or begin != end or len(begin) >= 1024 * 1024:
        raise AerospikeWireError(ResultCode.PARAMETER, "geo query needs one GeoJSON value")
    try:
        return geo.parse(bytes(begin))
    except geo.GeoError as exc:
        raise AerospikeWireError(ResultCode.PARAMETER, "invalid query GeoJSON: %s" % exc) from None


def _index_candidates(ns, msg: Message, data: bytes, set_name: str | None, bvals: dict | None = None) -> list:
    """(digest, stored record bytes) of the index matches; fills `bvals` {digest: index value}, a node's BVAL:
    the value of a numeric index, the wyhash of the queried string or blob, the S2 leaf cell id of
    a matched geo point (a matched region's covering cell is not reproduced: no BVAL)."""
    from ..store.sindex import (ITYPE_BY_CODE, KTYPE_BLOB, KTYPE_BY_PARTICLE, KTYPE_GEO, KTYPE_NUMERIC,
                                KTYPE_STRING)
    bin_name, ptype, begin, end = parse_index_range(data)
    geo_query = _geo_query(begin, end) if ptype == ParticleType.GEOJSON else None
    index_name = msg.field(FieldType.INDEX_NAME)
    itype_field = msg.field(FieldType.INDEX_TYPE)
    itype = ITYPE_BY_CODE.get(itype_field[0] if itype_field else 0)
    ktype = KTYPE_BY_PARTICLE.get(ptype)
    context = msg.field(FieldType.INDEX_CONTEXT)
    expression = msg.field(FieldType.INDEX_EXPRESSION)
    index = None
    if index_name is not None:  # the named index, whatever bin/context/expression it covers
        index = ns.indexes.get(index_name.decode("utf-8", "replace"))
        if index is not None and (index.definition.ktype != ktype or index.definition.itype != itype):
            index = None
    else:
        context = bytes(context) if context is not None else None
        expression = bytes(expression) if expression is not None else None
        for candidate in ns.indexes.values():
            d = candidate.definition
            if d.ktype != ktype or d.itype != itype or (d.set_name is not None and d.set_name != set_name):
                continue
            if expression is not None:
                found = d.expression is not None and d.expression_bytes() == expression
            else:
                found = (d.expression is None and d.bin_name == bin_name
                         and (d.context_bytes() if d.context else None) == context)
            if found:
                index = candidate
                break
    if index is None:
        raise AerospikeWireError(ResultCode.INDEX_NOT_FOUND, "no index for bin %r" % bin_name)
    if index.definition.ktype == KTYPE_NUMERIC:
        if len(begin) != 8 or len(end) != 8:
            raise AerospikeWireError(ResultCode.PARAMETER, "numeric range values must be 8 bytes")
        low, high = struct.unpack(">q", begin)[0], struct.unpack(">q", end)[0]
        if low > high:
            raise AerospikeWireError(ResultCode.PARAMETER, "range begin above end")
        matches = index.lookup_range(low, high)
    elif index.definition.ktype == KTYPE_GEO:
        matches = index.lookup_geo(geo_query) if geo_query is not None else []
    else:
        matches = index.lookup_equal(bytes(begin))
    records = ns.records
    seen = set()
    result = []
    numeric = bvals is not None and index.definition.ktype == KTYPE_NUMERIC
    hashed = None
    geo_bvals = bvals is not None and index.definition.ktype == KTYPE_GEO
    if geo_bvals:
        from ..geo import Point, leaf_cell_id
    if bvals is not None and index.definition.ktype in (KTYPE_STRING, KTYPE_BLOB):
        from ..store.wyhash import index_bval
        hashed = index_bval(bytes(begin))  # an equality query: every match has this value
    for digest, value in matches:
        if digest in seen:
            continue
        seen.add(digest)
        blob = records.get(digest)
        if blob is not None:
            result.append((digest, blob))
            if numeric:
                bvals[digest] = value
            elif hashed is not None:
                bvals[digest] = hashed
            elif geo_bvals and isinstance(value, Point):
                cell = leaf_cell_id(value.lng, value.lat)
                bvals[digest] = cell - (1 << 64) if cell >= 1 << 63 else cell
    return result


_UDF_AGGREGATE, _UDF_BACKGROUND = 1, 2


def _udf_op(msg: Message) -> int | None:
    """1 (aggregation) or 2 (background UDF) for a UDF query, None without UDF fields."""
    if msg.field(FieldType.UDF_FILENAME) is None:
        return None
    op = msg.field(FieldType.UDF_OP)
    if not op or op[0] not in (_UDF_AGGREGATE, _UDF_BACKGROUND):
        raise AerospikeWireError(ResultCode.PARAMETER, "UDF query without a valid UDF_OP")
    return op[0]
