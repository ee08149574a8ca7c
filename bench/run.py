"""Benchmark driver: servers x clients x workloads x threads, in one run.

    python bench/run.py [--quick] [--duration S] [--threads 1,4] [--workloads get,put,...]
                        [--clients official,purespike,aerospike_py] [--servers aerospike,spikelite,echo]
                        [--server HOST:PORT]

It starts the servers: a real Aerospike CE node (``tests/realnode/launch.py``, when
``../shared/aerospike-ce`` exists), spikelite (``python -m spikelite --port 0``) and the echo floor
(``bench/echo.py``), or uses any running server given with ``--server HOST:PORT``; loads the key
spaces into every server that keeps data, then runs ``bench/worker.py`` once per (server, client)
in that client's venv. Each worker runs every workload at every thread count
and prints one JSON line per cell. The driver prints a table (ops/s, p50, p99, and the ratios
client/official and spikelite/echo), measures spikelite's memory per record, writes
``results.json`` and a PNG chart (if matplotlib is importable) to ``--out`` (default
``bench/results``). ``./dev bench`` runs it in ``.venvs/bench``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import client_costs  # noqa: E402
from workloads import ALL, MEMORY_DATA_BYTES, NEEDS_INDEX, NEEDS_SCAN_SET, WORKLOADS, query_records  # noqa: E402
import aio as aio_bench  # noqa: E402

CLIENTS = ["official", "purespike", "aerospike_py"]
#: "aerospike": a real CE node started for the run; "server": the one given with --server HOST:PORT.
SERVERS = ["aerospike", "server", "spikelite", "echo"]
DEFAULT_SERVERS = ["aerospike", "spikelite", "echo"]
#: Servers that keep data (loaded before the run); the echo floor answers canned replies.
DATA_SERVERS = {"aerospike", "server", "spikelite"}
#: venv holding each client (relative to the repository root)
DEFAULT_VENV = {"official": ".venvs/official", "purespike": ".venvs/purespike",
                "aerospike_py": ".venvs/aerospikepy"}
IMPORT_CHECK = {
    "official": "import aerospike, sys; sys.exit(1 if getattr(aerospike, '__purespike__', False) else 0)",
    "purespike": "import aerospike, sys; sys.exit(0 if getattr(aerospike, '__purespike__', False) else 1)",
    "aerospike_py": "import aerospike_py",
}
STARTUP_TIMEOUT_S = 30.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- child processes -------------------------------------------------------------------------------

def cpu_sets() -> tuple:
    """(server CPUs, client CPUs): the server alone on the last CPU, clients on the others, so that
    every cell sees the same placement (as with a client and a server on two machines). None when
    pinning is impossible. Used only with --pin: on a machine busy with other work, pinning the
    clients to fewer CPUs makes their tail latency worse."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None, None
    if len(cpus) < 2:
        return None, None
    return {cpus[-1]}, set(cpus[:-1])


SERVER_CPUS, CLIENT_CPUS = None, None  # set by --pin


def pinned(cpus):
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


