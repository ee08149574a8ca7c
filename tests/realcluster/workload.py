"""One client's side of the three-node fault pass: run with a venv's python (official or purespike).

    python workload.py CONFIG.json OUT.json

CONFIG holds the hosts, this worker's set and policies, and the flag files the driver creates:
``go_flag`` (start the workload), ``stop_flag`` (stop it) and ``verify_flag`` (the cluster is whole
again and migrations are over: read everything back). The worker:

- preloads ``keys`` records, then until ``stop_flag`` loops over puts, gets, batch reads, batch writes
  (``batch_write``) and operate calls (write + read) on random keys, while a second thread scans the set every
  ``scan_every`` seconds and a third samples ``get_nodes()``;
- remembers each key's last acknowledged value and every value sent by a write that failed
  (it may have been applied: in doubt or not, a timed-out write can land);
- after ``verify_flag`` appears, reads every key back and scans the set once more;
- writes what it saw to OUT (calls, errors by kind, scans, node-count samples, lost writes).

It uses only the ``aerospike`` API, except the purespike-only partition-map check (its view of the
partition masters against each node's ``replicas`` answer), done only when ``aerospike`` is purespike.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path

import aerospike
from aerospike_helpers.operations import operations

NS = "test"
BIN = "v"


def error_kind(exc: Exception) -> str:
    return "%s(%s)" % (type(exc).__name__, getattr(exc, "code", "?"))


class Recorder:
    """Calls and failures, each stamped with the wall time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: dict[str, int] = {}
        self.errors: list[tuple[float, str, str, str]] = []  # (time, op, kind, message)

    def call(self, op: str) -> None:
        with self.lock:
            self.calls[op] = self.calls.get(op, 0) + 1

    def fail(self, op: str, exc: Exception) -> None:
        with self.lock:
            self.errors.append((time.time(), op, error_kind(exc), str(getattr(exc, "msg", exc))[:200]))


