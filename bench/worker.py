"""Benchmark worker: runs workloads with one client library against one server.

It runs inside a client's venv and uses only the documented ``aerospike`` API, so the same file
measures the official C client and purespike unchanged; ``--client aerospike_py`` goes through the
thin adapter in ``adapters.py``. Output is JSON, one object per line on stdout:

    python worker.py load --host H --port P --small N --blob N --scan N [--index]
    python worker.py run  --host H --port P --workloads get,put --threads 1,4 --duration 3 ...
    python worker.py memory --host H --port P --count N

``run`` prints one line per (workload, threads) cell with ops/s and latency percentiles, or
``"status": "unsupported"`` / ``"error"`` with the reason. Every loop is bounded both in time
(``--duration``) and in count (``--max-ops``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from workloads import (BLOB_SIZE, INDEX_NAME, INDEX_NAME_ONE, NAMESPACE, QUERY_VALUE,  # noqa: E402
                       SET_BLOB, SET_LIST, SET_MEMORY, SET_SCAN, SET_SMALL, WORKLOADS, blob_bins,
                       memory_bins, query_records, scan_bins, small_bins)

#: Result codes meaning "this server or client does not do that": UNSUPPORTED_FEATURE, and
#: INDEX_NOT_FOUND (the load step's index creation failed: the server has no secondary indexes).
UNSUPPORTED_CODES = {16, 201}


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# -- the client API ------------------------------------------------------------------------------

class Api:
    """What the workloads need, over the `aerospike` module (official client or purespike)."""

    name = "aerospike"

    def __init__(self, host: str, port: int):
        import aerospike

        self.module = aerospike
        policies = {
            "read": {"total_timeout": 5000},
            "write": {"total_timeout": 5000},
            "operate": {"total_timeout": 5000},
            "batch": {"total_timeout": 30000},
            "scan": {"total_timeout": 120000},
            "query": {"total_timeout": 120000},
        }
        self.client = aerospike.client({"hosts": [(host, port)], "policies": policies})
        if hasattr(self.client, "is_connected") and not self.client.is_connected():
            self.client.connect()
        self.library = "purespike" if getattr(aerospike, "__purespike__", False) else "official"

    def get(self, key):
        return self.client.get(key)

    def put(self, key, bins):
        self.client.put(key, bins)

    def list_append(self, key, bin_name, value):
        # imported here: a client without list helpers reports this one workload as unsupported
        from aerospike_helpers.operations import list_operations
        return self.client.operate(key, [list_operations.list_append(bin_name, value)])

    def batch_read(self, keys) -> int:
        return len(self.client.batch_read(keys).batch_records)

    def scan(self, set_name) -> int:
        return len(self.client.scan(NAMESPACE, set_name).results())

    def query_equals(self, set_name, bin_name, value) -> int:
        query = self.client.query(NAMESPACE, set_name)
        query.where(self.module.predicates.equals(bin_name, value))
        return len(query.results())

    def create_index(self, set_name, bin_name, index_name) -> None:
        policy = {"timeout": 120000}  # building the index may take a while
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if hasattr(self.client, "index_single_value_create"):
                self.client.index_single_value_create(NAMESPACE, set_name, bin_name,
                                                      self.module.INDEX_NUMERIC, index_name, policy)
            else:
                self.client.index_integer_create(NAMESPACE, set_name, bin_name, index_name, policy)

    def info_all(self, command: str):
        return self.client.info_all(command)

    def close(self) -> None:
        self.client.close()


def make_api(kind: str, host: str, port: int):
    if kind == "aerospike_py":
        from adapters import AerospikePyApi
        return AerospikePyApi(host, port)
    api = Api(host, port)
    if kind in ("official", "purespike") and api.library != kind:
        raise SystemExit("worker: asked for %s but `import aerospike` gives %s" % (kind, api.library))
    return api


def error_code(exc: BaseException):
    code = getattr(exc, "code", None)
    if isinstance(code, int):
        return code
    args = getattr(exc, "args", ())
    if args and isinstance(args[0], int):
        return args[0]
    return None


def classify(exc: BaseException) -> tuple[str, str]:
    """("unsupported" | "error", reason) for an exception of a probe call."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):  # official client: (code, message, file, line, ...)
        detail = "%s %s" % (args[0], args[1])
    else:
        detail = str(exc)
    detail = (detail.strip().splitlines() or [""])[0]
    text = "%s: %s" % (type(exc).__name__, detail)
    text = text if len(text) < 160 else text[:157] + "..."
    if isinstance(exc, (AttributeError, NotImplementedError, ImportError)):
        return "unsupported", "client: " + text
    code = error_code(exc)
    lowered = text.lower()
    if (code in UNSUPPORTED_CODES or "unsupported" in lowered or "not supported" in lowered
            or "indexnotfound" in lowered or "index_not_found" in lowered):
        return "unsupported", "server: " + text
    return "error", text


