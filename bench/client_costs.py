"""Client-side fixed costs: how long `import aerospike` takes in a fresh interpreter, and how many
record digests (RIPEMD-160) per second each implementation computes.

    python bench/client_costs.py [--reps N] [--seconds S] [--python CLIENT=PATH ...]

Run by `bench/run.py` (section "client costs"). Each figure comes from a child interpreter of the
client's venv, so nothing is imported twice:

- import: `import aerospike` timed inside the child (perf_counter around the import: wall time, and
  process_time: CPU time, which a busy machine disturbs less), the median and the best of `--reps`
  fresh children after one warm-up child (which writes the .pyc files, as a pip install would);
  purespike also with msgpack forced to its pure-Python fallback (`MSGPACK_PUREPYTHON=1`);
- digests/s: the digest of (set "demo", string key "user:<i>") as the client computes it, for
  hashlib's RIPEMD-160 (OpenSSL), pycryptodome's and spikewire's pure-Python one, and the official
  client's `aerospike.calc_digest`, each for `--seconds`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = {"official": ".venvs/official", "purespike": ".venvs/purespike"}

IMPORT_CODE = """
import time
c, t = time.process_time(), time.perf_counter()
import aerospike
print(time.perf_counter() - t, time.process_time() - c)
"""

#: Digest loops, each printing {"name": digests per second} for what is importable.
DIGEST_CODE = """
import json, sys, time
seconds = float(sys.argv[1])

def rate(one):
    n, start = 0, time.perf_counter()
    while True:
        for i in range(200):
            one(i)
        n += 200
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed

out = {}
if sys.argv[2] == "purespike":
    from spikewire import keys
    from spikewire.ripemd160 import RIPEMD160
    impls = {"pure-Python (spikewire.ripemd160)": RIPEMD160}
    hashlib_factory = keys._hashlib_ripemd160()
    if hashlib_factory:
        impls["hashlib (OpenSSL)"] = hashlib_factory
    crypto_factory = keys._pycryptodome_ripemd160()
    if crypto_factory:
        impls["pycryptodome"] = crypto_factory
    for name, factory in impls.items():
        def one(i, factory=factory):
            h = factory()
            h.update(b"demo")
            h.update(b"\\x03")
            h.update(b"user:%d" % i)
            h.digest()
        out[name] = rate(one)
else:
    import aerospike
    out["official calc_digest"] = rate(lambda i: aerospike.calc_digest("test", "demo", "user:%d" % i))
print(json.dumps(out))
"""


def _child(python: str, code: str, args: list[str] = (), env: dict | None = None) -> str:
    child_env = dict(os.environ, **(env or {}))
    # .pyc files are used as after a pip install (which compiles them), even if this shell says not
    # to write them: otherwise every child would time the compiler, not the import.
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run([python, "-c", code, *args], capture_output=True, text=True, timeout=300,
                          env=child_env)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1])
    return proc.stdout.strip()


def import_times(python: str, reps: int, env: dict | None = None) -> dict:
    _child(python, IMPORT_CODE, env=env)  # warm-up: .pyc files written
    runs = [[float(x) * 1000 for x in _child(python, IMPORT_CODE, env=env).split()] for _ in range(reps)]
    wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
    return {"median_ms": round(statistics.median(wall), 1), "best_ms": round(min(wall), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "reps": reps}


def measure(pythons: dict, reps: int, seconds: float) -> dict:
    """{"import": {row: {...}}, "digests_per_s": {implementation: rate}}; a client that cannot run
    gets {"error": why} instead of figures."""
    imports: dict = {}
    digests: dict = {}
    rows = [("official", "official", None), ("purespike", "purespike", None),
            ("purespike, MSGPACK_PUREPYTHON=1", "purespike", {"MSGPACK_PUREPYTHON": "1"})]
    for row, client, env in rows:
        python = pythons.get(client)
        if not python:
            continue
        try:
            imports[row] = import_times(python, reps, env)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            imports[row] = {"error": str(exc)}
    for client in ("purespike", "official"):
        python = pythons.get(client)
        if not python:
            continue
        try:
            digests.update(json.loads(_child(python, DIGEST_CODE, [str(seconds), client])))
        except (RuntimeError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
            digests[client] = {"error": str(exc)}
    return {"status": "ok", "import": imports, "digests_per_s": digests, "reps": reps, "seconds": seconds}


def render(section: dict) -> str:
    lines = ["", "client costs: import aerospike (fresh interpreter, ms; %d runs)" % section["reps"]]
    for row, fig in section["import"].items():
        if "error" in fig:
            lines.append("  %-34s unavailable: %s" % (row, fig["error"]))
        else:
            lines.append("  %-34s median %7.1f   best %7.1f   CPU median %7.1f"
                         % (row, fig["median_ms"], fig["best_ms"], fig["cpu_median_ms"]))
    lines.append("record digests per second (set + key, RIPEMD-160; %.1f s each)" % section["seconds"])
    for name, rate in section["digests_per_s"].items():
        if isinstance(rate, dict):
            lines.append("  %-34s unavailable: %s" % (name, rate["error"]))
        else:
            lines.append("  %-34s %12s" % (name, "{:,.0f}".format(rate)))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--python", action="append", default=[], metavar="CLIENT=PATH")
    args = parser.parse_args(argv)
    pythons = {c: str(ROOT / v / "bin" / "python") for c, v in DEFAULT_VENV.items()}
    for item in args.python:
        client, _, path = item.partition("=")
        pythons[client] = path
    pythons = {c: p for c, p in pythons.items() if os.path.exists(p)}
    section = measure(pythons, args.reps, args.seconds)
    print(render(section))
    return 0


if __name__ == "__main__":
    sys.exit(main())
