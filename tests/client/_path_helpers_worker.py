"""Run path-expression helper calls in this interpreter's client (official or purespike) and print
what they produce, for test_path_helpers_generated.py.

    python _path_helpers_worker.py HOST PORT < cases.json > outcomes.jsonl  (one JSON line per case)

Each case is ``{"kind": "expr" | "ctx" | "op", "src": python expression}``; ``src`` is evaluated
with ``aerospike``, ``E`` (expressions), ``C`` (cdt_ctx), ``O`` (operations), ``XO``
(expression_operations), ``LO`` (list_operations), ``RT`` (ResultType) and ``Ctx`` (a hand-made
context) in scope. The outcome of a case: ``expr`` -> ``get_expression_base64(value)``,
``ctx`` -> ``get_cdtctx_base64(value)``, ``op`` -> ``operate(key, [value])``'s bins and the op
bytes the client sent (through a recording proxy); or the exception's class name and first two
arguments."""

from __future__ import annotations

import json
import os
import struct
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "behaviour"))

import aerospike  # noqa: E402
from aerospike_helpers import cdt_ctx as C  # noqa: E402,F401
from aerospike_helpers import expressions as E  # noqa: E402,F401
from aerospike_helpers.expressions.resources import ResultType as RT  # noqa: E402,F401
from aerospike_helpers.operations import expression_operations as XO  # noqa: E402,F401
from aerospike_helpers.operations import list_operations as LO  # noqa: E402,F401
from aerospike_helpers.operations import operations as O  # noqa: E402,F401

from _recording_proxy import RecordingProxy  # noqa: E402

KEY = ("test", "pathhelpers", "k")
RECORD = {"m": {"a": 1, "b": [1, 2], "c": {"d": 3}}, "l": [1, [2, 3], {"x": 4}]}


def sent_ops(body: bytes) -> list:
    """[info1, info2, info3, (op type, particle type, bin, payload hex)...] of an AS_MSG body."""
    header_size = body[0]
    n_fields, n_ops = struct.unpack_from(">HH", body, 18)
    pos = header_size
    for _ in range(n_fields):
        (size,) = struct.unpack_from(">I", body, pos)
        pos += 4 + size
    ops: list = [body[1], body[2], body[3]]
    for _ in range(n_ops):
        size, op_type, particle_type, _version, name_len = struct.unpack_from(">IBBBB", body, pos)
        name = body[pos + 8:pos + 8 + name_len].decode()
        ops.append([op_type, particle_type, name, body[pos + 8 + name_len:pos + 4 + size].hex()])
        pos += 4 + size
    return ops


class Ctx:
    """A hand-made context object (id, value, extra_args), for malformed contexts."""

    def __init__(self, id, value=None, extra_args=None):  # noqa: A002 - the official attribute name
        self.id, self.value, self.extra_args = id, value, extra_args


def outcome(client, proxy, case: dict):
    """The case's result with the warnings it raised (category and message)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _outcome(client, proxy, case)
    if caught:
        result["warnings"] = [[w.category.__name__, str(w.message)] for w in caught]
    return result


def _outcome(client, proxy, case: dict):
    try:
        value = eval(case["src"])  # noqa: S307 - sources come from the test's own generator
        if case["kind"] == "expr":
            return {"b64": client.get_expression_base64(value)}
        if case["kind"] == "ctx":
            return {"b64": client.get_cdtctx_base64(value)}
        client.put(KEY, RECORD)
        proxy_name = "%s:%d " % tuple(proxy.address)
        start = len(proxy.requests)
        try:
            result = {"bins": repr(client.operate(KEY, [value])[2])}
        except aerospike.exception.AerospikeError as exc:
            message = str(exc.args[1])
            if message.startswith(proxy_name):  # the server's answer names the node
                message = message[len(proxy_name):]
            result = {"error": [type(exc).__name__, exc.args[0], message]}
        result["sent"] = [sent_ops(body) for body in proxy.requests[start:]]
        return result
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome compared
        args = exc.args[:2] if isinstance(exc, aerospike.exception.AerospikeError) else exc.args[:1]
        return {"exc": [type(exc).__name__, [str(a) for a in args]]}


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    cases = json.load(sys.stdin)
    with RecordingProxy(host, port) as proxy:
        client = aerospike.client({"hosts": [proxy.address]})
        for case in cases:  # a line per case as it is done: a crash shows which case it was
            sys.stdout.write(json.dumps(outcome(client, proxy, case)) + "\n")
            sys.stdout.flush()
        client.close()


if __name__ == "__main__":
    main()
