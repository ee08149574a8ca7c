"""Records of a persistent namespace come back, with the same metadata, after the server restarts.

Starts its own server (`python -m spikelite` on a `storage-engine device` config in a temporary
directory), kills it with SIGKILL and starts it again on the same data file. Skipped when the
suite points at an outside server (SPIKELITE_HOST_PORT).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import aerospike
import pytest
from aerospike import exception as ex
from aerospike import predicates

pytestmark = pytest.mark.skipif(bool(os.environ.get("SPIKELITE_HOST_PORT", "").strip()),
                                reason="starts its own server")

CONF = """
namespace durable {
    replication-factor 1
    nsup-period 1
    storage-engine device {
        file %s
        filesize 64M
    }
}
"""


class Child:
    def __init__(self, conf: str):
        self.process = subprocess.Popen([sys.executable, "-m", "spikelite", "--port", "0", "--config", conf],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        match = re.search(r"listening on (\S+):(\d+)", lines[0]) if lines else None
        if match is None:
            self.process.kill()
            raise RuntimeError("spikelite did not start: %s" % self.process.communicate()[1])
        self.hosts = [(match.group(1), int(match.group(2)))]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def conf(tmp_path):
    path = tmp_path / "durable.conf"
    path.write_text(CONF % (tmp_path / "durable.dat"))
    return str(path)


def test_records_come_back_with_their_meta_after_a_kill(conf):
    server = Child(conf)
    client = aerospike.client({"hosts": server.hosts}).connect()
    keys = [("durable", "people", "k%d" % i) for i in range(10)]
    try:
        for i, key in enumerate(keys):
            client.put(key, {"i": i, "s": "v%d" % i, "f": i / 2, "l": [i, "x", {"m": i}], "b": bytearray(b"\x00%c" % i)},
                       meta={"ttl": 1000 + i}, policy={"key": aerospike.POLICY_KEY_SEND})
        client.put(keys[0], {"i": 100})  # generation 2
        client.increment(keys[1], "i", 5)
        client.remove(keys[9])
        client.index_integer_create("durable", "people", "i", "people_i")
        before = {key[2]: client.get(key)[1:] for key in keys[:9]}
    finally:
        client.close()
    server.kill()

    server = Child(conf)
    client = aerospike.client({"hosts": server.hosts}).connect()
    try:
        for key in keys[:9]:
            (meta, bins), (old_meta, old_bins) = client.get(key)[1:], before[key[2]]
            assert bins == old_bins
            assert meta["gen"] == old_meta["gen"]
            assert old_meta["ttl"] - 5 <= meta["ttl"] <= old_meta["ttl"]
        assert client.get(keys[0])[1]["gen"] == 2 and client.get(keys[0])[2]["i"] == 100
        assert client.get(keys[1])[2]["i"] == 6
        with pytest.raises(ex.RecordNotFound):
            client.get(keys[9])
        # the stored keys and the secondary index came back too
        query = client.query("durable", "people")
        query.where(predicates.between("i", 2, 4))
        found = sorted(key[2] for key, _, _ in query.results())
        assert found == ["k2", "k3", "k4"]
    finally:
        client.close()
        server.stop()


def test_truncated_set_stays_empty_after_restart(conf):
    server = Child(conf)
    client = aerospike.client({"hosts": server.hosts}).connect()
    try:
        for i in range(5):
            client.put(("durable", "gone", i), {"i": i})
        time.sleep(0.002)  # truncate(..., 0) keeps a write of its own millisecond, as a real node
        client.truncate("durable", "gone", 0)
        time.sleep(0.01)
        client.put(("durable", "gone", "new"), {"i": 1})
    finally:
        client.close()
    server.kill()
    server = Child(conf)
    client = aerospike.client({"hosts": server.hosts}).connect()
    try:
        for i in range(5):
            with pytest.raises(ex.RecordNotFound):
                client.get(("durable", "gone", i))
        assert client.get(("durable", "gone", "new"))[2] == {"i": 1}
    finally:
        client.close()
        server.stop()
