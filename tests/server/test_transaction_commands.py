"""spikelite's transaction rules (commands/transaction.py) at the command level: any message to a
strong-consistency namespace gets an answer (never an exception), the committed records only change
through committed transactions, and provisional writes survive a reopen of a persistent namespace."""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikelite.commands.dispatch import DataCommands
from spikelite.commands.transaction import MONITOR_SET, monitor_digest, record_version
from spikelite.config import NamespaceConfig, ServerConfig
from spikelite.node import Node
from spikelite.store.clock import Clock
from spikelite.store.namespace import Namespace
from spikelite.store.record import Record
from spikelite.wire import FieldType, Info1, Info2, Message, Op, OpType, ParticleType, ResultCode, compute_digest
from spikelite.wire.particles import encode_int

NS = "txn"
DIGESTS = [compute_digest("s", i) for i in range(3)]


def _node() -> Node:
    config = ServerConfig(namespaces={NS: NamespaceConfig(NS, nsup_period=1, strong_consistency=True),
                                      "ap": NamespaceConfig("ap", nsup_period=1)})
    return Node(config)


def _msg(ns: str, digest: bytes, info1=0, info2=0, info4=0, extra=(), ops=(), set_name="s", ttl=0) -> Message:
    fields = [(FieldType.NAMESPACE, ns.encode()), (FieldType.SET, set_name.encode()), (FieldType.DIGEST, digest)]
    return Message(info1=info1, info2=info2, info4=info4, record_ttl=ttl, fields=fields + list(extra), ops=list(ops))


def _int_op(name: str, value: int, op=OpType.WRITE) -> Op:
    return Op(op, ParticleType.INTEGER, name, encode_int(value))


_field_data = st.one_of(st.binary(max_size=10), st.integers(0, (1 << 64) - 1).map(lambda v: struct.pack("<Q", v)))
_messages = st.builds(
    lambda ns, d, info1, info2, info4, extra, ops, set_name, ttl: _msg(ns, d, info1, info2, info4, extra, ops,
                                                                     set_name, ttl),
    st.sampled_from([NS, "ap"]), st.sampled_from(DIGESTS + [monitor_digest(7)]), st.sampled_from([0, 1, 3, 0x21]),
    st.sampled_from([0, 1, 3, 0x11]), st.integers(0, 255),
    st.lists(st.tuples(st.sampled_from([FieldType.RECORD_VERSION, FieldType.MRT_ID, FieldType.MRT_DEADLINE]),
                       _field_data), max_size=3),
    st.lists(st.one_of(st.builds(_int_op, st.sampled_from(["v", "id", "fwd", "keyds"]), st.integers(-3, 9)),
                       st.just(Op(OpType.READ, 0, "v")), st.just(Op(OpType.DELETE))), max_size=3),
    st.sampled_from(["s", MONITOR_SET, ""]), st.sampled_from([0, 1, 5, 0xFFFFFFFE]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_messages, min_size=1, max_size=12))
def test_any_message_gets_an_answer_and_only_commits_change_records(messages):
    node = _node()
    commands = DataCommands(node)
    ns = node.namespaces[NS]
    for digest in DIGESTS:
        commands.execute(_msg(NS, digest, info2=Info2.WRITE, ops=[_int_op("v", 1)]))
    for msg in messages:
        reply = commands.execute(msg)
        assert isinstance(reply, Message) and 0 <= reply.result_code < 256
        # a provisional write never shows outside its transaction
        for digest in DIGESTS:
            plain = commands.execute(_msg(NS, digest, info1=Info1.READ | Info1.GET_ALL))
            record = ns.peek(digest)
            assert plain.result_code == (ResultCode.OK if record is not None else ResultCode.KEY_NOT_FOUND)
    for txn_id in {p.txn_id for p in ns.provisional.values()}:
        assert isinstance(commands.transactions.settle(ns, txn_id), bool)
    assert not node.namespaces["ap"].provisional  # a namespace without strong consistency has none


def test_a_write_in_a_transaction_stays_provisional_until_rolled_forward():
    node = _node()
    commands = DataCommands(node)
    ns = node.namespaces[NS]
    digest, txn_id = DIGESTS[0], 0xF00D
    commands.execute(_msg(NS, digest, info2=Info2.WRITE, ops=[_int_op("v", 1)]))
    before = ns.records[digest]
    txn = [(FieldType.MRT_ID, struct.pack("<Q", txn_id))]
    # no monitor yet: the write is refused as an expired transaction
    assert commands.execute(_msg(NS, digest, info2=Info2.WRITE, extra=txn, ops=[_int_op("v", 2)])).result_code \
        == ResultCode.MRT_EXPIRED
    created = commands.execute(_msg(NS, monitor_digest(txn_id), info2=Info2.WRITE, set_name=MONITOR_SET,
                                    ops=[_int_op("id", txn_id)]))
    assert created.result_code == ResultCode.OK and created.field(FieldType.MRT_DEADLINE) is not None
    assert commands.execute(_msg(NS, digest, info2=Info2.WRITE, extra=txn, ops=[_int_op("v", 2)])).result_code == 0
    assert ns.records[digest] is before and ns.provisional[digest].txn_id == txn_id
    blocked = commands.execute(_msg(NS, digest, info2=Info2.WRITE, ops=[_int_op("v", 3)]))
    assert blocked.result_code == ResultCode.MRT_BLOCKED
    version = struct.pack("<Q", record_version(Record.of(before)))[:7]
    verify = commands.execute(_msg(NS, DIGESTS[1], info1=Info1.READ | 0x20, info4=1,
                                   extra=[(FieldType.RECORD_VERSION, version)]))
    assert verify.result_code == ResultCode.MRT_VERSION_MISMATCH  # another record's version
    assert commands.execute(_msg(NS, digest, info2=Info2.WRITE | Info2.DURABLE_DELETE, info4=2, extra=txn)).result_code == 0
    assert digest not in ns.provisional
    assert ns.peek(digest).bins == {"v": (ParticleType.INTEGER, encode_int(2))}
    assert commands.execute(_msg(NS, digest, info2=Info2.WRITE, ops=[_int_op("v", 3)])).result_code == 0


def test_provisional_writes_survive_a_reopen(tmp_path):
    path = str(tmp_path / "txn.dat")
    config = NamespaceConfig(NS, nsup_period=1, strong_consistency=True, storage_file=path)
    ns = Namespace(config, Clock())
    committed = Record({"v": (ParticleType.INTEGER, encode_int(1))}, 1, 0, 1, None, "s")
    pending = Record({"v": (ParticleType.INTEGER, encode_int(2))}, 2, 0, 2, None, "s")
    ns.put(DIGESTS[0], committed)
    ns.put(DIGESTS[1], committed)
    big_id = (1 << 64) - 5  # above the largest signed 64-bit value
    ns.put_provisional(DIGESTS[0], big_id, pending, "s")
    ns.put_provisional(DIGESTS[1], big_id, None, "s")
    ns.close()
    ns = Namespace(config, Clock())
    assert {d: (p.txn_id, p.record.bins if p.record else None) for d, p in ns.provisional.items()} == {
        DIGESTS[0]: (big_id, pending.bins), DIGESTS[1]: (big_id, None)}
    assert ns.peek(DIGESTS[0]).bins == committed.bins
    ns.apply_provisional(DIGESTS[0])
    ns.apply_provisional(DIGESTS[1])
    ns.close()
    ns = Namespace(config, Clock())
    assert not ns.provisional and ns.peek(DIGESTS[0]).bins == pending.bins and DIGESTS[1] not in ns.records
    ns.close()
