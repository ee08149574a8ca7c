"""The "echo floor": a loopback server that answers Aerospike requests with canned replies.

It keeps no data. Each data request (proto type 3) gets a pre-encoded, valid reply of the shape a
real node would send for it:

- a read gets the current canned record (``small``: 2 small bins; ``blob``: one 1.4 KB blob bin),
  a header-only read (exists) gets just the header;
- a plain write, delete or touch gets an OK header;
- a write that returns values (operate with reads or ``RESPOND_ALL_OPS``, e.g. list append) gets
  one integer result per op, named like the request's ops;
- a batch of N keys gets N canned records (row index in ``transaction_ttl``) and the LAST marker;
- a scan or query (no digest field) gets ``scan_records`` / ``query_records`` canned records, each
  with its own digest, then the LAST marker.

Info requests (proto type 1) get the answers a client needs to tend one node that owns every
partition. The shape is changed at run time with the info command
``bench-echo:record=small|blob;scan_records=N;query_records=N`` (the harness sends it before each
workload). The hot path does as little as possible so that the ratio spikelite/echo measures what
spikelite spends on top of what Python asyncio itself costs.

Usage: ``python echo.py [--host 127.0.0.1] [--port 0]``; prints ``echo listening on HOST:PORT``.
This file imports nothing from the project, so it runs in any Python 3.10+.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import signal
import struct

PROTO_HEADER = struct.Struct(">Q")
MSG_HEADER = struct.Struct(">BBBBBBIIIHH")  # header_sz info1..4 result gen ttl tx_ttl n_fields n_ops
FIELD_HEADER = struct.Struct(">IB")
OP_HEADER = struct.Struct(">IBBBB")
U32 = struct.Struct(">I")
U16 = struct.Struct(">H")

PROTO_INFO, PROTO_ADMIN, PROTO_MSG, PROTO_COMPRESSED = 1, 2, 3, 4
INFO1_BATCH, INFO1_NOBINDATA = 0x08, 0x20
INFO2_WRITE, INFO2_RESPOND_ALL_OPS = 0x01, 0x80
INFO3_LAST = 0x01
FIELD_DIGEST, FIELD_INDEX_RANGE, FIELD_BATCH, FIELD_BATCH_WITH_SET = 4, 22, 41, 42
PARTICLE_INTEGER, PARTICLE_STRING, PARTICLE_BLOB = 1, 3, 4
OP_READ = 1
#: Op codes whose result a node sends back: read, CDT read/modify, expression read, bit/HLL read,
#: HLL modify.
RETURNING_OPS = frozenset({1, 3, 4, 7, 12, 15, 16})
ONE = struct.pack(">q", 1)

CHUNK = 128 * 1024
NODE_ID = "BB9EC40000000001"
ALL_PARTITIONS = base64.b64encode(b"\xff" * 512).decode()
NO_PARTITIONS = base64.b64encode(bytes(512)).decode()
FEATURES = ("batch-any;batch-index;blob-bits;cdt-index;cdt-list;cdt-map;cluster-stable;float;geo;"
            "peers;pipelining;pquery;pscans;query-show;replicas;replicas-all;replicas-master;"
            "replicas-max;truncate-namespace;udf")


def frame(proto_type: int, body: bytes) -> bytes:
    return PROTO_HEADER.pack((2 << 56) | (proto_type << 48) | len(body)) + body


def op_bytes(name: str, particle: int, value: bytes) -> bytes:
    raw = name.encode()
    return OP_HEADER.pack(4 + len(raw) + len(value), OP_READ, particle, 0, len(raw)) + raw + value


def msg(ops: list[bytes], info3: int = 0, result: int = 0, tx_ttl: int = 0,
        fields: list[bytes] = ()) -> bytes:
    """AS_MSG bytes (no proto header) with generation 1 and no expiry."""
    return (MSG_HEADER.pack(22, 0, 0, info3, 0, result, 1, 0, tx_ttl, len(fields), len(ops))
            + b"".join(fields) + b"".join(ops))


def record_ops(shape: str) -> list[bytes]:
    if shape == "blob":
        return [op_bytes("blob", PARTICLE_BLOB, os.urandom(1400))]
    return [op_bytes("a", PARTICLE_INTEGER, struct.pack(">q", 12345)),
            op_bytes("b", PARTICLE_STRING, b"hello-world!")]


class Shape:
    """Every canned reply, rebuilt when the shape changes."""

    def __init__(self, record: str = "small", scan_records: int = 1000, query_records: int = 100):
        self.record = record
        self.scan_records = scan_records
        self.query_records = query_records
        ops = record_ops(record)
        self.record_ops = ops
        self.read_reply = frame(PROTO_MSG, msg(ops))
        self.header_reply = frame(PROTO_MSG, msg([]))
        self.write_reply = self.header_reply
        self.batch_cache: dict[int, bytes] = {}
        self.stream_cache: dict[int, bytes] = {}

    def batch_reply(self, count: int) -> bytes:
        reply = self.batch_cache.get(count)
        if reply is None:
            rows = [msg(self.record_ops, tx_ttl=i) for i in range(count)]
            rows.append(msg([], info3=INFO3_LAST))
            reply = self.batch_cache[count] = chunked(rows)
        return reply

    def stream_reply(self, count: int) -> bytes:
        reply = self.stream_cache.get(count)
        if reply is None:
            rows = []
            for i in range(count):
                digest = hashlib.sha1(b"echo%d" % i).digest()
                rows.append(msg(self.record_ops, fields=[FIELD_HEADER.pack(21, FIELD_DIGEST) + digest]))
            rows.append(msg([], info3=INFO3_LAST))
            reply = self.stream_cache[count] = chunked(rows)
        return reply


def chunked(rows: list[bytes]) -> bytes:
    """Pack back-to-back AS_MSGs into proto messages of about CHUNK bytes."""
    out, part, size = [], [], 0
    for row in rows:
        part.append(row)
        size += len(row)
        if size >= CHUNK:
            out.append(frame(PROTO_MSG, b"".join(part)))
            part, size = [], 0
    if part:
        out.append(frame(PROTO_MSG, b"".join(part)))
    return b"".join(out)


class Echo:
    def __init__(self) -> None:
        self.shape = Shape()
        self.host = "127.0.0.1"
        self.port = 0
        self.requests = 0

    # -- data ------------------------------------------------------------------------------------

    def data(self, body: bytes) -> bytes:
        info1, info2 = body[1], body[2]
        n_fields, n_ops = MSG_HEADER.unpack_from(body)[9:]
        shape = self.shape
        if not info1 & INFO1_BATCH and not info2 & INFO2_WRITE and self._has_field(body, n_fields, FIELD_DIGEST):
            # the hot path: a single-record read
            return shape.header_reply if info1 & INFO1_NOBINDATA else shape.read_reply
        pos = 22
        has_digest = False
        batch_count = -1
        for _ in range(n_fields):
            size, ftype = FIELD_HEADER.unpack_from(body, pos)
            if ftype == FIELD_DIGEST:
                has_digest = True
            elif ftype in (FIELD_BATCH, FIELD_BATCH_WITH_SET):
                batch_count = U32.unpack_from(body, pos + 5)[0]
            pos += 4 + size
        if batch_count >= 0:
            return shape.batch_reply(batch_count)
        if not has_digest:  # scan or query; a query carries an index range field
            is_query = self._has_field(body, n_fields, FIELD_INDEX_RANGE)
            return shape.stream_reply(shape.query_records if is_query else shape.scan_records)
        if info2 & INFO2_WRITE:
            all_ops = info2 & INFO2_RESPOND_ALL_OPS
            ops = []
            for _ in range(n_ops):
                size, opcode, _ptype, _flags, name_len = OP_HEADER.unpack_from(body, pos)
                if all_ops or opcode in RETURNING_OPS:
                    name = bytes(body[pos + 8:pos + 8 + name_len]).decode("utf-8", "replace")
                    ops.append(op_bytes(name, PARTICLE_INTEGER, ONE))
                pos += 4 + size
            return frame(PROTO_MSG, msg(ops)) if ops else shape.write_reply
        return shape.header_reply if info1 & INFO1_NOBINDATA else shape.read_reply

    @staticmethod
    def _has_field(body: bytes, n_fields: int, wanted: int) -> bool:
        pos = 22
        for _ in range(n_fields):
            size, ftype = FIELD_HEADER.unpack_from(body, pos)
            if ftype == wanted:
                return True
            pos += 4 + size
        return False

    # -- info ------------------------------------------------------------------------------------

    def info(self, body: bytes) -> bytes:
        lines = [line for line in body.decode("utf-8", "replace").split("\n") if line]
        return frame(PROTO_INFO, "".join("%s\t%s\n" % (line, self.answer(line)) for line in lines).encode())

    def answer(self, line: str) -> str:
        name = line
        for i, ch in enumerate(line):
            if ch in ":/;":
                name = line[:i]
                break
        endpoint = "%s:%d" % (self.host, self.port)
        if name == "bench-echo":
            return self.configure(line.partition(":")[2])
        if name.startswith("peers-") or name.startswith("alumni-"):
            return "1,%d,[]" % self.port
        if name.startswith("service"):
            return endpoint if "clear" in name or name == "service" else ""
        if name.startswith("sindex"):
            return "load_pct=100;state=RW" if "/" in line or "stat" in name else "ok"
        return {
            "node": NODE_ID, "build": "8.1.2.0", "edition": "Aerospike Community Edition",
            "version": "Aerospike Community Edition build 8.1.2.0", "features": FEATURES,
            "partitions": "4096", "partition-generation": "1", "rebalance-generation": "1",
            "peers-generation": "1", "cluster-name": "", "cluster-stable": NODE_ID[-12:],
            "replicas": "test:0,1,%s" % ALL_PARTITIONS, "replicas-all": "test:1,%s" % ALL_PARTITIONS,
            "replicas-master": "test:%s" % ALL_PARTITIONS, "namespaces": "test",
            "user-agent-set": "ok", "status": "ok", "truncate": "ok", "truncate-namespace": "ok",
            "statistics": "cluster_size=1;objects=0;requests=%d" % self.requests,
            "sets": "", "namespace": "objects=0;replication-factor=1;storage-engine=memory",
        }.get(name, "ERROR::unrecognized command")

    def configure(self, params: str) -> str:
        values = dict(item.partition("=")[::2] for item in params.split(";") if item)
        try:
            self.shape = Shape(values.get("record", self.shape.record),
                               int(values.get("scan_records", self.shape.scan_records)),
                               int(values.get("query_records", self.shape.query_records)))
        except ValueError as exc:
            return "ERROR::%s" % exc
        return "ok"


class Connection(asyncio.Protocol):
    def __init__(self, echo: Echo):
        self.echo = echo
        self.buffer = bytearray()
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        pos, end = 0, len(buffer)
        replies = []
        echo = self.echo
        while end - pos >= 8:
            (value,) = PROTO_HEADER.unpack_from(buffer, pos)
            proto_type, size = (value >> 48) & 0xFF, value & 0xFFFFFFFFFFFF
            if end - pos - 8 < size:
                break
            body = bytes(buffer[pos + 8:pos + 8 + size])
            pos += 8 + size
            echo.requests += 1
            try:
                if proto_type == PROTO_MSG:
                    replies.append(echo.data(body))
                elif proto_type == PROTO_INFO:
                    replies.append(echo.info(body))
                elif proto_type == PROTO_ADMIN:
                    replies.append(PROTO_HEADER.pack((0 << 56) | (2 << 48) | 16) + bytes([0, 52]) + bytes(14))
                else:  # compressed or unknown: not part of the floor
                    replies.append(frame(PROTO_MSG, msg([], result=16)))
            except (struct.error, IndexError):
                replies.append(frame(PROTO_MSG, msg([], result=4)))
        del buffer[:pos]
        if replies:
            self.transport.write(replies[0] if len(replies) == 1 else b"".join(replies))


async def serve(host: str, port: int) -> None:
    echo = Echo()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(echo), host, port, reuse_address=True)
    echo.host, echo.port = server.sockets[0].getsockname()[:2]
    print("echo listening on %s:%d" % (echo.host, echo.port), flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
