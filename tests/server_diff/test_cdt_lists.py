"""List operations on random lists: the same operate request to the real node and to spikelite.

One request writes a random list, optionally makes it ORDERED, runs one to three random list
operations (reads, removals, writes; random return types, INVERTED, indexes, ranks, counts out
of range) and reads the bin back, with RESPOND_ALL_OPS: every op's result, the result code and
the stored list must match byte for byte."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.wire import Info1, Info2, Message, Op, OpType, ParticleType, pack_value

from .harness import EXAMPLES, fresh_key, key_fields

SET = "difflist"
INVERTED = 0x10000

scalar = st.one_of(
    st.integers(0, 5), st.integers(0, 5), st.integers(0, 5),
    st.sampled_from(["a", "b", "zz"]), st.sampled_from([1.5, -2.0]),
    st.sampled_from([None, True, False]), st.sampled_from([b"\x01", b""]))
element = st.one_of(scalar, scalar, scalar, st.lists(st.integers(0, 3), max_size=2))
lists = st.lists(element, max_size=9)
index = st.integers(-10, 10)
count = st.integers(-2, 10)
return_type = st.builds(lambda t, inv: t | (INVERTED if inv else 0),
                        st.integers(0, 13), st.booleans() | st.just(False))


def _optional_tail(*args):
    """Args with a random number of trailing optional arguments dropped (st.builds of tuples)."""
    return st.builds(lambda full, keep: list(full[:len(full) - keep]),
                     st.tuples(*args), st.integers(0, 1))


# code -> args strategy; 19-27 read by index/value/rank..., 32-40 remove the same way.
def _selection_args(code: int):
    base = code - 13 if code >= 32 else code
    return {
        19: st.tuples(return_type, index).map(list),
        20: st.tuples(return_type, element).map(list),
        21: st.tuples(return_type, index).map(list),
        22: st.tuples(return_type, element).map(list),
        23: st.tuples(return_type, st.lists(element, max_size=3)).map(list),
        24: st.one_of(st.tuples(return_type, index).map(list), st.tuples(return_type, index, count).map(list)),
        25: st.one_of(st.tuples(return_type, element).map(list),
                      st.tuples(return_type, element, element).map(list),
                      st.tuples(return_type, st.none(), element).map(list)),
        26: st.one_of(st.tuples(return_type, index).map(list), st.tuples(return_type, index, count).map(list)),
        27: st.one_of(st.tuples(return_type, element, index).map(list),
                      st.tuples(return_type, element, index, count).map(list)),
    }[base]


MODIFY_ARGS = {
    1: st.tuples(element).map(list),                                      # append
    2: st.tuples(st.lists(element, max_size=3)).map(list),                 # append_items
    3: st.tuples(index, element).map(list),                               # insert
    4: st.tuples(index, st.lists(element, max_size=3)).map(list),          # insert_items
    5: st.tuples(index).map(list),                                        # pop
    6: st.one_of(st.tuples(index).map(list), st.tuples(index, count).map(list)),  # pop_range
    7: st.tuples(index).map(list),                                        # remove
    8: st.one_of(st.tuples(index).map(list), st.tuples(index, count).map(list)),  # remove_range
    9: st.tuples(index, element).map(list),                               # set
    10: st.tuples(index, count).map(list),                                # trim
    11: st.just([]),                                                      # clear
    12: st.one_of(st.tuples(index).map(list), st.tuples(index, st.integers(-3, 3)).map(list)),
    13: st.tuples(st.integers(0, 3)).map(list),                           # sort
    16: st.just([]),                                                      # size
    17: st.tuples(index).map(list),                                       # get
    18: st.one_of(st.tuples(index).map(list), st.tuples(index, count).map(list)),  # get_range
}

READ_CODES = [16, 17, 18] + list(range(19, 28))
REMOVE_CODES = list(range(32, 41))
WRITE_CODES = list(range(1, 14))


@st.composite
def list_op(draw):
    code = draw(st.sampled_from(READ_CODES + READ_CODES + REMOVE_CODES + REMOVE_CODES + WRITE_CODES))
    args = draw(_selection_args(code) if 19 <= code <= 27 or code >= 32 else MODIFY_ARGS[code])
    modify = code < 16 or code >= 32
    return (OpType.CDT_MODIFY if modify else OpType.CDT_READ), [code] + args


def cdt_op(op_type: int, payload: list, bin_name: str = "l") -> Op:
    return Op(op_type, ParticleType.BLOB, bin_name, pack_value(payload))


def operate_request(key: str, value: list, ordered: bool, ops: list) -> Message:
    wire_ops = [Op(OpType.WRITE, ParticleType.LIST, "l", pack_value(value))]
    if ordered:
        wire_ops.append(cdt_op(OpType.CDT_MODIFY, [0, 1]))
    wire_ops += [cdt_op(t, payload) for t, payload in ops]
    wire_ops.append(Op(OpType.READ, 0, "l"))
    return Message(info1=Info1.READ, info2=Info2.WRITE | Info2.RESPOND_ALL_OPS,
                   fields=key_fields(SET, key), ops=wire_ops)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=lists, ordered=st.booleans(), ops=st.lists(list_op(), min_size=1, max_size=3))
def test_list_operations_match_the_node(pair, value, ordered, ops):
    pair.check(operate_request(fresh_key(), value, ordered, ops),
               "list ops %r on %s%r" % (ops, "ordered " if ordered else "", value))
