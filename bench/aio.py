"""The asyncio benchmark: purespike's `aerospike.aio` with 1, 16, 64 and 256 gets in flight, next
to the official client's single-thread sync gets against the same server in the same run.

    python bench/aio.py compare --host H --port P          # both sides, a table and the ratio
    python bench/aio.py aio --host H --port P --inflight 1,16,64,256   # one side (JSON lines)
    python bench/aio.py sync --host H --port P              # the other side (any `aerospike`)

`compare` runs each side in its own venv (`--official-python`, `--purespike-python`; defaults
.venvs/official and .venvs/purespike), loads the key space first (`--keys` records of 2 small
bins in test/bench_small, the get workload's records of bench/workloads.py) and prints the
aio ops/s at each depth with its ratio to the official single-thread figure. The target of
issue 15 is a ratio of at least 2 at 64 in flight against a real node. `./dev bench` runs it
(bench/run.py; `--no-aio` leaves it out) against each data server of the run: spikelite and the
real node bench/run.py starts when ../shared/aerospike-ce is there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from workloads import NAMESPACE, SET_SMALL, small_bins  # noqa: E402

DEPTHS = (1, 16, 64, 256)
POLICIES = {"read": {"total_timeout": 10000}, "write": {"total_timeout": 10000}}


def _emit(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def _keys(count: int) -> list:
    return [(NAMESPACE, SET_SMALL, "k%d" % i) for i in range(count)]  # the keys of worker.keys_of


# -- the aio side (purespike venv) ------------------------------------------------------------------

async def _aio_main(args) -> None:
    import aerospike.aio

    config = {"hosts": [(args.host, args.port)], "policies": POLICIES, "max_conns_per_node": 300}
    async with aerospike.aio.client(config) as client:
        keys = _keys(args.keys)
        if args.load:
            sem = asyncio.Semaphore(64)

            async def put(i: int) -> None:
                async with sem:
                    await client.put(keys[i], small_bins(i))

            await asyncio.gather(*(put(i) for i in range(len(keys))))
        for depth in args.inflight:
            _emit(await _aio_cell(client, keys, depth, args.duration))


async def _aio_cell(client, keys: list, depth: int, duration: float) -> dict:
    n = len(keys)
    counts = [0] * depth
    errors = [0]
    await client.get(keys[0])  # warm: one connection open, the path imported
    stop_at = time.perf_counter() + duration

    async def worker(slot: int) -> None:
        rng = random.Random(slot)
        get = client.get
        while time.perf_counter() < stop_at:
            try:
                await get(keys[rng.randrange(n)])
            except Exception:
                errors[0] += 1
            counts[slot] += 1

    began, cpu_began = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(slot) for slot in range(depth)))
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    ops = sum(counts)
    return {"event": "cell", "side": "aio", "inflight": depth, "ops": ops, "seconds": round(elapsed, 3),
            "ops_per_s": round(ops / elapsed, 1), "cpu_us_per_op": round(cpu / max(1, ops) * 1e6, 1),
            "errors": errors[0],
            "sockets": client.open_connections()}


def cmd_aio(args) -> None:
    new_loop = asyncio.new_event_loop
    if args.loop != "asyncio":
        try:
            import uvloop  # type: ignore[import-not-found]
        except ImportError:
            if args.loop == "uvloop":
                raise
        else:
            new_loop = uvloop.new_event_loop
    loop = new_loop()
    _emit({"event": "loop", "loop": "uvloop" if new_loop is not asyncio.new_event_loop else "asyncio"})
    try:
        loop.run_until_complete(_aio_main(args))
    finally:
        loop.close()


# -- the sync side (any aerospike: the official venv) ---------------------------------------------

def cmd_sync(args) -> None:
    import aerospike

    client = aerospike.client({"hosts": [(args.host, args.port)], "policies": POLICIES})
    keys = _keys(args.keys)
    n = len(keys)
    rng = random.Random(1)
    client.get(keys[0])
    ops = errors = 0
    began, cpu_began = time.perf_counter(), time.process_time()
    stop_at = began + args.duration
    get = client.get
    while time.perf_counter() < stop_at:
        try:
            get(keys[rng.randrange(n)])
        except Exception:
            errors += 1
        ops += 1
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    client.close()
    _emit({"event": "cell", "side": "sync", "threads": 1, "ops": ops, "seconds": round(elapsed, 3),
           "ops_per_s": round(ops / elapsed, 1), "cpu_us_per_op": round(cpu / max(1, ops) * 1e6, 1), "errors": errors, "library": aerospike.__name__,
           "purespike": bool(getattr(aerospike, "__purespike__", False))})


# -- both, side by side -----------------------------------------------------------------------------

def _run(python: str, argv: list[str], timeout: float) -> list[dict]:
    proc = subprocess.run([python, str(Path(__file__).resolve()), *argv], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    objects = []
    for line in proc.stdout.splitlines():
        try:
            objects.append(json.loads(line))
        except ValueError:
            continue
    if proc.returncode != 0:
        raise RuntimeError("%s %s failed: %s" % (python, argv[0], (proc.stderr.strip().splitlines() or ["?"])[-1]))
    return objects


def compare(host: str, port: int, official_python: str, purespike_python: str, duration: float = 3.0,
            keys: int = 10000, depths=DEPTHS, load: bool = True, loop: str = "auto") -> dict:
    """{"official_sync": cell, "aio": [cells], "ratio_at_64": float | None, "loop": name}."""
    common = ["--host", host, "--port", str(port), "--duration", str(duration), "--keys", str(keys)]
    aio_argv = ["aio", *common, "--inflight", ",".join(map(str, depths)), "--loop", loop]
    if load:
        aio_argv.append("--load")
    timeout = 300 + duration * (len(depths) + 2)
    aio_objects = _run(purespike_python, aio_argv, timeout)
    sync_objects = _run(official_python, ["sync", *common], timeout)  # after the load: same records
    aio_cells = [o for o in aio_objects if o.get("event") == "cell"]
    loop_name = next((o["loop"] for o in aio_objects if o.get("event") == "loop"), "asyncio")
    sync_cell = next(o for o in sync_objects if o.get("event") == "cell")
    at_64 = next((c for c in aio_cells if c["inflight"] == 64), None)
    ratio = round(at_64["ops_per_s"] / sync_cell["ops_per_s"], 2) if at_64 and sync_cell["ops_per_s"] else None
    return {"official_sync": sync_cell, "aio": aio_cells, "ratio_at_64": ratio, "loop": loop_name}


def render(server: str, result: dict) -> str:
    sync = result["official_sync"]
    lines = ["aio gets (%s loop) against %s; official sync, 1 thread: %.0f ops/s (%s us CPU per get)"
             % (result["loop"], server, sync["ops_per_s"], sync.get("cpu_us_per_op", "?"))]
    for cell in result["aio"]:
        lines.append("  %4d in flight: %9.0f ops/s  (%.2fx official sync; %s us CPU per get; %d sockets, %d errors)"
                     % (cell["inflight"], cell["ops_per_s"], cell["ops_per_s"] / max(1.0, sync["ops_per_s"]),
                        cell.get("cpu_us_per_op", "?"), cell["sockets"], cell["errors"]))
    return "\n".join(lines)


def section(args, servers: dict, log=print) -> dict:
    """The aio section of ./dev bench (bench/run.py): `compare` against each data server of the
    run (`servers`: name -> the driver's server object with .host/.port, already loaded: spikelite,
    the real node "aerospike", an external "server"). {name: result or error}."""
    duration = min(args.duration, 1.0) if args.quick else args.duration
    depths = (1, 64) if args.quick else DEPTHS
    official = args.pythons.get("official")
    purespike = args.pythons.get("purespike")
    out: dict = {}
    for name in ("aerospike", "server", "spikelite"):
        server = servers.get(name)
        if server is None:
            continue
        try:
            result = compare(server.host, server.port, official, purespike, duration, args.keys, depths, False)
        except Exception as exc:  # a missing venv, a failed worker: the section says so
            out[name] = {"status": "error", "reason": str(exc)}
            log("   aio vs %s: %s" % (name, exc))
            continue
        out[name] = dict(result, status="ok")
        for line in render(name, result).splitlines():
            log("   " + line)
    return out


def cmd_compare(args) -> None:
    result = compare(args.host, args.port, args.official_python, args.purespike_python, args.duration, args.keys,
                     args.inflight, not args.no_load, args.loop)
    print(render("%s:%d" % (args.host, args.port), result))
    print(json.dumps(result))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("aio", "sync", "compare"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per cell")
    parser.add_argument("--keys", type=int, default=10000)
    parser.add_argument("--inflight", default=",".join(map(str, DEPTHS)),
                        type=lambda text: [int(x) for x in text.split(",")])
    parser.add_argument("--load", action="store_true", help="(aio) put the key space first")
    parser.add_argument("--no-load", action="store_true", help="(compare) the key space is there already")
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto",
                        help="auto: uvloop when installed")
    parser.add_argument("--official-python", default=str(ROOT / ".venvs/official/bin/python"))
    parser.add_argument("--purespike-python", default=str(ROOT / ".venvs/purespike/bin/python"))
    args = parser.parse_args(argv)
    {"aio": cmd_aio, "sync": cmd_sync, "compare": cmd_compare}[args.mode](args)


if __name__ == "__main__":
    main()
