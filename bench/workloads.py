"""The benchmark workloads, shared by the driver (run.py) and the worker (worker.py).

Modelled on asbench / YCSB: uniform random keys over a preloaded key space, records of
2 small bins (an int and a 12-character string) or of one 1.4 KB blob bin.
This module imports nothing outside the standard library.
"""

from __future__ import annotations

NAMESPACE = "test"
SET_SMALL = "bench_small"   # key space of 2-small-bin records (get, put, read/update)
SET_BLOB = "bench_blob"     # key space of 1.4 KB blob records
SET_LIST = "bench_list"     # records whose list bin the operate workload appends to
SET_SCAN = "bench_scan"     # scan_records records with an indexed int bin `n` = i % 100
SET_MEMORY = "bench_mem"    # records of 10 small bins for the memory measurement
INDEX_NAME = "bench_scan_n"
INDEX_NAME_ONE = "bench_scan_a"  # on bin `a` = i: a query of one value returns one record
QUERY_VALUE = 7             # the query selects n == 7: 1 % of the scan set
BLOB_SIZE = 1400

#: name -> (kind, parameters, one-line description)
WORKLOADS: dict[str, tuple[str, dict, str]] = {
    "get": ("rw", {"read_pct": 100, "record": "small"}, "single-record get, 2 small bins"),
    "put": ("rw", {"read_pct": 0, "record": "small"}, "single-record put, 2 small bins"),
    "ru50": ("rw", {"read_pct": 50, "record": "small"}, "50/50 read/update, 2 small bins (YCSB A)"),
    "ru80": ("rw", {"read_pct": 80, "record": "small"}, "80/20 read/update, 2 small bins"),
    "ru50_blob": ("rw", {"read_pct": 50, "record": "blob"}, "50/50 read/update, 1.4 KB blob"),
    "ru80_blob": ("rw", {"read_pct": 80, "record": "blob"}, "80/20 read/update, 1.4 KB blob"),
    "list_append": ("operate", {"record": "small"}, "operate: list append to a list bin"),
    "batch100": ("batch", {"size": 100, "record": "small"}, "batch_read of 100 random keys"),
    "batch1000": ("batch", {"size": 1000, "record": "small"}, "batch_read of 1,000 random keys"),
    "scan": ("scan", {"record": "small"}, "scan of the whole scan set"),
    "query": ("query", {"record": "small", "bin": "n"}, "secondary-index query n == 7 (1 % of the scan set)"),
    "query1": ("query", {"record": "small", "bin": "a", "one": True},
               "secondary-index query a == 7: one record (the fixed cost of a query call)"),
}

ALL = list(WORKLOADS)
#: Workloads that read the scan set (it is loaded only when one of them runs).
NEEDS_SCAN_SET = {"scan", "query", "query1"}
#: Workloads that need the secondary indexes.
NEEDS_INDEX = {"query", "query1"}


def query_records(workload: str, scan_records: int) -> int:
    """Records one call of a query workload returns."""
    if WORKLOADS[workload][1].get("one"):
        return 1
    return max(1, scan_records // 100)


def small_bins(i: int) -> dict:
    return {"a": i, "b": "value-%06d" % (i % 1_000_000)}


def blob_bins(i: int, blob: bytes) -> dict:
    return {"blob": blob}


def scan_bins(i: int) -> dict:
    return {"a": i, "b": "value-%06d" % (i % 1_000_000), "n": i % 100}


def memory_bins(i: int) -> dict:
    """10 small int bins: 10 x (2-byte name + 8-byte int) = 100 bytes of bin data."""
    return {"f%d" % j: i + j for j in range(10)}


#: Bytes of user data per memory record: 20-byte digest + 10 bins of (2-byte name + 8-byte int).
MEMORY_DATA_BYTES = 20 + 10 * (2 + 8)
