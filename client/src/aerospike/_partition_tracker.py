"""Partition tracking of scans and queries, by the official client's rules (C client 7.x).

A query is run in rounds. Each round gives every node the partitions it masters that are to be
(re)read: never-seen partitions as ids, partitions with a last record as (digest, bval) resume
points. A node sends records of many partitions interleaved, so only the client's bookkeeping
decides what is finished:

- a record sets its partition's last digest and bval;
- a PARTITION_DONE marker with an error makes the partition unavailable: retried next round on
  the next replica, with the round's error kept for the final message;
- with ``max_records`` the limit is shared between the nodes (the first ``max % nodes`` get one
  more; each node at least one, and then records beyond the limit are dropped); a node that
  reaches its share may have more, so all of its partitions are read again on the next page;
- a page is done when no node reached its share; without ``max_records`` the run is done when no
  partition was unavailable. ``is_done()`` and ``get_partitions_status()`` report that state.
"""

from __future__ import annotations

import time

from spikewire import PARTITION_COUNT, partition_id

from . import exception
from ._errors import param_error

# Statuses after which a node's partitions are tried again (on the next replica).
CLUSTER_ERROR = 11
RETRY_STATUSES = frozenset((CLUSTER_ERROR, -8, -10, 9, 201, 203))
# The official client's partition_filter messages keep the indentation of a wrapped C string.
_WRAP = "\t" * 6


class PartitionStatus:
    __slots__ = ("pid", "retry", "digest", "bval", "replica_index", "node")

    def __init__(self, pid: int):
        self.pid = pid
        self.retry = True
        self.digest: bytes | None = None  # None: no record seen yet (digest.init false)
        self.bval = 0
        self.replica_index = 0
        self.node = None

    def as_tuple(self) -> tuple:
        """(id, init, retry, digest, bval), as the official get_partitions_status() shows it."""
        return (self.pid, self.digest is not None, self.retry, bytearray(self.digest or bytes(20)), self.bval)


class PartitionsStatus:
    """Every partition of one scan/query (kept between pages when paginating)."""

    def __init__(self, begin: int, count: int, digest: bytes | None = None):
        self.begin = begin
        self.count = count
        self.done = False
        self.retry = True
        self.parts = [PartitionStatus(pid) for pid in range(begin, begin + count)]
        if digest is not None:
            self.parts[0].digest = digest

    def get(self, pid: int) -> PartitionStatus | None:
        index = pid - self.begin
        return self.parts[index] if 0 <= index < self.count else None

    def as_dict(self) -> dict:
        status: dict = {"done": self.done, "retry": self.retry}
        for p in self.parts:
            status[p.pid] = p.as_tuple()
        return status


def from_filter(pf) -> tuple[int, int, bytes | None]:
    """(begin, count, digest) of a partition_filter policy value."""
    if not isinstance(pf, dict):
        raise param_error("invalid partition_filter policy, partition_filter must be a dict")
    begin = pf.get("begin", 0)
    if not isinstance(begin, int) or not 0 <= begin < PARTITION_COUNT:
        raise param_error("invalid partition_filter policy begin, begin must %sbe an int between 0 and %d inclusive"
                          % (_WRAP, PARTITION_COUNT - 1))
    count = pf.get("count", PARTITION_COUNT)
    if not isinstance(count, int) or not 1 <= count <= PARTITION_COUNT:
        raise param_error("invalid partition_filter policy count, count must %sbe an int between 1 and %d inclusive"
                          % (_WRAP, PARTITION_COUNT))
    if begin + count > PARTITION_COUNT:
        raise param_error("invalid partition filter range,%sbegin: %d count: %d, valid range when begin + count <= %d"
                          % (_WRAP, begin, count, PARTITION_COUNT))
    digest = pf.get("digest")
    raw = None
    if isinstance(digest, dict) and digest.get("init", 1) and isinstance(digest.get("value"), (str, bytes, bytearray)):
        value = digest["value"]
        raw = (value.encode() if isinstance(value, str) else bytes(value))[:20].ljust(20, b"\0")
    elif isinstance(digest, (bytes, bytearray)) and len(digest) == 20:
        raw = bytes(digest)
    if raw is not None:  # the digest's partition, from the digest on
        begin, count = partition_id(raw), 1
    return begin, count, raw


def restore(begin: int, count: int, digest: bytes | None, status) -> PartitionsStatus:
    """The partitions status a partition_filter's `partition_status` (a get_partitions_status()
    dict) describes."""
    if not isinstance(status, dict):
        raise param_error("invalid partition_filter policy, partition_status must be a dict")
    parts = PartitionsStatus(begin, count, digest)
    for key in ("done", "retry"):
        if key not in status:
            raise param_error("partition_status dict missing key '%s'" % key)
        if not isinstance(status[key], int):
            raise param_error("partition_status dict key '%s' must be an int" % key)
    parts.done = bool(status["done"])
    parts.retry = bool(status["retry"])
    for p in parts.parts:
        value = status.get(p.pid)
        if not isinstance(value, tuple):
            continue
        if len(value) > 1 and not isinstance(value[1], int):
            raise param_error("invalid init for part_id: %d" % p.pid)
        if len(value) > 2 and not isinstance(value[2], int):
            raise param_error("invalid retry for part_id: %d" % p.pid)
        init = bool(value[1]) if len(value) > 1 else False
        if len(value) > 2:
            p.retry = bool(value[2])
        raw = None
        if len(value) > 3:
            if isinstance(value[3], bytearray):
                raw = bytes(value[3][:20]).ljust(20, b"\0")
            elif value[3] is not None:
                raise param_error("invalid digest value for part_id: %d" % p.pid)
        p.digest = raw if init else None
        if len(value) > 4:
            bval = value[4]
            if not isinstance(bval, int):
                raise param_error("invalid bval for part_id: %d" % p.pid)
            if not 0 <= bval < 1 << 64:
                raise param_error("invalid bval for partition id: %d, bval must fit in unsigned long long" % p.pid)
            p.bval = bval
    return parts


