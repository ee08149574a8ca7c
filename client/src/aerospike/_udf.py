"""UDF calls of aerospike.Client: module registration (info commands) and record UDFs.

Behaviour follows the official client 19.x (C client 7.x underneath):

- udf_put reads the file, sends ``udf-put`` with the base64 content to one node and keeps a copy in
  the client's ``lua.user_path`` (used by stream UDFs); an ``error=...`` reply raises UDFError with
  the reply text (its ``message=`` part base64-decoded, as the C client's as_info_validate does).
- apply sends fields 30/31/32 on a write message; result 100 raises UDFError whose message is
  "<node address> <FAILURE bin text>", with ``module`` and ``func`` set.
- batch_apply and batch_write's Apply records send the same fields per row.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import os

from spikewire import FieldType, Info2, Message, ResultCode

from . import _extras
from . import _single_record as sr
from . import exception
from ._io import command
from ._errors import client_error, error_name as _error_name, param_error
from ._keys import parse_key
from ._policies import merge

#: The longest local-copy path of udf_put (the C client's AS_CONFIG_PATH_MAX_SIZE * 2 - 1).
_COPY_PATH_MAX = 511

UDF_TYPE_LUA = 0


def _where():
    import sys
    frame = sys._getframe(2)
    return frame.f_code.co_filename, frame.f_lineno


def _udf_error(msg: str, module=None, func=None):
    return exception.exception_for(ResultCode.UDF_EXECUTION, msg, False, *_where(),
                                   module=module, func=func)


def apply_request(key, module: str, function: str, args: list, policy: dict, encoder) -> Message:
    """The write message of a record UDF call (no ops; fields 30, 31, 32)."""
    msg = Message(fields=sr.key_fields(key, policy))
    sr._write_flags(msg, {}, policy, with_exists=False)
    sr._timeout(msg, policy)
    msg.record_ttl = sr._ttl({}, policy)
    msg.fields += [(FieldType.UDF_FILENAME, module.encode()),
                   (FieldType.UDF_FUNCTION, function.encode()),
                   (FieldType.UDF_ARGLIST, encoder.pack(list(args)))]
    return msg


def success_value(reply: Message, decoder):
    """The value of a UDF reply's SUCCESS bin (None when absent or NULL)."""
    for op in reply.ops:
        if op.name == "SUCCESS":
            return decoder.particle(op.particle_type, op.value)
    return None


def failure_text(reply: Message) -> str | None:
    for op in reply.ops:
        if op.name == "FAILURE":
            return op.value.decode("utf-8", "replace")
    return None


def _check_names(module, function) -> None:
    if not isinstance(module, str):
        raise client_error("udf module argument must be a string or unicode string")
    if not isinstance(function, str):
        raise client_error("function name must be a string or unicode string")


def _decode_message_part(value: str) -> str:
    """The C client's in-place decoding of `message=<base64>` in an `error=` reply."""
    head, sep, encoded = value.partition("message=")
    if not sep:
        return value
    encoded = encoded[:-1] if encoded.endswith("\n") else encoded
    try:
        return head + sep + base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return value


