"""Set indexes (`index_set_create`, server 8.1+): listed by the node, one per set (a new name
renames it), scans of the set still answer every record; bad arguments raise the official errors."""

import pytest

from aerospike import exception as ex


def _listing(client, ns):
    return "".join(text or "" for _, text in client.info_all("sindex-list:namespace=%s" % ns).values())


def test_set_index_is_created_listed_and_removed(client, ns, set_name):
    for i in range(5):
        client.put((ns, set_name, i), {"v": i})
    name = set_name[-40:] + "_si"
    assert client.index_set_create(ns, set_name, name) == 0
    try:
        assert "indexname=%s:set=%s:indextype=set" % (name, set_name) in _listing(client, ns)
        assert client.index_set_create(ns, set_name, name) == 0  # the same again: ok
        stat = "".join(t or "" for _, t in client.info_all(
            "sindex-stat:namespace=%s;indexname=%s" % (ns, name)).values())
        assert stat.startswith("entries=5;")
        assert sorted(r[2]["v"] for r in client.scan(ns, set_name).results()) == list(range(5))
        with pytest.raises(ex.IndexFoundError):  # the name is taken by another set's index
            client.index_set_create(ns, set_name + "x", name)
        renamed = name + "2"
        assert client.index_set_create(ns, set_name, renamed, {}) == 0
        listing = _listing(client, ns)
        assert "indexname=%s:" % renamed in listing and "indexname=%s:" % name not in listing
        name = renamed
    finally:
        client.index_remove(ns, name)
    assert "indexname=%s:" % name not in _listing(client, ns)


@pytest.mark.parametrize("args, exc, message", [
    ((1, "s", "n"), ex.ParamError, "Namespace should be a string"),
    (("test", 1, "n"), ex.ParamError, "Set should be string, unicode or None"),
    (("test", bytearray(b"s"), "n"), ex.ParamError, "Set should be string, unicode or None"),
    (("test", "s", 1), ex.ParamError, "Index name should be string or unicode"),
    ((1, 1, 1, 1), ex.ParamError, "policy must be a dict"),
    (("test", "s", "n", {"timeout": "x"}), ex.ParamError, "timeout is invalid"),
    (("test", None, "n"), ex.InvalidRequest, "missing 'set'"),
    (("test", "", "n"), ex.InvalidRequest, "missing 'set' value"),
    (("nope", "s", "n"), ex.InvalidRequest, "namespace not found"),
])
def test_set_index_argument_errors(client, args, exc, message):
    with pytest.raises(exc) as info:
        client.index_set_create(*args)
    assert info.value.msg.startswith(message)
