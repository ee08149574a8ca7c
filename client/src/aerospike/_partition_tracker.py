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

import struct
import time

from spikewire import PARTITION_COUNT, partition_id

from . import exception
from ._errors import param_error

# Statuses after which a node's partitions are tried again (on the next replica).
CLUSTER_ERROR = 11
RETRY_STATUSES = frozenset((CLUSTER_ERROR, -8, -10, 9, 201, 203))
# The official client's partition_filter messages keep the indentation of a wrapped C string.
_WRAP = "\t" * 6


class PartitionsStatus:
    """Every partition of one scan/query (kept between pages when paginating).

    Stored as columns indexed by ``pid - begin`` (no object per partition): a call that reads all
    4,096 partitions and returns one record must not spend milliseconds on bookkeeping."""

    __slots__ = ("begin", "count", "done", "retry", "retries", "digests", "bvals", "replica_index")

    def __init__(self, begin: int, count: int, digest: bytes | None = None):
        self.begin = begin
        self.count = count
        self.done = False
        self.retry = True
        self.retries = [True] * count
        self.digests: list[bytes | None] = [None] * count  # None: no record seen yet (digest.init false)
        self.bvals = [0] * count
        self.replica_index = [0] * count
        if digest is not None:
            self.digests[0] = digest

    def as_tuple(self, index: int) -> tuple:
        """(id, init, retry, digest, bval) of one partition, as the official get_partitions_status()
        shows it."""
        digest = self.digests[index]
        return (self.begin + index, digest is not None, self.retries[index], bytearray(digest or bytes(20)),
                self.bvals[index])

    def as_dict(self) -> dict:
        status: dict = {"done": self.done, "retry": self.retry}
        begin = self.begin
        for index in range(self.count):
            status[begin + index] = self.as_tuple(index)
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
    for index in range(count):
        pid = begin + index
        value = status.get(pid)
        if not isinstance(value, tuple):
            continue
        if len(value) > 1 and not isinstance(value[1], int):
            raise param_error("invalid init for part_id: %d" % pid)
        if len(value) > 2 and not isinstance(value[2], int):
            raise param_error("invalid retry for part_id: %d" % pid)
        init = bool(value[1]) if len(value) > 1 else False
        if len(value) > 2:
            parts.retries[index] = bool(value[2])
        raw = None
        if len(value) > 3:
            if isinstance(value[3], bytearray):
                raw = bytes(value[3][:20]).ljust(20, b"\0")
            elif value[3] is not None:
                raise param_error("invalid digest value for part_id: %d" % pid)
        parts.digests[index] = raw if init else None
        if len(value) > 4:
            bval = value[4]
            if not isinstance(bval, int):
                raise param_error("invalid bval for part_id: %d" % pid)
            if not 0 <= bval < 1 << 64:
                raise param_error("invalid bval for partition id: %d, bval must fit in unsigned long long" % pid)
            parts.bvals[index] = bval
    return parts


class NodePartitions:
    """One node's share of a round: partition ids read whole (`full`) and ids resumed after their
    last digest (`partial`)."""

    __slots__ = ("node", "full", "partial", "record_max", "record_count", "retry", "unavailable")

    def __init__(self, node):
        self.node = node
        self.full: list[int] = []
        self.partial: list[int] = []
        self.record_max = 0
        self.record_count = 0
        self.retry = False
        self.unavailable = 0

    def all(self) -> list[int]:
        return self.full + self.partial


#: The PID_ARRAY field of a node's full partitions, by the tuple of ids: a one-node cluster asks
#: for the same 4,096 ids on every call.
_pid_arrays: dict[tuple, bytes] = {}


def pid_array(pids: list[int]) -> bytes:
    """The partition ids as the PID_ARRAY field's little-endian u16s."""
    first, count = pids[0], len(pids)
    # ids come in ascending order: a run without gaps is known by its ends
    key = (first, count) if pids[-1] - first + 1 == count else tuple(pids)
    data = _pid_arrays.get(key)
    if data is None:
        data = struct.pack("<%dH" % len(pids), *pids)
        if len(_pid_arrays) > 64:
            _pid_arrays.clear()
        _pid_arrays[key] = data
    return data


