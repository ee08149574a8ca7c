"""purespike under threads, forks, faults and long runs (the official client's known weak spots).

A spikelite child serves a fault proxy (tests/faultproxy.py) that delays and drops data
connections; the client under test talks only to the proxy.
"""

from __future__ import annotations

import gc
import os
import random
import threading
import time

import pytest

import aerospike
from aerospike import exception
from faultproxy import FaultProxy

from .harness import ServerProcess, memory_config

NS, SET = "test", "clientfaults"
#: 100,000 in `./dev soak`; 20,000 (about 17 s) in the CI pass.
CALLS = int(os.environ.get("PURESPIKE_LEAK_CALLS", "20000"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("clientfaults")
    with ServerProcess(memory_config(workdir / "c.conf"), workdir) as srv:
        yield srv


@pytest.fixture
def proxy(server):
    with FaultProxy(server.address) as p:
        yield p


def own_sockets() -> int:
    """Sockets open in this process."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink("/proc/self/fd/%s" % fd).startswith("socket:"):
                count += 1
        except OSError:
            pass
    return count


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tend_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "aerospike-tend" and t.is_alive())


def client_for(address, **policies):
    return aerospike.client({"hosts": [address], "policies": policies}).connect()


def test_sixteen_threads_through_faults_never_get_another_calls_reply(proxy):
    client = client_for(proxy.address, total_timeout=150, socket_timeout=150, max_retries=0)
    stop = threading.Event()
    mismatches, oks, errors = [], [0] * 16, [0] * 16

    def worker(n: int) -> None:
        rng = random.Random(n)
        while not stop.is_set():
            key = (NS, SET, "t%d-%d" % (n, rng.randrange(50)))
            stamp = rng.randrange(1 << 40)
            try:
                client.put(key, {"owner": n, "key": key[2], "stamp": stamp})
                got_key, _, bins = client.get(key)
            except exception.AerospikeError:
                errors[n] += 1
                continue
            # Another call's reply would name another key, owner or stamp. (A concurrent writer of
            # the same key does not exist: keys are per thread.)
            if bins != {"owner": n, "key": key[2], "stamp": stamp} or got_key[3] != aerospike.calc_digest(NS, SET, key[2]):
                mismatches.append((key, bins))
            oks[n] += 1

    def chaos() -> None:
        rng = random.Random(99)
        while not stop.is_set():
            action = rng.randrange(3)
            if action == 0:  # replies late: past the 150 ms deadline, the reply must be thrown away
                proxy.delay_ms, proxy.delay_count = rng.choice([100, 200, 400]), rng.randrange(1, 5)
            elif action == 1:
                proxy.drop_next_data_requests = rng.randrange(1, 4)
            time.sleep(rng.uniform(0.02, 0.2))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)] + [threading.Thread(target=chaos)]
    for t in threads:
        t.start()
    time.sleep(12)
    stop.set()
    for t in threads:
        t.join(30)
    client.close()
    assert mismatches == []
    assert min(oks) > 0, oks
    assert sum(errors) > 0, "the faults never hit a call"


def test_a_forked_child_uses_the_client_and_the_parent_is_unaffected(server):
    client = client_for(server.address)
    for i in range(20):
        client.put((NS, SET, "f%d" % i), {"v": i})
    stop = threading.Event()
    parent_problems = []

    def parent_traffic() -> None:  # the parent keeps its pooled sockets busy across the fork
        while not stop.is_set():
            for i in range(20):
                if client.get((NS, SET, "f%d" % i))[2] != {"v": i}:
                    parent_problems.append(i)

    busy = [threading.Thread(target=parent_traffic) for _ in range(4)]
    for t in busy:
        t.start()
    time.sleep(0.2)
    children = []
    for n in range(3):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: use the inherited client at once, then close and connect again
            os.close(read_end)
            status = b"ok"
            try:
                for i in range(20):
                    assert client.get((NS, SET, "f%d" % i))[2] == {"v": i}
                client.put((NS, SET, "child%d" % n), {"pid": os.getpid()})
                assert tend_threads() == 1
                client.close()
                client.connect()
                assert client.get((NS, SET, "child%d" % n))[2] == {"pid": os.getpid()}
                client.close()
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                status = repr(exc).encode()
            os.write(write_end, status)
            os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as f:
            assert f.read() == b"ok"
        assert os.waitpid(pid, 0)[1] == 0
    time.sleep(0.2)
    stop.set()
    for t in busy:
        t.join(30)
    assert parent_problems == []
    assert client.get((NS, SET, "child0"))[2]["pid"] != os.getpid()
    client.close()


def test_sockets_and_memory_stay_flat_over_many_calls_with_timeouts_and_errors(proxy):
    client = client_for(proxy.address, total_timeout=1000, max_retries=0)
    rng = random.Random(5)
    outcomes = {"ok": 0, "not_found": 0, "timeout": 0, "other_error": 0}
    marks = {}
    for i in range(CALLS):
        choice = rng.random()
        try:
            if choice < 0.003:  # a timeout: the reply comes after the deadline
                proxy.delay_ms, proxy.delay_count = 60, 1
                client.get((NS, SET, "leak"), {"total_timeout": 20})
            elif choice < 0.006:
                proxy.drop_next_data_requests = 1
                client.put((NS, SET, "leak"), {"i": i})
            elif choice < 0.35:
                client.get((NS, SET, "absent%d" % (i % 1000)))
            elif choice < 0.4:
                client.put((NS, SET, "leak"), {"i": i}, meta={"gen": 1},
                           policy={"gen": aerospike.POLICY_GEN_EQ})
            else:
                client.put((NS, SET, "leak%d" % (i % 500)), {"i": i})
            outcomes["ok"] += 1
        except exception.RecordNotFound:
            outcomes["not_found"] += 1
        except exception.TimeoutError:
            outcomes["timeout"] += 1
        except exception.AerospikeError:
            outcomes["other_error"] += 1
        if i + 1 in (CALLS // 10, CALLS):
            gc.collect()
            marks[i + 1] = (own_sockets(), rss_kb())
    client.close()
    (sockets_early, rss_early), (sockets_end, rss_end) = marks[CALLS // 10], marks[CALLS]
    print("calls", CALLS, outcomes, "sockets", sockets_early, sockets_end, "rss kB", rss_early, rss_end)
    assert outcomes["timeout"] > 0 and outcomes["not_found"] > 0 and outcomes["other_error"] > 0, outcomes
    assert sockets_end <= sockets_early + 2
    assert rss_end - rss_early < 8 * 1024, (rss_early, rss_end)


def test_close_releases_every_socket_and_thread(server):
    # Straight to the server (a process of its own): every socket of this process is the client's.
    before_sockets, before_threads, server_fds = own_sockets(), tend_threads(), server.open_fds()
    clients = []
    for _ in range(3):
        client = client_for(server.address)
        workers = [threading.Thread(target=lambda c=client: [c.put((NS, SET, "c%d" % k), {"k": k}) for k in range(50)])
                   for _ in range(8)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        clients.append(client)
    assert own_sockets() > before_sockets
    assert tend_threads() == before_threads + 3
    for client in clients:
        client.close()
    assert tend_threads() == before_threads
    assert own_sockets() == before_sockets
    deadline = time.monotonic() + 5
    while server.open_fds() > server_fds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.open_fds() == server_fds
