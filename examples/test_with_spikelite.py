"""Example: testing application code against spikelite with the spikelite pytest plugin.

    pip install spikelite purespike      # or spikelite and the official `aerospike`
    pytest examples/test_with_spikelite.py
    pytest examples/test_with_spikelite.py --aerospike-hosts 10.0.0.1:3000   # a real cluster

The plugin comes with spikelite; its fixtures are:

- ``spikelite_server``: one spikelite child process for the whole session (its ``.hosts``), or the
  cluster named by ``--aerospike-hosts`` (then nothing is started);
- ``aerospike_client``: an ``aerospike`` client connected to it, shared by the session;
- ``aerospike_cleanup``: hands out set names and truncates those sets when each test ends.

Namespace ``test`` (spikelite's default) is used here; ``--spikelite-config FILE`` or a
``spikelite_namespaces`` fixture in conftest.py chooses others.
"""

from __future__ import annotations

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op

from spikelite_pytest import SetTracker

NAMESPACE = "test"


# --- the application code under test ----------------------------------------------------------

def record_visit(client: aerospike.Client, set_name: str, user: str) -> int:
    """Count one visit of ``user``; returns the new count."""
    key = (NAMESPACE, set_name, user)
    _, _, bins = client.operate(key, [op.increment("visits", 1), op.read("visits")])
    visits = bins["visits"]
    assert isinstance(visits, int)
    return visits


def top_visitors(client: aerospike.Client, set_name: str, n: int) -> list[tuple[str, int]]:
    """The ``n`` users with most visits, most first (a scan; fine for small sets)."""
    counts: list[tuple[str, int]] = []
    for key, _, bins in client.query(NAMESPACE, set_name).results():
        user = key[2]  # stored with the record (POLICY_KEY_SEND), so the scan returns it
        if isinstance(user, str):
            counts.append((user, bins["visits"]))
    return sorted(counts, key=lambda item: (-item[1], item[0]))[:n]


# --- the tests --------------------------------------------------------------------------------

def test_visits_are_counted(aerospike_client: aerospike.Client, aerospike_cleanup: SetTracker) -> None:
    visitors = aerospike_cleanup.unique_set(NAMESPACE)  # truncated after the test
    assert record_visit(aerospike_client, visitors, "ada") == 1
    assert record_visit(aerospike_client, visitors, "ada") == 2
    assert record_visit(aerospike_client, visitors, "bob") == 1


def test_top_visitors(aerospike_client: aerospike.Client, aerospike_cleanup: SetTracker) -> None:
    visitors = aerospike_cleanup.unique_set(NAMESPACE)
    write_policy = {"key": aerospike.POLICY_KEY_SEND}  # store the user key so the scan returns it
    for user, visits in [("ada", 3), ("bob", 5), ("cy", 1)]:
        aerospike_client.put((NAMESPACE, visitors, user), {"visits": visits}, policy=write_policy)
    assert top_visitors(aerospike_client, visitors, 2) == [("bob", 5), ("ada", 3)]


def test_a_missing_record_raises(aerospike_client: aerospike.Client, aerospike_cleanup: SetTracker) -> None:
    key = aerospike_cleanup.key(NAMESPACE, "example_users", "nobody")  # a fixed set, tracked
    with pytest.raises(ex.RecordNotFound):
        aerospike_client.get(key)
