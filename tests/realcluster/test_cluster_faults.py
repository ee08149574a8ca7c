"""Three real nodes, one killed and brought back, purespike and the official client side by side.

One run (a module fixture) starts three Aerospike CE nodes on loopback as one cluster (namespace
`test`, replication factor 2), starts one worker per client (``workload.py`` with each venv's
python, each on its own set, both at the same time), SIGKILLs a node while they run, restarts it
later (partitions migrate back), waits for migrations to end and lets the workers read everything
back. The tests below check what each worker saw and print the two clients' figures side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "realnode"))
import launch  # noqa: E402

if not launch.available():
    pytest.skip("real-cluster pass skipped: %s is absent" % launch.RUN_NODE, allow_module_level=True)

CLIENTS = ("official", "purespike")
KEYS = 300
KILLED = 1              # index of the node killed (not the first seed)
WARMUP_S = 5.0          # workload before the kill
DOWN_S = 10.0           # the node stays dead this long
AFTER_S = 8.0           # workload after the node is back (partitions migrating)
MIGRATION_WAIT_S = 90.0

#: Failures a client may report while a node dies or comes back: timeouts, connection failures,
#: no node for a partition (the map not yet updated), the circuit breaker, and the server's
#: partition-unavailable / cluster-changing answers.
TRANSIENT_CODES = {9, -10, -8, -14, -15, -7, 11, 7}
#: Microseconds each node sleeps per migrated record while the node is away and back: the few
#: hundred records then migrate for seconds, and the scans run while they do.
MIGRATE_SLEEP_US = 20000


def _python(venv: str) -> Path:
    return REPO / ".venvs" / venv / "bin" / "python"


def _stable(port: int, size: int, migrations_done: bool) -> bool:
    command = "cluster-stable:size=%d;ignore-migrations=%s" % (size, "false" if migrations_done else "true")
    try:
        answer = launch.info(port, command)
    except OSError:
        return False
    return bool(answer) and not answer.startswith("ERROR")


def _set_migrate_sleep(nodes, micros: int) -> None:
    for node in nodes:
        if node.alive():
            try:
                launch.info(node.port, "set-config:context=namespace;id=test;migrate-sleep=%d" % micros)
            except OSError:
                pass


def _migrating(port: int) -> bool:
    """Whether the node still sends or receives partitions of `test`."""
    try:
        stats = dict(item.split("=", 1) for item in launch.info(port, "namespace/test").split(";") if "=" in item)
    except OSError:
        return False
    return any(int(stats.get(name, "0") or 0) for name in
               ("migrate_tx_partitions_remaining", "migrate_rx_partitions_remaining"))


def _watch_migrations(cluster, timeline: dict, stop: threading.Event) -> None:
    """Record when partitions were first and last seen migrating."""
    while not stop.is_set():
        if any(_migrating(n.port) for n in cluster.nodes if n.alive()):
            timeline.setdefault("migrations_first", time.time())
            timeline["migrations_last"] = time.time()
        stop.wait(0.2)


def _wait(predicate, timeout: float) -> float | None:
    """Seconds until predicate() held, None on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


