"""The spikelite pytest plugin (spikelite_pytest), run through pytester in a child pytest.

Each test writes a small test file, runs pytest on it in a subprocess (as a user would, the plugin
loaded from its ``pytest11`` entry point) and checks the outcome. Runs with whichever ``aerospike``
the venv has: the official C client and purespike.
"""

from __future__ import annotations

import pytest

import spikelite
from spikelite_pytest import parse_hosts, render_namespaces
from spikelite.config import parse_config

pytest_plugins = ["pytester"]

RUN_ARGS = ("-p", "no:cacheprovider", "--timeout=60")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*RUN_ARGS, *args, timeout=120)


def test_options_are_registered(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(["*--spikelite-config=FILE*", "*--aerospike-hosts=HOST:PORT*"])


def test_p_no_spikelite_turns_it_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_off="def test_off(request):\n"
                                 "    assert request.config.pluginmanager.get_plugin('spikelite') is None\n")
    run(pytester, "-p", "no:spikelite").assert_outcomes(passed=1)
    result = run(pytester, "-p", "no:spikelite", "--aerospike-hosts", "h:1")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_inert_unless_a_fixture_is_used(pytester: pytest.Pytester) -> None:
    # A config that cannot start proves nothing tried to start a server.
    pytester.makepyfile(test_plain="def test_plain():\n    assert 1 + 1 == 2\n")
    result = run(pytester, "--spikelite-config", "/nonexistent/aerospike.conf")
    result.assert_outcomes(passed=1)


def test_server_client_and_cleanup(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_use="""
        import aerospike
        import pytest

        SET = "plugin_cleanup"

        def test_write(aerospike_client, aerospike_cleanup, spikelite_server):
            assert spikelite_server.spawned and spikelite_server.port > 0
            key = aerospike_cleanup.key("test", SET, "k")
            aerospike_client.put(key, {"a": 1})
            assert aerospike_client.get(key)[2] == {"a": 1}
            unique = aerospike_cleanup.unique_set("test")
            aerospike_client.put(("test", unique, 1), {"b": 2})
            assert unique in {s for _, s in aerospike_cleanup.sets}

        def test_the_set_was_truncated(aerospike_client):
            with pytest.raises(aerospike.exception.RecordNotFound):
                aerospike_client.get(("test", SET, "k"))

        def test_same_server_for_the_session(spikelite_server, aerospike_client_config):
            assert aerospike_client_config == {"hosts": list(spikelite_server.hosts)}
    """)
    result = run(pytester)
    result.assert_outcomes(passed=3)


def test_config_file_option(pytester: pytest.Pytester) -> None:
    conf = pytester.path / "my.conf"
    conf.write_text("namespace other {\n    storage-engine memory\n}\n")
    pytester.makepyfile(test_conf="""
        def test_other_namespace(aerospike_client, spikelite_server):
            assert spikelite_server.config_path.endswith("my.conf")
            aerospike_client.put(("other", "s", 1), {"x": 1})
            assert aerospike_client.get(("other", "s", 1))[2] == {"x": 1}
    """)
    run(pytester, "--spikelite-config", str(conf)).assert_outcomes(passed=1)


def test_inline_namespaces_from_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def spikelite_namespaces():
            return {"cache": {"default-ttl": "1h", "nsup-period": 1}, "test": {}}
    """)
    pytester.makepyfile(test_ns="""
        def test_namespaces(aerospike_client):
            aerospike_client.put(("cache", "s", 1), {"x": 1})
            _, meta, _ = aerospike_client.get(("cache", "s", 1))
            assert 3500 < meta["ttl"] <= 3600
            aerospike_client.put(("test", "s", 1), {"x": 1})
    """)
    run(pytester).assert_outcomes(passed=1)


def test_namespaces_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nspikelite_namespaces = alpha beta\n")
    pytester.makepyfile(test_ini="""
        import pytest

        @pytest.mark.parametrize("ns", ["alpha", "beta"])
        def test_namespace(aerospike_client, ns):
            aerospike_client.put((ns, "s", 1), {"x": 1})
            assert aerospike_client.exists((ns, "s", 1))[1] is not None
    """)
    run(pytester).assert_outcomes(passed=2)


def test_a_bad_config_fails_with_the_servers_message(pytester: pytest.Pytester) -> None:
    conf = pytester.path / "bad.conf"
    conf.write_text("namespace test {\n    no-such-setting 1\n}\n")
    pytester.makepyfile(test_bad="def test_needs_server(spikelite_server):\n    pass\n")
    result = run(pytester, "--spikelite-config", str(conf))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*spikelite did not start*unknown setting 'no-such-setting'*"])


def test_aerospike_hosts_uses_that_cluster(pytester: pytest.Pytester) -> None:
    with spikelite.spawn() as server:
        host, port = server.hosts[0]
        pytester.makepyfile(test_ext=f"""
            def test_external(spikelite_server, aerospike_client):
                assert not spikelite_server.spawned
                assert spikelite_server.hosts == (({host!r}, {port}),)
                aerospike_client.put(("test", "ext", 1), {{"x": 1}})
        """)
        run(pytester, "--aerospike-hosts", f"{host}:{port}").assert_outcomes(passed=1)
        # The record went to the server started here, not to one the plugin spawned.
        assert _record_count(host, port, "ext") == 1


def _record_count(host: str, port: int, set_name: str) -> int:
    """Objects in test/<set_name> from the node's `sets` info (no client needed)."""
    import socket
    import struct

    request = b"sets/test/" + set_name.encode() + b"\n"
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(struct.pack(">Q", (2 << 56) | (1 << 48) | len(request)) + request)
        header = _read_exact(sock, 8)
        size = struct.unpack(">Q", header)[0] & 0xFFFFFFFFFFFF
        reply = _read_exact(sock, size).decode()
    fields = dict(item.split("=", 1) for item in reply.split("\t", 1)[-1].strip().split(":") if "=" in item)
    return int(fields.get("objects", "0"))


def _read_exact(sock, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def test_a_conftest_fixture_overrides_the_plugins(pytester: pytest.Pytester) -> None:
    # How this repository's tests/conftest.py keeps its own spikelite_server beside the plugin.
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def spikelite_server():
            return "the conftest's own"
    """)
    pytester.makepyfile(test_override="def test_it(spikelite_server):\n"
                                      "    assert spikelite_server == \"the conftest's own\"\n")
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.parametrize("text, hosts", [
    ("127.0.0.1:3000", (("127.0.0.1", 3000),)),
    ("a:1, b:2", (("a", 1), ("b", 2))),
    ("[::1]:3000 h:4000", (("::1", 3000), ("h", 4000))),
])
def test_parse_hosts(text: str, hosts: tuple) -> None:
    assert parse_hosts(text) == hosts


@pytest.mark.parametrize("text", ["", "host", "host:port", ":3000", "h:70000"])
def test_parse_hosts_rejects(text: str) -> None:
    with pytest.raises(pytest.UsageError):
        parse_hosts(text)


def test_rendered_namespaces_are_a_valid_config() -> None:
    text = render_namespaces({"a": {"default-ttl": "1h", "allow-ttl-without-nsup": True,
                                    "set s": {"default-ttl": 2}}, "b": {}})
    config = parse_config(text)
    assert set(config.namespaces) == {"a", "b"}
    assert config.namespaces["a"].default_ttl == 3600
    assert config.namespaces["a"].allow_ttl_without_nsup is True
    assert config.namespaces["a"].sets["s"].default_ttl == 2
    assert config.namespaces["b"].storage == "memory"
    assert set(parse_config(render_namespaces(["x", "y"])).namespaces) == {"x", "y"}