class UdfMethods:
    """Mixed into aerospike.Client."""

    # -- registration (info) ----------------------------------------------------------------------

    def _udf_info(self, command: str, policy, module=None) -> str:
        """Send an info command to one node; the reply value. `error=` replies raise UDFError."""
        cluster = self._require()
        timeout = self._info_timeout(policy)
        node = cluster.random_node()
        if node is None:
            raise exception.exception_for(11, "No nodes available")
        text = yield from self._info_node(node, command, timeout)
        _, tab, value = text.partition("\t")
        value = value if tab else text
        if value.startswith("error="):
            raise _udf_error("%s from %s:%d" % (_decode_message_part(value), *node.host), module=module)
        return value[:-1] if value.endswith("\n") else value

    @command
    def udf_put(self, filename, udf_type=UDF_TYPE_LUA, policy=None):
        if not isinstance(filename, str):
            raise param_error("Filename should be a string")
        if isinstance(udf_type, bool) or udf_type != UDF_TYPE_LUA:
            raise client_error("Invalid UDF language")
        self._info_timeout(policy)  # the policy converts before the file is looked at
        filename = filename.partition("\x00")[0]  # a C string to the official client
        basename = os.path.basename(filename)
        if not basename:
            raise param_error("Empty udf filename")
        # The C client builds the local copy's path user_path + "/" + basename in a buffer of 512.
        user_path = self._lua_user_path().encode()
        if len(user_path) + (not user_path.endswith(b"/")) + len(basename.encode()) > _COPY_PATH_MAX:
            raise param_error("Lua file pathname too long")
        try:
            with open(filename, "rb") as f:
                source = f.read()
        except OSError:
            raise exception.exception_for(1302, "cannot open script file", False, *_where()) from None
        if not source:
            raise exception.exception_for(1302, "Script file is empty", False, *_where())
        self._require()
        content = base64.b64encode(source).decode()
        command = "udf-put:filename=%s;content=%s;content-len=%d;udf-type=LUA;" % (
            basename, content, len(content))
        (yield from self._udf_info(command, policy))  # the official error names no module here
        self._keep_local_copy(basename, source)
        return 0

    def _lua_user_path(self) -> str:
        lua = self._config.get("lua") or {}
        user_path = lua.get("user_path", ".") if isinstance(lua, dict) else "."
        return user_path if isinstance(user_path, str) else "."

    def _keep_local_copy(self, basename: str, source: bytes) -> None:
        """Copy the module into lua.user_path, where stream UDFs look for it (as the C client)."""
        user_path = self._lua_user_path()
        if not user_path or not os.path.isdir(user_path):
            return
        try:
            with open(os.path.join(user_path, basename), "wb") as f:
                f.write(source)
        except OSError:
            pass

    @command
    def udf_remove(self, module, policy=None):
        if not isinstance(module, str):
            raise param_error("Filename should be a string")
        if not isinstance(policy, dict):
            policy = None  # the official udf_remove() ignores a policy it cannot read
        yield from self._udf_info("udf-remove:filename=%s;" % module, policy, module=module)
        return 0

    @command
    def udf_list(self, policy=None):
        value = yield from self._udf_info("udf-list", policy)
        modules = []
        for entry in value.split(";"):
            if not entry:
                continue
            fields = dict(part.partition("=")[::2] for part in entry.split(","))
            if "filename" not in fields:
                continue
            modules.append({"name": fields["filename"],
                            "hash": bytearray(fields.get("hash", "").encode()),
                            "type": UDF_TYPE_LUA,
                            "content": bytearray()})
        return modules

    @command
    def udf_get(self, module, language=UDF_TYPE_LUA, policy=None):
        if not isinstance(module, str):
            raise client_error("Module name should be a string or unicode string.")
        if isinstance(language, bool) or language != UDF_TYPE_LUA:
            raise client_error("Invalid language")
        # As the official client sends it: an empty name as ".", the command cut to the C client's
        # 512-byte buffer (with its NUL).
        command = ("udf-get:filename=%s;" % (module or ".")).encode()[:511].decode("utf-8", "ignore")
        value = yield from self._udf_info(command, policy, module=module)
        params = dict(part.partition("=")[::2] for part in value.split(";") if part)
        try:
            return base64.b64decode(params.get("content", "")).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise client_error("Invalid UDF content") from None

    # -- record UDFs ------------------------------------------------------------------------------

    @command
    def apply(self, key, module, function, args, policy=None):
        k = parse_key(key)
        _check_names(module, function)
        if not isinstance(args, builtins.list):
            raise TypeError("expected UDF method arguments in a 'list'")
        policy = merge(self._policies["apply"], policy)
        msg = apply_request(k, module, function, args, policy, self._encoder)
        reply, where = yield from self._run(k, msg, policy, True)
        if reply.result_code == ResultCode.UDF_EXECUTION:
            text = failure_text(reply)
            address, in_doubt = where
            raise exception.exception_for(
                ResultCode.UDF_EXECUTION, "%s %s" % (address, text if text is not None else "AEROSPIKE_ERR_UDF"),
                in_doubt, *_where(), module=module, func=function)
        if reply.result_code:
            self._raise_for(reply, where, True)
        return success_value(reply, self._decoder)

    # -- background UDFs --------------------------------------------------------------------------

    @command
    def query_apply(self, ns, set, predicate, module, function, args=None, policy=None):  # noqa: A002
        """Run a record UDF on every record a query selects, in the background; the job id."""
        self._require()
        if not isinstance(predicate, tuple):
            raise param_error("Predicate must be a tuple")
        query = self.query(ns, set)
        query.where(predicate)
        query.apply(module, function, *(() if args is None else (args,)))  # None: none given
        return (yield from query._execute_background(policy))

    @command
    def scan_apply(self, ns, set, module, function, args=None, policy=None, options=None):  # noqa: A002
        """Run a record UDF on every record of a namespace/set, in the background; the job id."""
        self._require()
        scan = self.scan(ns, set)
        scan.apply(module, function, *(() if args is None else (args,)))  # None: none given
        return (yield from scan._execute_background(policy))

    @command
    def batch_apply(self, keys, module, function, args, policy_batch=None, policy_batch_apply=None):
        from ._batch import check_keys, records_of
        parsed = check_keys(keys)
        _check_names(module, function)
        if not isinstance(args, builtins.list):
            raise param_error("args must be a list of arguments for the UDF")
        policy = merge(self._policies["batch_parent_write"], policy_batch)
        row_policy = merge(self._policies["batch_apply"], policy_batch_apply)
        rows = [apply_row(i, k, module, function, args, row_policy, self._encoder)
                for i, k in enumerate(parsed)]
        return (yield from self._batch(records_of(parsed), rows, policy))


