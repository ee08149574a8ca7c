"""Reads carrying a read-touch percentage in their record_ttl field, raw: every percentage form
(config default 0, 1..100, never 0xFFFFFFFF, over 100) on records with and without a TTL, and on
a missing record; replies (codes, generations, TTLs, bins) must agree. Whether a touch happened
is checked with both clients in tests/behaviour/test_read_touch.py."""

from __future__ import annotations

import struct

import pytest

from spikelite.wire import Info1, Info2, Message, Op, OpType, ParticleType

from .harness import fresh_key, key_fields

SET = "diffrt"
PERCENTS = [0, 1, 50, 100, 101, 255, 1000, 0xFFFFFFFE, 0xFFFFFFFF]


@pytest.mark.parametrize("ttl", [0xFFFFFFFF, 1000], ids=["never-expires", "ttl-1000"])
def test_read_touch_percentages_are_answered_as_the_node(pair, ttl):
    key = fresh_key("rt")
    write = Message(info2=Info2.WRITE, record_ttl=ttl, fields=key_fields(SET, key),
                    ops=[Op(OpType.WRITE, ParticleType.INTEGER, "v", struct.pack(">q", 1))])
    pair.check(write, "write ttl %d" % ttl)
    for percent in PERCENTS:
        for info1, ops in ((Info1.READ | Info1.GET_ALL, []), (Info1.READ, [Op(OpType.READ, 0, "v", b"")]),
                           (Info1.READ | Info1.GET_NO_BINS, [])):
            read = Message(info1=info1, record_ttl=percent, fields=key_fields(SET, key), ops=ops)
            pair.check(read, "read-touch %d, info1 %d, ttl %d" % (percent, info1, ttl))
    missing = Message(info1=Info1.READ | Info1.GET_ALL, record_ttl=101, fields=key_fields(SET, fresh_key("rt")))
    pair.check(missing, "read-touch 101 of a missing record")
