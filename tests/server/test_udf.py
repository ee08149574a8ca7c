"""UDF modules and record UDFs on the wire: info commands, apply replies, sandbox and timeouts."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

pytest.importorskip("lupa")

import spikelite  # noqa: E402
from spikelite import wire  # noqa: E402
from spikelite.binops.cdt.values import pack, unpack  # noqa: E402
from spikelite.config import load_config, parse_config  # noqa: E402

from .conftest import CONFIG, RawConnection, get_msg, key_fields, put_msg  # noqa: E402

UDF_DIR = Path(__file__).resolve().parent.parent / "udf"
RECORDS = (UDF_DIR / "records.lua").read_bytes()


def udf_put(conn, filename: str, source: bytes) -> str:
    content = base64.b64encode(source).decode()
    line = "udf-put:filename=%s;content=%s;content-len=%d;udf-type=LUA;" % (filename, content, len(content))
    return conn.info(line)[line]


def apply_msg(set_name, key, module, function, args=(), timeout_ms=0, ttl=0):
    fields = key_fields("test", set_name, key) + [
        (wire.FieldType.UDF_FILENAME, module.encode()),
        (wire.FieldType.UDF_FUNCTION, function.encode()),
        (wire.FieldType.UDF_ARGLIST, pack(list(args))),
    ]
    return wire.Message(info2=wire.Info2.WRITE, fields=fields, transaction_ttl=timeout_ms, record_ttl=ttl)


def op_value(op):
    if op.particle_type == wire.ParticleType.INTEGER:
        return wire.particles.decode_int(op.value)
    if op.particle_type == wire.ParticleType.STRING:
        return op.value.decode()
    if op.particle_type in (wire.ParticleType.LIST, wire.ParticleType.MAP):
        return unpack(op.value)
    if op.particle_type == wire.ParticleType.NULL:
        return None
    return op.value


@pytest.fixture(scope="module")
def loaded(server):
    conn = RawConnection(server.host, server.port)
    assert udf_put(conn, "records.lua", RECORDS) == "ok"
    yield conn
    conn.close()


def test_put_list_get_remove(conn):
    source = b"function hello(rec) return 'hi' end\n"
    assert udf_put(conn, "hello.lua", source) == "ok"
    listing = conn.info("udf-list")["udf-list"]
    content64 = base64.b64encode(source).decode()
    smd = json.dumps({"content64": content64, "type": "LUA", "name": "hello.lua"})
    assert "filename=hello.lua,hash=%s,type=LUA;" % hashlib.sha1(smd.encode()).hexdigest() in listing
    assert conn.info("udf-get:filename=hello.lua")["udf-get:filename=hello.lua"] == \
        "type=LUA;content=%s;" % content64
    assert conn.info("udf-remove:filename=hello.lua")["udf-remove:filename=hello.lua"] == "ok"
    assert "hello.lua" not in conn.info("udf-list")["udf-list"]
    assert conn.info("udf-get:filename=hello.lua")["udf-get:filename=hello.lua"] == "error=not_found"


def test_put_rejects_bad_requests(conn):
    assert udf_put(conn, "noext", b"x = 1") == "error=invalid_filename"
    assert conn.info("udf-put:filename=a.lua;content=abc;content-len=3")[
        "udf-put:filename=a.lua;content=abc;content-len=3"] == "error=invalid_content_len"
    line = "udf-put:filename=a.lua;content=abcd;content-len=8"
    assert conn.info(line)[line] == "error=invalid_content"
    line = "udf-put:filename=a.lua;content=ab!d;content-len=4"
    assert conn.info(line)[line] == "error=invalid_base64_content"
    line = "udf-put:filename=a.lua;content=abcd;content-len=4;udf-type=PYTHON"
    assert conn.info(line)[line] == "error=invalid_udf_type"


def test_put_compile_error(conn):
    reply = udf_put(conn, "broken.lua", b"function f(rec)\n  return 1 +\nend\n")
    head, _, message = reply.partition(";message=")
    assert head == "error=compile_error;file=broken.lua;line=3"
    assert base64.b64decode(message).decode() == "unexpected symbol near 'end'"
    assert "broken.lua" not in conn.info("udf-list")["udf-list"]


def test_apply_writes_and_returns(loaded):
    reply = loaded.request(apply_msg("udf", "k1", "records", "set_bin", ["a", 7]))
    assert reply.result_code == 0 and reply.generation == 1
    assert [(op.name, op_value(op)) for op in reply.ops] == [("SUCCESS", 0)]
    stored = loaded.request(get_msg("test", "udf", "k1"))
    assert [(op.name, op_value(op)) for op in stored.ops] == [("a", 7)]
    reply = loaded.request(apply_msg("udf", "k1", "records", "add", ["a", 3]))
    assert op_value(reply.ops[0]) == 10 and reply.generation == 2


def test_apply_nil_result_is_a_null_success_bin(loaded):
    reply = loaded.request(apply_msg("udf", "k2", "records", "echo", [None]))
    assert reply.result_code == 0
    assert [(op.name, op.particle_type) for op in reply.ops] == [("SUCCESS", wire.ParticleType.NULL)]


def test_uncommitted_changes_are_dropped(loaded):
    loaded.request(put_msg("test", "udf", "k3", {"a": 1}))
    reply = loaded.request(apply_msg("udf", "k3", "records", "set_without_commit", ["a", 2]))
    assert reply.result_code == 0
    stored = loaded.request(get_msg("test", "udf", "k3"))
    assert op_value(stored.ops[0]) == 1 and stored.generation == 1


def test_errors_answer_100_with_failure_bin(loaded):
    reply = loaded.request(apply_msg("udf", "k4", "records", "fail", ["boom"]))
    assert reply.result_code == wire.ResultCode.UDF_EXECUTION
    assert [op.name for op in reply.ops] == ["FAILURE"]
    assert op_value(reply.ops[0]).endswith("records.lua:116: boom")
    reply = loaded.request(apply_msg("udf", "k4", "records", "missing_function"))
    assert op_value(reply.ops[0]) == "function not found"
    reply = loaded.request(apply_msg("udf", "k4", "no_such_module", "f"))
    assert reply.result_code == 100 and op_value(reply.ops[0]) == "UDF: Execution Error 1"
    reply = loaded.request(apply_msg("udf", "k4", "records", "fail_table"))
    assert op_value(reply.ops[0]) == "result value type unexpected"


def test_sandbox(loaded):
    reply = loaded.request(apply_msg("udf", "k5", "records", "sandbox"))
    seen = dict(list(op_value(reply.ops[0])))
    assert seen["os"] == "table"
    assert seen["debug"] == "function"  # debug is the logging function in UDFs, not the library
    for name in ("os.execute", "io", "loadfile", "dofile", "python", "string.dump",
                 "collectgarbage", "socket"):
        assert seen.get(name) == "nil", name
    escape = b"function f(rec) return tostring(getmetatable('').__index.dump) end\n"
    assert udf_put(loaded, "escape.lua", escape) == "ok"
    reply = loaded.request(apply_msg("udf", "k5", "escape", "f"))
    assert op_value(reply.ops[0]) == "nil"


@pytest.mark.parametrize("function", ["forever", "forever_pcall"])
def test_runaway_udf_is_stopped_at_the_deadline(loaded, function):
    reply = loaded.request(apply_msg("udf", "k6", "records", function, timeout_ms=300))
    assert reply.result_code == wire.ResultCode.UDF_EXECUTION
    assert "UDF Execution Timeout" in op_value(reply.ops[0])
    # the server still answers
    assert loaded.request(apply_msg("udf", "k6", "records", "echo", [1])).result_code == 0


def test_user_path_persists_modules(tmp_path):
    config = parse_config(
        CONFIG.read_text() + "\nmod-lua {\n    user-path %s\n}\n" % tmp_path)
    server = spikelite.start(config)
    try:
        conn = RawConnection(server.host, server.port)
        assert udf_put(conn, "kept.lua", b"function f(rec) return 42 end\n") == "ok"
        conn.close()
    finally:
        server.stop()
    assert (tmp_path / "kept.lua").read_bytes() == b"function f(rec) return 42 end\n"
    server = spikelite.start(config)
    try:
        conn = RawConnection(server.host, server.port)
        assert "filename=kept.lua," in conn.info("udf-list")["udf-list"]
        reply = conn.request(apply_msg("udf", "p1", "kept", "f"))
        assert op_value(reply.ops[0]) == 42
        assert conn.info("udf-remove:filename=kept.lua")["udf-remove:filename=kept.lua"] == "ok"
        conn.close()
    finally:
        server.stop()
    assert not (tmp_path / "kept.lua").exists()


def test_config_loads(tmp_path):
    assert load_config(CONFIG).udf_user_path is None
