"""TLS on the service port: config parsing, raw TLS round trips, hostile input on the TLS port."""

from __future__ import annotations

import socket
import ssl

import pytest

import spikelite
from spikelite import wire
from spikelite.config import ConfigError, parse_config
from spikelite.tls import parse_protocols

from .conftest import RawConnection, get_msg, put_msg

pytest.importorskip("cryptography.x509")
from tlscerts import make_certs  # noqa: E402  (tests/tlscerts.py: tests/ is on sys.path)

TLS_NAME = "spikelite.test"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 and TLS_NAME, and a client certificate."""
    return make_certs(tmp_path_factory.mktemp("tls"), TLS_NAME)


def tls_config(pki, auth: str | None = "false", extra_tls: str = "") -> str:
    cert, key = pki["server"]
    auth_line = "" if auth is None else "tls-authenticate-client %s" % auth
    return f"""
network {{
    tls {TLS_NAME} {{
        cert-file {cert}
        key-file {key}
        ca-file {pki["ca"]}
        {extra_tls}
    }}
    service {{
        address 127.0.0.1
        port 0
        tls-port 0
        tls-name {TLS_NAME}
        {auth_line}
    }}
}}
namespace test {{
    storage-engine memory
}}
"""


def client_context(pki, cert: bool = False) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=pki["ca"])
    if cert:
        ctx.load_cert_chain(*pki["client"])
    return ctx


class TlsConnection(RawConnection):
    def __init__(self, host: str, port: int, context: ssl.SSLContext, name: str = TLS_NAME, timeout: float = 5.0):
        raw = socket.create_connection((host, port), timeout=timeout)
        self.sock = context.wrap_socket(raw, server_hostname=name)


@pytest.fixture(scope="module")
def tls_server(pki):
    srv = spikelite.start(parse_config(tls_config(pki)))
    yield srv
    srv.stop()


def alive(server, pki) -> bool:
    host, port, _ = server.tls_hosts[0]
    c = TlsConnection(host, port, client_context(pki))
    try:
        return c.info("node")["node"] != ""
    finally:
        c.close()


# --- config ------------------------------------------------------------------------------------

def test_config_parses_tls_service(pki):
    config = parse_config(tls_config(pki, extra_tls="protocols TLSv1.2 TLSv1.3"))
    assert config.tls.name == TLS_NAME
    assert config.tls.port == 0
    assert not config.tls.client_auth
    assert config.tls.context.protocols == (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3)


def test_without_tls_port_there_is_no_tls_listener(pki):
    text = tls_config(pki).replace("tls-port 0", "")
    assert parse_config(text).tls is None


@pytest.mark.parametrize("change, message", [
    (("tls-name " + TLS_NAME, "tls-name other"), "no 'tls other { }' context"),
    (("tls-name " + TLS_NAME, ""), "tls-port needs a tls-name"),
    (("tls-port 0", "tls-port many"), "tls-port"),
    (("key-file", "kee-file"), "unknown setting 'kee-file' in context 'tls'"),
    (("tls-authenticate-client false", ""), "has no ca-file or ca-path"),  # default any needs a CA ...
])
def test_config_errors_name_the_line(pki, change, message):
    text = tls_config(pki).replace(*change)
    if message == "has no ca-file or ca-path":
        text = text.replace("ca-file", "# ca-file")
    with pytest.raises(ConfigError, match=r"^<config>:\d+: .*" + message.replace("{", r"\{").replace("}", r"\}")):
        parse_config(text)


def test_unreadable_cert_file_is_a_config_error(pki):
    text = tls_config(pki).replace(pki["server"][0], str(pki["dir"] / "missing.pem"))
    with pytest.raises(ConfigError, match=r"^<config>:3: tls spikelite.test: cannot load cert-file"):
        parse_config(text)


@pytest.mark.parametrize("text, expected", [
    ("TLSv1.2", ("TLSv1_2", "TLSv1_2")),
    ("TLSv1.2 TLSv1.3", ("TLSv1_2", "TLSv1_3")),
    ("all -TLSv1 -TLSv1.1", ("TLSv1_2", "TLSv1_3")),
    ("-all +TLSv1.3", ("TLSv1_3", "TLSv1_3")),
])
def test_protocols(text, expected):
    low, high = parse_protocols(text)
    assert (low.name, high.name) == expected


# --- the TLS port ------------------------------------------------------------------------------

def test_tls_round_trip(tls_server, pki):
    host, port, name = tls_server.tls_hosts[0]
    assert name == TLS_NAME and port != tls_server.port
    c = TlsConnection(host, port, client_context(pki))
    try:
        assert c.request(put_msg("test", "tls", "k", {"a": 7})).result_code == 0
        reply = c.request(get_msg("test", "tls", "k"))
        assert reply.result_code == 0 and wire.particles.decode_int(reply.ops[0].value) == 7
        info = c.info("service-tls-std", "peers-tls-std", "service-clear-std")
        assert info["service-tls-std"] == "%s:%d" % (host, port)
        assert info["peers-tls-std"] == "1,%d,[]" % port
        assert info["service-clear-std"] == "%s:%d" % (tls_server.host, tls_server.port)
    finally:
        c.close()
    # the clear-text port still answers, and tells where TLS is
    plain = RawConnection(tls_server.host, tls_server.port)
    try:
        assert plain.info("service-tls-std")["service-tls-std"] == "%s:%d" % (host, port)
    finally:
        plain.close()


def test_plain_text_on_the_tls_port_closes_only_that_connection(tls_server, pki):
    host, port, _ = tls_server.tls_hosts[0]
    survivor = TlsConnection(host, port, client_context(pki))
    plain = RawConnection(host, port)
    plain.send(wire.info.build_request(["node"]))
    assert plain.is_closed_by_peer()
    plain.close()
    assert survivor.info("node")["node"]
    survivor.close()
    assert alive(tls_server, pki)


@pytest.mark.parametrize("garbage", [
    b"\x16\x03\x01\x00\x05hello",                       # a handshake record holding nonsense
    b"\x16\x03\x03\xff\xff" + b"\x00" * 64,             # an oversized handshake record
    b"\x00" * 1024,
])
def test_handshake_garbage_closes_only_that_connection(tls_server, pki, garbage):
    host, port, _ = tls_server.tls_hosts[0]
    bad = RawConnection(host, port)
    bad.send(garbage)
    assert bad.is_closed_by_peer(timeout=5.0)
    bad.close()
    assert alive(tls_server, pki)


def test_wrong_server_name_fails_on_the_client(tls_server, pki):
    host, port, _ = tls_server.tls_hosts[0]
    with pytest.raises(ssl.SSLCertVerificationError):
        TlsConnection(host, port, client_context(pki), name="other.test")
    assert alive(tls_server, pki)


# --- mutual TLS ----------------------------------------------------------------------------------

@pytest.mark.parametrize("auth", [None, "any", "client.test"])
def test_mutual_tls_admits_clients_with_a_certificate(pki, auth):
    with spikelite.start(parse_config(tls_config(pki, auth=auth))) as srv:
        host, port, _ = srv.tls_hosts[0]
        c = TlsConnection(host, port, client_context(pki, cert=True))
        assert c.info("node")["node"]
        c.close()
        assert refused(host, port, client_context(pki))


def refused(host: str, port: int, context: ssl.SSLContext) -> bool:
    """The server ends the handshake (TLS 1.2), or the connection right after it (TLS 1.3, where
    the client's handshake completes before the server has checked the client's certificate)."""
    try:
        c = TlsConnection(host, port, context)
    except (ssl.SSLError, OSError):
        return True
    try:
        c.info("node")
    except (ssl.SSLError, OSError):
        return True
    finally:
        c.close()
    return False


def test_mutual_tls_checks_the_client_name(pki):
    with spikelite.start(parse_config(tls_config(pki, auth="someone.else"))) as srv:
        host, port, _ = srv.tls_hosts[0]
        assert refused(host, port, client_context(pki, cert=True))


def test_mutual_tls_over_tls13(pki):
    config = parse_config(tls_config(pki, auth="any", extra_tls="protocols TLSv1.3"))
    with spikelite.start(config) as srv:
        host, port, _ = srv.tls_hosts[0]
        c = TlsConnection(host, port, client_context(pki, cert=True))
        assert c.sock.version() == "TLSv1.3" and c.info("node")["node"]
        c.close()
        assert refused(host, port, client_context(pki))


# --- clusters and the command line -------------------------------------------------------------

def test_local_cluster_lists_tls_peers(pki):
    with spikelite.start(parse_config(tls_config(pki)), nodes=3) as srv:
        assert len(srv.tls_hosts) == 3 and len({port for _, port, _ in srv.tls_hosts}) == 3
        host, port, _ = srv.tls_hosts[0]
        c = TlsConnection(host, port, client_context(pki))
        try:
            reply = c.info("peers-tls-std", "peers-clear-std")
        finally:
            c.close()
        gen, default_port, peers = reply["peers-tls-std"].split(",", 2)
        assert default_port == str(port)
        for other_host, other_port, name in srv.tls_hosts[1:]:
            assert ",%s,[%s:%d]]" % (name, other_host, other_port) in peers
        assert "%d" % srv.servers[1].port in reply["peers-clear-std"]


def test_spawn_reports_tls_hosts(pki):
    path = pki["dir"] / "spawn.conf"
    path.write_text(tls_config(pki))
    with spikelite.spawn(str(path), nodes=2) as child:
        assert len(child.hosts) == 2
        assert [name for _, _, name in child.tls_hosts] == [TLS_NAME, TLS_NAME]
        host, port, _ = child.tls_hosts[1]
        c = TlsConnection(host, port, client_context(pki))
        assert c.info("node")["node"]
        c.close()
    with spikelite.spawn(None) as child:  # no TLS: nothing changes
        assert child.tls_hosts == [] and len(child.hosts) == 1
