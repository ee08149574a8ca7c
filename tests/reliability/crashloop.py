"""Crash loop: kill -9 a persistent spikelite during concurrent writes, batch writes, truncates
and secondary-index builds, restart it on the same data file, and check what came back.

    python -m tests.reliability.crashloop --iterations 100

Each iteration starts the server (`storage-engine device`), runs for a random 0.3-1.5 s:
  - 3 writer threads putting records of set `w` (bins v, w, s all derived from one version number);
  - 1 batch writer writing 10 records of set `b` per batch the same way;
  - 1 truncater writing records of set `t` and truncating `t` in turn (one thread, so it is exact
    which writes came before which truncate);
  - 1 index builder creating and removing a numeric index on `w.v` in turn;
then kills the server with SIGKILL, starts it again and checks, against a model of what was
acknowledged: every acknowledged write is there (or the later write that was in flight), nothing
is half-applied (all bins of a record come from one version), records truncated by an
acknowledged truncate stay gone and those written after it are there, an acknowledged index
exists (one acknowledged as removed does not), and a query on each index finds exactly the
records a scan finds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import aerospike
from aerospike import exception, predicates
from aerospike_helpers.operations import operations as ops

from .harness import ServerProcess

NS = "test"
WRITERS = 3
KEYS_PER_WRITER = 60
BATCH_KEYS = 40
TRUNC_KEYS = 30
INDEX = "crash_v_idx"


def device_config(path: Path, persistent: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    storage = """storage-engine device {
        file %s
        filesize 256M
    }""" % (path.parent / "test.dat") if persistent else "storage-engine memory"
    path.write_text("""