class Workload:
    def __init__(self, config: dict):
        self.config = config
        self.set = config["set"]
        self.keys = config["keys"]
        self.rec = Recorder()
        self.acked: dict[int, int] = {}          # key -> last acknowledged value
        self.maybe: dict[int, set[int]] = {}     # key -> values of failed writes sent after it
        self.counter = 0
        self.write_lock = threading.Lock()
        self.stale: list[str] = []
        self._next_check = 0.0
        self._stopped = False
        policy = {"total_timeout": config["total_timeout_ms"], "socket_timeout": config["socket_timeout_ms"],
                  "max_retries": config["max_retries"], "sleep_between_retries": 50}
        write_policy = dict(policy, max_retries=0)  # the official default for writes
        self.client = aerospike.client({
            "hosts": [tuple(h) for h in config["hosts"]],
            "policies": {"read": policy, "write": write_policy, "batch": policy, "operate": write_policy,
                         "batch_write": write_policy, "scan": {"total_timeout": 0, "socket_timeout": 5000}},
            "tend_interval": 250,
        }).connect()

    def key(self, i: int) -> tuple:
        return (NS, self.set, i)

    def next_value(self) -> int:
        with self.write_lock:
            self.counter += 1
            return self.counter

    # -- writes: acked values and in-doubt values -------------------------------------------------

    def _sent(self, i: int, value: int) -> None:
        self.maybe.setdefault(i, set()).add(value)

    def _acked(self, i: int, value: int) -> None:
        self.acked[i] = value
        self.maybe.pop(i, None)

    def put(self, i: int) -> None:
        value = self.next_value()
        self.rec.call("put")
        try:
            self.client.put(self.key(i), {BIN: value})
        except aerospike.exception.AerospikeError as exc:
            self._sent(i, value)
            self.rec.fail("put", exc)
        else:
            self._acked(i, value)

    def operate_write(self, i: int) -> None:
        """A write and a read in one operate call."""
        value = self.next_value()
        self.rec.call("operate")
        try:
            self.client.operate(self.key(i), [operations.write(BIN, value), operations.read(BIN)])
        except aerospike.exception.AerospikeError as exc:
            self._sent(i, value)
            self.rec.fail("operate", exc)
        else:
            self._acked(i, value)

    def batch_write(self, ids: list[int]) -> None:
        from aerospike_helpers.batch.records import BatchRecords, Write
        values = {i: self.next_value() for i in ids}
        self.rec.call("batch_write")
        records = BatchRecords([Write(self.key(i), [operations.write(BIN, values[i])]) for i in ids])
        try:
            self.client.batch_write(records)
        except aerospike.exception.AerospikeError as exc:
            for i in ids:
                self._sent(i, values[i])
            self.rec.fail("batch_write", exc)
            return
        for i, row in zip(ids, records.batch_records):
            if row.result == 0:
                self._acked(i, values[i])
            else:
                self._sent(i, values[i])
                self.rec.fail("batch_write", _RowError(row.result))

    # -- reads --------------------------------------------------------------------------------------

    def check_read(self, i: int, bins: dict | None) -> str | None:
        """Why this read contradicts what was acknowledged, or None."""
        got = None if bins is None else bins.get(BIN)
        allowed = set(self.maybe.get(i, ()))
        if i in self.acked:
            allowed.add(self.acked[i])
        if got in allowed:
            return None
        return "key %d: read %r, acked %r, in doubt %r" % (i, got, self.acked.get(i), sorted(self.maybe.get(i, ())))

    def get(self, i: int) -> None:
        self.rec.call("get")
        try:
            _, _, bins = self.client.get(self.key(i))
        except aerospike.exception.RecordNotFound:
            bins = None
        except aerospike.exception.AerospikeError as exc:
            self.rec.fail("get", exc)
            return
        if i in self.acked:
            problem = self.check_read(i, bins)
            if problem:
                self.stale.append(problem)

    def batch_read(self, ids: list[int]) -> None:
        self.rec.call("batch_read")
        try:
            batch = self.client.batch_read([self.key(i) for i in ids])
        except aerospike.exception.AerospikeError as exc:
            self.rec.fail("batch_read", exc)
            return
        for i, row in zip(ids, batch.batch_records):
            if row.result == 0 and i in self.acked:
                problem = self.check_read(i, row.record[2])
                if problem:
                    self.stale.append(problem)
            elif row.result != 2:  # 2: not found
                self.rec.fail("batch_read", _RowError(row.result))

    # -- the phases ---------------------------------------------------------------------------------

    def preload(self) -> None:
        for i in range(self.keys):
            value = self.next_value()
            self.client.put(self.key(i), {BIN: value})
            self._acked(i, value)

    def running(self) -> bool:
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + 0.1
            self._stopped = Path(self.config["stop_flag"]).exists()
        return not self._stopped

    def run_ops(self) -> None:
        rng = random.Random(self.config["seed"])
        while self.running():
            choice = rng.random()
            i = rng.randrange(self.keys)
            if choice < 0.35:
                self.put(i)
            elif choice < 0.70:
                self.get(i)
            elif choice < 0.80:
                self.operate_write(i)
            elif choice < 0.90:
                self.batch_read(rng.sample(range(self.keys), 10))
            else:
                self.batch_write(rng.sample(range(self.keys), 5))

    def scan_once(self) -> dict:
        """One scan of the set; which preloaded keys (all acked before it began) it returned."""
        started = time.time()
        seen: dict[int, int] = {}
        self.rec.call("scan")
        try:
            records = self.client.scan(NS, self.set).results({"total_timeout": 0})
        except aerospike.exception.AerospikeError as exc:
            self.rec.fail("scan", exc)
            return {"t": started, "ok": False, "error": error_kind(exc)}
        for key, _, _ in records:
            user_key = key[2]
            if user_key is None:  # the scan returns digests only when the key was not stored
                user_key = self.digest_to_id.get(bytes(key[3]))
            if user_key is not None:
                seen[user_key] = seen.get(user_key, 0) + 1
        missing = [i for i in range(self.keys) if i not in seen]
        return {"t": started, "ok": True, "returned": sum(seen.values()), "distinct": len(seen),
                "missing": missing[:20], "missing_count": len(missing),
                "duplicates": sum(c - 1 for c in seen.values())}

    def scan_loop(self, results: list) -> None:
        while self.running():
            results.append(self.scan_once())
            time.sleep(self.config["scan_every"])

    def sample_nodes(self, samples: list) -> None:
        while self.running():
            try:
                count = len(self.client.get_nodes())
            except aerospike.exception.AerospikeError:
                count = -1
            samples.append((time.time(), count, self.purespike_dead_owner_count()))
            time.sleep(0.1)

    def purespike_dead_owner_count(self):
        """purespike only: partitions of `test` whose master is a node no longer in the pool."""
        cluster = getattr(self.client, "_cluster", None)
        if cluster is None or not hasattr(cluster, "partition_map"):
            return None
        table = cluster.partition_map.namespaces.get(NS)
        if table is None:
            return None
        live = set(id(n) for n in list(cluster.nodes.values()))
        return sum(1 for n in list(table.replicas[0]) if n is None or id(n) not in live)

    def purespike_map_mismatches(self) -> int | None:
        """purespike only: partitions whose master in its map differs from the nodes' own answer."""
        cluster = getattr(self.client, "_cluster", None)
        if cluster is None or not hasattr(cluster, "partition_map"):
            return None
        from aerospike._cluster.peers import parse_replicas
        truth: dict[int, str] = {}
        for name, (err, text) in self.client.info_all("replicas").items():
            if err is None and text:
                body = text.split("\t", 1)[-1].strip()
                regime, bitmaps = parse_replicas(body)[NS]
                node_name = name
                for pid in range(4096):
                    if bitmaps[0][pid >> 3] & (0x80 >> (pid & 7)):
                        truth[pid] = node_name
        table = cluster.partition_map.namespaces[NS]
        return sum(1 for pid in range(4096)
                   if table.replicas[0][pid] is None or table.replicas[0][pid].name != truth.get(pid))

    def verify(self) -> dict:
        lost = []
        for i in range(self.keys):
            for attempt in range(5):
                try:
                    _, _, bins = self.client.get(self.key(i), policy={"total_timeout": 2000, "max_retries": 3})
                except aerospike.exception.RecordNotFound:
                    bins = None
                except aerospike.exception.AerospikeError as exc:
                    if attempt == 4:
                        lost.append("key %d: unreadable after the run: %s" % (i, error_kind(exc)))
                    time.sleep(0.2)
                    continue
                problem = self.check_read(i, bins)
                if problem:
                    lost.append(problem)
                break
        return {"lost": lost, "final_scan": self.scan_once()}


