"""operate and operate_ordered with aerospike_helpers.operations.operations."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op


def test_operate_returns_key_meta_bins(client, ns, set_name):
    k = (ns, set_name, "k")
    client.put(k, {"a": 1, "b": "x"})
    result = client.operate(k, [op.increment("a", 2), op.read("a")])
    assert isinstance(result, tuple) and len(result) == 3
    rkey, meta, bins = result
    # operate() echoes the user key it was given.
    assert rkey == (ns, set_name, "k", aerospike.calc_digest(ns, set_name, "k"))
    assert set(meta) == {"gen", "ttl"}
    assert meta["gen"] == 2
    assert bins == {"a": 3}


@pytest.mark.parametrize(
    "ops, expected",
    [
        pytest.param([op.write("w", 5), op.read("w")], {"w": 5}, id="write-read"),
        pytest.param([op.write("w", {"m": [1, 2]}), op.read("w")], {"w": {"m": [1, 2]}}, id="write-map-read"),
        pytest.param([op.increment("i", 10), op.read("i")], {"i": 11}, id="increment-read"),
        pytest.param([op.append("s", "def"), op.read("s")], {"s": "abcdef"}, id="append-read"),
        pytest.param([op.prepend("s", ">"), op.read("s")], {"s": ">abc"}, id="prepend-read"),
        pytest.param([op.read("i"), op.read("s")], {"i": 1, "s": "abc"}, id="reads-only"),
        pytest.param([op.read("i"), op.read("nope")], {"i": 1}, id="read-missing-bin"),
        pytest.param([op.write("i", None), op.read("i")], {}, id="write-None-deletes-bin"),
        pytest.param([op.write("w", 1)], {}, id="write-only"),
    ],
)
def test_operate_results(client, key, ops, expected):
    k = key("k")
    client.put(k, {"i": 1, "s": "abc"})
    _, _, bins = client.operate(k, ops)
    assert bins == expected


def test_operate_applies_all_writes(client, key):
    k = key("k")
    client.put(k, {"i": 1, "s": "abc", "gone": 0})
    client.operate(
        k,
        [
            op.write("w", 5),
            op.increment("i", 10),
            op.append("s", "d"),
            op.prepend("s", "_"),
            op.write("gone", None),
        ],
    )
    _, meta, bins = client.get(k)
    assert bins == {"i": 11, "s": "_abcd", "w": 5}
    # One operate is one write, however many ops it has.
    assert meta["gen"] == 2


def test_operate_same_bin_read_twice_keeps_last_value(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    _, _, bins = client.operate(k, [op.read("a"), op.increment("a", 1), op.read("a")])
    assert bins == {"a": 2}


def test_operate_on_missing_record_with_writes_creates_it(client, key):
    k = key("missing")
    _, meta, bins = client.operate(k, [op.write("a", 1), op.increment("n", 5), op.read("n")])
    assert bins == {"n": 5}
    assert meta["gen"] == 1
    assert client.get(k)[2] == {"a": 1, "n": 5}


@pytest.mark.parametrize(
    "ops",
    [
        pytest.param([op.read("a")], id="read"),
        pytest.param([op.touch(100)], id="touch"),
        pytest.param([op.delete()], id="delete"),
    ],
)
def test_operate_on_missing_record_raises_record_not_found(client, key, ops):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        client.operate(k, ops)
    assert client.exists(k)[1] is None


def test_operate_delete_removes_the_record(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    client.operate(k, [op.delete()])
    with pytest.raises(ex.RecordNotFound):
        client.get(k)


def test_operate_delete_then_write_replaces_all_bins(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    _, meta, _ = client.operate(k, [op.delete(), op.write("c", 3)])
    assert meta["gen"] == 2
    _, meta, bins = client.get(k)
    assert bins == {"c": 3}
    assert meta["gen"] == 2


def test_operate_write_then_delete_removes_the_record(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    client.operate(k, [op.write("b", 2), op.delete()])
    assert client.exists(k)[1] is None


def test_operate_touch_keeps_bins(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    _, meta, bins = client.operate(k, [op.touch()])
    assert bins == {}
    assert meta["gen"] == 2
    assert client.get(k)[2] == {"a": 1}


def test_operate_dict_form_ops(client, key):
    k = key("k")
    client.put(k, {"a": 1, "s": "b"})
    _, _, bins = client.operate(
        k,
        [
            {"op": aerospike.OPERATOR_INCR, "bin": "a", "val": 4},
            {"op": aerospike.OPERATOR_APPEND, "bin": "s", "val": "c"},
            {"op": aerospike.OPERATOR_PREPEND, "bin": "s", "val": "a"},
            {"op": aerospike.OPERATOR_WRITE, "bin": "w", "val": [1]},
            {"op": aerospike.OPERATOR_READ, "bin": "a"},
            {"op": aerospike.OPERATOR_READ, "bin": "s"},
            {"op": aerospike.OPERATOR_READ, "bin": "w"},
        ],
    )
    assert bins == {"a": 5, "s": "abc", "w": [1]}


def test_operate_incompatible_op_fails_whole_command(client, key):
    k = key("k")
    client.put(k, {"s": "text", "n": 1})
    with pytest.raises(ex.BinIncompatibleType):
        client.operate(k, [op.increment("n", 1), op.increment("s", 1)])
    # Nothing was applied.
    _, meta, bins = client.get(k)
    assert bins == {"s": "text", "n": 1}
    assert meta["gen"] == 1


@pytest.mark.parametrize(
    "gen_policy, gen, ok",
    [
        pytest.param(aerospike.POLICY_GEN_EQ, 1, True, id="EQ-match"),
        pytest.param(aerospike.POLICY_GEN_EQ, 5, False, id="EQ-mismatch"),
        pytest.param(aerospike.POLICY_GEN_GT, 2, True, id="GT-greater"),
        pytest.param(aerospike.POLICY_GEN_GT, 1, False, id="GT-equal"),
    ],
)
def test_operate_generation_policy(client, key, gen_policy, gen, ok):
    k = key("k")
    client.put(k, {"a": 1})
    ops = [op.increment("a", 1), op.read("a")]
    if ok:
        _, meta, bins = client.operate(k, ops, {"gen": gen}, {"gen": gen_policy})
        assert bins == {"a": 2}
        assert meta["gen"] == 2
    else:
        with pytest.raises(ex.RecordGenerationError):
            client.operate(k, ops, {"gen": gen}, {"gen": gen_policy})
        assert client.get(k)[2] == {"a": 1}


def test_operate_exists_create_on_existing_record(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    with pytest.raises(ex.RecordExistsError):
        client.operate(k, [op.write("b", 2)], policy={"exists": aerospike.POLICY_EXISTS_CREATE})
    assert client.get(k)[2] == {"a": 1}


def test_operate_exists_update_on_missing_record(client, key):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        client.operate(k, [op.write("b", 2)], policy={"exists": aerospike.POLICY_EXISTS_UPDATE})
    assert client.exists(k)[1] is None


def test_operate_exists_replace_with_writes_replaces_record(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    client.operate(k, [op.write("c", 3)], policy={"exists": aerospike.POLICY_EXISTS_REPLACE})
    assert client.get(k)[2] == {"c": 3}


def test_operate_with_key_send_policy(client, ns, set_name):
    k = (ns, set_name, 42)
    rkey, _, bins = client.operate(k, [op.write("a", 1), op.read("a")], policy={"key": aerospike.POLICY_KEY_SEND})
    assert bins == {"a": 1}
    assert rkey == (ns, set_name, 42, aerospike.calc_digest(ns, set_name, 42))


def test_operate_with_digest_key(client, ns, set_name):
    digest = aerospike.calc_digest(ns, set_name, "d")
    client.put((ns, set_name, "d"), {"a": 1})
    rkey, _, bins = client.operate((ns, set_name, None, digest), [op.increment("a", 1), op.read("a")])
    assert bins == {"a": 2}
    assert rkey == (ns, set_name, None, digest)


# ---------------------------------------------------------------- operate_ordered


def test_operate_ordered_returns_results_in_op_order(client, ns, set_name):
    k = (ns, set_name, "k")
    client.put(k, {"a": 1, "s": "x"})
    result = client.operate_ordered(
        k,
        [
            op.read("s"),
            op.increment("a", 1),
            op.read("a"),
            op.append("s", "y"),
            op.read("s"),
            op.read("nope"),
            op.increment("a", 1),
            op.read("a"),
        ],
    )
    assert isinstance(result, tuple) and len(result) == 3
    rkey, meta, results = result
    assert rkey == (ns, set_name, "k", aerospike.calc_digest(ns, set_name, "k"))
    assert meta["gen"] == 2
    assert isinstance(results, list)
    assert results == [("s", "x"), ("a", 2), ("s", "xy"), ("a", 3)]
    assert all(isinstance(r, tuple) for r in results)


def test_operate_ordered_write_only_returns_empty_list(client, key):
    k = key("k")
    _, meta, results = client.operate_ordered(k, [op.write("a", 1)])
    assert results == []
    assert meta["gen"] == 1


def test_operate_ordered_reads_only(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    _, meta, results = client.operate_ordered(k, [op.read("b"), op.read("a")])
    assert results == [("b", 2), ("a", 1)]
    assert meta["gen"] == 1


def test_operate_ordered_missing_record(client, key):
    with pytest.raises(ex.RecordNotFound):
        client.operate_ordered(key("missing"), [op.read("a")])