service {
    cluster-name spikelite-crashloop
}
namespace test {
    replication-factor 1
    default-ttl 0
    nsup-period 0
    %s
}
""" % storage)
    return path


def bins_of(version: int) -> dict:
    return {"v": version, "w": version * 7 + 1, "s": "x%d" % version * (1 + version % 5)}


def version_of(bins: dict) -> int | None:
    """The version all bins agree on, or None when they do not (a half-applied write)."""
    v = bins.get("v")
    return v if isinstance(v, int) and bins == bins_of(v) else None


class KeyModel:
    """Per key: the last acknowledged version and the versions sent since without an
    acknowledgement (a batch row that failed, a write cut by the kill): any of them may be there."""

    def __init__(self):
        self.acked: dict[tuple, int | None] = {}
        self.inflight: dict[tuple, set[int]] = {}
        self.next_version: dict[tuple, int] = {}

    def begin(self, key: tuple) -> int:
        version = self.next_version.get(key, 1)
        self.next_version[key] = version + 1
        self.inflight.setdefault(key, set()).add(version)
        return version

    def ack(self, key: tuple, version: int) -> None:
        self.acked[key] = version
        self.inflight.pop(key, None)


class TruncModel:
    """Set `t`: written and truncated by one thread in order."""

    def __init__(self):
        self.written_after_truncate: dict[int, int] = {}  # key -> version acknowledged after the last truncate
        self.before_inflight_truncate: dict[int, int] = {}  # written before a truncate in flight
        self.truncate_inflight = False
        self.write_inflight: tuple[int, int] | None = None


def _client(server: ServerProcess):
    return aerospike.client({"hosts": [server.address],
                             "policies": {"write": {"total_timeout": 3000, "max_retries": 0},
                                          "read": {"total_timeout": 5000},
                                          "batch": {"total_timeout": 5000, "max_retries": 0},
                                          "info": {"timeout": 5000}}}).connect()


def _workers(client, rng: random.Random, keys: KeyModel, trunc: TruncModel, index_state: dict,
             stop: threading.Event, counts: dict) -> list[threading.Thread]:
    lock = threading.Lock()

    def count(name):
        with lock:
            counts[name] = counts.get(name, 0) + 1

    def writer(n: int):
        local = random.Random(rng.random())
        while not stop.is_set():
            key = (NS, "w", n * KEYS_PER_WRITER + local.randrange(KEYS_PER_WRITER))
            version = keys.begin(key)
            try:
                client.put(key, bins_of(version))
            except exception.AerospikeError:
                return  # the server is gone: this write stays in flight
            keys.ack(key, version)
            count("writes")

    def batch_writer():
        local = random.Random(rng.random())
        while not stop.is_set():
            chosen = local.sample(range(BATCH_KEYS), 10)
            batch_keys = [(NS, "b", i) for i in chosen]
            versions = [keys.begin(k) for k in batch_keys]
            # One batch, one write per record; every record carries its own version.
            from aerospike_helpers.batch.records import BatchRecords, Write
            records = BatchRecords([Write(k, [ops.write(name, value) for name, value in bins_of(v).items()])
                                    for k, v in zip(batch_keys, versions)])
            try:
                result = client.batch_write(records)
            except exception.AerospikeError:
                return
            failed = False
            for record, key, version in zip(result.batch_records, batch_keys, versions):
                if record.result == 0:
                    keys.ack(key, version)
                    count("batch_record_writes")
                else:  # not acknowledged, may or may not have been applied: stays in flight
                    failed = True
            if failed:
                return  # the server is gone (rows answered 'no response' or 'connection')

    def truncater():
        local = random.Random(rng.random())
        while not stop.is_set():
            if local.random() < 0.1:
                trunc.truncate_inflight = True
                trunc.before_inflight_truncate = dict(trunc.written_after_truncate)
                time.sleep(0.002)  # a write in the truncate's own millisecond survives it
                try:
                    client.truncate(NS, "t", 0)
                except exception.AerospikeError:
                    return
                trunc.truncate_inflight = False
                trunc.written_after_truncate = {}
                trunc.before_inflight_truncate = {}
                count("truncates")
                time.sleep(0.01)  # later writes get a later last-update time than the truncate
                continue
            k = local.randrange(TRUNC_KEYS)
            version = trunc.written_after_truncate.get(k, 0) + 1
            trunc.write_inflight = (k, version)
            try:
                client.put((NS, "t", k), bins_of(version))
            except exception.AerospikeError:
                return
            trunc.written_after_truncate[k] = version
            trunc.write_inflight = None
            count("truncate_set_writes")

    def index_builder():
        while not stop.is_set():
            want = not index_state["acked"]
            index_state["inflight"] = True
            try:
                if want:
                    client.index_single_value_create(NS, "w", "v", aerospike.INDEX_NUMERIC, INDEX)
                else:
                    client.index_remove(NS, INDEX)
            except exception.IndexFoundError:
                pass
            except exception.IndexNotFound:
                pass
            except exception.AerospikeError:
                return
            index_state["acked"] = want
            index_state["inflight"] = False
            count("index_creates" if want else "index_removes")
            time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    threads += [threading.Thread(target=f, daemon=True) for f in (batch_writer, truncater, index_builder)]
    return threads


def _check(client, keys: KeyModel, trunc: TruncModel, index_state: dict) -> list[str]:
    problems = []
    all_keys = sorted(set(keys.acked) | set(keys.inflight))
    records = client.batch_read(all_keys).batch_records if all_keys else []
    for key, record in zip(all_keys, records):
        bins = record.record[2] if record.result == 0 and record.record else None
        acked, inflight = keys.acked.get(key), keys.inflight.get(key, set())
        if bins is None:
            if record.result not in (0, 2):
                problems.append("%r: read failed with %d" % (key, record.result))
            elif acked is not None:
                problems.append("%r: acknowledged version %d lost" % (key, acked))
            keys.inflight.pop(key, None)
            continue
        version = version_of(bins)
        if version is None:
            problems.append("%r: half-applied record %r" % (key, bins))
        elif version != acked and version not in inflight:
            problems.append("%r: version %d, acknowledged %s, in flight %s" % (key, version, acked, sorted(inflight)))
        else:
            keys.ack(key, version)
        keys.inflight.pop(key, None)

    # Set t: what an acknowledged truncate removed stays removed; what came after it is there.
    present = {}
    for k in range(TRUNC_KEYS):
        try:
            _, _, bins = client.get((NS, "t", k))
            present[k] = bins
        except exception.RecordNotFound:
            pass
    for k, bins in present.items():
        if version_of(bins) is None:
            problems.append("t/%d: half-applied record %r" % (k, bins))
    if trunc.truncate_inflight:
        # Before that truncate: all gone (it was applied) or all there (it was not).
        before = trunc.before_inflight_truncate
        there = [k for k in before if k in present]
        if there and len(there) != len(before):
            problems.append("t: a truncate in flight was half-applied (%d of %d records left)" % (len(there), len(before)))
        expected = before if there else {}
    else:
        expected = dict(trunc.written_after_truncate)
    for k, version in expected.items():
        inflight = trunc.write_inflight
        if k not in present:
            problems.append("t/%d: acknowledged write (version %d) lost" % (k, version))
        elif version_of(present[k]) not in (version, inflight[1] if inflight and inflight[0] == k else None):
            problems.append("t/%d: version %s, expected %d" % (k, version_of(present[k]), version))
    for k in present:
        inflight = trunc.write_inflight
        if k not in expected and not (inflight and inflight[0] == k):
            problems.append("t/%d: present although truncated (or never acknowledged)" % k)
    trunc.written_after_truncate = {k: version_of(b) for k, b in present.items() if version_of(b)}
    trunc.truncate_inflight, trunc.before_inflight_truncate, trunc.write_inflight = False, {}, None

    # The index: exists when acknowledged created, and answers exactly what a scan finds.
    listing = client.info_random_node("sindex-list:ns=%s" % NS)
    exists = INDEX in listing
    if not index_state["inflight"] and exists != index_state["acked"]:
        problems.append("index %s exists=%s but acknowledged %s" % (INDEX, exists, index_state["acked"]))
    index_state["acked"], index_state["inflight"] = exists, False
    if exists:
        low, high = 1, 40
        query = client.query(NS, "w")
        query.where(predicates.between("v", low, high))
        by_index = sorted(r[0][3] for r in query.results())
        scan = client.scan(NS, "w")
        by_scan = sorted(r[0][3] for r in scan.results() if low <= r[2].get("v", -1) <= high)
        if by_index != by_scan:
            problems.append("index query found %d digests, scan %d" % (len(by_index), len(by_scan)))
    return problems


def run(iterations: int, workdir: Path, seed: int = 1, on_iteration=None, persistent: bool = True) -> dict:
    """`persistent=False` runs the same loop on a memory namespace: the checks must then fail."""
    config = device_config(workdir / "crash.conf", persistent)
    rng = random.Random(seed)
    keys, trunc, index_state = KeyModel(), TruncModel(), {"acked": False, "inflight": False}
    counts: dict = {}
    problems: list[str] = []
    server = ServerProcess(config, workdir / "run")
    began = time.monotonic()
    done = 0
    try:
        for iteration in range(iterations):
            client = _client(server)
            stop = threading.Event()
            threads = _workers(client, rng, keys, trunc, index_state, stop, counts)
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill9()
            stop.set()
            for t in threads:
                t.join(30)
            client.close()
            server.start()
            client = _client(server)
            try:
                found = _check(client, keys, trunc, index_state)
            finally:
                client.close()
            problems += ["iteration %d: %s" % (iteration, p) for p in found]
            done += 1
            if on_iteration:
                on_iteration(iteration, found)
    finally:
        server.stop()
    return {"iterations": done, "seconds": round(time.monotonic() - began, 1), "acknowledged": counts,
            "records_checked_per_iteration": len(keys.acked) + TRUNC_KEYS,
            "problems": problems[:50], "server_log_errors": server.log_problems()[:20]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="default: a temporary directory")
    args = parser.parse_args(argv)

    def progress(i, found):
        print("iteration %d: %s" % (i, "ok" if not found else "; ".join(found[:3])), file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="spikelite-crashloop-") as tmp:
        report = run(args.iterations, Path(args.workdir or tmp), args.seed, progress)
    print(json.dumps(report, indent=2))
    return 0 if not report["problems"] and not report["server_log_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
