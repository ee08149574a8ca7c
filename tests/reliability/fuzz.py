"""Protocol fuzzing of spikelite: structured generators for every request kind, mutated at random.

    python -m tests.reliability.fuzz --cases 1000000 [--seed N] [--seconds S]

Every case is built from `random.Random(f"{seed}:{index}")`, so `--replay INDEX` rebuilds it.
Kinds: proto framing, AS_MSG single-record commands (fields and ops with every particle type),
CDT list/map/bit/HLL operations (with contexts), filter and operation expressions, batches,
scans and queries, record UDF calls, info commands, Lua UDF sources (registered with udf-put and
then called), and admin messages (sent to a second server with security on). A case's bytes are
mutated (bit flips, byte changes, cuts, splices, smashed length fields) most of the time.

After each case the runner sends a sentinel info request on the same connection and reads until
its reply: every case must be answered (any result code) or end with the server closing the
connection, within `--hang-seconds`. Findings: the server process dies, a case hangs, the server
logs an ERROR (an internal error of ours), or its resident memory keeps growing (data are
truncated every 20,000 cases, so it must not).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import socket
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import msgpack

from spikelite import wire
from spikelite.wire import FieldType, Info1, Info2, Info3, Message, Op, OpType, ParticleType

from .harness import ServerProcess, memory_config

NS = b"test"
SENTINEL = b"node\nbuild\nedition\n"
KINDS = ["framing", "record", "cdt", "expression", "batch", "scan_query", "udf_call", "info",
         "lua_source", "admin"]
WEIGHTS = [4, 16, 16, 12, 10, 8, 8, 10, 1, 4]
BINS = ["a", "b", "l", "m", "n", "s", "", "x" * 15, "y" * 16]
MODULES = ["fz0", "fz1", "fz2"]

# -- value generators ----------------------------------------------------------------------------


def _scalar(rng: random.Random):
    return rng.choice([
        lambda: rng.randrange(-2**63, 2**63), lambda: rng.randrange(-5, 50), lambda: rng.random() * 1e6,
        lambda: "s%d" % rng.randrange(100), lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(8))),
        lambda: None, lambda: rng.random() < 0.5, lambda: 2**64 - 1, lambda: -2**63,
    ])()


def _value(rng: random.Random, depth: int = 0):
    if depth > 3 or rng.random() < 0.55:
        return _scalar(rng)
    if rng.random() < 0.5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {_scalar(rng) if rng.random() < 0.3 else "k%d" % rng.randrange(10): _value(rng, depth + 1)
            for _ in range(rng.randrange(5))}


def _pack(obj) -> bytes:
    try:
        return msgpack.packb(obj, use_bin_type=True)
    except (TypeError, ValueError, OverflowError):
        return msgpack.packb(None)


def _particle(rng: random.Random) -> tuple[int, bytes]:
    choice = rng.randrange(8)
    if choice == 0:
        return ParticleType.INTEGER, struct.pack(">q", rng.randrange(-2**63, 2**63))
    if choice == 1:
        return ParticleType.FLOAT, struct.pack(">d", rng.random() * 1e9)
    if choice == 2:
        return ParticleType.STRING, ("v%d" % rng.randrange(1000)).encode()
    if choice == 3:
        return ParticleType.BLOB, bytes(rng.randrange(256) for _ in range(rng.randrange(16)))
    if choice == 4:
        return ParticleType.LIST, _pack([_value(rng) for _ in range(rng.randrange(6))])
    if choice == 5:
        return ParticleType.MAP, _pack({"k%d" % i: _value(rng) for i in range(rng.randrange(6))})
    if choice == 6:
        return ParticleType.GEOJSON, b"\x00\x00\x00" + json.dumps(
            {"type": "Point", "coordinates": [rng.uniform(-200, 200), rng.uniform(-100, 100)]}).encode()
    return rng.randrange(256), bytes(rng.randrange(256) for _ in range(rng.randrange(12)))


def _key_fields(rng: random.Random) -> list[tuple[int, bytes]]:
    set_name = rng.choice([b"fz", b"fz2", b"", b"x" * 64])
    digest = wire.compute_digest(set_name.decode(), rng.randrange(200))
    fields = [(FieldType.NAMESPACE, rng.choice([NS, NS, NS, b"nope", b""])), (FieldType.SET, set_name),
              (FieldType.DIGEST, digest)]
    if rng.random() < 0.2:
        fields.append((FieldType.KEY, wire.pack_key_field(rng.randrange(200))))
    return fields


def _expression(rng: random.Random, depth: int = 0):
    """A filter/operation expression tree (mostly well-formed, sometimes any op code)."""
    if depth > 4 or rng.random() < 0.3:
        leaf = rng.randrange(5)
        if leaf == 0:
            return [81, rng.choice([2, 3, 4, 5, 6, 7]), rng.choice(BINS)]  # bin of a type
        if leaf == 1:
            return [rng.choice([64, 65, 66, 67, 68, 69, 70, 71, 80, 82]), *([rng.randrange(10)] * rng.randrange(2))]
        return _scalar(rng)
    op = rng.choice([1, 2, 3, 4, 5, 6, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 123, 125, 126, 127, 7, 8,
                     rng.randrange(256)])
    return [op] + [_expression(rng, depth + 1) for _ in range(rng.randrange(1, 4))]


def _cdt_payload(rng: random.Random) -> tuple[int, bytes]:
    kind = rng.randrange(4)
    if kind == 0:    # list operations: op codes 0..~60
        body = [rng.randrange(0, 64)] + [_value(rng) for _ in range(rng.randrange(4))]
        optype = rng.choice([OpType.CDT_READ, OpType.CDT_MODIFY])
    elif kind == 1:  # map operations: op codes 64..~130
        body = [rng.randrange(64, 140)] + [_value(rng) for _ in range(rng.randrange(4))]
        optype = rng.choice([OpType.CDT_READ, OpType.CDT_MODIFY])
    elif kind == 2:  # bit operations
        body = [rng.randrange(0, 60)] + [rng.choice([rng.randrange(-70, 70), b"\x01\x02", 0])
                                         for _ in range(rng.randrange(5))]
        optype = rng.choice([OpType.BIT_READ, OpType.BIT_MODIFY])
    else:            # HLL operations
        body = [rng.randrange(0, 60)] + [rng.choice([[1, "a"], rng.randrange(-2, 20), 0])
                                         for _ in range(rng.randrange(4))]
        optype = rng.choice([OpType.HLL_READ, OpType.HLL_MODIFY])
    if kind < 2 and rng.random() < 0.3:  # a context: [0xff, [ctx type, value, ...], [op ...]]
        ctx = []
        for _ in range(rng.randrange(1, 4)):
            ctx += [rng.choice([0x10, 0x11, 0x13, 0x20, 0x21, 0x22, 0x23, 0x04, rng.randrange(256)]), _value(rng)]
        body = [0xFF, ctx, body]
    return optype, _pack(body)


# -- request kinds -------------------------------------------------------------------------------


def gen_framing(rng: random.Random) -> tuple[bytes, bool]:
    """Raw proto headers: bad versions and types, sizes that lie, TLS and HTTP on the clear port."""
    body = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
    version = rng.choice([2, 2, 0, 1, 3, 255])
    ptype = rng.choice([1, 2, 3, 4, 0, 5, 255])
    size = rng.choice([len(body), len(body) + rng.randrange(1, 100), max(0, len(body) - 1),
                       wire.MAX_PROTO_BODY, wire.MAX_PROTO_BODY + 1, (1 << 48) - 1])
    header = struct.pack(">Q", (version << 56) | (ptype << 48) | size)
    data = rng.choice([header + body, b"GET / HTTP/1.1\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00", header[:rng.randrange(8)]])
    return data, True  # framing cases go on a connection of their own, half-closed after sending


def gen_record(rng: random.Random) -> Message:
    ops = []
    for _ in range(rng.randrange(0, 5)):
        optype = rng.choice([OpType.READ, OpType.WRITE, OpType.INCR, OpType.APPEND, OpType.PREPEND,
                             OpType.TOUCH, OpType.DELETE, rng.randrange(0, 20)])
        ptype, value = _particle(rng)
        ops.append(Op(optype, ptype, rng.choice(BINS), value))
    info1 = rng.choice([0, Info1.READ, Info1.READ | Info1.GET_ALL, Info1.READ | Info1.GET_NO_BINS, rng.randrange(256)])
    info2 = rng.choice([0, Info2.WRITE, Info2.WRITE | Info2.GENERATION, Info2.DELETE, Info2.WRITE | Info2.CREATE_ONLY,
                        rng.randrange(256)])
    info3 = rng.choice([0, Info3.UPDATE_ONLY, Info3.REPLACE_ONLY, Info3.CREATE_OR_REPLACE, rng.randrange(256)])
    fields = _key_fields(rng)
    if rng.random() < 0.2:
        fields.append((FieldType.FILTER_EXPRESSION, _pack(_expression(rng))))
    return Message(info1=info1, info2=info2, info3=info3, generation=rng.choice([0, 1, 2**32 - 1]),
                   record_ttl=rng.choice([0, 1, 2**32 - 1, 2**32 - 2, rng.randrange(2**32)]),
                   transaction_ttl=rng.choice([0, 1000, rng.randrange(2**32)]), fields=fields, ops=ops)


def gen_cdt(rng: random.Random) -> Message:
    ops = []
    for _ in range(rng.randrange(1, 4)):
        optype, payload = _cdt_payload(rng)
        ops.append(Op(optype, rng.choice([ParticleType.BLOB, ParticleType.LIST, 0]), rng.choice(BINS), payload))
    writes = any(op.op in (OpType.CDT_MODIFY, OpType.BIT_MODIFY, OpType.HLL_MODIFY) for op in ops)
    return Message(info1=Info1.READ, info2=Info2.WRITE if writes else 0, fields=_key_fields(rng), ops=ops)


def gen_expression(rng: random.Random) -> Message:
    ops = [Op(rng.choice([OpType.EXP_READ, OpType.EXP_MODIFY]), ParticleType.BLOB, rng.choice(BINS),
              _pack([_expression(rng), rng.choice([0, 1, 2, 8, 16, rng.randrange(256)])]))
           for _ in range(rng.randrange(0, 3))]
    fields = _key_fields(rng) + [(FieldType.FILTER_EXPRESSION, _pack(_expression(rng)))]
    writes = any(op.op == OpType.EXP_MODIFY for op in ops)
    return Message(info1=Info1.READ | (0 if ops else Info1.GET_ALL), info2=Info2.WRITE if writes else 0,
                   fields=fields, ops=ops)


def _batch_rows(rng: random.Random) -> bytes:
    rows = []
    count = rng.randrange(1, 20)
    for i in range(count):
        digest = wire.compute_digest("fz", rng.randrange(200))
        if i and rng.random() < 0.3:
            rows.append(struct.pack(">I", i) + digest + b"\x01")
            continue
        flags = rng.choice([0, 0x02, 0x02 | 0x04 | 0x08, rng.randrange(32)])
        row = struct.pack(">I", i) + digest + bytes([flags])
        row += bytes([rng.choice([Info1.READ | Info1.GET_ALL, Info1.READ, 0])])
        if flags & 0x02:
            row += bytes([rng.choice([0, Info2.WRITE, Info2.DELETE]), 0])
        if flags & 0x10:
            row += b"\x00"
        if flags & 0x04:
            row += struct.pack(">H", rng.randrange(3))
        if flags & 0x08:
            row += struct.pack(">I", rng.randrange(100))
        fields = [(FieldType.NAMESPACE, NS), (FieldType.SET, b"fz")]
        ops = [Op(rng.choice([OpType.READ, OpType.WRITE]), *_particle(rng)[::-1][::-1][:1], "a", b"")] \
            if rng.random() < 0.2 else []
        ops = [Op(op.op, ParticleType.INTEGER, "a", struct.pack(">q", 1)) for op in ops]
        row += struct.pack(">HH", len(fields), len(ops))
        for ftype, data in fields:
            row += struct.pack(">IB", len(data) + 1, ftype) + data
        row += wire.message.encode_ops(ops)
        rows.append(row)
    claimed = rng.choice([count, count, count + 1, 0, 2**32 - 1])
    return struct.pack(">IB", claimed, rng.choice([0, 1, 4, 8])) + b"".join(rows)


def gen_batch(rng: random.Random) -> Message:
    fields = [(rng.choice([FieldType.BATCH_INDEX, FieldType.BATCH_INDEX_WITH_SET]), _batch_rows(rng))]
    if rng.random() < 0.2:
        fields.append((FieldType.FILTER_EXPRESSION, _pack(_expression(rng))))
    return Message(info1=Info1.READ | Info1.BATCH, fields=fields)


def gen_scan_query(rng: random.Random) -> Message:
    fields = [(FieldType.NAMESPACE, NS), (FieldType.SET, rng.choice([b"fz", b"", b"fz2"]))]
    if rng.random() < 0.5:
        pids = [rng.randrange(4200) for _ in range(rng.randrange(1, 20))]
        fields.append((FieldType.PID_ARRAY, struct.pack("<%dH" % len(pids), *pids)))
    if rng.random() < 0.3:
        fields.append((FieldType.MAX_RECORDS, struct.pack(">Q", rng.randrange(0, 100))))
    if rng.random() < 0.4:  # a secondary-index range: count, bin name, type, begin, end
        name = rng.choice(BINS).encode()
        fields.append((FieldType.INDEX_RANGE, bytes([1, len(name)]) + name + bytes([rng.choice([1, 3, 23, 0])])
                       + struct.pack(">I", 8) + struct.pack(">q", rng.randrange(-10, 10))
                       + struct.pack(">I", 8) + struct.pack(">q", rng.randrange(-10, 100))))
    if rng.random() < 0.2:
        fields.append((FieldType.INDEX_NAME, rng.choice([b"fz_idx", b"nope"])))
    if rng.random() < 0.2:
        fields.append((FieldType.FILTER_EXPRESSION, _pack(_expression(rng))))
    if rng.random() < 0.2:
        fields.append((FieldType.RECS_PER_SEC, struct.pack(">I", rng.choice([0, 5000, 100000]))))  # slower ones legitimately take minutes
    if rng.random() < 0.2:
        fields.append((FieldType.SOCKET_TIMEOUT, struct.pack(">I", rng.randrange(10000))))
    fields.append((FieldType.TRID, struct.pack(">Q", rng.randrange(2**64))))
    ops = [Op(OpType.READ, 0, rng.choice(BINS), b"")] if rng.random() < 0.3 else []
    return Message(info1=Info1.READ | rng.choice([0, Info1.GET_ALL, Info1.GET_NO_BINS, Info1.SHORT_QUERY]),
                   info2=rng.choice([0, 0, Info2.WRITE]), info3=rng.choice([0, Info3.PARTITION_DONE]),
                   fields=fields, ops=ops)


def gen_udf_call(rng: random.Random) -> Message:
    args = [_value(rng) for _ in range(rng.randrange(4))]
    fields = _key_fields(rng) + [
        (FieldType.UDF_FILENAME, rng.choice(MODULES + ["nope", "records"]).encode()),
        (FieldType.UDF_FUNCTION, rng.choice(["f", "g", "h", "nope", ""]).encode()),
        (FieldType.UDF_ARGLIST, _pack(args)),
        (FieldType.UDF_OP, bytes([rng.choice([1, 1, 2, 3, 0])])),
    ]
    # A short deadline: a called function may loop until it (the server is one thread).
    return Message(info2=Info2.WRITE, transaction_ttl=rng.choice(UDF_DEADLINES_MS), fields=fields)


UDF_DEADLINES_MS = [20, 50, 100]
_INFO_COMMANDS = ["node", "build", "namespaces", "namespace/test", "sets", "bins", "statistics",
                  "partitions", "replicas", "replicas-all", "cluster-name", "service", "services",
                  "peers-clear-std", "partition-generation", "udf-list", "sindex", "sindex/test",
                  "sindex-list:", "sindex-create:ns=test;set=fz;indexname=fz_idx;indextype=default;indexdata=a,numeric",
                  "sindex-delete:ns=test;indexname=fz_idx", "truncate:namespace=test;set=fz2",
                  "truncate-namespace:namespace=test", "query-show", "jobs:module=query", "get-config",
                  "get-config:context=namespace;id=test", "set-config:context=namespace;id=test;default-ttl=0",
                  "udf-get:filename=fz0.lua", "udf-remove:filename=fz2.lua", "latencies:", "version",
                  "features", "best-practices", "racks:", "rack-ids", "histogram:namespace=test;type=ttl",
                  "query-abort:trid=1", "scan-abort-all:", "edition", "status", "roster:", "debug-record"]


def gen_info(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randrange(1, 4)):
        line = rng.choice(_INFO_COMMANDS)
        if rng.random() < 0.3:
            line += rng.choice([":", ";", "=", ":x=", ":namespace=", "/", "\t", "\x00", ":ns=test;x"]) \
                + "".join(chr(rng.randrange(32, 127)) for _ in range(rng.randrange(10)))
        lines.append(line)
    return wire.frame(wire.ProtoType.INFO, ("\n".join(lines) + rng.choice(["\n", "", "\n\n"])).encode())


_LUA_PIECES = ["function f(rec, a) return a end", "function g(rec) rec['a'] = 1 aerospike:update(rec) return rec['a'] end",
               "function h(rec, ...) return list{...} end", "local x = 1",
               "function f(rec) while true do end end", "function f(rec) return f(rec) end",
               "function g(rec) return string.rep('x', 1e9) end", "function h(rec) return os.execute('true') end",
               "function f(rec) local t = {} for i = 1, 1e8 do t[i] = i end return #t end",
               "return", "end", "function", "local function k() error('boom') end k()",
               "function g(rec) return map{a=1, b={1,2}} end", "function h(rec) return bytes(4) end",
               "function f(rec, a) return record.ttl(rec), record.gen(rec), record.digest(rec) end",
               "function g(s) return s : map(function(r) return 1 end) end", "require('os')",
               "setmetatable(_G, nil)", "function h(rec) return debug end", "collectgarbage('stop')",
               "function f(rec) aerospike:remove(rec) end", "function g(rec, v) rec.l = list{v} return aerospike:create(rec) end"]


def gen_lua_source(rng: random.Random) -> bytes:
    pieces = [rng.choice(_LUA_PIECES) for _ in range(rng.randrange(1, 5))]
    if rng.random() < 0.02:  # a main chunk that never ends: stopped at the load deadline (2 s)
        pieces.append("while true do end")
    source = "\n".join(pieces)
    if rng.random() < 0.3:
        pos = rng.randrange(len(source) + 1)
        source = source[:pos] + rng.choice(["(", ")", "end", "\"", "[[", "--", "\x00", "\xff", "..."]) + source[pos:]
    content = base64.b64encode(source.encode("utf-8", "surrogateescape")).decode()
    name = rng.choice(MODULES) + rng.choice([".lua", ".lua", ".txt", "", "/../x.lua"])
    return wire.frame(wire.ProtoType.INFO, ("udf-put:filename=%s;content=%s;content-len=%d;udf-type=%s;\n" % (
        name, content, len(content) if rng.random() < 0.9 else rng.randrange(100), rng.choice(["LUA", "LUA", "C"]))).encode())


def gen_admin(rng: random.Random) -> bytes:
    from spikelite.wire import admin
    command = rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 20, rng.randrange(256)])
    fields = []
    for _ in range(rng.randrange(0, 5)):
        fid = rng.choice([0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, rng.randrange(256)])
        if fid == 10:
            data = admin.pack_roles(rng.sample(["read", "write", "sys-admin", "fz-role", "x" * 70], rng.randrange(3)))
        elif fid == 12:
            data = bytes([rng.randrange(4), rng.choice([0, 10, 11, 12, 13, 255])]) + bytes(rng.randrange(8))
        elif fid in (0, 11):
            data = rng.choice([b"admin", b"fz-user", b"fz-role", b"", b"x" * 80])
        else:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(20)))
        fields.append((fid, data))
    return admin.AdminMessage(command=command, fields=fields).to_proto()


GENERATORS = {"record": gen_record, "cdt": gen_cdt, "expression": gen_expression, "batch": gen_batch,
              "scan_query": gen_scan_query, "udf_call": gen_udf_call}


def mutate(rng: random.Random, data: bytes) -> bytes:
    """A few random mutations of a request's bytes; the proto header is fixed up afterwards so the
    framing stays consistent (framing itself is fuzzed by its own kind)."""
    body = bytearray(data[8:])
    for _ in range(rng.randrange(1, 4)):
        if not body:
            body += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 30)))
            continue
        pos = rng.randrange(len(body))
        action = rng.randrange(7)
        if action == 0:
            body[pos] ^= 1 << rng.randrange(8)
        elif action == 1:
            body[pos] = rng.choice([0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)])
        elif action == 2:
            del body[pos:pos + rng.randrange(1, 16)]
        elif action == 3:
            body[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        elif action == 4:  # a length or count field smashed
            body[pos:pos + 4] = struct.pack(">I", rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 16)]))
        elif action == 5:
            end = min(len(body), pos + rng.randrange(1, 32))
            body[pos:pos] = body[pos:end] * rng.randrange(1, 4)
        else:
            del body[pos:]
    return data if data[8:] == bytes(body) else wire.pack_proto_header(data[1], len(body), data[0]) + bytes(body)


def build_case(seed: int, index: int) -> tuple[str, bytes, bool]:
    """(kind, bytes, on a connection of its own) of case `index`."""
    rng = random.Random("%d:%d" % (seed, index))
    kind = rng.choices(KINDS, WEIGHTS)[0]
    if kind == "framing":
        data, alone = gen_framing(rng)
        return kind, data, alone
    if kind == "info":
        data = gen_info(rng)
    elif kind == "lua_source":
        data = gen_lua_source(rng)
    elif kind == "admin":
        data = gen_admin(rng)
    else:
        data = GENERATORS[kind](rng).to_proto()
    if kind != "lua_source" and rng.random() < 0.7:
        data = mutate(rng, data)
    if kind == "udf_call" and len(data) >= 22:  # keep the deadline short whatever the mutation did
        data = data[:22] + struct.pack(">I", rng.choice(UDF_DEADLINES_MS)) + data[26:]
    if kind in GENERATORS and rng.random() < 0.1:
        data = wire.frame(wire.ProtoType.COMPRESSED, struct.pack(">Q", len(data)) + zlib.compress(data))
    return kind, data, False


# -- the runner ----------------------------------------------------------------------------------


class Finding(Exception):
    pass


class Runner:
    """Sends cases to one server and checks each is answered or closed."""

    def __init__(self, server: ServerProcess, hang_seconds: float, secure: bool = False):
        self.server = server
        self.secure = secure  # unauthenticated: the sentinel is answered 'not authenticated'
        self.hang = hang_seconds
        self.sock: socket.socket | None = None
        self.buffer = bytearray()
        self.closed = 0
        self.replied = 0

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.server.address, timeout=self.hang)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _drop(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, bytearray()

    def _read_until_sentinel(self, sock: socket.socket, buffer: bytearray, deadline: float) -> bool:
        """True when the sentinel's reply came, False when the server closed the connection."""
        while True:
            while len(buffer) >= 8:
                version, ptype, size = wire.unpack_proto_header(bytes(buffer[:8]))
                if len(buffer) < 8 + size:
                    break
                body = bytes(buffer[8:8 + size])
                del buffer[:8 + size]
                if ptype == wire.ProtoType.INFO and (b"\nedition\t" in body and body.startswith(b"node\t")
                                                     or self.secure and b"not authenticated" in body):
                    return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Finding("no reply and no close within %.1f s" % self.hang)
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(1 << 20)
            except socket.timeout:
                raise Finding("no reply and no close within %.1f s" % self.hang) from None
            except OSError:
                return False
            if not chunk:
                return False
            buffer += chunk

    def run_case(self, data: bytes, alone: bool) -> None:
        deadline = time.monotonic() + self.hang
        if alone:
            sock = self._connect()
            try:
                try:
                    sock.sendall(data)
                    sock.shutdown(socket.SHUT_WR)
                except OSError:
                    self.closed += 1
                    return
                sock.settimeout(self.hang)
                try:
                    while sock.recv(1 << 20):  # drain until the server closes
                        if time.monotonic() > deadline:
                            raise Finding("framing case: connection not closed within %.1f s" % self.hang)
                except socket.timeout:
                    raise Finding("framing case: connection not closed within %.1f s" % self.hang) from None
                except OSError:
                    pass
                self.closed += 1
            finally:
                sock.close()
            return
        if self.sock is None:
            self.sock = self._connect()
        try:
            self.sock.sendall(data + wire.frame(wire.ProtoType.INFO, SENTINEL))
        except OSError:
            self._drop()
            self.closed += 1
            return
        if self._read_until_sentinel(self.sock, self.buffer, deadline):
            self.replied += 1
        else:
            self._drop()
            self.closed += 1