class _RowError(Exception):
    def __init__(self, code: int):
        super().__init__("batch row result %d" % code)
        self.code = code
        self.msg = "batch row result %d" % code


def wait_for(path: str, timeout: float) -> None:
    deadline = time.time() + timeout
    while not Path(path).exists() and time.time() < deadline:
        time.sleep(0.05)


def main(config_path: str, out_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    work = Workload(config)
    work.digest_to_id = {bytes(aerospike.calc_digest(NS, work.set, i)): i for i in range(work.keys)}
    work.preload()
    Path(config["ready_flag"]).write_text("ready")
    wait_for(config["go_flag"], config["flag_wait"])
    scans: list = []
    samples: list = []
    threads = [threading.Thread(target=work.scan_loop, args=(scans,), daemon=True),
               threading.Thread(target=work.sample_nodes, args=(samples,), daemon=True)]
    for t in threads:
        t.start()
    work.run_ops()
    for t in threads:
        t.join(60)
    wait_for(config["verify_flag"], config["flag_wait"])
    verify = work.verify()
    # purespike's partition map, once it has tended the settled cluster.
    mismatches = None
    for _ in range(40):
        mismatches = work.purespike_map_mismatches()
        if not mismatches:
            break
        time.sleep(0.25)
    result = {
        "client": "purespike" if hasattr(work.client, "_cluster") else "official",
        "calls": work.rec.calls, "errors": work.rec.errors, "stale_reads": work.stale,
        "scans": scans, "node_samples": samples, "verify": verify, "map_mismatches": mismatches,
        "final_nodes": len(work.client.get_nodes()),
    }
    work.client.close()
    Path(out_path).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
