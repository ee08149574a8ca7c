"""Scans and queries (requests without a digest): partition-based record streams.

The request names the partitions to read (PID_ARRAY: 2-byte little-endian ids) and those to resume
(DIGEST_ARRAY: continue after that digest in its partition), optionally a set, selected bins (READ
ops), `GET_NO_BINS`, a record limit (MAX_RECORDS). Records stream back in digest order per partition,
each with namespace, digest, set and stored key fields; partitions this node does not master get a
PARTITION_DONE marker with PARTITION_UNAVAILABLE so the client retries them elsewhere; a LAST
marker ends the stream. A request that cannot start gets one plain error message.
"""

from __future__ import annotations

import struct

from ..wire import (DIGEST_SIZE, PARTITION_COUNT, AerospikeWireError, FieldType, Info1, Info2, Info3,
                    Message, Op, OpType, ResultCode, partition_id)
from ..wire.framing import ProtoType, frame

_U64 = struct.Struct(">Q")
_CHUNK = 128 * 1024


def _pids(msg: Message) -> tuple[list[int], dict[int, bytes]]:
    """(partition ids in request order, {pid: resume-after digest})."""
    pids: list[int] = []
    resume: dict[int, bytes] = {}
    raw = msg.field(FieldType.PID_ARRAY)
    if raw is not None:
        if len(raw) % 2:
            raise AerospikeWireError(ResultCode.PARAMETER, "odd partition id array")
        pids = [raw[i] | (raw[i + 1] << 8) for i in range(0, len(raw), 2)]
    digests = msg.field(FieldType.DIGEST_ARRAY)
    if digests is not None:
        if len(digests) % DIGEST_SIZE:
            raise AerospikeWireError(ResultCode.PARAMETER, "digest array length")
        for i in range(0, len(digests), DIGEST_SIZE):
            digest = digests[i:i + DIGEST_SIZE]
            pid = partition_id(digest)
            pids.append(pid)
            resume[pid] = digest
    if raw is None and digests is None:
        pids = list(range(PARTITION_COUNT))
    if any(p >= PARTITION_COUNT for p in pids) or len(set(pids)) != len(pids):
        raise AerospikeWireError(ResultCode.PARAMETER, "bad or duplicate partition id")
    return pids, resume


def run_scan(node, ns, msg: Message) -> list[bytes]:
    """Reply protos of a foreground scan/query."""
    if msg.field(FieldType.UDF_FILENAME) is not None or msg.info2 & Info2.WRITE:
        raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE, "background and UDF queries are not served yet")
    if msg.field(FieldType.INDEX_RANGE) is not None or msg.field(FieldType.INDEX_NAME) is not None:
        raise AerospikeWireError(ResultCode.INDEX_NOT_FOUND, "no secondary index")
    if msg.field(FieldType.FILTER_EXPRESSION) is not None:
        raise AerospikeWireError(ResultCode.UNSUPPORTED_FEATURE, "filter expressions are not served yet")
    pids, resume = _pids(msg)
    set_field = msg.field(FieldType.SET)
    set_name = set_field.decode("utf-8", "replace") if set_field else None
    limit_field = msg.field(FieldType.MAX_RECORDS)
    limit = _U64.unpack(limit_field)[0] if limit_field and len(limit_field) == 8 else 0
    no_bins = bool(msg.info1 & Info1.GET_NO_BINS)
    selected = [op.name for op in msg.ops if op.op == OpType.READ and op.name]
    ns_field = msg.field(FieldType.NAMESPACE)

    wanted = set(pids)
    by_pid: dict[int, list] = {}
    now = ns.clock.now_cl()
    for digest, record in ns.records.items():
        pid = (digest[0] | (digest[1] << 8)) & (PARTITION_COUNT - 1)
        if pid not in wanted or record.expired(now):
            continue
        if set_name is not None and record.set_name != set_name:
            continue
        by_pid.setdefault(pid, []).append((digest, record))

    protos: list[bytes] = []
    chunk: list[bytes] = []
    size = 0
    sent = 0
    for pid in pids:
        if node.membership.replica_index(node, pid) != 0 and len(node.membership.nodes) > 1:
            chunk.append(Message(info3=Info3.PARTITION_DONE, result_code=ResultCode.PARTITION_UNAVAILABLE,
                                 generation=pid).encode())
            continue
        entries = sorted(by_pid.get(pid, ()), key=lambda item: item[0])
        after = resume.get(pid)
        for digest, record in entries:
            if after is not None and digest <= after:
                continue
            if limit and sent >= limit:
                break
            if selected:
                ops = [Op(OpType.READ, record.bins[name][0], name, record.bins[name][1])
                       for name in selected if name in record.bins]
                if not ops:
                    continue
            elif no_bins:
                ops = []
            else:
                ops = [Op(OpType.READ, ptype, name, data) for name, (ptype, data) in record.bins.items()]
            fields = [(FieldType.NAMESPACE, ns_field), (FieldType.DIGEST, digest)]
            if record.set_name:
                fields.append((FieldType.SET, record.set_name.encode()))
            if record.key is not None:
                fields.append((FieldType.KEY, record.key))
            encoded = Message(info1=Info1.GET_NO_BINS if no_bins else 0, generation=record.generation,
                              record_ttl=record.void_time, fields=fields, ops=ops).encode()
            chunk.append(encoded)
            size += len(encoded)
            sent += 1
            if size >= _CHUNK:
                protos.append(frame(ProtoType.AS_MSG, b"".join(chunk)))
                chunk, size = [], 0
    chunk.append(Message(info3=Info3.LAST).encode())
    protos.append(frame(ProtoType.AS_MSG, b"".join(chunk)))
    return protos
