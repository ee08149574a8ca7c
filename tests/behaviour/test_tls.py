"""TLS between client and server: the `tls` client config, TLS names, peers over TLS, mutual TLS,
user login over TLS.

The module starts its own spikelite children (a two-node cluster with TLS, one node requiring
client certificates, one node with TLS and security on) with the certificates of
tests/tlscerts.py.
"""

from __future__ import annotations

from pathlib import Path

import aerospike
import pytest
from aerospike import exception as ex

import spikelite
from tlscerts import make_certs, tls_network_config

TLS_NAME = "spikelite.test"
#: The security part of a node with login on (user admin / password admin, as a fresh node).
SECURE_CONFIG = Path(__file__).resolve().parent.parent / "spikelite-secure.conf"
CREDENTIALS = {"user": "admin", "password": "admin"}


def _config(certs, authenticate_client):
    return tls_network_config(certs, TLS_NAME, authenticate_client) + """namespace test {
    storage-engine memory
}
"""


def _secure_config(certs):
    """TLS (no client certificate) and security on: the TLS network of `_config`, the security
    and namespace parts of tests/spikelite-secure.conf."""
    return tls_network_config(certs, TLS_NAME, "false") + SECURE_CONFIG.read_text()


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    result = make_certs(tmp_path_factory.mktemp("tls"), TLS_NAME)
    (result["dir"] / "junk.pem").write_text("not a certificate\n")
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


@pytest.fixture(scope="module")
def secure_tls_server(certs):
    """One node with TLS and security on (user admin / password admin)."""
    path = certs["dir"] / "secure-tls.conf"
    path.write_text(_secure_config(certs))
    with spikelite.spawn(str(path)) as server:
        # A fresh node's admin has only user-admin; these tests also read and write data with it.
        client = aerospike.client(dict({"hosts": server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]}},
                                       **CREDENTIALS))
        try:
            client.admin_grant_roles("admin", ["read-write"])
        finally:
            client.close()
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


def test_login_over_tls_then_commands(secure_tls_server, certs, set_name):
    config = {"hosts": secure_tls_server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]},
              "max_conns_per_node": 4}
    client = aerospike.client(dict(config, **CREDENTIALS))
    try:
        keys = [("test", set_name, i) for i in range(10)]
        for i, key in enumerate(keys):
            client.put(key, {"v": i, "s": "tls+login"})
        batch = client.batch_read(keys)
        assert [record.record[2] for record in batch.batch_records] == [{"v": i, "s": "tls+login"} for i in range(10)]
        assert client.exists(keys[3])[1]["gen"] == 1
        (error, build), = client.info_all("build").values()
        assert error is None and build.strip()
        client.remove(keys[0])
        with pytest.raises(ex.RecordNotFound):
            client.get(keys[0])
    finally:
        client.close()


def test_wrong_password_over_tls(secure_tls_server, certs):
    config = {"hosts": secure_tls_server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]}}
    with pytest.raises(ex.InvalidCredential) as info:
        aerospike.client(dict(config, user="admin", password="wrong"))
    assert info.value.code == 65
    assert info.value.msg == "Failed to connect"
    assert isinstance(info.value, ex.AdminError)


def test_no_login_against_a_secured_tls_node(secure_tls_server, certs):
    with pytest.raises(ex.NotAuthenticated) as info:
        aerospike.client({"hosts": secure_tls_server.tls_hosts, "tls": {"enable": True, "cafile": certs["ca"]}})
    assert info.value.code == 80