# -- load ----------------------------------------------------------------------------------------

def keys_of(set_name: str, count: int) -> list:
    return [(NAMESPACE, set_name, "k%d" % i) for i in range(count)]


def parallel_put(api, set_name: str, count: int, make_bins, threads: int = 4, deadline_s: float = 300) -> int:
    """Put records 0..count-1 with `threads` threads; returns how many were written."""
    done = [0] * threads
    deadline = time.monotonic() + deadline_s
    errors: list = []

    def work(t: int) -> None:
        for i in range(t, count, threads):
            if time.monotonic() > deadline or errors:
                return
            try:
                api.put((NAMESPACE, set_name, "k%d" % i), make_bins(i))
            except Exception as exc:  # reported once, stops the load
                errors.append(exc)
                return
            done[t] += 1

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    if errors:
        raise errors[0]
    return sum(done)


def wait_for_index(api, bin_name: str, expected: int, timeout: float = 120.0) -> float:
    """Seconds until the query on the new index returns all `expected` records (a real node builds
    an index in the background; until then a query answers an error or fewer records)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if api.query_equals(SET_SCAN, bin_name, QUERY_VALUE) >= expected:
                break
        except Exception:
            pass
        time.sleep(0.2)
    return round(time.perf_counter() - started, 2)


def cmd_load(args) -> None:
    api = make_api(args.client, args.host, args.port)
    blob = os.urandom(BLOB_SIZE)
    report: dict = {"event": "load"}
    started = time.perf_counter()
    report["small"] = parallel_put(api, SET_SMALL, args.small, small_bins)
    report["blob"] = parallel_put(api, SET_BLOB, args.blob, lambda i: blob_bins(i, blob))
    report["list"] = parallel_put(api, SET_LIST, args.small, lambda i: {"l": [i]})
    if args.scan:
        # Load the scan set only if the server scans at all: probe on the empty set first.
        try:
            api.scan(SET_SCAN)
        except Exception as exc:
            report["scan"] = 0
            report["scan_skipped"] = classify(exc)[1]
        else:
            report["scan"] = parallel_put(api, SET_SCAN, args.scan, scan_bins)
            if args.index:
                # Each index on its own: a server that builds an index before answering may take
                # longer than the info timeout (the index is then built all the same).
                problems = []
                for bin_name, index_name, expected in (("n", INDEX_NAME, max(1, report["scan"] // 100)),
                                                       ("a", INDEX_NAME_ONE, 1)):
                    try:
                        api.create_index(SET_SCAN, bin_name, index_name)
                    except Exception as exc:
                        problems.append("%s: %s" % (index_name, classify(exc)[1]))
                    report["index_ready_s"] = report.get("index_ready_s", 0) + wait_for_index(api, bin_name, expected)
                report["index"] = "; ".join(problems) or "ok"
    report["seconds"] = round(time.perf_counter() - started, 3)
    emit(report)
    api.close()


def cmd_memory(args) -> None:
    """Load `count` records of 10 small bins (the driver measures the server's RSS around it)."""
    api = make_api(args.client, args.host, args.port)
    started = time.perf_counter()
    written = parallel_put(api, SET_MEMORY, args.count, memory_bins)
    emit({"event": "memory", "count": written, "seconds": round(time.perf_counter() - started, 3)})
    api.close()


# -- run -----------------------------------------------------------------------------------------

def make_op(api, workload: str, args):
    """A callable (rng) -> records touched, for one call of the workload."""
    kind, params, _ = WORKLOADS[workload]
    if kind == "rw":
        set_name = SET_BLOB if params["record"] == "blob" else SET_SMALL
        keys = keys_of(set_name, args.keys)
        read_pct = params["read_pct"]
        blob = os.urandom(BLOB_SIZE)
        write_bins = (lambda i: {"blob": blob}) if params["record"] == "blob" else small_bins
        get, put, n = api.get, api.put, len(keys)

        def rw(rng) -> int:
            i = rng.randrange(n)
            if read_pct == 100 or (read_pct and rng.randrange(100) < read_pct):
                get(keys[i])
            else:
                put(keys[i], write_bins(i))
            return 1
        return rw
    if kind == "operate":
        keys = keys_of(SET_LIST, args.keys)
        n = len(keys)

        def append(rng) -> int:
            api.list_append(keys[rng.randrange(n)], "l", 1)
            return 1
        return append
    if kind == "batch":
        keys = keys_of(SET_SMALL, args.keys)
        size = params["size"]

        def batch(rng) -> int:
            return api.batch_read(rng.sample(keys, min(size, len(keys))) if size <= len(keys)
                                  else [keys[rng.randrange(len(keys))] for _ in range(size)])
        return batch
    if kind == "scan":
        return lambda rng: api.scan(SET_SCAN)
    if kind == "query":
        bin_name = params["bin"]
        return lambda rng: api.query_equals(SET_SCAN, bin_name, QUERY_VALUE)
    raise ValueError("unknown workload %r" % workload)


def percentile(sorted_values: list, pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(pct / 100 * len(sorted_values))) - 1))
    return sorted_values[index]


