"""The fast paths of scans and queries keep their answers: the lazy bin view a filter expression
reads (only the bins it asks for are decoded) matches the record's bins, and the record replies a
scan encodes by hand are the bytes `Message.encode` gives."""

from __future__ import annotations

from spikelite.commands.scan import run_scan
from spikelite.config import default_config
from spikelite.node import Node
from spikelite.store.record import LazyBins, Record, bins_at, find_bin
from spikelite.wire import (FieldType, Info1, Message, Op, OpType, ParticleType, compute_digest,
                            iter_messages, pack_key_field)
from spikelite.wire.framing import PROTO_HEADER_SIZE
from spikelite.wire.particles import encode_int

BINS = {"a": (ParticleType.INTEGER, encode_int(5)), "bé": (ParticleType.STRING, b"x" * 300),
        "n": (ParticleType.INTEGER, encode_int(7)), "l": (ParticleType.LIST, b"\x92\x01\x02")}


def test_lazy_bins_match_the_decoded_bins() -> None:
    record = Record(dict(BINS), 3, 0, 1, None, "s")
    lazy = LazyBins(record)
    assert dict(lazy) == record.bins and len(lazy) == 4 and list(lazy) == list(BINS)
    for name, value in BINS.items():
        assert lazy.get(name) == value and lazy[name] == value and name in lazy
        assert lazy.get(name) is lazy.get(name)  # the same tuple: expression caches rely on it
        assert find_bin(record.blob, bins_at(record.blob), name.encode()) == value
    for missing in ("b", "", "nn", "\udcff", "x" * 300):
        assert lazy.get(missing) is None and missing not in lazy and lazy.get(missing, 1) == 1
    assert LazyBins(Record({}, 1, 0, 1, None, None)).get("a") is None


def _node_with_records():
    node = Node(default_config())
    ns = node.namespaces["test"]
    for i in range(40):
        set_name = "s" if i % 3 else None
        key = pack_key_field(i) if i % 2 else None
        bins = {"a": (ParticleType.INTEGER, encode_int(i)), "n": (ParticleType.INTEGER, encode_int(i % 4))}
        ns.put(compute_digest(set_name, i), Record(bins, 1 + i, 900_000_000 + i if i % 5 else 0, i, key, set_name))
    return node, ns


def _reference_reply(digest: bytes, record, no_bins: bool, selected: list) -> bytes:
    fields = [(FieldType.NAMESPACE, b"test"), (FieldType.DIGEST, digest)]
    if record.set_name:
        fields.append((FieldType.SET, record.set_name.encode()))
    if record.key is not None:
        fields.append((FieldType.KEY, record.key))
    bins = record.bins
    ops = [Op(OpType.READ, bins[n][0], n, bins[n][1]) for n in selected if n in bins] if selected else None
    reply = Message(info1=Info1.GET_NO_BINS if no_bins else 0, generation=record.generation,
                    record_ttl=record.void_time, fields=fields, ops=[] if no_bins else (ops or []))
    if ops is None and not no_bins:
        reply.encoded_ops = record.encoded_bins()
    return reply.encode()


def _scan_messages(node, ns, msg: Message) -> list[bytes]:
    data = b"".join(p[PROTO_HEADER_SIZE:] for p in run_scan(node, ns, msg))
    out, pos = [], 0
    for parsed in iter_messages(data):
        size = len(parsed.encode())
        out.append(data[pos:pos + size])
        pos += size
    return out[:-1]  # without the LAST marker



def _filter_n_equals(value: int) -> bytes:
    # msgpack of [EQ, [BIN, INT, "n"], value]: the filter expression exp.Eq(exp.IntBin("n"), value)
    return b"\x93\x01\x93\x51\x02\xa1n" + bytes((value,))


#: Every partition id (a foreground scan names its partitions, as a real node requires).
ALL_PIDS = b"".join(bytes((p & 0xFF, p >> 8)) for p in range(4096))


