"""What a transaction adds to the command path, and Client.commit / Client.abort.

Each step is the official client's (C client aerospike_txn.c, as_txn_monitor.c): a write first
adds its key(s) to the monitor record, every command carries the transaction fields, replies
update the transaction's read and write sets; commit = verify reads, mark the monitor
``fwd``, roll forward, delete the monitor; abort = roll back, delete the monitor.
"""

from __future__ import annotations

from spikewire import FieldType, Info1, Info2, Info3, Message
from spikewire.message import Info4

from . import _single_record as sr
from . import exception
from ._executor import single_command
from ._io import command
from ._keys import Key
from ._transaction import (ABORT_ALREADY_ABORTED, ABORT_CLOSE_ABANDONED, ABORT_OK, ABORT_ROLL_BACK_ABANDONED,
                           COMMIT_ALREADY_COMMITTED, COMMIT_CLOSE_ABANDONED, COMMIT_OK,
                           COMMIT_ROLL_FORWARD_ABANDONED, MONITOR_SET, STATE_ABORTED, STATE_COMMIT_FAILED,
                           STATE_COMMITTED, STATE_OPEN, STATE_VERIFIED, Transaction)

_TXN_FAILED, _TXN_ALREADY_COMMITTED, _TXN_ALREADY_ABORTED, _BATCH_FAILED = -17, -18, -19, -16
_MRT_COMMITTED, _MRT_ABORTED = 124, 125
_LIST_ORDERED, _ADD_UNIQUE_NO_FAIL_PARTIAL = 1, 1 | 4 | 8
_OP_LIST_APPEND, _OP_LIST_APPEND_ITEMS, _OPERATOR_WRITE = 1001, 1002, 1
_TIMEOUT_KEYS = ("connect_timeout", "socket_timeout", "total_timeout", "timeout_delay", "max_retries",
                 "sleep_between_retries", "compress")

def policy_transaction(policy) -> Transaction | None:
    """The policy's ``txn``: a Transaction, or None when not given; anything else is refused."""
    if not isinstance(policy, dict) or "txn" not in policy:
        return None
    txn = policy["txn"]
    if not isinstance(txn, Transaction):
        from ._errors import param_error
        raise param_error("txn is not of type aerospike.Transaction")
    return txn


def add_fields(msg: Message, txn: Transaction, digest: bytes, is_write: bool) -> None:
    """Put the transaction fields after the digest (where the official client writes them)."""
    extra = txn._fields(digest, is_write)
    for i, (ftype, _) in enumerate(msg.fields):
        if ftype == FieldType.DIGEST:
            msg.fields[i + 1:i + 1] = extra
            return
    msg.fields.extend(extra)


def _error(code: int, message: str, in_doubt: bool = False) -> exception.AerospikeError:
    return exception.exception_for(code, message, in_doubt)


