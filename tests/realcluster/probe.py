"""Short looks at a real cluster through one client: run with a venv's python (official or purespike).

    python probe.py PROBE SEED_PORT [ARG]

prints one JSON object. Probes:

- ``info``: node order, and the answers (or exception class, code, message) of info_all,
  info_random_node and info_single_node for cluster-stable and enterprise-only commands;
- ``pool``: the node list sampled for 2 s after connecting (tends must not drop a live node);
- ``rack``: with ``rack_aware`` and replica PREFER_RACK (CE nodes have no racks), which node served
  each of 200 reads, by the nodes' own ``client_read_success`` counters;
- ``failover PID``: with the partition map of the whole cluster, SIGKILL the node PID, then at
  once batch-read 200 keys with ``max_retries`` 1 (the rows of the dead node are read again from
  their replicas) and a single get of each key;
- ``map`` (purespike only): partitions whose owner in purespike's map (master and replica) differs
  from what each node claims in its ``replicas`` answer.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import time
from pathlib import Path

import aerospike

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "realnode"))
import launch  # noqa: E402

NS = "test"
INFO_COMMANDS = ["cluster-stable:size=3;ignore-migrations=true", "cluster-stable:size=2", "cluster-stable",
                 "racks:", "rack-ids"]


def outcome(call):
    try:
        value = call()
    except aerospike.exception.AerospikeError as exc:
        # The official client's messages end with the node that answered; so do purespike's.
        return {"raised": type(exc).__name__, "code": exc.code, "msg": exc.msg}
    return {"value": value}


def probe_info(client) -> dict:
    names = client.get_node_names()
    first = names[0]["node_name"]
    result = {"order": [(n["address"], n["port"]) for n in names]}
    for command in INFO_COMMANDS:
        result[command] = {
            "all": outcome(lambda: sorted(client.info_all(command).items())),
            "single": outcome(lambda: client.info_single_node(command, first)),
        }
        random_answer = outcome(lambda: client.info_random_node(command))
        if "msg" in random_answer:  # which node answered is random
            random_answer["msg"] = re.sub(r" from \S+$", "", random_answer["msg"])
        result[command]["random"] = random_answer
    return result


def probe_pool(client) -> dict:
    counts = []
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        counts.append(len(client.get_nodes()))
        time.sleep(0.02)
    return {"counts": sorted(set(counts)), "first": list(client.get_nodes()[0])}


def _owners(port: int) -> dict[int, list[int]]:
    """{replica index: [partition ids]} claimed by the node on `port`."""
    entry = [e for e in launch.info(port, "replicas").split(";") if e.startswith(NS + ":")][0]
    _, _, rest = entry.partition(":")
    parts = rest.split(",")
    owned = {}
    for index, text in enumerate(parts[2:2 + int(parts[1])]):
        bitmap = base64.b64decode(text)
        owned[index] = [pid for pid in range(4096) if bitmap[pid >> 3] & (0x80 >> (pid & 7))]
    return owned


def _reads_by_port(client) -> dict[int, int]:
    counts = {}
    for node in client.get_node_names():
        stats = dict(item.split("=", 1) for item in launch.info(node["port"], "namespace/" + NS).split(";")
                     if "=" in item)
        counts[node["port"]] = int(stats["client_read_success"])
    return counts


def probe_rack(client) -> dict:
    keys = [(NS, "rack_probe", i) for i in range(200)]
    for key in keys:
        client.put(key, {"a": 1})
    masters = {}
    for node in client.get_node_names():
        for pid in _owners(node["port"])[0]:
            masters[pid] = node["port"]
    expected: dict[int, int] = {}
    for key in keys:
        digest = aerospike.calc_digest(*key)
        pid = int.from_bytes(digest[:2], "little") & 4095
        expected[masters[pid]] = expected.get(masters[pid], 0) + 1
    before = _reads_by_port(client)
    policy = {"replica": aerospike.POLICY_REPLICA_PREFER_RACK}
    for key in keys:
        client.get(key, policy)
    after = _reads_by_port(client)
    return {"served": {str(p): after[p] - before[p] for p in after},
            "masters": {str(p): n for p, n in expected.items()}}


def probe_failover(client, pid: int) -> dict:
    import os
    import signal
    keys = [(NS, "failover_probe", i) for i in range(200)]
    for key in keys:
        client.put(key, {"a": 1})
    client.batch_read(keys)  # a pooled connection to every node
    os.kill(pid, signal.SIGKILL)
    batch = client.batch_read(keys, policy={"max_retries": 1, "sleep_between_retries": 0})
    gets = [outcome(lambda: client.get(key, {"max_retries": 1})[2]) for key in keys]
    return {"result": batch.result, "rows": sorted({r.result for r in batch.batch_records}),
            "gets": sorted({json.dumps(g) for g in gets})}


def probe_map(client) -> dict:
    cluster = client._cluster
    truth: dict[tuple[int, int], str] = {}
    for node in client.get_node_names():
        for index, pids in _owners(node["port"]).items():
            for pid in pids:
                truth[(index, pid)] = node["node_name"]
    table = cluster.partition_map.namespaces[NS]
    wrong = [(i, pid) for (i, pid), name in truth.items()
             if table.replicas[i][pid] is None or table.replicas[i][pid].name != name]
    return {"replicas": len(table.replicas), "checked": len(truth), "wrong": len(wrong)}


def main(probe: str, port: int, *args: str) -> int:
    config = {"hosts": [("127.0.0.1", port)]}
    if probe == "rack":
        config.update(rack_aware=True, rack_id=1)
    client = aerospike.client(config).connect()
    try:
        result = globals()["probe_" + probe](client, *[int(a) for a in args])
    finally:
        client.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:]))
