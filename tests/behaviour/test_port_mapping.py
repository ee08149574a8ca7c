"""spikelite behind a port mapping: a 2-node spikelite cluster whose nodes are reached only
through forwarded ports, told with `access-address`/`access-port` (as a real node behind NAT or a
container's port mapping). The client discovers both nodes by their mapped ports from one seed and
serves every key through them."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

import aerospike

CONFIG = (Path(__file__).resolve().parent.parent / "spikelite.conf").read_text()


class Forwarder:
    """Listens on a fixed loopback port and pipes each connection to `target`."""

    def __init__(self, listener: socket.socket, target: tuple[str, int]):
        self.listener, self.target = listener, target
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()


def _consecutive_listeners(count: int) -> list[socket.socket]:
    """`count` listening sockets on consecutive free loopback ports."""
    for _ in range(50):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
        probe.close()
        if base + count > 65535:
            continue
        listeners = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(("127.0.0.1", port))
                sock.listen(32)
                listeners.append(sock)
            return listeners
        except OSError:
            for sock in listeners:
                sock.close()
    raise RuntimeError("no %d consecutive free ports" % count)


@pytest.fixture(scope="module")
def mapped_cluster(tmp_path_factory):
    if os.environ.get("SPIKELITE_HOST_PORT"):
        pytest.fail("this test starts its own local cluster; unset SPIKELITE_HOST_PORT")
    import spikelite
    listeners = _consecutive_listeners(2)
    mapped = [sock.getsockname()[1] for sock in listeners]
    config = tmp_path_factory.mktemp("mapped") / "spikelite.conf"
    config.write_text(CONFIG + "\nnetwork {\n    service {\n        address 127.0.0.1\n        port 0\n"
                      "        access-address 127.0.0.1\n        access-port %d\n    }\n}\n" % mapped[0])
    with spikelite.spawn(config=str(config), nodes=2) as child:
        forwarders = [Forwarder(sock, host) for sock, host in zip(listeners, child.hosts)]
        yield mapped, child.hosts, forwarders
        for forwarder in forwarders:
            forwarder.close()


def test_client_reaches_every_node_through_the_mapped_ports(mapped_cluster):
    mapped, real_ports, forwarders = mapped_cluster
    client = aerospike.client({"hosts": [("127.0.0.1", mapped[0])]})
    try:
        ports = sorted(port for _, port in client.get_nodes())
        assert ports == mapped
        assert not set(ports) & {port for _, port in real_ports}
        for i in range(100):
            key = ("test", "mapped", i)
            client.put(key, {"v": i})
            assert client.get(key)[2] == {"v": i}
        assert all(forwarder.connections > 0 for forwarder in forwarders)
        assert len(client.info_all("build")) == 2
    finally:
        client.close()
