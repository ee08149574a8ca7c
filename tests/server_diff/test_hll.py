"""HyperLogLog operations: the same operate requests to the real node and to spikelite (results,
result codes and the stored HLL byte for byte)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.wire import Info1, Info2, Message, Op, OpType, ParticleType, pack_value

from .harness import EXAMPLES, fresh_key, key_fields

SET = "diffhll"
index_bits = st.sampled_from([-1, 3, 4, 8, 12, 16, 17])
minhash_bits = st.sampled_from([-1, 0, 4, 8, 51, 52])
flags = st.sampled_from([0, 0, 1, 2, 4, 8, 5])
items = st.lists(st.one_of(st.integers(0, 50), st.sampled_from(["a", "b", "c"])), max_size=12)


@st.composite
def hll_op(draw):
    code = draw(st.sampled_from([0, 1, 1, 1, 2, 50, 50, 51, 52, 53, 54, 55]))
    if code == 0:  # init
        return OpType.HLL_MODIFY, [0, draw(index_bits), draw(minhash_bits), draw(flags)]
    if code == 1:  # add
        return OpType.HLL_MODIFY, [1, draw(items), draw(index_bits), draw(minhash_bits), draw(flags)]
    if code == 2:  # fold
        return OpType.HLL_MODIFY, [2, draw(st.sampled_from([4, 8, 10]))]
    return OpType.HLL_READ, [code]  # count, describe, ... (the no-argument reads)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(hll_op(), min_size=1, max_size=4))
def test_hll_operations_match_the_node(pair, ops):
    wire_ops = [Op(OpType.WRITE, ParticleType.INTEGER, "x", b"\x00" * 8)]
    wire_ops += [Op(t, ParticleType.BLOB, "h", pack_value(payload)) for t, payload in ops]
    wire_ops.append(Op(OpType.READ, 0, "h"))
    msg = Message(info1=Info1.READ, info2=Info2.WRITE | Info2.RESPOND_ALL_OPS,
                  fields=key_fields(SET, fresh_key()), ops=wire_ops)
    pair.check(msg, "hll ops %r" % (ops,))
