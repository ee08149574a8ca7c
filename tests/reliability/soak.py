"""Soak: many client connections mixing every command family against one spikelite process.

    python -m tests.reliability.soak --seconds 60 --connections 200

`connections` threads share one purespike client (a pool of that many sockets) and loop over a
weighted mix of single-record commands, operate with list and map operations, batch reads and
writes, scans, secondary-index queries, record UDFs and truncates on a fixed key space (preloaded,
so the data does not grow). It reports ops, errors by result code, p50/p99 latency per family,
the server's resident memory and open descriptors (after preloading, at mid-run, at the end and
after the client closed) and the ERROR lines of the server log, as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import aerospike
from aerospike import exception
from aerospike_helpers.operations import list_operations as lops
from aerospike_helpers.operations import map_operations as mops
from aerospike_helpers.operations import operations as ops

from .harness import ServerProcess, memory_config, percentile

NS = "test"
KEYS = 2000             # records per data set, preloaded
SCAN_SET_SIZE = 200
TRUNC_KEYS = 100
UDF_SOURCE = """
function bump(rec, bin, by)
  rec[bin] = (rec[bin] or 0) + by
  if aerospike:exists(rec) then aerospike:update(rec) else aerospike:create(rec) end
  return rec[bin]
end
"""


def _key(i: int) -> tuple:
    return (NS, "soak", i)


def _single(client, rng):
    k = _key(rng.randrange(KEYS))
    choice = rng.random()
    if choice < 0.35:
        client.get(k)
    elif choice < 0.6:
        client.put(k, {"n": rng.randrange(1000), "s": "v%d" % rng.randrange(100), "l": [1, 2, 3]})
    elif choice < 0.7:
        client.increment(k, "n", 1)
    elif choice < 0.8:
        client.exists(k)
    elif choice < 0.9:
        client.touch(k, 0)
    else:  # a record that is not there: KEY_NOT_FOUND is counted as an error code
        client.get((NS, "soak-missing", rng.randrange(1 << 30)))


def _operate(client, rng):
    k = _key(rng.randrange(KEYS))
    client.operate(k, [
        lops.list_append("l", rng.randrange(100)),
        lops.list_trim("l", 0, 8),
        mops.map_put("m", "k%d" % rng.randrange(20), rng.randrange(100)),
        lops.list_get_by_rank_range("l", 0, 3, aerospike.LIST_RETURN_VALUE),
        mops.map_size("m"),
        ops.read("n"),
    ])


def _batch(client, rng):
    keys = [_key(rng.randrange(KEYS)) for _ in range(rng.randrange(5, 50))]
    if rng.random() < 0.6:
        client.batch_read(keys)
    else:
        client.batch_operate(keys, [ops.write("b", rng.randrange(1000)), ops.read("n")])


def _scan(client, rng):
    scan = client.scan(NS, "scan")
    scan.select("n")
    records = scan.results()
    assert len(records) <= SCAN_SET_SIZE


def _query(client, rng):
    from aerospike import predicates
    low = rng.randrange(1000)
    query = client.query(NS, "soak")
    query.where(predicates.between("n", low, low + 20))
    query.results()


def _udf(client, rng):
    client.apply(_key(rng.randrange(KEYS)), "soak_udf", "bump", ["u", 1])


def _truncate(client, rng):
    if rng.random() < 0.05:
        client.truncate(NS, "trunc", 0)
    else:
        client.put((NS, "trunc", rng.randrange(TRUNC_KEYS)), {"v": rng.randrange(100)})


#: (family, weight, function)
FAMILIES = [("single", 40, _single), ("operate", 15, _operate), ("batch", 10, _batch),
            ("scan", 2, _scan), ("query", 8, _query), ("udf", 10, _udf), ("truncate", 5, _truncate)]


def _prepare(client, workdir: Path) -> None:
    for i in range(KEYS):
        client.put(_key(i), {"n": i % 1000, "s": "v", "l": [1, 2, 3], "m": {"a": 1}})
    for i in range(SCAN_SET_SIZE):
        client.put((NS, "scan", i), {"n": i})
    client.index_single_value_create(NS, "soak", "n", aerospike.INDEX_NUMERIC, "soak_n_idx")
    udf = workdir / "soak_udf.lua"
    udf.write_text(UDF_SOURCE)
    client.udf_put(str(udf))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the index and the module are there at once on spikelite
        try:
            client.apply(_key(0), "soak_udf", "bump", ["u", 0])
            break
        except exception.AerospikeError:
            time.sleep(0.1)


def run(seconds: float, connections: int, workdir: Path, seed: int = 1) -> dict:
    config = memory_config(workdir / "soak.conf")
    server = ServerProcess(config, workdir)
    try:
        return _run(server, seconds, connections, workdir, seed)
    finally:
        server.stop()


def _run(server: ServerProcess, seconds: float, connections: int, workdir: Path, seed: int) -> dict:
    fds_idle = server.open_fds()
    client = aerospike.client({"hosts": [server.address], "max_conns_per_node": connections + 20,
                               "lua": {"user_path": str(workdir)},
                               # A closed loop of 200 threads on a loaded machine: a call may wait
                               # seconds for its turn; a timeout would discard (and reopen) a socket.
                               "policies": {kind: {"total_timeout": 120_000} for kind in
                                            ("read", "write", "operate", "batch", "scan", "query",
                                             "apply", "remove")}}).connect()
    _prepare(client, workdir)
    rss_start, fds_start = server.rss_kb(), server.open_fds()

    weights = [w for _, w, _ in FAMILIES]
    stop = threading.Event()
    lock = threading.Lock()
    counts: Counter = Counter()
    errors: Counter = Counter()
    unexpected: list[str] = []
    latencies: dict[str, list[float]] = defaultdict(list)

    def worker(n: int) -> None:
        rng = random.Random(seed * 100_003 + n)
        local_counts, local_errors, local_lat = Counter(), Counter(), defaultdict(list)
        while not stop.is_set():
            name, _, fn = rng.choices(FAMILIES, weights)[0]
            start = time.perf_counter()
            try:
                fn(client, rng)
            except exception.AerospikeError as exc:
                local_errors["%s:%s" % (type(exc).__name__, exc.code)] += 1
            except Exception as exc:  # noqa: BLE001 - reported, the run fails
                with lock:
                    unexpected.append("%s: %r" % (name, exc))
            local_lat[name].append(time.perf_counter() - start)
            local_counts[name] += 1
        with lock:
            counts.update(local_counts)
            errors.update(local_errors)
            for name, values in local_lat.items():
                latencies[name].extend(values)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    launched = time.monotonic()
    for t in threads:
        t.start()
    # The sampling clock starts once every thread runs: on a loaded machine starting 200 busy
    # threads can take longer than a short soak, which then had no sample at all.
    began = time.monotonic()
    samples = []
    while time.monotonic() - began < seconds:
        time.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - began))))
        samples.append((round(time.monotonic() - began, 1), server.rss_kb(), server.open_fds()))
    stats = dict(kv.split("=", 1) for kv in client.info_random_node("statistics").strip().split("\t", 1)[-1]
                 .strip().split(";") if "=" in kv)
    stop.set()
    for t in threads:
        t.join(60)
    elapsed = time.monotonic() - launched
    rss_end, fds_end = server.rss_kb(), server.open_fds()
    client.close()
    deadline = time.monotonic() + 10  # the server notices the closes when it gets to them
    while server.open_fds() > fds_idle and time.monotonic() < deadline:
        time.sleep(0.1)
    fds_after_close = server.open_fds()
    mid = samples[len(samples) // 2] if samples else (0, rss_end, fds_end)
    all_lat = sorted(v for values in latencies.values() for v in values)
    total = sum(counts.values())
    return {
        "seconds": round(elapsed, 1),
        "connections": connections,
        "server_client_connections_at_end": int(stats.get("client_connections", -1)),
        "ops": total,
        "ops_per_s": round(total / elapsed),
        "ops_by_family": dict(counts),
        "errors_by_code": dict(errors),
        "unexpected_exceptions": unexpected[:20],
        "latency_ms": {"p50": round(percentile(all_lat, 50) * 1000, 2),
                       "p99": round(percentile(all_lat, 99) * 1000, 2),
                       "by_family": {name: {"p50": round(percentile(sorted(v), 50) * 1000, 2),
                                            "p99": round(percentile(sorted(v), 99) * 1000, 2)}
                                     for name, v in sorted(latencies.items())}},
        "rss_kb": {"after_preload": rss_start, "mid": mid[1], "end": rss_end},
        "open_fds": {"idle": fds_idle, "after_preload": fds_start,
                     "min_during": min((s[2] for s in samples), default=fds_end),
                     "max_during": max((s[2] for s in samples), default=fds_end),
                     "second_half": sorted({s[2] for s in samples[len(samples) // 2:]}),
                     "end": fds_end, "after_client_close": fds_after_close},
        "server_alive": server.alive(),
        "server_log_errors": server.log_problems()[:20],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="default: a temporary directory")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="spikelite-soak-") as tmp:
        report = run(args.seconds, args.connections, Path(args.workdir or tmp), args.seed)
    print(json.dumps(report, indent=2))
    ok = report["server_alive"] and not report["server_log_errors"] and not report["unexpected_exceptions"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
