"""The info text protocol (info_and_cluster.md §1)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spikewire import PROTO_HEADER_SIZE, PROTO_VERSION, ProtoType, ResultCode, unpack_proto_header
from spikewire.info import (build_reply, build_request, command_name, command_params,
                                 error_value, parse_reply, parse_request)

LINE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\t")
LINES = st.text(LINE_CHARS, min_size=1, max_size=40)
VALUES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=60)


def _body(framed: bytes) -> bytes:
    version, proto_type, size = unpack_proto_header(framed)
    assert (version, proto_type) == (PROTO_VERSION, ProtoType.INFO)
    assert size == len(framed) - PROTO_HEADER_SIZE
    return framed[PROTO_HEADER_SIZE:]


def test_parse_request():
    assert parse_request(b"node\n") == ["node"]
    assert parse_request(b"node\nbuild\npartition-generation\n") == ["node", "build", "partition-generation"]
    assert parse_request(b"node\n\n\nbuild") == ["node", "build"]      # empty lines dropped
    assert parse_request(b"") == []
    assert parse_request(b"\n") == []
    assert parse_request(b"sets/test/demo\n") == ["sets/test/demo"]
    assert parse_request("namespace/tést\n".encode()) == ["namespace/tést"]
    # Undecodable bytes do not raise.
    assert parse_request(b"no\xffde\n") == ["no\ufffdde"]


@settings(max_examples=100, deadline=None)
@given(commands=st.lists(st.text(st.characters(blacklist_categories=("Cs",),
                                               blacklist_characters="\n"), min_size=1, max_size=30),
                         max_size=8))
def test_build_request_parse_request_round_trip(commands):
    framed = build_request(commands)
    body = _body(framed)
    assert body == "".join(c + "\n" for c in commands).encode()
    assert parse_request(body) == commands


def test_command_name():
    assert command_name("node") == "node"
    assert command_name("namespace/test") == "namespace"
    assert command_name("sets/test/demo") == "sets"
    assert command_name("sindex-create:ns=test;indexname=i") == "sindex-create"
    assert command_name("replicas:max=2") == "replicas"
    assert command_name("a;b") == "a"
    assert command_name("a/b:c") == "a"
    assert command_name("a:b/c") == "a"
    assert command_name("") == ""
    assert command_name(":x") == ""


def test_command_params():
    assert command_params("node") == {}
    assert command_params("namespace/test") == {}
    assert command_params("replicas:max=2") == {"max": "2"}
    assert command_params("truncate:namespace=test;set=demo;lut=123") == {
        "namespace": "test", "set": "demo", "lut": "123"}
    assert command_params("sindex-create:NS=Test;IndexName=MyIdx") == {"ns": "Test", "indexname": "MyIdx"}
    assert command_params("x:flag;k=v") == {"flag": "", "k": "v"}
    assert command_params("x:k=a=b==") == {"k": "a=b=="}              # base64 values keep '='
    assert command_params("x:;;k=v;;") == {"k": "v"}
    assert command_params("x: k =v ") == {"k": "v "}
    assert command_params("x:") == {}
    assert command_params("x:k=1;k=2") == {"k": "2"}


@settings(max_examples=100, deadline=None)
@given(name=st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=12),
       params=st.dictionaries(st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A),
                                      min_size=1, max_size=10),
                              st.text(st.characters(blacklist_categories=("Cs",),
                                                    blacklist_characters=";\n"), max_size=20),
                              max_size=5))
def test_command_params_round_trip(name, params):
    line = name + ":" + ";".join("%s=%s" % kv for kv in params.items())
    assert command_name(line) == name
    assert command_params(line) == params


def test_build_reply_layout():
    framed = build_reply([("node", "BB9"), ("build", "8.1.2.0")])
    assert _body(framed) == b"node\tBB9\nbuild\t8.1.2.0\n"
    assert framed[:2] == b"\x02\x01"
    assert _body(build_reply([])) == b""


def test_parse_reply():
    assert parse_reply(b"node\tBB9\nbuild\t8.1.2.0\n") == {"node": "BB9", "build": "8.1.2.0"}
    assert parse_reply(b"") == {}
    assert parse_reply(b"namespaces\ttest;bar\n\n") == {"namespaces": "test;bar"}
    assert parse_reply(b"features\n") == {"features": ""}
    assert parse_reply(b"x\ta\tb\n") == {"x": "a\tb"}                 # value keeps later tabs
    assert parse_reply(b"node\tBB9") == {"node": "BB9"}               # no final newline


@settings(max_examples=150, deadline=None)
@given(pairs=st.dictionaries(LINES, VALUES, max_size=8))
def test_build_reply_parse_reply_round_trip(pairs):
    framed = build_reply(list(pairs.items()))
    assert parse_reply(_body(framed)) == pairs


def test_error_value():
    assert error_value(ResultCode.PARAMETER, "unrecognized command") == "ERROR:4:unrecognized command"
    assert error_value(ResultCode.ENTERPRISE_ONLY, "enterprise only") == "ERROR:25:enterprise only"
    assert error_value(ResultCode.NOT_AUTHENTICATED, "not authenticated") == "ERROR:80:not authenticated"
    assert error_value(201, "no index") == "ERROR:201:no index"
    assert error_value(7, "") == "ERROR:7:"
    assert error_value(ResultCode.CLUSTER_KEY_MISMATCH, "unstable cluster") == "ERROR:7:unstable cluster"


@settings(max_examples=100, deadline=None)
@given(code=st.sampled_from([c for c in ResultCode if c != ResultCode.SERVER_ERROR]),
       message=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\t"),
                       max_size=40))
def test_error_value_format(code, message):
    value = error_value(code, message)
    prefix, number, text = value.split(":", 2)
    assert prefix == "ERROR"
    assert int(number) == code
    assert text == message
    # It travels as an info value and comes back unchanged.
    assert parse_reply(_body(build_reply([("cmd", value)]))) == {"cmd": value}
