"""Bit operations on random blobs: the same operate request to the real node and to spikelite
(results, result codes and the stored blob byte for byte)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.wire import Info1, Info2, Message, Op, OpType, ParticleType, pack_value

from .harness import EXAMPLES, fresh_key, key_fields

SET = "diffbits"
offset = st.integers(-20, 40)
size = st.integers(0, 40)
blob = st.binary(max_size=5)
policy = st.sampled_from([0, 0, 1, 2, 4, 6])
READS = {
    50: st.tuples(offset, size),                                   # get
    51: st.tuples(offset, size),                                   # count
    52: st.tuples(offset, size, st.booleans()),                    # lscan
    53: st.tuples(offset, size, st.booleans()),                    # rscan
    54: st.tuples(offset, st.integers(0, 65), st.sampled_from([0, 1])),  # get_int
}
WRITES = {
    0: st.tuples(st.integers(0, 8), policy, st.sampled_from([0, 1, 2, 4, 5, 6])),  # resize
    1: st.tuples(st.integers(-6, 6), blob, policy),                # insert
    2: st.tuples(st.integers(-6, 6), st.integers(0, 6), policy),   # remove
    3: st.tuples(offset, size, blob, policy),                      # set
    4: st.tuples(offset, size, blob, policy),                      # or
    5: st.tuples(offset, size, blob, policy),                      # xor
    6: st.tuples(offset, size, blob, policy),                      # and
    7: st.tuples(offset, size, policy),                            # not
    8: st.tuples(offset, size, st.integers(0, 40), policy),        # lshift
    9: st.tuples(offset, size, st.integers(0, 40), policy),        # rshift
    10: st.tuples(offset, st.integers(0, 65), st.integers(-300, 300), policy, st.sampled_from([0, 1, 2, 3, 4, 5, 7])),
    11: st.tuples(offset, st.integers(0, 65), st.integers(-300, 300), policy, st.sampled_from([0, 1, 2, 3, 4, 5, 7])),
    12: st.tuples(offset, st.integers(0, 65), st.integers(-300, 300), policy),  # set_int
}


@st.composite
def bit_op(draw):
    code = draw(st.sampled_from(sorted(READS) + sorted(WRITES)))
    if code in READS:
        return OpType.BIT_READ, [code] + list(draw(READS[code]))
    return OpType.BIT_MODIFY, [code] + list(draw(WRITES[code]))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.binary(max_size=6), ops=st.lists(bit_op(), min_size=1, max_size=3))
def test_bit_operations_match_the_node(pair, value, ops):
    wire_ops = [Op(OpType.WRITE, ParticleType.BLOB, "b", value)]
    wire_ops += [Op(t, ParticleType.BLOB, "b", pack_value(payload)) for t, payload in ops]
    wire_ops.append(Op(OpType.READ, 0, "b"))
    msg = Message(info1=Info1.READ, info2=Info2.WRITE | Info2.RESPOND_ALL_OPS,
                  fields=key_fields(SET, fresh_key()), ops=wire_ops)
    pair.check(msg, "bit ops %r on %r" % (ops, value))
