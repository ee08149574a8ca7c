"""How a scan, query, batch or background job that cannot run is answered, raw: the result code
and whether the reply carries LAST (a node ends a batch's stream with LAST even when it cannot
read the batch; a scan's or query's error reply has no LAST, its code ends the stream).

Also: a foreground scan or query without PID_ARRAY/DIGEST_ARRAY answers 16, an empty PID_ARRAY 4,
an odd last byte is ignored, and a background job on a set the namespace never had answers 2."""

from __future__ import annotations

import os
import struct

import pytest

from spikelite.wire import (FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType,
                            compute_digest, iter_messages, pack_proto_header)

from .harness import RUN, key_fields

ALL_PIDS = b"".join(bytes((p & 0xFF, p >> 8)) for p in range(4096))
NS = (FieldType.NAMESPACE, b"test")
SET = "diffstream%s" % RUN
NEVER = "diffnever%s" % RUN
WRITE_W = Op(OpType.WRITE, ParticleType.INTEGER, "w", struct.pack(">q", 1))
RANGE = (FieldType.INDEX_RANGE, bytes((1, 1)) + b"v" + bytes((ParticleType.INTEGER,))
         + struct.pack(">I", 8) + struct.pack(">q", 0) + struct.pack(">I", 8) + struct.pack(">q", 5))


def _scan(set_name=SET, info1=Info1.READ, info2=0, fields=(), ops=()) -> bytes:
    return Message(info1=info1, info2=info2, info3=Info3.PARTITION_DONE, record_ttl=0xFFFFFFFF,
                   fields=[NS, (FieldType.SET, set_name.encode()), (FieldType.TRID, os.urandom(8))]
                   + list(fields), ops=list(ops)).encode()


def _batch_row_payload() -> bytes:
    digest = compute_digest(SET, 1)
    return (struct.pack(">IB", 1, 0) + struct.pack(">I", 0) + digest
            + struct.pack(">BBBBHH", 0x01 | 0x08, Info1.READ | Info1.GET_ALL, 0, 0, 1, 0)
            + struct.pack(">IB", 5, FieldType.NAMESPACE) + b"test")


def _with(body: bytes, at: int, value: bytes) -> bytes:
    changed = bytearray(body)
    changed[at:at + len(value)] = value
    return bytes(changed)


GOOD_SCAN = _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS)])
GOOD_BATCH = Message(info1=Info1.READ | Info1.BATCH, fields=[(FieldType.BATCH_INDEX, _batch_row_payload())]).encode()

CASES = {
    "scan": GOOD_SCAN,
    "scan, more fields than sent": _with(GOOD_SCAN, 18, struct.pack(">H", 9)),
    "scan, an op missing": _with(GOOD_SCAN, 20, struct.pack(">H", 1)),
    "scan, field longer than the message": _with(GOOD_SCAN, 22, struct.pack(">I", 0xFFFF)),
    "scan, header only": GOOD_SCAN[:22],
    "scan, trailing bytes": GOOD_SCAN + b"\x00\x00\x00",
    "scan without partitions": _scan(),
    "query without partitions": _scan(fields=[RANGE]),
    "scan, digests only": _scan(fields=[(FieldType.DIGEST_ARRAY, compute_digest(SET, 1))]),
    "scan, empty PID_ARRAY": _scan(fields=[(FieldType.PID_ARRAY, b"")]),
    "scan, odd PID_ARRAY": _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS[:3])]),
    "scan, repeated partition": _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS[:2] * 2)]),
    "scan, partition 8192": _scan(fields=[(FieldType.PID_ARRAY, b"\x00\x20")]),
    "scan, bad digest array": _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS), (FieldType.DIGEST_ARRAY, b"\0" * 5)]),
    "scan, bad filter": _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS), (FieldType.FILTER_EXPRESSION, b"\xc1")]),
    "query, bad range": _scan(fields=[(FieldType.PID_ARRAY, ALL_PIDS), (FieldType.INDEX_RANGE, b"\x01\x00")]),
    "background ops, set never written": _scan(NEVER, 0, Info2.WRITE, ops=[WRITE_W]),
    "background ops, with partitions, set never written": _scan(NEVER, 0, Info2.WRITE,
                                                                [(FieldType.PID_ARRAY, ALL_PIDS)], [WRITE_W]),
    "background ops without partitions": _scan(SET, 0, Info2.WRITE, ops=[WRITE_W]),
    "background UDF, set never written": _scan(NEVER, 0, Info2.WRITE, [
        (FieldType.UDF_FILENAME, b"m"), (FieldType.UDF_FUNCTION, b"f"), (FieldType.UDF_ARGLIST, b"\x90"),
        (FieldType.UDF_OP, b"\x02")]),
    "batch, unreadable row": GOOD_BATCH,
    "batch, more fields than sent": _with(GOOD_BATCH, 18, struct.pack(">H", 3)),
    "batch, trailing byte": GOOD_BATCH + b"\x00",
    "batch, header only": GOOD_BATCH[:22],
    "batch, short header": GOOD_BATCH[:10],
    "batch, cut": _with(GOOD_BATCH, 18, struct.pack(">H", 3))[:30],
    "batch, empty": Message(info1=Info1.READ | Info1.BATCH, fields=[(FieldType.BATCH_INDEX, b"\x00\x00")]).encode(),
}


def _answer(conn, body: bytes) -> list[tuple[int, bool]]:
    """(result code, LAST) of each reply message, up to LAST or an error code."""
    conn.sock.sendall(pack_proto_header(3, len(body)) + body)
    out: list[tuple[int, bool]] = []
    while True:
        _, reply = conn._read_proto()
        for msg in iter_messages(reply):
            out.append((msg.result_code, bool(msg.info3 & Info3.LAST)))
            if msg.info3 & Info3.LAST or msg.result_code:
                return [entry for entry in out if entry[0] or entry[1]]


@pytest.fixture(scope="module")
def stream_set(pair):
    for conn in (pair.real, pair.lite):
        msg = Message(info2=Info2.WRITE, fields=key_fields(SET, 1),
                      ops=[Op(OpType.WRITE, ParticleType.INTEGER, "v", struct.pack(">q", 1))])
        assert conn.request(msg).result_code == 0


@pytest.mark.parametrize("case", list(CASES))
def test_stream_errors_end_as_on_the_node(pair, stream_set, case):
    real, lite = _answer(pair.real, CASES[case]), _answer(pair.lite, CASES[case])
    assert real == lite, (case, real, lite)