@pytest.fixture(scope="module")
def run():
    missing = [v for v in CLIENTS if not _python(v).exists()]
    if missing:
        pytest.fail("venvs missing: %s (./dev setup)" % ", ".join(missing))
    workdir = Path(tempfile.mkdtemp(prefix="realcluster-"))
    cluster = launch.Cluster(workdir / "nodes", nodes=3, replication_factor=2)
    workers = {}
    try:
        flags = {name: str(workdir / name) for name in ("go", "stop", "verify")}
        for index, client in enumerate(CLIENTS):
            config = {
                "hosts": [list(h) for h in cluster.hosts], "set": "faults_" + client, "keys": KEYS,
                "seed": 11 + index, "total_timeout_ms": 1000, "socket_timeout_ms": 500, "max_retries": 2,
                "scan_every": 1.0, "ready_flag": str(workdir / ("ready_" + client)), "go_flag": flags["go"],
                "stop_flag": flags["stop"], "verify_flag": flags["verify"], "flag_wait": 180,
            }
            (workdir / (client + ".json")).write_text(json.dumps(config))
            log = open(workdir / (client + ".log"), "w")
            workers[client] = subprocess.Popen(
                [str(_python(client)), str(HERE / "workload.py"), str(workdir / (client + ".json")),
                 str(workdir / (client + ".out.json"))], stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO))
        ready = _wait(lambda: all((workdir / ("ready_" + c)).exists() or workers[c].poll() is not None
                                  for c in CLIENTS), 120)
        for client, proc in workers.items():
            assert proc.poll() is None, "%s worker died early:\n%s" % (client, (workdir / (client + ".log")).read_text())
        assert ready is not None, "workers not ready in 120 s"
        survivor = cluster.nodes[0].port
        timeline = {}
        _set_migrate_sleep(cluster.nodes, MIGRATE_SLEEP_US)
        watch_stop = threading.Event()
        watcher = threading.Thread(target=_watch_migrations, args=(cluster, timeline, watch_stop), daemon=True)
        Path(flags["go"]).write_text("go")
        timeline["start"] = time.time()
        time.sleep(WARMUP_S)
        timeline["kill"] = time.time()
        cluster.nodes[KILLED].stop(signal.SIGKILL)
        watcher.start()
        timeline["two_node_cluster_s"] = _wait(lambda: _stable(survivor, 2, False), DOWN_S)
        time.sleep(max(0.0, timeline["kill"] + DOWN_S - time.time()))
        timeline["restart"] = time.time()
        cluster.restart(KILLED)
        _set_migrate_sleep(cluster.nodes, MIGRATE_SLEEP_US)
        timeline["restarted"] = time.time()
        time.sleep(AFTER_S)
        Path(flags["stop"]).write_text("stop")
        timeline["stop"] = time.time()
        _set_migrate_sleep(cluster.nodes, 0)
        timeline["migrations_done_s"] = _wait(
            lambda: all(_stable(n.port, 3, True) for n in cluster.nodes), MIGRATION_WAIT_S)
        watch_stop.set()
        watcher.join(5)
        Path(flags["verify"]).write_text("verify")
        results = {}
        for client, proc in workers.items():
            try:
                proc.wait(timeout=180)
            except subprocess.TimeoutExpired:
                proc.kill()
            out = workdir / (client + ".out.json")
            assert out.exists(), "%s worker wrote no result:\n%s" % (client, (workdir / (client + ".log")).read_text())
            results[client] = json.loads(out.read_text())
        yield {"timeline": timeline, "results": results}
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _code(kind: str) -> int:
    return int(kind[kind.rindex("(") + 1:-1])


def _figures(timeline: dict, result: dict) -> dict:
    kill, restart, stop = timeline["kill"], timeline["restart"], timeline["stop"]
    errors = result["errors"]
    down = [e for e in errors if kill <= e[0] < restart]
    back = [e for e in errors if restart <= e[0] < stop]
    samples = result["node_samples"]
    dropped = next((t - kill for t, n, _ in samples if t >= kill and n == 2), None)
    rejoined = next((t - timeline["restarted"] for t, n, _ in samples if t >= timeline["restarted"] and n == 3), None)
    kinds: dict[str, int] = {}
    examples: dict[str, str] = {}
    for e in errors:
        kinds[e[1] + ":" + e[2]] = kinds.get(e[1] + ":" + e[2], 0) + 1
        examples.setdefault(e[2], e[3])
    scans = result["scans"]
    migrating = (timeline.get("migrations_first", 0), timeline.get("migrations_last", 0))
    return {
        "calls": sum(result["calls"].values()),
        "errors": len(errors),
        "errors_while_down": len(down),
        "errors_after_restart": len(back),
        "last_error_after_kill_s": round(max(e[0] for e in down) - kill, 2) if down else 0.0,
        "node_dropped_after_s": None if dropped is None else round(dropped, 2),
        "node_rejoined_after_s": None if rejoined is None else round(rejoined, 2),
        "error_kinds": kinds,
        "scans_ok": sum(1 for s in scans if s["ok"]),
        "scans_failed": sum(1 for s in scans if not s["ok"]),
        "scans_ok_while_migrating": sum(1 for s in scans if s["ok"] and migrating[0] <= s["t"] <= migrating[1]),
        "stale_reads": len(result["stale_reads"]),
        "error_examples": examples,
        "lost": len(result["verify"]["lost"]),
    }


