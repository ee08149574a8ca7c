"""Unit tests of spikelite.binops.cdt.paths (select / apply by path), without a real node: the rank
selection's contract, generated paths against a small model, and hostile payloads answered with
an error code (never another exception). The node's own answers are compared request by request
in tests/server_diff/test_cdt_paths.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite import wire
from spikelite.binops import cdt
from spikelite.binops.cdt import paths
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType

BIN = "b"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def run(value, payload: bytes, modify: bool = False):
    """(op result value or None, stored bin value) of a path op on a bin holding `value`."""
    ptype = ParticleType.MAP if isinstance(value, dict) else ParticleType.LIST
    bins = {BIN: (ptype, wire.pack_value(value))}
    op_type = OpType.CDT_MODIFY if modify else OpType.CDT_READ
    result = cdt.apply(Op(op_type, ParticleType.BLOB, BIN, payload), bins)
    got = None if result is None else wire.unpack_value(result.value)
    return got, wire.unpack_value(bins[BIN][1])


def select(ctx: list, flags: int) -> bytes:
    return wire.pack_value([0xfe, ctx, flags])


@SETTINGS
@given(keys=st.lists(st.integers(0, 4), min_size=1, max_size=12), data=st.data())
def test_quickselect_finds_an_element_of_the_rank(keys, data):
    rank = data.draw(st.integers(0, len(keys) - 1))
    position = paths.quickselect(keys, rank)
    assert 0 <= position < len(keys)
    assert keys[position] == sorted(keys)[rank]


scalars = st.one_of(st.integers(-5, 5), st.sampled_from(["a", "b", "zz"]), st.booleans(), st.none())
nested = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3)),
    max_leaves=12)
lists_of_lists = st.lists(st.lists(scalars, max_size=4), max_size=4)


@SETTINGS
@given(value=st.lists(nested, max_size=5))
def test_all_children_select_the_whole_bin_or_its_values(value):
    assert run(value, select([4, True], 0))[0] == value
    assert run(value, select([4, True], 1))[0] == value


@SETTINGS
@given(value=lists_of_lists)
def test_two_levels_flatten_the_leaves(value):
    assert run(value, select([4, True, 4, True], 1))[0] == [x for inner in value for x in inner]


@SETTINGS
@given(value=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(-9, 9), max_size=4),
       threshold=st.integers(-9, 9))
def test_filtered_removal(value, threshold):
    above = wire.pack_value([3, [122, 2, 1], threshold])  # GT(LoopVarInt(VALUE), threshold)
    payload = b"\x94" + wire.pack_value(0xfe)[0:] + b"\x92\x04" + above + b"\x04\x91\x64"
    _, stored = run(value, payload, modify=True)
    assert stored == {k: v for k, v in value.items() if v <= threshold}


any_msgpack = st.recursive(
    st.one_of(st.integers(-2**63, 2**64 - 1), st.booleans(), st.none(), st.binary(max_size=4),
              st.text(max_size=3), st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=2), inner, max_size=3)),
    max_leaves=10)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.lists(nested, max_size=4), st.dictionaries(st.sampled_from(["a", "b"]), nested, max_size=3)),
       ctx=st.lists(any_msgpack, max_size=6), flags=any_msgpack, extra=st.lists(any_msgpack, max_size=2),
       modify=st.booleans(), raw=st.binary(max_size=12))
def test_hostile_payloads_get_an_error_code(value, ctx, flags, extra, modify, raw):
    """Random contexts, flags, extra arguments and trailing bytes: an answer or an AerospikeWireError
    (the server's result code), never another exception."""
    for payload in (wire.pack_value([0xfe, ctx, flags] + extra), wire.pack_value([0xfe, ctx, flags])[:-1] + raw):
        try:
            run(value, payload, modify)
        except AerospikeWireError as exc:
            assert exc.code != 0
