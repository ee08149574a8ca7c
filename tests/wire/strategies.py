"""Hypothesis strategies shared by the wire tests."""

from __future__ import annotations

from hypothesis import strategies as st

from spikewire import Message, Op

U8 = st.integers(min_value=0, max_value=0xFF)
U32 = st.integers(min_value=0, max_value=0xFFFFFFFF)
INT64 = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1)

#: Text Python can encode to UTF-8 (no lone surrogates).
TEXT_CHARS = st.characters(blacklist_categories=("Cs",))


def _utf8_at_most(limit: int):
    return st.text(TEXT_CHARS, max_size=limit).filter(lambda s: len(s.encode()) <= limit)


#: Bin names as the protocol allows them: UTF-8, at most 15 bytes.
BIN_NAMES = _utf8_at_most(15)

#: 32-bit header values, weighted towards the extremes.
U32_EDGES = st.one_of(st.sampled_from([0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]), U32)

FIELDS = st.lists(st.tuples(U8, st.binary(max_size=40)), max_size=6)

OPS = st.builds(Op,
                op=st.integers(min_value=1, max_value=16),
                particle_type=st.integers(min_value=0, max_value=23),
                name=BIN_NAMES,
                value=st.binary(max_size=40))

MESSAGES = st.builds(Message,
                     info1=U8, info2=U8, info3=U8, info4=U8, result_code=U8,
                     generation=U32_EDGES, record_ttl=U32_EDGES, transaction_ttl=U32_EDGES,
                     fields=FIELDS, ops=st.lists(OPS, max_size=6))
