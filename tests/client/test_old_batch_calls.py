"""get_many / exists_many / select_many / batch_get_ops: calls the official client dropped in 19.x
but applications still use; purespike keeps them with their documented return shapes."""

import pytest

import aerospike
from aerospike_helpers.operations import operations as op


@pytest.fixture(scope="module")
def client():
    c = aerospike.client({"embedded": True})
    keys = [("test", "old_batch", i) for i in range(3)]
    c.put(keys[0], {"a": 0, "b": "x"})
    c.put(keys[1], {"a": 1})
    yield c
    c.close()


KEYS = [("test", "old_batch", i) for i in range(3)]


def test_get_many(client):
    records = client.get_many(KEYS)
    assert [r[2] for r in records] == [{"a": 0, "b": "x"}, {"a": 1}, None]
    assert records[2][1] is None
    assert records[0][0][:3] == KEYS[0] and records[0][1]["gen"] == 1


def test_exists_many(client):
    records = client.exists_many(KEYS)
    assert [len(r) for r in records] == [2, 2, 2]
    assert [r[1] is not None for r in records] == [True, True, False]


def test_select_many(client):
    assert [r[2] for r in client.select_many(KEYS, ["b"])] == [{"b": "x"}, {}, None]


def test_batch_get_ops(client):
    assert [r[2] for r in client.batch_get_ops(KEYS[:2], [op.read("a")])] == [{"a": 0}, {"a": 1}]
