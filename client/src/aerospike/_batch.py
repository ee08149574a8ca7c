"""Batch calls: rows per key grouped by node, one batch-index request per node, replies by row."""

from __future__ import annotations

import struct

from spikewire.message import encode_ops
from spikewire import FieldType, Info1, Info2, Info3, Message, ResultCode

from aerospike_helpers.batch.records import BatchRecord

from . import _single_record as sr
from . import exception
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._cluster.stats import BATCH
from ._executor import stream_command
from ._io import Sleep
from ._errors import param_error
from ._keys import Key, parse_key, parse_key_fully, parse_keys, plain_keys_end
from ._stream_records import iter_records

# parent flags: inline processing allowed, report every row's error, send the failing row too
_INLINE = 0x01
_REPORT_ALL_ERRORS = 0x04
_REPORT_ERROR_RECORD = 0x08
# row flags
_ROW_REPEAT, _ROW_INFO, _ROW_GEN, _ROW_TTL, _ROW_INFO4 = 0x01, 0x02, 0x04, 0x08, 0x10
#: info4 bits of the commit/abort steps (verify read, roll forward, roll back)
_TXN_STEP = 0x01 | 0x02 | 0x04
_U32 = struct.Struct(">I")
_ROW_START = struct.Struct(">I20s")  # row index, key digest
_REPEAT = bytes((_ROW_REPEAT,))
_U16 = struct.Struct(">H")
_FIELD = struct.Struct(">IB")
_BATCH_FAILED = -16
#: A row whose node's sub-batch failed (connection, timeout, circuit breaker) gets this result,
#: as from the official client, and the call's result is that failure's code.
NO_RESPONSE = -15
_ABSENT = object()


class NoResponse:
    """The outcome of a row sent in a sub-batch that failed; `in_doubt` when it was a write that
    may have reached the node."""

    __slots__ = ("in_doubt",)

    def __init__(self, in_doubt: bool):
        self.in_doubt = in_doubt


class Row:
    """One key's sub-command: the message template (flags, fields, ops) and where its result goes."""

    __slots__ = ("index", "key", "msg", "is_write", "header_only", "record_type")

    def __init__(self, index: int, key: Key, msg: Message, is_write: bool, header_only: bool = False):
        self.index = index
        self.key = key
        self.msg = msg
        self.is_write = is_write
        self.header_only = header_only


def read_rows(keys: list[Key], policy: dict, bins) -> list[Row]:
    """The rows of a batch_read: keys of one namespace and set share one request template (the
    digest travels in the row, not in the template), unless the policy sends each user key."""
    send_key = policy.get("key") == sr.POLICY_KEY_SEND
    templates: dict = {}
    rows = []
    append = rows.append
    namespace = set_name = template = None  # the last key's template, tried first
    for index, key in enumerate(keys):
        if send_key and key.user_key is not None:
            append(read_row(index, key, policy, bins, False))
            continue
        if key.namespace != namespace or key.set_name != set_name or template is None:
            namespace, set_name = key.namespace, key.set_name
            template = templates.get((namespace, set_name))
            if template is None:
                template = templates[(namespace, set_name)] = read_row(index, key, policy, bins, False)
                append(template)
                continue
        append(Row(index, key, template.msg, False, template.header_only))
    return rows


def records_of(keys: list[Key]) -> list:
    """A BatchRecord for each key, its key tuple as `Key.as_tuple` gives it."""
    records = []
    append = records.append
    for key in keys:
        user_key = key.user_key
        if type(user_key) is bytes:
            append(BatchRecord(key.as_tuple()))
        else:
            append(BatchRecord((key.namespace, key.set_name, user_key, bytearray(key.digest))))
    return records


def read_row(index: int, key: Key, policy: dict, bins, read_all: bool) -> Row:
    if read_all or bins is None:
        msg = sr.read_request(key, policy)
    elif bins:
        msg = sr.read_request(key, policy, bins=bins)
    else:
        msg = sr.read_request(key, policy, header_only=True)
    return Row(index, key, msg, False, header_only=not read_all and bins is not None and not bins)


def operate_row(index: int, key: Key, ops: list, meta: dict, policy: dict, encoder) -> Row:
    msg, writes = sr.operate_request(key, ops, meta, policy, encoder)
    if writes:
        msg.info2 |= Info2.WRITE
        if not msg.info1 & Info1.GET_ALL:
            msg.info2 |= Info2.RESPOND_ALL_OPS
    return Row(index, key, msg, writes)


def remove_row(index: int, key: Key, policy: dict) -> Row:
    msg = sr.remove_request(key, {}, policy)
    msg.info2 |= Info2.RESPOND_ALL_OPS
    return Row(index, key, msg, True)


