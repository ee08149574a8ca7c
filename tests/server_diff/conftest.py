"""Fixtures of the differential server test: a real Aerospike CE 8.1.2 node and spikelite side by
side, each reached through a raw wire connection.

The real node comes from ``tests/realnode/launch.py`` (``../shared/aerospike-ce`` beside the clone);
``SPIKELITE_DIFF_NODE=host:port`` points at a node already running instead. Without either the
whole directory is skipped (``./dev test`` then prints one skip line and does not run it)."""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from pathlib import Path

import pytest

import spikelite
from spikelite.config import load_config

from .harness import Pair
from .wireconn import WireConn

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "realnode"))
import launch  # noqa: E402  (tests/realnode/launch.py)

CONFIG = REPO_ROOT / "tests" / "spikelite.conf"


@pytest.fixture(scope="session")
def real_node():
    override = os.environ.get("SPIKELITE_DIFF_NODE", "").strip()
    if override:
        host, _, port = override.rpartition(":")
        yield host, int(port)
        return
    if not launch.available():
        pytest.skip("no real Aerospike node (../shared/aerospike-ce/run-node): differential test not run")
    workdir = tempfile.mkdtemp(prefix="server-diff-")
    cluster = launch.Cluster(Path(workdir) / "node")
    try:
        yield cluster.hosts[0]
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def lite_server():
    server = spikelite.start(load_config(CONFIG))
    yield server.host, server.port
    server.stop()


_sets = itertools.count()


@pytest.fixture(scope="session")
def pair(real_node, lite_server):
    """Connections to both servers; requests go to each and the replies are compared."""
    real, lite = WireConn(*real_node), WireConn(*lite_server)
    yield Pair(real, lite)
    real.close()
    lite.close()
