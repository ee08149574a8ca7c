"""The put request from its (namespace, set) template, its bins encoded by `write_ops`, the reply
of a write decoded from its header and the reply of a read decoded in one pass give exactly what
the Message path gives (generated keys, bins, policies and replies)."""

from __future__ import annotations

import string
import struct

import msgpack
from hypothesis import given, settings, strategies as st
from spikewire import FieldType, Message, Op, OpType, ParticleType, parse_message
from spikewire.message import encode_ops
from spikewire.particles import encode_int

from aerospike import _single_record as sr
from aerospike._keys import parse_key
from aerospike._values import Decoder, Encoder
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


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=15), st.one_of(
    _values, st.integers(), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))))
def test_write_ops_encode_each_bin_as_the_encoder_does(bins):
    """The str and int values `write_ops` encodes itself come out as `Encoder.particle` makes them
    (generated names and values, out-of-range integers and non-ASCII names among them)."""
    encoder = Encoder()
    expected = []
    try:
        for name, value in bins.items():
            sr.check_bin_name(name)
            ptype, data = encoder.particle(value)
            expected.append(Op(OpType.WRITE, ptype, name, data))
        wanted = (len(expected), encode_ops(expected))
    except Exception as exc:  # noqa: BLE001 - both must fail alike
        wanted = type(exc), str(exc)
    try:
        got = sr.write_ops(bins, encoder, None)
    except Exception as exc:  # noqa: BLE001
        got = type(exc), str(exc)
    assert got == wanted


_reply_values = st.one_of(
    st.tuples(st.just(ParticleType.INTEGER), st.integers(-(1 << 63), (1 << 63) - 1).map(encode_int)),
    st.tuples(st.just(ParticleType.STRING), st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.tuples(st.just(ParticleType.FLOAT), st.floats(allow_nan=False).map(lambda f: struct.pack(">d", f))),
    st.tuples(st.just(ParticleType.BLOB), st.binary(max_size=20)),
    st.tuples(st.just(ParticleType.LIST), st.lists(st.integers(-9, 9), max_size=3).map(msgpack.packb)),
    st.tuples(st.just(ParticleType.MAP), st.dictionaries(st.integers(0, 9), st.integers(-(1 << 63), (1 << 63) - 1),
                                                         max_size=3).map(msgpack.packb)),
    st.tuples(st.just(ParticleType.NULL), st.just(b"")),
    st.tuples(st.sampled_from([ParticleType.INTEGER, ParticleType.BOOL]), st.binary(max_size=9)))


def _read_both_ways(body: bytes):
    """(what `record_reply` reads, what the Message path reads) of a reply body: (result code,
    generation, void time, bins), or the class and text of the exception raised."""
    decoder = Decoder()

    def outcome(read):
        try:
            return read()
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            return type(exc), str(exc)

    def by_message():
        reply = parse_message(body)[0]
        return reply.result_code, reply.generation, reply.record_ttl, sr.bins_of(reply, decoder)

    def in_one_pass():
        reply = sr.record_reply(decoder, body)
        return reply.result_code, reply.generation, reply.record_ttl, reply.bins

    return repr(outcome(in_one_pass)), repr(outcome(by_message))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 255), st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF),
       st.lists(st.tuples(st.sampled_from([FieldType.DIGEST, FieldType.SET, FieldType.KEY]), st.binary(max_size=8)),
                max_size=2),
       st.lists(st.tuples(st.text(max_size=15), _reply_values), max_size=5), st.integers(0, 40))
def test_record_reply_reads_what_the_message_path_reads(result, generation, ttl, fields, ops, cut):
    """A single-record reply decoded in one pass (`record_reply`) gives the result code,
    generation, void time and bins that `parse_message` + `bins_of` give, or fails alike
    (generated replies, whole and with their last `cut` bytes cut off)."""
    msg = Message(result_code=result, generation=generation, record_ttl=ttl, fields=fields,
                  ops=[Op(OpType.READ, ptype, name, data) for name, (ptype, data) in ops])
    body = msg.encode()
    one_pass, by_message = _read_both_ways(body)
    assert one_pass == by_message
    one_pass, by_message = _read_both_ways(body[:max(0, len(body) - cut)])
    assert one_pass == by_message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60), st.binary(min_size=22, max_size=22))
def test_record_reply_fails_on_any_bytes_as_the_message_path_does(data, header):
    """Arbitrary bytes, alone and after a well-formed header: the same result or the same error."""
    for body in (data, b"\x16" + header[1:] + data):
        one_pass, by_message = _read_both_ways(body)
        assert one_pass == by_message
