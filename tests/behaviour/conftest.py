"""Fixtures for the behaviour suite.

These tests are the oracle for "behaves like the official Aerospike Python
client talking to a real Aerospike node". They import only ``aerospike``,
``aerospike_helpers``, pytest and the standard library, so they run unchanged
against the official client (C extension) and against purespike.

Every test gets its own set name, so tests never see each other's records.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import time
from pathlib import Path

import aerospike
import pytest

from faultproxy import FaultProxy
from spikelite_only import reason_for

# PURESPIKE_AIO_TWIN=1 (purespike): every test runs through aerospike.aio (see aio_twin.py).
if os.environ.get("PURESPIKE_AIO_TWIN", "").strip() == "1":
    import aio_twin

    aio_twin.install()

#: Set by ./dev test's real-node passes: the server under test is a real Aerospike node.
SERVER_KIND_ENV = "SPIKELITE_SERVER_KIND"

NAMESPACE = "test"
# Namespace with default-ttl 1h whose set ``short`` has default-ttl 2 s
# (see tests/spikelite.conf).
TTL_NAMESPACE = "ttl"

# Set names may have up to 63 bytes; unique names stay well below that so
# tests can derive a second set name by appending a short suffix.
UNIQUE_SET_NAME_LEN = 48

# Distinguishes runs, so repeated sessions against one long-lived server
# (SPIKELITE_HOST_PORT) do not find each other's records.
_SESSION_TAG = secrets.token_hex(2)
_set_counter = itertools.count(1)


def pytest_configure(config):
    # The official 19.x client flags meta["ttl"], the meta argument of remove(),
    # string append/prepend helpers and touch(ttl) helpers as deprecated; they still work and are
    # part of the behaviour under test.
    config.addinivalue_line("filterwarnings", "ignore:.*deprecated.*:DeprecationWarning")
    config.addinivalue_line("filterwarnings", "ignore:TTL should be specified:DeprecationWarning")


def real_node() -> bool:
    """True when the suite runs against a real Aerospike node (the real-node passes)."""
    return os.environ.get(SERVER_KIND_ENV, "").strip() == "aerospike"


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PURESPIKE_AIO_TWIN", "").strip() == "1":
        kept = [item for item in items if not aio_twin.reason_for(item.nodeid)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in kept])
            print(f"\naio twin: {len(items) - len(kept)} tests deselected (aio_twin.DIFFERENCES says why)")
            items[:] = kept
    if not real_node():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if reason_for(item.nodeid) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        print(f"\nreal node: {len(dropped)} spikelite-only tests deselected "
              "(tests/behaviour/spikelite_only.py says why)")


@pytest.fixture(scope="session")
def client(spikelite_server):
    """One official-API client for the whole session (it connects in the constructor)."""
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def ns():
    return NAMESPACE


@pytest.fixture
def ttl_ns():
    return TTL_NAMESPACE


def unique_set_name(test_name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", test_name).strip("_")
    name = f"s{_SESSION_TAG}_{next(_set_counter)}_{cleaned}"
    return name[:UNIQUE_SET_NAME_LEN]


@pytest.fixture
def set_name(request):
    """A set name no other test uses (at most 48 characters, so that
    ``set_name + "_suffix"`` stays within Aerospike's 63-byte limit)."""
    return unique_set_name(request.node.name)


@pytest.fixture
def key(ns, set_name):
    """``key(k)`` -> ``(ns, set_name, k)``; ``key(k, set_=..., ns_=...)`` overrides parts."""

    def make(k, set_=None, ns_=None):
        return (ns_ or ns, set_ or set_name, k)

    return make


@pytest.fixture
def eventually():
    """``eventually(predicate, timeout=5.0)``: poll until predicate() is truthy.

    Real Aerospike applies some things asynchronously (truncation of set
    statistics, expiry by time). Returns the last predicate value and fails
    the test if it never became truthy.
    """

    def wait(predicate, timeout=5.0, interval=0.05, message="condition never became true"):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                pytest.fail(f"{message} (waited {timeout} s)")
            time.sleep(interval)

    return wait


@pytest.fixture(scope="module")
def node_address():
    """(host, port) of a node nobody else uses (the fault tests): a spikelite child of the module,
    or SPIKELITE_HOST_PORT."""
    override = os.environ.get("SPIKELITE_HOST_PORT", "").strip()
    if override:
        host, _, port = override.rpartition(":")
        yield host.strip("[]"), int(port)
        return
    import spikelite
    with spikelite.spawn(config=str(Path(__file__).resolve().parent.parent / "spikelite.conf")) as child:
        yield child.hosts[0]


@pytest.fixture
def proxy(node_address):
    """A fresh FaultProxy in front of `node_address` for one test."""
    with FaultProxy(node_address) as p:
        yield p
