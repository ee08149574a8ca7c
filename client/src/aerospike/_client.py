"""aerospike.Client: the single-record API, info calls and connection management."""

from __future__ import annotations

import builtins
import functools
import threading
import time
import warnings

from spikewire import ResultCode

from ._logging import log
from . import _extras, _metrics, exception
from ._cluster.cluster import Cluster, ClusterConfig, ClusterError
from ._config import check_config, check_config_after_hosts
from ._cluster.connection import ConnectionFailed
from ._cluster.node import NoMoreConnections
from ._errors import client_error, param_error
from ._errors import error_name as _error_name
from ._executor import execute, info_command, run_single
from ._io import Sleep, command, direct, drive
from ._keys import parse_key
from ._policies import client_policies, merge
from ._values import Decoder, Encoder
from . import _single_record as sr
from ._transaction_commands import TransactionMethods, policy_transaction
from ._udf import UdfMethods
from ._dynamic_client import DynamicConfig as _DynamicConfig



def _seeds(config: dict) -> list[tuple[str, int, str | None]]:
    hosts = config.get("hosts")
    if not isinstance(hosts, list):
        raise param_error("Hosts must be a list")
    if not hosts:
        raise param_error("Hosts must not be empty")
    seeds = []
    for host in hosts:
        if isinstance(host, tuple) and 2 <= len(host) <= 3 and isinstance(host[0], str) and isinstance(host[1], int):
            seeds.append((host[0], host[1], host[2] if len(host) == 3 else None))
        elif isinstance(host, str):
            for part in host.split(","):
                addr, _, port = part.strip().rpartition(":")
                if not addr:
                    addr, port = port, "3000"
                try:
                    seeds.append((addr.strip("[]"), int(port), None))
                except ValueError:
                    raise param_error("Invalid host") from None
        else:
            raise param_error("Invalid host")
    return seeds


def _serialization(option) -> tuple:
    """(serializer, deserializer) of the config's `serialization` tuple; anything but a tuple
    is ignored, None entries are no callback (as the official client reads it)."""
    if not isinstance(option, tuple):
        return None, None
    serializer, deserializer = option[0], option[1]  # IndexError for a shorter tuple, as there
    if serializer is not None and not callable(serializer):
        raise param_error("Serializer must be callable")
    if deserializer is not None and not callable(deserializer):
        raise param_error("Deserializer must be callable")
    return serializer, deserializer


#: index_cdt_create's collection type when it is none of INDEX_TYPE_*.
_UNKNOWN_INDEX_TYPE = object()