class Child:
    """A server child process announcing `... listening on HOST:PORT` on its first stdout line."""

    def __init__(self, name: str, argv: list[str]):
        self.name = name
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=str(ROOT), preexec_fn=pinned(SERVER_CPUS))
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(STARTUP_TIMEOUT_S)
        if not line or " listening on " not in line[0]:
            self.stop()
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError("%s did not start: %s" % (name, last_line(err or "".join(line) or "no output")))
        host, _, port = line[0].strip().rpartition(" ")[2].rpartition(":")
        self.host, self.port = host, int(port)
        # keep draining both pipes so the child never blocks on a full pipe
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=stream.read, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_bytes(self) -> int:
        with open("/proc/%d/status" % self.pid) as status:
            for row in status:
                if row.startswith("VmRSS:"):
                    return int(row.split()[1]) * 1024
        raise RuntimeError("no VmRSS for pid %d" % self.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def run_worker(python: str, argv: list[str], timeout: float, on_line=None,
               script: Path = BENCH / "worker.py") -> tuple[list[dict], str, int]:
    """Run worker.py (or `script`); returns (JSON objects it printed, stderr tail, exit code)."""
    proc = subprocess.Popen([python, str(script), *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(ROOT), preexec_fn=pinned(CLIENT_CPUS))
    errors: list[str] = []
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    drain.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    objects = []
    try:
        for line in proc.stdout:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            objects.append(obj)
            if on_line:
                on_line(obj)
        rc = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    drain.join(5)
    tail = (errors[0] if errors else "").strip()[-2000:]
    if rc < 0:
        tail = ("killed after %.0f s timeout. " % timeout if not timer.is_alive() else "") + tail
    return objects, tail, rc


def client_available(python: str, client: str) -> tuple[bool, str]:
    if not Path(python).exists():
        return False, "no interpreter at %s" % python
    try:
        done = subprocess.run([python, "-c", IMPORT_CHECK[client]], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if done.returncode != 0:
        return False, (done.stderr.strip().splitlines() or ["import failed"])[-1]
    return True, ""


# -- the run -----------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="spikelite / purespike benchmark harness")
    parser.add_argument("--quick", action="store_true",
                        help="CI smoke: 0.25 s cells, 1 thread, small key spaces (under 30 s)")
    parser.add_argument("--duration", type=float, help="seconds per cell (default 3, quick 0.25)")
    parser.add_argument("--threads", help="comma-separated thread counts (default 1,4; quick 1)")
    parser.add_argument("--workloads", default=",".join(ALL), help="comma-separated, from: " + ", ".join(ALL))
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--servers", default=",".join(DEFAULT_SERVERS),
                        help="comma-separated, from: aerospike (a real CE node, when ../shared/aerospike-ce "
                        "exists), spikelite, echo (default all three)")
    parser.add_argument("--server", metavar="HOST:PORT",
                        help="also measure this running server (loaded with the bench's key spaces first)")
    parser.add_argument("--python", action="append", default=[], metavar="CLIENT=PATH",
                        help="interpreter for a client (default .venvs/<venv>/bin/python)")
    parser.add_argument("--spikelite-python", help="interpreter that runs spikelite "
                        "(default: the official venv's, else purespike's)")
    parser.add_argument("--keys", type=int, help="records per key space (default 10000, quick 1000)")
    parser.add_argument("--scan-records", type=int, help="records in the scan set (default 100000, quick 2000)")
    parser.add_argument("--memory-records", type=int,
                        help="records loaded for the memory measurement (default 100000, quick 5000; 0 skips)")
    parser.add_argument("--sindex-vs-scan", action="store_true",
                        help="run only the secondary-index-vs-scan section (bench/sindex_vs_scan.py)")
    parser.add_argument("--sindex-records", type=int,
                        help="records of the sindex-vs-scan section (default 1000000, quick 20000; 0 skips it)")
    parser.add_argument("--sindex-reps", type=int, help="timed runs per call in that section (default 5, quick 2)")
    parser.add_argument("--max-ops", type=int, default=5_000_000, help="upper bound of calls per thread per cell")
    parser.add_argument("--out", default=str(BENCH / "results"), help="directory for results.json and bench.png")
    parser.add_argument("--no-chart", action="store_true")
    parser.add_argument("--no-aio", action="store_true",
                        help="skip the aerospike.aio section (bench/aio.py: 1-256 gets in flight vs official sync)")
    parser.add_argument("--pin", action="store_true",
                        help="pin the servers to the last CPU and the clients to the others")
    args = parser.parse_args(argv)
    quick = args.quick
    args.duration = args.duration if args.duration is not None else (0.25 if quick else 3.0)
    args.threads = [int(t) for t in (args.threads or ("1" if quick else "1,4")).split(",") if t]
    args.keys = args.keys if args.keys is not None else (1000 if quick else 10000)
    args.scan_records = args.scan_records if args.scan_records is not None else (2000 if quick else 100000)
    if args.memory_records is None:
        args.memory_records = 5000 if quick else 100000
    if args.sindex_records is None:
        args.sindex_records = 20000 if quick else 1_000_000
    if args.sindex_reps is None:
        args.sindex_reps = 2 if quick else 5
    args.workloads = [w for w in args.workloads.split(",") if w]
    args.clients = [c for c in args.clients.split(",") if c]
    args.servers = [s for s in args.servers.split(",") if s]
    for name, known, what in ((args.workloads, WORKLOADS, "workload"), (args.clients, CLIENTS, "client"),
                              (args.servers, SERVERS, "server")):
        bad = [n for n in name if n not in known]
        if bad:
            parser.error("unknown %s: %s" % (what, ", ".join(bad)))
    pythons = {c: str(ROOT / DEFAULT_VENV[c] / "bin" / "python") for c in CLIENTS}
    for item in args.python:
        client, sep, path = item.partition("=")
        if not sep or client not in CLIENTS:
            parser.error("--python takes CLIENT=PATH with CLIENT in %s" % ", ".join(CLIENTS))
        pythons[client] = path
    args.pythons = pythons
    if args.server:
        host, sep, port = args.server.rpartition(":")
        if not sep or not host or not port.isdigit():
            parser.error("--server takes HOST:PORT")
        args.server_address = (host, int(port))
        if "server" not in args.servers:
            args.servers.append("server")
    elif "server" in args.servers:
        parser.error("the server \"server\" is the one given with --server HOST:PORT")
    return args


class RealNode:
    """A real Aerospike CE node for the run (tests/realnode/launch.py), in a temporary directory."""

    name = "aerospike"

    def __init__(self):
        sys.path.insert(0, str(ROOT / "tests" / "realnode"))
        import launch
        if not launch.available():
            raise RuntimeError("no real node here (%s is missing)" % launch.RUN_NODE)
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-node-"))
        try:
            self.cluster = launch.Cluster(self.workdir / "nodes")
        except BaseException:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise
        self.host, self.port = self.cluster.nodes[0].host
        self.pid = self.cluster.nodes[0].pid

    def stop(self) -> None:
        self.cluster.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


class External:
    """A server the run did not start (--server HOST:PORT); left running."""

    name = "server"

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def stop(self) -> None:
        pass


def start_server(name: str, args):
    if name == "aerospike":
        return RealNode()
    if name == "server":
        return External(*args.server_address)
    if name == "echo":
        return Child("echo", [sys.executable, str(BENCH / "echo.py"), "--port", "0"])
    return Child("spikelite", [args.spikelite_python, "-m", "spikelite", "--port", "0"])


def load_server(server, args, loader: str) -> dict:
    argv = ["load", "--client", loader, "--port", str(server.port), "--host", server.host,
            "--small", str(args.keys), "--blob", str(args.keys)]
    if NEEDS_SCAN_SET & set(args.workloads):
        argv += ["--scan", str(args.scan_records)]
        if NEEDS_INDEX & set(args.workloads):
            argv.append("--index")
    objects, tail, rc = run_worker(args.pythons[loader], argv, timeout=600)
    for obj in objects:
        if obj.get("event") == "load":
            return obj
    raise RuntimeError("loading %s failed (exit %s): %s" % (server.name, rc, tail))


def measure_memory(args, loader: str) -> dict:
    """Fresh spikelite; RSS before and after loading N records of 10 small bins."""
    server = Child("spikelite", [args.spikelite_python, "-m", "spikelite", "--port", "0"])
    try:
        time.sleep(0.3)
        before = server.rss_bytes()
        objects, tail, rc = run_worker(args.pythons[loader], [
            "memory", "--client", loader, "--host", server.host, "--port", str(server.port),
            "--count", str(args.memory_records)], timeout=600)
        loaded = next((o for o in objects if o.get("event") == "memory"), None)
        if loaded is None:
            return {"status": "error", "reason": tail or "worker exit %s" % rc}
        time.sleep(0.3)
        after = server.rss_bytes()
    finally:
        server.stop()
    count = loaded["count"]
    per_record = (after - before) / count if count else 0.0
    return {"status": "ok", "records": count, "rss_before": before, "rss_after": after,
            "bytes_per_record": round(per_record, 1), "data_bytes_per_record": MEMORY_DATA_BYTES,
            "overhead_bytes_per_record": round(per_record - MEMORY_DATA_BYTES, 1),
            "load_seconds": loaded["seconds"]}


def main(argv=None) -> int:
    global SERVER_CPUS, CLIENT_CPUS
    args = parse_args(argv)
    if args.pin:
        SERVER_CPUS, CLIENT_CPUS = cpu_sets()
    started = time.monotonic()
    checked: dict = {}

    def available(client: str) -> bool:
        if client not in checked:
            ok, why = client_available(args.pythons[client], client)
            checked[client] = "ok" if ok else why
        return checked[client] == "ok"

    availability = {}
    for client in args.clients:
        available(client)
        availability[client] = checked[client]
        if availability[client] != "ok":
            log("client %s unavailable: %s" % (client, availability[client]))
    clients = [c for c in args.clients if availability[c] == "ok"]
    # The official client loads fastest (it releases the GIL while it waits on the network).
    loader = next((c for c in ("official", "purespike", "aerospike_py") if available(c)), None)
    if args.spikelite_python is None:
        args.spikelite_python = next((args.pythons[c] for c in ("official", "purespike") if available(c)),
                                     sys.executable)

    if args.sindex_vs_scan:  # this section alone
        section = sindex_section(args, clients, loader)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "sindex_vs_scan.json").write_text(json.dumps(section, indent=1) + "\n")
        print(render_sindex(section))
        print("results: %s" % (out / "sindex_vs_scan.json"))
        return 0 if section.get("status") == "ok" else 1

    cells: list[dict] = []
    notes: dict = {"availability": availability}
    servers: dict = {}
    try:
        for server_name in args.servers:
            try:
                servers[server_name] = server = start_server(server_name, args)
            except Exception as exc:
                log("server %s: %s" % (server_name, exc))
                notes["server_" + server_name] = str(exc)
                continue
            log("== %s on %s:%d" % (server_name, server.host, server.port))
            if server_name in DATA_SERVERS and loader:
                load = load_server(server, args, loader)
                notes["load" if server_name == "spikelite" else "load_" + server_name] = load
                log("   loaded with %s: %s" % (loader, ", ".join("%s=%s" % kv for kv in load.items()
                                                                  if kv[0] != "event")))
        # Every server stays up; each client runs against one right after the other, so that
        # drift in machine load hits both sides of the spikelite/node and spikelite/echo ratios alike.
        for client in clients:
            for server_name, server in servers.items():
                cells.extend(run_client(server_name, server, client, args))
        if not args.no_aio and "official" in clients and "purespike" in clients:
            log("== aerospike.aio: gets in flight vs the official client's sync gets (bench/aio.py)")
            notes["aio"] = aio_bench.section(args, servers, log)
    finally:
        for server in servers.values():
            server.stop()

    memory = {"status": "skipped"}
    if args.memory_records > 0 and "spikelite" in args.servers and loader:
        log("== memory: %d records of 10 small bins into a fresh spikelite" % args.memory_records)
        memory = measure_memory(args, loader)

    sindex = {"status": "skipped"}
    if args.sindex_records > 0 and "spikelite" in args.servers:
        sindex = sindex_section(args, clients, loader)

    log("== client costs: import time and digests per second")
    costs = client_costs.measure({c: args.pythons[c] for c in ("official", "purespike") if c in clients},
                                 reps=5 if args.quick else 15, seconds=0.2 if args.quick else 1.0)

    results = {
        "sindex_vs_scan": sindex,
        "meta": {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "python": platform.python_version(),
                 "machine": "%s, %d cores" % (platform.machine(), os.cpu_count() or 0),
                 "duration": args.duration, "threads": args.threads, "keys": args.keys,
                 "scan_records": args.scan_records, "quick": args.quick,
                 "server_cpus": sorted(SERVER_CPUS or []), "client_cpus": sorted(CLIENT_CPUS or []),
                 "elapsed_s": round(time.monotonic() - started, 1)},
        "notes": notes, "cells": cells, "memory": memory, "client_costs": costs,
    }
    print(render(results))
    print(client_costs.render(costs))
    if sindex.get("status") != "skipped":
        print(render_sindex(sindex))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print("results: %s" % (out / "results.json"))
    if not args.no_chart:
        print(chart(results, out / "bench.png"))
    return 0


def sindex_section(args, clients: list[str], loader) -> dict:
    """bench/sindex_vs_scan.py: a secondary-index query vs a filtered full scan on a large set."""
    from sindex_vs_scan import run_section
    measured = [c for c in clients if c in ("official", "purespike")]
    if loader not in ("official", "purespike") or not measured:
        return {"status": "skipped", "reason": "needs the official client or purespike"}
    log("== secondary index vs scan: %d records" % args.sindex_records)
    try:
        return run_section(args.sindex_records, args.sindex_reps, measured, args.pythons,
                           args.spikelite_python, args.pythons[loader], log)
    except Exception as exc:
        log("   sindex vs scan: %s" % exc)
        return {"status": "error", "reason": str(exc)}


def render_sindex(section: dict) -> str:
    from sindex_vs_scan import render as render_section
    if section.get("status") != "ok":
        return "\nSecondary index vs scan: %s %s" % (section.get("status"), section.get("reason", ""))
    return render_section(section)


def run_client(server_name: str, server, client: str, args) -> list[dict]:
    expected = [(w, t) for w in args.workloads for t in args.threads]
    argv = ["run", "--client", client, "--host", server.host, "--port", str(server.port),
            "--workloads", ",".join(args.workloads), "--threads", ",".join(map(str, args.threads)),
            "--duration", str(args.duration), "--keys", str(args.keys),
            "--scan-records", str(args.scan_records), "--max-ops", str(args.max_ops)]
    if server_name == "echo":
        argv.append("--echo")

    def progress(obj: dict) -> None:
        if obj.get("event") == "cell":
            log("   %-12s %-12s %-11s t=%d  %s" % (server_name, client, obj["workload"], obj["threads"],
                                                   short(obj)))

    timeout = len(expected) * (args.duration + 120) + 60
    objects, tail, rc = run_worker(args.pythons[client], argv, timeout, progress)
    got = {}
    for obj in objects:
        if obj.get("event") == "cell":
            obj.update(server=server_name, client=client)
            got[(obj["workload"], obj["threads"])] = obj
    cells = []
    for workload, threads in expected:
        cell = got.get((workload, threads))
        if cell is None:
            cell = {"event": "cell", "server": server_name, "client": client, "workload": workload,
                    "threads": threads, "status": "error",
                    "reason": "worker ended (exit %s) before this cell: %s" % (rc, last_line(tail))}
            progress(cell)
        cells.append(cell)
    return cells


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][-300:] if lines else "no stderr"