def test_scan_replies_match_message_encode_with_and_without_filter() -> None:
    node, ns = _node_with_records()
    records = sorted(ns.items(), key=lambda item: item[0])
    cases = [(0, [], None), (Info1.GET_NO_BINS, [], None), (0, ["n", "zz"], None), (0, [], 1),
             (0, ["a"], 2)]
    for info1, selected, value in cases:
        fields = [(FieldType.NAMESPACE, b"test"), (FieldType.PID_ARRAY, ALL_PIDS)]
        if value is not None:
            fields.append((FieldType.FILTER_EXPRESSION, _filter_n_equals(value)))
        msg = Message(info1=Info1.READ | info1, fields=fields,
                      ops=[Op(OpType.READ, 0, name) for name in selected])
        got = _scan_messages(node, ns, msg)
        pid_order = sorted(records, key=lambda item: ((item[0][0] | item[0][1] << 8) & 4095, item[0]))
        chosen = [(d, r) for d, r in pid_order if value is None or r.bins["n"][1] == encode_int(value)]
        want = [_reference_reply(d, r, bool(info1), selected) for d, r in chosen]
        pid_of = {reply: (d[0] | d[1] << 8) & 4095 for reply, (d, _) in zip(want, chosen)}
        # the replies interleave partitions (several readers, as a node's query threads): the same
        # replies, and each partition's in digest order
        assert sorted(got) == sorted(want), (info1, selected, value)
        for pid in set(pid_of.values()):
            assert [m for m in got if pid_of[m] == pid] == [m for m in want if pid_of[m] == pid]
        if value is None:
            assert got != want  # not in partition order: a client must not rely on it
        assert len(got) == (40 if value is None else 10)


# -- batch reads of whole records -----------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from spikelite.commands.batch import execute_batch  # noqa: E402
from spikelite.commands.dispatch import DataCommands  # noqa: E402
from spikelite.wire import Info3  # noqa: E402
from spikelite.wire.message import encode_ops  # noqa: E402

_ROW_KINDS = ("all", "all", "repeat", "no_bins", "bins", "other_ns", "key")


def _batch_row(index: int, digest: bytes, kind: str) -> bytes:
    head = index.to_bytes(4, "big") + digest
    if kind == "repeat":
        return head + b"\x01"
    ns = b"bar" if kind == "other_ns" else b"test"
    fields = [(FieldType.NAMESPACE, ns), (FieldType.SET, b"s")]
    if kind == "key":
        fields.append((FieldType.KEY, pack_key_field(index)))
    ops = [Op(OpType.READ, 0, "a")] if kind == "bins" else []
    info1 = {"no_bins": Info1.READ | Info1.GET_NO_BINS, "bins": Info1.READ}.get(kind, Info1.READ | Info1.GET_ALL)
    body = bytes((info1,)) + len(fields).to_bytes(2, "big") + len(ops).to_bytes(2, "big")
    body += b"".join((len(d) + 1).to_bytes(4, "big") + bytes((t,)) + d for t, d in fields)
    return head + b"\x00" + body + encode_ops(ops)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 59), st.sampled_from(_ROW_KINDS)), min_size=1, max_size=30))
def test_batch_reads_of_whole_records_answer_as_the_general_path(rows) -> None:
    """A batch row reading every bin is answered without building messages (DataCommands._read_all):
    the same bytes as the general path, for found and missing records, mixed with other row kinds,
    repeat rows, rows sending a key and an unknown namespace."""
    node, ns = _node_with_records()
    commands = DataCommands(node)
    fixed, previous = [], None
    for i, kind in rows:  # a repeat row follows a full row, never one sending a key (PARAMETER)
        if kind == "repeat" and previous in (None, "key"):
            kind = "all"
        fixed.append((i, kind))
        previous = kind if kind != "repeat" else previous
    rows = fixed
    payload = len(rows).to_bytes(4, "big") + b"\x0d"  # inline, report all errors, error records
    for index, (i, kind) in enumerate(rows):
        payload += _batch_row(index, compute_digest("s" if i % 3 else None, i), kind)
    parent = Message(info1=Info1.BATCH, transaction_ttl=1000, fields=[(FieldType.BATCH_INDEX, payload)])
    fast = execute_batch(parent, commands.execute, commands._read_all)
    general = execute_batch(parent, commands.execute)
    assert fast == general
    replies = [m for p in fast for m in iter_messages(p[PROTO_HEADER_SIZE:])]
    assert len(replies) == len(rows) + 1 and replies[-1].info3 & Info3.LAST
