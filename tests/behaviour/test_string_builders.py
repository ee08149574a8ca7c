"""The string operation and string expression builders (server 8.2+) against the official ones.

``tests/data/string_builders.json`` holds calls with generated arguments of every builder of
``aerospike_helpers.operations.string_operations`` and every class of
``aerospike_helpers.expressions.string``, and what the official helpers returned (the operation dict
or the compiled expression), written by ``tools/gen_string_builders.py`` with the official client
(``./dev test`` checks it is current). Here the client under test replays every call.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import real_node
from aerospike_helpers import string_helpers
from aerospike_helpers.string_helpers import NumericType, RegexFlags, StringPolicy, WriteFlags

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((REPO_ROOT / "tests" / "data" / "string_builders.json").read_text(encoding="utf-8"))

_spec = importlib.util.spec_from_file_location("gen_string_builders", REPO_ROOT / "tools" / "gen_string_builders.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

TARGETS = {(kind, name): target for kind, name, target in gen.builders()}


def test_every_official_builder_is_here_and_recorded():
    recorded = {(case["kind"], case["name"]) for case in DATA["cases"]}
    assert recorded == set(TARGETS)
    assert len(recorded) == 39 + 39  # operation builders, expression classes


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: "%s.%s" % (c["kind"], c["name"]))
def test_builder_result_matches_the_official_one(case):
    target = TARGETS[(case["kind"], case["name"])]
    assert gen.call(case["kind"], target, case["args"]) == case["result"]


def test_the_shared_flags_and_policy():
    assert [(f.name, int(f)) for f in RegexFlags] == [("DEFAULT", 0), ("CASE_INSENSITIVE", 1), ("MULTILINE", 2),
                                                     ("DOTALL", 4), ("UNIX_LINES", 8), ("GLOBAL", 16)]
    assert [(f.name, int(f)) for f in WriteFlags] == [("DEFAULT", 0), ("CREATE_ONLY", 1), ("UPDATE_ONLY", 2),
                                                     ("NO_FAIL", 4)]
    assert [(f.name, int(f)) for f in NumericType] == [("ANY", 0), ("INT", 1), ("FLOAT", 2)]
    assert StringPolicy().write_flags is WriteFlags.DEFAULT
    assert StringPolicy(WriteFlags.NO_FAIL | WriteFlags.UPDATE_ONLY).write_flags == 6
    assert string_helpers.StringPolicy is StringPolicy


OPERATION_CASES = [case for case in DATA["cases"] if case["kind"] == "operations"]


@pytest.fixture(scope="module")
def recorded_client(spikelite_server):
    """A client whose requests a recording proxy keeps (in front of the server under test)."""
    import aerospike
    from _recording_proxy import RecordingProxy

    with RecordingProxy(spikelite_server.host, spikelite_server.port) as proxy:
        client = aerospike.client({"hosts": [proxy.address]})
        try:
            yield client, proxy
        finally:
            client.close()


def test_string_operations_are_sent_byte_for_byte_as_the_official_client_sends_them(recorded_client):
    """Every recorded operation case: the same AS_MSG request as the official client's, or (where
    the official client refused the arguments) a ParamError and nothing sent."""
    from aerospike import exception

    client, proxy = recorded_client
    mismatches = []
    for case in OPERATION_CASES:
        target = TARGETS[("operations", case["name"])]
        before = len(proxy.requests)
        operation = target(*[gen.realize(a) for a in case["args"]])
        if case["wire"] is None:
            with pytest.raises(exception.ParamError):
                client.operate(gen.WIRE_KEY, [operation])
            assert len(proxy.requests) == before
            continue
        try:
            client.operate(gen.WIRE_KEY, [operation])
        except exception.AerospikeError:
            pass  # the server's answer (8.1.2 nodes refuse string operations) does not matter here
        sent = proxy.requests[-1].hex() if len(proxy.requests) > before else None
        if sent != case["wire"]:
            mismatches.append((case["name"], case["args"], sent, case["wire"]))
    assert mismatches == []
    assert sum(1 for c in OPERATION_CASES if c["wire"]) > 200


@pytest.mark.parametrize("name", ["strlen", "upper", "to_string", "find", "regex_replace"])
def test_an_8_1_node_refuses_string_operations_and_spikelite_runs_them(client, ns, set_name, name):
    """A real 8.1.2 node does not know string operations (server 8.2): it answers 4; a read-only
    request on a missing record answers 2 first. spikelite executes them (docs/differences.md)."""
    from aerospike import exception
    from aerospike_helpers.operations import string_operations as so

    build = {"strlen": lambda: so.strlen("s"), "upper": lambda: so.upper("s"), "to_string": lambda: so.to_string("s"),
             "find": lambda: so.find("s", "x", 2), "regex_replace": lambda: so.regex_replace("s", "a", "b")}[name]
    executed = {"strlen": ({"s": 4}, "text"), "upper": ({"s": None}, "TEXT"), "to_string": ({"s": "text"}, "text"),
                "find": ({"s": 2}, "text"), "regex_replace": ({"s": None}, "text")}[name]
    key = (ns, set_name, "k")
    client.put(key, {"s": "text" if name != "find" else "xaxb"})
    if real_node():
        with pytest.raises(exception.InvalidRequest):
            client.operate(key, [build()])
    else:
        bins = client.operate(key, [build()])[2]
        assert bins.get("s") == executed[0]["s"]
    stored = client.get(key)[2]["s"]
    if name == "find":
        assert stored == "xaxb"
    else:
        assert stored == ("text" if real_node() else executed[1])
    if name in ("strlen", "to_string", "find"):
        with pytest.raises(exception.RecordNotFound):
            client.operate((ns, set_name, "missing"), [build()])


def test_string_expressions_are_packed_byte_for_byte_as_the_official_client_packs_them(client):
    """Every recorded expression case: the same ``get_expression_base64`` as the official client's
    (None: both refuse it)."""
    mismatches = []
    for case in DATA["cases"]:
        if case["kind"] != "expressions":
            continue
        got = gen.expression_wire(client, TARGETS[("expressions", case["name"])], case["args"])
        if got != case["wire"]:
            mismatches.append((case["name"], case["args"], got, case["wire"]))
    assert mismatches == []
    assert sum(1 for c in DATA["cases"] if c["kind"] == "expressions" and c["wire"]) > 200


def test_an_8_1_node_refuses_string_expressions_and_spikelite_runs_them(client, ns, set_name):
    from aerospike import exception
    from aerospike_helpers.expressions import base as exp
    from aerospike_helpers.expressions import string as string_exp
    from aerospike_helpers.operations import expression_operations

    key = (ns, set_name, "k")
    client.put(key, {"s": "text"})
    policy = {"expressions": exp.Eq(string_exp.StrLen("s"), 4).compile()}
    read = [expression_operations.expression_read("n", string_exp.StrLen("s").compile())]
    if real_node():
        with pytest.raises(exception.InvalidRequest):
            client.get(key, policy=policy)
        with pytest.raises(exception.InvalidRequest):
            client.operate(key, read)
    else:
        assert client.get(key, policy=policy)[2] == {"s": "text"}
        assert client.operate(key, read)[2] == {"n": 4}
