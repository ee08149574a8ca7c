"""Start and stop real Aerospike CE nodes (``../shared/aerospike-ce``) for the real-node passes.

The binary is not part of the project: it lives in ``shared/aerospike-ce`` beside the clone (CI has
it, a fresh clone alone does not). Everything here is loopback only, on free ports.

Command line (used by ``./dev test``)::

    python tests/realnode/launch.py available          # exit 0 when run-node exists, else 1
    python tests/realnode/launch.py start DIR [--nodes N] [--replication-factor RF]
                                        # prints "HOST:PORT" of the first node; pids go to DIR/pids
    python tests/realnode/launch.py stop DIR            # stops every node started in DIR

From Python, ``Cluster`` starts N nodes as one cluster and can kill and restart single nodes (the
three-node fault pass uses it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
TEMPLATE = HERE / "node.conf.in"
#: Overridable for a shared/ kept elsewhere.
SHARED_DIR = Path(os.environ.get("AEROSPIKE_CE_DIR", REPO_ROOT.parent / "shared" / "aerospike-ce"))
RUN_NODE = SHARED_DIR / "run-node"
STOP_GRACE_S = 15.0


def available() -> bool:
    """True when the real node can be started here."""
    return RUN_NODE.is_file() and os.access(RUN_NODE, os.X_OK) and (SHARED_DIR / "asd").is_file()


def _ports_free(base: int) -> bool:
    for port in (base, base + 1, base + 2):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port_triple(avoid: set[int] | None = None) -> int:
    """A port P with P, P+1 (fabric) and P+2 (heartbeat) free on loopback."""
    avoid = avoid or set()
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + 2 < 65536 and not avoid & {base, base + 1, base + 2} and _ports_free(base):
            return base
    raise RuntimeError("no three consecutive free ports on 127.0.0.1")


def info(port: int, command: str, timeout: float = 2.0) -> str:
    """One info request to 127.0.0.1:port; the reply's text without the trailing newline."""
    req = (command + "\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(((2 << 56) | (1 << 48) | len(req)).to_bytes(8, "big") + req)
        header = b""
        while len(header) < 8:
            chunk = s.recv(8 - len(header))
            if not chunk:
                raise ConnectionError("connection closed")
            header += chunk
        size = int.from_bytes(header, "big") & 0xFFFFFFFFFFFF
        body = b""
        while len(body) < size:
            chunk = s.recv(size - len(body))
            if not chunk:
                raise ConnectionError("connection closed")
            body += chunk
    text = body.decode("utf-8", "replace")
    name, _, value = text.partition("\t")
    return value.rstrip("\n") if name == command else text.rstrip("\n")


class Node:
    def __init__(self, workdir: Path, port: int, pid: int):
        self.workdir = workdir
        self.port = port
        self.pid = pid

    @property
    def host(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def alive(self) -> bool:
        """True while the process runs (a zombie left for a parent that never reaps is dead)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            return True
        return stat.rpartition(")")[2].split()[0] != "Z"

    def stop(self, sig: int = signal.SIGTERM, grace: float = STOP_GRACE_S) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while self.alive() and time.monotonic() < deadline:
            _reap(self.pid)
            time.sleep(0.05)
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while self.alive() and time.monotonic() < deadline:
                _reap(self.pid)
                time.sleep(0.05)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _render_template(workdir: Path, replication_factor: int) -> Path:
    text = TEMPLATE.read_text()
    text = text.replace("replication-factor 1", f"replication-factor {replication_factor}")
    path = workdir / "node.conf.in"
    path.write_text(text)
    return path


def start_node(workdir: Path, port: int, seeds: list[int] = (), replication_factor: int = 1) -> Node:
    """Start one node (joining the nodes on `seeds`) and return once run-node says it serves."""
    if not available():
        raise RuntimeError(f"no real node here: {RUN_NODE} is missing")
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ASD_CONF_TEMPLATE=str(_render_template(workdir, replication_factor)))
    out = subprocess.run(
        [str(RUN_NODE), str(workdir), str(port), *[str(s) for s in seeds]],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90,
    )
    if out.returncode != 0:
        raise RuntimeError(f"run-node failed on port {port}: {out.stderr.strip() or out.stdout.strip()}")
    pid = int(out.stdout.split()[0])
    return Node(workdir, port, pid)


def wait_cluster_size(port: int, size: int, timeout: float = 60.0) -> None:
    """Wait until the node on `port` reports a stable cluster of `size` nodes."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = info(port, f"cluster-stable:size={size};ignore-migrations=true")
            if last and not last.startswith("ERROR"):
                return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"cluster on port {port} not stable at size {size}: {last}")


class Cluster:
    """N real nodes on loopback forming one cluster."""

    def __init__(self, workdir: Path, nodes: int = 1, replication_factor: int = 1):
        self.workdir = Path(workdir)
        self.replication_factor = replication_factor
        self.nodes: list[Node] = []
        used: set[int] = set()
        try:
            for i in range(nodes):
                port = free_port_triple(used)
                used.update({port, port + 1, port + 2})
                seeds = [n.port for n in self.nodes if n.alive()]
                self.nodes.append(start_node(self.workdir / f"node{i}", port, seeds, replication_factor))
            if nodes > 1:
                wait_cluster_size(self.nodes[0].port, nodes)
        except BaseException:
            self.stop()
            raise

    @property
    def hosts(self) -> list[tuple[str, int]]:
        return [n.host for n in self.nodes]

    def restart(self, index: int) -> Node:
        """Start node `index` again (same port and directory) after it was stopped or killed."""
        old = self.nodes[index]
        seeds = [n.port for n in self.nodes if n is not old and n.alive()]
        node = start_node(old.workdir, old.port, seeds, self.replication_factor)
        self.nodes[index] = node
        return node

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _cmd_start(args) -> int:
    workdir = Path(args.dir)
    if workdir.exists():
        shutil.rmtree(workdir)
    cluster = Cluster(workdir, args.nodes, args.replication_factor)
    (workdir / "pids").write_text("\n".join(str(n.pid) for n in cluster.nodes) + "\n")
    print(f"127.0.0.1:{cluster.nodes[0].port}")
    return 0


def _cmd_stop(args) -> int:
    pids_file = Path(args.dir) / "pids"
    if not pids_file.exists():
        return 0
    for line in pids_file.read_text().split():
        Node(Path(args.dir), 0, int(line)).stop()
    pids_file.unlink()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("available")
    p_start = sub.add_parser("start")
    p_start.add_argument("dir", nargs="?", default=None)
    p_start.add_argument("--nodes", type=int, default=1)
    p_start.add_argument("--replication-factor", type=int, default=1)
    p_stop = sub.add_parser("stop")
    p_stop.add_argument("dir")
    args = parser.parse_args(argv)
    if args.cmd == "available":
        return 0 if available() else 1
    if args.cmd == "start":
        if args.dir is None:
            args.dir = tempfile.mkdtemp(prefix="realnode-")
        return _cmd_start(args)
    return _cmd_stop(args)


if __name__ == "__main__":
    sys.exit(main())
