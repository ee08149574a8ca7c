"""Regenerate tests/data/string_builders.json: what the official string builders return and send.

Run it with the official client's interpreter:

    .venvs/official/bin/python tools/gen_string_builders.py

For every builder of ``aerospike_helpers.operations.string_operations`` and every class of
``aerospike_helpers.expressions.string`` it makes calls with seeded pseudo-random arguments (every
parameter given, and the optional ones left out) and records the normalized result: the operation
dict, or the compiled expression. tests/behaviour/test_string_builders.py replays the calls in the
client under test and compares. For every operation case the file also keeps ``wire``: the hex of
the AS_MSG request the official client sent for ``operate(("test", "wire", "k"), [op])`` (through a
recording proxy in front of a spikelite child), which the client under test must send byte for
byte; every expression case keeps the ``get_expression_base64`` of the compiled expression.
``--check`` exits 1 if the file differs from what the installed official client gives.
"""

from __future__ import annotations

import argparse
import enum
import importlib.metadata
import inspect
import json
import random
import sys
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "string_builders.json"
CALLS_PER_BUILDER = 6
_STRINGS = ["", "a", "héllo", "x,y", "  pad ", "Ünïcödé", "^a.*$", "\U0001f600"]


def normalize(value):
    """A JSON form of a builder result: enums and StringPolicy objects spelled out, tuples as lists."""
    from aerospike_helpers.string_helpers import StringPolicy

    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": int(value)}
    if isinstance(value, StringPolicy):
        return {"StringPolicy": normalize(value.write_flags)}
    if isinstance(value, dict):
        return {"dict": [[normalize(k), normalize(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if hasattr(value, "__dict__"):  # a cdt_ctx entry
        return {"object": type(value).__name__, "attrs": normalize(dict(sorted(vars(value).items())))}
    return value


def _argument(name: str, rng: random.Random):
    from aerospike_helpers.string_helpers import NumericType

    if name in ("bin_name",):
        return rng.choice(["s", "bin1", "ünï"])
    if name == "bin":
        return rng.choice(["s", "other"]) if rng.random() < 0.7 else ("expr", rng.choice(["s", "t"]))
    if name == "ctx":
        return rng.choice([None, [], ("ctx", rng.randrange(-3, 3))])
    if name == "policy":
        return rng.choice([None, ("policy", rng.choice([0, 1, 2, 4, 6]))])
    if name == "numeric_type":
        return ("numeric", rng.choice(list(NumericType)).value)
    if name == "regex_flags":
        return ("regex", rng.choice([0, 1, 2, 4, 8, 16, 17, 31]))
    if name in ("value_list", "values"):
        return [rng.choice(_STRINGS) for _ in range(rng.randrange(0, 4))]
    if name in ("start", "end", "index", "occurrence", "count", "target_length"):
        if name == "end" and rng.random() < 0.3:
            return None
        return rng.randrange(-20, 40)
    return rng.choice(_STRINGS)


def realize(arg):
    """A recorded argument as the object to pass (the recording keeps it JSON-friendly)."""
    from aerospike_helpers import cdt_ctx
    from aerospike_helpers.expressions.base import StrBin
    from aerospike_helpers.string_helpers import NumericType, RegexFlags, StringPolicy, WriteFlags

    if isinstance(arg, list) and len(arg) == 2 and arg[0] in ("expr", "ctx", "policy", "numeric", "regex"):
        kind, value = arg
        if kind == "expr":
            return StrBin(value)
        if kind == "ctx":
            return [cdt_ctx.cdt_ctx_list_index(value)]
        if kind == "policy":
            return StringPolicy(WriteFlags(value) if value in (0, 1, 2, 4) else value)
        if kind == "numeric":
            return NumericType(value)
        return RegexFlags(value) if value in set(int(f) for f in RegexFlags) else value
    return arg


def builders():
    from aerospike_helpers.expressions import string as expressions
    from aerospike_helpers.operations import string_operations as operations

    found = []
    for name, fn in inspect.getmembers(operations, inspect.isfunction):
        if fn.__module__ == operations.__name__ and not name.startswith("_"):
            found.append(("operations", name, fn))
    for name, cls in inspect.getmembers(expressions, inspect.isclass):
        if cls.__module__ == expressions.__name__ and not name.startswith("_"):
            found.append(("expressions", name, cls))
    return found


def _params(target):
    signature = inspect.signature(target.__init__ if inspect.isclass(target) else target)
    params = list(signature.parameters.values())
    return params[1:] if inspect.isclass(target) else params


def call(kind: str, target, args: list):
    result = target(*[realize(a) for a in args])
    return normalize(result.compile() if kind == "expressions" else result)


WIRE_KEY = ("test", "wire", "k")


def wire_requests(client, proxy, target, args_list: list) -> list:
    """The hex AS_MSG request `client` (connected through `proxy`) sends for each operation."""
    sent = []
    for args in args_list:
        before = len(proxy.requests)
        try:
            client.operate(WIRE_KEY, [target(*[realize(a) for a in args])])
        except Exception:  # noqa: BLE001 - the answer does not matter, the request does
            pass
        sent.append(proxy.requests[-1].hex() if len(proxy.requests) > before else None)
    return sent


def expression_wire(client, target, args: list):
    """``get_expression_base64`` of the compiled expression, or None when the client refuses it."""
    try:
        return client.get_expression_base64(target(*[realize(a) for a in args]).compile())
    except Exception:  # noqa: BLE001 - a refusal is recorded as None
        return None


def generate() -> dict:
    rng = random.Random(20261204)
    cases = []
    for kind, name, target in builders():
        params = _params(target)
        required = [p for p in params if p.default is p.empty]
        for i in range(CALLS_PER_BUILDER):
            chosen = params if i % 2 == 0 else required
            args = [_argument(p.name, rng) for p in chosen]
            args = [list(a) if isinstance(a, tuple) else a for a in args]
            cases.append({"kind": kind, "name": name, "args": args, "result": call(kind, target, args)})
    _record_wire(cases)
    return {"version": importlib.metadata.version("aerospike"), "cases": cases}


def _record_wire(cases: list) -> None:
    import aerospike
    import spikelite

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "behaviour"))
    from _recording_proxy import RecordingProxy

    targets = {(kind, name): target for kind, name, target in builders()}
    ops = [case for case in cases if case["kind"] == "operations"]
    with spikelite.spawn() as child, RecordingProxy(*child.hosts[0]) as proxy:
        client = aerospike.client({"hosts": [proxy.address]})
        try:
            for case in ops:
                case["wire"] = wire_requests(client, proxy, targets[("operations", case["name"])], [case["args"]])[0]
            for case in cases:
                if case["kind"] == "expressions":
                    case["wire"] = expression_wire(client, targets[("expressions", case["name"])], case["args"])
        finally:
            client.close()


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file on disk, do not write")
    args = parser.parse_args(argv)
    import aerospike

    if not getattr(aerospike, "__file__", "").endswith((".so", ".pyd")):
        sys.exit("gen_string_builders: run this with the official client (.venvs/official/bin/python)")
    text = render(generate())
    if args.check:
        current = DATA_PATH.read_text(encoding="utf-8") if DATA_PATH.is_file() else ""
        if current != text:
            print(f"{DATA_PATH} is out of date: regenerate it with tools/gen_string_builders.py", file=sys.stderr)
            return 1
        return 0
    DATA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DATA_PATH} ({len(json.loads(text)['cases'])} calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
