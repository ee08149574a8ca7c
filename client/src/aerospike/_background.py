"""Background queries (write ops applied on the server to every selected record) and job_info."""

from __future__ import annotations

import os
import struct

from spikewire import FieldType, Info1, Info2, Info3, Message, ResultCode, parse_message

from . import exception
from . import _single_record as sr
from ._errors import error_name, param_error
from ._executor import info_command, stream_command
from ._policies import merge

_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
JOB_STATUS_INPROGRESS = 1
JOB_STATUS_COMPLETED = 2


def start_background(stream, policy):
    """(A command generator, see `_io`.) Start the background job on every node; its id."""
    client = stream._client
    cluster = client._require()
    stream._max_records(policy)  # a Scan's policy fields, converted with the policy
    stream._records_per_second(policy)
    policy = merge(client._policies["write"], policy)
    # A namespace the nodes do not have is theirs to refuse (20, in the message of a node's answer).
    udf = getattr(stream, "_udf", None)
    ops = getattr(stream, "_ops", None) or []
    if udf is None and ops:
        key, write_policy = sr.OpsOnlyKey(stream._namespace), dict(policy, ttl=stream.ttl)
        for operation in ops:
            if not sr.operate_request(key, [operation], {}, write_policy, client._encoder)[1]:
                raise param_error("Background %s operations must be write-only. Use %s for read-only operations."
                                  % ((stream._policy_kind,) * 2))
        ops_msg, _ = sr.operate_request(key, ops, {}, write_policy, client._encoder)
    else:  # a background UDF (or, as the official client allows, nothing): no ops
        ops_msg = Message(record_ttl=sr._ttl({}, dict(policy, ttl=stream.ttl)))
    trid = int.from_bytes(os.urandom(8), "big") & 0x7FFFFFFFFFFFFFFF
    fields = [(FieldType.NAMESPACE, stream._namespace.encode())]
    if stream._set:
        fields.append((FieldType.SET, stream._set.encode()))
    fields.append((FieldType.SOCKET_TIMEOUT, _U32.pack(policy.get("socket_timeout", 0) or 0)))
    fields.append((FieldType.TRID, _U64.pack(trid)))
    rps = stream._records_per_second(policy)
    if rps:  # the node throttles the job to it
        fields.append((FieldType.RECS_PER_SEC, _U32.pack(rps)))
    if stream._predicate is not None:
        fields.extend(stream._predicate_fields())
    if udf is not None:
        from ._udf import background_udf_fields
        fields.extend(background_udf_fields(udf, client._encoder))
    fields.extend(sr.filter_fields(policy))  # the policy's `expressions`: only matching records change
    info1, info2 = 0, Info2.WRITE | (Info2.DURABLE_DELETE if policy.get("durable_delete") else 0)
    if udf is None and not ops and stream._policy_kind == "scan":
        # Neither ops nor a UDF: the official client sends a plain read scan (no partitions),
        # which a node refuses with UNSUPPORTED_FEATURE.
        info1, info2 = Info1.READ, 0
    msg = Message(info1=info1, info2=info2, record_ttl=ops_msg.record_ttl, transaction_ttl=policy.get("total_timeout", 0) or 0,
                  fields=fields, ops=ops_msg.ops)
    request = msg.to_proto()
    for node in list(cluster.nodes.values()):
        errors = []

        def consume(body: bytes) -> bool:
            reply, _ = parse_message(body)
            # a node answers a job on a set it never had with KEY_NOT_FOUND: the official client
            # takes that as a job with nothing to do
            if reply.result_code and reply.result_code != ResultCode.KEY_NOT_FOUND:
                errors.append(reply.result_code)
            return True

        yield from stream_command(node, request, policy, consume, stream._namespace)
        if errors:
            raise exception.exception_for(errors[0], "%s:%d %s" % (*node.host, error_name(errors[0])))
    return trid


def job_info(client, job_id, module, policy=None):
    """(A command generator, see `_io`.) The job's status dict, from every node."""
    if isinstance(job_id, bool) or not isinstance(job_id, int):
        raise param_error("job_id should be an integer")
    if module not in ("scan", "query"):
        raise param_error("Module can have only two values: aerospike.JOB_SCAN or aerospike.JOB_QUERY")
    cluster = client._require()
    timeout = client._info_timeout(policy)
    status, progress, read, known = JOB_STATUS_COMPLETED, 100, 0, False
    for node in list(cluster.nodes.values()):
        text = yield from info_command(node, "query-show:id=%d\n" % job_id, timeout)
        _, _, value = text.partition("\t")
        value = value.strip()
        if value.startswith("ERROR"):
            continue  # a job a node does not know is finished there (servers >= 6)
        known = True
        fields = dict(item.split("=", 1) for item in value.split(":") if "=" in item)
        if not fields.get("status", "").lower().startswith("done"):
            status = JOB_STATUS_INPROGRESS
        try:
            progress = min(progress, int(float(fields.get("job-progress", "100"))))
            read += int(fields.get("recs-succeeded", "0"))
        except ValueError:
            pass
    if not known:
        progress = 0  # no node knows the job: finished (or never run), with nothing to report
    return {"progress_pct": progress, "records_read": read, "status": status}
