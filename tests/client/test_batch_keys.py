"""A batch's keys parsed in one pass (`_batch.check_keys`, `_keys.parse_keys`) give exactly the Keys
`parse_key` gives one by one, and the argument check without digests (`check_keys_only`) refuses
exactly the lists `check_keys` refuses, with the same error (generated key lists, valid and not)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from aerospike import _batch, exception
from aerospike._keys import parse_key

_user_keys = st.one_of(st.integers(-(1 << 64), 1 << 64), st.text(max_size=12), st.binary(max_size=12),
                       st.binary(max_size=3).map(bytearray), st.booleans(), st.none(), st.floats(), st.just([]))
_key_tuples = st.one_of(
    st.tuples(st.sampled_from(["test", "bar", 7, None]), st.sampled_from([None, "s1", "other set", 3, bytearray(b"s")]),
              _user_keys),
    st.tuples(st.sampled_from(["test", "bar"]), st.sampled_from([None, "s1"]), st.none(),
              st.one_of(st.binary(min_size=20, max_size=20).map(bytearray), st.binary(max_size=21), st.none())),
    st.tuples(st.just("test")), st.just({"ns": "test", "set": "s1", "key": 1}), st.just("test"))
_valid = st.tuples(st.sampled_from(["test", "bar"]), st.sampled_from([None, "s1", "other set"]),
                   st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.text(max_size=12)))


def _outcome(call, keys):
    try:
        return call(keys)
    except (exception.AerospikeError, TypeError) as exc:
        return type(exc), exc.args[:2]  # (code, message); the rest names the raising line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_valid, _valid, _key_tuples), max_size=8))
def test_the_check_without_digests_refuses_what_parsing_refuses(keys):
    parsed = _outcome(_batch.check_keys, keys)
    checked = _outcome(_batch.check_keys_only, keys)
    if isinstance(parsed, list):
        assert checked is None
    else:
        assert checked == parsed
    assert _outcome(_batch.check_keys_only, keys) == checked  # again, with every set now known


@settings(max_examples=300, deadline=None)
@given(st.lists(_valid, max_size=12))
def test_keys_parsed_in_one_pass_equal_parse_key(keys):
    for _ in range(2):  # the first pass meets sets not seen before, the second takes the fast path
        parsed = _batch.check_keys(keys)
        assert [(k.namespace, k.set_name, k.user_key, k.digest) for k in parsed] == \
            [(k.namespace, k.set_name, k.user_key, k.digest) for k in map(parse_key, keys)]
        assert [r.key for r in _batch.records_of(parsed)] == [k.as_tuple() for k in parsed]