def short(cell: dict) -> str:
    if cell["status"] == "ok":
        return "%s ops/s  p50 %s us  p99 %s us%s" % (fmt_num(cell["ops_per_s"]), cell["p50_us"], cell["p99_us"],
                                                   "  (%d errors)" % cell["errors"] if cell.get("errors") else "")
    return "%s: %s" % (cell["status"], cell.get("reason", ""))


# -- report --------------------------------------------------------------------------------------------

def fmt_num(value: float) -> str:
    if value >= 100:
        return "{:,.0f}".format(value)
    return "{:,.1f}".format(value)


def fmt_ratio(value) -> str:
    return "" if value is None else "%.2f" % value


def render(results: dict) -> str:
    cells = results["cells"]
    index = {(c["server"], c["client"], c["workload"], c["threads"]): c for c in cells}

    def ratio(cell, other_key):
        other = index.get(other_key)
        if cell["status"] != "ok" or not other or other["status"] != "ok" or not other["ops_per_s"]:
            return None
        return cell["ops_per_s"] / other["ops_per_s"]

    meta = results["meta"]
    lines = ["", "Benchmark: %s s per cell, threads %s, %d keys, scan set %d records (%s, Python %s)"
             % (meta["duration"], ",".join(map(str, meta["threads"])), meta["keys"], meta["scan_records"],
                meta["machine"], meta["python"]),
             "ops/s counts calls (a batch or a scan is one call); rec/s counts records; latencies in microseconds.",
             "x official = this client's ops/s / the official client's on the same server;"
             " spike/node = ops/s on spikelite / on the real node (aerospike);"
             " spike/echo = ops/s on spikelite / on the echo floor; both for the same client.", ""]
    header = "%-12s %3s  %-10s %-13s %11s %12s %9s %9s %10s %10s %10s" % (
        "workload", "thr", "server", "client", "ops/s", "rec/s", "p50 us", "p99 us", "x official", "spike/node",
        "spike/echo")
    lines += [header, "-" * len(header)]
    unsupported: dict = {}
    order = {name: i for i, name in enumerate(ALL)}
    previous = None
    for cell in sorted(cells, key=lambda c: (order.get(c["workload"], 99), c["threads"],
                                             SERVERS.index(c["server"]), CLIENTS.index(c["client"]))):
        group = (cell["workload"], cell["threads"])
        if previous is not None and group != previous:
            lines.append("")
        previous = group
        head = "%-12s %3d  %-10s %-13s" % (cell["workload"], cell["threads"], cell["server"], cell["client"])
        if cell["status"] != "ok":
            reason = cell.get("reason", "")
            lines.append("%s %11s   %s" % (head, cell["status"], reason[:70]))
            unsupported.setdefault((cell["status"], reason), []).append(
                "%s/%s/%s" % (cell["server"], cell["client"], cell["workload"]))
            continue
        vs_official = ratio(cell, (cell["server"], "official", cell["workload"], cell["threads"])) \
            if cell["client"] != "official" else None
        vs_echo = ratio(cell, ("echo", cell["client"], cell["workload"], cell["threads"])) \
            if cell["server"] == "spikelite" else None
        vs_node = ratio(cell, ("aerospike", cell["client"], cell["workload"], cell["threads"])) \
            if cell["server"] == "spikelite" else None
        lines.append("%s %11s %12s %9s %9s %10s %10s %10s%s" % (
            head, fmt_num(cell["ops_per_s"]), fmt_num(cell["records_per_s"]), cell["p50_us"], cell["p99_us"],
            fmt_ratio(vs_official), fmt_ratio(vs_node), fmt_ratio(vs_echo),
            "  %d errors: %s" % (cell["errors"], cell.get("reason", "")[:60]) if cell.get("errors") else ""))
    checks = []
    for cell in cells:
        want = expected_records(cell, meta)
        if cell["status"] == "ok" and want is not None and cell.get("records_per_call") != want:
            checks.append("  %s/%s/%s t=%d: %s records per call, expected %s" % (
                cell["server"], cell["client"], cell["workload"], cell["threads"],
                cell.get("records_per_call"), want))
    if checks:
        lines += ["", "Wrong answers (a cell measured the wrong amount of work):"] + checks
    avail = results["notes"].get("availability", {})
    missing = ["%s (%s)" % (c, why) for c, why in avail.items() if why != "ok"]
    if missing:
        lines += ["", "Unavailable clients: " + "; ".join(missing)]
    if unsupported:
        lines += ["", "Not measured:"]
        for (status, reason), where in unsupported.items():
            cells_text = ", ".join(sorted(set(where)))
            lines.append("  %s: %s\n      cells: %s" % (status, reason, cells_text))
    for key, load in results["notes"].items():
        if key.startswith("load") and isinstance(load, dict) and load.get("scan_skipped"):
            lines.append("  scan set not loaded into %s: %s" % (key.partition("_")[2] or "spikelite",
                                                                load["scan_skipped"]))
    for key, why in results["notes"].items():
        if key.startswith("server_"):
            lines.append("  server %s not measured: %s" % (key[len("server_"):], why))
    memory = results["memory"]
    lines.append("")
    if memory.get("status") == "ok":
        lines.append("Memory (spikelite RSS): %d records of 10 small bins: %s bytes/record, of which %d are data"
                     " (20-byte digest + 10 x (2-byte name + 8-byte int)) -> %s bytes/record overhead."
                     " RSS %.1f MB -> %.1f MB." % (memory["records"], fmt_num(memory["bytes_per_record"]),
                                                   memory["data_bytes_per_record"],
                                                   fmt_num(memory["overhead_bytes_per_record"]),
                                                   memory["rss_before"] / 1e6, memory["rss_after"] / 1e6))
    else:
        lines.append("Memory: %s %s" % (memory.get("status"), memory.get("reason", "")))
    lines.append("Total run time: %s s" % meta["elapsed_s"])
    return "\n".join(lines)