class NodePartitions:
    """One node's share of a round."""

    __slots__ = ("node", "full", "partial", "record_max", "record_count", "retry", "unavailable")

    def __init__(self, node):
        self.node = node
        self.full: list[PartitionStatus] = []
        self.partial: list[PartitionStatus] = []
        self.record_max = 0
        self.record_count = 0
        self.retry = False
        self.unavailable = 0

    def all(self) -> list[PartitionStatus]:
        return self.full + self.partial


class Tracker:
    """The rounds of one results()/foreach() call."""

    def __init__(self, parts: PartitionsStatus, resumed: bool, max_records: int, policy: dict,
                 node_filter: str | None = None):
        self.parts = parts
        if resumed:
            if not max_records:
                parts.retry = True  # without a limit every partition is read again
            for p in parts.parts:
                p.replica_index = 0
                p.node = None
        self.max_records = max_records
        self.node_filter = node_filter
        self.iteration = 1
        self.record_count = 0
        self.check_max = False
        self.node_parts: list[NodePartitions] = []
        self.errors: list[tuple[int, int, str, int]] = []
        self.max_retries = policy.get("max_retries", 5) or 0
        self.sleep = (policy.get("sleep_between_retries", 0) or 0) / 1000.0
        total = policy.get("total_timeout", 0) or 0
        self.deadline = time.monotonic() + total / 1000.0 if total else None

    def assign(self, cluster, namespace: str, replica: int) -> list[NodePartitions]:
        parts = self.parts
        retry_all = parts.retry and self.iteration == 1
        by_node: dict = {}
        self.node_parts = []
        for p in parts.parts:
            if not (retry_all or p.retry):
                continue
            node, _ = cluster.node_for(namespace, p.pid, False, replica, p.replica_index)
            if node is None:
                raise exception.exception_for(-8, "Node not found for partition %d" % p.pid)
            p.node = node
            p.retry = False
            if self.node_filter is not None and node.name != self.node_filter:
                continue
            np = by_node.get(id(node))
            if np is None:
                np = by_node[id(node)] = NodePartitions(node)
                self.node_parts.append(np)
            (np.partial if p.digest is not None else np.full).append(p)
        if not self.node_parts:
            raise exception.exception_for(-8, "No nodes were assigned")
        parts.retry = True  # an interrupted run reads everything again when resumed
        self.record_count = 0
        self.check_max = False
        if self.max_records:
            n = len(self.node_parts)
            if self.max_records >= n:
                share, extra = divmod(self.max_records, n)
                for i, np in enumerate(self.node_parts):
                    np.record_max = share + 1 if i < extra else share
            else:  # every node may send one record; the ones past the limit are dropped
                for np in self.node_parts:
                    np.record_max = 1
                self.check_max = True
        return self.node_parts

    def over_limit(self, np: NodePartitions) -> bool:
        """True when a record would pass max_records (it is dropped; the node is read again)."""
        if self.check_max:
            self.record_count += 1
            if self.record_count > self.max_records:
                np.retry = True
                return True
        return False

    def set_last(self, np: NodePartitions, digest: bytes, bval: int) -> None:
        p = self.parts.get((digest[0] | (digest[1] << 8)) & (PARTITION_COUNT - 1))
        if p is not None:
            p.digest = digest
            p.bval = bval
        np.record_count += 1

    def part_unavailable(self, np: NodePartitions, pid: int) -> None:
        p = self.parts.get(pid)
        if p is None:
            return
        p.retry = True
        p.replica_index += 1
        np.unavailable += 1
        self.errors.append((CLUSTER_ERROR, self.iteration, "%s:%d" % np.node.host, pid))

    def node_failed(self, np: NodePartitions, status: int) -> None:
        """A node's command failed with a status worth retrying on the next replica."""
        self.errors.append((status, self.iteration, "%s:%d" % np.node.host, 0))
        for p in np.all():
            p.retry = True
            p.replica_index += 1
        np.unavailable = len(np.full) + len(np.partial)

    def is_complete(self, error_name) -> bool:
        """After a round: True when the call is over, False for another round (raises when the
        retries or the time run out)."""
        parts = self.parts
        record_count = sum(np.record_count for np in self.node_parts)
        unavailable = sum(np.unavailable for np in self.node_parts)
        if unavailable == 0:
            if not self.max_records:
                parts.done = True
            elif self.iteration > 1:
                parts.retry = True
                parts.done = False
            else:
                parts.retry = False
                done = True
                for np in self.node_parts:
                    if np.retry or np.record_count >= np.record_max:
                        for p in np.all():
                            p.retry = True
                        done = False
                parts.done = done
            return True
        if self.max_records and record_count >= self.max_records:
            return True
        if self.iteration > self.max_retries:
            status = self.errors[-1][0]
            lines = [error_name(status), "sub-errors:"]
            for code, iteration, address, pid in self.errors:
                what = "Partition %d unavailable" % pid if code == CLUSTER_ERROR else error_name(code)
                lines.append("%d,%d,%s,%s" % (code, iteration, address, what))
            raise exception.exception_for(status, "\n".join(lines))
        if self.deadline is not None and self.deadline - time.monotonic() - self.sleep <= 0:
            raise exception.exception_for(9, "timeout: iterations=%d" % self.iteration)
        if self.max_records:
            self.max_records -= record_count
        self.iteration += 1
        if self.sleep:
            time.sleep(self.sleep)
        return False