def test_report(run):
    """Prints both clients' figures side by side (pytest -s shows them; ./dev test runs with -s)."""
    timeline = run["timeline"]
    figures = {c: _figures(timeline, run["results"][c]) for c in CLIENTS}
    print("\nthree-node fault run: node %d SIGKILLed %.1f s in, restarted %.1f s later; "
          "two-node cluster stable after %s s; migrations seen from %s s to %s s after the kill, done %s s "
          "after the workload stopped"
          % (KILLED, timeline["kill"] - timeline["start"], timeline["restart"] - timeline["kill"],
             timeline["two_node_cluster_s"] and round(timeline["two_node_cluster_s"], 2),
             round(timeline.get("migrations_first", 0) - timeline["kill"], 1),
             round(timeline.get("migrations_last", 0) - timeline["kill"], 1),
             timeline["migrations_done_s"] and round(timeline["migrations_done_s"], 2)))
    for name in figures["official"]:
        print("  %-26s official=%-30s purespike=%s" % (name, figures["official"][name], figures["purespike"][name]))
    assert all(f["calls"] > 100 for f in figures.values()), figures


@pytest.mark.parametrize("client", CLIENTS)
def test_every_acknowledged_write_is_readable(run, client):
    result = run["results"][client]
    assert result["verify"]["lost"] == []
    final = result["verify"]["final_scan"]
    assert final["ok"] and final["missing_count"] == 0, final


@pytest.mark.parametrize("client", CLIENTS)
def test_failures_are_only_transient(run, client):
    result = run["results"][client]
    bad = [e for e in result["errors"] if _code(e[2]) not in TRANSIENT_CODES]
    assert bad == []


def test_purespike_fails_no_other_way_than_the_official_client(run):
    """Every kind of failure purespike reported, the official client reports too (same run), or it is
    one of the transient kinds with the same code."""
    official = {_code(e[2]) for e in run["results"]["official"]["errors"]}
    purespike = {_code(e[2]) for e in run["results"]["purespike"]["errors"]}
    assert purespike <= official | TRANSIENT_CODES


@pytest.mark.parametrize("client", CLIENTS)
def test_scans_during_faults_return_every_record(run, client):
    scans = run["results"][client]["scans"]
    assert scans, "no scan ran"
    ok = [s for s in scans if s["ok"]]
    assert ok, scans
    timeline = run["timeline"]
    assert "migrations_first" in timeline, "no migration was seen"
    assert [s for s in ok if timeline["migrations_first"] <= s["t"] <= timeline["migrations_last"]], \
        "no scan completed while partitions migrated"
    assert [s for s in ok if s["missing_count"]] == []
    assert {_code(s["error"]) for s in scans if not s["ok"]} <= TRANSIENT_CODES


@pytest.mark.parametrize("client", CLIENTS)
def test_node_pool_follows_the_cluster(run, client):
    timeline = run["timeline"]
    result = run["results"][client]
    samples = result["node_samples"]
    assert [n for t, n, _ in samples if t < timeline["kill"]][-1] == 3
    assert any(n == 2 for t, n, _ in samples if timeline["kill"] <= t < timeline["restart"]), \
        "the dead node stayed in the pool"
    assert any(n == 3 for t, n, _ in samples if t >= timeline["restarted"]), "the node did not come back"
    assert result["final_nodes"] == 3


def test_purespike_partition_map_follows_the_change(run):
    timeline = run["timeline"]
    result = run["results"]["purespike"]
    # While the node is down, a moment comes when no partition master is a dead node.
    down = [dead for t, n, dead in result["node_samples"] if timeline["kill"] <= t < timeline["restart"]]
    assert down and down[0] is not None
    assert 0 in down[down.index(max(down)):], down
    # Once settled, purespike's masters are the ones the nodes report.
    assert result["map_mismatches"] == 0
