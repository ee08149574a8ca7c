"""CI mode of the protocol fuzzer (`./dev fuzz` runs the long mode), and the fixed findings."""

from __future__ import annotations

import base64
import socket
import time

import msgpack

from spikelite import wire
from spikelite.wire import FieldType, Info2, Message

from .fuzz import KINDS, build_case, run
from .harness import ServerProcess, memory_config

CI_SECONDS = 55


def test_fuzz_ci_mode(tmp_path):
    report = run(cases=10_000_000, workdir=tmp_path, seed=int(time.time()) % 100_000, seconds=CI_SECONDS,
                 hang_seconds=15)
    assert report["findings"] == [], report["findings"][:3]
    assert report["servers_alive"]
    assert report["server_log_errors"] == []
    assert report["cases"] >= 2000, report
    assert set(report["by_kind"]) == set(KINDS)
    assert report["answered"] + report["closed_by_server"] == report["cases"]
    assert report["rss_kb"]["end"] < 400 * 1024, report["rss_kb"]


def test_cases_are_reproducible():
    assert build_case(7, 123) == build_case(7, 123)
    assert build_case(7, 123) != build_case(7, 124)


# -- findings of the fuzzer, each fixed ------------------------------------------------------------


class Raw:
    def __init__(self, address, timeout=10.0):
        self.sock = socket.create_connection(address, timeout=timeout)

    def send(self, data: bytes) -> tuple[int, bytes]:
        self.sock.sendall(data)
        header = self._exact(8)
        _, ptype, size = wire.unpack_proto_header(header)
        return ptype, self._exact(size)

    def info(self, line: str) -> str:
        _, body = self.send(wire.frame(wire.ProtoType.INFO, (line + "\n").encode()))
        return body.decode().partition("\t")[2].rstrip("\n")

    def _exact(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            assert chunk, "server closed the connection"
            out += chunk
        return out


def udf_put_line(filename: str, source: str) -> str:
    content = base64.b64encode(source.encode()).decode()
    return "udf-put:filename=%s;content=%s;content-len=%d;udf-type=LUA;" % (filename, content, len(content))


def test_findings_fixed(tmp_path):
    config = memory_config(tmp_path / "conf" / "regress.conf")
    udf_dir = config.parent / "udf"
    outside = tmp_path / "conf" / "outside.lua"
    outside.write_text("-- must survive")
    with ServerProcess(config, tmp_path / "run") as server:
        conn = Raw(server.address, timeout=30)
        # 1. A module whose main chunk never returns held the (single-threaded) server forever at
        #    udf-put. Now the load stops at its deadline and is refused as a compile error.
        began = time.monotonic()
        reply = conn.info(udf_put_line("spin.lua", "function f(rec) return 1 end\nwhile true do end"))
        assert reply.startswith("error=compile_error;file=spin.lua;line=2;"), reply
        assert base64.b64decode(reply.rpartition("message=")[2].rstrip(";")) == b"UDF Execution Timeout"
        assert time.monotonic() - began < 15
        assert "spin.lua" not in conn.info("udf-list")
        # 2. udf-remove with a path in the name removed files outside the UDF directory, and a NUL
        #    in the name was an internal error that closed the connection.
        assert conn.info("udf-remove:filename=../outside.lua") == "ok"
        assert outside.read_text() == "-- must survive"
        assert conn.info("udf-remove:filename=a\x00.lua") == "ok"
        # 3. A NUL in a udf-put file name was an internal error while storing the file.
        assert conn.info(udf_put_line("b\x00.lua", "function f(rec) return 1 end")) == "error=invalid_filename"
        # 4. A UDF argument holding a map with a nil key was an internal error (Lua tables cannot
        #    hold one); it is a parameter error now and the connection goes on.
        assert conn.info(udf_put_line("echo.lua", "function f(rec, a) return a end")) == "ok"
        assert (udf_dir / "echo.lua").exists()
        #    The same for a NaN key (found by the 1,000,000-case run), also nested in a list.
        for arg in ({None: 1}, {float("nan"): 1}, [1, {float("nan"): 2}]):
            msg = Message(info2=Info2.WRITE, fields=[
                (FieldType.NAMESPACE, b"test"), (FieldType.SET, b"s"), (FieldType.DIGEST, wire.compute_digest("s", 1)),
                (FieldType.UDF_FILENAME, b"echo"), (FieldType.UDF_FUNCTION, b"f"),
                (FieldType.UDF_ARGLIST, msgpack.packb([arg])), (FieldType.UDF_OP, b"\x01")])
            ptype, body = conn.send(msg.to_proto())
            assert wire.parse_message(body)[0].result_code == wire.ResultCode.PARAMETER, arg
        assert conn.info("build")
        assert server.alive()
        assert server.log_problems() == []
