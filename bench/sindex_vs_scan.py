"""Secondary-index query vs full scan with a filter expression, on 1,000,000 records.

    python bench/sindex_vs_scan.py [--records 1000000] [--reps 5] [--clients official,purespike]

(``./dev bench --sindex-vs-scan`` runs this section alone; ``./dev bench`` runs it after the
workload table.) It starts spikelite (``python -m spikelite --port 0``), loads ``--records``
records of ``{"a": i, "b": "value-%06d", "n": i % 100}`` into set ``bench_sindex`` and builds a
numeric index on ``n`` (100 distinct values), then, with each client, times

- **query**: ``query.where(predicates.equals("n", 7))``: 1 % of the records, from the index;
- **scan**: ``query(ns, set).results({"expressions": exp.Eq(exp.IntBin("n"), 7)})``: every record
  read and filtered on the server, the same 1 % returned,

alternating, ``--reps`` times each (after one untimed warm-up each), and prints the median and best
time, records returned per second, records examined per second (scan) and the ratio scan / query.

The load is pipelined raw protocol (one socket, thousands of writes in flight) rather than one
client round trip per record: each request is the write an ``aerospike`` client ``put`` sends
(namespace, set and digest fields, one WRITE op per bin, no stored key). The loader checks that:
it puts one record with the official client and one through the pipeline with the same bins, and
fails unless a client ``get`` of the two answers the same metadata and bins.

Subcommands (run by the driver in the clients' venvs): ``load`` (needs ``spikelite`` and the
official client importable) and ``measure``. Output of the subcommands is one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

NAMESPACE = "test"
SET_NAME = "bench_sindex"
INDEX_NAME = "bench_sindex_n"
BIN = "n"
DISTINCT = 100            # values of the indexed bin: each selects 1 % of the records
QUERY_VALUE = 7
PIPELINE_BATCH = 4000     # writes per pipelined batch
SLOW_S = 900.0            # socket / policy timeouts: a 1M-record scan takes seconds


def record_bins(i: int) -> dict:
    return {"a": i, "b": "value-%06d" % (i % 1_000_000), BIN: i % DISTINCT}


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def connect(host: str, port: int):
    import aerospike
    timeouts = {"total_timeout": int(SLOW_S * 1000), "socket_timeout": int(SLOW_S * 1000)}
    policies = {"read": dict(timeouts), "write": dict(timeouts), "query": dict(timeouts),
                "scan": dict(timeouts), "info": {"timeout": int(SLOW_S * 1000)}}
    # spikelite answers one request at a time: during a multi-second scan the client's cluster
    # tending waits too, and with the default 1 s connect/info timeout it would drop the node
    client = aerospike.client({"hosts": [(host, port)], "policies": policies,
                               "connect_timeout": int(SLOW_S * 1000)})
    if hasattr(client, "is_connected") and not client.is_connected():
        client.connect()
    return client, aerospike


# -- load (needs spikelite.wire and the official client) ------------------------------------------

def put_request(key: str, bins: dict) -> bytes:
    """The proto a client `put(key, bins)` sends with the default policies (key not stored)."""
    from spikelite.wire import FieldType, Info2, Message, Op, OpType, ParticleType, compute_digest
    from spikelite.wire.particles import encode_int
    ops = []
    for name, value in bins.items():
        if isinstance(value, int):
            ops.append(Op(OpType.WRITE, ParticleType.INTEGER, name, encode_int(value)))
        else:
            ops.append(Op(OpType.WRITE, ParticleType.STRING, name, value.encode()))
    fields = [(FieldType.NAMESPACE, NAMESPACE.encode()), (FieldType.SET, SET_NAME.encode()),
              (FieldType.DIGEST, compute_digest(SET_NAME, key))]
    return Message(info2=Info2.WRITE, transaction_ttl=1000, fields=fields, ops=ops).to_proto()


def pipelined_put(sock: socket.socket, requests: list[bytes]) -> None:
    """Send the requests at once and read as many replies; every result code must be 0."""
    sock.sendall(b"".join(requests))
    buf = bytearray()
    pos = 0
    got = 0
    while got < len(requests):
        while len(buf) - pos >= 8:
            size = int.from_bytes(buf[pos + 2:pos + 8], "big")
            if len(buf) - pos < 8 + size:
                break
            result = buf[pos + 8 + 5]  # AS_MSG header: size, info1-4, result code
            if result != 0:
                raise RuntimeError("pipelined put answered result code %d" % result)
            pos += 8 + size
            got += 1
        if got == len(requests):
            break
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise RuntimeError("server closed the connection during the load")
        buf += chunk


def cmd_load(args) -> None:
    client, aerospike = connect(args.host, args.port)
    started = time.perf_counter()
    sock = socket.create_connection((args.host, args.port), timeout=SLOW_S)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        # The pipelined request must store what a client put stores.
        bins = record_bins(12345)
        client.put((NAMESPACE, SET_NAME, "verify-client"), bins)
        pipelined_put(sock, [put_request("verify-pipeline", bins)])
        _, meta_c, bins_c = client.get((NAMESPACE, SET_NAME, "verify-client"))
        _, meta_p, bins_p = client.get((NAMESPACE, SET_NAME, "verify-pipeline"))
        if (meta_c, bins_c) != (meta_p, bins_p) or bins_c != bins:
            raise SystemExit("pipelined put differs from a client put: %r / %r vs %r / %r"
                             % (meta_c, bins_c, meta_p, bins_p))
        client.remove((NAMESPACE, SET_NAME, "verify-client"))
        client.remove((NAMESPACE, SET_NAME, "verify-pipeline"))
        for start in range(0, args.records, PIPELINE_BATCH):
            stop = min(args.records, start + PIPELINE_BATCH)
            pipelined_put(sock, [put_request("k%d" % i, record_bins(i)) for i in range(start, stop)])
    finally:
        sock.close()
    loaded = time.perf_counter()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.index_integer_create(NAMESPACE, SET_NAME, BIN, INDEX_NAME)
    indexed = time.perf_counter()
    emit({"event": "load", "records": args.records, "load_s": round(loaded - started, 2),
          "index_s": round(indexed - loaded, 2)})
    client.close()


# -- measure (any client) ---------------------------------------------------------------------------

def cmd_measure(args) -> None:
    client, aerospike = connect(args.host, args.port)
    from aerospike_helpers import expressions as exp
    library = "purespike" if getattr(aerospike, "__purespike__", False) else "official"
    filter_expr = exp.Eq(exp.IntBin(BIN), QUERY_VALUE).compile()
    policy = {"total_timeout": int(SLOW_S * 1000), "socket_timeout": int(SLOW_S * 1000)}

    def query() -> int:
        q = client.query(NAMESPACE, SET_NAME)
        q.where(aerospike.predicates.equals(BIN, QUERY_VALUE))
        return len(q.results(policy))

    def scan() -> int:
        q = client.query(NAMESPACE, SET_NAME)  # no predicate: a scan of every record
        return len(q.results(dict(policy, expressions=filter_expr)))

    def timed(fn):
        begin = time.perf_counter()
        count = fn()
        return time.perf_counter() - begin, count

    want = args.records // DISTINCT
    times = {"query": [], "scan": []}
    counts = {"query": set(), "scan": set()}
    for name, fn in (("query", query), ("scan", scan)):  # warm-up: connections, caches
        counts[name].add(fn())
    for _ in range(args.reps):
        for name, fn in (("query", query), ("scan", scan)):
            seconds, count = timed(fn)
            times[name].append(seconds)
            counts[name].add(count)
    result = {"event": "measure", "client": library, "records": args.records, "expected": want}
    for name in ("query", "scan"):
        median = statistics.median(times[name])
        result[name] = {"times_s": [round(t, 4) for t in times[name]], "median_s": round(median, 4),
                        "best_s": round(min(times[name]), 4), "returned": sorted(counts[name]),
                        "returned_per_s": round(want / median, 1)}
    result["scan"]["examined_per_s"] = round(args.records / result["scan"]["median_s"], 1)
    result["ratio"] = round(result["scan"]["median_s"] / result["query"]["median_s"], 1)
    emit(result)
    client.close()


# -- driver ---------------------------------------------------------------------------------------------

def run_section(records: int, reps: int, clients: list[str], pythons: dict, spikelite_python: str,
                loader_python: str | None = None,
                log=lambda text: print(text, file=sys.stderr, flush=True)) -> dict:
    """Start spikelite, load it, measure each client; returns {"load": ..., "results": [...]}.
    The loader (default: the official client's interpreter) needs spikelite and `aerospike`."""
    sys.path.insert(0, str(BENCH))
    from run import Child, run_worker
    server = Child("spikelite", [spikelite_python, "-m", "spikelite", "--port", "0"])
    out: dict = {"status": "ok", "records": records, "reps": reps, "results": [], "errors": {}}
    try:
        log("== sindex vs scan: loading %d records into spikelite on %s:%d"
            % (records, server.host, server.port))
        loader = loader_python or pythons.get("official") or pythons.get("purespike")
        objects, tail, rc = run_worker(loader, [
            "load", "--host", server.host, "--port", str(server.port), "--records", str(records)],
            timeout=1800, script=BENCH / "sindex_vs_scan.py")
        load = next((o for o in objects if o.get("event") == "load"), None)
        if load is None:
            raise RuntimeError("loading failed (exit %s): %s" % (rc, tail[-500:]))
        out["load"] = load
        log("   loaded in %.1f s, index built in %.1f s" % (load["load_s"], load["index_s"]))
        for client in clients:
            objects, tail, rc = run_worker(pythons[client], [
                "measure", "--host", server.host, "--port", str(server.port), "--records", str(records),
                "--reps", str(reps)], timeout=3600, script=BENCH / "sindex_vs_scan.py")
            result = next((o for o in objects if o.get("event") == "measure"), None)
            if result is None:
                out["errors"][client] = "exit %s: %s" % (rc, tail[-500:])
                log("   %s: error: %s" % (client, out["errors"][client]))
                continue
            out["results"].append(result)
            log("   %s: query %.4f s, scan %.4f s, ratio %.1f" % (
                client, result["query"]["median_s"], result["scan"]["median_s"], result["ratio"]))
    finally:
        server.stop()
    return out


def render(section: dict) -> str:
    lines = ["", "Secondary index vs scan: %s records, index on a bin of %d values, 1 %% selected "
             "(%s records); median of %d runs" % ("{:,}".format(section["records"]), DISTINCT,
                                                   "{:,}".format(section["records"] // DISTINCT),
                                                   section["reps"])]
    header = "%-10s %-6s %10s %10s %14s %16s %8s" % (
        "client", "call", "median s", "best s", "returned rec/s", "examined rec/s", "ratio")
    lines += [header, "-" * len(header)]
    for r in section["results"]:
        for name in ("query", "scan"):
            part = r[name]
            examined = part.get("examined_per_s")
            wrong = "" if part["returned"] == [r["expected"]] else "  WRONG: returned %s" % part["returned"]
            lines.append("%-10s %-6s %10.4f %10.4f %14s %16s %8s%s" % (
                r["client"], name, part["median_s"], part["best_s"], "{:,.0f}".format(part["returned_per_s"]),
                "{:,.0f}".format(examined) if examined else "", "%.1fx" % r["ratio"] if name == "scan" else "",
                wrong))
    for client, why in section.get("errors", {}).items():
        lines.append("%-10s error: %s" % (client, why))
    load = section.get("load")
    if load:
        lines.append("(load: %s records pipelined in %.1f s, index built in %.1f s)"
                     % ("{:,}".format(load["records"]), load["load_s"], load["index_s"]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    for name in ("load", "measure"):
        p = sub.add_parser(name)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--records", type=int, default=1_000_000)
        p.add_argument("--reps", type=int, default=5)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--clients", default="official,purespike")
    parser.add_argument("--out", default=str(BENCH / "results"))
    args = parser.parse_args(argv)
    if args.command == "load":
        cmd_load(args)
        return 0
    if args.command == "measure":
        cmd_measure(args)
        return 0
    venvs = {"official": ROOT / ".venvs/official/bin/python", "purespike": ROOT / ".venvs/purespike/bin/python"}
    clients = [c for c in args.clients.split(",") if c]
    pythons = {c: str(venvs[c]) for c in clients if venvs.get(c) and venvs[c].exists()}
    spikelite_python = pythons.get("official") or pythons.get("purespike") or sys.executable
    section = run_section(args.records, args.reps, [c for c in clients if c in pythons], pythons, spikelite_python)
    print(render(section))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sindex_vs_scan.json").write_text(json.dumps(section, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
