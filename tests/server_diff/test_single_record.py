"""Single-record requests on random records: put / operate with simple bin ops, policies and TTLs,
sent to the real node and to spikelite; result codes, generations, TTLs and bins must agree."""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.wire import Info1, Info2, Info3, Message, Op, OpType, ParticleType, pack_value

from .harness import EXAMPLES, fresh_key, key_fields

SET = "diffrec"
BINS = ["a", "b"]

particle = st.one_of(
    st.integers(-3, 3).map(lambda v: (ParticleType.INTEGER, struct.pack(">q", v))),
    st.sampled_from([1.5, -0.25]).map(lambda v: (ParticleType.FLOAT, struct.pack(">d", v))),
    st.sampled_from([b"", b"x", b"yz"]).map(lambda v: (ParticleType.STRING, v)),
    st.sampled_from([b"", b"\x00\x01"]).map(lambda v: (ParticleType.BLOB, v)),
    st.just((ParticleType.NULL, b"")),
    st.just((ParticleType.LIST, pack_value([1, "a"]))),
    st.just((ParticleType.MAP, pack_value({"k": 1}))),
    st.just((ParticleType.BOOL, b"\x01")),
)
bin_name = st.sampled_from(BINS)


@st.composite
def bin_op(draw):
    kind = draw(st.sampled_from([OpType.WRITE, OpType.WRITE, OpType.INCR, OpType.APPEND, OpType.PREPEND,
                                 OpType.READ, OpType.TOUCH, OpType.DELETE]))
    name = draw(bin_name)
    if kind in (OpType.TOUCH, OpType.DELETE):
        return Op(kind, 0, "", b"")
    if kind == OpType.READ:
        return Op(kind, 0, draw(st.sampled_from(BINS + [""])), b"")
    ptype, value = draw(particle)
    return Op(kind, ptype, name, value)


existence = st.sampled_from([0, Info3.UPDATE_ONLY, Info3.CREATE_OR_REPLACE, Info3.REPLACE_ONLY])
create_only = st.booleans()
ttl = st.sampled_from([0, 0, 100, 0xFFFFFFFF, 0xFFFFFFFE])


def request(key, ops, info3, create, record_ttl, generation=None):
    writes = any(op.op not in (OpType.READ,) for op in ops)
    reads = any(op.op == OpType.READ for op in ops)
    info2 = (Info2.WRITE if writes else 0) | (Info2.CREATE_ONLY if create and writes else 0)
    gen = 0
    if generation is not None and writes:
        info2 |= Info2.GENERATION
        gen = generation
    info1 = Info1.READ if reads else 0
    if reads and any(op.op == OpType.READ and not op.name for op in ops):
        info1 |= Info1.GET_ALL
    return Message(info1=info1, info2=info2, info3=info3 if writes else 0, generation=gen,
                   record_ttl=record_ttl, fields=key_fields(SET, key), ops=ops)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(initial=st.lists(bin_op(), max_size=2), ops=st.lists(bin_op(), min_size=1, max_size=3),
       info3=existence, create=create_only, record_ttl=ttl,
       generation=st.one_of(st.none(), st.integers(0, 3)))
def test_single_record_requests_match_the_node(pair, initial, ops, info3, create, record_ttl, generation):
    key = fresh_key()
    if initial:
        pair.check(request(key, initial, 0, False, 0), "setup %r" % (initial,))
    pair.check(request(key, ops, info3, create, record_ttl, generation),
               "ops %r after %r (info3 %x, create_only %s, ttl %d, gen %r)"
               % (ops, initial, info3, create, record_ttl, generation))
    get = Message(info1=Info1.READ | Info1.GET_ALL, fields=key_fields(SET, key))
    pair.check(get, "record after ops %r after %r" % (ops, initial))


#: Op types a real 8.1.2 node does not know: 6, the string ops of server 8.2 (17 string read, 18 string
#: modify, 19 to string) and beyond.
unknown_op_type = st.sampled_from([6, 17, 18, 19, 20, 31, 100, 255])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(op_type=unknown_op_type, exists=st.booleans(), write=st.booleans(),
       payload=st.sampled_from([b"", b"\x91\x00", b"\x92\x38\x00", b"\x93\xcc\xff\x92\x10\x01\x91\x00"]),
       with_read=st.booleans())
def test_unknown_op_types_are_answered_as_the_node_does(pair, op_type, exists, write, payload, with_read):
    """A record that exists or not, the unknown op alone or after a bin read, in a read or a write
    request: the node's answer (2 for a read of a missing record, else 4) and the record unchanged."""
    key = fresh_key()
    if exists:
        pair.check(request(key, [Op(OpType.WRITE, ParticleType.STRING, "s", b"text")], 0, False, 0), "setup")
    ops = ([Op(OpType.READ, 0, "s", b"")] if with_read else []) + [Op(op_type, ParticleType.STRING, "s", payload)]
    msg = Message(info1=0 if write else Info1.READ, info2=Info2.WRITE if write else 0,
                  fields=key_fields(SET, key), ops=ops)
    pair.check(msg, "op type %d (%s record, %s request)" % (op_type, "existing" if exists else "missing",
                                                            "write" if write else "read"))
    get = Message(info1=Info1.READ | Info1.GET_ALL, fields=key_fields(SET, key))
    pair.check(get, "record after op type %d" % op_type)
