"""The two commands clients send most, answered straight from the request bytes.

A plain get (read every bin; namespace, set, digest and maybe the key; nothing else) and a plain put
(WRITE ops of scalar values with distinct bin names; no generation, existence or replace policy, no
filter, no transaction) make up most of a client's traffic. `PlainCommands.answer` serves them
without building a `Message` per request and per reply: the request is read in one pass, the
stored record answers a get as it is, and a put's ops become the stored record's bins byte for
byte. Anything else — and any case where the answer is not the ordinary one (a key mismatch, a read
touch due, a bad TTL, a record too big) — answers None and goes the general way
(`dispatch.DataCommands`), which gives the same replies for these requests; the test
`tests/server/test_plain_commands.py` compares the two on generated requests.
"""

from __future__ import annotations

import struct

from ..store import read_touch
from ..store.record import Record, next_generation
from ..wire import AerospikeWireError, ResultCode
from ..wire.particles import BLOB_TYPES
from .single_record import void_time_of

#: A proto header (version 2, type AS_MSG, size) and an AS_MSG header, packed at once.
_PROTO_MSG = struct.Struct(">QBBBBBBIIIHH")
_AS_MSG = (2 << 56) | (3 << 48)
_REQUEST = struct.Struct(">BBBBBBIIIHH")
_FIELD = struct.Struct(">IB")
_OP = struct.Struct(">IBBBB")

_NAMESPACE, _SET, _KEY, _DIGEST = 0, 1, 2, 4
_READ_ALL = 0x03  # info1 READ | GET_ALL
_WRITE = 0x01  # info2 WRITE
_OP_WRITE = 2
_OP_READ = 1
_MAX_BIN_NAME = 15
#: Particle types a put may carry here, with their fixed value size (None: any size).
_SCALARS: dict[int, int | None] = {1: 8, 2: 8, 3: None, 17: 1}  # INTEGER, FLOAT, STRING, BOOL
_SCALARS.update((ptype, None) for ptype in BLOB_TYPES)

_NOT_FOUND = _PROTO_MSG.pack(_AS_MSG | 22, 22, 0, 0, 0, 0, ResultCode.KEY_NOT_FOUND, 0, 0, 0, 0, 0)


def _reply(result: int, generation: int, void_time: int) -> bytes:
    return _PROTO_MSG.pack(_AS_MSG | 22, 22, 0, 0, 0, 0, result, generation, void_time, 0, 0, 0)


class PlainCommands:
    def __init__(self, node):
        self.node = node
        self._names: dict[bytes, str] = {}  # bin names by their bytes (bounded)

    def answer(self, body: bytes) -> bytes | None:
        """The complete reply (proto header included) to a plain get or put, else None."""
        end = len(body)
        if end < 22:
            return None
        (header_size, info1, info2, info3, info4, _result, _generation, record_ttl, _timeout,
         n_fields, n_ops) = _REQUEST.unpack_from(body)
        if header_size != 22 or info3 or info4:
            return None
        if info1 == _READ_ALL and not info2 and not n_ops:
            is_put = False
        elif info2 == _WRITE and not info1 and n_ops:
            is_put = True
        else:
            return None
        namespace = set_raw = key = digest = None
        pos = 22
        unpack = _FIELD.unpack_from
        for _ in range(n_fields):
            if end - pos < 5:
                return None
            size, ftype = unpack(body, pos)
            stop = pos + 4 + size
            if size < 1 or stop > end:
                return None
            data = body[pos + 5:stop]
            pos = stop
            if ftype == _NAMESPACE and namespace is None:
                namespace = data
            elif ftype == _DIGEST and digest is None:
                digest = data
            elif ftype == _SET and set_raw is None:
                set_raw = data
            elif ftype == _KEY and key is None:
                key = data
            else:
                return None
        if namespace is None or digest is None or len(digest) != 20:
            return None
        node = self.node
        ns = node.namespaces.get(namespace.decode("utf-8", "replace"))
        if ns is None or ns.config.strong_consistency or len(node.membership.nodes) != 1:
            return None
        if not is_put:
            if pos != end:
                return None
            record = ns.get(digest)
            if record is None:
                return _NOT_FOUND
            if key is not None and record.key is not None and key != record.key:
                return None  # KEY_MISMATCH: the general way
            generation, void_time, count, bins = record.reply_parts()
            if void_time:
                try:
                    if read_touch.check(ns, record, record_ttl):
                        return None  # touched after the read: the general way
                except AerospikeWireError:
                    return None
            return _PROTO_MSG.pack(_AS_MSG | (22 + len(bins)), 22, 0, 0, 0, 0, 0, generation, void_time,
                                   0, 0, count) + bins
        return self._put(ns, body, pos, end, n_ops, digest, set_raw, key, record_ttl)

    def _put(self, ns, body: bytes, pos: int, end: int, n_ops: int, digest: bytes, set_raw, key,
             record_ttl: int) -> bytes | None:
        ops_start = pos
        starts = []
        names = []
        unpack = _OP.unpack_from
        known = self._names
        for _ in range(n_ops):
            if end - pos < 8:
                return None
            size, opcode, ptype, flags, name_len = unpack(body, pos)
            stop = pos + 4 + size
            if opcode != _OP_WRITE or flags or not 0 < name_len <= _MAX_BIN_NAME or stop > end:
                return None
            value_size = size - 4 - name_len
            fixed = _SCALARS.get(ptype, -1)
            if fixed is not None and fixed != value_size:
                return None  # another type, or a size a scalar cannot have
            if ptype == 17 and body[stop - 1] > 1:
                return None  # a bool is 0 or 1
            raw = body[pos + 8:pos + 8 + name_len]
            name = known.get(raw)
            if name is None:
                if b"\0" in raw:
                    return None
                try:
                    name = raw.decode()
                except UnicodeDecodeError:
                    return None
                if len(known) < 4096:
                    known[raw] = name
            starts.append(pos)
            names.append(name)
            pos = stop
        if pos != end or len(set(names)) != len(names):
            return None
        record = ns.get(digest)
        clock = ns.clock
        if record is None:
            set_name = set_raw.decode("utf-8", "replace") if set_raw else None
            generation = 1
            stored_key = key or None
        else:
            if key is not None and record.key is not None and key != record.key:
                return None  # KEY_MISMATCH: the general way
            set_name = record.set_name
            generation = next_generation(record.generation)
            stored_key = key or record.key
        try:
            void_time = void_time_of(ns, record_ttl, record, set_name, clock.now_cl())
        except AerospikeWireError:
            return None
        if record is None or record.bin_names() == names:
            ops = bytearray(body[ops_start:end])
            for start in starts:
                ops[start - ops_start + 4] = _OP_READ
            new = Record.from_ops(bytes(ops), len(names), generation, void_time, clock.now_ns(),
                                  stored_key, set_name)
        else:  # new bins after the record's own, changed ones in place
            bins = record.bins
            for start, name in zip(starts, names):
                size, _op, ptype, _flags, name_len = unpack(body, start)
                bins[name] = (ptype, body[start + 8 + name_len:start + 4 + size])
            new = Record(bins, generation, void_time, clock.now_ns(), stored_key, set_name)
        if new.size() > ns.config.max_record_size:
            return None  # RECORD_TOO_BIG: the general way
        try:
            ns.put(digest, new)
        except AerospikeWireError as exc:
            if record is None:
                return _reply(exc.code, 0, 0)
            return _reply(exc.code, record.generation, record.void_time)
        return _reply(0, generation, void_time)
