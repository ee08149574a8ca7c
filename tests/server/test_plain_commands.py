"""Plain gets and puts (`commands.plain`) answer exactly as the general path does: generated request
sequences run on two nodes, one with the plain path and one without, must give the same reply
bytes and leave the same records."""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.config import NamespaceConfig, ServerConfig
from spikelite.node import Node
from spikelite.server import RequestHandler
from spikelite.store import Clock
from spikelite.wire import ProtoType, compute_digest, pack_key_field

_HEADER = struct.Struct(">BBBBBBIIIHH")
START_NS = 1_700_000_000 * 1_000_000_000


class StepClock(Clock):
    def __init__(self) -> None:
        self.ns = START_NS

    def now_ns(self) -> int:
        return self.ns


def _node() -> Node:
    config = ServerConfig(namespaces={
        "test": NamespaceConfig("test", nsup_period=120),
        "small": NamespaceConfig("small", default_ttl=100, max_ttl=1000, max_record_size=120,
                                 data_size=200, default_read_touch_ttl_pct=50, nsup_period=10),
        "nottl": NamespaceConfig("nottl"),
    })
    return Node(config, clock=StepClock())


def _request(info1, info2, info3, ttl, fields, ops) -> bytes:
    parts = [_HEADER.pack(22, info1, info2, info3, 0, 0, 0, ttl, 1000, len(fields), len(ops))]
    for ftype, data in fields:
        parts.append(struct.pack(">IB", len(data) + 1, ftype) + data)
    for opcode, ptype, flags, name, value in ops:
        parts.append(struct.pack(">IBBBB", 4 + len(name) + len(value), opcode, ptype, flags, len(name))
                     + name + value)
    return b"".join(parts)


_NAMES = st.sampled_from([b"a", b"b", b"c", b"long-bin-name15", b"", b"x" * 16, b"a\0", b"\xff"])
_VALUES = st.sampled_from([
    (1, struct.pack(">q", 7)), (1, struct.pack(">q", -1)), (1, b"\0\0\0\5"), (2, struct.pack(">d", 1.5)),
    (2, b"\0"), (3, b"text"), (3, b""), (3, b"y" * 90), (4, b"\1\2"), (9, b"pickled"), (17, b"\1"), (17, b"\2"),
    (0, b""), (19, b"\x81\xa1k\x01"), (20, b"\x92\x01\x02"), (23, b"\0\0\0{}"), (99, b"?"),
])
_WILD_OPS = st.lists(st.tuples(st.sampled_from([2, 2, 2, 2, 1, 5, 9]), _VALUES, st.sampled_from([0, 0, 0, 1]),
                               _NAMES), min_size=0, max_size=4)
_PLAIN_VALUES = st.sampled_from([(1, struct.pack(">q", 7)), (2, struct.pack(">d", 1.5)), (3, b"text"),
                                 (3, b"y" * 60), (4, b"\1\2"), (17, b"\0")])
_PLAIN_OPS = st.lists(st.tuples(st.just(2), _PLAIN_VALUES, st.just(0), st.sampled_from([b"a", b"b", b"c", b"d"])),
                      min_size=1, max_size=4, unique_by=lambda op: op[3])
_OPS = st.one_of(_PLAIN_OPS, _PLAIN_OPS, _WILD_OPS)
_TTLS = st.sampled_from([0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFE, 10, 500, 5000, 101, 60])


@st.composite
def _commands(draw):
    namespace = draw(st.sampled_from([b"test", b"test", b"test", b"small", b"small", b"nottl", b"nope"]))
    set_name = draw(st.sampled_from([None, b"s", b"", b"s2"]))
    index = draw(st.integers(0, 1))
    digest = compute_digest("s", index)
    if draw(st.integers(0, 20)) == 0:
        digest = digest[:19]
    fields = [(0, namespace)]
    if set_name is not None:
        fields.append((1, set_name))
    key = draw(st.sampled_from([None, None, None, index, index, index + 50]))
    if key is not None:
        fields.append((2, pack_key_field(key)))
    fields.append((4, digest))
    if draw(st.integers(0, 15)) == 0:
        fields.append((draw(st.sampled_from([4, 43, 9])), b"\1"))
    kind = draw(st.sampled_from(["get", "get", "put", "put", "put", "odd"]))
    ttl = draw(_TTLS)
    step = draw(st.sampled_from([0, 0, 0, 30, 80, 2000]))
    if kind == "get":
        ops = [] if draw(st.integers(0, 8)) else [(1, 0, 0, b"", b"")]
        return step, _request(3, 0, 0, ttl, fields, ops)
    ops = [(opcode, ptype, flags, name, value) for opcode, (ptype, value), flags, name in draw(_OPS)]
    if kind == "put":
        return step, _request(0, 1, 0, ttl, fields, ops)
    info1, info2, info3 = draw(st.sampled_from([(1, 0, 0), (3, 0, 8), (0, 1, 0x10), (0, 0x21, 0), (0x83, 0, 0),
                                                (0, 5, 0)]))
    return step, _request(info1, info2, info3, ttl, fields, ops)


def _records(node: Node) -> dict:
    return {name: ({d: (r.bins, r.generation, r.void_time, r.last_update_ns, r.key, r.set_name)
                    for d, r in ns.items()}, dict(ns.set_counts), ns.used_bytes)
            for name, ns in node.namespaces.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_commands(), min_size=1, max_size=25))
def test_plain_path_answers_as_the_general_path(commands) -> None:
    fast_node, general_node = _node(), _node()
    fast, general = RequestHandler(fast_node), RequestHandler(general_node)
    general.plain.answer = lambda body: None  # type: ignore[method-assign]
    setup = [(0, _request(0, 1, 0, 0, [(0, namespace), (1, b"s")] + ([(2, pack_key_field(i))] if i else [])
                          + [(4, compute_digest("s", i))], [(2, 1, 0, b"a", struct.pack(">q", i))]))
             for namespace in (b"test", b"small", b"nottl") for i in (0, 1)]
    for step, body in setup + commands:
        fast_node.clock.ns += step * 1_000_000_000
        general_node.clock.ns += step * 1_000_000_000
        assert fast.handle(ProtoType.AS_MSG, body) == general.handle(ProtoType.AS_MSG, body)
        assert _records(fast_node) == _records(general_node)


def test_plain_gets_and_puts_take_the_plain_path() -> None:
    node = _node()
    handler = RequestHandler(node)
    fields = [(0, b"test"), (1, b"s"), (4, compute_digest("s", 1))]
    put = _request(0, 1, 0, 0, fields, [(2, 1, 0, b"a", struct.pack(">q", 5)), (2, 3, 0, b"b", b"v")])
    get = _request(3, 0, 0, 0, fields, [])
    assert handler.plain.answer(get) == bytes.fromhex("0203000000000016" "160000000002" + "00" * 16)
    assert handler.plain.answer(put) == bytes.fromhex("0203000000000016" "160000000000" "00000001" + "00" * 12)
    reply = handler.plain.answer(get)
    assert reply is not None and reply[8 + 6:8 + 10] == b"\0\0\0\1" and reply[8 + 20:8 + 22] == b"\0\2"
    assert node.namespaces["test"].peek(compute_digest("s", 1)).bins == {
        "a": (1, struct.pack(">q", 5)), "b": (3, b"v")}
    assert handler.plain.answer(_request(1, 0, 0, 0, fields, [(1, 0, 0, b"a", b"")])) is None  # one bin: general
