"""remove, remove_bin and touch."""

import aerospike
import pytest
from aerospike import exception as ex

# ---------------------------------------------------------------- remove


def test_remove_existing_record(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    assert client.remove(k) == 0
    with pytest.raises(ex.RecordNotFound):
        client.get(k)
    assert client.exists(k)[1] is None


def test_remove_missing_record_raises_record_not_found(client, key):
    with pytest.raises(ex.RecordNotFound) as exc_info:
        client.remove(key("missing"))
    assert exc_info.value.code == 2


def test_remove_twice_raises_record_not_found(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    client.remove(k)
    with pytest.raises(ex.RecordNotFound):
        client.remove(k)


def test_remove_only_affects_its_record(client, key):
    client.put(key("gone"), {"a": 1})
    client.put(key("kept"), {"a": 2})
    client.remove(key("gone"))
    assert client.get(key("kept"))[2] == {"a": 2}


def test_put_after_remove_starts_a_new_record(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    client.put(k, {"a": 3})
    client.remove(k)
    client.put(k, {"c": 4})
    _, meta, bins = client.get(k)
    assert bins == {"c": 4}
    assert meta["gen"] == 1


def test_remove_with_digest_key(client, ns, set_name):
    client.put((ns, set_name, "k"), {"a": 1})
    client.remove((ns, set_name, None, aerospike.calc_digest(ns, set_name, "k")))
    assert client.exists((ns, set_name, "k"))[1] is None


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param({"durable_delete": True}, id="durable_delete"),
        pytest.param({"durable_delete": False}, id="not-durable"),
        pytest.param({"key": aerospike.POLICY_KEY_SEND}, id="key-send"),
        pytest.param({"commit_level": aerospike.POLICY_COMMIT_LEVEL_MASTER}, id="commit-master"),
        pytest.param({"total_timeout": 5000, "max_retries": 1}, id="timeouts"),
    ],
)
def test_remove_policies_are_accepted(client, key, policy):
    k = key("k")
    client.put(k, {"a": 1})
    assert client.remove(k, policy=policy) == 0
    assert client.exists(k)[1] is None


def _gen_via_meta(gen_policy, gen):
    return {"meta": {"gen": gen}, "policy": {"gen": gen_policy}}


def _gen_via_policy(gen_policy, gen):
    return {"policy": {"gen": gen_policy, "generation": gen}}


GEN_FORMS = [
    pytest.param(_gen_via_meta, id="meta-gen"),
    pytest.param(_gen_via_policy, id="policy-generation"),
]


@pytest.mark.parametrize("form", GEN_FORMS)
@pytest.mark.parametrize(
    "gen_policy, gen",
    [
        pytest.param(aerospike.POLICY_GEN_EQ, 2, id="EQ-equal"),
        pytest.param(aerospike.POLICY_GEN_GT, 3, id="GT-greater"),
        pytest.param(aerospike.POLICY_GEN_IGNORE, 7, id="IGNORE"),
    ],
)
def test_remove_generation_check_passes(client, key, form, gen_policy, gen):
    k = key("k")
    client.put(k, {"a": 1})
    client.put(k, {"a": 2})  # gen 2
    assert client.remove(k, **form(gen_policy, gen)) == 0
    assert client.exists(k)[1] is None


@pytest.mark.parametrize("form", GEN_FORMS)
@pytest.mark.parametrize(
    "gen_policy, gen",
    [
        pytest.param(aerospike.POLICY_GEN_EQ, 1, id="EQ-lower"),
        pytest.param(aerospike.POLICY_GEN_EQ, 3, id="EQ-higher"),
        pytest.param(aerospike.POLICY_GEN_GT, 2, id="GT-equal"),
    ],
)
def test_remove_generation_check_fails(client, key, form, gen_policy, gen):
    k = key("k")
    client.put(k, {"a": 1})
    client.put(k, {"a": 2})  # gen 2
    with pytest.raises(ex.RecordGenerationError) as exc_info:
        client.remove(k, **form(gen_policy, gen))
    assert exc_info.value.code == 3
    _, meta, bins = client.get(k)
    assert bins == {"a": 2}
    assert meta["gen"] == 2


# ---------------------------------------------------------------- remove_bin


def test_remove_bin_removes_listed_bins(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2, "c": 3})
    assert client.remove_bin(k, ["a", "c"]) == 0
    _, meta, bins = client.get(k)
    assert bins == {"b": 2}
    assert meta["gen"] == 2


def test_remove_bin_of_absent_bin_still_writes(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    client.remove_bin(k, ["nope"])
    _, meta, bins = client.get(k)
    assert bins == {"a": 1}
    assert meta["gen"] == 2


def test_remove_bin_of_every_bin_deletes_the_record(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    client.remove_bin(k, ["a", "b"])
    with pytest.raises(ex.RecordNotFound):
        client.get(k)


def test_remove_bin_on_missing_record_raises_record_not_found(client, key):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        client.remove_bin(k, ["a"])
    assert client.exists(k)[1] is None


def test_remove_bin_generation_mismatch(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    with pytest.raises(ex.RecordGenerationError):
        client.remove_bin(k, ["a"], {"gen": 5}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.get(k)[2] == {"a": 1, "b": 2}


def test_remove_bin_generation_match(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": 2})
    client.remove_bin(k, ["a"], {"gen": 1}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.get(k)[2] == {"b": 2}


# ---------------------------------------------------------------- touch


def test_touch_keeps_bins_and_bumps_generation(client, key):
    k = key("k")
    client.put(k, {"a": 1, "b": "x"})
    assert client.touch(k) == 0
    _, meta, bins = client.get(k)
    assert bins == {"a": 1, "b": "x"}
    assert meta["gen"] == 2


def test_touch_missing_record_raises_record_not_found(client, key):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound) as exc_info:
        client.touch(k, 100)
    assert exc_info.value.code == 2
    assert client.exists(k)[1] is None


def test_touch_generation_mismatch(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    with pytest.raises(ex.RecordGenerationError):
        client.touch(k, 100, {"gen": 9}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.get(k)[1]["gen"] == 1


def test_touch_generation_match(client, key):
    k = key("k")
    client.put(k, {"a": 1})
    client.touch(k, 100, {"gen": 1}, {"gen": aerospike.POLICY_GEN_EQ})
    assert client.get(k)[1]["gen"] == 2


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, k: c.remove(k, policy={"gen": aerospike.POLICY_GEN_EQ, "generation": 1}), id="remove"),
        pytest.param(lambda c, k: c.touch(k, 100, {"gen": 1}, {"gen": aerospike.POLICY_GEN_EQ}), id="touch"),
    ],
)
def test_missing_record_is_reported_before_generation_check(client, key, call):
    k = key("missing")
    with pytest.raises(ex.RecordNotFound):
        call(client, k)
    assert client.exists(k)[1] is None
