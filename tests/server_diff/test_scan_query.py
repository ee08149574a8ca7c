"""Scans and secondary-index queries, raw, against the real node and spikelite.

Record order is not compared (a node's query threads interleave partitions, nondeterministically);
what must agree: the records and bins of a scan, that a record limit is honoured exactly, the BVAL
field (15) of each index-query record, and the refusal of a resumed index query without bvals."""

from __future__ import annotations

import os
import struct
import time

import pytest

from spikelite.wire import (FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType,
                            compute_digest, partition_id)

from .harness import RUN, key_fields

N = 60
ALL_PIDS = b"".join(bytes((p & 0xFF, p >> 8)) for p in range(4096))


@pytest.fixture(scope="module")
def dataset(pair):
    set_name = "diffscan%s" % RUN
    index = "diffscan_v_%s" % RUN
    for conn in (pair.real, pair.lite):
        for i in range(N):
            msg = Message(info2=Info2.WRITE, fields=key_fields(set_name, i),
                          ops=[Op(OpType.WRITE, ParticleType.INTEGER, "v", struct.pack(">q", i % 7)),
                               Op(OpType.WRITE, ParticleType.STRING, "s", b"x%d" % i)])
            assert conn.request(msg).result_code == 0
        command = "sindex-create:namespace=test;set=%s;indexname=%s;bin=v;type=numeric" % (set_name, index)
        assert conn.info(command)[command] == "ok"
    time.sleep(1.5)  # the node builds the index in the background
    yield set_name
    for conn in (pair.real, pair.lite):
        conn.info("sindex-delete:namespace=test;indexname=%s" % index)


def _request(set_name, extra=(), limit=0, pids=ALL_PIDS):
    fields = [(FieldType.NAMESPACE, b"test"), (FieldType.SET, set_name.encode()),
              (FieldType.TRID, os.urandom(8))] + list(extra)
    if pids is not None:
        fields.append((FieldType.PID_ARRAY, pids))
    if limit:
        fields.append((FieldType.MAX_RECORDS, struct.pack(">Q", limit)))
    return Message(info1=Info1.READ, info3=Info3.PARTITION_DONE, record_ttl=0xFFFFFFFF, fields=fields)


def _range(low, high):
    return (FieldType.INDEX_RANGE, bytes((1, 1)) + b"v" + bytes((ParticleType.INTEGER,))
            + struct.pack(">I", 8) + struct.pack(">q", low) + struct.pack(">I", 8) + struct.pack(">q", high))


def _records(stream):
    assert stream[-1].info3 & Info3.LAST and stream[-1].result_code == 0
    return [m for m in stream[:-1] if not m.info3 & Info3.PARTITION_DONE]


def _content(msg):
    return (msg.field(FieldType.DIGEST), msg.field(FieldType.BVAL_ARRAY),
            sorted((op.name, op.particle_type, bytes(op.value)) for op in msg.ops))


def test_scan_answers_the_same_records(pair, dataset):
    real, lite = pair.real.stream(_request(dataset)), pair.lite.stream(_request(dataset))
    assert sorted(map(_content, _records(real))) == sorted(map(_content, _records(lite)))
    assert len(_records(real)) == N


@pytest.mark.parametrize("limit", [1, 7, 25])
def test_record_limit_cuts_across_partitions(pair, dataset, limit):
    for conn in (pair.real, pair.lite):
        records = _records(conn.stream(_request(dataset, limit=limit)))
        assert len(records) == limit
        assert len({partition_id(m.field(FieldType.DIGEST)) for m in records}) > 1 or limit == 1


@pytest.mark.parametrize("low, high", [(0, 6), (2, 3), (5, 5)])
def test_index_query_records_carry_their_bval(pair, dataset, low, high):
    real = _records(pair.real.stream(_request(dataset, [_range(low, high)])))
    lite = _records(pair.lite.stream(_request(dataset, [_range(low, high)])))
    assert sorted(map(_content, real)) == sorted(map(_content, lite))
    assert all(struct.unpack("<q", m.field(FieldType.BVAL_ARRAY))[0] in range(low, high + 1) for m in real)


def test_resumed_index_query_needs_bvals(pair, dataset):
    digest = compute_digest(dataset, 3)
    bval = struct.pack("<q", 3)
    cases = [([_range(0, 6), (FieldType.DIGEST_ARRAY, digest)], None),             # no bvals
             ([_range(0, 6), (FieldType.DIGEST_ARRAY, digest), (FieldType.BVAL_ARRAY, bval * 2)], None),
             ([_range(0, 6), (FieldType.BVAL_ARRAY, bval)], ALL_PIDS)]              # bvals alone
    for extra, pids in cases:
        for conn in (pair.real, pair.lite):
            stream = conn.stream(_request(dataset, extra, pids=pids))
            assert [(m.result_code, m.info3) for m in stream] == [(4, 0)], extra
    resumed = [_range(0, 6), (FieldType.DIGEST_ARRAY, digest), (FieldType.BVAL_ARRAY, bval)]
    real = _records(pair.real.stream(_request(dataset, resumed, pids=None)))
    lite = _records(pair.lite.stream(_request(dataset, resumed, pids=None)))
    assert sorted(map(_content, real)) == sorted(map(_content, lite))


@pytest.mark.parametrize("ops", [
    [(3, "l", [16])],                                   # list size
    [(3, "l", [16]), (1, "v", None)],                   # list size and a bin
    [(3, "zz", [16])],                                  # a missing bin
    [(3, "l", [21, 7, 0])],                             # list get by rank 0, value
])
def test_query_read_operations_answer_per_record(pair, dataset, ops):
    """A foreground scan with read operations answers the operations' results per record."""
    from spikelite.wire import pack_value
    wire_ops = [Op(code, ParticleType.BLOB if payload is not None else 0, name,
                   pack_value(payload) if payload is not None else b"") for code, name, payload in ops]
    answers = []
    for conn in (pair.real, pair.lite):
        for i in range(3):  # a few records with a list bin beside the dataset's integer ones
            assert conn.request(Message(info2=Info2.WRITE, fields=key_fields(dataset, "l%d" % i), ops=[
                Op(OpType.WRITE, ParticleType.LIST, "l", pack_value([i, 5, 1]))])).result_code == 0
        request = _request(dataset)
        request.ops = wire_ops
        answers.append(sorted(map(_content, _records(conn.stream(request)))))
    assert answers[0] == answers[1]
    assert bool(answers[0]) == all(name != "zz" for _, name, _ in ops)  # no result: no record
