"""Secondary indexes: creation and removal, queries with predicates on numeric, string, blob, list
and map indexes, and index maintenance as records change."""

import time
import warnings

import pytest

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p

N = 100


def _create_indexes(client, ns, set_name, suffixes=("a", "s", "bb", "l", "mk", "mv")):
    makers = {
        "a": lambda n: client.index_integer_create(ns, set_name, "a", n),
        "s": lambda n: client.index_string_create(ns, set_name, "s", n),
        "bb": lambda n: client.index_blob_create(ns, set_name, "bb", n),
        "l": lambda n: client.index_list_create(ns, set_name, "l", aerospike.INDEX_NUMERIC, n),
        "mk": lambda n: client.index_map_keys_create(ns, set_name, "m", aerospike.INDEX_STRING, n),
        "mv": lambda n: client.index_map_values_create(ns, set_name, "m", aerospike.INDEX_NUMERIC, n),
    }
    names = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for suffix in suffixes:
            name = "%s_%s" % (set_name[-40:], suffix)
            assert makers[suffix](name) == 0
            names.append(name)
    return names


def _load(client, ns, set_name):
    for i in range(N):
        client.put((ns, set_name, i), {"a": i, "s": "v%d" % (i % 5), "l": [i, i + 1], "m": {"k%d" % (i % 3): i},
                                        "bb": bytearray(b"xy") if i % 10 == 0 else 1})


# The official client waits 2 s after creating an index before it checks it, so the indexes the
# read-only tests share are made once for the module.
@pytest.fixture(scope="module")
def shared(client):
    ns, set_name = "test", "sindex_shared"
    _load(client, ns, set_name)
    names = _create_indexes(client, ns, set_name)
    yield ns, set_name, names
    for name in names:
        client.index_remove(ns, name)


def run(client, ns, set_name, predicate):
    q = client.query(ns, set_name)
    q.where(predicate)
    return sorted(r[2]["a"] for r in q.results())


@pytest.mark.parametrize("predicate, expected", [
    (p.between("a", 10, 19), list(range(10, 20))),
    (p.equals("a", 5), [5]),
    (p.between("a", -5, 0), [0]),
    (p.between("a", 200, 300), []),
    (p.equals("s", "v3"), list(range(3, N, 5))),
    (p.equals("s", "nope"), []),
    (p.equals("bb", bytearray(b"xy")), list(range(0, N, 10))),
    (p.contains("l", aerospike.INDEX_TYPE_LIST, 50), [49, 50]),
    (p.range("l", aerospike.INDEX_TYPE_LIST, 1, 2), [0, 1, 2]),
    (p.contains("m", aerospike.INDEX_TYPE_MAPKEYS, "k1"), list(range(1, N, 3))),
    (p.range("m", aerospike.INDEX_TYPE_MAPVALUES, 95, 1000), [95, 96, 97, 98, 99]),
])
def test_queries_use_indexes(client, shared, predicate, expected):
    ns, set_name, _ = shared
    assert run(client, ns, set_name, predicate) == expected


def test_index_follows_updates_deletes_and_truncation(client, ns, set_name, key):
    _load(client, ns, set_name)
    names = _create_indexes(client, ns, set_name, ("a",))
    client.put(key(5), {"a": 500})
    client.remove(key(6))
    client.put(key("new"), {"a": 7, "s": "v3"})
    assert run(client, ns, set_name, p.between("a", 5, 7)) == [7, 7]
    assert run(client, ns, set_name, p.between("a", 500, 500)) == [500]
    client.remove_bin(key(7), ["a"])
    assert run(client, ns, set_name, p.between("a", 5, 7)) == [7]
    time.sleep(0.002)  # truncate(..., 0) keeps a write of its own millisecond, as a real node
    client.truncate(ns, set_name, 0)
    assert run(client, ns, set_name, p.between("a", 0, 1000)) == []
    client.index_remove(ns, names[0])


