"""Background queries: write operations or a record UDF applied to every record a scan/query
selects, as a job that runs after the client has its answer.

The client gets one LAST message as soon as the job is accepted; the job then runs on the
server's event loop, a slice at a time, at the namespace's `background-query-max-rps` (or the
request's lower records-per-second), as a real node throttles it. `query-show` (`id=`/`trid=`)
reports each job with a node's fields: active while it runs, its progress, the records it has
read, succeeded and failed. Records are updated one by one through the normal write path
(update-only, the request's TTL and filter), so generation, indexes and expressions behave as for
single writes. Without a running event loop (a handler called directly) the job runs at once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import struct
import time

from ..wire import FieldType, Info3, Message, ResultCode

log = logging.getLogger("spikelite")

_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
#: Request fields each record's write gets: the filter, and a background UDF's module/function/args.
_PASSED_FIELDS = (FieldType.FILTER_EXPRESSION, FieldType.UDF_FILENAME, FieldType.UDF_FUNCTION,
                  FieldType.UDF_ARGLIST)
#: Seconds between a running job's slices.
TICK_S = 0.01
#: The client a request came from ("address+port"), set by the server around each request.
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("spikelite_client", default="")
DEFAULT_SOCKET_TIMEOUT_MS = 10_000


class Job:
    __slots__ = ("trid", "namespace", "set_name", "started", "finished", "succeeded", "failed",
                 "filtered", "read", "total", "result", "rps", "client", "udf", "socket_timeout")

    def __init__(self, trid: int, namespace: str, set_name: str | None):
        self.trid = trid
        self.namespace = namespace
        self.set_name = set_name
        self.started = time.monotonic()
        self.finished: float | None = None
        self.succeeded = 0
        self.failed = 0
        self.filtered = 0
        self.read = 0
        self.total = 0
        self.result = "ok"
        self.rps = 0
        self.client = ""
        self.udf: tuple[str, str] | None = None  # (module, function) of a background UDF
        self.socket_timeout = DEFAULT_SOCKET_TIMEOUT_MS

    def progress(self) -> float:
        if self.finished is not None or not self.total:
            return 100.0 if self.finished is not None else 0.0
        return 100.0 * self.read / self.total

    def describe(self) -> str:
        now = time.monotonic()
        end = self.finished if self.finished is not None else now
        active = self.finished is None
        parts = ["trid=%d" % self.trid, "ns=%s" % self.namespace]
        if self.set_name:
            parts.append("set=%s" % self.set_name)
        parts += ["rps=%d" % self.rps, "active-threads=%d" % (1 if active else 0),
                  "status=%s" % ("active(ok)" if active else "done(%s)" % self.result),
                  "job-progress=%.2f" % self.progress(),
                  "run-time=%d" % int((end - self.started) * 1000),
                  "time-since-done=%d" % (0 if active else int((now - self.finished) * 1000)),
                  "recs-throttled=%d" % self.read, "recs-filtered-meta=0",
                  "recs-filtered-bins=%d" % self.filtered,
                  "recs-succeeded=%d" % self.succeeded, "recs-failed=%d" % self.failed,
                  "from=%s" % self.client,
                  "job-type=%s" % ("background-udf" if self.udf else "background-ops"),
                  "net-io-bytes=30", "socket-timeout=%d" % self.socket_timeout]
        if self.udf:
            parts += ["udf-filename=%s" % self.udf[0], "udf-function=%s" % self.udf[1], "udf-active=0"]
        else:
            parts.append("ops-active=0")
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


class _Runner:
    """Applies a job's writes to its records, `per_tick` records per slice."""

    def __init__(self, job: Job, ns, msg: Message, execute_single, digests: list):
        self.job = job
        self.ns = ns
        self.msg = msg
        self.execute_single = execute_single
        self.digests = digests
        self.extra = [(t, d) for t, d in msg.fields if t in _PASSED_FIELDS]
        self.per_tick = max(1, int(job.rps * TICK_S))

    def _apply(self, digest: bytes) -> None:
        job, ns, msg = self.job, self.ns, self.msg
        record = ns.peek(digest)
        job.read += 1
        if record is None:
            return  # gone since the job started
        fields = [(FieldType.NAMESPACE, ns.name.encode())]
        if record.set_name:
            fields.append((FieldType.SET, record.set_name.encode()))
        fields.append((FieldType.DIGEST, digest))
        fields += self.extra
        write = Message(info2=msg.info2, info3=Info3.UPDATE_ONLY | (msg.info3 & Info3.COMMIT_MASTER),
                        record_ttl=msg.record_ttl, fields=fields, ops=msg.ops)
        code = self.execute_single(write).result_code
        if code == ResultCode.OK:
            job.succeeded += 1
        elif code == ResultCode.FILTERED_OUT:
            job.filtered += 1
        elif code != ResultCode.KEY_NOT_FOUND:
            job.failed += 1

    def run_all(self) -> None:
        for digest in self.digests:
            self._apply(digest)
        self.job.finished = time.monotonic()

    def step(self, loop: asyncio.AbstractEventLoop, position: int = 0) -> None:
        try:
            end = min(len(self.digests), position + self.per_tick)
            for digest in self.digests[position:end]:
                self._apply(digest)
        except Exception:  # a bug of ours: end the job, keep the server
            log.exception("background job %d failed", self.job.trid)
            self.job.result = "error"
            self.job.finished = time.monotonic()
            return
        if end < len(self.digests):
            loop.call_later(TICK_S, self.step, loop, end)
        else:
            self.job.finished = time.monotonic()


def run_background(node, ns, msg: Message, execute_single, candidates):
    """Start the job (the request's ops or UDF on each selected record); yields the LAST marker."""
    trid_field = msg.field(FieldType.TRID)
    trid = _U64.unpack(trid_field)[0] if trid_field and len(trid_field) == 8 else int(time.time_ns())
    set_field = msg.field(FieldType.SET)
    job = Job(trid, ns.name, set_field.decode("utf-8", "replace") if set_field else None)
    job.rps = ns.config.background_query_max_rps
    asked = msg.field(FieldType.RECS_PER_SEC)
    if asked is not None and len(asked) == 4 and 0 < _U32.unpack(asked)[0] < job.rps:
        job.rps = _U32.unpack(asked)[0]
    timeout = msg.field(FieldType.SOCKET_TIMEOUT)
    if timeout is not None and len(timeout) == 4:
        job.socket_timeout = _U32.unpack(timeout)[0]
    job.client = CLIENT.get()
    module, function = msg.field(FieldType.UDF_FILENAME), msg.field(FieldType.UDF_FUNCTION)
    if module is not None:
        job.udf = (module.decode("utf-8", "replace"), (function or b"").decode("utf-8", "replace"))
    digests = [digest for digest, _ in candidates]
    job.total = len(digests)
    node.jobs.add(job)
    runner = _Runner(job, ns, msg, execute_single, digests)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None or not digests:
        runner.run_all()
    else:
        loop.call_soon(runner.step, loop)
    yield Message(info3=Info3.LAST).to_proto()
