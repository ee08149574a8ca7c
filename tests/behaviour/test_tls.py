"""TLS between client and server: the `tls` client config, TLS names, peers over TLS, mutual TLS.

The module starts its own spikelite children (a two-node cluster with TLS, and one node requiring
client certificates) with certificates made here by `cryptography`: a CA, a server certificate for
the TLS name (and 127.0.0.1 as an IP address, which the official client does not accept as a
name), a client certificate, and a second CA that signed none of them.
"""

from __future__ import annotations

import datetime
import ipaddress

import aerospike
import pytest
from aerospike import exception as ex

import spikelite

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

TLS_NAME = "spikelite.test"


def _issue(subject, issuer=None, *, ca=False, sans=()):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer[1].subject if issuer else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return key, builder.sign(issuer[0] if issuer else key, hashes.SHA256())


def _write(directory, stem, key, cert):
    cert_path, key_path = directory / (stem + ".pem"), directory / (stem + ".key")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def _config(certs, authenticate_client):
    return f"""
network {{
    tls {TLS_NAME} {{
        cert-file {certs["server"][0]}
        key-file {certs["server"][1]}
        ca-file {certs["ca"]}
    }}
    service {{
        address 127.0.0.1
        port 0
        tls-port 0
        tls-name {TLS_NAME}
        tls-authenticate-client {authenticate_client}
    }}
}}
namespace test {{
    storage-engine memory
}}
"""


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    ca = _issue("spikelite behaviour CA", ca=True)
    other_ca = _issue("some other CA", ca=True)
    server = _issue(TLS_NAME, ca, sans=[x509.DNSName(TLS_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    client = _issue("client.test", ca, sans=[x509.DNSName("client.test")])
    result = {"dir": d, "ca": _write(d, "ca", *ca)[0], "other_ca": _write(d, "other-ca", *other_ca)[0],
              "server": _write(d, "server", *server), "client": _write(d, "client", *client)}
    (d / "junk.pem").write_text("not a certificate\n")
    return result


@pytest.fixture(scope="module")
def tls_cluster(certs):
    """Two nodes; clients need not present a certificate."""
    path = certs["dir"] / "tls.conf"
    path.write_text(_config(certs, "false"))
    with spikelite.spawn(str(path), nodes=2) as server:
        yield server


@pytest.fixture(scope="module")
def mtls_server(certs):
    """One node; clients must present a certificate signed by the CA."""
    path = certs["dir"] / "mtls.conf"
    path.write_text(_config(certs, "any"))
    with spikelite.spawn(str(path)) as server:
        yield server


def tls_client(hosts, **tls):
    return aerospike.client({"hosts": hosts, "tls": dict({"enable": True}, **tls)})


def test_put_get_and_info_all_over_tls(tls_cluster, certs, set_name):
    client = tls_client(tls_cluster.tls_hosts[:1], cafile=certs["ca"])
    try:
        key = ("test", set_name, "k")
        client.put(key, {"a": 1, "s": "tls"})
        assert client.get(key)[2] == {"a": 1, "s": "tls"}
        replies = client.info_all("node")
        assert len(replies) == 2 and all(err is None for err, _ in replies.values())
        # the second node was found through peers-tls-std: the client talks to its TLS port
        assert sorted(client.get_nodes()) == sorted((h, p) for h, p, _ in tls_cluster.tls_hosts)
    finally:
        client.close()


def test_every_official_tls_key_is_accepted(tls_cluster, certs, set_name):
    empty_blacklist = certs["dir"] / "blacklist"
    empty_blacklist.write_text("")
    client = tls_client(tls_cluster.tls_hosts[:1], cafile=certs["ca"], capath=str(certs["dir"]),
                        protocols="all -TLSv1 -TLSv1.1", cipher_suite="ALL", cert_blacklist=str(empty_blacklist),
                        crl_check=False, crl_check_all=False, log_session_info=True, for_login_only=False)
    try:
        client.put(("test", set_name, 1), {"a": 1})
    finally:
        client.close()


def test_tls_name_is_case_insensitive(tls_cluster, certs):
    host, port, _ = tls_cluster.tls_hosts[0]
    tls_client([(host, port, TLS_NAME.upper())], cafile=certs["ca"]).close()


@pytest.mark.parametrize("case", ["wrong CA", "wrong TLS name", "no TLS name", "IP address as TLS name",
                                  "clear text to the TLS port", "TLS to the clear-text port", "no cafile"])
def test_untrusted_or_unverifiable_server_fails_to_connect(tls_cluster, certs, case):
    host, port, name = tls_cluster.tls_hosts[0]
    hosts, tls = [(host, port, name)], {"enable": True, "cafile": certs["ca"]}
    if case == "wrong CA":
        tls["cafile"] = certs["other_ca"]
    elif case == "wrong TLS name":
        hosts = [(host, port, "other.test")]
    elif case == "no TLS name":
        hosts = [(host, port)]
    elif case == "IP address as TLS name":
        hosts = [(host, port, "127.0.0.1")]
    elif case == "clear text to the TLS port":
        tls = {"enable": False}
    elif case == "TLS to the clear-text port":
        hosts = [(tls_cluster.host, tls_cluster.port, name)]
    elif case == "no cafile":
        del tls["cafile"]
    with pytest.raises(ex.ConnectionError) as info:
        aerospike.client({"hosts": hosts, "tls": tls, "connect_timeout": 2000})
    assert info.value.code == -10


@pytest.mark.parametrize("tls", [
    {"cafile": "/nonexistent/ca.pem"},
    {"cafile": "junk"},
    {"certfile": "/nonexistent/client.pem", "keyfile": "/nonexistent/client.key"},
    {"protocols": "TLSv1.3"},   # the official 19.x client knows no TLSv1.3
    {"protocols": "bogus"},
    {"protocols": "SSLv3"},
    {"cipher_suite": "NO-SUCH-CIPHER"},
    {"cert_blacklist": "/nonexistent/blacklist"},
], ids=["missing cafile", "junk cafile", "missing certfile", "TLSv1.3", "unknown protocol", "SSLv3",
        "unknown cipher", "missing blacklist"])
def test_bad_tls_settings_raise_tls_error(tls_cluster, certs, tls):
    if tls.get("cafile") == "junk":
        tls = {"cafile": str(certs["dir"] / "junk.pem")}
    tls = dict({"enable": True, "cafile": certs["ca"]}, **tls)
    with pytest.raises(ex.TLSError) as info:
        aerospike.client({"hosts": tls_cluster.tls_hosts[:1], "tls": tls})
    assert info.value.code == -9


def test_tls_settings_are_ignored_when_tls_is_off(tls_cluster):
    client = aerospike.client({"hosts": tls_cluster.hosts[:1],
                               "tls": {"enable": False, "cafile": "/nonexistent/ca.pem", "protocols": "bogus"}})
    client.close()


def test_mutual_tls_with_a_client_certificate(mtls_server, certs, set_name):
    certfile, keyfile = certs["client"]
    client = tls_client(mtls_server.tls_hosts, cafile=certs["ca"], certfile=certfile, keyfile=keyfile)
    try:
        client.put(("test", set_name, "m"), {"v": 2})
        assert client.get(("test", set_name, "m"))[2] == {"v": 2}
    finally:
        client.close()


def test_mutual_tls_without_a_client_certificate_fails(mtls_server, certs):
    with pytest.raises(ex.ConnectionError):
        aerospike.client({"hosts": mtls_server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]},
                          "connect_timeout": 2000})