def expected_records(cell: dict, meta: dict):
    """Records one call of the cell's workload must return (None: not checked)."""
    kind, params, _ = WORKLOADS[cell["workload"]]
    if kind == "batch":
        return float(params["size"])
    if kind == "scan":
        return float(meta["scan_records"])
    if kind == "query":
        return float(query_records(cell["workload"], meta["scan_records"]))
    return None


def chart(results: dict, path: Path) -> str:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "chart: matplotlib not importable here, no PNG written"
    cells = [c for c in results["cells"] if c["status"] == "ok"]
    if not cells:
        return "chart: no measured cell, no PNG written"
    threads = sorted({c["threads"] for c in cells})
    workloads = [w for w in ALL if any(c["workload"] == w for c in cells)]
    series = [(s, c) for s in SERVERS for c in CLIENTS
              if any(x["server"] == s and x["client"] == c for x in cells)]
    index = {(c["server"], c["client"], c["workload"], c["threads"]): c for c in cells}
    fig, axes = plt.subplots(len(threads), 1, figsize=(max(8, 1.3 * len(workloads) + 3), 4.2 * len(threads)),
                             squeeze=False)
    width = 0.8 / max(1, len(series))
    colors = {"official": "#1f77b4", "purespike": "#d62728", "aerospike_py": "#2ca02c"}
    # the real node solid, spikelite lighter, the echo floor hatched
    alpha = {"aerospike": 1.0, "server": 1.0, "spikelite": 0.6, "echo": 0.3}
    hatch = {"spikelite": "..", "echo": "//"}
    for row, t in enumerate(threads):
        ax = axes[row][0]
        for i, (server, client) in enumerate(series):
            xs, ys = [], []
            for j, w in enumerate(workloads):
                cell = index.get((server, client, w, t))
                if cell:
                    xs.append(j + (i - (len(series) - 1) / 2) * width)
                    ys.append(cell["ops_per_s"])
            ax.bar(xs, ys, width, label="%s @ %s" % (client, server), color=colors.get(client),
                   alpha=alpha.get(server, 0.7), hatch=hatch.get(server),
                   edgecolor="black", linewidth=0.3)
        ax.set_yscale("log")
        ax.set_xticks(range(len(workloads)))
        ax.set_xticklabels(workloads, rotation=20)
        ax.set_ylabel("calls per second (log)")
        ax.set_title("%d thread%s, %s s per cell" % (t, "" if t == 1 else "s", results["meta"]["duration"]))
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[-1][0].legend(fontsize=8, ncol=min(6, len(series)), loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return "chart: %s" % path


if __name__ == "__main__":
    sys.exit(main())