def test_query_with_index_and_bin_selection_and_pagination(client, shared):
    ns, set_name, _ = shared
    q = client.query(ns, set_name)
    q.where(p.between("a", 0, 49))
    q.select("s")
    records = q.results()
    assert len(records) == 50 and all(set(r[2]) == {"s"} for r in records)
    q = client.query(ns, set_name)
    q.where(p.between("a", 0, 49))
    q.paginate()
    q.max_records = 15
    seen = []
    while not q.is_done():
        seen += [r[2]["a"] for r in q.results()]
    assert sorted(seen) == list(range(50))


def test_creating_an_index_again(client, shared):
    ns, set_name, names = shared
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert client.index_integer_create(ns, set_name, "a", names[0]) == 0  # same definition: fine
        with pytest.raises(ex.IndexFoundError):
            client.index_integer_create(ns, set_name, "s", names[0])


def _index_names(client, ns):
    names = set()
    for _, text in client.info_all("sindex-list:ns=%s" % ns).values():
        names.update(part.split("=", 1)[1] for entry in text.strip().split(";")
                     for part in entry.split(":") if part.startswith("indexname="))
    return names


def test_same_definition_under_a_new_name_renames_the_index(client, ns, set_name):
    """A real 8.1 node answers ok and keeps the index under the new name only."""
    first, second = set_name[-20:] + "_r1", set_name[-20:] + "_r2"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            assert client.index_integer_create(ns, set_name, "r", first) == 0
            assert client.index_integer_create(ns, set_name, "r", second) == 0
            names = _index_names(client, ns)
            assert second in names and first not in names
        finally:
            client.index_remove(ns, first)
            client.index_remove(ns, second)


def test_query_without_index_and_removed_index(client, ns, set_name):
    _load(client, ns, set_name)
    with pytest.raises(ex.IndexNotFound):
        run(client, ns, set_name, p.equals("no_index_bin", 1))
    names = _create_indexes(client, ns, set_name, ("a",))
    assert run(client, ns, set_name, p.between("a", 0, 2)) == [0, 1, 2]
    assert client.index_remove(ns, names[0]) == 0
    assert client.index_remove(ns, names[0]) == 0  # removing again is not an error
    with pytest.raises(ex.IndexNotFound):
        run(client, ns, set_name, p.between("a", 0, 10))


@pytest.mark.parametrize("predicate", [p.between("a", "x", 19), p.equals("a", 1.5), ("bad",), None])
def test_invalid_predicates(client, shared, predicate):
    ns, set_name, _ = shared
    with pytest.raises(ex.ParamError):
        q = client.query(ns, set_name)
        q.where(predicate)
        q.results()


def test_index_info_commands(client, shared):
    ns, set_name, names = shared
    listing = next(iter(client.info_all("sindex-list:ns=%s" % ns).values()))[1]
    assert "indexname=%s" % names[0] in listing
    stat = client.info_random_node("sindex-stat:namespace=%s;indexname=%s" % (ns, names[0]))
    assert "load_pct=100" in stat


@pytest.mark.parametrize("max_retries", [0, 1, 3, 5])
def test_query_without_index_is_retried_then_reported_round_by_round(client, ns, set_name, spikelite_server,
                                                                      max_retries):
    """A missing index is worth retrying (it may be building): the official client asks again
    max_retries times, then raises the last status with every round's error listed."""
    client.put((ns, set_name, 1), {"a": 1})
    q = client.query(ns, set_name)
    q.where(p.equals("no_index_bin", 1))
    with pytest.raises(ex.IndexNotFound) as info:
        q.results({"max_retries": max_retries})
    address = "%s:%d" % (spikelite_server.host, spikelite_server.port)
    assert info.value.code == 201
    assert info.value.msg.split("\n") == ["AEROSPIKE_ERR_INDEX_NOT_FOUND", "sub-errors:"] + [
        "201,%d,%s,AEROSPIKE_ERR_INDEX_NOT_FOUND" % (round_, address) for round_ in range(1, max_retries + 2)]
