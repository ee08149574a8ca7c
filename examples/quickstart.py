"""Quickstart: run spikelite and talk to it with the Aerospike Python client.

    python examples/quickstart.py

What it does:
  1. starts spikelite as a child process on a free port
     (``python -m spikelite --port 0`` prints ``spikelite listening on HOST:PORT``),
  2. connects with ``aerospike.client`` exactly as it would to a real node,
  3. writes, reads, operates on and removes a record, printing each result,
  4. stops the server.
"""

import subprocess
import sys

import aerospike
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op


def start_spikelite():
    """Start ``python -m spikelite`` and return (process, host, port)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "spikelite", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    # The server prints one line once it accepts connections.
    line = proc.stdout.readline().strip()
    prefix = "spikelite listening on "
    if not line.startswith(prefix):
        proc.kill()
        raise SystemExit(f"spikelite did not start (got {line!r})")
    host, _, port = line[len(prefix):].rpartition(":")
    return proc, host, int(port)


def main():
    proc, host, port = start_spikelite()
    print(f"spikelite is listening on {host}:{port}")
    try:
        # The client connects when it is constructed.
        client = aerospike.client({"hosts": [(host, port)]})
        try:
            # A key is (namespace, set, user key). Without a config file
            # spikelite serves one in-memory namespace: "test".
            key = ("test", "demo", "user:1")

            client.put(key, {"name": "Ada", "visits": 1, "tags": ["math"]})
            _, meta, bins = client.get(key)
            print("get     ->", bins, "| generation", meta["gen"])

            # Several operations on one record, applied atomically.
            _, meta, bins = client.operate(
                key,
                [
                    op.increment("visits", 1),
                    op.write("lang", "en"),
                    op.read("visits"),
                ],
            )
            print("operate ->", bins, "| generation", meta["gen"])

            # Only some bins.
            _, _, bins = client.select(key, ["name", "lang"])
            print("select  ->", bins)

            client.remove(key)
            try:
                client.get(key)
            except ex.RecordNotFound:
                print("remove  -> record is gone")
        finally:
            client.close()
    finally:
        # SIGTERM makes spikelite shut down cleanly.
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    print("spikelite stopped")


if __name__ == "__main__":
    main()