class Client(UdfMethods, TransactionMethods):
    """A client of one Aerospike cluster. Create it with `aerospike.client(config)`."""

    def __init__(self, config: dict):
        if not isinstance(config, dict):
            raise param_error("Config must be a dict")
        self._embedded = None
        config = self._start_embedded(config) if config.get("embedded") else config
        check_config(config)
        self._config = dict(config)
        self._dynamic = _DynamicConfig.of(config)
        if not isinstance(config.get("cluster_name", ""), str):
            del self._config["cluster_name"]  # read only when it is a str, as by the official client
        self._config["_seeds"] = _seeds(config)
        serializer, deserializer = _serialization(config.get("serialization"))
        check_config_after_hosts(config)
        self._own_policies = client_policies(config.get("policies") if isinstance(config.get("policies"), dict)
                                             else None)
        self._policies = self._own_policies
        if self._dynamic is not None:
            self._dynamic.apply_at_creation(self)
        self._encoder = Encoder(config.get("send_bool_as", 1), serializer,
                                strict_types=config.get("strict_types") is not False)
        self._decoder = Decoder(deserializer)
        self._read_templates = sr.ReadTemplates()
        self._write_templates = sr.WriteTemplates()
        self._parse_record = functools.partial(sr.record_reply, self._decoder)
        self._cluster: Cluster | None = None
        self._lock = threading.Lock()

    # -- connection -------------------------------------------------------------------------------

    def _start_embedded(self, config: dict) -> dict:
        """purespike extension: `{"embedded": True}` (or a spikelite config file path) serves the
        client from a spikelite server started in this process; it stops when the client closes.
        Replace `embedded` by `hosts` to use a real cluster."""
        if "hosts" in config:
            raise param_error("give either hosts or embedded, not both")
        spikelite = _extras.load("spikelite", "embedded", "an embedded server")
        embedded = config["embedded"]
        self._embedded = spikelite.start(embedded if isinstance(embedded, str) else None)
        return dict(config, hosts=self._embedded.hosts)

    def connect(self, username: str | None = None, password: str | None = None) -> "Client":
        with self._lock:
            if self._cluster is not None:
                return self
            self._cluster = cluster = self._open_cluster(username, password)
            if self._dynamic is not None:
                self._dynamic.start(self, cluster)
        return self

    def _open_cluster(self, username, password, tend_thread: bool = True) -> Cluster:
        """A connected Cluster for this client's config (the seeds asked, the first tend done);
        `tend_thread`: tend it from a thread of its own (the asyncio face tends from a task)."""
        config = dict(self._config)
        if username is not None:
            config["user"], config["password"] = username, password
        if config.get("user") is not None:
            if config.get("password") is None:
                config.pop("user")  # the official client logs in only with both
            elif config["password"] == "":
                raise param_error("Password must not be empty")
        cluster_config = ClusterConfig(config)
        if self._dynamic is not None:
            self._dynamic.check_interval(cluster_config)
        authenticator = None
        if cluster_config.user:
            from ._auth import Authenticator
            authenticator = Authenticator(cluster_config.user, cluster_config.password or "")
        cluster = Cluster(cluster_config, authenticator)
        try:
            cluster.connect(tend_thread)
        except (ClusterError, ConnectionFailed, OSError) as exc:
            cluster.close()
            raise exception.exception_for(-10, "Failed to connect") from exc
        return cluster

    def is_connected(self) -> bool:
        """True while the client has a live view of at least one node (as the official client)."""
        return self._cluster is not None and bool(self._cluster.nodes)

    def close(self) -> None:
        with self._lock:
            cluster, self._cluster = self._cluster, None
        if cluster is not None:
            try:
                _metrics.disable(cluster)  # the last snapshot, as the official client writes it on close
            except exception.AerospikeError as exc:
                log(1, "Metrics disable error: %s" % (exc.msg,))
            cluster.close()
        if self._embedded is not None:
            self._embedded.stop()
            self._embedded = None

    # -- metrics ----------------------------------------------------------------------------------

    def enable_metrics(self, policy=None) -> None:
        """Report metrics by `policy` (an aerospike_helpers.metrics.MetricsPolicy; None: the
        defaults): a metrics file, or the policy's listeners."""
        if policy is None:  # the config's policies["metrics"], as the official client takes it
            configured = self._config.get("policies")
            policy = configured.get("metrics") if isinstance(configured, dict) else None
        settings = _metrics.Settings() if policy is None else _metrics.parse_policy(policy)
        cluster = self._require()
        if self._dynamic is not None:
            if self._dynamic.metrics.get("enable") is False:
                log(1, "Metrics can not be enabled by this function when metrics is disabled by dynamic "
                            "configuration")
                return
            self._dynamic.merge_metrics(settings)
        _metrics.enable(cluster, settings)

    def disable_metrics(self) -> None:
        cluster = self._cluster
        if cluster is None:
            return
        if self._dynamic is not None and self._dynamic.metrics.get("enable") is True \
                and cluster.metrics_listener is not None:
            log(1, "Metrics can not be disabled by this function when metrics is enabled by dynamic "
                        "configuration")
            return
        _metrics.disable(cluster)

    def get_stats(self):
        """An aerospike_helpers.metrics.ClusterStats of the cluster now."""
        return _metrics.cluster_stats(self._require())

    def _require(self) -> Cluster:
        cluster = self._cluster
        if cluster is None:
            raise exception.exception_for(11, "No connection to aerospike cluster")
        return cluster

    def shm_key(self):
        """Shared-memory tending is a C-client feature; purespike accepts the config and has no key."""
        return None

    def get_policies(self) -> dict:
        return {kind: dict(values) for kind, values in self._policies.items()}

    def get_expression_base64(self, compiled_expression):
        """The wire bytes of a compiled expression, base64-encoded (as the server's info
        commands take them)."""
        from ._expressions import expression_base64
        return expression_base64(compiled_expression)

    def get_cdtctx_base64(self, ctx):
        """The packed form of a cdt_ctx list, base64-encoded (``sindex-create ... context=``)."""
        from ._expressions import ctx_base64
        return ctx_base64(ctx)

    # -- the command path -------------------------------------------------------------------------

    def _drive(self, gen):
        """Run a command generator (see `_io`) with blocking sockets."""
        return drive(gen, execute)

    def _single_command(self, cluster, key, request: bytes, policy: dict, is_write: bool, parse=None):
        """`_executor.single_command` for this face (`yield from` it in a command generator). The
        sync face runs it on blocking sockets right away (`run_single`: a generator that never
        yields, so its caller's driver has nothing to do); the asyncio face's is the generator."""
        return run_single(cluster, key, request, policy, is_write, parse)
        yield  # noqa: unreachable - makes this a generator function

    def _run(self, key, msg, policy: dict, is_write: bool, parse=None):
        """`parse(body)` reads the reply (default: a Message; in a transaction always a Message)."""
        cluster = self._require()
        txn = policy_transaction(policy)
        if txn is not None:
            return (yield from self._run_in_txn(cluster, txn, key, msg, policy, is_write))
        reply, where, in_doubt = yield from self._single_command(cluster, key, msg.to_proto(), policy, is_write,
                                                                  parse)
        return reply, (where, in_doubt)

    @staticmethod
    def _raise_for(reply, where, is_write: bool = False, key=None, bin=None):  # noqa: A002
        """Raise the exception for a reply's result code; `where` is ('host:port', in_doubt).
        A RecordError carries the key as the caller gave it and `bin` (the bins of a put,
        the bin name of append/prepend/increment, else None), as the official client's do."""
        code = reply.result_code
        address, in_doubt = where
        raise exception.exception_for(code, "%s %s" % (address, _error_name(code)), in_doubt, key=key, bin=bin)

    # -- reads ------------------------------------------------------------------------------------

    @command
    def get(self, key, policy=None):
        k = parse_key(key)
        request = None
        if policy is None:  # the default read policy: the request from its template
            policy = self._policies["read"]
            if policy_transaction(policy) is None:
                request = self._read_templates.request(k, policy)
        else:
            policy = merge(self._policies["read"], policy)
        if request is None:
            reply, where = yield from self._run(k, sr.read_request(k, policy), policy, False, self._parse_record)
        else:
            reply, address, in_doubt = yield from self._single_command(self._require(), k, request, policy, False,
                                                                       self._parse_record)
            where = (address, in_doubt)
        if reply.result_code:
            self._raise_for(reply, where, key=key)
        return (k.as_tuple(policy.get("key") == sr.POLICY_KEY_SEND), sr.meta_of(reply, sr.now_cl()),
                sr.reply_bins(reply, self._decoder))

    def _get_now(self, key, policy=None):
        """`get` on blocking sockets: a default-policy get in plain calls, any other the command."""
        if policy is not None or "txn" in self._policies["read"]:
            return self._drive(Client.get.command(self, key, policy))
        k = parse_key(key)
        policy = self._policies["read"]
        request = self._read_templates.request(k, policy)
        reply, address, in_doubt = run_single(self._require(), k, request, policy, False, self._parse_record)
        if reply.result_code:
            self._raise_for(reply, (address, in_doubt), key=key)
        return (k.as_tuple(policy.get("key") == sr.POLICY_KEY_SEND), sr.meta_of(reply, sr.now_cl()),
                sr.reply_bins(reply, self._decoder))

    get = direct(get, _get_now)

    @command
    def select(self, key, bins, policy=None):
        k = parse_key(key)
        if not isinstance(bins, (list, tuple)):
            raise param_error("not a list or tuple")
        for name in bins:
            if not isinstance(name, str):
                raise param_error("Bin name must be a string")
        names = [sr.check_bin_name(b) for b in bins]
        policy = merge(self._policies["read"], policy)
        reply, where = yield from self._run(k, sr.read_request(k, policy, bins=names), policy, False,
                                            self._parse_record)
        if reply.result_code:
            self._raise_for(reply, where, key=key)
        return k.as_tuple(), sr.meta_of(reply, sr.now_cl()), sr.reply_bins(reply, self._decoder)

    @command
    def exists(self, key, policy=None):
        k = parse_key(key)
        policy = merge(self._policies["read"], policy)
        reply, where = yield from self._run(k, sr.read_request(k, policy, header_only=True), policy, False,
                                            self._parse_record)
        if reply.result_code == ResultCode.KEY_NOT_FOUND:
            return k.as_tuple(), None
        if reply.result_code:
            self._raise_for(reply, where, key=key)
        return k.as_tuple(), sr.meta_of(reply, sr.now_cl())

    # -- writes -----------------------------------------------------------------------------------

    @command
    def put(self, key, bins, meta=None, policy=None, serializer=None):
        k = parse_key(key)
        if not isinstance(bins, dict):
            raise param_error("Record should be passed as bin-value pair")
        if meta is None and policy is None:  # the default write policy: the request from its template
            policy = self._policies["write"]
            if policy_transaction(policy) is None:
                request = self._write_templates.request(k, bins, policy, self._encoder, serializer)
                reply, address, in_doubt = yield from self._single_command(self._require(), k, request, policy,
                                                                           True, sr.write_reply)
                if reply.result_code:
                    self._raise_for(reply, (address, in_doubt), True, key=key, bin=bins)
                return 0
        meta = sr.check_meta(meta)
        policy = merge(self._policies["write"], policy)
        msg = sr.put_request(k, bins, meta, policy, self._encoder, serializer)
        reply, where = yield from self._run(k, msg, policy, True, self._parse_record)
        if reply.result_code:
            self._raise_for(reply, where, True, key=key, bin=bins)
        return 0

    def _put_now(self, key, bins, meta=None, policy=None, serializer=None):
        """`put` on blocking sockets: a put with the default policy and no meta in plain calls,
        any other the command."""
        if meta is not None or policy is not None or "txn" in self._policies["write"]:
            return self._drive(Client.put.command(self, key, bins, meta, policy, serializer))
        k = parse_key(key)
        if not isinstance(bins, dict):
            raise param_error("Record should be passed as bin-value pair")
        policy = self._policies["write"]
        request = self._write_templates.request(k, bins, policy, self._encoder, serializer)
        reply, address, in_doubt = run_single(self._require(), k, request, policy, True, sr.write_reply)
        if reply.result_code:
            self._raise_for(reply, (address, in_doubt), True, key=key, bin=bins)
        return 0

    put = direct(put, _put_now)

    @command
    def remove(self, key, meta=None, policy=None):
        k = parse_key(key)
        meta = sr.remove_meta(meta, policy)
        policy = merge(self._policies["remove"], policy)
        reply, where = yield from self._run(k, sr.remove_request(k, meta, policy), policy, True, self._parse_record)
        if reply.result_code:
            self._raise_for(reply, where, True, key=key)
        return 0

    @command
    def remove_bin(self, key, list, meta=None, policy=None):  # noqa: A002 - official parameter name
        k = parse_key(key)
        if not isinstance(list, (builtins.list, tuple)):
            raise param_error("Bins should be a list")
        for name in list:
            if not isinstance(name, str):
                raise client_error("Invalid bin name, bin name should be a string or unicode string")
        bins = {sr.check_bin_name(name): None for name in list}
        meta = sr.check_meta(meta)
        policy = merge(self._policies["write"], policy)
        msg = sr.put_request(k, bins, meta, policy, self._encoder, None)
        reply, where = yield from self._run(k, msg, policy, True, self._parse_record)
        if reply.result_code:
            self._raise_for(reply, where, True, key=key)
        return 0

    def _single_op(self, key, operation: dict, meta, policy):
        k = parse_key(key)
        meta = sr.check_meta(meta)
        policy = merge(self._policies["operate"], policy)
        try:
            msg, _ = sr.operate_request(k, [operation], meta, policy, self._encoder)
        except exception.BinNameError as exc:  # it names the key and bin as given, as the official one
            raise exception.exception_for(exc.code, exc.msg, False, key=key, bin=operation.get("bin")) from None
        reply, where = yield from self._run(k, msg, policy, True, self._parse_record)
        if reply.result_code:
            self._raise_for(reply, where, True, key=key, bin=operation.get("bin"))
        return 0

    @command
    def append(self, key, bin, val, meta=None, policy=None):  # noqa: A002
        return (yield from self._single_op(key, {"op": sr.OPERATOR_APPEND, "bin": bin, "val": val}, meta, policy))

    @command
    def prepend(self, key, bin, val, meta=None, policy=None):  # noqa: A002
        return (yield from self._single_op(key, {"op": sr.OPERATOR_PREPEND, "bin": bin, "val": val}, meta, policy))

    @command
    def increment(self, key, bin, offset, meta=None, policy=None):  # noqa: A002
        if isinstance(offset, bool):
            offset = int(offset)  # the C extension reads a bool offset as an integer
        try:
            return (yield from self._single_op(key, {"op": sr.OPERATOR_INCR, "bin": bin, "val": offset}, meta, policy))
        except exception.ParamError as exc:
            if exc.msg != sr.INCREMENT_OPERAND_ERROR:
                raise
        # The same check as operate()'s, last as there, in Client.increment's own words.
        raise param_error("Unsupported operand type(s) for +: only 'int' allowed")

    @command
    def touch(self, key, val=0, meta=None, policy=None):
        if isinstance(val, bool) or not isinstance(val, int):
            raise param_error("Unsupported operand type(s) for touch : only int or long allowed")
        meta = dict(sr.check_meta(meta))
        operation = {"op": sr.OPERATOR_TOUCH}
        if val:
            operation["val"] = val
        return (yield from self._single_op(key, operation, meta, policy))

    @command
    def operate(self, key, list, meta=None, policy=None):  # noqa: A002
        k, meta_out, reply = yield from self._operate(key, list, meta, policy, self._parse_record)
        return k.as_tuple(), meta_out, sr.reply_bins(reply, self._decoder)

    @command
    def operate_ordered(self, key, list, meta=None, policy=None):  # noqa: A002
        if isinstance(list, builtins.list) and not all(isinstance(operation, dict) for operation in list):
            raise param_error("Operation must be a dict")  # operate() passes them over; operate_ordered() does not
        k, meta_out, reply = yield from self._operate(key, list, meta, policy)
        return k.as_tuple(), meta_out, sr.ordered_bins_of(reply, self._decoder)

    def _operate(self, key, operations, meta, policy, parse=None):
        k = parse_key(key)
        meta = sr.check_meta(meta)
        policy = merge(self._policies["operate"], policy)
        msg, writes = sr.operate_request(k, operations, meta, policy, self._encoder)
        reply, where = yield from self._run(k, msg, policy, writes, parse)
        if reply.result_code:
            self._raise_for(reply, where, writes, key=key)
        return k, sr.meta_of(reply, sr.now_cl()), reply

    # -- batch ------------------------------------------------------------------------------------

    def _batch(self, records: list, rows: list, policy: dict):
        from aerospike_helpers.batch.records import BatchRecords
        from ._batch import BatchExecutor, fill_records
        self._require()
        txn = policy_transaction(policy)
        if txn is not None:
            try:
                yield from self._batch_in_txn(txn, rows, policy)
            except exception.AerospikeError as exc:
                # As the official client: a transaction that cannot take the batch (finished,
                # another namespace, the monitor refused) is the call's result, with no records.
                batch = BatchRecords([])
                batch.result = exc.code
                batch._failure = exc
                batch._not_sent = rows
                return batch
        executor = BatchExecutor(self._cluster, self._decoder)
        results = (yield from executor.run(rows, policy)) if rows else {}
        if txn is not None:
            self._batch_replies_in_txn(txn, rows, results)
        batch = BatchRecords(records)
        batch.result = fill_records(records, rows, results, self._decoder, sr.now_cl())
        if executor.failure is not None:
            # As the official client: a node's failure is the call's result, not an exception.
            batch.result = executor.failure.code
            batch._failure = executor.failure
        return batch

    @staticmethod
    def _raise_batch_failure(batch) -> None:
        """The older batch calls raise a node's failure, as the official client's did."""
        failure = getattr(batch, "_failure", None)
        if failure is not None:
            raise failure

    @command
    def batch_read(self, keys, bins=None, policy=None):
        from ._batch import check_keys, read_rows, records_of
        parsed = check_keys(keys)
        if bins is not None:
            if not isinstance(bins, builtins.list):
                raise param_error("bins should be a list")
            bins = [sr.check_bin_name(b) for b in bins]
        policy = merge(self._policies["batch"], policy)
        row_policy = {name: value for name, value in policy.items() if name != "expressions"}  # filter: parent only
        rows = read_rows(parsed, row_policy, bins)
        return (yield from self._batch(records_of(parsed), rows, policy))

    _batch_read = batch_read.command  # the command itself, for the older calls built on it

    @command
    def batch_operate(self, keys, ops, policy_batch=None, policy_batch_write=None, ttl=None):
        from ._batch import check_keys, operate_row, records_of
        parsed = check_keys(keys)
        if not isinstance(ops, builtins.list) or not ops:
            raise param_error("ops should be a list of op dictionaries")
        if not all(isinstance(operation, dict) for operation in ops):
            raise param_error("op should be an aerospike operation dictionary")
        policy = merge(self._policies["batch_parent_write"], policy_batch)
        row_policy = merge(self._policies["batch_write"], policy_batch_write)
        meta = {} if ttl is None else {"ttl": ttl}
        rows = [operate_row(i, k, ops, meta, row_policy, self._encoder) for i, k in enumerate(parsed)]
        return (yield from self._batch(records_of(parsed), rows, policy))

    _batch_operate = batch_operate.command

    @command
    def batch_remove(self, keys, policy_batch=None, policy_batch_remove=None):
        from ._batch import check_keys, records_of, remove_row
        parsed = check_keys(keys)
        policy = merge(self._policies["batch_parent_write"], policy_batch)
        row_policy = merge(self._policies["batch_remove"], policy_batch_remove)
        rows = [remove_row(i, k, row_policy) for i, k in enumerate(parsed)]
        return (yield from self._batch(records_of(parsed), rows, policy))

    @command
    def batch_write(self, batch_records, policy_batch=None):
        from aerospike_helpers.batch.records import Apply, BatchRecord, BatchRecords, Read, Remove, Write
        from ._batch import operate_row, read_row, remove_row
        if not isinstance(batch_records, BatchRecords):
            raise param_error("batch_records must be an aerospike_helpers.batch.records.BatchRecords instance")
        policy = merge(self._policies["batch_parent_write"], policy_batch)
        records = getattr(batch_records, "batch_records", None)
        if not isinstance(records, builtins.list):
            raise param_error("batch_records must be a list of BatchRecord")
        rows = []
        for i, record in enumerate(records):
            _check_batch_record(record, BatchRecord, Read)
            key = parse_key(record.key)
            if isinstance(record, Read):
                row_policy = merge(self._policies["batch"], record.policy)
                if record.ops:
                    rows.append(operate_row(i, key, record.ops, record.meta or {}, row_policy, self._encoder))
                else:
                    rows.append(read_row(i, key, row_policy, None if record.read_all_bins else [], record.read_all_bins))
            elif isinstance(record, Write):
                row_policy = merge(self._policies["batch_write"], record.policy)
                row = operate_row(i, key, record.ops, sr.check_meta(record.meta), row_policy, self._encoder)
                row.is_write = True
                rows.append(row)
            elif isinstance(record, Remove):
                rows.append(remove_row(i, key, merge(self._policies["batch_remove"], record.policy)))
            elif isinstance(record, Apply):
                from ._udf import batch_apply_row
                rows.append(batch_apply_row(i, record, self._policies, self._encoder))
            else:
                raise param_error("batch_records must hold Read, Write, Apply or Remove records")
        result = yield from self._batch(batch_records.batch_records, rows, policy)
        batch_records.result = result.result
        for row in getattr(result, "_not_sent", ()):
            # the official client still fills each record, empty and keyed without a digest
            record = batch_records.batch_records[row.index]
            record.result = 0
            record.record = ((row.key.namespace, row.key.set_name, row.key.user_key, None), {"ttl": 0, "gen": 0}, {})
        return batch_records

    # Older batch calls (removed from the official client in 19.x, still used by applications).

    @command
    def get_many(self, keys, policy=None) -> list:
        """[(key, meta, bins)] in key order; meta and bins are None for missing records."""
        batch = yield from self._batch_read(keys, None, policy)
        self._raise_batch_failure(batch)
        return [r.record if r.record is not None else (r.key, None, None) for r in batch.batch_records]

    @command
    def select_many(self, keys, bins, policy=None) -> list:
        batch = yield from self._batch_read(keys, bins if bins else None, policy)
        self._raise_batch_failure(batch)
        return [r.record if r.record is not None else (r.key, None, None) for r in batch.batch_records]

    @command
    def exists_many(self, keys, policy=None) -> list:
        """[(key, meta)] in key order; meta is None for missing records."""
        batch = yield from self._batch_read(keys, [], policy)
        self._raise_batch_failure(batch)
        return [r.record if r.record is not None else (r.key, None) for r in batch.batch_records]

    @command
    def batch_get_ops(self, keys, ops, policy=None) -> list:
        """[(key, meta, bins)] of read operations applied to each key."""
        batch = yield from self._batch_operate(keys, ops, policy)
        return [r.record if r.record is not None else (r.key, None, None) for r in batch.batch_records]

    # -- scans and queries --------------------------------------------------------------------------

    def query(self, namespace, set=None):  # noqa: A002 - official parameter name
        return self._stream_class("Query")._create(self, namespace, set)  # a closed client refuses only when it runs

    def _stream_class(self, name: str):
        """This face's Query or Scan class (aerospike.aio has its own)."""
        from . import _query
        return getattr(_query, name)

    @command
    def job_info(self, job_id, module, policy=None) -> dict:
        """Progress of a background scan/query job: {'status', 'progress_pct', 'records_read'}."""
        from ._background import job_info
        return (yield from job_info(self, job_id, module, policy))

    def scan(self, namespace, set=None):  # noqa: A002
        if not isinstance(namespace, str):
            raise param_error("Parameters are incorrect")
        return self._stream_class("Scan")._create(self, namespace, set)  # a closed client refuses only when it runs

    # -- secondary indexes ------------------------------------------------------------------------

    _INDEX_DATATYPES = {0: "STRING", 1: "NUMERIC", 4: "NUMERIC", 2: "GEO2DSPHERE", 3: "BLOB"}
    _INDEX_TYPES = {0: None, 1: "LIST", 2: "MAPKEYS", 3: "MAPVALUES", _UNKNOWN_INDEX_TYPE: "DEFAULT"}

    def _index_create(self, ns, set_name, bin_name, index_type, datatype, name, policy, ctx=None,
                      expression=None) -> int:
        """sindex-create, as the official client words it: on a bin, on a context of a bin (`ctx`:
        a cdt_ctx list) or on an expression (`expression`: compiled, no bin)."""
        checks = [(ns, "Namespace"), (name, "Index name")]
        if isinstance(bin_name, bytearray):  # bin names may be given as bytearray
            bin_name = bin_name.decode("utf-8", "surrogateescape")
        if expression is None:
            checks.insert(1, (bin_name, "Bin"))
        for value, what in checks:
            if not isinstance(value, str):
                raise param_error("%s should be a string" % what)
        if set_name is not None and not isinstance(set_name, str):
            raise param_error("Set should be a string")
        type_name = self._INDEX_DATATYPES.get(datatype)
        if type_name is None or index_type not in self._INDEX_TYPES:
            raise param_error("Index type is invalid")
        command = "sindex-create:namespace=%s" % ns
        if set_name:
            command += ";set=%s" % set_name
        command += ";indexname=%s" % name
        if ctx is not None:
            command += ";context=%s" % self._index_ctx_base64(ctx)
        if expression is not None:
            command += ";exp=%s" % expression
        if self._INDEX_TYPES[index_type]:
            command += ";indextype=%s" % self._INDEX_TYPES[index_type]
        if expression is None:
            command += ";bin=%s" % bin_name
        command += ";type=%s" % type_name
        yield from self._index_command(command, policy)
        yield from self._wait_index(ns, name, policy)
        return 0

    def _index_command(self, command: str, policy) -> None:
        cluster = self._require()
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(11, "No nodes available")
        yield from self._info_node(node, command, self._info_timeout(policy))

    def _wait_index(self, ns: str, name: str, policy) -> None:
        """Poll sindex-stat on every node until the index reports load_pct=100."""
        deadline = time.monotonic() + 30
        for node in list(self._require().nodes.values()):
            while True:
                text = (yield from self._info_node(node, "sindex-stat:namespace=%s;indexname=%s" % (ns, name),
                                       self._info_timeout(policy)))
                if "load_pct=100" in text or time.monotonic() > deadline:
                    break
                yield Sleep(0.1)

    @staticmethod
    def _index_ctx_base64(ctx) -> str:
        """The `context=` of sindex-create: the packed cdt_ctx list, base64 (an empty list too)."""
        import base64
        from ._expressions import ctx_bytes
        if not isinstance(ctx, list):
            raise param_error("Failed to convert ctx")
        try:
            return base64.b64encode(ctx_bytes(ctx)).decode()
        except exception.AerospikeError:
            raise param_error("Failed to convert ctx") from None

    @command
    def index_single_value_create(self, ns, set, bin, index_datatype, name, policy=None, ctx=None):  # noqa: A002
        return (yield from self._index_create(ns, set, bin, 0, index_datatype, name, policy, ctx))

    @command
    def index_integer_create(self, ns, set, bin, name, policy=None):  # noqa: A002
        warnings.warn("index_integer_create() is deprecated. Please use index_single_value_create() instead",
                      DeprecationWarning, stacklevel=2)
        return (yield from self._index_create(ns, set, bin, 0, 4, name, policy))

    @command
    def index_string_create(self, ns, set, bin, name, policy=None):  # noqa: A002
        warnings.warn("index_string_create() is deprecated. Please use index_single_value_create() instead",
                      DeprecationWarning, stacklevel=2)
        return (yield from self._index_create(ns, set, bin, 0, 0, name, policy))

    @command
    def index_blob_create(self, ns, set, bin, name, policy=None):  # noqa: A002
        warnings.warn("index_blob_create() is deprecated. Please use index_single_value_create() instead",
                      DeprecationWarning, stacklevel=2)
        return (yield from self._index_create(ns, set, bin, 0, 3, name, policy))

    @command
    def index_geo2dsphere_create(self, ns, set, bin, name, policy=None):  # noqa: A002
        warnings.warn("index_geo2dsphere_create() is deprecated. Please use index_single_value_create() instead",
                      DeprecationWarning, stacklevel=2)
        return (yield from self._index_create(ns, set, bin, 0, 2, name, policy))

    @command
    def index_list_create(self, ns, set, bin, index_datatype, name, policy=None, ctx=None):  # noqa: A002
        return (yield from self._index_create(ns, set, bin, 1, index_datatype, name, policy, ctx))

    @command
    def index_map_keys_create(self, ns, set, bin, index_datatype, name, policy=None, ctx=None):  # noqa: A002
        return (yield from self._index_create(ns, set, bin, 2, index_datatype, name, policy, ctx))

    @command
    def index_map_values_create(self, ns, set, bin, index_datatype, name, policy=None, ctx=None):  # noqa: A002
        return (yield from self._index_create(ns, set, bin, 3, index_datatype, name, policy, ctx))

    @command
    def index_cdt_create(self, ns, set, bin, index_type, index_datatype, name, ctx, policy=None):  # noqa: A002
        warnings.warn("index_cdt_create() is deprecated. Please use one of the other non-deprecated "
                      "index_*_create() methods instead", DeprecationWarning, stacklevel=2)
        if ctx is None:
            raise param_error("ctx cannot be None")
        if index_type not in self._INDEX_TYPES:
            index_type = _UNKNOWN_INDEX_TYPE  # the official client words it as indextype=DEFAULT
        return (yield from self._index_create(ns, set, bin, index_type, index_datatype, name, policy, ctx))

    @command
    def index_expr_create(self, ns, set, index_type, index_datatype, expressions, name, policy=None):  # noqa: A002
        """An index on the value `expressions` (a compiled expression) evaluates to for each record."""
        from ._expressions import expression_base64
        if not isinstance(expressions, list) or not expressions:
            raise param_error("Expressions must be a non empty list of 4 element tuples, generated by a compiled "
                              "aerospike expression. For Query.where_with_expr(), it can also be a base64 string.")
        return (yield from self._index_create(ns, set, None, index_type, index_datatype, name, policy,
                                  expression=expression_base64(expressions)))

    @command
    def index_set_create(self, ns, set, name, policy=None) -> int:  # noqa: A002
        """A set index (server 8.1+): the node keeps a list of `set`'s records for scans of it."""
        self._require()
        self._info_timeout(policy)  # the official client reads the policy before the arguments
        if not isinstance(ns, str):
            raise param_error("Namespace should be a string")
        if set is not None and not isinstance(set, str):
            raise param_error("Set should be string, unicode or None")
        if not isinstance(name, str):
            raise param_error("Index name should be string or unicode")
        command = "sindex-create:namespace=%s" % ns
        if set is not None:
            command += ";set=%s" % set
        yield from self._index_command(command + ";indexname=%s;indextype=set" % name, policy)
        return 0

    @command
    def index_remove(self, ns, name, policy=None) -> int:
        if not isinstance(ns, str) or not isinstance(name, str):
            raise param_error("Namespace and index name should be strings")
        command = "sindex-delete:namespace=%s;indexname=%s" % (ns, name)
        self._info_timeout(policy)
        size = len(command.encode()) + 1  # the C client formats it into 1024 bytes, with its NUL
        if size >= 1024:
            raise client_error("Index remove buffer overflow: %d" % size)
        yield from self._index_command(command, policy)
        return 0

    # -- partitions and nodes ---------------------------------------------------------------------

    def get_key_partition_id(self, ns, set, key) -> int:  # noqa: A002
        """The partition id of a key; its namespace and set checked first (see _arguments.CHECKS),
        then its user key (a str, int or bytearray), then the connection, as the official client."""
        if not isinstance(key, (str, int, bytearray)):
            raise param_error("Key is invalid.")
        self._require()
        return parse_key({"ns": ns, "set": set, "key": key}).partition_id()

    def get_nodes(self) -> list:
        cluster = self._require()
        return [node.host for node in cluster.nodes.values()]

    def get_node_names(self) -> list:
        if self._cluster is None:
            raise exception.exception_for(11, "No connection to aerospike cluster.")
        cluster = self._require()
        return [{"address": node.host[0], "port": node.host[1], "node_name": node.name}
                for node in cluster.nodes.values()]

    # -- info -------------------------------------------------------------------------------------

    def _info_timeout(self, policy) -> float:
        policy = merge(self._policies["info"], policy)
        timeout = policy.get("timeout", 1000)
        if isinstance(timeout, bool) or not isinstance(timeout, int):
            raise param_error("timeout is invalid")
        return timeout / 1000.0

    def _info_node(self, node, command: str, timeout: float, empty_ok: bool = True) -> str:
        request = command if command.endswith("\n") else command + "\n"
        try:
            text = yield from info_command(node, request, timeout)
        except (ConnectionFailed, NoMoreConnections) as exc:
            if getattr(exc, "timeout", False):
                raise exception.exception_for(ResultCode.TIMEOUT, "timeout from %s:%d" % node.host) from None
            raise exception.exception_for(-10, "%s from %s:%d" % (exc, *node.host)) from None
        _raise_info_error(text, node)
        if not empty_ok and not text:
            raise client_error("Invalid info operation.")  # an empty answer, to a single-node call
        return text

    @command
    def info_all(self, command, policy=None) -> dict:
        cluster = self._require()
        if not isinstance(command, str):
            raise param_error("Request must be a string")
        timeout = self._info_timeout(policy)
        result = {}
        for node in list(cluster.nodes.values()):
            text = yield from self._info_node(node, command, timeout)
            _, tab, rest = text.partition("\t")
            result[node.name] = (None, (rest if tab else text) or None)  # an empty answer is None
        return result

    @command
    def info_random_node(self, command, policy=None) -> str:
        cluster = self._require()
        if not isinstance(command, str):
            raise param_error("Request must be a string")
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(11, "No nodes available")
        return (yield from self._info_node(node, command, self._info_timeout(policy), empty_ok=False))

    @command
    def info_single_node(self, command, host, policy=None) -> str:
        cluster = self._require()
        node = cluster.nodes.get(host) if isinstance(host, str) else None
        if node is None:
            raise param_error("Could not get node with name %s." % (host,))
        if not isinstance(command, str):
            raise param_error("Request must be a string")
        return (yield from self._info_node(node, command, self._info_timeout(policy), empty_ok=False))

    @command
    def set_xdr_filter(self, data_center, namespace, expression_filter, policy=None) -> str:
        """Set (a compiled expression) or clear (None) the XDR filter of `namespace` for
        `data_center`: the info command ``xdr-set-filter`` to a random node, whose answer comes
        back. Community nodes refuse it (25, enterprise only)."""
        from ._expressions import expression_base64
        # data_center, namespace and expression_filter are checked by CHECKS (before the connection)
        encoded = "null" if expression_filter is None else expression_base64(expression_filter)  # null: remove it
        timeout = self._info_timeout(policy)
        cluster = self._require()
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(11, "No nodes available")
        return (yield from self._info_node(node, "xdr-set-filter:dc=%s;namespace=%s;exp=%s" % (data_center, namespace, encoded),
                               timeout, empty_ok=False))

    @command
    def truncate(self, namespace, set, nanos, policy=None) -> int:  # noqa: A002
        """Truncate a set (any string, even "": the node judges it) or, with set None, the whole
        namespace; the official client's argument checks and messages."""
        cluster = self._require()
        if not isinstance(namespace, str):
            raise param_error("Namespace must be unicode or string type")
        if set is not None and not isinstance(set, str):
            raise param_error("Set must be None, or unicode or string type")
        if not isinstance(nanos, int):
            raise param_error("Nanoseconds must be a long type")
        if -(1 << 63) <= nanos < 0:
            raise param_error("Nanoseconds must be a positive value")
        if not 0 <= nanos < (1 << 64):
            raise param_error("Nanoseconds value too large")
        if set is not None:
            command = "truncate:namespace=%s;set=%s" % (namespace, set)
        else:
            command = "truncate-namespace:namespace=%s" % namespace
        if nanos:
            command += ";lut=%d" % nanos
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(-1, "Failed to find server node.")
        yield from self._info_node(node, command, self._info_timeout(policy))
        return 0

    # -- admin (users and roles; see _admin.py) ---------------------------------------------------

    def _admin(self):
        from ._admin import Admin
        return Admin(self)

    @command
    def admin_create_user(self, username, password, roles, policy=None):
        return (yield from self._admin().admin_create_user(username, password, roles, policy))

    @command
    def admin_create_pki_user(self, username, roles, policy=None):
        return (yield from self._admin().admin_create_pki_user(username, roles, policy))

    @command
    def admin_drop_user(self, username, policy=None):
        return (yield from self._admin().admin_drop_user(username, policy))

    @command
    def admin_set_password(self, username, password, policy=None):
        return (yield from self._admin().admin_set_password(username, password, policy))

    @command
    def admin_change_password(self, username, password, policy=None):
        return (yield from self._admin().admin_change_password(username, password, policy))

    @command
    def admin_grant_roles(self, username, roles, policy=None):
        return (yield from self._admin().admin_grant_roles(username, roles, policy))

    @command
    def admin_revoke_roles(self, username, roles, policy=None):
        return (yield from self._admin().admin_revoke_roles(username, roles, policy))

    @command
    def admin_query_user_info(self, user, policy=None) -> dict:
        return (yield from self._admin().admin_query_user_info(user, policy))

    @command
    def admin_query_users_info(self, policy=None) -> dict:
        return (yield from self._admin().admin_query_users_info(policy))

    @command
    def admin_create_role(self, role, privileges=None, policy=None, whitelist=None, read_quota=0, write_quota=0):
        return (yield from self._admin().admin_create_role(role, privileges, policy, whitelist, read_quota, write_quota))

    @command
    def admin_drop_role(self, role, policy=None):
        return (yield from self._admin().admin_drop_role(role, policy))

    @command
    def admin_grant_privileges(self, role, privileges, policy=None):
        return (yield from self._admin().admin_grant_privileges(role, privileges, policy))

    @command
    def admin_revoke_privileges(self, role, privileges, policy=None):
        return (yield from self._admin().admin_revoke_privileges(role, privileges, policy))

    @command
    def admin_set_whitelist(self, role, whitelist, policy=None):
        return (yield from self._admin().admin_set_whitelist(role, whitelist, policy))

    @command
    def admin_set_quotas(self, role, read_quota=-1, write_quota=-1, policy=None):
        return (yield from self._admin().admin_set_quotas(role, read_quota, write_quota, policy))

    @command
    def admin_query_role(self, role, policy=None) -> list:
        return (yield from self._admin().admin_query_role(role, policy))

    @command
    def admin_query_roles(self, policy=None) -> dict:
        return (yield from self._admin().admin_query_roles(policy))

    @command
    def admin_get_role(self, role, policy=None) -> dict:
        return (yield from self._admin().admin_get_role(role, policy))

    @command
    def admin_get_roles(self, policy=None) -> dict:
        return (yield from self._admin().admin_get_roles(policy))


