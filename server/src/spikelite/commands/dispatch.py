"""Route one AS_MSG to its command, the way the server's transaction service does."""

from __future__ import annotations

from ..wire import (DIGEST_SIZE, AerospikeWireError, FieldType, Info1, Info2, Info3, Message,
                    ResultCode, partition_id)
from ..store import read_touch
from .batch import execute_batch
from .scan import run_scan, stream_scan
from .single_record import SingleRecordCommands
from .transaction import Transactions


class DataCommands:
    def __init__(self, node):
        self.node = node
        self.namespaces = node.namespaces
        self._by_raw_name: dict = {}  # namespace field bytes -> Namespace (batch rows)
        self.single = SingleRecordCommands()
        self.transactions = Transactions()

    def replies(self, msg: Message, check=None, stream: bool = False):
        """The complete reply protos for one data command (several for a batch). `check(msg)`, if
        given, vets the command (each row of a batch): a non-zero result is its reply. With
        `stream`, a scan or query answers a generator instead (see `scan.stream_scan`; a request
        that cannot start yields its one error message)."""
        if msg.info1 & Info1.BATCH:
            if check is None:
                return execute_batch(msg, self.execute, self._read_all)

            def execute_checked(sub: Message) -> Message:
                result = check(sub)
                return Message(result_code=result) if result else self.execute(sub)
            return execute_batch(msg, execute_checked)
        if check is not None:
            result = check(msg)
            if result:
                return [Message(result_code=result).to_proto()]
        if msg.field(FieldType.DIGEST) is None:
            try:
                ns = self._namespace(msg)
                if ns is None:
                    return [Message(result_code=ResultCode.NAMESPACE_NOT_FOUND).to_proto()]
                if stream:
                    return _answer_errors(stream_scan(self.node, ns, msg, self.execute))
                return run_scan(self.node, ns, msg, self.execute)
            except AerospikeWireError as exc:
                return [Message(result_code=exc.code).to_proto()]
        return [self.execute(msg).to_proto()]

    def _read_all(self, ns_name: bytes, digest: bytes, touch_percent: int):
        """A batch row reading every bin (see batch.execute_batch): what `execute` would answer,
        without building messages; None for anything but the plain case (a single node, no
        strong consistency, no read touch due)."""
        ns = self._by_raw_name.get(ns_name)
        if ns is None:
            ns = self._by_raw_name[ns_name] = self.namespaces.get(ns_name.decode("utf-8", "replace"))
            if len(self._by_raw_name) > 64:  # names that are no namespace: not kept
                self._by_raw_name.clear()
        if ns is None or len(digest) != DIGEST_SIZE or len(self.node.membership.nodes) != 1 \
                or ns.config.strong_consistency:  # transactions: the general path
            return None
        record = ns.get(digest)
        if record is None:
            return ResultCode.KEY_NOT_FOUND
        parts = record.reply_parts()
        if parts[1]:  # a record that may be due for a read touch: the general path decides
            try:
                if read_touch.check(ns, record, touch_percent):
                    return None
            except AerospikeWireError:
                return None
        return parts

    def _namespace(self, msg: Message):
        ns_name = msg.field(FieldType.NAMESPACE)
        if ns_name is None:
            raise AerospikeWireError(ResultCode.PARAMETER, "no namespace field")
        return self.namespaces.get(ns_name.decode("utf-8", "replace"))

    def execute(self, msg: Message) -> Message:
        """The reply to one data command (errors become replies carrying their result code)."""
        try:
            return self._execute(msg)
        except AerospikeWireError as exc:
            return Message(result_code=exc.code)

    def _execute(self, msg: Message) -> Message:
        if msg.info1 & Info1.BATCH:
            raise AerospikeWireError(ResultCode.PARAMETER, "batch inside a batch")
        ns = self._namespace(msg)
        if ns is None:
            return Message(result_code=ResultCode.NAMESPACE_NOT_FOUND)
        digest = msg.field(FieldType.DIGEST)
        if digest is None:
            # scan / query / background job: not served yet
            return Message(result_code=ResultCode.UNSUPPORTED_FEATURE)
        if len(digest) != DIGEST_SIZE:
            raise AerospikeWireError(ResultCode.PARAMETER, "digest field of %d bytes" % len(digest))
        if not self.node.holds(partition_id(digest), bool(msg.info2 & Info2.WRITE)):
            self.node.stats.proxied += 1  # a real node would proxy it; the shared store serves it
        return self.transactions.execute(ns, digest, msg, lambda view: self._record_command(view, digest, msg))

    def _record_command(self, ns, digest: bytes, msg: Message) -> Message:
        """One single-record command on `ns` (a namespace, or a transaction's view of one)."""
        if msg.info2 & Info2.WRITE:
            if msg.info2 & Info2.DELETE:
                return self.single.delete(ns, digest, msg)
            if msg.field(FieldType.UDF_FILENAME) is not None:
                return self._apply_udf(ns, digest, msg)
            return self.single.write(ns, digest, msg)
        if msg.info1 & Info1.READ:
            return self.single.read(ns, digest, msg)
        raise AerospikeWireError(ResultCode.PARAMETER, "neither read nor write")

    def _apply_udf(self, ns, digest: bytes, msg: Message) -> Message:
        from ..udf.record_udf import apply_record_udf
        from . import single_record
        from .single_record import _check_key
        record_filter = getattr(single_record, "_apply_filter", None)
        if record_filter is not None and msg.field(FieldType.FILTER_EXPRESSION) is not None:
            record = ns.get(digest)
            if record is not None:
                try:
                    record_filter(ns, digest, record, msg)
                except AerospikeWireError as exc:  # a node's reply carries the record's generation
                    return Message(result_code=exc.code, generation=record.generation,
                                   record_ttl=record.void_time)
        return apply_record_udf(self.node.udfs, ns, digest, msg, self.single._void_time, _check_key)


def _answer_errors(steps):
    """A scan stream whose AerospikeWireError (a request that cannot start) becomes its reply."""
    try:
        yield from steps
    except AerospikeWireError as exc:
        yield Message(result_code=exc.code).to_proto()
