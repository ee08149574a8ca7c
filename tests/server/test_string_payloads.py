"""Hostile string-op payloads (server 8.2 op types 17/18/19): every one is answered with a result
code (AerospikeWireError), never an exception of another kind, and a failed modify leaves the
bins as they were."""

from __future__ import annotations

import msgpack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.binops import strings
from spikelite.wire import AerospikeWireError, Op, OpType, ParticleType


def _text(value: str) -> bytes:
    return b"\x03" + value.encode("utf-8")


ARG = st.one_of(st.integers(-2**63, 2**64 - 1), st.booleans(), st.none(), st.floats(allow_nan=True),
                st.text(max_size=6).map(_text), st.binary(max_size=6),
                st.lists(st.text(max_size=3).map(_text), max_size=3), st.sampled_from([_text("("), _text("$9")]))
COMMAND = st.one_of(st.integers(0, 17), st.integers(50, 69), st.integers(-3, 300))
BINS = st.sampled_from([
    {}, {"b": (ParticleType.STRING, "héllo wörld ".encode())}, {"b": (ParticleType.STRING, b"\xff\xfe")},
    {"b": (ParticleType.INTEGER, b"\0" * 8)}, {"b": (ParticleType.LIST, msgpack.packb([_text("ab"), 3]))},
    {"b": (ParticleType.BLOB, b"\x80")}, {"b": (ParticleType.FLOAT, b"\x7f\xf8" + b"\0" * 6)},
])


@st.composite
def payloads(draw):
    inner = [draw(COMMAND)] + draw(st.lists(ARG, max_size=4))
    if draw(st.booleans()):
        data = msgpack.packb([0xff, [draw(st.sampled_from([0x10, 0x20, 0x22])), draw(ARG)], inner])
    else:
        data = msgpack.packb(inner)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=3))
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from([OpType.STRING_READ, OpType.STRING_MODIFY, OpType.TO_STRING]),
       payload=payloads(), bins=BINS)
def test_hostile_payloads_get_a_result_code(kind, payload, bins):
    work = dict(bins)
    try:
        result = strings.apply(Op(kind, ParticleType.BLOB, "b", payload), work)
    except AerospikeWireError as exc:
        assert 1 <= exc.code < 256
        assert work == bins
        return
    if result is not None:
        assert result.name == "b"
    if kind != OpType.STRING_MODIFY:
        assert work == bins


def test_a_catastrophic_regex_is_stopped_with_26_and_a_risky_one_still_answers():
    """A pattern that backtracks exponentially runs in a child process that is stopped at the
    time limit (OP_NOT_APPLICABLE, as the node's regex limit); the same shapes on a short text
    answer as inline."""
    import pytest

    with pytest.raises(AerospikeWireError) as info:
        strings.read(strings.REGEX_COMPARE, ["(a+)+$", 0], "a" * 60 + "b")
    assert info.value.code == 26
    assert strings.read(strings.REGEX_COMPARE, ["(a+)+$", 0], "aaa") is True
    assert strings.modify(strings.REGEX_REPLACE, [("(a|b)+", "<$1>"), strings.RE_GLOBAL], "xaabxba") == "x<b>x<a>"
    with pytest.raises(AerospikeWireError) as info:
        strings.modify(strings.REGEX_REPLACE, [("(a)\\1", "$2"), 0], "xaa")
    assert info.value.code == 4
