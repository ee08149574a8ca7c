"""Operation dicts written by hand with the old OP_LIST_* / OP_MAP_* constants, as older
applications pass them to operate."""

import aerospike


def test_old_list_dicts(client, key):
    k = key("old-list")
    client.put(k, {"l": [1, 2]})
    _, _, bins = client.operate_ordered(k, [
        {"op": aerospike.OP_LIST_APPEND, "bin": "l", "val": 3},
        {"op": aerospike.OP_LIST_APPEND_ITEMS, "bin": "l", "val": [4, 5]},
        {"op": aerospike.OP_LIST_INSERT, "bin": "l", "index": 0, "val": 0},
        {"op": aerospike.OP_LIST_SIZE, "bin": "l"},
        {"op": aerospike.OP_LIST_GET_RANGE, "bin": "l", "index": 1, "val": 2},
        {"op": aerospike.OP_LIST_POP, "bin": "l", "index": -1},
    ])
    assert bins == [("l", 3), ("l", 5), ("l", 6), ("l", 6), ("l", [1, 2]), ("l", 5)]
    assert client.get(k)[2] == {"l": [0, 1, 2, 3, 4]}


def test_old_map_dicts(client, key):
    k = key("old-map")
    _, _, bins = client.operate(k, [
        {"op": aerospike.OP_MAP_PUT, "bin": "m", "key": "a", "val": 1},
        {"op": aerospike.OP_MAP_PUT_ITEMS, "bin": "m", "val": {"b": 2, "c": 3}},
        {"op": aerospike.OP_MAP_INCREMENT, "bin": "m", "key": "a", "val": 10},
        {"op": aerospike.OP_MAP_GET_BY_KEY, "bin": "m", "key": "a", "return_type": aerospike.MAP_RETURN_VALUE},
    ])
    assert bins == {"m": 11}
    assert client.get(k)[2] == {"m": {"a": 11, "b": 2, "c": 3}}
