"""The put request from its (namespace, set) template and the reply of a write decoded from its
header give exactly what the Message path gives (generated keys, bins and policies)."""

from __future__ import annotations

import string

from hypothesis import given, settings, strategies as st
from spikewire import Message, parse_message

from aerospike import _single_record as sr
from aerospike._keys import parse_key
from aerospike._values import Encoder
from spikewire.results import MalformedMessage

_names = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=15)
_values = st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.floats(allow_nan=False), st.text(max_size=30),
                    st.binary(max_size=30), st.none(), st.booleans(),
                    st.lists(st.integers(-100, 100), max_size=4),
                    st.dictionaries(st.text(max_size=5), st.integers(0, 9), max_size=3))
_policies = st.fixed_dictionaries({}, optional={
    "key": st.sampled_from([0, 1]), "exists": st.integers(0, 4), "gen": st.integers(0, 2),
    "ttl": st.integers(0, 1000), "total_timeout": st.integers(0, 5000), "socket_timeout": st.integers(0, 5000),
    "durable_delete": st.booleans(), "commit_level": st.integers(0, 1)})
_keys = st.tuples(st.sampled_from(["test", "bar"]), st.sampled_from([None, "", "s1", "other set"]),
                  st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.text(max_size=20), st.binary(max_size=20)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_keys, st.dictionaries(_names, _values, max_size=6))), _policies)
def test_template_put_requests_equal_the_message_path(puts, policy):
    encoder = Encoder()
    templates = sr.WriteTemplates()
    for key, bins in puts:
        k = parse_key(key)
        assert _outcome(templates.request, k, bins, policy, encoder) == \
            _outcome(lambda *a: sr.put_request(a[0], a[1], {}, *a[2:]).to_proto(), k, bins, policy, encoder)


def _outcome(build, k, bins, policy, encoder):
    """The request bytes, or the class and text of the exception building them raised."""
    try:
        return build(k, bins, policy, encoder, None)
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return type(exc), str(exc)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 255), st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF))
def test_write_reply_reads_the_result_code_of_the_header(result, generation, ttl):
    body = Message(result_code=result, generation=generation, record_ttl=ttl).encode()
    assert sr.write_reply(body).result_code == parse_message(body)[0].result_code == result


@given(st.binary(max_size=21))
def test_write_reply_refuses_a_short_body(body):
    try:
        sr.write_reply(body)
    except MalformedMessage:
        pass
    else:
        raise AssertionError("a %d-byte reply was accepted" % len(body))