def check_stream_udf(module, function, arguments) -> tuple:
    """(module, function, args) of Query.apply / Scan.apply."""
    _check_names(module, function)
    if arguments is None:
        arguments = []
    if not isinstance(arguments, builtins.list):
        raise param_error("arguments should be a list")
    return module, function, list(arguments)


UDF_OP_AGGREGATE, UDF_OP_BACKGROUND = 1, 2


def background_udf_fields(udf: tuple, encoder, udf_op: int = UDF_OP_BACKGROUND) -> list:
    """The UDF fields of a background or aggregation query, in the official client's order."""
    module, function, args = udf
    return [(FieldType.UDF_OP, bytes((udf_op,))), (FieldType.UDF_FILENAME, module.encode()),
            (FieldType.UDF_FUNCTION, function.encode()), (FieldType.UDF_ARGLIST, encoder.pack(args))]


def apply_row(index: int, key, module: str, function: str, args, policy: dict, encoder):
    """A batch row running a record UDF (info2 WRITE, no ops, fields 30/31/32)."""
    from ._batch import Row
    if args is None:
        args = []
    if not isinstance(args, builtins.list):
        raise param_error("args must be a list of arguments for the UDF")
    _check_names(module, function)
    msg = apply_request(key, module, function, args, policy, encoder)
    msg.info2 |= Info2.WRITE
    return Row(index, key, msg, True)


def batch_apply_row(index: int, record, policies: dict, encoder):
    """The row of a batch_write Apply record."""
    key = parse_key(record.key)
    policy = merge(policies["batch_apply"], record.policy)
    return apply_row(index, key, record.module, record.function, record.args, policy, encoder)


# -- stream UDFs (aggregation) ----------------------------------------------------------------------

def _module_source(client, module: str) -> bytes:
    """The module's Lua source for the client's part of a stream UDF: from lua.user_path (where
    udf_put keeps a copy, as the C client reads it), else from the cluster (udf-get)."""
    lua = client._config.get("lua") or {}
    user_path = lua.get("user_path", ".") if isinstance(lua, dict) else "."
    path = os.path.join(user_path or ".", module + ".lua")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        pass
    return client.udf_get(module + ".lua").encode()


def _stream_value(reply: Message, decoder):
    """The value of one aggregation record: its SUCCESS bin; a FAILURE bin (a Lua error on the
    node) raises ClientError with the bin's text, as the C client does."""
    for op in reply.ops:
        if op.name == "SUCCESS":
            return decoder.particle(op.particle_type, op.value)
        if op.name == "FAILURE":
            value = decoder.particle(op.particle_type, op.value)
            if value is None:
                raise client_error("Received null FAILURE bin.")
            if not isinstance(value, str):
                raise client_error("Expected string for FAILURE bin. Received %d" % _as_val_type(value))
            raise client_error(value)
    raise client_error("Failed to find SUCCESS or FAILURE bin.")


def _as_val_type(value) -> int:
    """The C client's as_val type number of a decoded value (for its error message)."""
    if isinstance(value, bool):
        return 2
    if isinstance(value, int):
        return 3
    if isinstance(value, float):
        return 11
    if isinstance(value, (bytes, bytearray)):
        return 9
    if isinstance(value, list):
        return 5
    if isinstance(value, dict):
        return 6
    return 0