class Tracker:
    """The rounds of one results()/foreach() call."""

    def __init__(self, parts: PartitionsStatus, resumed: bool, max_records: int, policy: dict,
                 node_filter: str | None = None):
        self.parts = parts
        if resumed:
            if not max_records:
                parts.retry = True  # without a limit every partition is read again
            parts.replica_index = [0] * parts.count
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
        begin = parts.begin
        retries, digests, replica_index = parts.retries, parts.digests, parts.replica_index
        retry_all = parts.retry and self.iteration == 1
        by_node: dict = {}
        self.node_parts = []
        node_filter = self.node_filter
        node_for = cluster.node_for
        owners = cluster.scan_owners(namespace, replica) if retry_all else None
        if owners is not None and node_filter is None and digests.count(None) == parts.count:
            # The common first round: every partition, none resumed, each on its first replica.
            window = owners[begin:begin + parts.count]
            if window.count(window[0]) == len(window):  # one node has them all
                np = NodePartitions(window[0])
                np.full = list(range(begin, begin + parts.count))
                self.node_parts.append(np)
            else:
                for pid, node in enumerate(window, begin):
                    np = by_node.get(node)
                    if np is None:
                        np = by_node[node] = NodePartitions(node)
                        self.node_parts.append(np)
                    np.full.append(pid)
            parts.retries = [False] * parts.count
        for index in range(parts.count if owners is None or not self.node_parts else 0):
            if not (retry_all or retries[index]):
                continue
            pid = begin + index
            node, _ = node_for(namespace, pid, False, replica, replica_index[index])
            if node is None:
                raise exception.exception_for(-8, "Node not found for partition %d" % pid)
            retries[index] = False
            if node_filter is not None and node.name != node_filter:
                continue
            np = by_node.get(node)
            if np is None:
                np = by_node[node] = NodePartitions(node)
                self.node_parts.append(np)
            (np.partial if digests[index] is not None else np.full).append(pid)
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

    def request_arrays(self, np: NodePartitions, with_bvals: bool) -> tuple:
        """(PID_ARRAY, DIGEST_ARRAY, BVAL_ARRAY) field data of a node's share (None when empty;
        BVAL_ARRAY only `with_bvals`, for an index query resuming at (bval, digest))."""
        parts = self.parts
        pids = pid_array(np.full) if np.full else None
        digests = bvals = None
        if np.partial:
            begin, column = parts.begin, parts.digests
            digests = b"".join(column[pid - begin] for pid in np.partial)  # type: ignore[misc]
            if with_bvals:
                values = parts.bvals
                bvals = struct.pack("<%dQ" % len(np.partial), *(values[pid - begin] for pid in np.partial))
        return pids, digests, bvals

    def over_limit(self, np: NodePartitions) -> bool:
        """True when a record would pass max_records (it is dropped; the node is read again)."""
        if self.check_max:
            self.record_count += 1
            if self.record_count > self.max_records:
                np.retry = True
                return True
        return False

    def set_last(self, np: NodePartitions, digest: bytes, bval: int) -> None:
        parts = self.parts
        index = ((digest[0] | (digest[1] << 8)) & (PARTITION_COUNT - 1)) - parts.begin
        if 0 <= index < parts.count:
            parts.digests[index] = digest
            parts.bvals[index] = bval
        np.record_count += 1

    def part_unavailable(self, np: NodePartitions, pid: int) -> None:
        parts = self.parts
        index = pid - parts.begin
        if not 0 <= index < parts.count:
            return
        parts.retries[index] = True
        parts.replica_index[index] += 1
        np.unavailable += 1
        self.errors.append((CLUSTER_ERROR, self.iteration, "%s:%d" % np.node.host, pid))

    def node_failed(self, np: NodePartitions, status: int) -> None:
        """A node's command failed with a status worth retrying on the next replica."""
        self.errors.append((status, self.iteration, "%s:%d" % np.node.host, 0))
        parts = self.parts
        for pid in np.all():
            index = pid - parts.begin
            parts.retries[index] = True
            parts.replica_index[index] += 1
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
                        for pid in np.all():
                            parts.retries[pid - parts.begin] = True
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