class TransactionMethods:
    """Client mixin: the transaction side of single-record and batch commands, commit, abort."""

    # -- the command path -------------------------------------------------------------------------

    def _txn_prepare(self, txn: Transaction, keys: list[Key], written: list[Key], policy: dict,
                     batch: bool = False):
        """(A command generator.) Before a command: the transaction must be open and in one
        namespace; keys about to be written go into the monitor record first (a single record
        once, a batch's written keys every time, as the official client adds them)."""
        for key in keys:
            txn._check_command(key.namespace)
        if not batch:
            written = [k for k in written if not txn._writes_contain(k.digest)]
        if written:
            yield from self._monitor_add(txn, written, policy, batch)

    def _monitor_key(self, txn: Transaction) -> Key:
        from ._keys import parse_key
        return parse_key((txn._ns, MONITOR_SET, txn._monitor_user_key()))

    def _monitor_add(self, txn: Transaction, keys: list[Key], policy: dict, batch: bool):
        ops = []
        if not txn._monitor_exists():
            ops.append({"op": _OPERATOR_WRITE, "bin": "id", "val": txn._monitor_user_key()})
        list_policy = {"list_order": _LIST_ORDERED, "write_flags": _ADD_UNIQUE_NO_FAIL_PARTIAL}
        if not batch:
            ops.append({"op": _OP_LIST_APPEND, "bin": "keyds", "val": bytearray(keys[0].digest),
                        "list_policy": list_policy})
        else:
            ops.append({"op": _OP_LIST_APPEND_ITEMS, "bin": "keyds",
                        "val": [bytearray(k.digest) for k in keys], "list_policy": list_policy})
        monitor_policy = dict(self._policies["operate"])
        monitor_policy.update({name: policy[name] for name in _TIMEOUT_KEYS if name in policy})
        key = self._monitor_key(txn)
        msg, _ = sr.operate_request(key, ops, {"ttl": txn.timeout}, monitor_policy, self._encoder)
        msg.record_ttl = txn.timeout
        reply, where, _in_doubt = yield from single_command(self._require(), key, msg.to_proto(),
                                                            monitor_policy, True)
        txn._on_deadline(reply)
        if reply.result_code:
            code = reply.result_code
            raise _error(code, "%s %s" % (where, _result_name(code)))

    def _run_in_txn(self, cluster, txn: Transaction, key: Key, msg: Message, policy: dict, is_write: bool):
        """(A command generator.) A single-record command of a transaction."""
        if key.namespace not in cluster.partition_map.namespaces:
            # the official client finds no partition before it looks at the transaction
            from spikewire import ResultCode
            raise exception.exception_for(ResultCode.NAMESPACE_NOT_FOUND, "Invalid namespace: %s" % key.namespace)
        yield from self._txn_prepare(txn, [key], [key] if is_write else [], policy)
        add_fields(msg, txn, key.digest, is_write)
        try:
            reply, where, in_doubt = yield from single_command(cluster, key, msg.to_proto(), policy, is_write)
        except exception.AerospikeError as exc:
            if is_write and exc.in_doubt:
                txn._on_write_in_doubt(key.digest, key.set_name)
            raise
        txn._on_reply(key.digest, key.set_name, reply.field(FieldType.RECORD_VERSION), reply.result_code,
                     is_write)
        if is_write and in_doubt and reply.result_code:
            txn._on_write_in_doubt(key.digest, key.set_name)
        return reply, (where, in_doubt)

    def _batch_in_txn(self, txn: Transaction, rows: list, policy: dict):
        """(A command generator.) Before a batch of a transaction: the monitor gets the written
        keys, each row the transaction fields (on its own copy: rows may share one template)."""
        yield from self._txn_prepare(txn, [r.key for r in rows], [r.key for r in rows if r.is_write], policy, True)
        for row in rows:
            msg = row.msg
            row.msg = Message(msg.info1, msg.info2, msg.info3, msg.info4, 0, msg.generation, msg.record_ttl,
                              msg.transaction_ttl, list(msg.fields), msg.ops)
            add_fields(row.msg, txn, row.key.digest, row.is_write)

    @staticmethod
    def _batch_replies_in_txn(txn: Transaction, rows: list, results: dict) -> None:
        from ._batch import NoResponse
        for row in rows:
            outcome = results.get(row.index)
            if isinstance(outcome, NoResponse):
                if outcome.in_doubt:
                    txn._on_write_in_doubt(row.key.digest, row.key.set_name)
            elif isinstance(outcome, tuple):  # iter_records' tuple, the version last
                txn._on_reply(row.key.digest, row.key.set_name, outcome[10], outcome[1], row.is_write)

    # -- commit and abort -------------------------------------------------------------------------

    def _check_transaction(self, name: str, txn) -> Transaction:
        if not isinstance(txn, Transaction):
            raise TypeError("%s() argument 1 must be aerospike.Transaction, not %s"
                            % (name, "None" if txn is None else type(txn).__name__))
        return txn

    @command
    def commit(self, transaction):
        txn = self._check_transaction("commit", transaction)
        state = txn._state
        if state == STATE_COMMITTED:
            return COMMIT_ALREADY_COMMITTED
        if state == STATE_ABORTED:
            raise _error(_TXN_ALREADY_ABORTED, "Transaction already aborted")
        if state in (STATE_VERIFIED, STATE_COMMIT_FAILED):
            return (yield from self._commit_verified(txn))
        try:
            yield from self._verify(txn)
        except exception.AerospikeError as verify_error:
            code, text = verify_error.code, verify_error.msg
            if code == _BATCH_FAILED:
                code, text = _TXN_FAILED, "One or more read keys failed to verify"
            txn._state = STATE_ABORTED
            try:
                yield from self._roll(txn, Info4.MRT_ROLL_BACK)
            except exception.AerospikeError as roll_error:
                raise _error(code, "Txn aborted:\nVerify failed: %s\nRollback abandoned: %s"
                             % (text, roll_error.msg), verify_error.in_doubt) from None
            if txn._monitor_exists() and not txn._write_in_doubt:
                try:
                    yield from self._monitor_remove(txn)
                except exception.AerospikeError as close_error:
                    raise _error(code, "Txn aborted:\nVerify failed: %s\nClose abandoned: %s"
                                 % (text, close_error.msg), verify_error.in_doubt) from None
            raise _error(code, "Txn aborted:\nVerify failed: %s" % text, verify_error.in_doubt) from None
        txn._state = STATE_VERIFIED
        return (yield from self._commit_verified(txn))

    def _commit_verified(self, txn: Transaction):
        if txn._monitor_exists():
            try:
                yield from self._monitor_mark_forward(txn)
            except exception.AerospikeError as mark_error:
                in_doubt = mark_error.in_doubt
                if mark_error.code == _MRT_ABORTED:
                    txn._in_doubt = False
                    txn._state = STATE_ABORTED
                elif mark_error.code == _MRT_COMMITTED:
                    txn._in_doubt = False
                    txn._state = STATE_COMMITTED
                    return COMMIT_ALREADY_COMMITTED
                elif txn._in_doubt:
                    in_doubt = True
                    txn._state = STATE_COMMIT_FAILED
                elif in_doubt:
                    txn._in_doubt = True
                    txn._state = STATE_COMMIT_FAILED
                raise _error(mark_error.code, "Txn aborted:\nMark roll forward abandoned: %s" % mark_error.msg,
                             in_doubt) from None
        txn._state = STATE_COMMITTED
        txn._in_doubt = False
        try:
            yield from self._roll(txn, Info4.MRT_ROLL_FORWARD)
        except exception.AerospikeError:
            return COMMIT_ROLL_FORWARD_ABANDONED  # the server rolls it forward: the monitor is marked
        if txn._monitor_exists() and not txn._write_in_doubt:
            try:
                yield from self._monitor_remove(txn)
            except exception.AerospikeError:
                return COMMIT_CLOSE_ABANDONED
        txn._clear()
        return COMMIT_OK

    @command
    def abort(self, transaction):
        txn = self._check_transaction("abort", transaction)
        state = txn._state
        if state == STATE_COMMITTED:
            raise _error(_TXN_ALREADY_COMMITTED, "Transaction already committed")
        if state == STATE_COMMIT_FAILED:
            raise _error(_TXN_FAILED, "Abort not allowed because a commit already failed on this transaction "
                                      "with an in-doubt outcome")
        if state == STATE_ABORTED:
            return ABORT_ALREADY_ABORTED
        txn._state = STATE_ABORTED
        try:
            yield from self._roll(txn, Info4.MRT_ROLL_BACK)
        except exception.AerospikeError:
            return ABORT_ROLL_BACK_ABANDONED
        if txn._monitor_exists() and not txn._write_in_doubt:
            try:
                yield from self._monitor_remove(txn)
            except exception.AerospikeError:
                return ABORT_CLOSE_ABANDONED
        return ABORT_OK

    # -- the steps --------------------------------------------------------------------------------

    def _txn_batch(self, rows: list, policy: dict):
        """(A command generator.) Run commit/abort rows as one batch (one row: a single-record
        command, as the official client sends a lone key); a failed row or node fails the step."""
        from ._batch import BatchExecutor
        cluster = self._require()
        if len(rows) == 1:
            row = rows[0]
            msg = row.msg
            msg.fields[1:1] = [(FieldType.SET, (row.key.set_name or "").encode())]
            if msg.info4 & Info4.MRT_ROLL_FORWARD | msg.info4 & Info4.MRT_ROLL_BACK:
                msg.fields = [(t, d) for t, d in msg.fields if t != FieldType.MRT_DEADLINE]
            sr._timeout(msg, policy)
            reply, _where, _in_doubt = yield from single_command(cluster, row.key, msg.to_proto(), policy,
                                                                 row.is_write)
            if reply.result_code:
                raise _error(_BATCH_FAILED, "One or more batch sub-commands failed")
            return
        executor = BatchExecutor(self._cluster, self._decoder)
        results = yield from executor.run(rows, policy)
        if executor.failure is not None:
            raise executor.failure
        for row in rows:
            outcome = results.get(row.index)
            code = outcome if isinstance(outcome, int) else outcome[1] if isinstance(outcome, tuple) else -15
            if code:
                raise _error(_BATCH_FAILED, "One or more batch sub-commands failed")

    def _verify(self, txn: Transaction):
        from ._batch import Row
        from ._keys import parse_key
        rows = []
        for i, (digest, (set_name, version)) in enumerate(list(txn._reads.items())):
            key = parse_key((txn._ns, set_name, None, bytearray(digest)))
            msg = Message(info1=Info1.READ | Info1.GET_NO_BINS, info3=Info3.SC_READ_TYPE,
                          info4=Info4.MRT_VERIFY_READ,
                          fields=[(FieldType.NAMESPACE, txn._ns.encode()), (FieldType.DIGEST, digest),
                                  (FieldType.RECORD_VERSION, (version & ((1 << 56) - 1)).to_bytes(7, "little"))])
            rows.append(Row(i, key, msg, False, header_only=True))
        if rows:
            yield from self._txn_batch(rows, self._policies["txn_verify"])

    def _roll(self, txn: Transaction, direction: int):
        from ._batch import Row
        from ._keys import parse_key
        rows = []
        for i, (digest, set_name) in enumerate(list(txn._writes.items())):
            key = parse_key((txn._ns, set_name, None, bytearray(digest)))
            msg = Message(info2=Info2.WRITE | Info2.DURABLE_DELETE, info4=direction,
                          fields=[(FieldType.NAMESPACE, txn._ns.encode()), (FieldType.DIGEST, digest)])
            add_fields(msg, txn, digest, True)
            rows.append(Row(i, key, msg, True))
        if rows:
            yield from self._txn_batch(rows, self._policies["txn_roll"])

    def _roll_policy(self) -> dict:
        return {name: value for name, value in self._policies["txn_roll"].items() if name in _TIMEOUT_KEYS}

    def _monitor_mark_forward(self, txn: Transaction):
        key = self._monitor_key(txn)
        policy = dict(self._policies["write"], **self._roll_policy())
        msg = sr.put_request(key, {"fwd": True}, {}, policy, self._encoder, None)
        reply, where, in_doubt = yield from single_command(self._require(), key, msg.to_proto(), policy, True)
        if reply.result_code not in (0, _MRT_COMMITTED):
            code = reply.result_code
            raise _error(code, "%s %s" % (where, _result_name(code)), in_doubt)

    def _monitor_remove(self, txn: Transaction):
        key = self._monitor_key(txn)
        policy = dict(self._policies["remove"], **self._roll_policy(), durable_delete=True)
        msg = sr.remove_request(key, {}, policy)
        reply, where, in_doubt = yield from single_command(self._require(), key, msg.to_proto(), policy, True)
        if reply.result_code:
            code = reply.result_code
            raise _error(code, "%s %s" % (where, _result_name(code)), in_doubt)


def _result_name(code: int) -> str:
    from ._errors import error_name
    return error_name(code)