def run_aggregation(stream, policy, deliver) -> None:
    """Query/Scan results()/foreach() after apply(): the nodes run the stream up to its first
    reduce, this client runs the rest in Lua (lupa) over every node's values."""
    # the Lua side is the `lua` extra: lupa and spikelite's Lua UDF runtime
    purpose = "client-side aggregation (Query/Scan apply)"
    _extras.load("lupa", "lua", purpose)
    lua_env = _extras.load("spikelite.udf.lua_env", "lua", purpose)
    to_particle = _extras.load("spikelite.binops.cdt.values", "lua", purpose).to_particle
    DEFAULT_USER_PATH, LuaError, ModuleState = lua_env.DEFAULT_USER_PATH, lua_env.LuaError, lua_env.ModuleState
    error_text = lua_env.error_text
    from spikewire import PARTITION_COUNT, Info1, Info3, parse_message
    from ._executor import stream_command
    from ._stream_records import U32 as _U32, Stop as _Stop

    client = stream._client
    cluster = client._require()
    policy = merge(client._policies[stream._policy_kind], policy)
    if not cluster.has_namespace(stream._namespace):
        raise exception.exception_for(20, "Invalid namespace: %s" % stream._namespace)
    module, function, args = stream._udf
    decoder = client._decoder
    by_node: dict = {}
    for pid in range(PARTITION_COUNT):
        node, _ = cluster.node_for(stream._namespace, pid, False, policy.get("replica", 2), 0)
        if node is None:
            raise exception.exception_for(-8, "no node serves partition %d" % pid)
        by_node.setdefault(node, []).append(pid)
    source = _module_source(client, module)
    try:
        state = ModuleState(module, source, "@%s/%s.lua" % (DEFAULT_USER_PATH, module))
    except LuaError as exc:
        raise _udf_error(exc.message, module, function) from None
    if not state.has_function(function):  # the C client fails this before any node answers
        raise _udf_error("UDF: Execution Error 2 : function not found", module, function)
    values: list = []
    for node, pids in by_node.items():
        fields = [(FieldType.NAMESPACE, stream._namespace.encode())]
        if stream._set:
            fields.append((FieldType.SET, stream._set.encode()))
        fields.append((FieldType.SOCKET_TIMEOUT, _U32.pack(policy.get("socket_timeout", 0) or 0)))
        fields.append((FieldType.TRID, os.urandom(8)))
        if stream._predicate is not None:
            fields.extend(stream._predicate_fields())
        fields.extend(background_udf_fields(stream._udf, client._encoder, UDF_OP_AGGREGATE))
        fields.extend(sr.filter_fields(policy))
        fields.append((FieldType.PID_ARRAY, b"".join(bytes((p & 0xFF, p >> 8)) for p in pids)))
        msg = Message(info1=Info1.READ, transaction_ttl=policy.get("total_timeout", 0) or 0, fields=fields)
        failure: list = []

        def consume(body: bytes) -> bool:
            pos, end = 0, len(body)
            while pos < end:
                reply, pos = parse_message(body, pos, end)
                if reply.info3 & Info3.LAST:
                    if reply.result_code:
                        failure.append(reply)
                    return True
                if reply.result_code == ResultCode.KEY_NOT_FOUND:
                    return True  # the set does not exist on this node: no values from it
                if reply.result_code:
                    failure.append(reply)
                    return True
                values.append(_stream_value(reply, decoder))
            return False

        yield from stream_command(node, msg.to_proto(), policy, consume)
        if failure:
            reply = failure[0]
            # the C client reports the code's name, not the FAILURE text, for query records
            raise exception.exception_for(reply.result_code, "%s:%d %s" % (*node.host, _error_name(reply.result_code)),
                                          False, *_where(), module=module, func=function)
    pending = iter([state.to_lua(v) for v in values])
    ok, out = state.stream(function, [state.to_lua(a) for a in args], lambda: next(pending, None), True, None)
    if not ok:
        text = error_text(out)
        raise _udf_error(text if text is not None else "result value type unexpected", module, function)
    for value in out:
        particle = to_particle(state.from_lua(value))
        result = None if particle is None else decoder.particle(int(particle[0]), particle[1])
        if deliver(result) is False:
            raise _Stop()
