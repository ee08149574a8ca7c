"""One differential worker: runs call sequences with whichever `aerospike` its venv has.

Started by the driver as `<venv python> worker.py`; talks length-prefixed pickles over its
original stdout/stdin (fd 1 is pointed at stderr so nothing the client prints can corrupt
the channel). Each reply describes results as plain, comparable data (see `describe`).
"""

from __future__ import annotations

import importlib
import inspect
import math
import os
import pickle
import pkgutil
import re
import struct
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import markers  # noqa: E402
from markers import Build, Callback, Compiled, Config, Ref  # noqa: E402

import aerospike  # noqa: E402
import aerospike_helpers  # noqa: E402

MAX_DEPTH = 12
MAX_ITEMS = 200

# The worker's own server address and node names, which differ between the two servers:
# replaced by placeholders wherever they appear in an outcome (set by the "setup" command).
PLACEHOLDERS = {}


def _neutral(text):
    for real, placeholder in PLACEHOLDERS.items():
        if isinstance(real, str):
            text = text.replace(real, placeholder)
    return text

# -- describing values and outcomes --------------------------------------------------------------


def describe(value, depth=0):
    """A picklable, ==-comparable picture of a value (no live objects)."""
    if depth > MAX_DEPTH:
        return ("deep",)
    if isinstance(value, str):
        return _neutral(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in PLACEHOLDERS:
        return PLACEHOLDERS[value]
    if value is None or isinstance(value, (bool, int, bytes)):
        return value
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    if isinstance(value, bytearray):
        return ("bytearray", bytes(value))
    if isinstance(value, (list, tuple)):
        items = [describe(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
        return items if isinstance(value, list) else ("tuple", tuple(items))
    kind = type(value).__name__
    if isinstance(value, dict):
        pairs = []
        for k, v in list(value.items())[:MAX_ITEMS]:
            if k == "ttl" and isinstance(v, int) and not isinstance(v, bool):
                v = ("~ttl", v)  # written a few ms apart on two servers
            pairs.append((repr(describe(k, depth + 1)), describe(v, depth + 1)))
        pairs.sort(key=lambda p: p[0])
        return ("dict" if kind == "dict" else kind, tuple(pairs))
    if isinstance(value, BaseException):
        return describe_exception(value)
    if kind in ("GeoJSON",):
        return ("GeoJSON", str(value))
    if kind == "HyperLogLog":
        return ("HyperLogLog", bytes(value))
    if isinstance(value, markers.Opaque):
        return ("Opaque", value.tag)
    if hasattr(value, "compile") and type(value).__module__.startswith("aerospike_helpers"):
        try:
            return ("expr", kind, describe(value.compile(), depth + 1))
        except Exception as exc:  # noqa: BLE001 - describe whatever compile does
            return ("expr", kind, describe_exception(exc))
    return ("obj", kind)


EXCEPTION_ATTRS = ("code", "msg", "in_doubt", "subcode", "key", "bin", "name", "module", "func")


def describe_exception(exc):
    cls = type(exc)
    if isinstance(exc, aerospike.exception.AerospikeError):
        attrs = tuple((a, describe(getattr(exc, a, "<missing>"), 1)) for a in EXCEPTION_ATTRS
                      if hasattr(exc, a) or a in ("code", "msg"))
        return ("exc", cls.__name__, attrs)
    return ("exc", cls.__name__, (("text", _neutral(str(exc))),))


# -- resolving markers ---------------------------------------------------------------------------


class Run:
    """The live state of one sequence in this worker."""

    def __init__(self, client, base_config):
        self.client = client
        self.base_config = base_config
        self.results = {}
        self.calls = []  # what callbacks saw
        self.clients = []  # clients the sequence created, closed at the end

    def callback(self, kind):
        calls = self.calls

        def collect(*args):
            calls.append(describe(args))

        def stop(*args):
            calls.append(describe(args))
            return False

        def fail(*args):
            calls.append(describe(args))
            raise ValueError("callback failed")

        return {"collect": collect, "stop": stop, "fail": fail, "identity": lambda v, *rest: v,
                "none": lambda *a: None}[kind]

    def resolve(self, value):
        if isinstance(value, Ref):
            if value.index not in self.results:
                raise LookupError("step %d has no value" % value.index)
            return self.results[value.index]
        if isinstance(value, Build):
            fn = getattr(importlib.import_module(value.module), value.name)
            return fn(*[self.resolve(a) for a in value.args],
                      **{k: self.resolve(v) for k, v in value.kwargs.items()})
        if isinstance(value, Compiled):
            return self.resolve(value.expr).compile()
        if isinstance(value, Callback):
            return self.callback(value.kind)
        if isinstance(value, Config):
            config = dict(self.base_config)
            config.update({k: self.resolve(v) for k, v in value.extra.items()})
            return config
        if type(value) is list:
            return [self.resolve(v) for v in value]
        if type(value) is tuple:
            return tuple(self.resolve(v) for v in value)
        if type(value) is dict:
            return {k: self.resolve(v) for k, v in value.items()}
        return value

    def target(self, target):
        if target == markers.CLIENT:
            return self.client
        if isinstance(target, Ref):
            return self.resolve(target)
        return importlib.import_module(target)

    def step(self, index, target, name, args, kwargs):
        del self.calls[:]
        try:
            fn = getattr(self.target(target), name)
            result = fn(*self.resolve(list(args)), **self.resolve(dict(kwargs)))
        except LookupError as exc:
            if "has no value" in str(exc):
                return ("unresolved",)
            return ("raised", describe_exception(exc), list(self.calls))
        except BaseException as exc:  # noqa: BLE001 - every outcome is compared
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return ("raised", describe_exception(exc), list(self.calls))
        self.results[index] = result
        if isinstance(result, aerospike.Client):
            self.clients.append(result)
        return ("returned", describe(result), list(self.calls))

    def finish(self):
        for c in self.clients:
            try:
                c.close()
            except Exception:  # noqa: BLE001
                pass


# -- the catalog of public callables -------------------------------------------------------------

_DOC_SIG = re.compile(r"^\s*\w+\s*\((?P<params>[^)]*)\)")


def _params_from_doc(obj):
    doc = (getattr(obj, "__doc__", None) or "").strip().splitlines()
    match = _DOC_SIG.match(doc[0]) if doc else None
    if not match:
        return None
    params, optional = [], False
    for token in re.split(r"([\[\],])", match.group("params")):
        token = token.strip()
        if token == "[":
            optional = True
        elif token and token not in "],":
            name = token.split("=")[0].strip().lstrip("*")
            if name.isidentifier():
                params.append((name, not optional and "=" not in token, "any"))
    return params


def params_of(obj):
    """[(name, required, kind)] for a callable, from its signature or its docstring."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return _params_from_doc(obj)
    out = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        kind = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**", p.KEYWORD_ONLY: "kw"}.get(p.kind, "any")
        out.append((p.name, p.default is p.empty and kind == "any", kind))
    return out


def _public(obj):
    return [n for n in dir(obj) if not n.startswith("_")]


def catalog():
    entries = []
    for name in _public(aerospike):
        obj = getattr(aerospike, name)
        if callable(obj) and not (isinstance(obj, type) and issubclass(obj, BaseException)):
            entries.append(("aerospike", name, params_of(obj)))
    for holder, cls in (("Client", aerospike.Client), ("Query", aerospike.Query), ("Scan", aerospike.Scan)):
        for name in _public(cls):
            if callable(getattr(cls, name)):
                entries.append((holder, name, params_of(getattr(cls, name))))
    modules = ["aerospike.predicates"] + [m.name for m in pkgutil.walk_packages(
        aerospike_helpers.__path__, "aerospike_helpers.")]
    for modname in modules:
        if "._" in modname:
            continue
        try:
            module = importlib.import_module(modname)
        except Exception:  # noqa: BLE001
            continue
        for name in _public(module):
            obj = getattr(module, name)
            if callable(obj) and getattr(obj, "__module__", "") == modname:
                entries.append((modname, name, params_of(obj)))
    return entries


def dump(host, port, ns, set_name):
    """Every record of one set on one server: [(digest, bins)] sorted (meta is not compared)."""
    c = aerospike.client({"hosts": [(host, port)]})
    try:
        rows = c.query(ns, set_name).results()
    except Exception as exc:  # noqa: BLE001 - e.g. a record no client can decode: compare that
        return [("dump failed", describe_exception(exc))]
    finally:
        c.close()
    return sorted((bytes(k[3]), repr(describe(bins))) for k, _, bins in rows)


# -- the channel ---------------------------------------------------------------------------------


def main():
    inp = os.fdopen(os.dup(0), "rb", buffering=0)
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(obj):
        data = pickle.dumps(obj, protocol=4)
        out.write(struct.pack(">I", len(data)) + data)

    def recv():
        head = inp.read(4)
        if len(head) < 4:
            return None
        (n,) = struct.unpack(">I", head)
        buf = b""
        while len(buf) < n:
            chunk = inp.read(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return pickle.loads(buf)

    client = None
    base_config = None
    while True:
        msg = recv()
        if msg is None:
            return
        cmd = msg[0]
        try:
            if cmd == "catalog":
                send(("catalog", catalog()))
            elif cmd == "setup":
                base_config = {"hosts": [(msg[1], msg[2])]}
                probe = aerospike.client(dict(base_config))
                PLACEHOLDERS.update({"%s:%d" % (msg[1], msg[2]): "HOST:PORT", msg[2]: "PORT"})
                for i, node in enumerate(probe.get_node_names()):
                    PLACEHOLDERS[node["node_name"]] = "NODE%d" % i
                probe.close()
                send(("ok",))
            elif cmd == "run":
                if client is None or not client.is_connected():
                    client = aerospike.client(dict(base_config))
                run = Run(client, base_config)
                for index, (target, name, args, kwargs, _label) in enumerate(msg[1]):
                    send(("step", index, run.step(index, target, name, args, kwargs)))
                run.finish()
                send(("done",))
            elif cmd == "dump":
                send(("records", dump(*msg[1:])))
        except Exception:  # noqa: BLE001 - the driver reports it
            send(("error", traceback.format_exc()))


if __name__ == "__main__":
    main()