def _check_batch_record(record, base, read_class) -> None:
    """A batch_write row must be a BatchRecord whose ops (if it has any) are a list of dicts,
    refused with the official client's words."""
    if not isinstance(record, base):
        raise param_error("batch_record must be a BatchRecord class instance")
    if not isinstance(getattr(record, "key", None), tuple):  # checked before the ops, as by the official client
        raise param_error("py_key is NULL or not a tuple, key must be a aerospike key tuple")
    if not hasattr(record, "ops"):
        if type(record).__name__ in ("Read", "Write"):
            raise param_error("py_ops_list is NULL or not a list, ops must be a list of aerospike operation dicts")
        return
    ops = record.ops
    if ops is None and isinstance(record, read_class):
        return
    if not isinstance(ops, list):
        raise param_error("py_ops_list is NULL or not a list, ops must be a list of aerospike operation dicts")
    for op in ops:
        if not isinstance(op, dict):
            raise param_error("py_op is NULL or not a dict, ops must be a dict" + " " * 37
                              + "produced by an aerospike operation helper")


def _raise_info_error(text: str, node) -> None:
    """Info replies whose value is `ERROR:<code>:<message>` raise that code's exception."""
    for line in text.split("\n"):
        _, tab, value = line.partition("\t")
        value = value if tab else line
        if value.startswith("ERROR:") or value.startswith("FAIL:"):
            parts = value.split(":", 2)
            try:
                code = int(parts[1]) if len(parts) > 1 and parts[1] else 1
            except ValueError:
                code = 1
            message = parts[2] if len(parts) > 2 else ""
            raise exception.exception_for(code, "%s from %s:%d" % (message, *node.host))


def client(config: dict) -> Client:
    """A Client connected to the cluster described by `config` (connects on creation)."""
    return Client(config).connect()