def _encode_rows(rows: list[Row]) -> bytes:
    parts = []
    previous = None
    previous_msg = None
    for row in rows:
        msg = row.msg
        parts.append(_ROW_START.pack(row.index, row.key.digest))
        if msg is previous_msg:  # a shared template (read_rows): same namespace, set and ops
            parts.append(_REPEAT)
            continue
        previous_msg = None
        signature = (msg.info1, msg.info2, msg.info3, msg.info4, msg.generation, msg.record_ttl,
                     row.key.namespace, row.key.set_name, tuple((o.op, o.particle_type, o.name, o.value) for o in msg.ops),
                     tuple((t, d) for t, d in msg.fields if t != FieldType.DIGEST))  # filters, UDF fields
        has_key = any(t == FieldType.KEY for t, _ in msg.fields)
        if previous is not None and signature == previous and not has_key:
            parts.append(_REPEAT)
            previous_msg = msg
            continue
        previous = None if has_key else signature
        previous_msg = None if has_key else msg
        if msg.info4 & _TXN_STEP:  # a commit/abort step: flags and info4 only, as the official client
            parts.append(bytes((_ROW_INFO | _ROW_INFO4, msg.info1, msg.info2, msg.info3, msg.info4)))
        else:
            flags = _ROW_INFO | _ROW_TTL | (_ROW_GEN if row.is_write else 0) | (_ROW_INFO4 if msg.info4 else 0)
            parts.append(bytes((flags, msg.info1, msg.info2, msg.info3)))
            if msg.info4:
                parts.append(bytes((msg.info4,)))
            if row.is_write:
                parts.append(_U16.pack(msg.generation & 0xFFFF))
            parts.append(_U32.pack(msg.record_ttl & 0xFFFFFFFF))
        fields = [(FieldType.NAMESPACE, row.key.namespace.encode()),
                  (FieldType.SET, (row.key.set_name or "").encode())]
        fields += [(t, d) for t, d in msg.fields if t not in (FieldType.NAMESPACE, FieldType.SET, FieldType.DIGEST)]
        parts.append(_U16.pack(len(fields)))
        parts.append(_U16.pack(len(msg.ops)))
        for ftype, data in fields:
            parts.append(_FIELD.pack(len(data) + 1, ftype))
            parts.append(data)
        body = encode_ops(msg.ops)
        parts.append(body)
    return b"".join(parts)


def batch_request(rows: list[Row], policy: dict) -> bytes:
    flags = _REPORT_ERROR_RECORD | _REPORT_ALL_ERRORS
    if policy.get("allow_inline", True):
        flags |= _INLINE
    payload = _U32.pack(len(rows)) + bytes((flags,)) + _encode_rows(rows)
    parent = Message(info1=Info1.BATCH, transaction_ttl=policy.get("total_timeout", 0) or 0,
                     fields=sr.filter_fields(policy) + [(FieldType.BATCH_INDEX, payload)])
    if policy.get("compress"):
        parent.info1 |= Info1.COMPRESS_RESPONSE
    return parent.to_proto()


class BatchExecutor:
    """Runs the rows of one batch call on the cluster and stores each row's reply."""

    def __init__(self, cluster, decoder):
        self.cluster = cluster
        self.decoder = decoder
        #: The first sub-batch failure (an AerospikeError), or None. As the official client, the
        #: batch_* calls do not raise it: its code becomes the call's result, the rows of that
        #: node NO_RESPONSE; the older calls (get_many, ...) raise it.
        self.failure: exception.AerospikeError | None = None

    def run(self, rows: list[Row], policy: dict):
        """(A command generator, see `_io`.) {row index: reply (an `iter_records` tuple), NoResponse,
        or a client-side result code}."""
        results: dict = {}
        yield from self._dispatch(rows, policy, results, 0)
        return results

    def _dispatch(self, rows: list[Row], policy: dict, results: dict, attempt: int) -> None:
        """Group `rows` by the node the replica policy picks on this attempt and run each group.
        On a retry the rows of a failed node are routed again with the next replica, as the
        official client re-splits a failed sub-batch (a read moves to the partition's prole)."""
        by_node: dict[object, list[Row]] = {}
        replica = policy.get("replica", 2)
        owners_of: dict = {}  # namespace -> each partition's node when the first try is its master
        for row in rows:
            key = row.key
            digest = key.digest
            partition_id = (digest[0] | (digest[1] << 8)) & 4095
            if attempt == 0:
                owners = owners_of.get(key.namespace, _ABSENT)
                if owners is _ABSENT:
                    owners = owners_of[key.namespace] = self.cluster.scan_owners(key.namespace, replica)
                if owners is not None:
                    node_rows = by_node.get(owners[partition_id])
                    if node_rows is None:
                        by_node[owners[partition_id]] = [row]
                    else:
                        node_rows.append(row)
                    continue
            node, known = self.cluster.node_for(key.namespace, partition_id, row.is_write, replica, attempt)
            if not known:
                results[row.index] = int(ResultCode.NAMESPACE_NOT_FOUND)
            elif node is None:
                results[row.index] = -8
            else:
                by_node.setdefault(node, []).append(row)
        for node, node_rows in by_node.items():
            yield from self._run_node(node, node_rows, policy, results, attempt)

    def _run_node(self, node, rows: list[Row], policy: dict, results: dict, attempt: int) -> None:
        request = batch_request(rows, policy)
        max_retries = 0 if any(r.is_write for r in rows) else policy.get("max_retries", 0) or 0
        received: dict[int, tuple] = {}
        final = []

        decoder, value_of, last = self.decoder, sr.value_of, Info3.LAST

        def consume(body: bytes) -> bool:
            # Each reply is kept as iter_records' tuple; the row index travels in transaction_ttl.
            for reply in iter_records(body, decoder, value_of, True):
                if reply[0] & last:
                    final.append(reply[1])
                    return True
                received[reply[4]] = reply
            return False

        try:
            yield from stream_command(node, request, policy, consume, None, BATCH)
        except (ConnectionFailed, NoMoreConnections) as exc:
            if attempt < max_retries:
                sleep = (policy.get("sleep_between_retries", 0) or 0) / 1000.0
                if sleep:
                    yield Sleep(sleep)
                yield from self._dispatch(rows, policy, results, attempt + 1)
                return
            sent = bool(getattr(exc, "sent", False))
            in_doubt = any(r.is_write for r in rows) and sent
            if getattr(exc, "timeout", False):
                failure = exception.exception_for(ResultCode.TIMEOUT, "timeout from %s:%d" % node.host, in_doubt)
            elif isinstance(exc, NoMoreConnections):
                failure = exception.exception_for(-7, str(exc), False)
            else:
                failure = exception.exception_for(-10, "%s from %s:%d" % (exc, *node.host), in_doubt)
            self._fail(rows, failure, sent, results)
            return
        except exception.AerospikeError as exc:  # the circuit breaker: nothing sent
            self._fail(rows, exc, False, results)
            return
        results.update(received)
        if final and final[0] not in (0,):
            for row in rows:
                results.setdefault(row.index, final[0])

    def _fail(self, rows: list[Row], failure, sent: bool, results: dict) -> None:
        if self.failure is None:
            self.failure = failure
        for row in rows:
            results[row.index] = NoResponse(row.is_write and sent)