def run_cell(api, workload: str, threads: int, args) -> dict:
    cell = {"event": "cell", "workload": workload, "threads": threads}
    try:
        op = make_op(api, workload, args)
        op(random.Random(-1))  # probe: unsupported features show here, before timing
    except Exception as exc:
        cell["status"], cell["reason"] = classify(exc)
        return cell

    latencies: list[list[int]] = [[] for _ in range(threads)]
    records = [0] * threads
    errors = [0] * threads
    first_error: list = []
    barrier = threading.Barrier(threads + 1)
    stop_at = [0.0]
    max_ops = args.max_ops
    perf = time.perf_counter_ns

    def work(t: int) -> None:
        rng = random.Random(1000 + t)
        lat = latencies[t]
        barrier.wait()
        deadline = stop_at[0]
        count = 0
        while count < max_ops:
            start = perf()
            if start >= deadline:
                break
            try:
                records[t] += op(rng)
            except Exception as exc:
                errors[t] += 1
                if not first_error:
                    first_error.append(exc)
            lat.append(perf() - start)
            count += 1

    pool = [threading.Thread(target=work, args=(t,), daemon=True) for t in range(threads)]
    for th in pool:
        th.start()
    begin = time.perf_counter_ns()
    stop_at[0] = begin + int(args.duration * 1e9)
    barrier.wait()
    for th in pool:
        th.join(args.duration + 180)
    elapsed = (time.perf_counter_ns() - begin) / 1e9
    all_lat = sorted(x for lat in latencies for x in lat)
    ops = len(all_lat)
    cell.update({
        "status": "ok",
        "ops": ops,
        "seconds": round(elapsed, 3),
        "ops_per_s": round(ops / elapsed, 1) if elapsed > 0 else 0.0,
        "records_per_s": round(sum(records) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_us": round(percentile(all_lat, 50) / 1000, 1),
        "p99_us": round(percentile(all_lat, 99) / 1000, 1),
        "errors": sum(errors),
        "records_per_call": round(sum(records) / ops, 1) if ops else 0.0,
    })
    if first_error:
        status, reason = classify(first_error[0])
        cell["reason"] = reason
        if sum(errors) == ops:
            cell["status"] = status
    return cell


def cmd_run(args) -> None:
    api = make_api(args.client, args.host, args.port)
    emit({"event": "client", "library": getattr(api, "library", args.client)})
    for workload in args.workloads:
        if args.echo:
            # Tell the echo floor what to answer: the record shape and how many scan/query records.
            record = WORKLOADS[workload][1].get("record", "small")
            queried = query_records(workload, args.scan_records) if WORKLOADS[workload][0] == "query" else 1
            api.info_all("bench-echo:record=%s;scan_records=%d;query_records=%d"
                         % (record, args.scan_records, queried))
        for threads in args.threads:
            emit(run_cell(api, workload, threads, args))
    api.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="benchmark worker (run by bench/run.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("load", "run", "memory"):
        p = sub.add_parser(name)
        p.add_argument("--client", default="official", choices=["official", "purespike", "aerospike_py"])
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
    load, run, memory = sub.choices["load"], sub.choices["run"], sub.choices["memory"]
    load.add_argument("--small", type=int, default=10000)
    load.add_argument("--blob", type=int, default=10000)
    load.add_argument("--scan", type=int, default=0)
    load.add_argument("--index", action="store_true")
    run.add_argument("--workloads", type=lambda s: [w for w in s.split(",") if w], required=True)
    run.add_argument("--threads", type=lambda s: [int(t) for t in s.split(",")], default=[1, 4])
    run.add_argument("--duration", type=float, default=3.0)
    run.add_argument("--keys", type=int, default=10000)
    run.add_argument("--scan-records", type=int, default=100000)
    run.add_argument("--max-ops", type=int, default=5_000_000)
    run.add_argument("--echo", action="store_true", help="the server is the echo floor")
    memory.add_argument("--count", type=int, default=50000)
    args = parser.parse_args(argv)
    if args.command == "run":
        unknown = [w for w in args.workloads if w not in WORKLOADS]
        if unknown:
            parser.error("unknown workloads: %s" % ", ".join(unknown))
    {"load": cmd_load, "run": cmd_run, "memory": cmd_memory}[args.command](args)


if __name__ == "__main__":
    main()
