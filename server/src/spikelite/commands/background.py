"""Background queries: write operations applied to every record a scan/query selects.

The client gets one LAST message as soon as the job is accepted; progress is read with the info
command `query-show` (`id=`/`trid=`), which reports each job as the server does. Records are
updated one by one through the normal write path (update-only, the request's TTL and filter), so
generation, indexes and expressions behave as for single writes.
"""

from __future__ import annotations

import struct
import time

from ..wire import FieldType, Info3, Message, ResultCode

_U64 = struct.Struct(">Q")
#: Request fields each record's write gets: the filter, and a background UDF's module/function/args.
_PASSED_FIELDS = (FieldType.FILTER_EXPRESSION, FieldType.UDF_FILENAME, FieldType.UDF_FUNCTION,
                  FieldType.UDF_ARGLIST)


class Job:
    __slots__ = ("trid", "namespace", "set_name", "started", "finished", "succeeded", "failed", "result")

    def __init__(self, trid: int, namespace: str, set_name: str | None):
        self.trid = trid
        self.namespace = namespace
        self.set_name = set_name
        self.started = time.monotonic()
        self.finished: float | None = None
        self.succeeded = 0
        self.failed = 0
        self.result = "ok"

    def describe(self) -> str:
        now = time.monotonic()
        end = self.finished if self.finished is not None else now
        parts = ["trid=%d" % self.trid, "ns=%s" % self.namespace]
        if self.set_name:
            parts.append("set=%s" % self.set_name)
        parts += ["rps=0", "active-threads=0",
                  "status=%s" % ("done(%s)" % self.result if self.finished is not None else "active(ok)"),
                  "job-progress=%d" % (100 if self.finished is not None else 0),
                  "run-time=%d" % int((end - self.started) * 1000),
                  "time-since-done=%d" % (int((now - self.finished) * 1000) if self.finished is not None else 0),
                  "recs-throttled=0", "recs-filtered-meta=0", "recs-filtered-bins=0",
                  "recs-succeeded=%d" % self.succeeded, "recs-failed=%d" % self.failed]
        return ":".join(parts)


class JobRegistry:
    """The background jobs a node has run (kept for `query-show`)."""

    MAX_KEPT = 100

    def __init__(self) -> None:
        self.jobs: dict[int, Job] = {}

    def add(self, job: Job) -> None:
        self.jobs[job.trid] = job
        while len(self.jobs) > self.MAX_KEPT:
            del self.jobs[next(iter(self.jobs))]


def run_background(node, ns, msg: Message, execute_single, candidates) -> list[bytes]:
    """Apply the request's ops to each selected record; answer with the LAST marker."""
    trid_field = msg.field(FieldType.TRID)
    trid = _U64.unpack(trid_field)[0] if trid_field and len(trid_field) == 8 else int(time.time_ns())
    set_field = msg.field(FieldType.SET)
    job = Job(trid, ns.name, set_field.decode("utf-8", "replace") if set_field else None)
    node.jobs.add(job)
    extra = [(t, d) for t, d in msg.fields if t in _PASSED_FIELDS]
    for digest, record in candidates:
        fields = [(FieldType.NAMESPACE, ns.name.encode())]
        if record.set_name:
            fields.append((FieldType.SET, record.set_name.encode()))
        fields.append((FieldType.DIGEST, digest))
        fields += extra
        write = Message(info2=msg.info2, info3=Info3.UPDATE_ONLY | (msg.info3 & Info3.COMMIT_MASTER),
                        record_ttl=msg.record_ttl, fields=fields, ops=msg.ops)
        reply = execute_single(write)
        if reply.result_code == ResultCode.OK:
            job.succeeded += 1
        elif reply.result_code not in (ResultCode.KEY_NOT_FOUND, ResultCode.FILTERED_OUT):
            job.failed += 1
    job.finished = time.monotonic()
    return [Message(info3=Info3.LAST).to_proto()]