def fill_records(records: list, rows: list[Row], results: dict, decoder, now_cl: int) -> int:
    """Store each row's outcome in its BatchRecord; returns the call's overall result."""
    overall = 0
    never = sr.TTL_NEVER_EXPIRE
    get = results.get
    for record, row in zip(records, rows):
        outcome = get(row.index)
        if type(outcome) is tuple:
            # a reply: (info3, result_code, generation, void_time, index, digest, set, key, bval, bins)
            result_code = outcome[1]
            record.result = result_code
            if result_code == 0:
                key = row.key
                if type(key.user_key) is bytes:
                    key_tuple = key.as_tuple()
                else:
                    key_tuple = (key.namespace, key.set_name, key.user_key, bytearray(key.digest))
                void_time = outcome[3]
                meta = {"ttl": never if void_time == 0 else max(1, void_time - now_cl), "gen": outcome[2]}
                if row.header_only:
                    record.record = (key_tuple, meta)
                else:
                    record.record = (key_tuple, meta, outcome[9])
            else:
                record.record = None
                # A row not found or filtered out by the expression does not fail the call.
                if result_code not in (ResultCode.KEY_NOT_FOUND, ResultCode.FILTERED_OUT):
                    overall = _BATCH_FAILED
        elif outcome is None:
            record.result = ResultCode.TIMEOUT
            overall = _BATCH_FAILED
        elif isinstance(outcome, NoResponse):
            record.result = NO_RESPONSE
            record.record = None
            record.in_doubt = outcome.in_doubt
            overall = _BATCH_FAILED
        else:  # a client-side result code
            record.result = outcome
            record.record = None
            overall = _BATCH_FAILED
    return overall


def check_keys(keys) -> list[Key]:
    """The Keys of a batch call's `keys` (a list of key tuples), or its error."""
    if not isinstance(keys, list):
        raise param_error("keys should be a list of aerospike key tuples")
    return parse_keys(keys, _parse_other_key)


def _parse_other_key(index: int, key) -> Key:
    if not isinstance(key, tuple):  # no dict-form keys in a batch, as in the official client
        raise param_error("key should be an aerospike key tuple")
    try:
        return parse_key(key)
    except exception.ParamError as exc:
        raise param_error("failed to convert key at index: %d -> %s" % (index, exc.args[1])) from None


def check_keys_only(keys) -> None:
    """`check_keys`' errors without the digests (the argument check run before the others: the
    command parses the keys after it)."""
    if not isinstance(keys, list):
        raise param_error("keys should be a list of aerospike key tuples")
    for index in range(plain_keys_end(keys), len(keys)):
        key = keys[index]
        if not isinstance(key, tuple):
            raise param_error("key should be an aerospike key tuple")
        try:
            parse_key_fully(key, False)
        except exception.ParamError as exc:
            raise param_error("failed to convert key at index: %d -> %s" % (index, exc.args[1])) from None