def _secure_config(path: Path) -> Path:
    path.write_text("""
service {
    cluster-name spikelite-fuzz
}
security {
}
namespace test {
    replication-factor 1
    default-ttl 0
    storage-engine memory
}
""")
    return path


def _reset_data(server: ServerProcess) -> None:
    with socket.create_connection(server.address, timeout=30) as sock:
        sock.sendall(wire.frame(wire.ProtoType.INFO, b"truncate-namespace:namespace=test\n"))
        sock.recv(1 << 16)


def run(cases: int, workdir: Path, seed: int = 1, seconds: float | None = None, hang_seconds: float = 20.0,
        start: int = 0) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    main = ServerProcess(memory_config(workdir / "fuzz.conf"), workdir / "main")
    secure = ServerProcess(_secure_config(workdir / "secure.conf"), workdir / "secure")
    runners = {"main": Runner(main, hang_seconds), "secure": Runner(secure, hang_seconds, secure=True)}
    findings: list[dict] = []
    by_kind: dict[str, int] = {}
    rss_samples: list[int] = []
    began = time.monotonic()
    done = 0
    try:
        rss_start = main.rss_kb()
        for index in range(start, start + cases):
            if seconds is not None and time.monotonic() - began > seconds:
                break
            kind, data, alone = build_case(seed, index)
            target = "secure" if kind == "admin" else "main"
            by_kind[kind] = by_kind.get(kind, 0) + 1
            try:
                runners[target].run_case(data, alone)
            except Finding as exc:
                findings.append({"index": index, "kind": kind, "problem": str(exc), "hex": data[:2000].hex()})
                runners[target]._drop()
            done += 1
            for name, server in (("main", main), ("secure", secure)):
                if not server.alive():
                    findings.append({"index": index, "kind": kind, "problem": "%s server died (exit %s)"
                                     % (name, server.process.returncode), "hex": data[:2000].hex(),
                                     "log": server.log_tail(2000)})
                    raise Finding("server died")
            if done % 20000 == 0:
                rss_samples.append(main.rss_kb())
                _reset_data(main)
    except Finding:
        pass
    finally:
        elapsed = time.monotonic() - began
        report = {
            "seed": seed, "cases": done, "first_case": start, "seconds": round(elapsed, 1),
            "cases_per_s": round(done / elapsed) if elapsed else 0, "by_kind": by_kind,
            "answered": runners["main"].replied + runners["secure"].replied,
            "closed_by_server": runners["main"].closed + runners["secure"].closed,
            "rss_kb": {"start": rss_start if main.alive() else None,
                       "samples_every_20000": rss_samples,
                       "end": main.rss_kb() if main.alive() else None},
            "servers_alive": main.alive() and secure.alive(),
            "server_log_errors": (main.log_problems() + secure.log_problems())[:20],
            "findings": findings[:50],
        }
        for server in (main, secure):
            server.stop()
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, help="stop after this long even if cases remain")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="index of the first case")
    parser.add_argument("--hang-seconds", type=float, default=20.0)
    parser.add_argument("--replay", type=int, help="print case INDEX (kind and hex) and exit")
    parser.add_argument("--workdir", help="default: a temporary directory")
    args = parser.parse_args(argv)
    if args.replay is not None:
        kind, data, alone = build_case(args.seed, args.replay)
        print(json.dumps({"kind": kind, "alone": alone, "hex": data.hex()}))
        return 0
    with tempfile.TemporaryDirectory(prefix="spikelite-fuzz-") as tmp:
        report = run(args.cases, Path(args.workdir or tmp), args.seed, args.seconds, args.hang_seconds, args.start)
    print(json.dumps(report, indent=2))
    return 0 if report["servers_alive"] and not report["findings"] and not report["server_log_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
